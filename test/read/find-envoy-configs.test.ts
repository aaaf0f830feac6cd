import { EnvoyConfigParseError, findEnvoyConfigs } from '../../lib/read/find-envoy-configs';
import { sampleBootstrap } from '../support/envoy';

describe('findEnvoyConfigs', () => {
  test('reads a YAML bootstrap', () => {
    const found = findEnvoyConfigs('admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: 9901 }\n');
    expect(found).toEqual([{ where: '', config: { admin: { address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } } } }]);
  });

  test('reads a JSON bootstrap', () => {
    expect(findEnvoyConfigs(JSON.stringify(sampleBootstrap()))).toEqual([{ where: '', config: sampleBootstrap() }]);
  });

  test('finds bootstraps in ConfigMaps, by key suffix or by content, and skips other objects', () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: { name: gateway }\nspec: { ports: [{ port: 80 }] }',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: envoy-config }\ndata:\n  envoy.yaml: |\n    node: { id: a }\n  start.sh: |\n    exec envoy -c /etc/envoy/envoy.yaml\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: other }\ndata:\n  bootstrap: \'{"static_resources": {}}\'\n',
    ].join('\n---\n');
    expect(findEnvoyConfigs(text)).toEqual([
      { where: 'ConfigMap envoy-config, key envoy.yaml', config: { node: { id: 'a' } } },
      { where: 'ConfigMap other, key bootstrap', config: { static_resources: {} } },
    ]);
  });

  test('takes a key not named like a config file for a bootstrap only when check does (isEnvoyBootstrap)', () => {
    const configMap = (data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data });
    // An application's settings with an `admin` or `node` section are not an Envoy bootstrap.
    expect(() => findEnvoyConfigs(configMap({ settings: '{"admin": {"user": "root"}}', cluster: 'node: { name: a }' }), 'app.yaml')).toThrow(
      'app.yaml holds no Envoy bootstrap (nor a ConfigMap holding one)',
    );
    expect(findEnvoyConfigs(configMap({ bootstrap: 'admin: {}\nnode: { id: a }\n' }), 'app.yaml')).toEqual([
      { where: 'ConfigMap app, key bootstrap', config: { admin: {}, node: { id: 'a' } } },
    ]);
  });

  test('validates whatever mapping a key named like a config file holds, so a misspelt bootstrap is reported, not skipped', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'envoy' }, data: { 'envoy.yaml': 'static_resource: {}\n' } });
    expect(findEnvoyConfigs(text)).toEqual([{ where: 'ConfigMap envoy, key envoy.yaml', config: { static_resource: {} } }]);
  });

  test('a key named like a config file that is not YAML fails, naming the ConfigMap and key; another key is skipped', () => {
    const configMap = (data: Record<string, string>) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'envoy' }, data });
    expect(() => findEnvoyConfigs(configMap({ 'envoy.yaml': 'a: [1, 2' }))).toThrow(/^ConfigMap envoy, key envoy.yaml is not valid YAML or JSON: /);
    expect(() => findEnvoyConfigs(configMap({ 'start.sh': 'a: [1, 2' }), 'x.yaml')).toThrow('x.yaml holds no Envoy bootstrap');
  });

  test('resolves YAML merge keys as Envoy does', () => {
    const found = findEnvoyConfigs('x: &hc { timeout: 1s }\nnode:\n  <<: *hc\n  id: a\n');
    expect((found[0].config as any).node).toEqual({ timeout: '1s', id: 'a' });
  });

  test('fails on text that is not YAML', () => {
    expect(() => findEnvoyConfigs('a: [1, 2', 'broken.yaml')).toThrow(EnvoyConfigParseError);
    expect(() => findEnvoyConfigs('a: [1, 2', 'broken.yaml')).toThrow(/^broken.yaml is not valid YAML or JSON: /);
  });

  test('fails when only non-Envoy Kubernetes objects are given', () => {
    expect(() => findEnvoyConfigs('apiVersion: v1\nkind: Service\nmetadata: { name: a }\n', 'svc.yaml')).toThrow(
      'svc.yaml holds no Envoy bootstrap (nor a ConfigMap holding one)',
    );
  });
});

describe('hostile input to the finder', () => {
  test('a billion-node alias tree is refused, not expanded', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) rows.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    expect(() => findEnvoyConfigs(rows.join('\n'), 'bomb.yaml')).toThrow(EnvoyConfigParseError);
    expect(() => findEnvoyConfigs(rows.join('\n'), 'bomb.yaml')).toThrow(/bomb\.yaml cannot be read: .*alias/i);
  });

  test('JSON is read as JSON: a large JSON bootstrap is one JSON.parse, with the last of a repeated key', () => {
    const clusters = Array.from({ length: 20_000 }, (_v, index) => ({ name: `c${index}`, connect_timeout: '1s' }));
    const found = findEnvoyConfigs(JSON.stringify({ static_resources: { clusters } }), 'big.json');
    expect((found[0].config as any).static_resources.clusters).toHaveLength(20_000);
  });

});
