/**
 * examples/gke/pulumi runs under Pulumi's mocks; its Kubernetes objects equal those of the same
 * setup in cdk8s, `hitless check` finds nothing in them, and they simulate to 0 failures.
 */
import * as path from 'path';
import { installMocks, RecordedResource } from './mocks';
import { byKey, Manifest, pulumiManifests } from './parity';

const recorder = installMocks();
const EXAMPLE = path.resolve(__dirname, '../../examples/gke/pulumi');
let recorded: RecordedResource[];

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(EXAMPLE, 'index.ts'));
  await recorder.settle();
  recorded = [...recorder.resources];
}, 60_000);

describe('examples/gke/pulumi', () => {
  test('makes the gateway, the service and the GKE load balancer, each owning its objects', () => {
    const components = recorded.filter((each) => each.type.startsWith('hitless:index:')).map((each) => `${each.type}::${each.name}`).sort();
    expect(components).toEqual(['hitless:index:DrainingService::orders', 'hitless:index:GkeLoadBalancer::gateway-gke', 'hitless:index:HitlessGateway::gateway']);
    const kinds = pulumiManifests(recorded).map((each) => each.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Gateway', 'HTTPRoute', 'HealthCheckPolicy', 'GCPBackendPolicy']));
  });

  test('parity: the same Kubernetes objects as the same setup in cdk8s', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdk8s: typeof import('cdk8s') = require('cdk8s');
    const face: typeof import('../../lib/cdk8s') = require('../../lib/cdk8s');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const app = cdk8s.Testing.app();
    const shop = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    const orders = new face.DrainingService(shop, 'orders', { name: 'orders', image: 'ghcr.io/example/orders:1.4.2', port: 8080, readinessPath: '/ready', replicas: 3, appDrainTime: cdk8s.Duration.seconds(15) });
    const edge = new cdk8s.Chart(app, 'edge', { namespace: 'edge' });
    const gateway = new face.HitlessGateway(edge, 'gateway', { name: 'gateway' });
    gateway.addRoute({ prefix: '/', service: orders });
    new face.GkeLoadBalancer(edge, 'gke', { gateway, shape: 'gateway', negDetachLatency: cdk8s.Duration.seconds(40) });
    const expected: Manifest[] = [...cdk8s.Testing.synth(shop), ...cdk8s.Testing.synth(edge)];
    expect(byKey(pulumiManifests(recorded))).toEqual(byKey(expected));
  });

  test('hitless check finds nothing in its manifests, and a gateway rollout drops no request', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { readManifestObjects }: typeof import('../../lib/read') = require('../../lib/read');
    const { checkReadResult }: typeof import('../../lib/check') = require('../../lib/check');
    const { simulate }: typeof import('../../lib/simulate') = require('../../lib/simulate');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const read = readManifestObjects(pulumiManifests(recorded), 'examples/gke/pulumi');
    const report = checkReadResult(read);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('hitless');
    const result = simulate(read.topology, { scenario: 'gateway-rollout', load: { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: false, durationSeconds: 240 }, seed: 4 });
    expect(result.failed).toBe(0);
    expect(result.rolloutSeconds).not.toBeNull();
  });
});
