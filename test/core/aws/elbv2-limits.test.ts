import { ELBV2_LIMITS, Elbv2LimitError, checkElbv2Range, checkHealthCheckPath, checkSuccessCodes, checkTimeoutWithinInterval } from '../../../lib/core/aws/elbv2-limits';

function errorOf(fn: () => unknown): Elbv2LimitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof Elbv2LimitError) return error;
    throw error;
  }
  throw new Error('expected an Elbv2LimitError');
}

describe('checkElbv2Range', () => {
  const cases: [keyof typeof ELBV2_LIMITS, number, number][] = [
    ['healthCheckIntervalSeconds', 5, 300],
    ['healthCheckTimeoutSeconds', 2, 120],
    ['healthyThreshold', 2, 10],
    ['unhealthyThreshold', 2, 10],
    ['deregistrationDelaySeconds', 0, 3600],
    ['unhealthyDrainingIntervalSeconds', 0, 360000],
  ];

  test.each(cases)('%s accepts its bounds %d and %d', (limit, min, max) => {
    expect(checkElbv2Range(limit, min, ELBV2_LIMITS[limit])).toBe(min);
    expect(checkElbv2Range(limit, max, ELBV2_LIMITS[limit])).toBe(max);
  });

  test.each(cases)('%s refuses %d - 1 and %d + 1, naming the prop, the value and the range', (limit, min, max) => {
    for (const value of [min - 1, max + 1]) {
      const error = errorOf(() => checkElbv2Range('someProp', value, ELBV2_LIMITS[limit]));
      expect(error.prop).toBe('someProp');
      expect(error.message).toContain(`'someProp'`);
      expect(error.message).toContain(String(value));
      expect(error.message).toContain(String(min));
      expect(error.message).toContain(String(max));
    }
  });

  test('refuses fractions rather than rounding them', () => {
    expect(() => checkElbv2Range('healthCheckInterval', 7.5, ELBV2_LIMITS.healthCheckIntervalSeconds)).toThrow(/'healthCheckInterval' \(7.5s\) must be a whole number between 5s and 300s/);
  });
});

describe('checkTimeoutWithinInterval', () => {
  test('accepts a timeout equal to the interval (NLB; the controller default is 10 s / 10 s)', () => {
    expect(() => checkTimeoutWithinInterval('healthCheckTimeout', 10, 10)).not.toThrow();
  });

  test('fails when the timeout exceeds the interval', () => {
    expect(() => checkTimeoutWithinInterval('healthCheckTimeout', 11, 10)).toThrow(/'healthCheckTimeout' \(11s\) must be at most the health check interval \(10s\)/);
  });
});

describe('checkSuccessCodes', () => {
  test.each(['200', '200-399', '200,202', '200-299,503', '599'])('accepts %s', (codes) => {
    expect(checkSuccessCodes('healthCheckSuccessCodes', codes)).toBe(codes);
  });

  test.each(['199', '600', '200-600', '300-200', 'ok', '', '200,'])('refuses %j, naming the range 200–599', (codes) => {
    const error = errorOf(() => checkSuccessCodes('healthCheckSuccessCodes', codes));
    expect(error.prop).toBe('healthCheckSuccessCodes');
    expect(error.message).toContain('between 200 and 599');
  });
});

describe('checkHealthCheckPath', () => {
  test('accepts an absolute path', () => {
    expect(checkHealthCheckPath('healthCheckPath', '/envoy-hc')).toBe('/envoy-hc');
  });

  test.each([
    ['a relative path', 'envoy-hc'],
    ['white space', '/with space'],
    ['1025 characters', `/${'a'.repeat(1024)}`],
  ])('refuses %s', (_why, path) => {
    expect(() => checkHealthCheckPath('healthCheckPath', path)).toThrow(/'healthCheckPath'/);
  });
});
