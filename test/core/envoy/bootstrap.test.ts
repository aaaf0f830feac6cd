import { Duration } from '../../../lib/core/duration';
import { gatewayBootstrap, GatewayBootstrapOptions } from '../../../lib/core/envoy/bootstrap';
import { resolveCluster } from '../../../lib/core/envoy/cluster';
import { resolveRoute } from '../../../lib/core/envoy/route';
import { expectValidBootstrap } from '../../support/envoy';

function options(overrides: Partial<GatewayBootstrapOptions> = {}): GatewayBootstrapOptions {
  return {
    healthCheckPath: '/envoy-hc',
    idleTimeout: Duration.seconds(15),
    httpPort: 8080,
    clusters: [
      resolveCluster({ name: 'shop_orders', dnsName: 'orders-headless.shop.svc.cluster.local', port: 8080, healthCheckPath: '/ready' }),
      resolveCluster({ name: 'shop_carts', dnsName: 'carts-headless.shop.svc.cluster.local', port: 9000, healthCheckPath: '/healthz' }),
    ],
    routes: [
      resolveRoute({ name: 'orders', cluster: 'shop_orders', prefix: '/orders', idempotent: true }),
      resolveRoute({ name: 'carts', cluster: 'shop_carts', prefix: '/' }),
    ],
    ...overrides,
  };
}

function manager(listener: any): any {
  return listener.filter_chains[0].filters[0].typed_config;
}

describe('gatewayBootstrap', () => {
  it('is a valid Envoy v3 bootstrap', () => {
    expectValidBootstrap(gatewayBootstrap(options()));
  });

  it('binds the admin API to loopback only', () => {
    const bootstrap = gatewayBootstrap(options()) as any;
    expect(bootstrap.admin).toEqual({ address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } });
    expect((gatewayBootstrap(options({ adminPort: 19000 })) as any).admin.address.socket_address.port_value).toBe(19000);
  });

  it('serves HTTP on one listener that drains on a failed health check', () => {
    const bootstrap = gatewayBootstrap(options()) as any;
    const listeners = bootstrap.static_resources.listeners;
    expect(listeners).toHaveLength(1);
    expect(listeners[0]).toMatchObject({ name: 'http', address: { socket_address: { address: '0.0.0.0', port_value: 8080 } }, drain_type: 'DEFAULT' });
    expect(listeners[0].filter_chains[0].transport_socket).toBeUndefined();
  });

  it('answers health checks before routing, from Envoy itself', () => {
    const hcm = manager((gatewayBootstrap(options()) as any).static_resources.listeners[0]);
    expect(hcm.http_filters.map((filter: any) => filter.name)).toEqual(['envoy.filters.http.health_check', 'envoy.filters.http.router']);
    expect(hcm.http_filters[0].typed_config).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.health_check.v3.HealthCheck',
      pass_through_mode: false,
      headers: [{ name: ':path', string_match: { exact: '/envoy-hc' } }],
    });
    expect(hcm.stat_prefix).toBe('ingress_http');
    expect(hcm.common_http_protocol_options.idle_timeout).toBe('15s');
    expect(hcm.use_remote_address).toBe(true);
  });

  it('keeps the routes in the order given, in one catch-all virtual host', () => {
    const hcm = manager((gatewayBootstrap(options()) as any).static_resources.listeners[0]);
    expect(hcm.route_config.virtual_hosts).toHaveLength(1);
    expect(hcm.route_config.virtual_hosts[0].domains).toEqual(['*']);
    expect(hcm.route_config.virtual_hosts[0].routes.map((route: any) => [route.name, route.match, route.route.cluster])).toEqual([
      ['orders', { prefix: '/orders' }, 'shop_orders'],
      ['carts', { prefix: '/' }, 'shop_carts'],
    ]);
  });

  it('defines one cluster per upstream', () => {
    const clusters = (gatewayBootstrap(options()) as any).static_resources.clusters;
    expect(clusters.map((cluster: any) => [cluster.name, cluster.type, cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address])).toEqual([
      ['shop_orders', 'STRICT_DNS', { address: 'orders-headless.shop.svc.cluster.local', port_value: 8080 }],
      ['shop_carts', 'STRICT_DNS', { address: 'carts-headless.shop.svc.cluster.local', port_value: 9000 }],
    ]);
  });

  it('adds an HTTPS listener with certificates from files when TLS is given', () => {
    const bootstrap = gatewayBootstrap(options({ https: { port: 8443, files: { certificateChain: '/etc/envoy/tls/tls.crt', privateKey: '/etc/envoy/tls/tls.key' } } })) as any;
    expectValidBootstrap(bootstrap);
    const [http, https] = bootstrap.static_resources.listeners;
    expect(http.name).toBe('http');
    expect(https).toMatchObject({ name: 'https', address: { socket_address: { port_value: 8443 } }, drain_type: 'DEFAULT' });
    expect(manager(https).stat_prefix).toBe('ingress_https');
    expect(manager(https).route_config).toEqual(manager(http).route_config);
    expect(https.filter_chains[0].transport_socket).toEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
        common_tls_context: {
          alpn_protocols: ['h2', 'http/1.1'],
          tls_certificates: [{ certificate_chain: { filename: '/etc/envoy/tls/tls.crt' }, private_key: { filename: '/etc/envoy/tls/tls.key' } }],
        },
      },
    });
  });

  it('is valid with no routes yet', () => {
    expectValidBootstrap(gatewayBootstrap(options({ clusters: [], routes: [] })));
  });

  it('refuses a route to an undefined cluster', () => {
    expect(() => gatewayBootstrap(options({ clusters: [] }))).toThrow("route 'orders' sends to cluster 'shop_orders', which the bootstrap does not define");
  });
});
