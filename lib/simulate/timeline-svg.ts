import { ErrorClass, ERROR_CLASSES } from './clients';
import { SimulationResult, Timeline, TimelinePod } from './simulation';

/**
 * The run as a picture: one lane per pod (starting, serving, draining, gone), the load balancer's
 * view of each target, each failed request as a mark, requests per second, a legend and a time axis.
 */

const WIDTH = 1200;
const LABEL = 210;
const RIGHT = 24;
const LANE = 22;
const GAP = 6;
const PLOT = WIDTH - LABEL - RIGHT;

const COLOR = {
  starting: '#9ecae1',
  serving: '#2e9e4f',
  failingHealthCheck: '#f2c14e',
  draining: '#f57c00',
  gone: '#eeeeee',
  healthy: '#2e9e4f',
  unhealthy: '#c9c9c9',
  succeeded: '#a1d99b',
  axis: '#555555',
  rollout: '#1f4e9c',
};

const CLASS_COLOR: Record<ErrorClass, string> = {
  'connect-timeout': '#d62728',
  'header-timeout': '#7b3fa0',
  'refused': '#8c564b',
  'reset': '#e7298a',
  '503': '#1f9bbf',
};

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceStep(span: number): number {
  for (const step of [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600]) if (span / step <= 14) return step;
  return 7200;
}

/** The drawing surface: SVG parts written top to bottom, with the time scale of the plot. */
class Canvas {
  public readonly parts: string[] = [];
  public y = 16;
  public readonly end: number;

  constructor(endSeconds: number) {
    this.end = Math.max(endSeconds, 1);
  }

  /** The horizontal position of `time`, clamped to the plot. */
  public x(time: number): number {
    return LABEL + (Math.min(Math.max(time, 0), this.end) / this.end) * PLOT;
  }

  public section(text: string): void {
    this.parts.push(`<text x="12" y="${this.y + 12}" font-size="13" font-weight="bold" fill="#222">${escape(text)}</text>`);
    this.y += 18;
  }

  public rect(from: number, to: number, top: number, height: number, fill: string, tip: string): void {
    if (!(to > from)) return;
    const left = this.x(from);
    const width = Math.max(this.x(to) - left, 0.5);
    this.parts.push(`<rect x="${left.toFixed(2)}" y="${top}" width="${width.toFixed(2)}" height="${height}" fill="${fill}"><title>${escape(tip)}</title></rect>`);
  }

  public laneLabel(text: string, sub?: string): void {
    this.parts.push(`<text x="12" y="${this.y + 15}" font-size="12">${escape(text)}${sub ? `<tspan dx="6" fill="#777">${escape(sub)}</tspan>` : ''}</text>`);
  }
}

/** Renders the timeline of one run as a standalone SVG document. */
export function renderTimelineSvg(result: SimulationResult): string {
  const timeline = result.timeline;
  const canvas = new Canvas(timeline.endSeconds);
  drawTitle(canvas, result);
  const plotTop = canvas.y;
  drawPodLanes(canvas, timeline);
  drawTargetLanes(canvas, timeline);
  drawRequestRates(canvas, timeline);
  const plotBottom = canvas.y;
  drawRolloutMarker(canvas, plotTop, plotBottom, timeline.rolloutStartSeconds, 'rollout starts');
  drawRolloutMarker(canvas, plotTop, plotBottom, timeline.rolloutEndSeconds, 'rollout done (Kubernetes)');
  drawTimeAxis(canvas, plotTop);
  drawLegend(canvas);
  const height = Math.ceil(canvas.y);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">\n`
    + `<rect width="100%" height="100%" fill="#ffffff"/>\n${canvas.parts.join('\n')}\n</svg>\n`;
}

function drawTitle(canvas: Canvas, result: SimulationResult): void {
  const title = `hitless simulate — ${result.scenario} (placement ${result.placement}, seed ${result.seed}): ${result.failed} of ${result.requests} requests failed`;
  canvas.parts.push(`<text x="12" y="${canvas.y + 8}" font-size="16" font-weight="bold">${escape(title)}</text>`);
  canvas.y += 20;
  const load = result.load;
  canvas.parts.push(`<text x="12" y="${canvas.y + 8}" font-size="12" fill="#444">${escape(`${result.gateway}${result.upstream ? ` → ${result.upstream}` : ''}; load ${load.concurrency} × ${load.rate || '∞'} req/s, timeout ${load.timeoutSeconds}s, ${load.keepAlive ? 'keep-alive' : 'no keep-alive'}${load.longRequests ? `, ${load.longRequests} long requests` : ''}; rollout ${result.rolloutSeconds === null ? 'unfinished' : `${result.rolloutSeconds.toFixed(1)} s`}`)}</text>`);
  canvas.y += 26;
}

function drawPodLanes(canvas: Canvas, timeline: Timeline): void {
  const gateways = timeline.pods.filter((pod) => pod.role === 'gateway');
  const upstreams = timeline.pods.filter((pod) => pod.role === 'upstream');
  canvas.section('Gateway pods');
  for (const pod of gateways) drawPodLane(canvas, pod);
  if (upstreams.length > 0) {
    canvas.y += GAP;
    canvas.section('Upstream pods');
    for (const pod of upstreams) drawPodLane(canvas, pod);
  }
}

function drawPodLane(canvas: Canvas, pod: TimelinePod): void {
  const end = canvas.end;
  canvas.laneLabel(pod.name, `node-${pod.node}`);
  const top = canvas.y + 2;
  const height = LANE - 4;
  canvas.parts.push(`<rect x="${LABEL}" y="${top}" width="${PLOT}" height="${height}" fill="#fafafa"/>`);
  const started = Math.min(pod.startedAt, pod.exitAt, end);
  const ready = Math.min(pod.readyAt, pod.deletedAt, pod.exitAt, end);
  canvas.rect(pod.createdAt, Math.max(started, ready), top, height, COLOR.starting, `${pod.name}: starting (created ${pod.createdAt.toFixed(1)} s)`);
  canvas.rect(ready, Math.min(pod.deletedAt, pod.exitAt, end), top, height, COLOR.serving, `${pod.name}: ready, serving`);
  if (pod.deletedAt < end) {
    const stopsAccepting = Math.min(pod.stopsAcceptingAt, pod.exitAt, end);
    canvas.rect(pod.deletedAt, stopsAccepting, top, height, COLOR.failingHealthCheck, `${pod.name}: deleted at ${pod.deletedAt.toFixed(1)} s; preStop, still accepting connections`);
    canvas.rect(stopsAccepting, Math.min(pod.exitAt, end), top, height, COLOR.draining, `${pod.name}: draining, no new connections`);
    canvas.rect(Math.min(pod.exitAt, end), end, top, height, COLOR.gone, `${pod.name}: gone at ${pod.exitAt.toFixed(1)} s${pod.killed ? ' (SIGKILL)' : ''}`);
    if (pod.exitAt <= end) {
      const ex = canvas.x(pod.exitAt);
      canvas.parts.push(`<line x1="${ex.toFixed(2)}" y1="${top}" x2="${ex.toFixed(2)}" y2="${top + height}" stroke="#000" stroke-width="1.5"/>`);
      if (pod.killed) canvas.parts.push(`<text x="${(ex + 3).toFixed(2)}" y="${top + 13}" font-size="11" fill="#b00">SIGKILL</text>`);
    }
  }
  canvas.y += LANE;
}

function drawTargetLanes(canvas: Canvas, timeline: Timeline): void {
  canvas.y += GAP;
  canvas.section("Load balancer's view of each target (failed requests marked where their connection went)");
  const marksByTarget = new Map<number, typeof timeline.failures>();
  for (const failure of timeline.failures) {
    const list = marksByTarget.get(failure.target) ?? [];
    list.push(failure);
    marksByTarget.set(failure.target, list);
  }
  timeline.targets.forEach((target, index) => {
    canvas.laneLabel(target.label, 'target');
    const top = canvas.y + 2;
    const height = LANE - 4;
    const history = target.history;
    for (let step = 0; step < history.length; step++) {
      const [from, healthy] = history[step];
      const to = step + 1 < history.length ? history[step + 1][0] : canvas.end;
      canvas.rect(from, to, top, height, healthy ? COLOR.healthy : COLOR.unhealthy, `${target.label}: ${healthy ? 'healthy: receives new connections' : 'unhealthy: no new connections (unless none is healthy)'} from ${from.toFixed(1)} s`);
    }
    for (const failure of marksByTarget.get(index) ?? []) {
      const fx = canvas.x(failure.time).toFixed(2);
      canvas.parts.push(`<line x1="${fx}" y1="${top - 1}" x2="${fx}" y2="${top + height + 1}" stroke="${CLASS_COLOR[failure.errorClass]}" stroke-width="1.5"><title>${escape(`${failure.errorClass} at ${failure.time.toFixed(2)} s${failure.cause ? ` (${failure.cause})` : ''}`)}</title></line>`);
    }
    canvas.y += LANE;
  });
}

/** Requests per second as stacked bars, then one lane with a mark per failed request. */
function drawRequestRates(canvas: Canvas, timeline: Timeline): void {
  canvas.y += GAP;
  canvas.section('Requests per second: answered (green), failed (by class)');
  const chartHeight = 70;
  const top = canvas.y + 2;
  const ok = timeline.succeededPerSecond;
  const failed = timeline.failedPerSecond;
  const peak = Math.max(1, ...ok.map((count, second) => count + (failed[second] ?? 0)));
  const scale = chartHeight / peak;
  const barWidth = Math.max(PLOT / canvas.end, 0.5);
  canvas.parts.push(`<rect x="${LABEL}" y="${top}" width="${PLOT}" height="${chartHeight}" fill="#fafafa"/>`);
  for (let second = 0; second < Math.min(ok.length, Math.ceil(canvas.end)); second++) {
    const good = ok[second] * scale;
    const bad = (failed[second] ?? 0) * scale;
    if (good > 0) canvas.parts.push(`<rect x="${canvas.x(second).toFixed(2)}" y="${(top + chartHeight - good).toFixed(2)}" width="${barWidth.toFixed(2)}" height="${good.toFixed(2)}" fill="${COLOR.succeeded}"/>`);
    if (bad > 0) canvas.parts.push(`<rect x="${canvas.x(second).toFixed(2)}" y="${(top + chartHeight - good - bad).toFixed(2)}" width="${barWidth.toFixed(2)}" height="${bad.toFixed(2)}" fill="#d62728"><title>${failed[second]} failed in second ${second}</title></rect>`);
  }
  canvas.parts.push(`<text x="${LABEL - 6}" y="${top + 10}" font-size="10" text-anchor="end" fill="#777">${peak}/s</text>`);
  canvas.y += chartHeight + 4;
  canvas.laneLabel('failed requests');
  for (const failure of timeline.failures) {
    const fx = canvas.x(failure.time).toFixed(2);
    canvas.parts.push(`<line x1="${fx}" y1="${canvas.y + 3}" x2="${fx}" y2="${canvas.y + LANE - 3}" stroke="${CLASS_COLOR[failure.errorClass]}" stroke-width="1.5"/>`);
  }
  if (timeline.failures.length === 0) canvas.parts.push(`<text x="${LABEL + 6}" y="${canvas.y + 15}" font-size="12" fill="${COLOR.serving}">none</text>`);
  canvas.y += LANE;
}

/** A rollout start or end, across every lane. */
function drawRolloutMarker(canvas: Canvas, plotTop: number, plotBottom: number, time: number | undefined, text: string): void {
  if (time === undefined || time > canvas.end) return;
  const mx = canvas.x(time).toFixed(2);
  canvas.parts.push(`<line x1="${mx}" y1="${plotTop}" x2="${mx}" y2="${plotBottom}" stroke="${COLOR.rollout}" stroke-dasharray="5,4" stroke-width="1.2"/>`);
  canvas.parts.push(`<text x="${(Number(mx) + 4).toFixed(2)}" y="${plotTop + 10}" font-size="11" fill="${COLOR.rollout}">${escape(text)}</text>`);
}

function drawTimeAxis(canvas: Canvas, plotTop: number): void {
  const y = canvas.y;
  const step = niceStep(canvas.end);
  canvas.parts.push(`<line x1="${LABEL}" y1="${y + 2}" x2="${LABEL + PLOT}" y2="${y + 2}" stroke="${COLOR.axis}"/>`);
  for (let tick = 0; tick <= canvas.end + 1e-9; tick += step) {
    const tx = canvas.x(tick).toFixed(2);
    canvas.parts.push(`<line x1="${tx}" y1="${y + 2}" x2="${tx}" y2="${y + 7}" stroke="${COLOR.axis}"/>`);
    canvas.parts.push(`<text x="${tx}" y="${y + 19}" font-size="11" text-anchor="middle" fill="${COLOR.axis}">${tick} s</text>`);
    canvas.parts.push(`<line x1="${tx}" y1="${plotTop}" x2="${tx}" y2="${y + 2}" stroke="#000" stroke-opacity="0.06"/>`);
  }
  canvas.y += 36;
}

const LEGEND: readonly [string, string][] = [
  [COLOR.starting, 'pod starting (not ready)'],
  [COLOR.serving, 'pod ready, serving'],
  [COLOR.failingHealthCheck, 'deleted: preStop (health check failing), still serving'],
  [COLOR.draining, 'draining: no new connections'],
  [COLOR.gone, 'gone: process exited (black line)'],
  [COLOR.healthy, 'target healthy: gets new connections'],
  [COLOR.unhealthy, 'target unhealthy'],
];

function drawLegend(canvas: Canvas): void {
  const failuresLegend: [string, string][] = ERROR_CLASSES.map((errorClass) => [CLASS_COLOR[errorClass], `failed: ${errorClass}`]);
  const columns = 3;
  const columnWidth = (WIDTH - 24) / columns;
  [...LEGEND, ...failuresLegend].forEach(([fill, text], index) => {
    const lx = 12 + (index % columns) * columnWidth;
    const ly = canvas.y + Math.floor(index / columns) * 20;
    const isMark = index >= LEGEND.length;
    canvas.parts.push(isMark
      ? `<rect x="${lx + 6}" y="${ly}" width="3" height="14" fill="${fill}"/>`
      : `<rect x="${lx}" y="${ly}" width="16" height="14" fill="${fill}" stroke="#999" stroke-width="0.5"/>`);
    canvas.parts.push(`<text x="${lx + 22}" y="${ly + 11}" font-size="12">${escape(text)}</text>`);
  });
  canvas.y += Math.ceil((LEGEND.length + failuresLegend.length) / columns) * 20 + 8;
}
