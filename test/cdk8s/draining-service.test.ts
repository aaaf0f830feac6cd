import { ApiObject, App, Chart, Duration, Testing } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import { DrainingService } from '../../lib/cdk8s/draining-service';
import { HitlessGateway } from '../../lib/cdk8s/hitless-gateway';
import { DiscoveryModel, GatewayModel } from '../../lib/core/model';
import { BudgetError } from '../../lib/core/timing/budget-error';
import { checkUpstream } from '../../lib/core/timing/invariants';
import { DEFAULT_MARGIN_SECONDS, defaultDnsDiscovery } from '../../lib/core/timing/windows';
import { GatewayInFront } from '../../lib/core/upstream-link';
import { readManifestObjects } from '../../lib/read';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { cluster, gateway } from '../support/models';

const eds: DiscoveryModel = { kind: 'eds', propagationSeconds: 1, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 1 };
const dnsTtl30 = defaultDnsDiscovery({ dnsTtlSeconds: 30 });

function inFront(name: string, discovery: DiscoveryModel, activeHealthCheckIntervalSeconds = 5): GatewayInFront {
  return { gateway: `Deployment/edge/${name}`, discovery, activeHealthCheckIntervalSeconds };
}

function gatewayModel(service: DrainingService, g: GatewayInFront): GatewayModel {
  return gateway({
    envoy: {
      object: `ConfigMap/edge/${g.gateway.split('/')[2]}`,
      adminAddress: '127.0.0.1',
      clusters: [cluster({
        name: service.name,
        discovery: g.discovery,
        service: service.headlessServiceObject,
        activeHealthCheck: { intervalSeconds: g.activeHealthCheckIntervalSeconds, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: service.healthCheckPath },
        ignoreHealthOnHostRemoval: true,
      })],
      routes: [],
    },
  });
}

function synth(build: (chart: Chart) => void): any[] {
  const chart = Testing.chart();
  build(chart);
  return Testing.synth(chart);
}

function byKindName(manifests: any[], kind: string, name: string): any {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

function preStopOf(manifests: any[], name: string): any {
  return byKindName(manifests, 'Deployment', name).spec.template.spec.containers[0].lifecycle.preStop;
}

describe('DrainingService', () => {
  test('synthesizes a valid Deployment, two Services and a PodDisruptionBudget', () => {
    const manifests = synth((chart) => new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' }));
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(['Deployment/orders', 'PodDisruptionBudget/orders', 'Service/orders', 'Service/orders-headless']);
    expectValidKubernetesObjects(manifests);
    const deployment = byKindName(manifests, 'Deployment', 'orders');
    expect(deployment.metadata.namespace).toBe('shop');
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    // No minReadySeconds: the preStop outlasts discovery, so gateways only ever hold serving pods.
    expect(deployment.spec.minReadySeconds).toBe(0);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(51);
    expect(preStopOf(manifests, 'orders')).toEqual({ sleep: { seconds: 41 } });
    expect(byKindName(manifests, 'Service', 'orders-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: false });
    expect(byKindName(manifests, 'PodDisruptionBudget', 'orders').spec.maxUnavailable).toBe(1);
  });

  test('exposes its resolved values and the references gateways need', () => {
    const chart = Testing.chart();
    const service = new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready', port: 9090, appDrainTime: Duration.seconds(10) });
    expect(service.replicas).toBe(2);
    expect(service.maxSurge).toBe(1);
    expect(service.port).toBe(9090);
    expect(service.healthCheckPath).toBe('/ready');
    expect(service.preStopAction).toBe('sleep');
    expect(service.preStopDelay.toSeconds()).toBe(41);
    expect(service.terminationGracePeriod.toSeconds()).toBe(41 + 10 + DEFAULT_MARGIN_SECONDS);
    expect(service.minReady.toSeconds()).toBe(0);
    expect(service.appDrainTime.toSeconds()).toBe(10);
    expect(service.serviceObject).toBe('Service/shop/orders');
    expect(service.headlessServiceObject).toBe('Service/shop/orders-headless');
    expect(service.headlessDnsName).toBe('orders-headless.shop.svc.cluster.local');
    expect(service.budget.discoveryDelaySeconds).toBe(36);
  });

  test('child ids: Resource, Service, HeadlessService, DisruptionBudget', () => {
    const chart = Testing.chart();
    const service = new DrainingService(chart, 'orders', { image: 'orders:1', readinessPath: '/ready' });
    expect(service.node.children.map((c) => c.node.id)).toEqual(['Resource', 'Service', 'HeadlessService', 'DisruptionBudget']);
    expect(ApiObject.of(service)).toBe(service.deployment);
  });

  test('takes the chart namespace, and a generated name that leaves room for -headless', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a-chart-with-a-rather-long-name-to-push-the-limit', { namespace: 'shop' });
    const service = new DrainingService(chart, 'orders-service-with-a-long-id', { image: 'orders:1', readinessPath: '/ready' });
    expect(service.namespace).toBe('shop');
    expect(service.name.length).toBeLessThanOrEqual(54);
    const manifests = Testing.synth(chart);
    expect(byKindName(manifests, 'Service', `${service.name}-headless`).metadata.namespace).toBe('shop');
    expect(service.headlessDnsName).toBe(`${service.name}-headless.shop.svc.cluster.local`);
    expectValidKubernetesObjects(manifests);
  });

  test('fails at construction on a prop that breaks a rule', () => {
    const chart = Testing.chart();
    expect(() => new DrainingService(chart, 'a', { image: 'orders:1', readinessPath: '/ready', replicas: 1 })).toThrow("'replicas' (1) must be at least 2");
    expect(() => new DrainingService(chart, 'b', { image: 'orders:1', readinessPath: '' })).toThrow("'readinessPath' (\"\") must be an HTTP path");
    expect(() => new DrainingService(chart, 'c', { image: 'orders:1', readinessPath: '/ready', preStopDelay: Duration.seconds(35) })).toThrow("'preStopDelay' (35s) must be at least the gateways' discovery delay (36s)");
    expect(() => new DrainingService(chart, 'd', { image: 'orders:1', readinessPath: '/ready', kubernetesVersion: '1.29', preStopAction: 'sleep' })).toThrow("'preStopAction' (sleep) must be used with 'kubernetesVersion' at least 1.30");
  });

  test('the boundary values pass at construction', () => {
    const manifests = synth((chart) => new DrainingService(chart, 'orders', {
      name: 'orders', image: 'orders:1', readinessPath: '/ready', replicas: 2, maxSurge: 1,
      preStopDelay: Duration.seconds(36), terminationGracePeriod: Duration.seconds(46), minReady: Duration.seconds(3),
    }));
    const deployment = byKindName(manifests, 'Deployment', 'orders');
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(46);
    expect(deployment.spec.minReadySeconds).toBe(3);
    expectValidKubernetesObjects(manifests);
  });

  test('kubernetesVersion 1.29 gives exec sleep, 1.30 the native sleep', () => {
    const manifests = synth((chart) => {
      new DrainingService(chart, 'old', { name: 'old', image: 'orders:1', readinessPath: '/ready', kubernetesVersion: '1.29' });
      new DrainingService(chart, 'new', { name: 'new', image: 'orders:1', readinessPath: '/ready', kubernetesVersion: '1.30' });
    });
    expect(preStopOf(manifests, 'old')).toEqual({ exec: { command: ['sleep', '41'] } });
    expect(preStopOf(manifests, 'new')).toEqual({ sleep: { seconds: 41 } });
    expectValidKubernetesObjects(manifests);
  });
});

describe('DrainingService.registerGateway', () => {
  test('a gateway registered after construction sets the preStop it is synthesized with', () => {
    let service!: DrainingService;
    const manifests = synth((chart) => {
      service = new DrainingService(chart, 'orders', { name: 'orders', image: 'orders:1', readinessPath: '/ready' });
      service.registerGateway(inFront('eds-gw', eds));
    });
    expect(preStopOf(manifests, 'orders')).toEqual({ sleep: { seconds: 1 + 1 + DEFAULT_MARGIN_SECONDS } });
    expect(service.preStopDelay.toSeconds()).toBe(7);
    expect(byKindName(manifests, 'Deployment', 'orders').spec.template.spec.terminationGracePeriodSeconds).toBe(7 + 5 + DEFAULT_MARGIN_SECONDS);
  });

  test('a DNS gateway with TTL 30 next to an EDS gateway lengthens it again', () => {
    const manifests = synth((chart) => {
      const service = new DrainingService(chart, 'orders', { name: 'orders', image: 'orders:1', readinessPath: '/ready' });
      service.registerGateway(inFront('eds-gw', eds));
      service.registerGateway(inFront('dns-gw', dnsTtl30, 10));
    });
    expect(preStopOf(manifests, 'orders')).toEqual({ sleep: { seconds: 1 + 30 + 5 + DEFAULT_MARGIN_SECONDS } });
    expect(byKindName(manifests, 'Deployment', 'orders').spec.minReadySeconds).toBe(0);
  });

  test('the synthesized service has no findings against the gateways registered', () => {
    const chart = Testing.chart();
    const service = new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    const gateways = [inFront('eds-gw', eds, 3), inFront('dns-gw', defaultDnsDiscovery({ dnsTtlSeconds: 5 }), 10)];
    gateways.forEach((g) => service.registerGateway(g));
    expect(checkUpstream(service.upstreamModel(), gateways.map((g) => gatewayModel(service, g)))).toEqual([]);
  });

  test('fails with a BudgetError when an override no longer holds, and keeps the earlier solve', () => {
    const chart = Testing.chart();
    const service = new DrainingService(chart, 'orders', { name: 'orders', image: 'orders:1', readinessPath: '/ready', preStopDelay: Duration.seconds(45) });
    expect(() => service.registerGateway(inFront('slow-dns', defaultDnsDiscovery({ dnsTtlSeconds: 60 })))).toThrow(BudgetError);
    expect(() => service.registerGateway(inFront('slow-dns', defaultDnsDiscovery({ dnsTtlSeconds: 60 })))).toThrow("'preStopDelay' (45s) must be at least the gateways' discovery delay (66s)");
    expect(service.gatewaysInFront).toEqual([]);
    expect(service.preStopDelay.toSeconds()).toBe(45);
  });
});

describe('DrainingService.upstreamModel', () => {
  test.each([
    ['in the chart namespace, alone behind the gateway', {}],
    ['in its own namespace, exec sleep, zones and a set app drain', { namespace: 'shop', kubernetesVersion: '1.29', spreadAcrossZones: true, appDrainTime: Duration.seconds(12) }],
  ])('built from the plan, equals what lib/read reads from the synthesized manifests: %s', (_case, props) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    const service = new DrainingService(chart, 'orders', { name: 'orders', image: 'orders:1', readinessPath: '/ready', ...props });
    new HitlessGateway(chart, 'edge', { name: 'edge', namespace: 'edge' }).addRoute({ prefix: '/orders', service });
    const read = readManifestObjects(Testing.synth(chart));
    const upstream = read.topology.upstreams.find((each) => each.workload.object === service.deploymentObject);
    expect(upstream).toBeDefined();
    expect(service.upstreamModel()).toEqual(upstream);
  });
});

describe('DrainingService.makeDraining', () => {
  function plusDeployment(chart: Chart, props: Partial<plus.DeploymentProps> = {}, readiness = true): plus.Deployment {
    const deployment = new plus.Deployment(chart, 'legacy', { replicas: 3, ...props });
    deployment.addContainer({
      image: 'legacy:1',
      portNumber: 8080,
      readiness: readiness ? plus.Probe.fromHttpGet('/ready') : undefined,
      securityContext: { user: 1000 },
    });
    return deployment;
  }

  test('patches preStop, grace period, surge-only strategy and minReadySeconds onto a cdk8s-plus Deployment', () => {
    let made!: ReturnType<typeof DrainingService.makeDraining>;
    const manifests = synth((chart) => {
      const deployment = plusDeployment(chart);
      deployment.exposeViaService({ name: 'legacy' });
      made = DrainingService.makeDraining(deployment, { kubernetesVersion: '1.29' });
    });
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec.minReadySeconds).toBe(made.minReady.toSeconds());
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(made.terminationGracePeriod.toSeconds());
    expect(deployment.spec.template.spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', String(made.preStopDelay.toSeconds())] } } });
    expect(made.preStopDelay.toSeconds()).toBe(41);
    expect(made.preStopAction).toBe('exec');
    expectValidKubernetesObjects(manifests);
  });

  test('solves for the gateways given', () => {
    const manifests = synth((chart) => DrainingService.makeDraining(plusDeployment(chart), { gateways: [inFront('eds-gw', eds)] }));
    expect(manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: 7 } });
  });

  test('fails when the Deployment has no readiness probe', () => {
    const chart = Testing.chart();
    expect(() => DrainingService.makeDraining(plusDeployment(chart, {}, false))).toThrow("'readinessProbe' (none) must be set on the serving container");
  });

  test('fails when the Deployment runs 1 replica', () => {
    const chart = Testing.chart();
    expect(() => DrainingService.makeDraining(plusDeployment(chart, { replicas: 1 }))).toThrow("'replicas' (1) must be at least 2");
  });

  test('cdk8s-plus default replicas (2) pass', () => {
    const manifests = synth((chart) => DrainingService.makeDraining(plusDeployment(chart, { replicas: undefined })));
    expect(manifests.find((m) => m.kind === 'Deployment').spec.replicas).toBe(2);
  });
});

describe('DrainingService.makeDraining across cdk8s-plus majors', () => {
  test('takes a cdk8s-plus-33 Deployment (the cdk8s-cli template\'s today) and patches it as a 27 one', () => {
    const build = (make: (chart: Chart) => { deployment: unknown }) => synth((chart) => {
      const { deployment } = make(chart);
      DrainingService.makeDraining(deployment as plus.Deployment, { kubernetesVersion: '1.33' });
    }).find((m) => m.kind === 'Deployment');
    const container = { image: 'legacy:1', portNumber: 8080, securityContext: { user: 1000 } };
    const with33 = build((chart) => {
      const deployment = new plus33.Deployment(chart, 'legacy', { replicas: 3 });
      deployment.addContainer({ ...container, readiness: plus33.Probe.fromHttpGet('/ready') });
      return { deployment };
    });
    const with27 = build((chart) => {
      const deployment = new plus.Deployment(chart, 'legacy', { replicas: 3 });
      deployment.addContainer({ ...container, readiness: plus.Probe.fromHttpGet('/ready') });
      return { deployment };
    });
    const drained = (deployment: any) => ({
      strategy: deployment.spec.strategy,
      minReadySeconds: deployment.spec.minReadySeconds,
      grace: deployment.spec.template.spec.terminationGracePeriodSeconds,
      lifecycle: deployment.spec.template.spec.containers[0].lifecycle,
    });
    expect(drained(with33)).toEqual(drained(with27));
    expect(drained(with33).lifecycle).toEqual({ preStop: { sleep: { seconds: 41 } } });
    expectValidKubernetesObjects([with33]);
  });

  test('the cdk8s-plus-33 Deployment type is accepted as it is (no cast), so a project on 33 compiles', () => {
    const chart = Testing.chart();
    const deployment = new plus33.Deployment(chart, 'legacy', { replicas: 2 });
    deployment.addContainer({ image: 'legacy:1', portNumber: 8080, readiness: plus33.Probe.fromHttpGet('/ready'), securityContext: { user: 1000 } });
    expect(DrainingService.makeDraining(deployment).preStopDelay.toSeconds()).toBe(41);
  });

  test('refuses a construct that is not a Deployment, naming it', () => {
    const chart = Testing.chart();
    const service = new plus33.Service(chart, 'svc', { ports: [{ port: 80 }] });
    expect(() => DrainingService.makeDraining(service as never)).toThrow(/makeDraining takes a cdk8s-plus Deployment; '.*svc' is a v1 Service/);
  });
});

test('an App synthesizes it without a chart namespace', () => {
  const app = new App({ outdir: require('os').tmpdir() });
  const chart = new Chart(app, 'c');
  const service = new DrainingService(chart, 'orders', { image: 'orders:1', readinessPath: '/ready' });
  expect(service.namespace).toBe('default');
  expect(app.synthYaml()).toContain('preStop');
});
