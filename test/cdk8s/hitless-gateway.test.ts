import { Chart, Duration, Testing } from 'cdk8s';
import { DrainingService } from '../../lib/cdk8s/draining-service';
import { HitlessGateway, HitlessGatewayProps } from '../../lib/cdk8s/hitless-gateway';
import { seconds, millis } from '../../lib/core/duration';
import { GatewayDrain } from '../../lib/core/gateway/drain';
import { GatewayPlanOptions } from '../../lib/core/gateway/gateway-options';
import { GatewayPlan } from '../../lib/core/gateway/gateway-plan';
import { GatewayWorkload } from '../../lib/core/gateway/workload';
import { assumedLoadBalancer } from '../../lib/core/load-balancer';
import { checkGateway, checkTopology } from '../../lib/core/timing/invariants';
import { expectValidBootstrap } from '../support/envoy';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'edge' });
}

/** True only when `A` and `B` are the same set of names. */
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;

function find(manifests: any[], kind: string, name?: string): any {
  const found = manifests.find((each) => each.kind === kind && (name === undefined || each.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in ${manifests.map((each) => `${each.kind}/${each.metadata.name}`).join(', ')}`);
  return found;
}

describe('HitlessGateway', () => {
  it('synthesizes valid objects, with routes added after construction', () => {
    const scope = chart();
    const gateway = new HitlessGateway(scope, 'gateway', { name: 'edge' });
    const orders = new DrainingService(scope, 'orders', { name: 'orders', namespace: 'shop', image: 'example/orders:1', readinessPath: '/ready' });
    gateway.addRoute({ prefix: '/orders', service: orders, idempotent: true });
    const manifests = Testing.synth(scope);
    expectValidKubernetesObjects(manifests);
    const configMap = find(manifests, 'ConfigMap', 'edge-envoy');
    const bootstrap = JSON.parse(configMap.data['envoy.json']);
    expectValidBootstrap(bootstrap);
    expect(bootstrap.static_resources.clusters.map((cluster: any) => cluster.name)).toEqual(['shop_orders']);
    expect(bootstrap.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address)
      .toEqual({ address: 'orders-headless.shop.svc.cluster.local', port_value: 8080 });
    const route = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0];
    expect(route.match).toEqual({ prefix: '/orders' });
    expect(route.route.retry_policy.retry_on).toBe('connect-failure,refused-stream,reset,5xx');
    const deployment = find(manifests, 'Deployment', 'edge');
    expect(deployment.metadata.namespace).toBe('edge');
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(66);
    expect(find(manifests, 'Service', 'edge').spec.externalTrafficPolicy).toBe('Local');
    expect(find(manifests, 'PodDisruptionBudget', 'edge').spec.maxUnavailable).toBe(1);
    expect(gateway.node.defaultChild).toBe(gateway.workload);
  });

  it('derives the routed service preStop from this gateway', () => {
    const scope = chart();
    const gateway = new HitlessGateway(scope, 'gateway', { name: 'edge', dnsTtl: Duration.seconds(10), dnsRefreshRate: Duration.seconds(2) });
    const orders = new DrainingService(scope, 'orders', { name: 'orders', namespace: 'shop', image: 'example/orders:1', readinessPath: '/ready' });
    const before = orders.budget.keepServingSeconds;
    gateway.addRoute({ prefix: '/', service: orders });
    expect(orders.gatewaysInFront).toEqual([{ gateway: 'Deployment/edge/edge', discovery: { kind: 'dns', propagationSeconds: 1, dnsTtlSeconds: 10, dnsRefreshSeconds: 2, pushSeconds: 0 }, activeHealthCheckIntervalSeconds: 5 }]);
    // 1s propagation + 10s TTL + 2s refresh + 5s margin, instead of the assumed 30s TTL.
    expect(orders.budget.keepServingSeconds).toBe(18);
    expect(before).toBeGreaterThan(18);
  });

  it('passes every invariant, gateway and upstream, once a draining NLB is attached', () => {
    const scope = chart();
    const gateway = new HitlessGateway(scope, 'gateway', { name: 'edge' });
    const orders = new DrainingService(scope, 'orders', { name: 'orders', namespace: 'shop', image: 'example/orders:1', readinessPath: '/ready' });
    const web = new DrainingService(scope, 'web', { name: 'web', namespace: 'shop', image: 'example/web:1', readinessPath: '/healthz', port: 3000 });
    gateway.addRoute({ prefix: '/orders', service: orders });
    gateway.addRoute({ prefix: '/', service: web, idempotent: true });
    gateway.attachLoadBalancer({
      model: { ...assumedLoadBalancer(gateway.serviceObject), unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: gateway.budget.unhealthyDrainingIntervalSeconds },
      serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
    });
    expect(checkGateway(gateway.gatewayModel())).toEqual([]);
    expect(checkTopology({ gateways: [gateway.gatewayModel()], upstreams: [orders.upstreamModel(), web.upstreamModel()] })).toEqual([]);
    const manifests = Testing.synth(scope);
    expectValidKubernetesObjects(manifests);
    expect(find(manifests, 'Service', 'edge').metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' });
  });

  it('renders the budget of a load balancer attached after construction', () => {
    const scope = chart();
    const gateway = new HitlessGateway(scope, 'gateway', { name: 'edge' });
    gateway.attachLoadBalancer({
      model: { ...assumedLoadBalancer(gateway.serviceObject), healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 }, unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 42 },
      serviceAnnotations: {},
    });
    expect(gateway.keepServing.toSeconds()).toBe(17);
    expect(gateway.terminationGracePeriod.toSeconds()).toBe(52);
    expect(gateway.minReady.toSeconds()).toBe(15);
    const deployment = find(Testing.synth(scope), 'Deployment');
    expect(deployment.spec.minReadySeconds).toBe(15);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(52);
    expect(deployment.spec.template.spec.containers[0].lifecycle.preStop.exec.command[2]).toMatch(/^keep_serving=17$/m);
  });

  it('exposes the resolved values', () => {
    const gateway = new HitlessGateway(chart(), 'gateway', { name: 'edge', workload: GatewayWorkload.daemonSet({ hostPort: 80 }), drainTimeout: Duration.seconds(20) });
    expect(gateway.mode).toBe('daemonset');
    expect(gateway.workloadObject).toBe('DaemonSet/edge/edge');
    expect(gateway.serviceObject).toBe('Service/edge/edge');
    expect(gateway.hostPort).toBe(80);
    expect(gateway.trafficPort).toBe(80);
    expect(gateway.httpPort).toBe(8080);
    expect(gateway.adminPort).toBe(9901);
    expect(gateway.healthCheckPath).toBe('/envoy-hc');
    expect(gateway.drainTimeout.toSeconds()).toBe(20);
    expect(gateway.idleTimeout.toSeconds()).toBe(10);
    expect(gateway.podDisruptionBudget).toBeUndefined();
    expect(gateway.budget.preStopSeconds).toBe(51);
  });

  it('takes every core option by the same name: a new one reaches the plan without touching the face', () => {
    const sameNames: SameKeys<keyof HitlessGatewayProps, keyof GatewayPlanOptions> = true;
    expect(sameNames).toBe(true);
  });

  it('passes cdk8s durations through to core, fractions and nested options included', () => {
    const scope = chart();
    const props: HitlessGatewayProps = {
      name: 'edge',
      drainTimeout: Duration.seconds(40),
      idleTimeout: Duration.millis(12_500),
      keepServing: Duration.seconds(33),
      minReady: Duration.seconds(27),
      dnsRefreshRate: Duration.millis(2_500),
      dnsTtl: Duration.seconds(10),
      connectTimeout: Duration.millis(250),
      activeHealthCheck: { interval: Duration.seconds(3), timeout: Duration.millis(500), unhealthyThreshold: 3 },
      outlierDetection: { baseEjectionTime: Duration.seconds(20), consecutive5xx: 4 },
    };
    const gateway = new HitlessGateway(scope, 'gateway', props);
    const same = new GatewayPlan({
      name: 'edge', namespace: 'edge', drainTimeout: seconds(40), idleTimeout: millis(12_500), keepServing: seconds(33), minReady: seconds(27),
      dnsRefreshRate: millis(2_500), dnsTtl: seconds(10), connectTimeout: millis(250),
      activeHealthCheck: { interval: seconds(3), timeout: millis(500), unhealthyThreshold: 3 }, outlierDetection: { baseEjectionTime: seconds(20), consecutive5xx: 4 },
    });
    expect(Testing.synth(scope)).toEqual(same.objects().all);
    expect(gateway.keepServing.toSeconds()).toBe(33);
    expect(gateway.minReady.toSeconds()).toBe(27);
    expect(gateway.idleTimeout.toMilliseconds()).toBe(12_500);
  });

  it('names a unique default and takes the chart namespace', () => {
    const scope = chart();
    const gateway = new HitlessGateway(scope, 'gateway');
    expect(gateway.name).toMatch(/^test-gateway-[0-9a-f]{8}$/);
    expect(gateway.namespace).toBe('edge');
    expectValidKubernetesObjects(Testing.synth(scope));
  });

  it('synthesizes the shutdown-manager variant', () => {
    const scope = chart();
    const gateway = new HitlessGateway(scope, 'gateway', { name: 'edge', drain: GatewayDrain.envoyGatewayShutdownManager() });
    const manifests = Testing.synth(scope);
    expectValidKubernetesObjects(manifests);
    expect(find(manifests, 'Deployment').spec.template.spec.containers.map((each: any) => each.name)).toEqual(['envoy', 'shutdown-manager']);
    expect(gateway.adminPort).toBe(19000);
  });

  it('throws naming the prop, value and bound: at construction where no load balancer matters, at synth against the assumed one', () => {
    // With no load balancer attached by synth, the assumed AWS NLB refuses it; cdk8s names the construct.
    const unattached = chart();
    new HitlessGateway(unattached, 'gateway', { keepServing: Duration.seconds(5) });
    expect(() => Testing.synth(unattached)).toThrow(/at path 'test\/gateway\/ConfigMap'.*BudgetError: 'keepServing' \(5s\) must be at least the load balancer's detection window \(22s\)/);
    expect(() => new HitlessGateway(chart(), 'gateway', { keepServing: Duration.seconds(5) })).not.toThrow();
    expect(() => new HitlessGateway(chart(), 'gateway', { idleTimeout: Duration.minutes(1) })).toThrow("'idleTimeout' (1m) must be at most 'drainTimeout' (30s)");
    const gateway = new HitlessGateway(chart(), 'gateway');
    expect(() => gateway.addRoute({ prefix: '/', service: new DrainingService(chart(), 'svc', { image: 'x', readinessPath: '/ready' }), timeout: Duration.seconds(3) }))
      .toThrow(/^'timeout' \(3s\) must be at least \(retries \+ 1\) × perTryTimeout \+ back-off \(15\.1s\)/);
  });
});
