import { gkeLoadBalancerModel } from '../../../lib/core/gke/model';
import {
  gkeNewRequestWindowSeconds, gkeWindowEndsBy, requestsInFlightAtDetach, requiredConnectionDrainingSeconds, requiredGkeKeepServingSeconds, solveConnectionDrainingSeconds,
} from '../../../lib/core/timing/gke';
import { newConnectionWindowSeconds, requiredKeepServingSeconds } from '../../../lib/core/timing/windows';

const ingressDefault = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'ingress', healthCheck: { intervalSeconds: 15, timeoutSeconds: 15, healthyThreshold: 1, unhealthyThreshold: 2 } });
const fast = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'gateway', healthCheck: { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 } });
const asGke = (model: typeof fast) => model as typeof fast & { gke: NonNullable<typeof fast.gke> };

describe('the new-request window behind a GKE load balancer', () => {
  test('is the NEG detach when the health check is slower (Ingress defaults: 45 s > 40 s)', () => {
    expect(gkeNewRequestWindowSeconds(asGke(ingressDefault))).toBe(40);
    expect(gkeWindowEndsBy(asGke(ingressDefault))).toBe('neg-detach');
  });

  test('is the health check when it fails the draining gateway sooner (5/5/2/2: 15 s < 40 s)', () => {
    expect(gkeNewRequestWindowSeconds(asGke(fast))).toBe(15);
    expect(gkeWindowEndsBy(asGke(fast))).toBe('health-check');
  });

  test('is the NEG detach whatever the health check when it does not see the drain', () => {
    expect(gkeNewRequestWindowSeconds(asGke(fast), false)).toBe(40);
  });

  test('is the node health check window for l4 with externalTrafficPolicy Local, kube-proxy propagation with Cluster', () => {
    const local = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'l4', healthCheck: { intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 } });
    const cluster = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'l4', externalTrafficPolicy: 'Cluster', healthCheck: { intervalSeconds: 8, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 3 } });
    expect(gkeNewRequestWindowSeconds(asGke(local))).toBe(7);
    expect(gkeNewRequestWindowSeconds(asGke(cluster))).toBe(1);
  });

  test('is what the general window and keep-serving bound return for a GKE model (one truth for the solver)', () => {
    expect(newConnectionWindowSeconds(fast)).toBe(15);
    expect(requiredKeepServingSeconds(ingressDefault, 5)).toBe(requiredGkeKeepServingSeconds(asGke(ingressDefault), true, 5));
  });
});

describe('connection draining behind a GKE NEG', () => {
  test('must cover the drain plus margin, rounded up', () => {
    expect(requiredConnectionDrainingSeconds(15, 5)).toBe(20);
    expect(requiredConnectionDrainingSeconds(15.2, 5)).toBe(21);
  });

  test('an override shorter than that is refused naming prop, value and bound', () => {
    expect(() => solveConnectionDrainingSeconds(15, 10, 'drainingTimeoutSec')).toThrow("'drainingTimeoutSec' (10s) must be at least the gateway's drain plus margin (20s)");
    expect(solveConnectionDrainingSeconds(15, 60)).toBe(60);
  });

  test('decides the fate of requests only when the pod still serves at the detach and the health check has not stopped new requests before', () => {
    expect(requestsInFlightAtDetach(asGke(ingressDefault), 60)).toBe(true);
    expect(requestsInFlightAtDetach(asGke(ingressDefault), 30)).toBe(false);
    expect(requestsInFlightAtDetach(asGke(fast), 60)).toBe(false);
    expect(requestsInFlightAtDetach(asGke(fast), 60, false)).toBe(true);
  });
});
