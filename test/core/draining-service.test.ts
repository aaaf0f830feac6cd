import {
  buildDrainingService,
  BuiltDrainingService,
  DrainingServiceOptions,
  drainingPatch,
  drainingServiceRefs,
  drainingServiceUpstreamModel,
  drainingWorkloadModel,
} from '../../lib/core/draining-service';
import { Duration } from '../../lib/core/duration';
import { DiscoveryModel, GatewayModel } from '../../lib/core/model';
import { BudgetError } from '../../lib/core/timing/budget-error';
import { checkUpstream } from '../../lib/core/timing/invariants';
import {
  DEFAULT_MARGIN_SECONDS,
  defaultDnsDiscovery,
  requiredGracePeriodSeconds,
  requiredUpstreamKeepServingSeconds,
} from '../../lib/core/timing/windows';
import { GatewayInFront } from '../../lib/core/upstream-link';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { cluster, gateway } from '../support/models';

const base: DrainingServiceOptions = { name: 'orders', namespace: 'shop', image: 'ghcr.io/example/orders:1.0', readinessPath: '/ready' };

const edsDiscovery: DiscoveryModel = { kind: 'eds', propagationSeconds: 1, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 1 };

function objects(built: BuiltDrainingService) {
  return [built.deployment, built.service, built.headlessService, built.podDisruptionBudget];
}

function podSpec(built: BuiltDrainingService): any {
  return (built.deployment as any).spec.template.spec;
}

function container(built: BuiltDrainingService): any {
  return podSpec(built).containers[0];
}

/** A gateway as the solver sees it, and the same gateway as the checker sees it. */
function gatewayPair(name: string, discovery: DiscoveryModel, intervalSeconds: number, upstream = drainingServiceRefs('orders', 'shop')): { inFront: GatewayInFront; model: GatewayModel } {
  const envoyObject = `ConfigMap/edge/${name}-envoy`;
  return {
    inFront: { gateway: `Deployment/edge/${name}`, discovery, activeHealthCheckIntervalSeconds: intervalSeconds },
    model: gateway({
      envoy: {
        object: envoyObject,
        adminAddress: '127.0.0.1',
        clusters: [cluster({
          name: 'orders',
          discovery,
          service: upstream.headlessServiceObject,
          activeHealthCheck: { intervalSeconds, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' },
          ignoreHealthOnHostRemoval: true,
        })],
        routes: [],
      },
    }),
  };
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
    expect(checkUpstream(drainingServiceUpstreamModel(built), [model])).toEqual([]);
  });

  test('has no findings against an EDS gateway and a DNS gateway it was solved for', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 3);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery({ dnsTtlSeconds: 5 }), 10);
    const built = buildDrainingService(base, [eds.inFront, dns.inFront]);
    expect(checkUpstream(drainingServiceUpstreamModel(built), [eds.model, dns.model])).toEqual([]);
  });

  test('has no findings when the derived preStop is fractional and rounded up', () => {
    const eds = gatewayPair('eds-gw', { ...edsDiscovery, pushSeconds: 0.5 }, 5);
    const built = buildDrainingService({ ...base, appDrainTime: Duration.millis(1500) }, [eds.inFront]);
    expect(Number.isInteger(container(built).lifecycle.preStop.sleep.seconds)).toBe(true);
    expect(container(built).lifecycle.preStop.sleep.seconds).toBe(Math.ceil(1 + 0.5 + DEFAULT_MARGIN_SECONDS));
    expect(checkUpstream(drainingServiceUpstreamModel(built), [eds.model])).toEqual([]);
    expectValidKubernetesObjects(objects(built));
  });

  test('finds a preStop shortened below the discovery delay', () => {
    const built = buildDrainingService(base);
    container(built).lifecycle.preStop.sleep.seconds = 35;
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(drainingServiceUpstreamModel(built), [model]).map((f) => f.rule)).toEqual(['upstream-stops-before-gateways-forget-it']);
  });

  test('finds a grace period shortened below preStop + app drain', () => {
    const built = buildDrainingService(base);
    podSpec(built).terminationGracePeriodSeconds = 45;
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(drainingServiceUpstreamModel(built), [model]).map((f) => f.rule)).toEqual(['grace-period-shorter-than-drain']);
  });

  test('finds nothing in a minReadySeconds of 0: it is not needed for correctness', () => {
    const built = buildDrainingService(base);
    expect((built.deployment as any).spec.minReadySeconds).toBe(0);
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5);
    expect(checkUpstream(drainingServiceUpstreamModel(built), [model])).toEqual([]);
  });

  test('a service solved for an EDS gateway is too short for a DNS gateway', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery(), 5);
    const built = buildDrainingService(base, [eds.inFront]);
    const rules = checkUpstream(drainingServiceUpstreamModel(built), [dns.model]).map((f) => f.rule);
    expect(rules).toContain('upstream-stops-before-gateways-forget-it');
  });
});

describe('gateways in front set the timings', () => {
  test('an EDS gateway shortens the preStop to propagation + push + margin', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const built = buildDrainingService(base, [eds.inFront]);
    expect(container(built).lifecycle.preStop.sleep.seconds).toBe(1 + 1 + DEFAULT_MARGIN_SECONDS);
    expect(built.budget.minReadySeconds).toBe(0);
  });

  test('the slowest gateway wins', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery(), 5);
    expect(buildDrainingService(base, [eds.inFront, dns.inFront]).budget.keepServingSeconds).toBe(41);
  });

  test('a gateway with static hosts is refused', () => {
    const stat = gatewayPair('static-gw', { ...edsDiscovery, kind: 'static' }, 5);
    expect(() => buildDrainingService(base, [stat.inFront])).toThrow(BudgetError);
  });
});

describe('prop rules: each fires, naming prop, value and bound, and its boundary passes', () => {
  test.each([
    ['replicas', { replicas: 1 }, "'replicas' (1) must be at least 2: "],
    ['replicas (fraction)', { replicas: 2.5 }, "'replicas' (2.5) must be a whole number"],
    ['maxSurge', { maxSurge: 0 }, "'maxSurge' (0) must be at least 1: "],
    ['readinessPath (empty)', { readinessPath: '' }, `'readinessPath' ("") must be an HTTP path such as '/ready': a service without a readiness probe cannot drain`],
    ['readinessPath (relative)', { readinessPath: 'ready' }, `'readinessPath' ("ready") must be an absolute HTTP path starting with '/'`],
    ['port (low)', { port: 0 }, "'port' (0) must be a whole number from 1 to 65535"],
    ['port (high)', { port: 65536 }, "'port' (65536) must be a whole number from 1 to 65535"],
    ['name (too long)', { name: 'a'.repeat(55) }, `'name' ("${'a'.repeat(55)}") must be a DNS label of at most 54 characters`],
    ['name (not a DNS label)', { name: 'Orders' }, `'name' ("Orders") must be a DNS label`],
    ['image', { image: '' }, `'image' ("") must be a container image reference`],
    ['preStopDelay', { preStopDelay: Duration.seconds(35) }, "'preStopDelay' (35s) must be at least the gateways' discovery delay (36s)"],
    ['terminationGracePeriod', { terminationGracePeriod: Duration.seconds(45) }, "'terminationGracePeriod' (45s) must be at least the preStop plus the app drain time (46s)"],
    ['preStopAction sleep on 1.29', { kubernetesVersion: '1.29', preStopAction: 'sleep' as const }, "'preStopAction' (sleep) must be used with 'kubernetesVersion' at least 1.30 (got 1.29)"],
    ['kubernetesVersion', { kubernetesVersion: 'latest' }, `'kubernetesVersion' ("latest") must be a Kubernetes version`],
  ])('%s fires', (_rule, overrides, message) => {
    expect(() => buildDrainingService({ ...base, ...overrides })).toThrow(message);
  });

  test('readinessPath missing fires', () => {
    const { readinessPath: _omitted, ...withoutPath } = base;
    expect(() => buildDrainingService(withoutPath as DrainingServiceOptions)).toThrow("'readinessPath' (undefined) must be an HTTP path such as '/ready'");
  });

  test.each([
    ['replicas', { replicas: 2 }, (b: BuiltDrainingService) => expect((b.deployment as any).spec.replicas).toBe(2)],
    ['maxSurge', { maxSurge: 1 }, (b: BuiltDrainingService) => expect((b.deployment as any).spec.strategy.rollingUpdate.maxSurge).toBe(1)],
    ['port (low)', { port: 1 }, (b: BuiltDrainingService) => expect(container(b).ports[0].containerPort).toBe(1)],
    ['port (high)', { port: 65535 }, (b: BuiltDrainingService) => expect(container(b).ports[0].containerPort).toBe(65535)],
    ['name (54 characters)', { name: 'a'.repeat(54) }, (b: BuiltDrainingService) => expect(b.headlessService.metadata.name).toHaveLength(63)],
    ['preStopDelay', { preStopDelay: Duration.seconds(36) }, (b: BuiltDrainingService) => expect(container(b).lifecycle.preStop.sleep.seconds).toBe(36)],
    ['preStopDelay (rounded up onto the bound)', { preStopDelay: Duration.millis(35_500) }, (b: BuiltDrainingService) => expect(container(b).lifecycle.preStop.sleep.seconds).toBe(36)],
    ['terminationGracePeriod', { terminationGracePeriod: Duration.seconds(46) }, (b: BuiltDrainingService) => expect(podSpec(b).terminationGracePeriodSeconds).toBe(46)],
    ['minReady (any, taken as given)', { minReady: Duration.seconds(7) }, (b: BuiltDrainingService) => expect((b.deployment as any).spec.minReadySeconds).toBe(7)],
    ['preStopAction sleep on 1.30', { kubernetesVersion: '1.30', preStopAction: 'sleep' as const }, (b: BuiltDrainingService) => expect(container(b).lifecycle.preStop).toEqual({ sleep: { seconds: 41 } })],
  ])('%s boundary passes', (_rule, overrides, check) => {
    const built = buildDrainingService({ ...base, ...overrides });
    check(built);
    expectValidKubernetesObjects(objects(built));
  });

  test('a longer preStopDelay lengthens the derived grace period', () => {
    const built = buildDrainingService({ ...base, preStopDelay: Duration.seconds(60), appDrainTime: Duration.seconds(10) });
    expect(podSpec(built).terminationGracePeriodSeconds).toBe(60 + 10 + DEFAULT_MARGIN_SECONDS);
  });

  test('a grace period too short for a longer preStopDelay names the new bound', () => {
    expect(() => buildDrainingService({ ...base, preStopDelay: Duration.seconds(60), terminationGracePeriod: Duration.seconds(60) }))
      .toThrow("'terminationGracePeriod' (60s) must be at least the preStop plus the app drain time (65s)");
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
    expect(drainingServiceUpstreamModel(built).workload.object).toBe('Deployment/default/orders');
  });

  test('a minReady longer than the default progress deadline moves the deadline', () => {
    const built = buildDrainingService({ ...base, minReady: Duration.minutes(12) });
    expect((built.deployment as any).spec.progressDeadlineSeconds).toBeGreaterThan(720);
    expectValidKubernetesObjects(objects(built));
  });
});

describe('drainingPatch on an existing Deployment', () => {
  const existing = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'legacy', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'legacy' } },
      template: {
        metadata: { labels: { app: 'legacy' } },
        spec: {
          containers: [
            { name: 'app', image: 'legacy:1', readinessProbe: { httpGet: { path: '/ready', port: 8080 } }, lifecycle: { postStart: { exec: { command: ['true'] } } }, securityContext: { runAsNonRoot: true } },
            { name: 'sidecar', image: 'sidecar:1', securityContext: { runAsNonRoot: true } },
          ],
        },
      },
    },
  };

  function apply(doc: any, operations: { path: string; value: unknown }[]): any {
    const copy = JSON.parse(JSON.stringify(doc));
    for (const { path, value } of operations) {
      const keys = path.split('/').slice(1);
      const last = keys.pop()!;
      const parent = keys.reduce((node, key) => node[key], copy);
      parent[last] = value;
    }
    return copy;
  }

  test('adds preStop to every container, keeps other hooks, and leaves no findings', () => {
    const patch = drainingPatch(existing, { kubernetesVersion: '1.29' });
    const patched = apply(existing, patch.operations);
    const containers = patched.spec.template.spec.containers;
    expect(containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['true'] } }, preStop: { exec: { command: ['sleep', '41'] } } });
    expect(containers[1].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '41'] } } });
    expect(patched.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(patched.spec.minReadySeconds).toBe(patch.budget.minReadySeconds);
    expect(patched.spec.template.spec.terminationGracePeriodSeconds).toBe(patch.budget.terminationGracePeriodSeconds);
    expectValidKubernetesObjects([patched]);
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'legacy', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'legacy' } } } };
    const workload = { ...drainingWorkloadModel(patched, 5, [pdb]), spreadTopologyKeys: ['kubernetes.io/hostname'] };
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5, drainingServiceRefs('legacy', 'shop'));
    const services = [{ object: 'Service/shop/legacy-headless', type: 'ClusterIP' as const, headless: true, externalTrafficPolicy: 'Cluster' as const, selector: { app: 'legacy' }, ports: [{ port: 8080 }] }];
    expect(checkUpstream({ workload, services }, [model])).toEqual([]);
  });

  test('fails when the Deployment has no readiness probe', () => {
    const noProbe = apply(existing, [{ path: '/spec/template/spec/containers/0/readinessProbe', value: undefined }]);
    expect(() => drainingPatch(noProbe)).toThrow("'readinessProbe' (none) must be set on the serving container: Deployment 'legacy' cannot drain");
  });

  test('fails when the Deployment runs 1 replica; 2 pass', () => {
    expect(() => drainingPatch(apply(existing, [{ path: '/spec/replicas', value: 1 }]))).toThrow("'replicas' (1) must be at least 2");
    expect(() => drainingPatch(apply(existing, [{ path: '/spec/replicas', value: 2 }]))).not.toThrow();
  });

  test('fails when a container already has a preStop hook', () => {
    const hooked = apply(existing, [{ path: '/spec/template/spec/containers/1/lifecycle', value: { preStop: { exec: { command: ['sh', '-c', 'kill 1'] } } } }]);
    expect(() => drainingPatch(hooked)).toThrow("container 'sidecar' of Deployment 'legacy' already has a preStop hook");
  });

  test('checks timing overrides against the gateways given', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    expect(drainingPatch(existing, { preStopDelay: Duration.seconds(2) }, [eds.inFront]).budget.keepServingSeconds).toBe(2);
    expect(() => drainingPatch(existing, { preStopDelay: Duration.seconds(1) }, [eds.inFront])).toThrow("'preStopDelay' (1s) must be at least the gateways' discovery delay (2s)");
  });
});
