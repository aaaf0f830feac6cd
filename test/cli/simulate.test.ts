import { existsSync, mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { main, parseSimulateArguments } from '../../lib/cli/simulate';
import { CliIo } from '../../lib/cli/io';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'check');

function io(cwd = process.cwd()): CliIo & { out: string; err: string } {
  const captured = { out: '', err: '' };
  return Object.assign(captured, {
    stdout: (text: string) => { captured.out += text; },
    stderr: (text: string) => { captured.err += text; },
    readStdin: async () => '',
    isTty: false,
    cwd,
  });
}

describe('parseSimulateArguments', () => {
  test("takes issue 7's flags", () => {
    const parsed = parseSimulateArguments(['m.yaml', '--scenario', 'gateway-rollout', '--placement', 'new-node', '--concurrency', '4', '--rate', '10', '--timeout', '1s', '--no-keepalive', '--duration', '95s', '--seed', '1', '--runs', '3', '--format', 'json', '--timeline', 'out.svg']);
    expect(parsed).toEqual({
      paths: ['m.yaml'],
      runs: 3,
      format: 'json',
      timeline: 'out.svg',
      options: { scenario: 'gateway-rollout', placement: 'new-node', seed: 1, load: { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: false, durationSeconds: 95 }, gateway: undefined, upstream: undefined },
    });
  });

  test('takes --flag=value, keep-alive and long requests', () => {
    const parsed = parseSimulateArguments(['a', 'b', '--scenario=upstream-rollout', '--keepalive', '--long-requests=5', '--long-delay', '3s', '--long-timeout', '1m', '--timeout', '500ms']);
    expect(parsed).not.toBe('help');
    if (parsed === 'help') return;
    expect(parsed.paths).toEqual(['a', 'b']);
    expect(parsed.options.load).toEqual({ keepAlive: true, longRequests: 5, longDelaySeconds: 3, longTimeoutSeconds: 60, timeoutSeconds: 0.5 });
  });

  test.each([
    [['m.yaml'], '--scenario is required'],
    [['--scenario', 'gateway-rollout'], 'no PATH given'],
    [['m.yaml', '--scenario', 'canary'], "--scenario must be one of gateway-rollout, gateway-daemonset-rollout, upstream-rollout, node-drain, not 'canary'"],
    [['m.yaml', '--scenario', 'node-drain', '--placement', 'elsewhere'], "--placement must be one of same-node, new-node, random, not 'elsewhere'"],
    [['m.yaml', '--scenario', 'node-drain', '--timeout', 'soon'], "--timeout must be a duration such as 500ms, 1s or 1m30s, not 'soon'"],
    [['m.yaml', '--scenario', 'node-drain', '--runs', '0'], "--runs must be a whole number ≥ 1, not '0'"],
    [['m.yaml', '--scenario', 'node-drain', '--rate', '-1'], "--rate must be a number ≥ 0, not '-1'"],
    [['m.yaml', '--scenario', 'node-drain', '--seed'], '--seed needs a value'],
    [['m.yaml', '--scenario', 'node-drain', '--fast'], "unknown option '--fast'"],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseSimulateArguments(argv)).toThrow(message);
  });
});

describe('hitless simulate', () => {
  const haveFixtures = existsSync(path.join(FIXTURES, 'gloo-edge.yaml'));
  const maybe = haveFixtures ? test : test.skip;

  test('prints its help', async () => {
    const streams = io();
    expect(await main(['--help'], streams)).toBe(0);
    expect(streams.out).toContain('usage: hitless simulate PATH... --scenario SCENARIO');
  });

  test('exits 2 on bad arguments, with the usage', async () => {
    const streams = io();
    expect(await main(['x.yaml'], streams)).toBe(2);
    expect(streams.err).toContain('--scenario is required');
    expect(streams.err).toContain('usage:');
  });

  maybe('simulates the Gloo manifests: failed requests, exit 1, JSON and a timeline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hitless-simulate-'));
    const streams = io(dir);
    const code = await main([path.join(FIXTURES, 'gloo-edge.yaml'), '--scenario', 'gateway-rollout', '--placement', 'new-node', '--duration', '95s', '--format', 'json', '--timeline', 'out.svg'], streams);
    expect(code).toBe(1);
    const json = JSON.parse(streams.out);
    expect(json.failed).toBeGreaterThan(0);
    expect(json.requests).toBe(json.succeeded + json.failed);
    expect(Object.keys(json.errors)).toContain('connect-timeout');
    expect(readFileSync(path.join(dir, 'out.svg'), 'utf8')).toContain('<svg');
  });

  maybe('exits 0 when no request fails, and text output names the run', async () => {
    const streams = io();
    const code = await main([path.join(FIXTURES, 'gloo-edge.yaml'), '--scenario', 'gateway-rollout', '--placement', 'same-node', '--duration', '60s', '--runs', '2'], streams);
    expect(streams.err).toBe('');
    expect(streams.out).toContain('2 runs, seeds 1–2');
    // The guide's own rollout restart: the surge pod lands on the old pod's node, which stays healthy.
    expect(streams.out).toContain('Runs with failures:\t0 of 2');
    expect(code).toBe(0);
  });

  test('exits 2 when the input holds nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hitless-simulate-empty-'));
    const streams = io(dir);
    expect(await main([dir, '--scenario', 'gateway-rollout'], streams)).toBe(2);
    expect(streams.err).toContain('hitless simulate:');
  });
});
