import { EnvoyProblem, formatEnvoyProblem } from '../../lib/core/envoy/envoy-problem';
import { validateBootstrap, validateEnvoyMessage } from '../../lib/core/envoy/validate';

function lines(problems: readonly EnvoyProblem[]): string[] {
  return problems.map(formatEnvoyProblem);
}

/**
 * Asserts that `bootstrap` is a valid Envoy v3 bootstrap, strictly (unknown fields, wrong types,
 * unknown enum names and unresolvable `@type`s all fail) and without deprecated fields.
 * On failure jest shows one line per problem: `path: reason`.
 */
export function expectValidBootstrap(bootstrap: unknown): void {
  expect(lines(validateBootstrap(bootstrap))).toEqual([]);
}

/** {@link expectValidBootstrap} for any Envoy message type, e.g. `envoy.config.cluster.v3.Cluster`. */
export function expectValidEnvoyMessage(typeName: string, value: unknown): void {
  expect(lines(validateEnvoyMessage(typeName, value))).toEqual([]);
}

/**
 * A gateway bootstrap as hitless means to build one: admin on loopback, an HTTP listener whose
 * connection manager answers health checks itself before routing, and a STRICT_DNS cluster with
 * active health checks, outlier detection and retries on another host. Fresh on every call, so
 * tests can break one field.
 */
export function sampleBootstrap(): any {
  return {
    node: { id: 'gateway-0', cluster: 'hitless-gateway' },
    admin: {
      address: { socket_address: { address: '127.0.0.1', port_value: 9901 } },
      access_log: [
        {
          name: 'envoy.access_loggers.stdout',
          typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog' },
        },
      ],
    },
    static_resources: {
      listeners: [
        {
          name: 'http',
          address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
          drain_type: 'DEFAULT',
          filter_chains: [
            {
              filters: [
                {
                  name: 'envoy.filters.network.http_connection_manager',
                  typed_config: {
                    '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                    stat_prefix: 'ingress_http',
                    codec_type: 'AUTO',
                    drain_timeout: '5s',
                    common_http_protocol_options: { idle_timeout: '60s' },
                    access_log: [
                      {
                        name: 'envoy.access_loggers.file',
                        typed_config: {
                          '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
                          path: '/dev/stdout',
                        },
                      },
                    ],
                    route_config: {
                      name: 'routes',
                      virtual_hosts: [
                        {
                          name: 'all',
                          domains: ['*'],
                          routes: [
                            {
                              match: { prefix: '/' },
                              route: {
                                cluster: 'web',
                                timeout: '15s',
                                retry_policy: {
                                  retry_on: 'connect-failure,refused-stream,reset',
                                  num_retries: 2,
                                  per_try_timeout: '5s',
                                  retry_host_predicate: [
                                    {
                                      name: 'envoy.retry_host_predicates.previous_hosts',
                                      typed_config: {
                                        '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate',
                                      },
                                    },
                                  ],
                                  host_selection_retry_max_attempts: 3,
                                  retry_back_off: { base_interval: '0.025s', max_interval: '0.250s' },
                                },
                              },
                            },
                          ],
                        },
                      ],
                    },
                    http_filters: [
                      {
                        name: 'envoy.filters.http.health_check',
                        typed_config: {
                          '@type': 'type.googleapis.com/envoy.extensions.filters.http.health_check.v3.HealthCheck',
                          pass_through_mode: false,
                          headers: [{ name: ':path', string_match: { exact: '/envoy-hc' } }],
                        },
                      },
                      {
                        name: 'envoy.filters.http.router',
                        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
      clusters: [
        {
          name: 'web',
          type: 'STRICT_DNS',
          connect_timeout: '1s',
          dns_refresh_rate: '5s',
          dns_lookup_family: 'V4_ONLY',
          lb_policy: 'ROUND_ROBIN',
          ignore_health_on_host_removal: true,
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              common_http_protocol_options: { idle_timeout: '30s' },
              explicit_http_config: { http_protocol_options: {} },
            },
          },
          load_assignment: {
            cluster_name: 'web',
            endpoints: [
              {
                lb_endpoints: [
                  { endpoint: { address: { socket_address: { address: 'web.default.svc.cluster.local', port_value: 8080 } } } },
                ],
              },
            ],
          },
          health_checks: [
            {
              timeout: '1s',
              interval: '2s',
              unhealthy_threshold: 2,
              healthy_threshold: 1,
              http_health_check: { path: '/ready' },
            },
          ],
          outlier_detection: { consecutive_5xx: 5, interval: '5s', base_ejection_time: '30s', max_ejection_percent: 50 },
        },
      ],
    },
  };
}
