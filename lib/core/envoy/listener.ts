import { Duration } from '../duration';
import { hardenedConnectionManagerFields, ResolvedEdgeHardening } from './edge-hardening';
import {
  DOWNSTREAM_TLS_CONTEXT_TYPE,
  HEALTH_CHECK_FILTER_NAME,
  HEALTH_CHECK_FILTER_TYPE,
  HTTP_CONNECTION_MANAGER_NAME,
  HTTP_CONNECTION_MANAGER_TYPE,
  PROXY_PROTOCOL_FILTER_NAME,
  PROXY_PROTOCOL_FILTER_TYPE,
  ROUTER_FILTER_NAME,
  ROUTER_FILTER_TYPE,
  TLS_TRANSPORT_SOCKET_NAME,
} from './type-urls';

/** The path Envoy's health check filter answers unless told otherwise. */
export const DEFAULT_HEALTH_CHECK_PATH = '/envoy-hc';

/**
 * The health check filter in non-pass-through mode: Envoy itself answers `healthCheckPath`, 200
 * while healthy and 503 once `POST /healthcheck/fail` has been called, which is how the drain
 * tells the load balancer to go away while the listener keeps serving everything else.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/health_check_filter
 */
export function healthCheckFilter(healthCheckPath: string): Record<string, unknown> {
  return {
    name: HEALTH_CHECK_FILTER_NAME,
    typed_config: {
      '@type': HEALTH_CHECK_FILTER_TYPE,
      pass_through_mode: false,
      headers: [{ name: ':path', string_match: { exact: healthCheckPath } }],
    },
  };
}

/** The router, always the last HTTP filter. */
export function routerFilter(): Record<string, unknown> {
  return { name: ROUTER_FILTER_NAME, typed_config: { '@type': ROUTER_FILTER_TYPE } };
}

/** TLS certificate files, as mounted from a Kubernetes TLS Secret. */
export interface TlsFiles {
  /** e.g. `/etc/envoy/tls/tls.crt` */
  readonly certificateChain: string;
  /** e.g. `/etc/envoy/tls/tls.key` */
  readonly privateKey: string;
}

/** One listener of the gateway. */
export interface HttpListenerOptions {
  /** `http` or `https`; also names the stat prefix (`ingress_http`). */
  readonly name: string;
  readonly port: number;
  /** @default '0.0.0.0' */
  readonly address?: string;
  readonly healthCheckPath: string;
  /**
   * `common_http_protocol_options.idle_timeout` of downstream connections; see
   * `GatewayPlanOptions.idleTimeout` for how it is chosen.
   */
  readonly idleTimeout: Duration;
  /** The routes of the single virtual host, in match order. */
  readonly routes: Record<string, unknown>[];
  /** Serve TLS with these files. */
  readonly tls?: TlsFiles;
  /**
   * Read a PROXY protocol header (v1 or v2) before anything else on every connection, as a load
   * balancer that sends one (an NLB target group with `proxy_protocol_v2.enabled`) needs: without
   * the listener filter Envoy reads the binary header as HTTP and fails every connection, health
   * checks included (the NLB sends the header on those too).
   * @default false
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/listeners/listener_filters/proxy_protocol
   */
  readonly proxyProtocol?: boolean;
  /**
   * Edge limits (buffers, HTTP/2, header deadline, internal addresses).
   * @default - Envoy's own defaults
   */
  readonly hardening?: ResolvedEdgeHardening;
}

/** The PROXY protocol listener filter. */
export function proxyProtocolFilter(): Record<string, unknown> {
  return { name: PROXY_PROTOCOL_FILTER_NAME, typed_config: { '@type': PROXY_PROTOCOL_FILTER_TYPE } };
}

/** The name of the route configuration every listener shares. */
export const ROUTE_CONFIG_NAME = 'gateway';

/** `config.route.v3.RouteConfiguration` with one catch-all virtual host. */
export function routeConfiguration(routes: Record<string, unknown>[]): Record<string, unknown> {
  return { name: ROUTE_CONFIG_NAME, virtual_hosts: [{ name: ROUTE_CONFIG_NAME, domains: ['*'], routes }] };
}

/**
 * A `config.listener.v3.Listener` as proto3 JSON, with `drain_type: DEFAULT` stated: only then
 * does `POST /healthcheck/fail` make Envoy drain-close connections on it (`Connection: close` on
 * HTTP/1 responses, GOAWAY on HTTP/2) while it keeps accepting new ones.
 * @see https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/operations/draining
 */
export function httpListener(options: HttpListenerOptions): Record<string, unknown> {
  const manager = {
    name: HTTP_CONNECTION_MANAGER_NAME,
    typed_config: {
      '@type': HTTP_CONNECTION_MANAGER_TYPE,
      stat_prefix: `ingress_${options.name}`,
      codec_type: 'AUTO',
      // The gateway is the edge: the client address is the peer's, never a header's.
      use_remote_address: true,
      normalize_path: true,
      merge_slashes: true,
      common_http_protocol_options: {
        idle_timeout: options.idleTimeout.toProtoJson(),
        headers_with_underscores_action: 'REJECT_REQUEST',
      },
      ...(options.hardening ? hardenedConnectionManagerFields(options.hardening) : {}),
      route_config: routeConfiguration(options.routes),
      // The health check filter first, so it answers before any route can match its path.
      http_filters: [healthCheckFilter(options.healthCheckPath), routerFilter()],
    },
  };
  const filterChain: Record<string, unknown> = { filters: [manager] };
  if (options.tls) {
    filterChain.transport_socket = {
      name: TLS_TRANSPORT_SOCKET_NAME,
      typed_config: {
        '@type': DOWNSTREAM_TLS_CONTEXT_TYPE,
        common_tls_context: {
          alpn_protocols: ['h2', 'http/1.1'],
          tls_certificates: [{ certificate_chain: { filename: options.tls.certificateChain }, private_key: { filename: options.tls.privateKey } }],
        },
      },
    };
  }
  return {
    name: options.name,
    address: { socket_address: { address: options.address ?? '0.0.0.0', port_value: options.port } },
    drain_type: 'DEFAULT',
    ...(options.hardening ? { per_connection_buffer_limit_bytes: options.hardening.perConnectionBufferLimitBytes } : {}),
    ...(options.proxyProtocol ? { listener_filters: [proxyProtocolFilter()] } : {}),
    filter_chains: [filterChain],
  };
}
