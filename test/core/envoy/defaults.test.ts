import { envoyCluster, resolveCluster } from '../../../lib/core/envoy/cluster';
import { ENVOY_OUTLIER_DETECTION_DEFAULTS, HITLESS_HEALTH_CHECK_DEFAULTS, HITLESS_OUTLIER_DETECTION_DEFAULTS } from '../../../lib/core/envoy/defaults';
import { glooUpstream, planGlooUpstream } from '../../../lib/core/gloo/upstream';
import { readManifestObjects } from '../../../lib/read';

describe('one home for cluster defaults', () => {
  test('hitless ejects up to half the pods, not Envoy\'s 10 %, and otherwise keeps Envoy\'s outlier numbers', () => {
    expect(ENVOY_OUTLIER_DETECTION_DEFAULTS).toMatchObject({ consecutive5xx: 5, intervalSeconds: 10, baseEjectionSeconds: 30, maxEjectionPercent: 10 });
    expect(HITLESS_OUTLIER_DETECTION_DEFAULTS.maxEjectionPercent).toBe(50);
    expect(HITLESS_OUTLIER_DETECTION_DEFAULTS.consecutive5xx).toBe(ENVOY_OUTLIER_DETECTION_DEFAULTS.consecutive5xx);
    expect(HITLESS_OUTLIER_DETECTION_DEFAULTS.baseEjectionTime.toSeconds()).toBe(ENVOY_OUTLIER_DETECTION_DEFAULTS.baseEjectionSeconds);
  });

  test('the Envoy cluster and the Gloo Upstream hitless emits carry the same health check and outlier defaults', () => {
    const cluster = envoyCluster(resolveCluster({ name: 'orders', dnsName: 'orders.shop.svc.cluster.local', port: 8080, healthCheckPath: '/ready' }));
    const upstream = glooUpstream(planGlooUpstream({ service: { serviceObject: 'Service/shop/orders', port: 8080, healthCheckPath: '/ready' } }));
    const [check] = cluster.health_checks as Record<string, unknown>[];
    const spec = upstream.spec as { healthChecks: Record<string, unknown>[]; outlierDetection: Record<string, unknown> };
    expect(check).toMatchObject({ interval: '5s', timeout: '1s', unhealthy_threshold: HITLESS_HEALTH_CHECK_DEFAULTS.unhealthyThreshold, healthy_threshold: HITLESS_HEALTH_CHECK_DEFAULTS.healthyThreshold });
    expect(spec.healthChecks[0]).toMatchObject({ interval: '5s', timeout: '1s', unhealthyThreshold: 2, healthyThreshold: 1 });
    expect(cluster.outlier_detection).toEqual({ consecutive_5xx: 5, base_ejection_time: '30s', max_ejection_percent: 50 });
    expect(spec.outlierDetection).toMatchObject({ consecutive5xx: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
  });

  test('what hitless emits reads back as what it planned', () => {
    const upstream = glooUpstream(planGlooUpstream({ service: { serviceObject: 'Service/shop/orders', port: 8080, healthCheckPath: '/ready' } }));
    const { findings } = readManifestObjects([upstream]);
    expect(findings).toEqual([]);
  });
});
