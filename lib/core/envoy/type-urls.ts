/**
 * The `@type` URLs and extension names of the Envoy v3 API the builders emit, in one place so a
 * typo shows up once (and the proto validator in the tests catches an unresolvable one).
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/api
 */

const PREFIX = 'type.googleapis.com/';

export const HTTP_CONNECTION_MANAGER_TYPE = `${PREFIX}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`;
export const HEALTH_CHECK_FILTER_TYPE = `${PREFIX}envoy.extensions.filters.http.health_check.v3.HealthCheck`;
export const ROUTER_FILTER_TYPE = `${PREFIX}envoy.extensions.filters.http.router.v3.Router`;
export const DOWNSTREAM_TLS_CONTEXT_TYPE = `${PREFIX}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`;
export const PROXY_PROTOCOL_FILTER_TYPE = `${PREFIX}envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol`;
export const PREVIOUS_HOSTS_PREDICATE_TYPE = `${PREFIX}envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate`;

export const HTTP_CONNECTION_MANAGER_NAME = 'envoy.filters.network.http_connection_manager';
export const HEALTH_CHECK_FILTER_NAME = 'envoy.filters.http.health_check';
export const ROUTER_FILTER_NAME = 'envoy.filters.http.router';
export const TLS_TRANSPORT_SOCKET_NAME = 'envoy.transport_sockets.tls';
export const PROXY_PROTOCOL_FILTER_NAME = 'envoy.filters.listener.proxy_protocol';
export const PREVIOUS_HOSTS_PREDICATE_NAME = 'envoy.retry_host_predicates.previous_hosts';
