import { EnvoyRouteModel } from '../../lib/core/model';
import { retries } from '../../lib/simulate/envoy';

const route = (retryOn: string[], numRetries = 1): EnvoyRouteModel => ({ name: 'r', cluster: 'c', retryOn, numRetries, previousHosts: true, hostSelectionRetryMaxAttempts: 3 });

describe("retries follows Envoy's RetryStateImpl::wouldRetryFromReset", () => {
  test.each([
    [['connect-failure'], true, false],
    [['reset'], true, true],
    [['reset-before-request'], true, false],
    [['5xx'], true, true],
    [['gateway-error'], true, true],
    [['refused-stream'], false, false],
    [['retriable-4xx'], false, false],
  ])('retry_on %j: connect failure %s, reset after the request went out %s', (retryOn, connectFailure, reset) => {
    expect(retries(route(retryOn), 'connect-failure')).toBe(connectFailure);
    expect(retries(route(retryOn), 'reset')).toBe(reset);
  });

  test('num_retries 0 retries nothing, whatever retry_on says', () => {
    expect(retries(route(['reset', '5xx'], 0), 'connect-failure')).toBe(false);
    expect(retries(undefined, 'reset')).toBe(false);
  });
});
