import { Duration } from '../../../lib/core/duration';
import { glooEdsDiscovery, glooUpstream, planGlooUpstream } from '../../../lib/core/gloo/upstream';
import { requireObjectRef } from '../../../lib/core/object-ref';
import { discoveryDelaySeconds } from '../../../lib/core/timing/windows';
import { describeWithCrds, validateCustomResource } from '../../support/crd-schema';

const orders = { serviceObject: 'Service/shop/orders', port: 8080, healthCheckPath: '/ready' };

describe('planGlooUpstream', () => {
  test('points at the ClusterIP Service and health-checks its readiness path', () => {
    const plan = planGlooUpstream({ service: orders });
    expect(plan).toMatchObject({ name: 'hitless-shop-orders-8080', namespace: 'gloo-system', serviceName: 'orders', serviceNamespace: 'shop', servicePort: 8080, healthCheckPath: '/ready' });
    expect(plan.healthCheck).toEqual({ intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 });
  });

  test('fails when the health-check timeout is not shorter than the interval', () => {
    expect(() => planGlooUpstream({ service: orders, healthCheck: { interval: Duration.seconds(2), timeout: Duration.seconds(2) } }))
      .toThrow("'healthCheck.timeout' (2s) must be shorter than 'healthCheck.interval' (2s)");
  });

  test('fails on thresholds below 1 and ejection percentages beyond 100', () => {
    expect(() => planGlooUpstream({ service: orders, healthCheck: { unhealthyThreshold: 0 } })).toThrow("'healthCheck.unhealthyThreshold' (0)");
    expect(() => planGlooUpstream({ service: orders, outlierDetection: { maxEjectionPercent: 120 } })).toThrow("'outlierDetection.maxEjectionPercent' (120)");
  });

  test('fails on a service reference that is not Kind/namespace/name', () => {
    expect(() => requireObjectRef('orders')).toThrow('Kind/namespace/name');
  });
});

describe('glooUpstream', () => {
  test('drops a removed pod even while it passes health checks, and never ejects every pod', () => {
    const spec = glooUpstream(planGlooUpstream({ service: orders })).spec as any;
    expect(spec.ignoreHealthOnHostRemoval).toBe(true);
    expect(spec.outlierDetection.maxEjectionPercent).toBeLessThan(100);
    expect(spec.kube).toEqual({ serviceName: 'orders', serviceNamespace: 'shop', servicePort: 8080 });
  });

  test('checks an idle cluster as often as a busy one, so a new pod is found within one interval', () => {
    const [check] = (glooUpstream(planGlooUpstream({ service: orders, healthCheck: { interval: Duration.seconds(3) } })).spec as any).healthChecks;
    expect(check).toMatchObject({ interval: '3s', noTrafficInterval: '3s', timeout: '1s', httpHealthCheck: { path: '/ready' } });
  });

  test('writes sub-second durations in protobuf JSON form', () => {
    const [check] = (glooUpstream(planGlooUpstream({ service: orders, healthCheck: { timeout: Duration.millis(500) } })).spec as any).healthChecks;
    expect(check.timeout).toBe('0.500s');
  });
});

describe('glooEdsDiscovery', () => {
  test('takes endpoint propagation plus the documented push delay', () => {
    expect(discoveryDelaySeconds(glooEdsDiscovery())).toBe(3);
    expect(discoveryDelaySeconds(glooEdsDiscovery(Duration.seconds(10)))).toBe(11);
  });
});

describeWithCrds('glooUpstream against the gloo.solo.io/v1 Upstream CRD', () => {
  test('is valid with defaults and with every option set', () => {
    expect(validateCustomResource(glooUpstream(planGlooUpstream({ service: orders })))).toEqual([]);
    expect(validateCustomResource(glooUpstream(planGlooUpstream({
      service: orders,
      name: 'orders',
      namespace: 'gloo-system',
      healthCheck: { interval: Duration.seconds(2), timeout: Duration.millis(500), healthyThreshold: 2, unhealthyThreshold: 3 },
      outlierDetection: { consecutive5xx: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.seconds(15), maxEjectionPercent: 30 },
    })))).toEqual([]);
  });
});
