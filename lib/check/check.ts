import { Finding } from '../core/finding';
import { checkManifestRules } from './manifest-rules';
import { mergeByMechanism } from './merge-findings';
import { checkTopology } from '../core/timing/invariants';
import { DEFAULT_MARGIN_SECONDS } from '../core/timing/windows';
import { readManifestFiles, readManifestText } from '../read';
import { ReadProblem } from '../read/load';
import { ReadResult, SkippedDocument } from '../read/topology';

/**
 * `hitless check`: the timing invariants of lib/core/timing over the topology read from
 * manifests, plus the few rules that are about the manifests rather than the timing.
 *
 * Verdict:
 * - `drops-requests`: at least one error finding;
 * - `unknown`: no error, but nothing to judge (no gateway nor upstream found), or something
 *   hitless could not read (a finding in category `unknown`: a preStop it cannot read, an
 *   assumed load balancer, a reference that leads out of the input);
 * - `hitless`: no error and nothing unknown (warnings may remain).
 *
 * Security findings (category `security`, e.g. Envoy admin beyond loopback) say who can reach the
 * pods, not whether rollouts drop requests: they never decide the verdict, and have their own,
 * {@link SecurityVerdict}.
 */

export type Verdict = 'hitless' | 'drops-requests' | 'unknown';

/** `exposed`: at least one error-severity security finding; `ok` otherwise (warnings may remain). */
export type SecurityVerdict = 'ok' | 'exposed';

export interface CheckSummary {
  readonly objects: number;
  readonly gateways: number;
  readonly upstreams: number;
  /** Error findings about dropped requests (security errors not included). */
  readonly errors: number;
  readonly warnings: number;
  /** Error findings in category `security`. */
  readonly securityErrors: number;
}

export interface CheckReport {
  readonly verdict: Verdict;
  readonly security: SecurityVerdict;
  readonly findings: Finding[];
  readonly summary: CheckSummary;
  /** Input that could not be read at all; non-empty means the report is incomplete (exit 2). */
  readonly problems: ReadProblem[];
  /** Documents left out because they are not Kubernetes objects (not counted in `summary.objects`). */
  readonly skipped?: SkippedDocument[];
}

export interface CheckOptions {
  /** Margin added to every window. @default 5 */
  readonly marginSeconds?: number;
}

function key(finding: Finding): string {
  return `${finding.rule}\u0000${finding.objects.join(',')}\u0000${finding.message}`;
}

/** Errors first, then by object and rule, so that output is stable. */
export function sortFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((finding) => {
    const id = key(finding);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1)
    || (a.objects[0] ?? '').localeCompare(b.objects[0] ?? '')
    || a.rule.localeCompare(b.rule)
    || a.message.localeCompare(b.message));
}

function dropsRequests(finding: Finding): boolean {
  return finding.severity === 'error' && finding.category !== 'security';
}

export function verdictOf(findings: Finding[], judged: boolean): Verdict {
  if (findings.some(dropsRequests)) return 'drops-requests';
  if (!judged || findings.some((finding) => finding.category === 'unknown')) return 'unknown';
  return 'hitless';
}

function isSecurityError(finding: Finding): boolean {
  return finding.severity === 'error' && finding.category === 'security';
}

/** Whether any error-severity security finding is present. */
export function securityVerdictOf(findings: Finding[]): SecurityVerdict {
  return findings.some(isSecurityError) ? 'exposed' : 'ok';
}

/** Checks what the reader found. Never throws on a topology the reader built. */
export function checkReadResult(result: ReadResult, options: CheckOptions = {}): CheckReport {
  const margin = options.marginSeconds ?? DEFAULT_MARGIN_SECONDS;
  const findings = sortFindings(mergeByMechanism([...result.findings, ...checkTopology(result.topology, margin), ...checkManifestRules(result.topology)]));
  const judged = result.topology.gateways.length + result.topology.upstreams.length > 0;
  return {
    verdict: verdictOf(findings, judged),
    security: securityVerdictOf(findings),
    findings,
    summary: {
      objects: result.objectCount,
      gateways: result.topology.gateways.length,
      upstreams: result.topology.upstreams.length,
      errors: findings.filter(dropsRequests).length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
      securityErrors: findings.filter(isSecurityError).length,
    },
    problems: result.problems ?? [],
    ...(result.skipped ? { skipped: result.skipped } : {}),
  };
}

/** Reads and checks manifest text. */
export function checkManifestText(text: string, source = '-', options: CheckOptions = {}): CheckReport {
  return checkReadResult(readManifestText(text, source), options);
}

/** Reads and checks files, directories and `-`. */
export async function checkManifestFiles(paths: string[], readStdin?: () => Promise<string>, options: CheckOptions = {}): Promise<CheckReport> {
  return checkReadResult(await readManifestFiles(paths, readStdin), options);
}
