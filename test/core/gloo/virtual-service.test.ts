import { Duration } from '../../../lib/core/duration';
import { glooVirtualService, planGlooRoute, timeoutCoveringRetries } from '../../../lib/core/gloo/virtual-service';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { checkRetries } from '../../../lib/core/timing/invariants';
import { describeWithCrds, validateCustomResource } from '../../support/crd-schema';

const upstream = { name: 'hitless-shop-orders-8080', namespace: 'gloo-system' };

describe('planGlooRoute', () => {
  test('retries what a rollout leaves behind, and 5xx only on idempotent routes', () => {
    expect(planGlooRoute({ prefix: '/orders', upstream }).retryOn).toEqual(['connect-failure', 'refused-stream', 'reset']);
    expect(planGlooRoute({ prefix: '/orders', upstream, idempotent: true }).retryOn).toEqual(['connect-failure', 'refused-stream', 'reset', '5xx']);
  });

  test('derives a route timeout that lets every retry run to its per-try timeout', () => {
    const route = planGlooRoute({ prefix: '/', upstream, numRetries: 2, perTryTimeout: Duration.seconds(4) });
    expect(route.timeout.toMilliseconds()).toBe(3 * 4000 + 2 * 250);
    expect(route.timeout).toEqual(timeoutCoveringRetries(Duration.seconds(4), 2));
  });

  test('fails when a timeout override cuts the retries short, naming prop, value and bound', () => {
    expect(() => planGlooRoute({ prefix: '/', upstream, numRetries: 3, perTryTimeout: Duration.seconds(3), timeout: Duration.seconds(5) }))
      .toThrow("'timeout' (5s) must be at least perTryTimeout × (numRetries + 1) plus back-off (12.75s): the route gives up before its 3 retries of 3s each have run");
  });

  test('fails without retries', () => {
    expect(() => planGlooRoute({ prefix: '/', upstream, numRetries: 0 })).toThrow(BudgetError);
  });

  test('fails on a prefix that is not a path', () => {
    expect(() => planGlooRoute({ prefix: 'orders', upstream })).toThrow("'prefix' (orders) must start with '/'");
  });
});

describe('glooVirtualService', () => {
  const vs = glooVirtualService({ name: 'edge', routes: [planGlooRoute({ prefix: '/', upstream }), planGlooRoute({ prefix: '/orders/v2', upstream: { ...upstream, name: 'v2' } })] });

  test('orders routes longest prefix first, since Gloo matches in order', () => {
    expect((vs.spec as any).virtualHost.routes.map((route: any) => route.matchers[0].prefix)).toEqual(['/orders/v2', '/']);
  });

  test('routes to the Upstream with the retry policy, and sets no retry host predicate (Gloo has none)', () => {
    const route = (vs.spec as any).virtualHost.routes[1];
    expect(route.routeAction).toEqual({ single: { upstream } });
    expect(route.options.retries).toEqual({ retryOn: 'connect-failure,refused-stream,reset', numRetries: 3, perTryTimeout: '15s' });
    expect(JSON.stringify(vs)).not.toMatch(/previous|HostPredicate/i);
  });

  test('satisfies the retries invariant except for the host predicate Gloo cannot set', () => {
    const plan = planGlooRoute({ prefix: '/', upstream });
    const findings = checkRetries('Deployment/gloo-system/gateway-proxy', { name: 'r', cluster: 'c', retryOn: plan.retryOn, numRetries: plan.numRetries, previousHosts: false, hostSelectionRetryMaxAttempts: 1 });
    expect(findings.map((each) => [each.rule, each.severity])).toEqual([['retry-may-pick-same-host', 'warning']]);
  });
});

describeWithCrds('glooVirtualService against the gateway.solo.io/v1 VirtualService CRD', () => {
  test('is valid', () => {
    expect(validateCustomResource(glooVirtualService({ name: 'edge', domains: ['shop.example.com'], routes: [planGlooRoute({ prefix: '/', upstream, idempotent: true, perTryTimeout: Duration.millis(2500) })] }))).toEqual([]);
  });
});
