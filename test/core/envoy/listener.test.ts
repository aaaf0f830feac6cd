import { Duration } from '../../../lib/core/duration';
import { healthCheckFilter, httpListener, routeConfiguration, routerFilter } from '../../../lib/core/envoy/listener';
import { expectValidEnvoyMessage } from '../../support/envoy';

describe('httpListener', () => {
  const listener = httpListener({ name: 'http', port: 8080, healthCheckPath: '/hc', idleTimeout: Duration.seconds(15), routes: [] }) as any;

  it('is a valid Envoy Listener that drains on a failed health check', () => {
    expectValidEnvoyMessage('envoy.config.listener.v3.Listener', listener);
    expect(listener.drain_type).toBe('DEFAULT');
    expect(listener.address).toEqual({ socket_address: { address: '0.0.0.0', port_value: 8080 } });
  });

  it('closes idle downstream connections after the idle timeout', () => {
    expect(listener.filter_chains[0].filters[0].typed_config.common_http_protocol_options.idle_timeout).toBe('15s');
  });
});

describe('filters', () => {
  it('answers the health check path itself, never passing it through', () => {
    expectValidEnvoyMessage('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', healthCheckFilter('/hc'));
    expect((healthCheckFilter('/hc').typed_config as any).pass_through_mode).toBe(false);
    expectValidEnvoyMessage('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter', routerFilter());
  });

  it('routes from one catch-all virtual host', () => {
    expectValidEnvoyMessage('envoy.config.route.v3.RouteConfiguration', routeConfiguration([]));
  });
});
