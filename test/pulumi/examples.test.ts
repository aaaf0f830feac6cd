/**
 * examples/pulumi runs under Pulumi's mocks; its Kubernetes objects equal those of the same
 * setup in cdk8s (the shop of examples/cdk8s, with the gateway and the NLB the Pulumi example
 * adds); and `hitless check` finds nothing in them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { installMocks, RecordedResource } from './mocks';
import { byKey, Manifest, pulumiManifests } from './parity';

const recorder = installMocks();
const EXAMPLE = path.resolve(__dirname, '../../examples/pulumi');

let recorded: RecordedResource[];
let outputs: Record<string, unknown>;

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(path.join(EXAMPLE, 'index.ts'));
  await recorder.settle();
  recorded = [...recorder.resources];
  outputs = {};
  for (const [name, value] of Object.entries(program)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    outputs[name] = await new Promise((resolve) => require('@pulumi/pulumi').output(value).apply(resolve));
  }
}, 60_000);

describe('examples/pulumi', () => {
  test('is a Pulumi project', () => {
    const project = fs.readFileSync(path.join(EXAMPLE, 'Pulumi.yaml'), 'utf8');
    expect(project).toMatch(/^name: \S+/m);
    expect(project).toMatch(/runtime:\s*\n\s+name: nodejs/);
  });

  test('makes the three components, each owning its objects', () => {
    const components = recorded.filter((each) => each.type.startsWith('hitless:index:')).map((each) => `${each.type}::${each.name}`).sort();
    expect(components).toEqual([
      'hitless:index:DrainingService::catalog',
      'hitless:index:DrainingService::orders',
      'hitless:index:HealthCheckedNlb::edge-nlb',
      'hitless:index:HitlessGateway::edge',
    ]);
    for (const each of recorded.filter((resource) => resource.type.startsWith('kubernetes:'))) {
      expect(each.parent).toMatch(/::hitless:index:(DrainingService|HitlessGateway|HealthCheckedNlb)::/);
    }
  });

  test('exports the derived timings', () => {
    expect(outputs.ordersPreStopSeconds).toEqual(expect.any(Number));
    expect(outputs.gatewayKeepServingSeconds).toEqual(expect.any(Number));
    expect(Object.keys(outputs.loadBalancerAnnotations as object)).toContain('service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval');
  });

  test('parity: the same Kubernetes objects as the same shop, gateway and NLB in cdk8s', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdk8s: typeof import('cdk8s') = require('cdk8s');
    const { DrainingService }: typeof import('../../lib/cdk8s/draining-service') = require('../../lib/cdk8s/draining-service');
    const { HitlessGateway }: typeof import('../../lib/cdk8s/hitless-gateway') = require('../../lib/cdk8s/hitless-gateway');
    const { HealthCheckedNlb }: typeof import('../../lib/cdk8s/health-checked-nlb') = require('../../lib/cdk8s/health-checked-nlb');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const app = cdk8s.Testing.app();
    // The Shop chart of examples/cdk8s, prop for prop.
    const shop = new cdk8s.Chart(app, 'shop', { namespace: 'shop' });
    const orders = new DrainingService(shop, 'orders', {
      name: 'orders', image: 'ghcr.io/example/orders:1.4.2', port: 8080, readinessPath: '/ready', replicas: 3, appDrainTime: cdk8s.Duration.seconds(15), spreadAcrossZones: true,
    });
    const catalog = new DrainingService(shop, 'catalog', {
      name: 'catalog', image: 'ghcr.io/example/catalog:2.0.1', port: 8080, readinessPath: '/healthz/ready',
      resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } },
    });
    const edge = new cdk8s.Chart(app, 'edge', { namespace: 'edge' });
    const gateway = new HitlessGateway(edge, 'edge', { name: 'edge' });
    gateway.addRoute({ prefix: '/orders', service: orders });
    gateway.addRoute({ prefix: '/', service: catalog, idempotent: true });
    new HealthCheckedNlb(edge, 'nlb', { gateway, scheme: 'internet-facing', healthCheckInterval: cdk8s.Duration.seconds(5), healthCheckTimeout: cdk8s.Duration.seconds(3) });
    const expected: Manifest[] = [...cdk8s.Testing.synth(shop), ...cdk8s.Testing.synth(edge)];
    expect(byKey(pulumiManifests(recorded))).toEqual(byKey(expected));
  });

  test('hitless check finds nothing in its manifests', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { readManifestObjects }: typeof import('../../lib/read') = require('../../lib/read');
    const { checkReadResult }: typeof import('../../lib/check') = require('../../lib/check');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const report = checkReadResult(readManifestObjects(pulumiManifests(recorded), 'examples/pulumi'));
    expect(report.problems).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ gateways: 1, upstreams: 2 });
    expect(report.verdict).toBe('hitless');
  });
});
