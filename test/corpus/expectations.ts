import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { CheckReport } from '../../lib/check/check';
import { Finding } from '../../lib/core/finding';

/**
 * The expectation files of the corpus (README.md beside them) and how a report is measured
 * against them.
 */

/** A finding an expectation names: by rule (one id or acceptable ids), objects it must name, severity, text. */
export interface FindingPattern {
  readonly rule: string | string[];
  readonly objects?: string[];
  readonly severity?: 'error' | 'warning';
  readonly messageIncludes?: string;
  readonly mechanism: string;
  readonly source: string;
  /** The main hazard of the manifest. */
  readonly main?: boolean;
  /** The branch whose work makes this entry hold; until then a deviation is reported, not failed. */
  readonly pendingOn?: string;
}

export interface Expectation {
  readonly name: string;
  readonly verdict?: 'hitless' | 'drops-requests' | 'unknown';
  readonly verdictUncertain?: string;
  readonly verdictPendingOn?: string;
  readonly mustAppear: FindingPattern[];
  readonly mustNotAppear: FindingPattern[];
  readonly uncertain: { readonly rule: string; readonly why: string }[];
}

/** One way a report departs from its expectation. */
export interface Deviation {
  readonly kind: 'verdict' | 'missing' | 'false';
  readonly pattern?: FindingPattern;
  readonly pendingOn?: string;
  readonly text: string;
}

export interface Measurement {
  readonly name: string;
  readonly findings: number;
  readonly errors: number;
  /** Findings that match a mustNotAppear entry. */
  readonly falseFindings: number;
  readonly falseErrors: number;
  /** mustAppear entries marked main that found no finding. */
  readonly mainHazardsMissed: number;
  readonly deviations: Deviation[];
  /** Pending entries that now hold: their mark can go. */
  readonly nowHolding: string[];
}

export const CORPUS_DIR = __dirname;

/** The corpus cases: every `<name>.yaml` with a `<name>.expect.yaml` beside it. */
export function corpusCases(): string[] {
  return fs.readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.expect.yaml'))
    .map((file) => file.slice(0, -'.expect.yaml'.length))
    .filter((name) => fs.existsSync(path.join(CORPUS_DIR, `${name}.yaml`)))
    .sort();
}

export function readExpectation(name: string): Expectation {
  const raw = parse(fs.readFileSync(path.join(CORPUS_DIR, `${name}.expect.yaml`), 'utf8')) ?? {};
  const expectation: Expectation = {
    name,
    verdict: raw.verdict,
    verdictUncertain: raw.verdictUncertain,
    verdictPendingOn: raw.verdictPendingOn,
    mustAppear: raw.mustAppear ?? [],
    mustNotAppear: raw.mustNotAppear ?? [],
    uncertain: raw.uncertain ?? [],
  };
  for (const pattern of [...expectation.mustAppear, ...expectation.mustNotAppear]) {
    if (!pattern.rule || !pattern.mechanism || !pattern.source) throw new Error(`${name}.expect.yaml: every entry needs rule, mechanism and source (${JSON.stringify(pattern)})`);
  }
  if (expectation.verdict === undefined && !expectation.verdictUncertain) throw new Error(`${name}.expect.yaml: give a verdict, or verdictUncertain saying why not`);
  return expectation;
}

export function matches(finding: Finding, pattern: FindingPattern): boolean {
  const rules = Array.isArray(pattern.rule) ? pattern.rule : [pattern.rule];
  return rules.includes(finding.rule)
    && (pattern.severity === undefined || finding.severity === pattern.severity)
    && (pattern.objects ?? []).every((object) => finding.objects.includes(object))
    && (pattern.messageIncludes === undefined || finding.message.includes(pattern.messageIncludes));
}

function describe(pattern: FindingPattern): string {
  const rules = Array.isArray(pattern.rule) ? pattern.rule.join('|') : pattern.rule;
  return `${rules}${pattern.objects ? ` on ${pattern.objects.join(', ')}` : ''}${pattern.severity ? ` (${pattern.severity})` : ''}${pattern.messageIncludes ? ` saying "${pattern.messageIncludes}"` : ''}`;
}

/** Measures a report against its expectation. */
export function measure(expectation: Expectation, report: CheckReport): Measurement {
  const deviations: Deviation[] = [];
  const nowHolding: string[] = [];
  if (expectation.verdict !== undefined) {
    const holds = report.verdict === expectation.verdict;
    if (!holds) deviations.push({ kind: 'verdict', pendingOn: expectation.verdictPendingOn, text: `verdict ${report.verdict}, expected ${expectation.verdict}` });
    else if (expectation.verdictPendingOn) nowHolding.push(`verdict ${expectation.verdict}`);
  }
  let mainHazardsMissed = 0;
  for (const pattern of expectation.mustAppear) {
    const found = report.findings.some((finding) => matches(finding, pattern));
    if (!found) {
      if (pattern.main) mainHazardsMissed++;
      deviations.push({ kind: 'missing', pattern, pendingOn: pattern.pendingOn, text: `missing: ${describe(pattern)}` });
    } else if (pattern.pendingOn) nowHolding.push(`appears: ${describe(pattern)}`);
  }
  const falseOnes = new Set<Finding>();
  for (const pattern of expectation.mustNotAppear) {
    const found = report.findings.filter((finding) => matches(finding, pattern));
    found.forEach((finding) => falseOnes.add(finding));
    if (found.length > 0) deviations.push({ kind: 'false', pattern, pendingOn: pattern.pendingOn, text: `false: ${found.map((finding) => `${finding.severity} ${finding.rule} on ${finding.objects.join(', ')}`).join('; ')}` });
    else if (pattern.pendingOn) nowHolding.push(`absent: ${describe(pattern)}`);
  }
  return {
    name: expectation.name,
    findings: report.findings.length,
    errors: report.summary.errors,
    falseFindings: falseOnes.size,
    falseErrors: [...falseOnes].filter((finding) => finding.severity === 'error').length,
    mainHazardsMissed,
    deviations,
    nowHolding,
  };
}
