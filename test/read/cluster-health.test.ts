import { ENVOY_OUTLIER_DETECTION_DEFAULTS } from '../../lib/core/envoy/defaults';
import { CAMEL_SPELLING, PROTO_SPELLING, readActiveHealthCheck, readOutlierDetection } from '../../lib/read/cluster-health';

describe('reading a cluster\'s health checks in either spelling', () => {
  test('CAMEL_SPELLING spells proto names as Gloo\'s CRDs do', () => {
    expect(['consecutive_5xx', 'base_ejection_time', 'max_ejection_percent', 'healthy_threshold', 'http_health_check'].map(CAMEL_SPELLING))
      .toEqual(['consecutive5xx', 'baseEjectionTime', 'maxEjectionPercent', 'healthyThreshold', 'httpHealthCheck']);
  });

  test('an Envoy health check and a Gloo one with the same values read the same', () => {
    const envoy = readActiveHealthCheck({ interval: '5s', timeout: '1s', healthy_threshold: 1, unhealthy_threshold: { value: 2 }, http_health_check: { path: '/ready' } }, PROTO_SPELLING);
    const gloo = readActiveHealthCheck({ interval: '5s', timeout: '1s', healthyThreshold: 1, unhealthyThreshold: 2, httpHealthCheck: { path: '/ready' } }, CAMEL_SPELLING);
    expect(envoy).toEqual({ intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' });
    expect(gloo).toEqual(envoy);
  });

  test('a health check without an interval or timeout gives no timing; absent thresholds read as one check', () => {
    expect(readActiveHealthCheck({ timeout: '1s', healthy_threshold: 1 }, PROTO_SPELLING)).toBeUndefined();
    expect(readActiveHealthCheck(undefined, PROTO_SPELLING)).toBeUndefined();
    expect(readActiveHealthCheck({ interval: '2s', timeout: '1s' }, PROTO_SPELLING)).toEqual({ intervalSeconds: 2, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 1 });
  });

  test('outlier detection fills the fields it leaves out with Envoy\'s defaults (5, 30 s, 10 %)', () => {
    expect(readOutlierDetection({}, PROTO_SPELLING)).toEqual({ consecutive5xx: 5, baseEjectionSeconds: 30, maxEjectionPercent: 10 });
    expect(readOutlierDetection({ consecutive5xx: 3, baseEjectionTime: '10s', maxEjectionPercent: 50 }, CAMEL_SPELLING)).toEqual({ consecutive5xx: 3, baseEjectionSeconds: 10, maxEjectionPercent: 50 });
    expect(readOutlierDetection({ consecutive5xx: 3 }, PROTO_SPELLING)).toEqual({ consecutive5xx: ENVOY_OUTLIER_DETECTION_DEFAULTS.consecutive5xx, baseEjectionSeconds: 30, maxEjectionPercent: 10 });
    expect(readOutlierDetection(undefined, CAMEL_SPELLING)).toBeUndefined();
  });
});
