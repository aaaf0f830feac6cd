import { Duration } from '../../../lib/core/duration';
import { GlooEdgeGatewayPlan } from '../../../lib/core/gloo/gloo-edge';
import { assumedLoadBalancer } from '../../../lib/core/load-balancer';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { requiredGatewayMinReadySeconds, requiredGracePeriodSeconds, requiredKeepServingSeconds } from '../../../lib/core/timing/windows';
import { GatewayInFront, RoutableUpstream } from '../../../lib/core/upstream-link';

/** A service that records the gateways registering with it. */
function service(name: string, registered: GatewayInFront[] = []): RoutableUpstream {
  return {
    serviceObject: `Service/shop/${name}`,
    headlessServiceObject: `Service/shop/${name}-headless`,
    headlessDnsName: `${name}-headless.shop.svc.cluster.local`,
    port: 8080,
    healthCheckPath: '/ready',
    registerGateway: (gateway) => registered.push(gateway),
  };
}

const fastNlb = { ...assumedLoadBalancer('Service/gloo-system/gateway-proxy'), healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 } };

describe('GlooEdgeGatewayPlan timings', () => {
  test('the sleep covers the detection window, margin and drain; the grace period covers the sleep', () => {
    const plan = new GlooEdgeGatewayPlan({ drainTimeout: Duration.seconds(10) });
    const lb = plan.loadBalancer;
    expect(plan.sleepTimeSeconds).toBe(requiredKeepServingSeconds(lb) + 10);
    expect(plan.budget.terminationGracePeriodSeconds).toBe(requiredGracePeriodSeconds(plan.sleepTimeSeconds, 0));
    expect(plan.budget.minReadySeconds).toBe(requiredGatewayMinReadySeconds(lb));
    const values = plan.proxyValues();
    expect(values.podTemplate.gracefulShutdown?.sleepTimeSeconds).toBe(plan.sleepTimeSeconds);
    expect(values.podTemplate.terminationGracePeriodSeconds).toBe(plan.budget.terminationGracePeriodSeconds);
    expect((values.kubeResourceOverride as any).spec.minReadySeconds).toBe(plan.budget.minReadySeconds);
  });

  test("the Gloo guide's sleep of 5s can't be set against a 22s detection window", () => {
    expect(() => new GlooEdgeGatewayPlan({ gracefulShutdownSleep: Duration.seconds(5) }))
      .toThrow("'gracefulShutdownSleep' (5s) must be at least the load balancer's detection window (22s): the load balancer marks a target that answers its checks with 503 unhealthy only after 2 × 10s (+ jitter, + kube-proxy learning of it) = 22s");
  });

  test("the Gloo guide's grace period of 7s can't be set either", () => {
    const error = (() => {
      try {
        new GlooEdgeGatewayPlan({ terminationGracePeriod: Duration.seconds(7) });
      } catch (caught) {
        return caught as BudgetError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(BudgetError);
    expect(error.prop).toBe('terminationGracePeriod');
    expect(error.value).toBe('7s');
    expect(error.bound).toBe('at least the whole preStop (46s)');
  });

  test('fails on a minReady shorter than the recovery window', () => {
    expect(() => new GlooEdgeGatewayPlan({ minReady: Duration.seconds(5) })).toThrow("'minReady' (5s) must be at least the load balancer's recovery window less its earliest unhealthy mark (10s)");
  });

  test('fails on a fractional sleep, which the chart cannot take', () => {
    expect(() => new GlooEdgeGatewayPlan({ gracefulShutdownSleep: Duration.millis(31500) })).toThrow("'gracefulShutdownSleep' (31.5s) must be whole seconds");
  });

  test('fails on fewer than 2 replicas', () => {
    expect(() => new GlooEdgeGatewayPlan({ replicas: 1 })).toThrow("'replicas' (1) must be at least 2");
  });

  test('a sleep override long enough is kept as given', () => {
    const plan = new GlooEdgeGatewayPlan({ gracefulShutdownSleep: Duration.seconds(60) });
    expect(plan.sleepTimeSeconds).toBe(60);
    expect(plan.budget.terminationGracePeriodSeconds).toBe(requiredGracePeriodSeconds(60, 0));
  });
});

describe('GlooEdgeGatewayPlan and the load balancer', () => {
  test('re-solves against an attached load balancer and puts its annotations on the Service', () => {
    const plan = new GlooEdgeGatewayPlan();
    const before = plan.sleepTimeSeconds;
    plan.attachLoadBalancer({ model: fastNlb, serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } });
    expect(plan.sleepTimeSeconds).toBe(requiredKeepServingSeconds(fastNlb) + plan.drainTimeout.toSeconds());
    expect(plan.sleepTimeSeconds).toBeLessThan(before);
    expect(plan.proxyValues().service?.extraAnnotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' });
  });

  test('an attachment that breaks an override throws and leaves the gateway as it was', () => {
    const plan = new GlooEdgeGatewayPlan({ gracefulShutdownSleep: Duration.seconds(31) });
    const slow = { ...fastNlb, healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 } };
    expect(() => plan.attachLoadBalancer({ model: slow, serviceAnnotations: { a: 'b' } })).toThrow("'gracefulShutdownSleep' (31s) must be at least the load balancer's detection window (92.5s)");
    expect(plan.loadBalancer.healthCheck.intervalSeconds).toBe(10);
    expect(plan.proxyValues().service?.extraAnnotations).toBeUndefined();
  });

  test('solveBudget answers for a load balancer without attaching it', () => {
    const plan = new GlooEdgeGatewayPlan();
    expect(plan.solveBudget(fastNlb).keepServingSeconds).toBe(requiredKeepServingSeconds(fastNlb) + plan.drainTimeout.toSeconds());
    expect(plan.loadBalancer).not.toBe(fastNlb);
  });

  test('a load balancer made outside Kubernetes leaves a NodePort Service', () => {
    const plan = new GlooEdgeGatewayPlan();
    plan.attachLoadBalancer({ model: fastNlb, serviceAnnotations: {}, serviceTypeLoadBalancer: false });
    expect(plan.proxyValues().service?.type).toBe('NodePort');
  });
});

describe('GlooEdgeGatewayPlan routes', () => {
  test('registers once per service, with EDS discovery and the health-check interval', () => {
    const registered: GatewayInFront[] = [];
    const orders = service('orders', registered);
    const plan = new GlooEdgeGatewayPlan({ discoveryPushDelay: Duration.seconds(4) });
    plan.addRoute({ prefix: '/orders', service: orders });
    plan.addRoute({ prefix: '/orders-v1', service: orders });
    expect(registered).toEqual([{ gateway: 'Deployment/gloo-system/gateway-proxy', discovery: { kind: 'eds', propagationSeconds: 1, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 4 }, activeHealthCheckIntervalSeconds: 5 }]);
    expect(plan.upstreams()).toHaveLength(1);
    expect((plan.virtualService()!.spec as any).virtualHost.routes).toHaveLength(2);
  });

  test('does not register when the route is refused', () => {
    const registered: GatewayInFront[] = [];
    const plan = new GlooEdgeGatewayPlan();
    expect(() => plan.addRoute({ prefix: '/', service: service('orders', registered), perTryTimeout: Duration.seconds(5), timeout: Duration.seconds(5) })).toThrow(BudgetError);
    expect(registered).toEqual([]);
    expect(plan.upstreams()).toEqual([]);
  });

  test('fails on a prefix routed twice', () => {
    const plan = new GlooEdgeGatewayPlan();
    plan.addRoute({ prefix: '/', service: service('a') });
    expect(() => plan.addRoute({ prefix: '/', service: service('b') })).toThrow("'prefix' (/) is routed already");
  });

  test('a DaemonSet proxy registers as a DaemonSet and binds the HTTP port on the node', () => {
    const registered: GatewayInFront[] = [];
    const plan = new GlooEdgeGatewayPlan({ mode: 'daemonset' });
    plan.addRoute({ prefix: '/', service: service('orders', registered) });
    expect(registered[0].gateway).toBe('DaemonSet/gloo-system/gateway-proxy');
    expect(plan.hostPort).toBe(8080);
  });

  test('has no VirtualService until a route is added', () => {
    expect(new GlooEdgeGatewayPlan().virtualService()).toBeUndefined();
  });
});
