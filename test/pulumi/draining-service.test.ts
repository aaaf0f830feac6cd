import { installMocks } from './mocks';
import { byKey, cdk8sManifests, pulumiManifests } from './parity';

const recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const k8s: typeof import('@pulumi/kubernetes') = require('@pulumi/kubernetes');
const { DrainingService }: typeof import('../../lib/pulumi/draining-service') = require('../../lib/pulumi/draining-service');
const core: typeof import('../../lib/core/draining-service') = require('../../lib/core/draining-service');
const { defaultDnsDiscovery }: typeof import('../../lib/core/timing/windows') = require('../../lib/core/timing/windows');
const { Duration }: typeof import('../../lib/core/duration') = require('../../lib/core/duration');
const { GatewayPlan }: typeof import('../../lib/core/gateway/gateway-plan') = require('../../lib/core/gateway/gateway-plan');
const { readManifestObjects }: typeof import('../../lib/read') = require('../../lib/read');
// Loaded here, not in the parity test: loading cdk8s on a busy machine can outlast a test's timeout.
const cdk8sFace: typeof import('../../lib/cdk8s/draining-service') = require('../../lib/cdk8s/draining-service');
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => recorder.clear());
afterEach(() => recorder.settle());

const slowGateway = { gateway: 'Deployment/edge/edge', discovery: defaultDnsDiscovery({ dnsTtlSeconds: 60 }), activeHealthCheckIntervalSeconds: 3 };

describe('DrainingService (Pulumi)', () => {
  test('is a hitless:index:DrainingService component whose four objects are its children', async () => {
    const service = new DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    await recorder.settle();
    const component = recorder.get('hitless:index:DrainingService', 'orders');
    expect(component.custom).toBe(false);
    const children = recorder.resources.filter((each) => each.parent === component.urn).map((each) => `${each.type}::${each.name}`).sort();
    expect(children).toEqual([
      'kubernetes:apps/v1:Deployment::orders-shop/orders',
      'kubernetes:core/v1:Service::orders-shop/orders',
      'kubernetes:core/v1:Service::orders-shop/orders-headless',
      'kubernetes:policy/v1:PodDisruptionBudget::orders-shop/orders',
    ]);
    expect(service.headlessDnsName).toBe('orders-headless.shop.svc.cluster.local');
    expect(service.serviceObject).toBe('Service/shop/orders');
  });

  test('its objects are the ones core builds, with the budget core solves', async () => {
    const args = { namespace: 'shop', image: 'orders:1', readinessPath: '/ready', replicas: 3, appDrainTime: Duration.seconds(8) };
    const service = new DrainingService('orders', args);
    await recorder.settle();
    const built = core.buildDrainingService({ ...args, name: 'orders' });
    expect(recorder.get('kubernetes:apps/v1:Deployment', 'orders-shop/orders').inputs).toEqual(built.deployment);
    expect(recorder.get('kubernetes:core/v1:Service', 'orders-shop/orders-headless').inputs).toEqual(built.headlessService);
    expect(service.budget).toEqual(built.budget);
  });

  test('a gateway its rendered timings cover is recorded, and changes nothing', async () => {
    const service = new DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    const eds = { gateway: 'Deployment/edge/fast', discovery: { kind: 'eds' as const, propagationSeconds: 1, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 1 }, activeHealthCheckIntervalSeconds: 3 };
    service.registerGateway(eds);
    await recorder.settle();
    const expected = core.buildDrainingService({ name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    expect(recorder.get('kubernetes:apps/v1:Deployment', 'orders-shop/orders').inputs.spec).toEqual(expected.deployment.spec);
    expect(service.gatewaysInFront).toEqual([eds]);
  });

  test('a gateway slower than the rendered preStop is refused at once, naming both and the props to set', () => {
    const service = new DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    const needed = core.buildDrainingService({ name: 'orders', image: 'orders:1', readinessPath: '/ready' }, [slowGateway]).budget;
    expect(() => service.registerGateway(slowGateway)).toThrow(
      `gateway Deployment/edge/edge discovers DrainingService 'orders' more slowly than the Deployment it rendered allows: it needs 'preStopDelay' ≥ ${needed.keepServingSeconds}s (rendered 41s)`,
    );
    expect(service.gatewaysInFront).toEqual([]);
  });

  test('with the slow gateway\'s needs given as props, the gateway is accepted', async () => {
    const needed = core.buildDrainingService({ name: 'orders', image: 'orders:1', readinessPath: '/ready' }, [slowGateway]).budget;
    const service = new DrainingService('orders', {
      namespace: 'shop', image: 'orders:1', readinessPath: '/ready',
      preStopDelay: Duration.seconds(needed.keepServingSeconds),
      terminationGracePeriod: Duration.seconds(needed.terminationGracePeriodSeconds),
      minReady: Duration.seconds(Math.ceil(needed.minReadySeconds)),
    });
    expect(() => service.registerGateway(slowGateway)).not.toThrow();
    expect(service.budget.keepServingSeconds).toBe(needed.keepServingSeconds);
  });

  test('a gateway that breaks a timing the user set is refused with the prop named', () => {
    const service = new DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready', preStopDelay: Duration.seconds(45) });
    expect(() => service.registerGateway(slowGateway)).toThrow(/'preStopDelay' \(45s\) must be at least/);
  });

  test('the name defaults to the resource name, and a bad prop is refused by name', () => {
    expect(new DrainingService('payments', { image: 'p:1', readinessPath: '/ready' }).name).toBe('payments');
    expect(() => new DrainingService('bad', { image: 'p:1', readinessPath: '/ready', replicas: 1 })).toThrow(/'replicas' \(1\) must be at least 2/);
  });

  test('a provider given to the component reaches every Kubernetes object', async () => {
    const provider = new k8s.Provider('cluster', { kubeconfig: 'mock' });
    new DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' }, { provider });
    await recorder.settle();
    const objects = recorder.resources.filter((each) => each.type.startsWith('kubernetes:') && !each.type.startsWith('pulumi:'));
    expect(objects).toHaveLength(4);
    for (const each of objects) expect(each.provider).toMatch(/^urn:pulumi:.*pulumi:providers:kubernetes::cluster::/);
  });

  test('parity: the same objects as the cdk8s DrainingService, alone and behind a default gateway', async () => {
    const props = { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready', replicas: 3, spreadAcrossZones: true, env: { MODE: 'prod' } };
    const defaultGateway = { gateway: 'Deployment/edge/edge', discovery: defaultDnsDiscovery(), activeHealthCheckIntervalSeconds: 5 };
    for (const gateways of [[], [defaultGateway]]) {
      recorder.clear();
      const service = new DrainingService('orders', props);
      gateways.forEach((each) => service.registerGateway(each));
      await recorder.settle();
      const expected = cdk8sManifests((chart) => {
        const twin = new cdk8sFace.DrainingService(chart, 'orders', props);
        gateways.forEach((each) => twin.registerGateway(each));
      });
      expect(byKey(pulumiManifests(recorder.resources))).toEqual(byKey(expected));
    }
  });

  test('its upstreamModel, built from the plan, equals what lib/read reads from the objects it rendered', async () => {
    const service = new DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready', replicas: 3, kubernetesVersion: '1.29' });
    const edge = new GatewayPlan({ name: 'edge', namespace: 'edge' });
    edge.addRoute({ prefix: '/orders', service });
    await recorder.settle();
    const rendered = recorder.resources.filter((each) => each.type.startsWith('kubernetes:')).map((each) => each.inputs);
    expect(rendered).toHaveLength(4);
    const upstream = readManifestObjects([...edge.objects().all, ...rendered]).topology.upstreams.find((each) => each.workload.object === service.deploymentObject);
    expect(upstream).toBeDefined();
    expect(service.upstreamModel()).toEqual(upstream);
  });

  test('states the rendered timings as durations, like the cdk8s face', () => {
    const service = new DrainingService('orders', { image: 'orders:1', readinessPath: '/ready', minReady: Duration.millis(2500), appDrainTime: Duration.seconds(8) });
    expect(service.preStopDelay.toSeconds()).toBe(service.budget.keepServingSeconds);
    expect(service.terminationGracePeriod.toSeconds()).toBe(service.budget.terminationGracePeriodSeconds);
    expect(service.minReady.toSeconds()).toBe(3);
    expect(service.appDrainTime.toSeconds()).toBe(8);
  });
});
