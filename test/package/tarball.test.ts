/**
 * The package as a user gets it (issue 13): `npm pack` of this checkout, installed into fresh
 * projects outside the repository, then used three ways — a
 * cdk8s app laid out like cdk8s-cli's TypeScript template (synth with the validation plugin from
 * node_modules, `hitless check` on the output), a Pulumi program under mocks, and a plain Node
 * script using the checker.
 *
 * Nothing is downloaded. The tarball is unpacked where npm puts a package (node_modules/hitless,
 * its bin linked in node_modules/.bin); its `dependencies`, read from the packed package.json, and
 * the frameworks each project uses (cdk8s, cdk8s-plus-33, Pulumi, TypeScript) are linked from this
 * repository's node_modules, as if installed. (`npm install --offline` of the tarball would need
 * registry metadata that npm's cache on an offline machine doesn't hold.) The plain project gets
 * no framework at all.
 *
 * It takes about a minute: `npm test` (and CI) sets HITLESS_PACK_TEST=1; a bare `npx jest` skips it (`npx projen
 * test:package` sets it); it is skipped, saying so, otherwise.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(__dirname, 'fixtures');
const enabled = process.env.HITLESS_PACK_TEST === '1';
if (!enabled) {
  // eslint-disable-next-line no-console
  console.log('test/package/tarball.test.ts skipped: set HITLESS_PACK_TEST=1 (or run `npx projen test:package`) to pack and install the package');
}
const maybe = enabled ? describe : describe.skip;

let work: string;
let tarball: string;
let files: string[];

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...env, npm_config_update_notifier: 'false' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Links `name` from this repository's node_modules into `dir`'s, as if npm had installed it there. */
function linkFromRepository(dir: string, name: string): void {
  const target = path.join(dir, 'node_modules', name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules', name), target, 'dir');
}

/** A fresh project outside the repository with the tarball installed and `frameworks` linked in. */
function project(name: string, fixture: string, frameworks: string[]): string {
  const dir = path.join(work, name);
  fs.cpSync(path.join(FIXTURES, fixture), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, dependencies: { hitless: `file:${tarball}` } }, null, 2));
  const installed = path.join(dir, 'node_modules', 'hitless');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  for (const dependency of Object.keys(manifest.dependencies ?? {})) linkFromRepository(dir, dependency);
  for (const [command, file] of Object.entries(manifest.bin ?? {})) linkBin(dir, command, path.join('hitless', file as string));
  for (const framework of frameworks) linkFromRepository(dir, framework);
  return dir;
}

/** Links a package's bin into the project's node_modules/.bin, as npm would. */
function linkBin(dir: string, name: string, target: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  fs.symlinkSync(path.join(dir, 'node_modules', target), path.join(dir, 'node_modules', '.bin', name));
}

maybe('the packed tarball', () => {
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-package-'));
    // Packed from a copy of the checkout without dist/, as a clean clone is: prepack must compile
    // it, and the checkout's own dist/ (which tests running beside this one use) is left alone.
    const clone = path.join(work, 'clone');
    const left = new Set(['node_modules', 'dist', '.git', 'test', 'examples', 'demo.out', 'cdk8s.out', 'agree.out', '.typedoc-out']);
    for (const entry of fs.readdirSync(ROOT)) {
      if (!left.has(entry)) fs.cpSync(path.join(ROOT, entry), path.join(clone, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: clone, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    tarball = path.join(work, packed[0].filename);
    files = packed[0].files.map((each: { path: string }) => each.path);
  }, 180_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('declares every framework peer optional, so a Pulumi-only project gets no cdk8s and the reverse', () => {
    const dir = fs.mkdtempSync(path.join(work, 'manifest-'));
    execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', 'package/package.json']);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    for (const peer of Object.keys(manifest.peerDependencies)) expect(manifest.peerDependenciesMeta[peer]).toEqual({ optional: true });
    expect(Object.keys(manifest.dependencies)).not.toEqual(expect.arrayContaining(['cdk8s']));
    expect(Object.keys(manifest.exports)).toEqual(['.', './cdk8s', './pulumi', './package.json']);
  });

  test('holds the compiled entry points, types and CLI, and nothing else', () => {
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts', 'dist/cdk8s/index.js', 'dist/cdk8s/index.d.ts', 'dist/pulumi/index.js', 'dist/pulumi/index.d.ts', 'dist/cli.js']) {
      expect(files).toContain(needed);
    }
    // The Envoy API descriptor the validator loads, generated at build time from the protos.
    expect(files).toContain('dist/core/envoy/envoy-api.json');
    const unexpected = files.filter((file) => !/^dist\/.*\.(js|d\.ts)$/.test(file) && !['package.json', 'README.md', 'LICENSE', 'API.md', 'dist/core/envoy/envoy-api.json'].includes(file));
    expect(unexpected).toEqual([]);
    expect(files.filter((file) => file.startsWith('demo.out') || file.startsWith('lib/') || file.startsWith('test/'))).toEqual([]);
  });

  test('a plain Node project, with no framework installed, checks manifests with it', () => {
    const dir = project('node-script', 'node-script', []);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'cdk8s'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'node_modules', '@pulumi'))).toBe(false);
    const manifests = path.join(ROOT, 'test', 'fixtures', 'check', 'naive-envoy.yaml');
    const result = run(process.execPath, ['check.js', manifests], dir);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.verdict).toBe('drops-requests');
    expect(result.status).toBe(1);
    // A gateway with a bootstrap is validated against Envoy's API with no .proto file installed.
    expect(fs.existsSync(path.join(dir, 'node_modules', '@grpc'))).toBe(false);
    const careful = run(process.execPath, [path.join(dir, 'node_modules', '.bin', 'hitless'), 'check', path.join(ROOT, 'test', 'fixtures', 'check', 'careful-envoy.yaml')], dir);
    expect(careful.stderr).toBe('');
    expect(careful.stdout).toMatch(/^verdict: hitless/);
    expect(careful.status).toBe(0);
    fs.writeFileSync(path.join(dir, 'envoy.yaml'), 'admin:\n  address: {socket_address: {address: 127.0.0.1, port_value: 9901}}\n  bogus_field: 1\n');
    const invalid = run(process.execPath, [path.join(dir, 'node_modules', '.bin', 'hitless'), 'envoy-validate', 'envoy.yaml'], dir);
    expect(invalid.stdout + invalid.stderr).toMatch(/bogus_field/);
    expect(invalid.status).toBe(1);
    const version = run(process.execPath, [path.join(dir, 'node_modules', '.bin', 'hitless'), '--version'], dir);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  }, 180_000);

  test('a cdk8s app laid out like cdk8s-cli\'s TypeScript template synthesizes, passes the plugin from node_modules and hitless check', () => {
    const dir = project('cdk8s-app', 'cdk8s-app', ['cdk8s', 'cdk8s-plus-33', 'constructs', 'ts-node', 'typescript', '@types/node']);
    linkBin(dir, 'ts-node', 'ts-node/dist/bin.js');
    const cli = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    // ts-node type-checks main.ts with the template's tsconfig: the types resolve from the installed package.
    const synth = run(process.execPath, [cli, 'synth', '--no-check-upgrade'], dir, { PATH: `${path.join(dir, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` });
    expect(synth.stderr).not.toMatch(/error|Installing validation plugin/i);
    expect(synth.status).toBe(0);
    // cdk8s-cli loaded the plugin from the project's node_modules, and it judged the manifests.
    expect(synth.stdout).toContain(`Validation Report (${path.join(dir, 'node_modules', 'hitless')}@0.0.0)`);
    expect(synth.stdout).toMatch(/verdict\s*│\s*hitless/);
    const manifest = path.join(dir, 'dist', 'shop.k8s.yaml');
    expect(fs.existsSync(manifest)).toBe(true);
    const check = run(process.execPath, [path.join(dir, 'node_modules', 'hitless', 'dist', 'cli.js'), 'check', 'dist', '--format', 'json'], dir);
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout).summary.errors).toBe(0);
    expect(check.status).toBe(0);
  }, 240_000);

  test('a Pulumi program runs under mocks with neither cdk8s nor @pulumi/aws installed', () => {
    const dir = project('pulumi-program', 'pulumi-program', ['@pulumi/pulumi', '@pulumi/kubernetes', 'ts-node', 'typescript', '@types/node']);
    expect(fs.existsSync(path.join(dir, 'node_modules', 'cdk8s'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'node_modules', '@pulumi', 'aws'))).toBe(false);
    const result = run(process.execPath, ['run.js'], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { preStopSeconds, registered } = JSON.parse(result.stdout);
    expect(preStopSeconds).toBe(41);
    const types = registered.map((each: { type: string; name: string }) => `${each.type}::${each.name}`);
    expect(types).toEqual(expect.arrayContaining([
      'hitless:index:DrainingService::orders',
      'hitless:index:HitlessGateway::edge',
      'hitless:index:HealthCheckedNlb::edge-nlb',
      'kubernetes:apps/v1:Deployment::orders-shop/orders',
      'kubernetes:core/v1:Service::edge-edge/edge',
    ]));
    const service = registered.find((each: { type: string; name: string }) => each.type === 'kubernetes:core/v1:Service' && each.name === 'edge-edge/edge');
    expect(service.inputs.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval']).toBe('5');
  }, 180_000);
});
