import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main as checkMain } from '../lib/cli/check';
import { main as validateMain } from '../lib/cli/envoy-validate';
import { CliIo } from '../lib/cli/io';

/**
 * The hostile corpus: files built to hang, exhaust or crash a reader (alias bombs, deep nesting,
 * megabyte runs, huge scalars, wrong types everywhere, every Envoy duration form, UTF-16, CRLF,
 * tags, 10,000 documents, 50 MB, a FIFO). Each runs through the built CLI in its own process with
 * a per-file bound on time (a hang guard, not a speed test: 30 s, or 60 s for the 50 MB file, generous
 * because CI machines are shared; unloaded, every file ends within 6 s)
 * and on memory (`--max-old-space-size`), and must end with its documented exit status:
 * 0 nothing wrong, 1 an error finding (or, for envoy-validate, a problem), 2 unreadable input.
 * Small files are in test/fixtures/hostile/; the large ones are generated here.
 */

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const fixtures = path.join(__dirname, 'fixtures', 'hostile');
const careful = fs.readFileSync(path.join(__dirname, 'fixtures', 'check', 'careful-envoy.yaml'), 'utf8');
const built = fs.existsSync(cli);
const maybe = built ? test : test.skip;
if (!built) test.skip('(skipped: dist/cli.js is not built; `npm test` compiles first)', () => undefined);

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-hostile-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function generated(name: string, content: string | Buffer): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, content);
  return file;
}

const MB = 1024 * 1024;

/**
 * Each case: the file (made lazily), the command, the exit status it must end with, its time bound.
 * A file with no gateway in it is read but has nothing to judge: verdict unknown, exit 3.
 */
const corpus: [string, () => string, 'check' | 'envoy-validate', number, number][] = [
  ['an alias bomb', () => path.join(fixtures, 'alias-bomb.yaml'), 'check', 2, 30],
  ['an alias bomb, to envoy-validate', () => path.join(fixtures, 'alias-bomb.yaml'), 'envoy-validate', 2, 30],
  ['100,000-deep nesting', () => generated('deep.yaml', `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`), 'check', 2, 30],
  ['a megabyte of spaces inside a scalar', () => generated('spaces.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {a: "x${' '.repeat(MB)}y"}\n`), 'check', 3, 30],
  ['a megabyte of spaces in a plain scalar', () => generated('plain-spaces.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata:\n  a: x${' '.repeat(MB)}y\n`), 'check', 3, 30],
  ['a megabyte of tabs and spaces before nothing', () => generated('tabs.yaml', `a:${' \t'.repeat(MB / 2)}\n`), 'check', 3, 30],
  ['a 10 MB scalar', () => generated('huge-scalar.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: h}\ndata: {a: ${'x'.repeat(10 * MB)}}\n`), 'check', 3, 30],
  ['a 10 MB unknown key to envoy-validate', () => generated('huge-key.json', `{"${'k'.repeat(10 * MB)}": 1}`), 'envoy-validate', 1, 30],
  ['10,000 documents', () => generated('many.yaml', Array.from({ length: 10_000 }, (_v, index) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${index}}\n`).join('---\n')), 'check', 3, 30],
  ['50 MB in one file', () => generated('fifty.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {a: "${'y'.repeat(50 * MB)}"}\n`), 'check', 3, 60],
  ['UTF-16 with a byte order mark', () => generated('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('apiVersion: v1\nkind: ConfigMap\n', 'utf16le')])), 'check', 2, 30],
  ['bytes that are not UTF-8', () => generated('latin1.yaml', Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xe9}\n', 'latin1')), 'check', 2, 30],
  ['the careful install with CRLF line ends', () => generated('crlf.yaml', careful.replace(/\n/g, '\r\n')), 'check', 0, 30],
  ['tags', () => path.join(fixtures, 'tags.yaml'), 'check', 3, 30],
  ['wrong types in every field read', () => path.join(fixtures, 'wrong-types.yaml'), 'check', 1, 30],
  ['every Envoy duration form, to envoy-validate', () => path.join(fixtures, 'envoy-durations.yaml'), 'envoy-validate', 1, 30],
];

describe('the hostile corpus ends in time, within memory, with its documented exit status', () => {
  test.each(corpus)('%s', (_name, file, command, status, seconds) => {
    if (!built) return;
    const target = file();
    const started = Date.now();
    const result = spawnSync(process.execPath, ['--max-old-space-size=768', cli, command, target], { timeout: seconds * 1000, encoding: 'utf8', maxBuffer: 64 * MB });
    const elapsed = (Date.now() - started) / 1000;
    expect({ signal: result.signal, status: result.status, stack: /\n\s+at /.test(result.stderr) }).toEqual({ signal: null, status, stack: false });
    expect(elapsed).toBeLessThan(seconds);
  }, 120_000);

  maybe('a FIFO named *.yaml is refused, not read forever', () => {
    const fifo = path.join(scratch, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const result = spawnSync(process.execPath, [cli, 'check', fifo], { timeout: 10_000, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('a named pipe, not a regular file');
  }, 30_000);
});

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: (text) => { out += text; }, stderr: (text) => { err += text; }, readStdin: async () => '', isTty: false, cwd: scratch, out: () => out, err: () => err };
}

describe('check agrees with envoy-validate on every Envoy duration form', () => {
  const forms = ['"-5s"', '"1e9s"', '""', '"5"', '"PT5S"', '{seconds: "NaN"}', '"5m"', '"315576000001s"', '"0.0000000001s"', '"5s"', '"0.5s"'];
  test.each(forms)('dns_refresh_rate: %s', async (form) => {
    const file = generated(`duration-${forms.indexOf(form)}.yaml`, careful.replace(/dns_refresh_rate: [^\n]+/, `dns_refresh_rate: ${form}`));
    const validate = io();
    const validated = await validateMain([file], validate);
    const check = io();
    const checked = await checkMain(['--format', 'json', file], check);
    const rejected = JSON.parse(check.out()).findings.filter((finding: { rule: string }) => finding.rule === 'envoy-bootstrap-rejected');
    expect(validated === 1).toBe(rejected.length === 1);
    expect(checked).toBe(validated === 1 ? 1 : 0);
  }, 60_000);
});
