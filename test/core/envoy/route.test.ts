import { Duration } from '../../../lib/core/duration';
import { envoyRoute, envoyRouteModel, maxRetryBackOff, minimumRouteTimeout, resolveRoute } from '../../../lib/core/envoy/route';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { checkRetries } from '../../../lib/core/timing/invariants';
import { expectValidEnvoyMessage } from '../../support/envoy';

const base = { name: 'orders', cluster: 'shop_orders', prefix: '/orders' };

describe('maxRetryBackOff', () => {
  it('sums the jittered exponential ceilings, (2^k - 1) x 25ms, capped at 250ms each', () => {
    expect(maxRetryBackOff(0).toMilliseconds()).toBe(0);
    expect(maxRetryBackOff(1).toMilliseconds()).toBe(25);
    expect(maxRetryBackOff(2).toMilliseconds()).toBe(25 + 75);
    expect(maxRetryBackOff(4).toMilliseconds()).toBe(25 + 75 + 175 + 250);
    expect(maxRetryBackOff(5).toMilliseconds()).toBe(25 + 75 + 175 + 250 + 250);
  });
});

describe('resolveRoute', () => {
  it('retries the rollout races on another host by default, with a timeout covering every try', () => {
    const route = resolveRoute(base);
    expect(route.retryOn).toEqual(['connect-failure', 'refused-stream', 'reset']);
    expect(route.numRetries).toBe(2);
    expect(route.perTryTimeout.toSeconds()).toBe(5);
    // 3 tries x 5s + 25ms + 75ms of back-off
    expect(route.timeout.toMilliseconds()).toBe(15_100);
    expect(route.hostSelectionRetryMaxAttempts).toBe(3);
    expect(route.match).toEqual({ prefix: '/orders' });
  });

  it('adds 5xx and retriable status codes only on idempotent routes', () => {
    expect(resolveRoute({ ...base, idempotent: true }).retryOn).toEqual(['connect-failure', 'refused-stream', 'reset', '5xx']);
    const withCodes = resolveRoute({ ...base, idempotent: true, retriableStatusCodes: [409] });
    expect(withCodes.retryOn).toEqual(['connect-failure', 'refused-stream', 'reset', '5xx', 'retriable-status-codes']);
    expect(withCodes.retriableStatusCodes).toEqual([409]);
    expect(() => resolveRoute({ ...base, retriableStatusCodes: [503] })).toThrow("'retriableStatusCodes' (503) must be empty unless 'idempotent' is true");
  });

  it('derives the timeout from the retries and per-try timeout given', () => {
    const route = resolveRoute({ ...base, retries: 3, perTryTimeout: Duration.seconds(2) });
    expect(route.timeout.toMilliseconds()).toBe(minimumRouteTimeout(3, Duration.seconds(2)).toMilliseconds());
    expect(route.timeout.toMilliseconds()).toBe(4 * 2000 + 25 + 75 + 175);
  });

  it('refuses a timeout that cannot hold every try, naming prop, value and bound', () => {
    let error: unknown;
    try {
      resolveRoute({ ...base, timeout: Duration.seconds(10) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BudgetError);
    expect((error as BudgetError).message).toMatch(/^'timeout' \(10s\) must be at least \(retries \+ 1\) × perTryTimeout \+ back-off \(15\.1s\)/);
    expect(resolveRoute({ ...base, timeout: Duration.seconds(20) }).timeout.toSeconds()).toBe(20);
  });

  it('refuses routes that never retry, or match nothing or twice', () => {
    expect(() => resolveRoute({ ...base, retries: 0 })).toThrow("'retries' (0) must be a whole number, at least 1");
    expect(() => resolveRoute({ ...base, perTryTimeout: Duration.ZERO })).toThrow("'perTryTimeout' (0s) must be at least 1ms");
    expect(() => resolveRoute({ name: 'x', cluster: 'c' })).toThrow("route 'x' must set exactly one of 'prefix' and 'path' (got neither)");
    expect(() => resolveRoute({ ...base, path: '/x' })).toThrow('(got both)');
    expect(() => resolveRoute({ name: 'x', cluster: 'c', prefix: 'orders' })).toThrow(`'prefix' ("orders") must start with '/'`);
    expect(() => resolveRoute({ ...base, hostSelectionRetryMaxAttempts: 0 })).toThrow("'hostSelectionRetryMaxAttempts' (0)");
  });
});

describe('envoyRoute', () => {
  it('is a valid Envoy Route with the retry policy spelled out', () => {
    const json = envoyRoute(resolveRoute({ ...base, idempotent: true, retriableStatusCodes: [409] })) as any;
    expectValidEnvoyMessage('envoy.config.route.v3.Route', json);
    expect(json.match).toEqual({ prefix: '/orders' });
    expect(json.route.cluster).toBe('shop_orders');
    expect(json.route.timeout).toBe('15.100s');
    expect(json.route.retry_policy).toEqual({
      retry_on: 'connect-failure,refused-stream,reset,5xx,retriable-status-codes',
      num_retries: 2,
      per_try_timeout: '5s',
      retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' } }],
      host_selection_retry_max_attempts: '3',
      retry_back_off: { base_interval: '0.025s', max_interval: '0.250s' },
      retriable_status_codes: [409],
    });
  });

  it('matches an exact path when asked', () => {
    const json = envoyRoute(resolveRoute({ name: 'health', cluster: 'c', path: '/status' })) as any;
    expectValidEnvoyMessage('envoy.config.route.v3.Route', json);
    expect(json.match).toEqual({ path: '/status' });
    expect(json.route.retry_policy.retriable_status_codes).toBeUndefined();
  });

  it('passes the retries invariant', () => {
    const route = resolveRoute(base);
    const findings = checkRetries('ConfigMap/edge/gateway-envoy', {
      name: route.name, cluster: route.cluster, retryOn: route.retryOn, numRetries: route.numRetries, previousHosts: true,
      hostSelectionRetryMaxAttempts: route.hostSelectionRetryMaxAttempts, perTryTimeoutSeconds: route.perTryTimeout.toSeconds(), timeoutSeconds: route.timeout.toSeconds(),
    });
    expect(findings).toEqual([]);
  });
});

describe('envoyRouteModel', () => {
  it('models what envoyRoute emits: its retries, always to another host, and its timeouts', () => {
    const route = resolveRoute({ name: 'orders', cluster: 'shop_orders', prefix: '/', retries: 3, perTryTimeout: Duration.seconds(2) });
    expect(envoyRouteModel(route)).toEqual({
      name: 'orders',
      cluster: 'shop_orders',
      retryOn: ['connect-failure', 'refused-stream', 'reset'],
      numRetries: 3,
      previousHosts: true,
      hostSelectionRetryMaxAttempts: 3,
      perTryTimeoutSeconds: 2,
      timeoutSeconds: 8.275,
    });
  });
});
