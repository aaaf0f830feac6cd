import * as path from 'path';
import { Witness, WitnessedReport, WitnessSweep } from './witness';

/** The witnesses of `hitless check --witness` as JSON fields and as text. */

/** The `witness` fields the JSON output gains: one per error finding, and the sweep behind the verdict. */
export function witnessJson(witnessed: WitnessedReport, relativeTo?: string): { findings: (Witness | undefined)[]; sweep?: WitnessSweep } {
  const shown = (witness: Witness | undefined): Witness | undefined => (witness?.timeline && relativeTo ? { ...witness, timeline: path.relative(relativeTo, witness.timeline) || witness.timeline } : witness);
  return { findings: witnessed.witnesses.map(shown), ...(witnessed.sweep ? { sweep: witnessed.sweep } : {}) };
}

/** Text for the witnesses, after the findings. */
export function formatWitnessText(witnessed: WitnessedReport, relativeTo?: string): string {
  const lines: string[] = ['', 'witnesses (simulated on these manifests):'];
  witnessed.report.findings.forEach((finding, index) => {
    const witness = witnessed.witnesses[index];
    if (!witness) return;
    if (!witness.reproduced) {
      lines.push(`  [${finding.rule}] ${finding.objects[0] ?? ''}: NOT REPRODUCED — ${witness.reason}`);
      return;
    }
    const load = witness.load!;
    const what = witness.rolloutStalled
      ? 'the rollout never finished'
      : `${witness.failed} of ${witness.requests} requests failed; the first ${witness.firstFailure!.afterSeconds}s after the start: ${witness.firstFailure!.cause} (${witness.firstFailure!.errorClass})`;
    lines.push(`  [${finding.rule}] ${finding.objects[0] ?? ''}: ${witness.scenario}, placement ${witness.placement}, seed ${witness.seed}, ` +
      `${load.concurrency} × ${load.rate} req/s${load.keepAlive ? ' keep-alive' : ''}${load.longRequests ? ` + ${load.longRequests} long requests` : ''}: ${what}` +
      (witness.timeline ? `; timeline ${relativeTo ? path.relative(relativeTo, witness.timeline) : witness.timeline}` : ''));
  });
  const s = witnessed.sweep;
  if (s) {
    lines.push(`  verdict checked against ${s.scenarios.join(', ')} × ${s.placements.join(', ')} × ${s.seeds} seeds: ${s.runs} runs, ${s.requests} requests, ${s.failed} failed` +
      (s.unfinished > 0 ? `, ${s.unfinished} rollouts did not finish` : '') + (s.skipped.length > 0 ? ` (not played: ${s.skipped.join('; ')})` : ''));
  }
  return `${lines.join('\n')}\n`;
}
