import { envoyProtos } from '../../../lib/core/envoy/proto-loader';
import { EnvoyProblem, envoyErrors, formatEnvoyProblem } from '../../../lib/core/envoy/envoy-problem';
import { validateBootstrap, validateEnvoyMessage } from '../../../lib/core/envoy/validate';
import { expectValidBootstrap, expectValidEnvoyMessage, sampleBootstrap } from '../../support/envoy';

const LISTENER = 'static_resources.listeners[0]';
const HCM = `${LISTENER}.filter_chains[0].filters[0].typed_config`;
const ROUTE = `${HCM}.route_config.virtual_hosts[0].routes[0]`;
const CLUSTER = 'static_resources.clusters[0]';

/** The bootstrap with one change applied. */
function broken(change: (bootstrap: any) => void): any {
  const bootstrap = sampleBootstrap();
  change(bootstrap);
  return bootstrap;
}

function errorsAt(problems: EnvoyProblem[], path: string): string[] {
  return envoyErrors(problems)
    .filter((problem) => problem.path === path)
    .map((problem) => problem.message);
}

describe('loading Envoy protos', () => {
  test('loads the bootstrap and the extensions a gateway config names', () => {
    const { root } = envoyProtos();
    for (const name of [
      'envoy.config.bootstrap.v3.Bootstrap',
      'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      'envoy.extensions.filters.http.router.v3.Router',
      'envoy.extensions.filters.http.health_check.v3.HealthCheck',
      'envoy.extensions.health_checkers.redis.v3.Redis',
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      'envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate',
      'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
      'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      'envoy.extensions.access_loggers.file.v3.FileAccessLog',
      'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
      'xds.type.v3.TypedStruct',
    ]) {
      expect(root.lookupType(name).fullName).toBe(`.${name}`);
    }
  });

  test('skips only files whose imports are not shipped, and says which', () => {
    const { skippedFiles, loadedFiles } = envoyProtos();
    expect(loadedFiles.length).toBeGreaterThan(300);
    for (const skipped of skippedFiles) {
      expect(skipped.reason).toMatch(/not shipped/);
    }
  });

  test('loads once and shares the Root between validations', () => {
    expect(envoyProtos()).toBe(envoyProtos());
    expect(envoyProtos().root).toBe(envoyProtos().root);
  });
});

describe('validateBootstrap accepts', () => {
  test('a realistic gateway bootstrap', () => {
    expectValidBootstrap(sampleBootstrap());
  });

  test('lowerCamelCase JSON names as well as proto field names', () => {
    expectValidBootstrap({
      staticResources: {
        clusters: [{ name: 'a', connectTimeout: '0.250s', type: 'STATIC', lbPolicy: 'LEAST_REQUEST' }],
      },
      admin: { address: { socketAddress: { address: '127.0.0.1', portValue: 9901 } } },
    });
  });

  test('integers given as decimal strings, enums given as numbers, wrappers as plain values', () => {
    expectValidEnvoyMessage('envoy.config.cluster.v3.Cluster', {
      name: 'a',
      type: 1,
      per_connection_buffer_limit_bytes: '32768',
      upstream_bind_config: undefined,
      common_lb_config: { healthy_panic_threshold: { value: 50.5 } },
      circuit_breakers: { thresholds: [{ max_connections: 1024, max_retries: '3' }] },
    });
  });

  test('Struct and Value fields holding any JSON', () => {
    expectValidBootstrap({
      node: { id: 'n', metadata: { anything: [1, 'two', { three: null }], nested: { deep: true } } },
    });
  });

  test('null as "not set", as proto3 JSON allows', () => {
    expectValidBootstrap({ node: { id: 'n', cluster: null }, static_resources: null });
  });

  test('a TypedStruct whose value is valid for its type_url', () => {
    expectValidEnvoyMessage('envoy.config.listener.v3.Filter', {
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': 'type.googleapis.com/xds.type.v3.TypedStruct',
        type_url: 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        value: { stat_prefix: 'x', rds: { route_config_name: 'r', config_source: { ads: {} } } },
      },
    });
  });
});

describe('validateBootstrap reports', () => {
  test('an unknown field, naming its path and the closest known field', () => {
    const problems = validateBootstrap(
      broken((b) => {
        b.static_resources.clusters[0].healthchecks = b.static_resources.clusters[0].health_checks;
        delete b.static_resources.clusters[0].health_checks;
      }),
    );
    expect(errorsAt(problems, `${CLUSTER}.healthchecks`)).toEqual([
      "unknown field 'healthchecks' (envoy.config.cluster.v3.Cluster has no such field; did you mean 'health_checks'?)",
    ]);
    expect(envoyErrors(problems)).toHaveLength(1);
  });

  test('an unknown field inside a typed_config, checked as its @type', () => {
    const problems = validateBootstrap(
      broken((b) => {
        b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[0].typed_config.pass_through = false;
      }),
    );
    expect(errorsAt(problems, `${HCM}.http_filters[0].typed_config.pass_through`)).toEqual([
      "unknown field 'pass_through' (envoy.extensions.filters.http.health_check.v3.HealthCheck has no such field; did you mean 'pass_through_mode'?)",
    ]);
  });

  test('a wrong type: a string where a boolean belongs', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].ignore_health_on_host_removal = 'true')));
    expect(errorsAt(problems, `${CLUSTER}.ignore_health_on_host_removal`)).toEqual(['expected a boolean, got a string ("true")']);
  });

  test('a wrong type: a string where a message belongs', () => {
    const problems = validateBootstrap(broken((b) => (b.admin.address = '127.0.0.1:9901')));
    expect(errorsAt(problems, 'admin.address')).toEqual([
      'expected an object (envoy.config.core.v3.Address), got a string ("127.0.0.1:9901")',
    ]);
  });

  test('a wrong type: a fraction or a word where an integer belongs', () => {
    const fraction = validateBootstrap(broken((b) => (b.admin.address.socket_address.port_value = 99.5)));
    expect(errorsAt(fraction, 'admin.address.socket_address.port_value')).toEqual(['expected an integer (uint32), got a number (99.5)']);
    const word = validateBootstrap(broken((b) => (b.admin.address.socket_address.port_value = 'admin')));
    expect(errorsAt(word, 'admin.address.socket_address.port_value')).toEqual(['expected an integer (uint32), got a string ("admin")']);
  });

  test('an integer out of its range', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].health_checks[0].unhealthy_threshold = -1)));
    expect(errorsAt(problems, `${CLUSTER}.health_checks[0].unhealthy_threshold`)).toEqual(['-1 is out of range for uint32 (0 to 4294967295)']);
  });

  test('an unknown enum name, listing the known ones', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].type = 'STRICT_DNZ')));
    expect(errorsAt(problems, `${CLUSTER}.type`)).toEqual([
      "unknown value 'STRICT_DNZ' for enum envoy.config.cluster.v3.Cluster.DiscoveryType (expected one of STATIC, STRICT_DNS, LOGICAL_DNS, EDS, ORIGINAL_DST)",
    ]);
  });

  test('an enum number that is not defined where the API says defined_only', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].type = 42)));
    expect(errorsAt(problems, `${CLUSTER}.type`)).toEqual(['42 is not a defined value of enum envoy.config.cluster.v3.Cluster.DiscoveryType']);
  });

  test('an @type that resolves to no message in the API', () => {
    const problems = validateBootstrap(
      broken((b) => {
        b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[1].typed_config['@type'] =
          'type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr';
      }),
    );
    expect(errorsAt(problems, `${HCM}.http_filters[1].typed_config["@type"]`)).toEqual([
      "cannot resolve type 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr': no message 'envoy.extensions.filters.http.router.v3.Routr' in Envoy's v3 API",
    ]);
  });

  test('an Any without @type', () => {
    const problems = validateBootstrap(
      broken((b) => {
        delete b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters[1].typed_config['@type'];
      }),
    );
    expect(errorsAt(problems, `${HCM}.http_filters[1].typed_config`)).toEqual([
      expect.stringMatching(/^'@type' is required in a google.protobuf.Any/),
    ]);
  });

  test.each([
    [1, 'expected a duration string such as "5s" or "0.250s", got a number (1)'],
    ['1', 'invalid duration "1": expected seconds with an \'s\' suffix, such as "5s" or "0.250s"'],
    ['250ms', 'invalid duration "250ms": expected seconds with an \'s\' suffix, such as "5s" or "0.250s"'],
    ['1m', 'invalid duration "1m": expected seconds with an \'s\' suffix, such as "5s" or "0.250s"'],
  ])('a bad duration (%p)', (value, message) => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].connect_timeout = value)));
    expect(errorsAt(problems, `${CLUSTER}.connect_timeout`)).toEqual([message]);
  });

  test('two members of one oneof', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].match.path = '/exact')));
    expect(errorsAt(problems, `${ROUTE}.match.path`)).toEqual([
      "'path' and 'prefix' are both set, but they belong to oneof 'path_specifier' of envoy.config.route.v3.RouteMatch: set at most one",
    ]);
  });

  test('a single value where a repeated field needs an array', () => {
    const problems = validateBootstrap(
      broken((b) => (b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].domains = '*')),
    );
    expect(errorsAt(problems, `${HCM}.route_config.virtual_hosts[0].domains`)).toEqual(['expected an array (repeated string), got a string ("*")']);
  });

  test('a map that is not an object, and a map value of the wrong type', () => {
    const notObject = validateBootstrap(broken((b) => (b.static_resources.clusters[0].typed_extension_protocol_options = [])));
    expect(errorsAt(notObject, `${CLUSTER}.typed_extension_protocol_options`)).toEqual([
      'expected an object (map<string, google.protobuf.Any>), got an array',
    ]);
    const badValue = validateEnvoyMessage('envoy.config.core.v3.Metadata', { typed_filter_metadata: { 'envoy.lb': 'x' } });
    expect(errorsAt(badValue, 'typed_filter_metadata["envoy.lb"]')).toEqual([
      "expected an object with '@type' (google.protobuf.Any), got a string (\"x\")",
    ]);
  });

  test('the same field given under both of its names', () => {
    const problems = validateEnvoyMessage('envoy.config.core.v3.SocketAddress', { address: '::1', port_value: 1, portValue: 2 });
    expect(errorsAt(problems, 'portValue')).toEqual(["'portValue' sets the same field as 'port_value'"]);
  });

  test('bytes that are not base64', () => {
    const problems = validateEnvoyMessage('envoy.config.core.v3.DataSource', { inline_bytes: 'not base64!' });
    expect(errorsAt(problems, 'inline_bytes')).toEqual(['expected base64-encoded bytes (a string), got a string ("not base64!")']);
  });

  test('a missing required field of an active health check', () => {
    const problems = validateBootstrap(broken((b) => delete b.static_resources.clusters[0].health_checks[0].timeout));
    expect(errorsAt(problems, `${CLUSTER}.health_checks[0].timeout`)).toEqual(["'timeout' is required (google.protobuf.Duration)"]);
  });

  test('a required oneof left empty', () => {
    const problems = validateBootstrap(broken((b) => delete b.static_resources.clusters[0].health_checks[0].http_health_check));
    expect(errorsAt(problems, `${CLUSTER}.health_checks[0]`)).toEqual([
      expect.stringMatching(/^one of 'http_health_check', 'tcp_health_check', .* is required \(oneof 'health_checker' of envoy.config.core.v3.HealthCheck\)$/),
    ]);
  });

  test('a duration below the bound the API sets', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].dns_refresh_rate = '0s')));
    expect(errorsAt(problems, `${CLUSTER}.dns_refresh_rate`)).toEqual(['duration 0s must be greater than 0.001s']);
  });

  test('an empty name where the API requires one', () => {
    const problems = validateBootstrap(broken((b) => delete b.static_resources.clusters[0].name));
    expect(errorsAt(problems, `${CLUSTER}.name`)).toEqual(["'name' is not set, and its default must be at least 1 characters long"]);
  });

  test('a deprecated field as a warning, not an error', () => {
    const problems = validateBootstrap(broken((b) => (b.static_resources.clusters[0].http2_protocol_options = {})));
    expect(envoyErrors(problems)).toEqual([]);
    expect(problems).toEqual([
      { path: `${CLUSTER}.http2_protocol_options`, message: "'http2_protocol_options' is deprecated (since 3.0)", severity: 'warning' },
    ]);
  });

  test('a top-level value that is not an object', () => {
    expect(validateBootstrap('admin: x').map(formatEnvoyProblem)).toEqual([
      '(root): expected an object (envoy.config.bootstrap.v3.Bootstrap), got a string ("admin: x")',
    ]);
  });

  test('a type name that is not in the API, by throwing', () => {
    expect(() => validateEnvoyMessage('envoy.config.cluster.v3.Clustr', {})).toThrow(/'envoy.config.cluster.v3.Clustr' is not a message type/);
  });
});

describe('hostile input to the validator', () => {
  test('an object-form duration is an error, never a crash, whatever its seconds hold', () => {
    for (const seconds of ['NaN', 1e400, 'x', 1.5, null, {}]) {
      const problems = validateBootstrap({ static_resources: { clusters: [{ name: 'c', connect_timeout: { seconds } }] } });
      expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'error', path: expect.stringContaining('connect_timeout') })]));
    }
  });

  test('a huge unknown key gets no suggestion and a shortened name', () => {
    const key = 'x'.repeat(1_000_000);
    const problems = validateBootstrap({ [key]: 1 });
    expect(problems).toHaveLength(1);
    expect(problems[0].message.length).toBeLessThan(300);
    expect(problems[0].message).not.toContain('did you mean');
  });
});
