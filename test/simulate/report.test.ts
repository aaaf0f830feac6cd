import { formatResultText, formatRollout, formatRunsText, resultJson, runsJson, simulate, simulateRuns } from '../../lib/simulate';
import { glooGuideTopology, GUIDE_LOAD, safeTopology } from './fixtures';

const load = { ...GUIDE_LOAD, durationSeconds: 95 };

describe('report', () => {
  const failing = simulate(glooGuideTopology(), { scenario: 'gateway-rollout', placement: 'new-node', load, seed: 1 });

  test('JSON has the fields issue 7 promises, in seconds', () => {
    const json = resultJson(failing);
    expect(json).toMatchObject({ requests: failing.requests, succeeded: failing.succeeded, failed: failing.failed, errors: failing.errors, rolloutSeconds: failing.rolloutSeconds });
    expect(json.latency).toMatchObject({ p50: expect.any(Number), p99: expect.any(Number) });
    expect((json.latency as { p99: number }).p99).toBeLessThan(1);
    expect(json.causes).toEqual({ 'node-without-endpoint': { count: failing.failed, category: 'lb-detection' } });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test("text reads like hey's summary, then ties each failure to its invariant", () => {
    const text = formatResultText(failing);
    for (const heading of ['Summary:', 'Requests/sec:', 'Latency distribution:', 'Status code distribution:', 'Error distribution:', 'Why they failed, and the invariant that prevents it:']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain(`[${failing.errors['connect-timeout']}]\tconnect-timeout: dial tcp: i/o timeout`);
    expect(text).toContain('node-without-endpoint → lb-detection');
    expect(text).toMatch(/\[200\]\t\d+ responses/);
  });

  test('a clean run says so', () => {
    const clean = simulate(safeTopology(), { scenario: 'upstream-rollout', load: { ...load, durationSeconds: 170 }, seed: 1 });
    expect(formatResultText(clean)).toContain('No request failed.');
    expect(resultJson(clean).errors).toEqual({});
  });

  test('several runs report the spread of failures and every run', () => {
    const summary = simulateRuns(glooGuideTopology(), { scenario: 'gateway-rollout', placement: 'new-node', load, seed: 3 }, 4);
    expect(summary.results.map((result) => result.seed)).toEqual([3, 4, 5, 6]);
    expect(summary.failed.min).toBeLessThanOrEqual(summary.failed.p50);
    expect(summary.failed.p50).toBeLessThanOrEqual(summary.failed.max);
    expect(summary.requests).toBe(summary.results.reduce((sum, result) => sum + result.requests, 0));
    const json = runsJson(summary);
    expect(json).toMatchObject({ runs: 4, firstSeed: 3, runsWithFailures: 4 });
    expect(json.results).toHaveLength(4);
    expect(formatRunsText(summary)).toContain('Failed per run:');
    expect(() => simulateRuns(glooGuideTopology(), { scenario: 'gateway-rollout' }, 0)).toThrow("'runs' (0) must be a whole number ≥ 1");
  });
});

describe('rollout time in the report', () => {
  test('text names the rollout time beside the least the chain allows, or that it did not finish', () => {
    expect(formatRollout(120, 100)).toBe('120.0 secs (the chain allows no less than 100.0 secs for a safe rollout: 1.20 ×)');
    expect(formatRollout(null, 100)).toMatch(/^DID NOT FINISH within the run/);
    const unfinished = simulateRuns(safeTopology(), { scenario: 'upstream-rollout', load: { ...GUIDE_LOAD, durationSeconds: 20 } }, 2);
    expect(unfinished.unfinished).toBe(2);
    expect(formatRunsText(unfinished)).toContain('DID NOT FINISH in 2 of 2 runs');
    const json = resultJson(unfinished.results[0]);
    expect(json).toMatchObject({ rolloutSeconds: null, rolloutFinished: false, durationSeconds: 20 });
    expect(json.leastRolloutSeconds).toBeGreaterThan(0);
  });
});
