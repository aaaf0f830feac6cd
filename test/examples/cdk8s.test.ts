import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { drainingServiceRefs } from '../../lib/core/draining-service';
import { KubeObject } from '../../lib/core/kube-object';
import { checkUpstream } from '../../lib/core/timing/invariants';
import {
  DEFAULT_MARGIN_SECONDS,
  defaultDnsDiscovery,
  requiredGracePeriodSeconds,
  requiredUpstreamKeepServingSeconds,
} from '../../lib/core/timing/windows';
import * as YAML from 'yaml';
import { checkManifestFiles } from '../../lib/check';
import { readManifestObjects } from '../../lib/read';
import { NLB_ANNOTATIONS, parseAttributeMap, TARGET_GROUP_ATTRIBUTES } from '../../lib/core/aws/nlb';
import { findEnvoyConfigs } from '../../lib/read/find-envoy-configs';
import { detectionWindowSeconds, recoveryWindowSeconds } from '../../lib/core/timing/windows';
import { expectValidBootstrap } from '../support/envoy';
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
let synthOutput: string;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-example-cdk8s-'));
  const cli = path.join(root, 'node_modules/.bin/cdk8s');
  const result = spawnSync(cli, ['synth', '--no-check-upgrade', '--output', outdir], { cwd: exampleDir, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`cdk8s synth failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  synthOutput = result.stdout + result.stderr;
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

// The gateway resolves the services' headless Services by DNS, as the default discovery assumes.
const discoveries = [defaultDnsDiscovery()];
const preStop = requiredUpstreamKeepServingSeconds(discoveries);

test('every object is valid Kubernetes', () => {
  expect(manifests.length).toBeGreaterThanOrEqual(8);
  expectValidKubernetesObjects(manifests);
});

test('the services land in namespace shop, the gateway in edge', () => {
  for (const manifest of manifests) {
    expect(manifest.metadata.namespace).toBe(manifest.metadata.name === 'gateway' || manifest.metadata.name.startsWith('gateway-') ? 'edge' : 'shop');
  }
});

test('cdk8s synth runs hitless check as a validation plugin, and it passes', () => {
  expect(synthOutput).toMatch(/Status\s*│\s*success/);
  expect(synthOutput).toMatch(/verdict\s*│\s*hitless/);
});

test('hitless check finds nothing at all in the example', async () => {
  const report = await checkManifestFiles([outdir]);
  expect(report.findings).toEqual([]);
  expect(report.verdict).toBe('hitless');
  expect(report.summary).toMatchObject({ gateways: 1, upstreams: 2 });
});

describe('the gateway behind the NLB', () => {
  // The NLB's health checks: every 10 s, 6 s timeout, 2 failures → detected within 26 s.
  const detection = detectionWindowSeconds({ intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2 });
  const keepServing = detection + DEFAULT_MARGIN_SECONDS;
  const drainTimeout = 30;

  test('its Service asks the AWS Load Balancer Controller for a health-checked NLB, field by field', () => {
    const service = find('Service', 'gateway');
    expect(service.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    const annotations = service.metadata.annotations;
    expect(annotations[NLB_ANNOTATIONS.type]).toBe('external');
    expect(annotations[NLB_ANNOTATIONS.targetType]).toBe('instance');
    expect(annotations[NLB_ANNOTATIONS.scheme]).toBe('internet-facing');
    expect(annotations[NLB_ANNOTATIONS.healthCheckProtocol]).toBe('HTTP');
    expect(annotations[NLB_ANNOTATIONS.healthCheckPort]).toBe('traffic-port');
    expect(annotations[NLB_ANNOTATIONS.healthCheckPath]).toBe('/envoy-hc');
    expect(annotations[NLB_ANNOTATIONS.healthCheckInterval]).toBe('10');
    expect(annotations[NLB_ANNOTATIONS.healthCheckTimeout]).toBe('6');
    expect(annotations[NLB_ANNOTATIONS.healthyThreshold]).toBe('2');
    expect(annotations[NLB_ANNOTATIONS.unhealthyThreshold]).toBe('2');
    const attributes = parseAttributeMap(annotations[NLB_ANNOTATIONS.targetGroupAttributes]);
    const grace = find('Deployment', 'gateway').spec.template.spec.terminationGracePeriodSeconds;
    expect(attributes).toEqual({
      [TARGET_GROUP_ATTRIBUTES.deregistrationDelay]: String(grace),
      [TARGET_GROUP_ATTRIBUTES.deregistrationConnectionTermination]: 'true',
      [TARGET_GROUP_ATTRIBUTES.preserveClientIp]: 'true',
      [TARGET_GROUP_ATTRIBUTES.proxyProtocolV2]: 'false',
      [TARGET_GROUP_ATTRIBUTES.unhealthyConnectionTermination]: 'false',
      // Connections still open when the target may first turn unhealthy ((2 − 1) × 10 s) live until the drain ends (61 s), plus margin.
      [TARGET_GROUP_ATTRIBUTES.unhealthyDrainingInterval]: String(keepServing + drainTimeout - 10 + DEFAULT_MARGIN_SECONDS),
    });
  });

  test('its pods fail the health check, keep serving through the detection window, drain, and are killed only after', () => {
    const deployment = find('Deployment', 'gateway');
    const pod = deployment.spec.template.spec;
    const envoy = pod.containers.find((container: any) => container.name === 'envoy');
    const script: string = envoy.lifecycle.preStop.exec.command.at(-1);
    expect(script).toContain(`keep_serving=${keepServing}`);
    expect(script).toContain(`drain_timeout=${drainTimeout}`);
    expect(script).toContain('/healthcheck/fail');
    expect(pod.terminationGracePeriodSeconds).toBe(requiredGracePeriodSeconds(keepServing + drainTimeout, 0));
    expect(deployment.spec.minReadySeconds).toBe(recoveryWindowSeconds({ intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2 }) + DEFAULT_MARGIN_SECONDS);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    // Readiness must keep passing while Envoy drains, or kube-proxy drops the packets the NLB still sends.
    expect(envoy.readinessProbe.tcpSocket).toBeDefined();
    expect(envoy.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  test('its Envoy bootstrap is valid against Envoy\'s protos, admin on loopback, one health-checked cluster per service', () => {
    const configMap = find('ConfigMap', 'gateway-envoy');
    const [found] = findEnvoyConfigs(YAML.stringify(configMap), 'example');
    const bootstrap = found.config as any;
    expectValidBootstrap(bootstrap);
    expect(bootstrap.admin.address.socket_address.address).toBe('127.0.0.1');
    const clusters = bootstrap.static_resources.clusters;
    expect(clusters.map((each: any) => each.name).sort()).toEqual(['shop_catalog', 'shop_orders']);
    for (const each of clusters) {
      expect(each.type).toBe('STRICT_DNS');
      expect(each.ignore_health_on_host_removal).toBe(true);
      expect(each.health_checks[0].http_health_check.path).toBe(each.name === 'shop_orders' ? '/ready' : '/healthz/ready');
    }
    const routes = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
    const catalog = routes.find((route: any) => route.match.prefix === '/catalog');
    const orders = routes.find((route: any) => route.match.prefix === '/orders');
    expect(orders.route.retry_policy.retry_on).toBe('connect-failure,refused-stream,reset');
    expect(catalog.route.retry_policy.retry_on).toContain('5xx');
  });
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

  test('it rolls surge-only, without a minReadySeconds wait', () => {
    const spec = find('Deployment', name).spec;
    expect(spec.replicas).toBe(expected.replicas);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    // Issue 11: no minReadySeconds on upstreams (was 46): their preStop outlasts discovery, so a
    // gateway only ever holds pods that serve; a wait here only slows the rollout.
    expect(spec.minReadySeconds).toBe(0);
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
    const upstream = readManifestObjects(manifests).topology.upstreams.find((each) => each.workload.object === refs.deploymentObject);
    if (!upstream) throw new Error(`lib/read found no upstream ${refs.deploymentObject} in the synthesized manifests`);
    const { workload, services } = upstream;
    expect(workload.appDrainSeconds).toBe(expected.appDrainSeconds);
    expect(workload.disruptionBudget?.object).toBe(`PodDisruptionBudget/shop/${name}`);
    const inFront = gateway({
      envoy: {
        object: 'ConfigMap/edge/assumed-gateway',
        adminAddress: '127.0.0.1',
        clusters: [cluster({ name, discovery: discoveries[0], service: refs.headlessServiceObject, activeHealthCheck: { intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: expected.path }, ignoreHealthOnHostRemoval: true })],
        routes: [],
      },
    });
    expect(checkUpstream({ workload, services }, [inFront])).toEqual([]);
  });
});
