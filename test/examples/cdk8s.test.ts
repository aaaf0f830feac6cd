import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ASSUMED_GATEWAY_HEALTH_CHECK_INTERVAL_SECONDS, drainingServiceRefs, drainingWorkloadModel, kubeServiceModel } from '../../lib/core/draining-service';
import { KubeObject } from '../../lib/core/kube-object';
import { checkUpstream } from '../../lib/core/timing/invariants';
import {
  DEFAULT_MARGIN_SECONDS,
  defaultDnsDiscovery,
  requiredGracePeriodSeconds,
  requiredUpstreamKeepServingSeconds,
  requiredUpstreamMinReadySeconds,
} from '../../lib/core/timing/windows';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { cluster, gateway } from '../support/models';

/**
 * Runs `cdk8s synth` on examples/cdk8s for real (the CLI, cdk8s.yaml, ts-node with type
 * checking) and reads back what it wrote. About 5 s, most of it ts-node and the CLI starting.
 */
const root = path.resolve(__dirname, '../..');
const exampleDir = path.join(root, 'examples/cdk8s');
let outdir: string;
let manifests: KubeObject[];

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-example-cdk8s-'));
  const cli = path.join(root, 'node_modules/.bin/cdk8s');
  const result = spawnSync(cli, ['synth', '--no-check-upgrade', '--output', outdir], { cwd: exampleDir, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`cdk8s synth failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  const files = fs.readdirSync(outdir).filter((file) => file.endsWith('.yaml'));
  manifests = files.flatMap((file) => parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8')).map((doc) => doc.toJS() as KubeObject)).filter(Boolean);
}, 120_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

function find(kind: string, name: string): any {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`the example has no ${kind} ${name}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

// No gateway routes to the services yet: they are solved for the default DNS gateway.
const discoveries = [defaultDnsDiscovery()];
const preStop = requiredUpstreamKeepServingSeconds(discoveries);
const minReady = requiredUpstreamMinReadySeconds(discoveries, ASSUMED_GATEWAY_HEALTH_CHECK_INTERVAL_SECONDS);

test('every object is valid Kubernetes', () => {
  expect(manifests.length).toBeGreaterThanOrEqual(8);
  expectValidKubernetesObjects(manifests);
});

test('everything lands in namespace shop', () => {
  for (const manifest of manifests) expect(manifest.metadata.namespace).toBe('shop');
});

describe.each([
  ['orders', { replicas: 3, appDrainSeconds: 15, path: '/ready', zones: true }],
  ['catalog', { replicas: 2, appDrainSeconds: 5, path: '/healthz/ready', zones: false }],
])('%s', (name, expected) => {
  test('its preStop sleeps through the gateways\' discovery delay, and the grace period covers it and the app drain', () => {
    const pod = find('Deployment', name).spec.template.spec;
    expect(pod.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: preStop } });
    expect(pod.terminationGracePeriodSeconds).toBe(requiredGracePeriodSeconds(preStop, expected.appDrainSeconds));
    expect(pod.terminationGracePeriodSeconds).toBe(preStop + expected.appDrainSeconds + DEFAULT_MARGIN_SECONDS);
  });

  test('it rolls surge-only and waits for gateways to find each new pod', () => {
    const spec = find('Deployment', name).spec;
    expect(spec.replicas).toBe(expected.replicas);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(spec.minReadySeconds).toBe(minReady);
  });

  test('it is probed for readiness on its path, runs non-root and spreads', () => {
    const pod = find('Deployment', name).spec.template.spec;
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: expected.path, port: 8080 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(expected.zones ? ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'] : ['kubernetes.io/hostname']);
  });

  test('it has a PodDisruptionBudget, a ClusterIP Service and a headless Service', () => {
    const selector = { 'app.kubernetes.io/name': name };
    expect(find('PodDisruptionBudget', name).spec).toMatchObject({ maxUnavailable: 1, selector: { matchLabels: selector } });
    expect(find('Service', name).spec).toMatchObject({ type: 'ClusterIP', selector, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] });
    expect(find('Service', `${name}-headless`).spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: false, selector });
  });

  test('the timing invariants find nothing against the gateway it was solved for', () => {
    const refs = drainingServiceRefs(name, 'shop');
    const workload = drainingWorkloadModel(find('Deployment', name), expected.appDrainSeconds, [find('PodDisruptionBudget', name)]);
    const services = [kubeServiceModel(find('Service', name)), kubeServiceModel(find('Service', `${name}-headless`))];
    const inFront = gateway({
      envoy: {
        object: 'ConfigMap/edge/assumed-gateway',
        adminAddress: '127.0.0.1',
        clusters: [cluster({ name, discovery: discoveries[0], service: refs.headlessServiceObject, activeHealthCheck: { intervalSeconds: ASSUMED_GATEWAY_HEALTH_CHECK_INTERVAL_SECONDS, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: expected.path }, ignoreHealthOnHostRemoval: true })],
        routes: [],
      },
    });
    expect(checkUpstream({ workload, services }, [inFront])).toEqual([]);
  });
});
