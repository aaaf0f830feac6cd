import { ExplainedTimeline } from './explained-timeline';
import { formatSeconds as s } from './finding';

/** An explained timeline as text for people: a scaled bar, the events with their arithmetic, the margins. */

/** Options of {@link renderTimeline}. */
export interface RenderTimelineOptions {
  /**
   * Width of the scaled bar, in characters.
   * @default 60
   */
  readonly width?: number;
}

/** The timeline as text: a scaled bar, the events with their arithmetic, the margins. */
export function renderTimeline(timeline: ExplainedTimeline, options: RenderTimelineOptions = {}): string {
  const width = Math.max(20, options.width ?? 60);
  const lines: string[] = [];
  lines.push(`${timeline.gateway} behind ${timeline.loadBalancer}${timeline.loadBalancerAssumed ? ' (assumed)' : ''}`);
  lines.push(`  ${timeline.loadBalancerSummary}`);
  lines.push('');

  const end = Math.max(1, ...timeline.events.map((event) => event.atSeconds));
  const bar = Array.from({ length: width + 1 }, () => '-');
  const marks = [...new Set(timeline.events.map((event) => event.atSeconds))];
  for (const at of marks) bar[Math.round((at / end) * width)] = '|';
  lines.push(`  ${bar.join('')}`);
  let labels = '';
  for (const at of marks) {
    const column = Math.round((at / end) * width);
    const text = s(at);
    // Labels that would overlap the previous one are left to the list below.
    if (column >= labels.length + (labels.length > 0 ? 1 : 0)) labels = labels.padEnd(column) + text;
  }
  lines.push(`  ${labels}`);
  lines.push('');

  const column = Math.max(...timeline.events.map((event) => `t+${s(event.atSeconds)}`.length));
  timeline.events.forEach((event, index) => {
    const branch = index === timeline.events.length - 1 ? '└─' : '├─';
    lines.push(`  ${`t+${s(event.atSeconds)}`.padEnd(column)}  ${branch} ${event.what}`);
    lines.push(`  ${''.padEnd(column)}  ${index === timeline.events.length - 1 ? '  ' : '│ '}   ${event.why}`);
  });
  lines.push('');
  lines.push('  margins:');
  for (const margin of timeline.margins) {
    const mark = margin.ok ? 'ok  ' : 'FAIL';
    lines.push(`    ${mark} ${margin.name}: ${s(margin.seconds)} (needs ${s(margin.requiredSeconds)})`);
    if (!margin.ok) lines.push(`         ${margin.consequence}`);
  }
  for (const note of timeline.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}
