import { installMocks } from './mocks';
import { byKey, cdk8sManifests, pulumiManifests } from './parity';

const recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const k8s: typeof import('@pulumi/kubernetes') = require('@pulumi/kubernetes');
const face: typeof import('../../lib/pulumi') = require('../../lib/pulumi');
const { GatewayPlan }: typeof import('../../lib/core/gateway/gateway-plan') = require('../../lib/core/gateway/gateway-plan');
const { GatewayWorkload }: typeof import('../../lib/core/gateway/workload') = require('../../lib/core/gateway/workload');
const { Duration }: typeof import('../../lib/core/duration') = require('../../lib/core/duration');
const { assumedLoadBalancer }: typeof import('../../lib/core/load-balancer') = require('../../lib/core/load-balancer');
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => recorder.clear());
afterEach(() => recorder.settle());

const serviceArgs = { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' };

describe('HitlessGateway (Pulumi)', () => {
  test('is a hitless:index:HitlessGateway component whose objects are its children', async () => {
    new face.HitlessGateway('edge', { namespace: 'edge' });
    await recorder.settle();
    const component = recorder.get('hitless:index:HitlessGateway', 'edge');
    const children = recorder.resources.filter((each) => each.parent === component.urn).map((each) => each.type).sort();
    expect(children).toEqual([
      'kubernetes:apps/v1:Deployment',
      'kubernetes:core/v1:ConfigMap',
      'kubernetes:core/v1:Service',
      'kubernetes:core/v1:ServiceAccount',
      'kubernetes:policy/v1:PodDisruptionBudget',
    ]);
  });

  test('routes given in the props reach the bootstrap and register the gateway with each service', async () => {
    const orders = new face.DrainingService('orders', serviceArgs);
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', routes: [{ prefix: '/orders', service: orders }] });
    await recorder.settle();
    expect(orders.gatewaysInFront.map((each) => each.gateway)).toEqual([gateway.workloadObject]);
    const plan = new GatewayPlan({ name: 'edge', namespace: 'edge' });
    plan.addRoute({ prefix: '/orders', service: new face.DrainingService('orders-twin', { ...serviceArgs, name: 'orders' }) });
    expect(recorder.get('kubernetes:core/v1:ConfigMap', 'edge-edge/edge-envoy').inputs.data).toEqual(plan.objects().configMap.data);
  });

  test('a route offered after construction is refused at once, naming the gateway and the arg to use', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    const orders = new face.DrainingService('orders', serviceArgs);
    expect(() => gateway.addRoute({ prefix: '/orders', service: orders })).toThrow(
      "a route to Service/shop/orders reached HitlessGateway 'edge' after it rendered its objects (in its constructor): give it in the `routes` arg",
    );
  });

  test('a load balancer offered to attachLoadBalancer after construction is refused at once', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    const model = { ...assumedLoadBalancer('Service/edge/edge'), healthCheck: { intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 3, unhealthyThreshold: 3 } };
    expect(() => gateway.attachLoadBalancer({ model, serviceAnnotations: {} })).toThrow(/reached HitlessGateway 'edge' after it rendered its objects/);
  });

  test('an await between creating the service, the gateway and its NLB changes nothing', async () => {
    const build = async (pause: () => Promise<unknown>) => {
      recorder.clear();
      const orders = new face.DrainingService('orders', serviceArgs);
      await pause();
      const gateway = new face.HitlessGateway('edge', {
        namespace: 'edge',
        routes: [{ prefix: '/orders', service: orders }],
        nlb: { healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(3) },
      });
      await pause();
      await recorder.settle();
      return { manifests: byKey(pulumiManifests(recorder.resources)), budget: gateway.budget, upstream: orders.budget };
    };
    const straight = await build(async () => undefined);
    // A real turn of the event loop (and timers), as an awaited API call would take.
    const awaited = await build(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(awaited).toEqual(straight);
    expect(straight.manifests['v1 Service/edge/edge'].metadata.annotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '5' });
  });

  test('two gateways rendering the same objects into two clusters of one stack get distinct logical names', async () => {
    const east = new k8s.Provider('east', { kubeconfig: 'mock' });
    const west = new k8s.Provider('west', { kubeconfig: 'mock' });
    new face.HitlessGateway('edge-east', { name: 'edge', namespace: 'edge' }, { provider: east });
    new face.HitlessGateway('edge-west', { name: 'edge', namespace: 'edge' }, { provider: west });
    await recorder.settle();
    const deployments = recorder.ofType('kubernetes:apps/v1:Deployment');
    expect(deployments.map((each) => each.name).sort()).toEqual(['edge-east-edge/edge', 'edge-west-edge/edge']);
    expect(deployments.map((each) => each.inputs.metadata.name)).toEqual(['edge', 'edge']);
  });

  test('a DaemonSet gateway has a DaemonSet and no disruption budget', async () => {
    new face.HitlessGateway('edge', { namespace: 'edge', workload: GatewayWorkload.daemonSet({ hostPort: 30080 }) });
    await recorder.settle();
    expect(recorder.ofType('kubernetes:apps/v1:DaemonSet')).toHaveLength(1);
    expect(recorder.ofType('kubernetes:policy/v1:PodDisruptionBudget')).toHaveLength(0);
  });

  test('a provider given to the component reaches every object', async () => {
    const provider = new k8s.Provider('cluster', { kubeconfig: 'mock' });
    new face.HitlessGateway('edge', { namespace: 'edge' }, { providers: [provider] });
    await recorder.settle();
    const objects = recorder.resources.filter((each) => each.type.startsWith('kubernetes:'));
    expect(objects).toHaveLength(5);
    for (const each of objects) expect(each.provider).toMatch(/pulumi:providers:kubernetes::cluster::/);
  });

  test('parity: a gateway routing to two services, the same objects as the cdk8s face', async () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdk8s: typeof import('cdk8s') = require('cdk8s');
    const cdk8sFace: typeof import('../../lib/cdk8s') = require('../../lib/cdk8s');
    const gatewayFace: typeof import('../../lib/cdk8s/hitless-gateway') = require('../../lib/cdk8s/hitless-gateway');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const orders = new face.DrainingService('orders', { ...serviceArgs, replicas: 3 });
    const catalog = new face.DrainingService('catalog', { ...serviceArgs, image: 'catalog:1' });
    new face.HitlessGateway('edge', {
      namespace: 'edge',
      drainTimeout: Duration.seconds(20),
      // The default health-check interval: the services render before the gateway exists, assuming
      // it; a faster one is recorded but leaves their (longer, still safe) minReadySeconds alone.
      routes: [{ prefix: '/orders', service: orders, idempotent: true }, { prefix: '/', service: catalog }],
    });
    await recorder.settle();
    const expected = cdk8sManifests((chart) => {
      const ordersTwin = new cdk8sFace.DrainingService(chart, 'orders', { ...serviceArgs, name: 'orders', replicas: 3 });
      const catalogTwin = new cdk8sFace.DrainingService(chart, 'catalog', { ...serviceArgs, name: 'catalog', image: 'catalog:1' });
      const gateway = new gatewayFace.HitlessGateway(chart, 'edge', { name: 'edge', namespace: 'edge', drainTimeout: cdk8s.Duration.seconds(20) });
      gateway.addRoute({ prefix: '/orders', service: ordersTwin, idempotent: true });
      gateway.addRoute({ prefix: '/', service: catalogTwin });
    });
    expect(byKey(pulumiManifests(recorder.resources))).toEqual(byKey(expected));
  });
});
