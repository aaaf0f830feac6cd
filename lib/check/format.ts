import { Finding } from '../core/finding';
import { CheckReport } from './check';

/** Output of `hitless check`: readable text grouped by object, or the JSON of issue 6. */

export interface TextOptions {
  /** ANSI colour (only on a terminal). @default false */
  readonly color?: boolean;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', green: '\u001b[32m', bold: '\u001b[1m', dim: '\u001b[2m', reset: '\u001b[0m' };

/**
 * Control characters from the input (an object named with an escape sequence, say) shown as
 * `\u001b` and the like, never sent to the terminal, where they could rewrite what is shown.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Findings grouped under the first object each names, errors first; each with its rule, message
 * and fix; a verdict line last.
 */
export function formatText(report: CheckReport, options: TextOptions = {}): string {
  const paint = (code: keyof typeof ANSI, text: string) => (options.color ? `${ANSI[code]}${escapeControl(text)}${ANSI.reset}` : escapeControl(text));
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const object = finding.objects[0] ?? '(no object)';
    const list = groups.get(object);
    if (list) list.push(finding);
    else groups.set(object, [finding]);
  }
  const lines: string[] = [];
  for (const [object, findings] of groups) {
    lines.push(paint('bold', object));
    for (const finding of findings) {
      const label = finding.severity === 'error' ? paint('red', 'error  ') : paint('yellow', 'warning');
      lines.push(`  ${label} ${escapeControl(finding.message)} ${paint('dim', `[${finding.rule}]`)}`);
      lines.push(`          fix: ${escapeControl(finding.fix)}`);
      const others = finding.objects.slice(1);
      if (others.length > 0) lines.push(`          ${paint('dim', `also: ${others.join(', ')}`)}`);
    }
    lines.push('');
  }
  const { summary } = report;
  const verdictText = report.verdict === 'hitless' ? paint('green', 'hitless') : report.verdict === 'drops-requests' ? paint('red', 'drops requests') : paint('yellow', 'unknown');
  const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')} in ${plural(summary.objects, 'object')} (${plural(summary.gateways, 'gateway')}, ${plural(summary.upstreams, 'upstream')})`;
  if (report.skipped && report.skipped.length > 0) {
    lines.push(paint('dim', `skipped ${plural(report.skipped.length, 'document')} that ${report.skipped.length === 1 ? 'is' : 'are'} not Kubernetes objects: ${report.skipped.map((each) => each.source).join(', ')}`));
  }
  lines.push(`verdict: ${verdictText} — ${counts}`);
  if (report.security === 'exposed') {
    lines.push(`security: ${paint('red', 'exposed')} — ${plural(summary.securityErrors, 'security error')} (reported apart: they do not drop requests, but let anyone who reaches a pod drain or stop it)`);
  }
  if (report.verdict === 'unknown' && summary.gateways + summary.upstreams === 0) {
    lines.push('no gateway (a workload behind a LoadBalancer or NodePort Service, or running Envoy) was found: nothing to judge.');
  }
  return `${lines.join('\n')}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The JSON shape of issue 6: `verdict`, `findings` (rule, category, severity, objects, message, fix,
 * and `mechanism` on error findings that drop requests), `summary` (with `securityErrors`), then
 * `security` (`ok` | `exposed`; added by issue 11: security findings no longer decide `verdict`).
 * Fields are only ever added, after the ones before.
 */
export function toJson(report: CheckReport): { verdict: CheckReport['verdict']; findings: Finding[]; summary: CheckReport['summary']; security: CheckReport['security'] } {
  return {
    verdict: report.verdict,
    findings: report.findings.map((finding) => ({
      rule: finding.rule,
      category: finding.category,
      severity: finding.severity,
      objects: [...finding.objects],
      message: finding.message,
      fix: finding.fix,
      ...(finding.mechanism !== undefined ? { mechanism: finding.mechanism } : {}),
    })),
    summary: { ...report.summary },
    security: report.security,
  };
}

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(toJson(report), null, 2)}\n`;
}
