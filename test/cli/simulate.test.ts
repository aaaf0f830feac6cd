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

  test('takes --nodes and --client-retries; without --duration the load lasts until the rollout has settled', () => {
    const parsed = parseSimulateArguments(['m.yaml', '--scenario', 'gateway-rollout', '--nodes', '7', '--client-retries', '2']);
    expect(parsed).not.toBe('help');
    if (parsed === 'help') return;
    expect(parsed.options.parameters).toEqual({ clusterNodes: 7 });
    expect(parsed.options.load).toEqual({ clientRetries: 2 });
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
    [['m.yaml', '--scenario', 'node-drain', '--duration', '0s'], '--duration must be longer than 0s'],
    [['m.yaml', '--scenario', 'node-drain', '--nodes', '0'], "--nodes must be a whole number ≥ 1, not '0'"],
    [['m.yaml', '--scenario', 'node-drain', '--client-retries', '-1'], "--client-retries must be a whole number ≥ 0, not '-1'"],
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
    const code = await main([path.join(FIXTURES, 'gloo-edge.yaml'), '--scenario', 'gateway-rollout', '--placement', 'same-node', '--runs', '2'], streams);
    expect(streams.err).toBe('');
    expect(streams.out).toContain('2 runs, seeds 1–2');
    // The guide's own rollout restart: the surge pod lands on the old pod's node, which stays healthy.
    expect(streams.out).toContain('Runs with failures:\t0 of 2');
    expect(code).toBe(0);
  });

  maybe('a run that ends before the rollout does says so and exits 3', async () => {
    const streams = io();
    const code = await main([path.join(FIXTURES, 'careful-envoy.yaml'), '--scenario', 'upstream-rollout', '--duration', '20s'], streams);
    expect(streams.out).toContain('Rollout:  DID NOT FINISH within the run');
    expect(streams.err).toContain('the rollout did not finish within the run');
    expect(code).toBe(3);
  });

  maybe('reports the rollout time beside the least the chain allows, and the nodes simulated', async () => {
    const streams = io();
    const code = await main([path.join(FIXTURES, 'careful-envoy.yaml'), '--scenario', 'upstream-rollout', '--nodes', '6', '--format', 'json'], streams);
    const json = JSON.parse(streams.out);
    expect(code).toBe(0);
    expect(json.nodes).toBe(6);
    expect(json.rolloutFinished).toBe(true);
    expect(json.leastRolloutSeconds).toBeGreaterThan(0);
    expect(json.rolloutSeconds).toBeGreaterThanOrEqual(json.leastRolloutSeconds * 0.8);
    expect(json.durationSeconds).toBeGreaterThan(json.rolloutSeconds);
  });

  maybe('--client-retries: clients that retry through the load balancer lose fewer requests', async () => {
    const plain = io();
    await main([path.join(FIXTURES, 'gloo-edge.yaml'), '--scenario', 'gateway-rollout', '--format', 'json'], plain);
    const retrying = io();
    await main([path.join(FIXTURES, 'gloo-edge.yaml'), '--scenario', 'gateway-rollout', '--client-retries', '3', '--format', 'json'], retrying);
    expect(JSON.parse(retrying.out).clientRetries).toBeGreaterThan(0);
    expect(JSON.parse(retrying.out).failed).toBeLessThan(JSON.parse(plain.out).failed);
  });

  test('exits 2 when the input holds nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hitless-simulate-empty-'));
    const streams = io(dir);
    expect(await main([dir, '--scenario', 'gateway-rollout'], streams)).toBe(2);
    expect(streams.err).toContain('hitless simulate:');
  });
});
