import * as fs from 'fs';
import * as path from 'path';
import { readManifestText } from '../../lib/read';
import { checkManifestText } from '../../lib/check/check';
import { bootstrapServesNothing, readConfigYaml, readEnvoyBootstrap, withAdminOverride } from '../../lib/read/envoy-bootstrap';

const resolve = () => undefined;
const bootstrap = (socketAddress: unknown) => ({ admin: { address: { socket_address: socketAddress } }, static_resources: { clusters: [] } });

describe('the admin address and port', () => {
  test('reads both from the bootstrap, the port as a number or a numeric string', () => {
    expect(readEnvoyBootstrap(bootstrap({ address: '127.0.0.1', port_value: 9901 }), 'ConfigMap/edge/envoy', resolve)).toMatchObject({ adminAddress: '127.0.0.1', adminPort: 9901 });
    expect(readEnvoyBootstrap(bootstrap({ address: '127.0.0.1', port_value: '19000' }), 'ConfigMap/edge/envoy', resolve).adminPort).toBe(19000);
  });

  test('leaves the port out when it is not a port', () => {
    for (const port of ['x', -1, 70000, 1.5, null, { value: 1 }]) {
      expect(readEnvoyBootstrap(bootstrap({ address: '127.0.0.1', port_value: port }), 'ConfigMap/edge/envoy', resolve).adminPort).toBeUndefined();
    }
  });
});

describe('--config-yaml', () => {
  const admin = 'admin: {address: {socket_address: {address: 0.0.0.0, port_value: 9902}}}';

  test('is read from args as --config-yaml X and --config-yaml=X, from command too', () => {
    expect(readConfigYaml({ args: ['-c', '/etc/envoy/envoy.yaml', '--config-yaml', admin] }).value).toEqual({ admin: { address: { socket_address: { address: '0.0.0.0', port_value: 9902 } } } });
    expect(readConfigYaml({ args: [`--config-yaml=${admin}`] }).value).toMatchObject({ admin: {} });
    expect(readConfigYaml({ command: ['envoy', '--config-yaml', admin] }).value).toMatchObject({ admin: {} });
  });

  test('is absent without the flag, and an error (never a throw) when it is not a YAML mapping', () => {
    expect(readConfigYaml({ args: ['-c', '/etc/envoy/envoy.yaml'] })).toEqual({});
    expect(readConfigYaml({ args: ['--config-yaml'] })).toEqual({});
    expect(readConfigYaml(undefined)).toEqual({});
    expect(readConfigYaml({ args: ['--config-yaml', 'admin: {address: ['] }).error).toBeDefined();
    expect(readConfigYaml({ args: ['--config-yaml', 'just a string'] }).error).toBe('it is not a YAML mapping');
  });

  test('overrides the admin address and port field by field, as Envoy merges it over the bootstrap', () => {
    const envoy = readEnvoyBootstrap(bootstrap({ address: '127.0.0.1', port_value: 9901 }), 'ConfigMap/edge/envoy', resolve);
    expect(withAdminOverride(envoy, readConfigYaml({ args: ['--config-yaml', admin] }).value!)).toMatchObject({ adminAddress: '0.0.0.0', adminPort: 9902 });
    expect(withAdminOverride(envoy, { admin: { address: { socket_address: { address: '0.0.0.0' } } } })).toMatchObject({ adminAddress: '0.0.0.0', adminPort: 9901 });
    expect(withAdminOverride(envoy, { admin: { address: { socket_address: { port_value: 19000 } } } })).toMatchObject({ adminAddress: '127.0.0.1', adminPort: 19000 });
    expect(withAdminOverride(envoy, { node: { id: 'x' } })).toBe(envoy);
    const pipe = withAdminOverride(envoy, { admin: { address: { pipe: { path: '/tmp/admin' } } } });
    expect(pipe.adminAddress).toBeUndefined();
    expect(pipe.adminPort).toBeUndefined();
  });
});

describe('clusters: what decides their retry needs', () => {
  const withCluster = (cluster: Record<string, unknown>) => ({ static_resources: { clusters: [{ name: 'c', type: 'STRICT_DNS', ...cluster }] } });
  const endpoints = (...hosts: string[]) => ({ load_assignment: { cluster_name: 'c', endpoints: [{ lb_endpoints: hosts.map((address) => ({ endpoint: { address: { socket_address: { address, port_value: 80 } } } })) }] } });

  test('reads HTTP/2 upstreams from the v3 protocol options and the v2 field, and HTTP/1 otherwise', () => {
    const v3 = { typed_extension_protocol_options: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions', explicit_http_config: { http2_protocol_options: {} } } } };
    expect(readEnvoyBootstrap(withCluster(v3), 'ConfigMap/edge/envoy', resolve).clusters[0].http2).toBe(true);
    expect(readEnvoyBootstrap(withCluster({ http2_protocol_options: {} }), 'ConfigMap/edge/envoy', resolve).clusters[0].http2).toBe(true);
    expect(readEnvoyBootstrap(withCluster({}), 'ConfigMap/edge/envoy', resolve).clusters[0].http2).toBeUndefined();
  });

  test('marks a cluster whose every host is loopback (the pod\'s own admin), and no other', () => {
    expect(readEnvoyBootstrap(withCluster({ type: 'STATIC', ...endpoints('127.0.0.1') }), 'ConfigMap/edge/envoy', resolve).clusters[0].loopback).toBe(true);
    expect(readEnvoyBootstrap(withCluster({ type: 'STATIC', ...endpoints('127.0.0.1', '10.0.0.7') }), 'ConfigMap/edge/envoy', resolve).clusters[0].loopback).toBeUndefined();
    expect(readEnvoyBootstrap(withCluster(endpoints('orders.shop.svc.cluster.local')), 'ConfigMap/edge/envoy', resolve).clusters[0].loopback).toBeUndefined();
  });
});

describe('admin reached through a route', () => {
  const careful = () => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'check', 'careful-envoy.yaml'), 'utf8');
  const withAdminRoute = (host: string, port: number) => careful()
    .replace('                  routes:\n                  - name: orders\n', `                  routes:\n                  - name: peek\n                    match: { prefix: "/peek" }\n                    route: { cluster: loop }\n                  - name: orders\n`)
    .replace('      clusters:\n      - name: orders\n', `      clusters:\n      - name: loop\n        type: STATIC\n        connect_timeout: 1s\n        load_assignment:\n          cluster_name: loop\n          endpoints:\n          - lb_endpoints:\n            - endpoint: { address: { socket_address: { address: ${host}, port_value: ${port} } } }\n      - name: orders\n`);

  test('a public route to a cluster on 127.0.0.1 at the admin port is an error, though admin binds loopback', () => {
    const { findings } = readManifestText(withAdminRoute('127.0.0.1', 9901), 'x.yaml');
    expect(findings.map((finding) => finding.rule)).toEqual(['admin-routed']);
    expect(findings[0]).toMatchObject({ severity: 'error', category: 'security', objects: ['ConfigMap/edge/gateway-envoy'] });
    expect(findings[0].message).toContain('cluster loop');
  });

  test('a loopback cluster on another port is not the admin', () => {
    expect(readManifestText(withAdminRoute('127.0.0.1', 9902), 'x.yaml').findings.map((finding) => finding.rule)).not.toContain('admin-routed');
  });
});

describe('a bootstrap that cannot drain or serve', () => {
  const careful = () => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'check', 'careful-envoy.yaml'), 'utf8');
  const HEALTH_CHECK_FILTER = `              - name: envoy.filters.http.health_check
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.http.health_check.v3.HealthCheck
                  pass_through_mode: false
                  headers:
                  - name: ":path"
                    string_match: { exact: /envoy-hc }
`;

  test('the fixture holds the filter this test removes', () => {
    expect(careful()).toContain(HEALTH_CHECK_FILTER);
  });

  test('no health check filter while the NLB checks its path is an error: the LB never sees the drain', () => {
    const report = checkManifestText(careful().replace(HEALTH_CHECK_FILTER, ''), 'x.yaml');
    const finding = report.findings.find((each) => each.rule === 'no-health-check-filter');
    expect(finding).toMatchObject({ severity: 'error', category: 'lb-detection' });
    expect(finding!.message).toContain('/envoy-hc');
    expect(report.verdict).toBe('drops-requests');
    expect(checkManifestText(careful(), 'x.yaml').findings.map((each) => each.rule)).not.toContain('no-health-check-filter');
  });

  test('the reader says whether the static connection managers carry the filter, and nothing when there are none', () => {
    const withFilter = readEnvoyBootstrap({ static_resources: { listeners: [{ filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { http_filters: [{ name: 'envoy.filters.http.health_check' }] } }] }] }] } }, 'b', resolve);
    const without = readEnvoyBootstrap({ static_resources: { listeners: [{ filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { http_filters: [{ name: 'envoy.filters.http.router' }] } }] }] }] } }, 'b', resolve);
    expect(withFilter.healthCheckFilter).toBe(true);
    expect(without.healthCheckFilter).toBe(false);
    expect(readEnvoyBootstrap(bootstrap({ address: '127.0.0.1', port_value: 9901 }), 'b', resolve).healthCheckFilter).toBeUndefined();
  });

  test('no listener at all (static_resources: {}) is an error: it serves nothing', () => {
    const empty = careful().replace(/    static_resources:\n[\s\S]*?(?=\n---)/, '    static_resources: {}');
    expect(empty).toContain('    static_resources: {}\n---');
    const { findings } = readManifestText(empty, 'x.yaml');
    expect(findings.find((each) => each.rule === 'envoy-bootstrap-serves-nothing')).toMatchObject({ severity: 'error', objects: ['ConfigMap/edge/gateway-envoy'] });
    const clustersOnly = careful().replace(/      listeners:\n[\s\S]*?(?=      clusters:\n)/, '');
    expect(readManifestText(clustersOnly, 'x.yaml').findings.map((each) => each.rule)).toContain('envoy-bootstrap-serves-nothing');
    expect(readManifestText(careful(), 'x.yaml').findings.map((each) => each.rule)).not.toContain('envoy-bootstrap-serves-nothing');
  });

  test('listeners from a listener discovery service count', () => {
    expect(bootstrapServesNothing({ dynamic_resources: { lds_config: { ads: {} } } }, 'b', 'ConfigMap/x/y')).toBeUndefined();
    expect(bootstrapServesNothing({ static_resources: {} }, 'b', 'ConfigMap/x/y')?.rule).toBe('envoy-bootstrap-serves-nothing');
  });
});
