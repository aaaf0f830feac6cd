import * as fs from 'fs';
import * as path from 'path';
import {
  categoriesWitnessed, classify, compareResults, witnesses, DEFAULT_PLAN, explanationFor, group, parseExplanations, RunPlan, runVariant, TABLE_END, TABLE_START, VariantResult,
} from '../../scripts/agree/classify';
import { baseVariant, Base } from '../../scripts/agree/variants';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/check', name), 'utf8');
const edge: Base = { name: 'edge', description: 'careful Envoy edge', text: fixture('careful-envoy.yaml') };
const gloo: Base = { name: 'gloo-guide', description: "Gloo guide's settings", text: fixture('gloo-edge.yaml') };
const quick: RunPlan = { ...DEFAULT_PLAN, scenarios: ['gateway-rollout', 'upstream-rollout'], seeds: 1 };

test.each([
  [false, 10, 0, 'agree-hitless'],
  [true, 10, 3, 'agree-drops'],
  [true, 10, 0, 'checker-only'],
  [false, 10, 1, 'simulator-only'],
  [true, 0, 0, 'not-simulated'],
] as const)('an error finding %s, %i runs, %i failing: %s', (drops, runs, failing, expected) => {
  expect(classify(drops, runs, failing)).toBe(expected);
});

test('the careful edge config agrees on hitless, and the runs the simulator refuses are noted, not counted', () => {
  const result = runVariant(baseVariant(edge), quick);
  expect(result.class).toBe('agree-hitless');
  expect(result.errors).toEqual([]);
  expect(result.failingRuns).toEqual([]);
  // Required anti-affinity: a gateway rollout cannot place the new pod on the old one's node.
  expect(result.notes).toEqual([{ scenario: 'gateway-rollout', placement: 'same-node', note: expect.stringMatching(/^refused: placement same-node is impossible/) }]);
  expect(result.runs).toBe(3 * 2);
  expect(result.rolloutSeconds['upstream-rollout']).toBeGreaterThan(0);
});

test("the Gloo guide's settings agree on dropping, and the failing run names its cause", () => {
  const result = runVariant(baseVariant(gloo), quick);
  expect(result.class).toBe('agree-drops');
  expect(result.errors.map((error) => error.rule)).toContain('upstream-stops-before-gateways-forget-it');
  // Once an error finding has met a failing run of its category the class is settled: the rest is not played.
  expect(result.witnessed).toBe(true);
  expect(result.runs).toBeLessThan(2 * 2 * 2);
  const [run] = result.failingRuns;
  expect(run.failed).toBeGreaterThan(0);
  expect(run.failed).toBeLessThanOrEqual(run.requests);
  expect(run.causes[run.firstCause]).toBeGreaterThan(0);
  expect(run.firstFailureSeconds).toBeGreaterThan(0);
});

test('--exhaustive plays every run even when the class is settled', () => {
  const result = runVariant(baseVariant(gloo), { ...quick, exhaustive: true });
  expect(result.runs).toBe(2 * 2 * 2);
  expect(result.failingRuns.length).toBeGreaterThan(1);
  expect(new Set(result.failingRuns.map((run) => run.scenario))).toEqual(new Set(['gateway-rollout', 'upstream-rollout']));
});

const table = `# Agreement

${TABLE_START}
| variant | class | reason |
|---|---|---|
| \`edge/nlb-unhealthy-threshold=3\` | checker-only | the margin is for NLB checkers the simulator does not model |
| edge/gateway-admin=* | checker-only | security, not a drop |
| cdk8s/* | simulator-only | a reason with a | in it |
${TABLE_END}

| not | in | the table |
`;

test('the table of explained disagreements is read between its markers', () => {
  expect(parseExplanations(table)).toEqual([
    { pattern: 'edge/nlb-unhealthy-threshold=3', class: 'checker-only', reason: 'the margin is for NLB checkers the simulator does not model' },
    { pattern: 'edge/gateway-admin=*', class: 'checker-only', reason: 'security, not a drop' },
    { pattern: 'cdk8s/*', class: 'simulator-only', reason: 'a reason with a | in it' },
  ]);
});

test('a row with an unknown class or no reason, or a table without markers, is refused', () => {
  expect(() => parseExplanations(`${TABLE_START}\n| edge/x=1 | wrong | r |\n${TABLE_END}`)).toThrow(/class 'wrong' is not one of/);
  expect(() => parseExplanations(`${TABLE_START}\n| edge/x=1 | checker-only | |\n${TABLE_END}`)).toThrow(/gives no reason/);
  expect(() => parseExplanations('| edge/x=1 | checker-only | r |')).toThrow(/needs the markers/);
});

test('a disagreement is explained only by a row of its own class whose pattern matches the whole id', () => {
  const rows = parseExplanations(table);
  expect(explanationFor({ id: 'edge/nlb-unhealthy-threshold=3', class: 'checker-only' }, rows)?.reason).toMatch(/margin/);
  expect(explanationFor({ id: 'edge/nlb-unhealthy-threshold=3', class: 'simulator-only' }, rows)).toBeUndefined();
  expect(explanationFor({ id: 'edge/nlb-unhealthy-threshold=3+gateway-grace=30', class: 'checker-only' }, rows)).toBeUndefined();
  expect(explanationFor({ id: 'edge/gateway-admin=0.0.0.0', class: 'checker-only' }, rows)).toBeDefined();
  expect(explanationFor({ id: 'cdk8s/retry-on=5xx', class: 'simulator-only' }, rows)).toBeDefined();
});

test('the repository table parses', () => {
  expect(() => parseExplanations(fs.readFileSync(path.join(__dirname, '../../docs/agreement.md'), 'utf8'))).not.toThrow();
});

function result(id: string, cls: VariantResult['class'], rest: Partial<VariantResult> = {}): VariantResult {
  return {
    id, base: id.split('/')[0], settings: id.split('/')[1] === 'base' ? [] : id.split('/')[1].split('+').map((each) => ({ knob: each.split('=')[0], value: each.split('=')[1] })),
    class: cls, verdict: '', errors: [], warnings: [], runs: 10, failingRuns: [], notes: [], rolloutSeconds: {}, ...rest,
  };
}

test('grouping counts classes, checker-only rules, simulator-only causes and knobs', () => {
  const run = { scenario: 'gateway-rollout' as const, placement: 'new-node' as const, seed: 1, keepAlive: false, failed: 3, requests: 100, firstFailureSeconds: 12, causes: {} };
  const grouped = group([
    result('edge/base', 'agree-hitless'),
    result('edge/nlb-interval=5', 'checker-only', { errors: [{ rule: 'a', severity: 'error', category: 'lb-detection' }, { rule: 'a', severity: 'error', category: 'lb-detection' }] }),
    result('edge/nlb-interval=30+gateway-grace=7', 'checker-only', { errors: [{ rule: 'b', severity: 'error', category: 'grace-period' }] }),
    result('edge/retry-on=none', 'simulator-only', { failingRuns: [{ ...run, firstCause: 'upstream-stale-host-no-retry' }, { ...run, firstCause: 'upstream-stale-host-no-retry' }] }),
  ]);
  expect(grouped.counts).toEqual({ 'agree-hitless': 1, 'agree-drops': 0, 'checker-only': 2, 'simulator-only': 1, 'not-simulated': 0 });
  expect(grouped.agreeDropsUnwitnessed).toBe(0);
  expect(grouped.checkerOnlyByRule).toEqual({ a: 1, b: 1 });
  expect(grouped.simulatorOnlyByCause).toEqual({ 'upstream-stale-host-no-retry': 1 });
  expect(grouped.byKnob).toEqual({
    '(base)': { 'agree-hitless': 1 },
    'nlb-interval': { 'checker-only': 2 },
    'gateway-grace': { 'checker-only': 1 },
    'retry-on': { 'simulator-only': 1 },
  });
});

test('a failure witnesses the category its cause belongs to, and retries for a stale host not retried', () => {
  const run = { scenario: 'upstream-rollout' as const, placement: 'new-node' as const, seed: 1, keepAlive: false, failed: 1, requests: 100, firstFailureSeconds: 9, firstCause: 'x', causes: {} };
  expect(categoriesWitnessed('node-without-endpoint')).toEqual(['lb-detection']);
  expect(categoriesWitnessed('upstream-stale-host-no-retry')).toEqual(['upstream-propagation', 'retries']);
  expect(categoriesWitnessed('slow-request')).toEqual([]);
  expect(witnesses(new Set(['retries']), [{ ...run, causes: { 'upstream-stale-host-no-retry': 2 } }])).toBe(true);
  expect(witnesses(new Set(['grace-period']), [{ ...run, causes: { 'upstream-stale-host': 2, 'slow-request': 1 } }])).toBe(false);
});

test('comparing two reports lists class changes, new and gone variants', () => {
  const before = [result('edge/a=1', 'checker-only'), result('edge/b=1', 'agree-drops'), result('edge/c=1', 'agree-hitless')];
  const after = [result('edge/a=1', 'agree-hitless'), result('edge/b=1', 'agree-drops'), result('edge/d=1', 'simulator-only')];
  expect(compareResults(before, after)).toEqual({
    changed: [{ id: 'edge/a=1', from: 'checker-only', to: 'agree-hitless' }],
    added: ['edge/d=1'],
    removed: ['edge/c=1'],
  });
});
