import { Duration } from '../../../lib/core/duration';
import { gatewayBootstrap } from '../../../lib/core/envoy/bootstrap';
import { resolveCluster } from '../../../lib/core/envoy/cluster';
import { envoyModelFromBootstrap, serviceOfDnsName } from '../../../lib/core/envoy/envoy-model';
import { resolveRoute } from '../../../lib/core/envoy/route';
import { sampleBootstrap } from '../../support/envoy';

describe('envoyModelFromBootstrap', () => {
  const bootstrap = gatewayBootstrap({
    healthCheckPath: '/envoy-hc',
    idleTimeout: Duration.seconds(15),
    httpPort: 8080,
    https: { port: 8443, files: { certificateChain: '/c', privateKey: '/k' } },
    clusters: [resolveCluster({ name: 'shop_orders', dnsName: 'orders-headless.shop.svc.cluster.local', port: 8080, healthCheckPath: '/ready', dnsRefreshRate: Duration.seconds(3) })],
    routes: [resolveRoute({ name: 'orders', cluster: 'shop_orders', prefix: '/', retries: 3, perTryTimeout: Duration.seconds(2) })],
  });

  it('reads back admin, health-check path, clusters and routes', () => {
    const model = envoyModelFromBootstrap(bootstrap, { object: 'ConfigMap/edge/gw-envoy' });
    expect(model.object).toBe('ConfigMap/edge/gw-envoy');
    expect(model.adminAddress).toBe('127.0.0.1');
    expect(model.healthCheckPath).toBe('/envoy-hc');
    expect(model.clusters).toEqual([{
      name: 'shop_orders',
      discovery: { kind: 'dns', propagationSeconds: 1, dnsTtlSeconds: 30, dnsRefreshSeconds: 3, pushSeconds: 0 },
      service: 'Service/shop/orders-headless',
      activeHealthCheck: { intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' },
      outlierDetection: { consecutive5xx: 5, baseEjectionSeconds: 30, maxEjectionPercent: 50 },
      ignoreHealthOnHostRemoval: true,
    }]);
    // Both listeners share the route configuration: the route counts once.
    expect(model.routes).toEqual([{
      name: 'orders',
      cluster: 'shop_orders',
      retryOn: ['connect-failure', 'refused-stream', 'reset'],
      numRetries: 3,
      previousHosts: true,
      hostSelectionRetryMaxAttempts: 3,
      perTryTimeoutSeconds: 2,
      timeoutSeconds: 8.275,
    }]);
  });

  it('takes the Kubernetes side of discovery from the options', () => {
    const model = envoyModelFromBootstrap(bootstrap, { object: 'x', discovery: { dnsTtlSeconds: 5 } });
    expect(model.clusters[0].discovery).toEqual({ kind: 'dns', propagationSeconds: 1, dnsTtlSeconds: 5, dnsRefreshSeconds: 3, pushSeconds: 0 });
  });

  it('reads a bootstrap written by hand the same way', () => {
    const model = envoyModelFromBootstrap(sampleBootstrap(), { object: 'x' });
    expect(model.clusters[0]).toMatchObject({ name: 'web', service: 'Service/default/web', ignoreHealthOnHostRemoval: true });
    expect(model.routes[0]).toMatchObject({ name: 'route-0', cluster: 'web', numRetries: 2, previousHosts: true, timeoutSeconds: 15 });
  });
});

describe('serviceOfDnsName', () => {
  it('names the Service of a cluster DNS name, and nothing for other hosts', () => {
    expect(serviceOfDnsName('orders-headless.shop.svc.cluster.local')).toBe('Service/shop/orders-headless');
    expect(serviceOfDnsName('orders.shop.svc')).toBe('Service/shop/orders');
    expect(serviceOfDnsName('example.com')).toBeUndefined();
  });
});
