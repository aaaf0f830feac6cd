import { buildDrainingService, DrainingServicePlan, drainingServiceRefs } from '../../../lib/core/draining-service';
import { Duration } from '../../../lib/core/duration';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { UpstreamModel } from '../../../lib/core/model';
import { checkUpstream } from '../../../lib/core/timing/invariants';
import {
  DEFAULT_MARGIN_SECONDS,
  defaultDnsDiscovery,
  requiredGracePeriodSeconds,
  requiredUpstreamKeepServingSeconds,
} from '../../../lib/core/timing/windows';
import { expectValidKubernetesObjects } from '../../support/k8s-schema';
import { base, BuiltLike, container, edsDiscovery, gatewayPair, objects, podSpec, readUpstream } from './support';

/** What `hitless check` reads from the objects built for orders in shop (lib/read, behind a gateway routing to them). */
function readBuilt(built: BuiltLike): UpstreamModel {
  const refs = drainingServiceRefs('orders', 'shop');
  const edge = new GatewayPlan({ name: 'edge', namespace: 'edge' });
  edge.addRoute({ prefix: '/', service: { ...refs, port: 8080, healthCheckPath: '/ready', registerGateway: () => undefined } });
  return readUpstream(edge, objects(built), refs.deploymentObject);
}

describe('buildDrainingService defaults', () => {
  const built = buildDrainingService(base);

  test('every object is valid Kubernetes', () => {
    expectValidKubernetesObjects(objects(built));
  });

  test('without a gateway it is solved for the default DNS gateway, with no minReadySeconds', () => {
    const discoveries = [defaultDnsDiscovery()];
    expect(built.budget.keepServingSeconds).toBe(requiredUpstreamKeepServingSeconds(discoveries));
    expect(built.budget.keepServingSeconds).toBe(41); // 1s propagation + 30s TTL + 5s refresh + 5s margin
    expect(built.budget.terminationGracePeriodSeconds).toBe(requiredGracePeriodSeconds(41, 5));
    // Old pods serve past the discovery delay: a gateway only ever holds pods that serve.
    expect(built.budget.minReadySeconds).toBe(0);
  });

  test('the Deployment rolls surge-only, waits minReadySeconds and keeps replicas', () => {
    const spec = (built.deployment as any).spec;
    expect(built.deployment.apiVersion).toBe('apps/v1');
    expect(built.deployment.metadata).toMatchObject({ name: 'orders', namespace: 'shop' });
    expect(spec.replicas).toBe(2);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(spec.minReadySeconds).toBe(built.budget.minReadySeconds);
    expect(spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    expect(spec.template.metadata.labels['app.kubernetes.io/name']).toBe('orders');
    expect(spec.progressDeadlineSeconds).toBeUndefined();
  });

  test('the pod sleeps in preStop, then has the app drain time and margin before SIGKILL', () => {
    expect(container(built).lifecycle).toEqual({ preStop: { sleep: { seconds: 41 } } });
    expect(podSpec(built).terminationGracePeriodSeconds).toBe(41 + 5 + DEFAULT_MARGIN_SECONDS);
  });

  test('the readiness probe is HTTP on the path and port, quick but tolerant of one slow answer; no liveness probe', () => {
    expect(container(built).readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 0, periodSeconds: 2, timeoutSeconds: 2, successThreshold: 1, failureThreshold: 3 });
    expect(container(built).livenessProbe).toBeUndefined();
    expect(container(built).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('pods are spread across nodes, softly', () => {
    expect(podSpec(built).topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } } },
    ]);
  });

  test('the container runs restricted: non-root, no escalation, read-only root, no capabilities, RuntimeDefault seccomp', () => {
    expect(container(built).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podSpec(built).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(podSpec(built).automountServiceAccountToken).toBe(false);
    expect(container(built).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' } });
    expect(container(built).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('a ClusterIP Service and a headless Service that lists only ready pods', () => {
    const ports = [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }];
    expect(built.service.metadata.name).toBe('orders');
    expect((built.service as any).spec).toEqual({ type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'orders' }, ports });
    expect(built.headlessService.metadata.name).toBe('orders-headless');
    expect((built.headlessService as any).spec).toEqual({ clusterIP: 'None', publishNotReadyAddresses: false, selector: { 'app.kubernetes.io/name': 'orders' }, ports });
  });

  test('a policy/v1 PodDisruptionBudget allows one pod down at a time', () => {
    expect(built.podDisruptionBudget.apiVersion).toBe('policy/v1');
    expect((built.podDisruptionBudget as any).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('snapshot', () => {
    expect(objects(built)).toMatchSnapshot();
  });
});

describe('checkUpstream on what was built', () => {
  test('has no findings against the default DNS gateway it assumed', () => {
    const built = buildDrainingService(base);
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(readBuilt(built), [model])).toEqual([]);
  });

  test('has no findings against an EDS gateway and a DNS gateway it was solved for', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 3);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery({ dnsTtlSeconds: 5 }), 10);
    const built = buildDrainingService(base, [eds.inFront, dns.inFront]);
    expect(checkUpstream(readBuilt(built), [eds.model, dns.model])).toEqual([]);
  });

  test('has no findings when the derived preStop is fractional and rounded up', () => {
    const eds = gatewayPair('eds-gw', { ...edsDiscovery, pushSeconds: 0.5 }, 5);
    const built = buildDrainingService({ ...base, appDrainTime: Duration.millis(1500) }, [eds.inFront]);
    expect(Number.isInteger(container(built).lifecycle.preStop.sleep.seconds)).toBe(true);
    expect(container(built).lifecycle.preStop.sleep.seconds).toBe(Math.ceil(1 + 0.5 + DEFAULT_MARGIN_SECONDS));
    expect(checkUpstream(readBuilt(built), [eds.model])).toEqual([]);
    expectValidKubernetesObjects(objects(built));
  });

  test('finds a preStop shortened below the discovery delay', () => {
    const built = buildDrainingService(base);
    container(built).lifecycle.preStop.sleep.seconds = 35;
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(readBuilt(built), [model]).map((f) => f.rule)).toEqual(['upstream-stops-before-gateways-forget-it']);
  });

  test('finds a grace period shortened below preStop + app drain', () => {
    const built = buildDrainingService(base);
    podSpec(built).terminationGracePeriodSeconds = 45;
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(readBuilt(built), [model]).map((f) => f.rule)).toEqual(['grace-period-shorter-than-drain']);
  });

  test('finds nothing in a minReadySeconds of 0: it is not needed for correctness', () => {
    const built = buildDrainingService(base);
    expect((built.deployment as any).spec.minReadySeconds).toBe(0);
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(readBuilt(built), [model])).toEqual([]);
  });

  test('a service solved for an EDS gateway is too short for a DNS gateway', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery(), 5);
    const built = buildDrainingService(base, [eds.inFront]);
    const rules = checkUpstream(readBuilt(built), [dns.model]).map((f) => f.rule);
    expect(rules).toContain('upstream-stops-before-gateways-forget-it');
  });
});

describe('preStop action by Kubernetes version', () => {
  test('1.29 uses exec sleep', () => {
    const built = buildDrainingService({ ...base, kubernetesVersion: '1.29' });
    expect(built.preStopAction).toBe('exec');
    expect(container(built).lifecycle.preStop).toEqual({ exec: { command: ['sleep', '41'] } });
    expectValidKubernetesObjects(objects(built));
  });

  test('1.30 uses the native sleep action', () => {
    const built = buildDrainingService({ ...base, kubernetesVersion: 'v1.30.4' });
    expect(built.preStopAction).toBe('sleep');
    expect(container(built).lifecycle.preStop).toEqual({ sleep: { seconds: 41 } });
  });

  test('exec can be forced on a new cluster', () => {
    expect(container(buildDrainingService({ ...base, kubernetesVersion: '1.34', preStopAction: 'exec' })).lifecycle.preStop).toEqual({ exec: { command: ['sleep', '41'] } });
  });
});

describe('options', () => {
  test('spreadAcrossZones adds a zone constraint', () => {
    const built = buildDrainingService({ ...base, spreadAcrossZones: true });
    expect(podSpec(built).topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
  });

  test('env, labels, command, args, resources and service account reach the pod', () => {
    const built = buildDrainingService({
      ...base,
      env: { LOG_LEVEL: 'info' },
      labels: { team: 'shop' },
      command: ['/app/orders'],
      args: ['--listen', ':8080'],
      resources: { requests: { cpu: '250m' }, limits: { memory: '256Mi' } },
      serviceAccountName: 'orders',
    });
    expect(container(built).env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(container(built).command).toEqual(['/app/orders']);
    expect(container(built).args).toEqual(['--listen', ':8080']);
    expect(container(built).resources).toEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(podSpec(built).serviceAccountName).toBe('orders');
    expect(built.service.metadata.labels).toMatchObject({ team: 'shop', 'app.kubernetes.io/name': 'orders' });
    expect((built.deployment as any).spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expectValidKubernetesObjects(objects(built));
  });

  test('without a namespace the objects carry none', () => {
    const built = buildDrainingService({ ...base, namespace: undefined });
    expect(built.deployment.metadata.namespace).toBeUndefined();
    expect(new DrainingServicePlan({ ...base, namespace: undefined }).upstreamModel().workload.object).toBe('Deployment/default/orders');
  });

  test('a minReady longer than the default progress deadline moves the deadline', () => {
    const built = buildDrainingService({ ...base, minReady: Duration.minutes(12) });
    expect((built.deployment as any).spec.progressDeadlineSeconds).toBeGreaterThan(720);
    expectValidKubernetesObjects(objects(built));
  });
});
