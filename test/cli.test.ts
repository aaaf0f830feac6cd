/**
 * One contract for every command of `hitless` (lib/cli.ts and lib/cli/io.ts): --version, --format
 * text|json, the exit-status table (0 passes, 1 doesn't, 2 can't be judged) in every --help, and
 * unreadable input reported the same way by every command that reads manifests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../lib/cli';
import { CliIo, EXIT_STATUS_HELP } from '../lib/cli/io';

const FIXTURES = path.join(__dirname, 'fixtures', 'check');
const COMMANDS = ['check', 'simulate', 'explain', 'envoy-validate'];

interface Result { code: number; stdout: string; stderr: string }

async function hitless(argv: string[], options: { cwd?: string; stdin?: string } = {}): Promise<Result> {
  const result = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (text) => { result.stdout += text; },
    stderr: (text) => { result.stderr += text; },
    readStdin: async () => options.stdin ?? '',
    isTty: false,
    cwd: options.cwd ?? process.cwd(),
  };
  const code = await run(argv, io);
  return { code, ...result };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-cli-'));
  fs.writeFileSync(path.join(dir, 'malformed.yaml'), 'kind: Service\nmetadata: {name: [unclosed\n');
  // Each level repeats the one before ten times: a few lines that expand to 10^8 nodes.
  const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level <= 8; level++) levels.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`);
  fs.writeFileSync(path.join(dir, 'alias-bomb.yaml'), `${levels.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'no-gateway.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: edge }\ndata: {}\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hitless --version', () => {
  test('prints the version of package.json and exits 0', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
    const result = await hitless(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('every command', () => {
  test.each(COMMANDS)('%s --help prints --format and the one exit-status table, and exits 0', async (command) => {
    const result = await hitless([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--format text|json');
    expect(result.stdout).toContain(EXIT_STATUS_HELP);
  });

  test('the top-level help has the table too', async () => {
    const result = await hitless(['--help']);
    expect(result.stdout).toContain(EXIT_STATUS_HELP);
    expect(result.stdout).toContain('--version');
  });

  test.each(COMMANDS)('%s refuses an unknown --format with exit 2', async (command) => {
    const result = await hitless([command, 'x.yaml', '--format', 'xml', '--scenario', 'gateway-rollout']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--format must be text or json, not 'xml'/);
  });
});

describe('--format json', () => {
  test('check, explain and envoy-validate print JSON', async () => {
    const manifests = path.join(FIXTURES, 'careful-envoy.yaml');
    const check = await hitless(['check', manifests, '--format', 'json']);
    expect(JSON.parse(check.stdout)).toHaveProperty('verdict');
    const explain = await hitless(['explain', manifests, '--format', 'json']);
    expect(explain.code).toBe(0);
    expect(Array.isArray(JSON.parse(explain.stdout))).toBe(true);
    const bootstrap = path.join(dir, 'bootstrap.yaml');
    fs.writeFileSync(bootstrap, 'admin:\n  address:\n    socket_address: { address: 127.0.0.1, port_value: 9901 }\n');
    const validate = await hitless(['envoy-validate', bootstrap, '--format', 'json']);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout)).toEqual({ bootstraps: [{ source: bootstrap, valid: true, problems: [] }] });
  }, 60_000);

  test('explain keeps --json as a deprecated alias', async () => {
    const manifests = path.join(FIXTURES, 'careful-envoy.yaml');
    const [alias, format] = [await hitless(['explain', manifests, '--json']), await hitless(['explain', manifests, '--format', 'json'])];
    expect(alias.stdout).toEqual(format.stdout);
  });
});

describe('exit status', () => {
  test('no gateway exits 2 in explain and in simulate', async () => {
    const file = path.join(dir, 'no-gateway.yaml');
    const explain = await hitless(['explain', file]);
    const simulate = await hitless(['simulate', file, '--scenario', 'gateway-rollout']);
    expect([explain.code, simulate.code]).toEqual([2, 2]);
    expect(explain.stderr).toMatch(/no gateway/);
    expect(simulate.stderr).toMatch(/gateway/);
  });

  test.each([
    ['a missing file', 'missing.yaml'],
    ['malformed YAML', 'malformed.yaml'],
    ['an alias bomb', 'alias-bomb.yaml'],
  ])('simulate and explain report %s exactly as check does, and exit 2', async (_, file) => {
    const check = await hitless(['check', file], { cwd: dir });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain(file);
    const reason = check.stderr.replace(/hitless check/g, 'hitless COMMAND').replace(/checked/g, 'DONE');
    const simulate = await hitless(['simulate', file, '--scenario', 'gateway-rollout'], { cwd: dir });
    expect(simulate.code).toBe(2);
    expect(simulate.stderr.replace(/hitless simulate/g, 'hitless COMMAND').replace(/simulated/g, 'DONE')).toBe(reason);
    expect(simulate.stderr).not.toMatch(/no Kubernetes object/);
    const explain = await hitless(['explain', file], { cwd: dir });
    expect(explain.code).toBe(2);
    expect(explain.stderr.replace(/hitless explain/g, 'hitless COMMAND').replace(/explained/g, 'DONE')).toBe(reason);
  });

  test.each(['out.png', 'out', 'timeline.svg.png'])('simulate --timeline %s is refused before anything runs, and nothing is written', async (name) => {
    const result = await hitless(['simulate', path.join(FIXTURES, 'careful-envoy.yaml'), '--scenario', 'gateway-rollout', '--timeline', name], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--timeline writes an SVG picture: name the file *.svg, not '${name}'`);
    expect(fs.existsSync(path.join(dir, name))).toBe(false);
  });

  test('an unknown command exits 2', async () => {
    expect((await hitless(['frobnicate'])).code).toBe(2);
  });
});
