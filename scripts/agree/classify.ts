/**
 * Runs one variant through the checker and the simulator and says whether they agree
 * (issue 11, item 3). Also reads the table of explained disagreements (docs/agreement.md) and
 * compares two reports.
 */
import { checkReadResult } from '../../lib/check';
import { readManifestText } from '../../lib/read';
import { FAILURE_CAUSES, FailureCause, LoadProfile } from '../../lib/simulate/clients';
import { Placement } from '../../lib/simulate/kubernetes';
import { Scenario } from '../../lib/simulate/scenarios';
import { simulate } from '../../lib/simulate/simulation';
import type { Variant } from './variants';

/**
 * - `agree-hitless`: no error finding, no simulated failure;
 * - `agree-drops`: an error finding, and some run drops requests;
 * - `checker-only`: an error finding, no run drops a request (the checker cries wolf, or the simulator cannot see it);
 * - `simulator-only`: no error finding, some run drops requests (the checker misses it, or the simulator is wrong);
 * - `not-simulated`: the simulator refused every run (e.g. no gateway it can play).
 */
export type AgreementClass = 'agree-hitless' | 'agree-drops' | 'checker-only' | 'simulator-only' | 'not-simulated';

export const CLASSES: readonly AgreementClass[] = ['agree-hitless', 'agree-drops', 'checker-only', 'simulator-only', 'not-simulated'];

/** What the harness plays for each variant. */
export interface RunPlan {
  readonly scenarios: readonly Scenario[];
  readonly placements: readonly Placement[];
  readonly seeds: number;
  readonly keepAlive: readonly boolean[];
  /** Play every run even when the class is already settled (an error finding and a failing run). */
  readonly exhaustive: boolean;
}

export const DEFAULT_PLAN: RunPlan = {
  scenarios: ['gateway-rollout', 'upstream-rollout', 'node-drain'],
  placements: ['same-node', 'new-node'],
  seeds: 5,
  keepAlive: [false, true],
  exhaustive: false,
};

/** A finding as the report keeps it. */
export interface FindingSummary {
  readonly rule: string;
  readonly severity: string;
  readonly category: string;
  /** The simulator mechanism the finding names, when the checker gives one (issue 11, branch `truth`). */
  readonly mechanism?: string;
}

/** One run that dropped requests. */
export interface FailingRun {
  readonly scenario: Scenario;
  readonly placement: Placement;
  readonly seed: number;
  readonly keepAlive: boolean;
  readonly failed: number;
  readonly requests: number;
  readonly firstFailureSeconds: number | null;
  readonly firstCause: string;
  readonly causes: Record<string, number>;
}

/** A scenario the simulator would not play, or whose rollout never finished. */
export interface RunNote {
  readonly scenario: Scenario;
  readonly placement: Placement;
  readonly note: string;
}

export interface VariantResult {
  readonly id: string;
  readonly base: string;
  readonly settings: readonly { readonly knob: string; readonly value: string }[];
  readonly class: AgreementClass;
  readonly verdict: string;
  readonly errors: FindingSummary[];
  readonly warnings: FindingSummary[];
  readonly runs: number;
  readonly failingRuns: FailingRun[];
  /**
   * Some failing run dropped requests by a cause of the category of an error finding (its witness);
   * false when the failures all come from other mechanisms. Undefined without error or failure.
   */
  readonly witnessed?: boolean;
  readonly notes: RunNote[];
  /** Longest rollout seen per scenario, seconds (null: some run did not finish). */
  readonly rolloutSeconds: Partial<Record<Scenario, number | null>>;
}

function summarize(finding: { rule: string; severity: string; category: string }): FindingSummary {
  const mechanism = (finding as { mechanism?: unknown }).mechanism;
  return { rule: finding.rule, severity: finding.severity, category: finding.category, ...(typeof mechanism === 'string' ? { mechanism } : {}) };
}

/**
 * The finding categories a failure cause witnesses: the one the simulator ties it to
 * (FAILURE_CAUSES), and `retries` for a stale host the route did not retry.
 */
export function categoriesWitnessed(cause: string): string[] {
  const known = (FAILURE_CAUSES as Record<string, { category: string } | undefined>)[cause];
  if (!known) return [];
  return cause === ('upstream-stale-host-no-retry' satisfies FailureCause) ? [known.category, 'retries'] : [known.category];
}

/** Whether some run failed by a cause of one of these error categories. */
export function witnesses(errorCategories: ReadonlySet<string>, runs: readonly FailingRun[]): boolean {
  return runs.some((run) => Object.keys(run.causes).some((cause) => categoriesWitnessed(cause).some((category) => errorCategories.has(category))));
}

/** The class of a variant from its two views. */
export function classify(checkerSaysDrops: boolean, simulatedRuns: number, failingRuns: number): AgreementClass {
  if (simulatedRuns === 0) return 'not-simulated';
  if (checkerSaysDrops) return failingRuns > 0 ? 'agree-drops' : 'checker-only';
  return failingRuns > 0 ? 'simulator-only' : 'agree-hitless';
}

/** Checks and simulates one variant over the plan. Never throws for a run the simulator refuses: it is noted. */
export function runVariant(variant: Variant, plan: RunPlan = DEFAULT_PLAN): VariantResult {
  const read = readManifestText(variant.text, variant.id);
  const report = checkReadResult(read);
  // A security error (admin off loopback) is reported apart and never makes the verdict drops-requests.
  const dropErrors = (finding: { severity: string; category: string }) => finding.severity === 'error' && finding.category !== 'security';
  const errors = report.findings.filter(dropErrors).map(summarize);
  const warnings = report.findings.filter((finding) => !dropErrors(finding)).map(summarize);
  const failingRuns: FailingRun[] = [];
  const notes: RunNote[] = [];
  const rolloutSeconds: Partial<Record<Scenario, number | null>> = {};
  let runs = 0;
  const errorCategories = new Set(errors.map((error) => error.category));
  // Settled once an error finding has met a failing run of its own category (its witness).
  const settled = () => !plan.exhaustive && errors.length > 0 && witnesses(errorCategories, failingRuns);
  for (const scenario of plan.scenarios) {
    for (const placement of plan.placements) {
      let refused = false;
      for (const keepAlive of plan.keepAlive) {
        for (let seed = 1; seed <= plan.seeds && !refused && !settled(); seed++) {
          // No duration: the simulator plays until the rollout has finished and settled (or says it did not).
          const load: LoadProfile = { ...variant.load, keepAlive, durationSeconds: undefined };
          let result;
          try {
            result = simulate(read.topology, { scenario, placement, seed, load });
          } catch (error) {
            notes.push({ scenario, placement, note: `refused: ${(error as Error).message}` });
            refused = true;
            break;
          }
          runs++;
          const previous = rolloutSeconds[scenario];
          rolloutSeconds[scenario] = result.rolloutSeconds === null || previous === null ? null : Math.max(previous ?? 0, result.rolloutSeconds);
          if (result.rolloutSeconds === null && !notes.some((note) => note.scenario === scenario && note.placement === placement && note.note.startsWith('unfinished'))) {
            notes.push({ scenario, placement, note: `unfinished: the rollout did not finish in ${Math.round(result.durationSeconds)}s (seed ${seed})` });
          }
          if (result.failed > 0) {
            const first = result.timeline.failures[0];
            failingRuns.push({
              scenario, placement, seed, keepAlive,
              failed: result.failed,
              requests: result.requests,
              firstFailureSeconds: first ? Math.round(first.time * 1000) / 1000 : null,
              firstCause: first?.cause ?? first?.errorClass ?? 'unknown',
              causes: Object.fromEntries(Object.entries(result.causes).map(([cause, count]) => [cause, count ?? 0])),
            });
          }
        }
        if (refused) break;
      }
    }
  }
  return {
    id: variant.id,
    base: variant.base,
    settings: variant.settings,
    class: classify(errors.length > 0, runs, failingRuns.length),
    verdict: report.verdict,
    errors,
    warnings,
    runs,
    failingRuns,
    ...(errors.length > 0 && failingRuns.length > 0 ? { witnessed: witnesses(errorCategories, failingRuns) } : {}),
    notes,
    rolloutSeconds,
  };
}

// ------------------------------------------------------------------ the table of explained disagreements

/** One row of docs/agreement.md's table: a variant id, or a pattern with `*`, the class it keeps, and why. */
export interface Explanation {
  readonly pattern: string;
  readonly class: AgreementClass;
  readonly reason: string;
}

export const TABLE_START = '<!-- explained:start -->';
export const TABLE_END = '<!-- explained:end -->';

/** Reads the rows between the markers: `| pattern | class | reason |`, header and rule rows skipped. */
export function parseExplanations(markdown: string): Explanation[] {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the table of explained disagreements needs the markers ${TABLE_START} and ${TABLE_END}`);
  const rows: Explanation[] = [];
  for (const line of markdown.slice(start + TABLE_START.length, end).split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|')) continue;
    const cells = trimmed.slice(1, trimmed.endsWith('|') ? -1 : undefined).split('|').map((cell) => cell.trim().replace(/^`|`$/g, ''));
    if (cells.length < 3 || /^-+$/.test(cells[0].replace(/:/g, '')) || cells[0] === 'variant') continue;
    const cls = cells[1] as AgreementClass;
    if (!CLASSES.includes(cls)) throw new Error(`row '${trimmed}': class '${cells[1]}' is not one of ${CLASSES.join(', ')}`);
    if (!cells[2]) throw new Error(`row '${trimmed}' gives no reason`);
    rows.push({ pattern: cells[0], class: cls, reason: cells.slice(2).join(' | ') });
  }
  return rows;
}

function patternMatches(pattern: string, id: string): boolean {
  const expression = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return expression.test(id);
}

/** The row that explains this result's disagreement, if any; agreeing results need none. */
export function explanationFor(result: { id: string; class: AgreementClass }, table: readonly Explanation[]): Explanation | undefined {
  return table.find((row) => row.class === result.class && patternMatches(row.pattern, result.id));
}

export function isAgreement(cls: AgreementClass): boolean {
  return cls === 'agree-hitless' || cls === 'agree-drops';
}

// ------------------------------------------------------------------ grouping and comparing

export interface Grouped {
  readonly counts: Record<AgreementClass, number>;
  /** agree-drops variants where no failing run's cause is of an error finding's category: they agree by accident. */
  readonly agreeDropsUnwitnessed: number;
  /** checker-only: by error rule (a variant counts once per rule). */
  readonly checkerOnlyByRule: Record<string, number>;
  /** simulator-only: by the first failure cause of its runs. */
  readonly simulatorOnlyByCause: Record<string, number>;
  /** Each disagreement class, by knob. */
  readonly byKnob: Record<string, Partial<Record<AgreementClass, number>>>;
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export function group(results: readonly VariantResult[]): Grouped {
  const counts = Object.fromEntries(CLASSES.map((cls) => [cls, 0])) as Record<AgreementClass, number>;
  const checkerOnlyByRule: Record<string, number> = {};
  const simulatorOnlyByCause: Record<string, number> = {};
  const byKnob: Record<string, Partial<Record<AgreementClass, number>>> = {};
  let agreeDropsUnwitnessed = 0;
  for (const result of results) {
    counts[result.class]++;
    if (result.class === 'agree-drops' && result.witnessed === false) agreeDropsUnwitnessed++;
    if (result.class === 'checker-only') for (const rule of new Set(result.errors.map((error) => error.rule))) bump(checkerOnlyByRule, rule);
    if (result.class === 'simulator-only') for (const cause of new Set(result.failingRuns.map((run) => run.firstCause))) bump(simulatorOnlyByCause, cause);
    const knobs = result.settings.length === 0 ? ['(base)'] : result.settings.map((setting) => setting.knob);
    for (const knob of new Set(knobs)) {
      const entry = byKnob[knob] ??= {};
      entry[result.class] = (entry[result.class] ?? 0) + 1;
    }
  }
  return { counts, agreeDropsUnwitnessed, checkerOnlyByRule, simulatorOnlyByCause, byKnob };
}

/** Variants whose class differs between two reports, and those only in one. */
export function compareResults(before: readonly { id: string; class: AgreementClass }[], after: readonly { id: string; class: AgreementClass }[]):
{ changed: { id: string; from: AgreementClass; to: AgreementClass }[]; added: string[]; removed: string[] } {
  const old = new Map(before.map((result) => [result.id, result.class]));
  const now = new Map(after.map((result) => [result.id, result.class]));
  const changed: { id: string; from: AgreementClass; to: AgreementClass }[] = [];
  for (const [id, cls] of now) {
    const was = old.get(id);
    if (was !== undefined && was !== cls) changed.push({ id, from: was, to: cls });
  }
  return {
    changed,
    added: [...now.keys()].filter((id) => !old.has(id)),
    removed: [...old.keys()].filter((id) => !now.has(id)),
  };
}
