import * as fs from 'fs';
import * as path from 'path';
import { readManifestText } from '../../lib/read';
import { configPathArgument, loadedConfig } from '../../lib/read/config-path';

const careful = () => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'check', 'careful-envoy.yaml'), 'utf8');
const rules = (findings: { rule: string }[]) => findings.map((finding) => finding.rule);

describe('loadedConfig', () => {
  const volumes = [{ name: 'config', configMap: { name: 'gateway-envoy' } }, { name: 'picked', configMap: { name: 'other', items: [{ key: 'real', path: 'conf/envoy.yaml' }] } }, { name: 'scratch', emptyDir: {} }];
  const container = (args: string[], mounts: unknown[] = [{ name: 'config', mountPath: '/etc/envoy' }]) => ({ name: 'envoy', args, volumeMounts: mounts });

  test('follows -c, --config-path and --config-path= (the last wins) to the ConfigMap key', () => {
    expect(loadedConfig(container(['-c', '/etc/envoy/envoy.yaml']), volumes)).toEqual({ kind: 'config-map', path: '/etc/envoy/envoy.yaml', configMap: 'gateway-envoy', key: 'envoy.yaml' });
    expect(configPathArgument(container(['-c', '/a', '--config-path=/etc/envoy/b.json']))).toBe('/etc/envoy/b.json');
    expect(loadedConfig(container(['--config-path', '/etc/envoy/./x/../real.yaml']), volumes)).toMatchObject({ key: 'real.yaml' });
  });

  test('follows items and subPath mappings, and reports paths outside ConfigMaps', () => {
    expect(loadedConfig(container(['-c', '/cfg/conf/envoy.yaml'], [{ name: 'picked', mountPath: '/cfg' }]), volumes)).toMatchObject({ kind: 'config-map', configMap: 'other', key: 'real' });
    expect(loadedConfig(container(['-c', '/etc/envoy.yaml'], [{ name: 'config', mountPath: '/etc/envoy.yaml', subPath: 'real.yaml' }]), volumes)).toMatchObject({ kind: 'config-map', key: 'real.yaml' });
    expect(loadedConfig(container(['-c', '/tmp/envoy.yaml'], [{ name: 'scratch', mountPath: '/tmp' }]), volumes)).toEqual({ kind: 'elsewhere', path: '/tmp/envoy.yaml' });
    expect(loadedConfig(container(['-c', '/baked/envoy.yaml']), volumes)).toEqual({ kind: 'elsewhere', path: '/baked/envoy.yaml' });
    expect(loadedConfig(container([]), volumes)).toEqual({ kind: 'unnamed' });
  });
});

describe('the bootstrap judged is the one -c loads', () => {
  test('a clean envoy.yaml beside the real bootstrap (admin on 0.0.0.0) that -c loads: the real one is judged', () => {
    const real = careful().match(/  envoy\.yaml: \|\n[\s\S]*?(?=\n---|\n*$)/)![0].replace('envoy.yaml: |', 'real.yaml: |').replace('address: 127.0.0.1, port_value: 9901', 'address: 0.0.0.0, port_value: 9901');
    const text = careful().replace('  envoy.yaml: |\n', `${real}\n  envoy.yaml: |\n`).replace('"-c", "/etc/envoy/envoy.yaml"', '"-c", "/etc/envoy/real.yaml"');
    const { topology, findings } = readManifestText(text, 'x.yaml');
    expect(topology.gateways[0].envoy?.adminAddress).toBe('0.0.0.0');
    expect(readManifestText(text.replace('"-c", "/etc/envoy/real.yaml"', '"-c", "/etc/envoy/envoy.yaml"'), 'x.yaml').topology.gateways[0].envoy?.adminAddress).toBe('127.0.0.1');
    expect(findings).toEqual([]);
  });

  test('a -c file that is not in the input is not replaced by another mounted bootstrap', () => {
    const { topology, findings } = readManifestText(careful().replace('"-c", "/etc/envoy/envoy.yaml"', '"-c", "/opt/envoy/baked.yaml"'), 'x.yaml');
    expect(topology.gateways[0].envoy).toBeUndefined();
    expect(rules(findings)).toEqual(['envoy-config-not-found']);
    expect(findings[0].message).toContain('/opt/envoy/baked.yaml');
  });
});
