import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/check';
import { CliIo } from '../../lib/cli/io';

const fixtures = path.join(__dirname, '..', 'fixtures', 'check');

function io(options: { stdin?: string; isTty?: boolean; cwd?: string } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => { out += text; },
    stderr: (text) => { err += text; },
    readStdin: async () => options.stdin ?? '',
    isTty: options.isTty ?? false,
    cwd: options.cwd ?? fixtures,
    out: () => out,
    err: () => err,
  };
}

describe('hitless check', () => {
  test('exits 1 on the Gloo guide install and prints findings grouped by object, without colour off a terminal', async () => {
    const cli = io();
    expect(await main(['gloo-edge.yaml'], cli)).toBe(1);
    const text = cli.out();
    expect(text).toContain('Deployment/gloo-system/gateway-proxy\n  error   Deployment/gloo-system/gateway-proxy keeps serving for 5s');
    expect(text).toContain('fix: make the preStop of Deployment/gloo-system/gateway-proxy fail the health check and keep serving for at least 31s');
    expect(text).toMatch(/verdict: drops requests — 7 errors, \d+ warnings in 8 objects \(1 gateway, 1 upstream\)\n$/);
    expect(text).not.toContain('\u001b[');
  });

  test('colours on a terminal', async () => {
    const cli = io({ isTty: true });
    await main(['gloo-edge.yaml'], cli);
    expect(cli.out()).toContain('\u001b[31merror');
  });

  test('exits 0 on the careful install, in JSON with exactly the shape of issue 6', async () => {
    const cli = io();
    expect(await main(['--format', 'json', 'careful-envoy.yaml'], cli)).toBe(0);
    const json = JSON.parse(cli.out());
    // Issue 11 appended `security` after the issue-6 fields.
    expect(Object.keys(json)).toEqual(['verdict', 'findings', 'summary', 'security']);
    expect(json.verdict).toBe('hitless');
    expect(json.findings).toEqual([]);
  });

  test('writes each finding with rule, category, severity, objects, message, fix, in that order', async () => {
    const cli = io();
    expect(await main(['--format=json', 'naive-envoy.yaml'], cli)).toBe(1);
    const json = JSON.parse(cli.out());
    expect(json.verdict).toBe('drops-requests');
    for (const finding of json.findings) {
      // `mechanism` (issue 11) is appended on error findings that drop requests (not on security ones).
      expect(Object.keys(finding)).toEqual(['rule', 'category', 'severity', 'objects', 'message', 'fix', ...(finding.severity === 'error' && finding.category !== 'security' ? ['mechanism'] : [])]);
      expect(['error', 'warning']).toContain(finding.severity);
      for (const object of finding.objects) expect(object).toMatch(/^[A-Za-z]+\/[^/]+\/[^/]+$/);
    }
  });

  test('reads standard input, and every manifest in a directory', async () => {
    const cli = io({ stdin: fs.readFileSync(path.join(fixtures, 'careful-envoy.yaml'), 'utf8') });
    expect(await main(['-', '--format', 'json'], cli)).toBe(0);
    const all = io();
    expect(await main(['.', '--format', 'json'], all)).toBe(1);
    expect(JSON.parse(all.out()).summary.gateways).toBe(3);
  });

  test('exits 2 with the file and line, and no stack trace, on a YAML syntax error', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-check-'));
    fs.writeFileSync(path.join(directory, 'broken.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n');
    const cli = io({ cwd: directory });
    expect(await main(['broken.yaml'], cli)).toBe(2);
    expect(cli.err()).toMatch(/^hitless check: broken\.yaml:\d+: YAML syntax error/);
    expect(cli.err()).not.toMatch(/\n\s+at /);
    expect(cli.out()).toBe('');
  });

  test('exits 2 on a missing file and on bad options', async () => {
    const missing = io();
    expect(await main(['nope.yaml'], missing)).toBe(2);
    expect(missing.err()).toContain('nope.yaml: no such file or directory');
    expect(await main([], io())).toBe(2);
    expect(await main(['--format', 'xml', 'gloo-edge.yaml'], io())).toBe(2);
    expect(await main(['--frobnicate', 'gloo-edge.yaml'], io())).toBe(2);
  });

  test('says unknown, exit 3 (0 with --allow-unknown), when there is nothing to judge', async () => {
    const stdin = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n';
    expect(await main(['--allow-unknown', '-'], io({ stdin }))).toBe(0);
    const cli = io({ stdin });
    expect(await main(['-'], cli)).toBe(3);
    expect(cli.out()).toContain('verdict: unknown');
    expect(cli.out()).toContain('nothing to judge');
  });

  test('lists documents that are not Kubernetes objects as skipped, and does not count them', async () => {
    const cli = io({ stdin: '{"name": "app", "version": "1.0.0"}' });
    expect(await main(['-'], cli)).toBe(3);
    expect(cli.out()).toContain('skipped 1 document that is not Kubernetes objects: -');
    expect(cli.out()).toContain('in 0 objects');
  });

  test('applies --margin to every window', async () => {
    const cli = io();
    await main(['--margin', '10', '--format', 'json', 'gloo-edge.yaml'], cli);
    const finding = JSON.parse(cli.out()).findings.find((each: { rule: string }) => each.rule === 'gateway-stops-before-lb-detection');
    expect(finding.fix).toContain('at least 36s');
  });

  test('--witness: each error finding with the run that shows it, and a timeline per witness in --witness-dir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-check-witness-'));
    try {
      const cli = io({ cwd: dir });
      expect(await main(['--witness-dir', 'w', path.join(fixtures, 'gloo-edge.yaml')], cli)).toBe(1);
      const text = cli.out();
      expect(text).toContain('witnesses (simulated on these manifests):');
      expect(text).toMatch(/\[gateway-stops-before-lb-detection\] Deployment\/gloo-system\/gateway-proxy: gateway-rollout, placement new-node, seed \d+, 4 × 10 req\/s: \d+ of \d+ requests failed; the first [\d.]+s after the start: \S+ \(\S+\); timeline w\/\d+-gateway-stops-before-lb-detection.svg/);
      expect(fs.readdirSync(path.join(dir, 'w')).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--witness in JSON: a witness field on each error finding; a hitless verdict carries the sweep it rests on', async () => {
    const failing = io();
    await main(['--witness', '--format', 'json', 'naive-envoy.yaml'], failing);
    const report = JSON.parse(failing.out());
    for (const each of report.findings) {
      if (each.severity === 'error') expect(each.witness).toHaveProperty('reproduced');
      else expect(each.witness).toBeUndefined();
    }
    expect(report.findings.find((each: { rule: string }) => each.rule === 'admin-not-on-loopback').witness).toMatchObject({ reproduced: false, reason: expect.stringMatching(/security/) });
    const careful = io();
    expect(await main(['--witness', '--format', 'json', 'careful-envoy.yaml'], careful)).toBe(0);
    const clean = JSON.parse(careful.out());
    expect(clean.verdict).toBe('hitless');
    expect(clean.witness).toMatchObject({ scenarios: ['gateway-rollout', 'upstream-rollout', 'node-drain'], seeds: 3, failed: 0 });
    expect(clean.witness.requests).toBeGreaterThan(10000);
  });
});
