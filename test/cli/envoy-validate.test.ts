import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { main } from '../../lib/cli/envoy-validate';
import { CliIo } from '../../lib/cli/io';
import { sampleBootstrap } from '../support/envoy';

interface Run {
  readonly code: number;
  readonly stdout: string[];
  readonly stderr: string;
}

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-envoy-validate-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string): string {
  fs.writeFileSync(path.join(dir, name), content);
  return name;
}

async function run(argv: string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: async () => stdin,
    isTty: false,
    cwd: dir,
  };
  const code = await main(argv, io);
  return { code, stdout: stdout.split('\n').filter((line) => line !== ''), stderr };
}

function invalidBootstrap(): any {
  const bootstrap = sampleBootstrap();
  bootstrap.static_resources.clusters[0].type = 'STRICT_DNZ';
  bootstrap.static_resources.clusters[0].connect_timeout = 1;
  bootstrap.admin.adress = bootstrap.admin.address;
  delete bootstrap.admin.address;
  return bootstrap;
}

describe('hitless envoy-validate', () => {
  test('exits 0 with one OK line for a valid YAML bootstrap', async () => {
    const file = write('envoy.yaml', stringify(sampleBootstrap()));
    const result = await run([file]);
    expect(result).toEqual({ code: 0, stdout: ['envoy.yaml: OK, a valid Envoy v3 bootstrap'], stderr: '' });
  });

  test('exits 0 for a valid JSON bootstrap on stdin', async () => {
    const result = await run(['-'], JSON.stringify(sampleBootstrap()));
    expect(result).toEqual({ code: 0, stdout: ['<stdin>: OK, a valid Envoy v3 bootstrap'], stderr: '' });
  });

  test('exits 1 with one line per problem: file, field path and reason', async () => {
    const file = write('bad.json', JSON.stringify(invalidBootstrap()));
    const result = await run([file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(result.stdout).toEqual([
      "bad.json: admin.adress: unknown field 'adress' (envoy.config.bootstrap.v3.Admin has no such field; did you mean 'address'?)",
      "bad.json: static_resources.clusters[0].type: unknown value 'STRICT_DNZ' for enum envoy.config.cluster.v3.Cluster.DiscoveryType (expected one of STATIC, STRICT_DNS, LOGICAL_DNS, EDS, ORIGINAL_DST)",
      'bad.json: static_resources.clusters[0].connect_timeout: expected a duration string such as "5s" or "0.250s", got a number (1)',
    ]);
  });

  test('validates the bootstrap held in a ConfigMap, naming the ConfigMap and key', async () => {
    const configMap = (bootstrap: unknown, name: string) =>
      stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { 'envoy.yaml': stringify(bootstrap) } });
    const file = write(
      'manifests.yaml',
      [
        stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'gateway' }, spec: {} }),
        configMap(sampleBootstrap(), 'good'),
        configMap({ admin: { address: { socket_address: { address: '127.0.0.1', port_value: 'x' } } } }, 'bad'),
      ].join('---\n'),
    );
    const result = await run([file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([
      'manifests.yaml (ConfigMap good, key envoy.yaml): OK, a valid Envoy v3 bootstrap',
      'manifests.yaml (ConfigMap bad, key envoy.yaml): admin.address.socket_address.port_value: expected an integer (uint32), got a string ("x")',
    ]);
  });

  test('prints deprecated fields as warnings and still exits 0', async () => {
    const bootstrap = sampleBootstrap();
    bootstrap.static_resources.clusters[0].http2_protocol_options = {};
    const result = await run([write('deprecated.yaml', stringify(bootstrap))]);
    expect(result).toEqual({
      code: 0,
      stdout: [
        "deprecated.yaml: static_resources.clusters[0].http2_protocol_options: warning: 'http2_protocol_options' is deprecated (since 3.0)",
        'deprecated.yaml: OK, a valid Envoy v3 bootstrap (1 warning)',
      ],
      stderr: '',
    });
  });

  test('exits 2 with a clear message for a file that does not exist', async () => {
    const result = await run(['missing.yaml']);
    expect(result).toEqual({ code: 2, stdout: [], stderr: 'hitless envoy-validate: missing.yaml: no such file\n' });
  });

  test('exits 2 with a clear message for a file that is not YAML or JSON', async () => {
    const result = await run([write('broken.yaml', 'static_resources: [1, 2\n')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toMatch(/^hitless envoy-validate: broken.yaml is not valid YAML or JSON: [^\n]+\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('exits 2 for a file that is not UTF-8, as check does, rather than validating replacement characters', async () => {
    fs.writeFileSync(path.join(dir, 'latin1.yaml'), Buffer.from('admin: {}\nnode: {id: caf\xe9}\n', 'latin1'));
    const result = await run(['latin1.yaml']);
    expect(result).toEqual({ code: 2, stdout: [], stderr: 'hitless envoy-validate: latin1.yaml: cannot read: the file is not valid UTF-8; save it as UTF-8\n' });
  });

  test('exits 2 for a manifest without a bootstrap', async () => {
    const file = write('svc.yaml', stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } }));
    const result = await run([file]);
    expect(result).toEqual({
      code: 2,
      stdout: [],
      stderr: 'hitless envoy-validate: svc.yaml holds no Envoy bootstrap (nor a ConfigMap holding one)\n',
    });
  });

  test('exits 2 with usage when no file is given, 0 with usage for --help', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/usage: hitless envoy-validate \[--format text\|json\] FILE/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout[0]).toMatch(/^usage: hitless envoy-validate \[--format text\|json\] FILE/);
  });
});
