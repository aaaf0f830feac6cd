import { Duration } from '../../../lib/core/duration';
import { clusterHealthCheckTiming, envoyCluster, envoyClusterModel, resolveCluster } from '../../../lib/core/envoy/cluster';
import { defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { expectValidEnvoyMessage } from '../../support/envoy';

const base = { name: 'shop_orders', dnsName: 'orders-headless.shop.svc.cluster.local', port: 8080, healthCheckPath: '/ready' };

describe('envoyCluster', () => {
  it('resolves the headless Service by STRICT_DNS, health-checks it and lets removed hosts go', () => {
    const json = envoyCluster(resolveCluster(base)) as any;
    expectValidEnvoyMessage('envoy.config.cluster.v3.Cluster', json);
    expect(json).toMatchObject({
      name: 'shop_orders',
      type: 'STRICT_DNS',
      connect_timeout: '1s',
      dns_refresh_rate: '5s',
      respect_dns_ttl: false,
      ignore_health_on_host_removal: true,
    });
    expect(json.load_assignment).toEqual({
      cluster_name: 'shop_orders',
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'orders-headless.shop.svc.cluster.local', port_value: 8080 } } } }] }],
    });
    expect(json.health_checks).toEqual([{ timeout: '1s', interval: '5s', no_traffic_interval: '5s', unhealthy_threshold: 2, healthy_threshold: 1, http_health_check: { path: '/ready' } }]);
    expect(json.outlier_detection).toEqual({ consecutive_5xx: 5, base_ejection_time: '30s', max_ejection_percent: 50 });
  });

  it('takes the timings given', () => {
    const resolved = resolveCluster({
      ...base,
      dnsRefreshRate: Duration.seconds(2),
      connectTimeout: Duration.millis(500),
      activeHealthCheck: { interval: Duration.seconds(3), timeout: Duration.millis(750), unhealthyThreshold: 3, healthyThreshold: 2 },
      outlierDetection: { consecutive5xx: 3, baseEjectionTime: Duration.seconds(10), maxEjectionPercent: 34 },
    });
    const json = envoyCluster(resolved) as any;
    expectValidEnvoyMessage('envoy.config.cluster.v3.Cluster', json);
    expect(json.connect_timeout).toBe('0.500s');
    expect(json.dns_refresh_rate).toBe('2s');
    expect(json.health_checks[0]).toMatchObject({ timeout: '0.750s', interval: '3s', unhealthy_threshold: 3, healthy_threshold: 2 });
    expect(json.outlier_detection).toEqual({ consecutive_5xx: 3, base_ejection_time: '10s', max_ejection_percent: 34 });
    expect(clusterHealthCheckTiming(resolved)).toEqual({ intervalSeconds: 3, timeoutSeconds: 0.75, healthyThreshold: 2, unhealthyThreshold: 3 });
  });

  it('refuses values Envoy rejects or that defeat the checks, naming the prop', () => {
    expect(() => resolveCluster({ ...base, activeHealthCheck: { interval: Duration.seconds(1), timeout: Duration.seconds(2) } })).toThrow("'activeHealthCheck.timeout' (2s) must be at most 'activeHealthCheck.interval' (1s)");
    expect(() => resolveCluster({ ...base, activeHealthCheck: { unhealthyThreshold: 0 } })).toThrow("'activeHealthCheck.unhealthyThreshold' (0) must be a whole number from 1");
    expect(() => resolveCluster({ ...base, outlierDetection: { maxEjectionPercent: 101 } })).toThrow("'outlierDetection.maxEjectionPercent' (101)");
    expect(() => resolveCluster({ ...base, connectTimeout: Duration.ZERO })).toThrow("'connectTimeout' (0s) must be at least 1ms");
    expect(() => resolveCluster({ ...base, healthCheckPath: 'ready' })).toThrow(`'healthCheckPath' ("ready") of shop_orders must start with '/'`);
    expect(() => resolveCluster({ ...base, port: 70000 })).toThrow("'port' (70000)");
    expect(() => resolveCluster({ ...base, name: 'shop/orders' })).toThrow('cluster name ("shop/orders")');
  });
});

describe('envoyClusterModel', () => {
  it('models what envoyCluster emits: DNS discovery at its refresh rate, its health checks and outliers', () => {
    const cluster = resolveCluster({ ...base, dnsRefreshRate: Duration.seconds(3) });
    expect(envoyClusterModel(cluster, defaultDnsDiscovery({ dnsTtlSeconds: 5 }), 'Service/shop/orders-headless')).toEqual({
      name: 'shop_orders',
      discovery: { kind: 'dns', propagationSeconds: 1, dnsTtlSeconds: 5, dnsRefreshSeconds: 3, pushSeconds: 0 },
      service: 'Service/shop/orders-headless',
      activeHealthCheck: { intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' },
      outlierDetection: { consecutive5xx: 5, baseEjectionSeconds: 30, maxEjectionPercent: 50 },
      ignoreHealthOnHostRemoval: true,
    });
  });

  it('names no Service when none is given', () => {
    expect(envoyClusterModel(resolveCluster(base), defaultDnsDiscovery())).not.toHaveProperty('service');
  });
});
