import { Topology } from '../core/model';
import { ERROR_CLASS_TEXT, ErrorClass, FAILURE_CAUSES, FailureCause } from './clients';
import { simulate, SimulationOptions, SimulationResult } from './simulation';

/** The spread of one number over several runs. */
export interface Distribution {
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
  readonly mean: number;
}

/** N runs of one scenario, one seed each (seed, seed + 1, …). */
export interface RunsSummary {
  readonly runs: number;
  readonly firstSeed: number;
  readonly requests: number;
  readonly failed: Distribution;
  /** Runs with at least one failed request. */
  readonly runsWithFailures: number;
  readonly errors: Partial<Record<ErrorClass, number>>;
  readonly causes: Partial<Record<string, number>>;
  readonly rolloutSeconds: Distribution | null;
  /** The least rollout time the chain allows (the same for every seed). */
  readonly leastRolloutSeconds: number;
  /** Runs whose rollout did not finish within the run. */
  readonly unfinished: number;
  readonly results: SimulationResult[];
}

/** Runs the scenario `runs` times, seeds `seed` … `seed + runs − 1`. */
export function simulateRuns(topology: Topology, options: SimulationOptions, runs: number): RunsSummary {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`'runs' (${runs}) must be a whole number ≥ 1`);
  const firstSeed = options.seed ?? 1;
  const results: SimulationResult[] = [];
  for (let index = 0; index < runs; index++) results.push(simulate(topology, { ...options, seed: firstSeed + index }));
  return summarizeRuns(results, firstSeed);
}

export function summarizeRuns(results: SimulationResult[], firstSeed: number): RunsSummary {
  const errors: Partial<Record<ErrorClass, number>> = {};
  const causes: Record<string, number> = {};
  for (const result of results) {
    for (const [name, count] of Object.entries(result.errors)) errors[name as ErrorClass] = (errors[name as ErrorClass] ?? 0) + (count ?? 0);
    for (const [name, count] of Object.entries(result.causes)) causes[name] = (causes[name] ?? 0) + (count ?? 0);
  }
  const rollouts = results.map((result) => result.rolloutSeconds).filter((value): value is number => value !== null);
  return {
    runs: results.length,
    firstSeed,
    requests: results.reduce((sum, result) => sum + result.requests, 0),
    failed: distribution(results.map((result) => result.failed)),
    runsWithFailures: results.filter((result) => result.failed > 0).length,
    errors,
    causes,
    rolloutSeconds: rollouts.length === results.length ? distribution(rollouts) : null,
    leastRolloutSeconds: results[0]?.leastRolloutSeconds ?? 0,
    unfinished: results.length - rollouts.length,
    results,
  };
}

export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  return { min: sorted[0], p50: at(0.5), p90: at(0.9), max: sorted[sorted.length - 1], mean: Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 1000) / 1000 };
}

/** The JSON of one run: the fields issue 7 promises, in seconds, without the timeline. */
export function resultJson(result: SimulationResult): Record<string, unknown> {
  return {
    scenario: result.scenario,
    placement: result.placement,
    seed: result.seed,
    gateway: result.gateway,
    ...(result.upstream ? { upstream: result.upstream } : {}),
    requests: result.requests,
    succeeded: result.succeeded,
    failed: result.failed,
    errors: result.errors,
    statusCodes: result.statusCodes,
    causes: Object.fromEntries(Object.entries(result.causes).map(([cause, count]) => [cause, { count, category: categoryOf(cause) }])),
    rolloutSeconds: result.rolloutSeconds,
    rolloutFinished: result.rolloutSeconds !== null,
    leastRolloutSeconds: result.leastRolloutSeconds,
    durationSeconds: result.durationSeconds,
    nodes: result.nodes,
    clientRetries: result.clientRetries,
    requestsPerSecond: result.requestsPerSecond,
    latency: result.latency,
    load: result.load,
  };
}

/** The JSON of several runs: totals, the spread of failures, and each run. */
export function runsJson(summary: RunsSummary): Record<string, unknown> {
  return {
    runs: summary.runs,
    firstSeed: summary.firstSeed,
    requests: summary.requests,
    failed: summary.failed,
    runsWithFailures: summary.runsWithFailures,
    errors: summary.errors,
    causes: Object.fromEntries(Object.entries(summary.causes).map(([cause, count]) => [cause, { count, category: categoryOf(cause) }])),
    rolloutSeconds: summary.rolloutSeconds,
    leastRolloutSeconds: summary.leastRolloutSeconds,
    unfinished: summary.unfinished,
    results: summary.results.map(resultJson),
  };
}

function categoryOf(cause: string): string {
  return (FAILURE_CAUSES as Record<string, { category: string }>)[cause]?.category ?? 'none';
}

const f4 = (value: number): string => value.toFixed(4);

/** Text in the shape of hey's summary, then each failure class tied to the invariant behind it. */
export function formatResultText(result: SimulationResult): string {
  const lines: string[] = [];
  const load = result.load;
  lines.push(`Scenario: ${result.scenario} (placement ${result.placement}, seed ${result.seed})`);
  lines.push(`Gateway:  ${result.gateway}${result.upstream ? `   Upstream: ${result.upstream}` : ''}`);
  lines.push(`Load:     ${load.concurrency} workers × ${load.rate || 'unlimited'} req/s, timeout ${load.timeoutSeconds}s, ${load.keepAlive ? 'keep-alive' : 'no keep-alive'}` +
    (load.longRequests > 0 ? `, ${load.longRequests} long requests of ${load.longDelaySeconds}s (timeout ${load.longTimeoutSeconds}s)` : '') +
    (load.clientRetries > 0 ? `, clients retry ${load.clientRetries}×` : '') + `; ${result.nodes} nodes`);
  lines.push(`Rollout:  ${formatRollout(result.rolloutSeconds, result.leastRolloutSeconds)}`);
  lines.push('');
  lines.push('Summary:');
  lines.push(`  Total:\t${f4(result.durationSeconds)} secs${load.durationSeconds === undefined ? ' (until the rollout had settled)' : ''}`);
  lines.push(`  Slowest:\t${f4(result.latency.slowest)} secs`);
  lines.push(`  Fastest:\t${f4(result.latency.fastest)} secs`);
  lines.push(`  Average:\t${f4(result.latency.average)} secs`);
  lines.push(`  Requests/sec:\t${f4(result.requestsPerSecond)}`);
  lines.push('');
  lines.push(`  Requests:\t${result.requests}`);
  lines.push(`  Succeeded:\t${result.succeeded}`);
  lines.push(`  Failed:\t${result.failed}`);
  if (result.clientRetries > 0) lines.push(`  Client retries:\t${result.clientRetries}`);
  lines.push('');
  lines.push('Latency distribution:');
  const l = result.latency;
  for (const [share, value] of [[10, l.p10], [25, l.p25], [50, l.p50], [75, l.p75], [90, l.p90], [95, l.p95], [99, l.p99]] as const) {
    lines.push(`  ${share}% in ${f4(value)} secs`);
  }
  lines.push('');
  lines.push('Status code distribution:');
  for (const [code, count] of Object.entries(result.statusCodes)) lines.push(`  [${code}]\t${count} responses`);
  const transport = Object.entries(result.errors).filter(([name]) => name !== '503');
  if (transport.length > 0) {
    lines.push('');
    lines.push('Error distribution:');
    for (const [name, count] of transport) lines.push(`  [${count}]\t${name}: ${ERROR_CLASS_TEXT[name as ErrorClass]}`);
  }
  lines.push(...formatCauses(result.causes));
  return lines.join('\n') + '\n';
}

/** Text for several runs: the spread of failed requests, then the classes and causes over all runs. */
export function formatRunsText(summary: RunsSummary): string {
  const first = summary.results[0];
  const lines: string[] = [];
  lines.push(`Scenario: ${first.scenario} (placement ${first.placement}), ${summary.runs} runs, seeds ${summary.firstSeed}–${summary.firstSeed + summary.runs - 1}`);
  lines.push(`Gateway:  ${first.gateway}${first.upstream ? `   Upstream: ${first.upstream}` : ''}`);
  lines.push('');
  lines.push(`  Requests:\t${summary.requests} in all`);
  lines.push(`  Failed per run:\tmin ${summary.failed.min}, median ${summary.failed.p50}, p90 ${summary.failed.p90}, max ${summary.failed.max}, mean ${summary.failed.mean}`);
  lines.push(`  Runs with failures:\t${summary.runsWithFailures} of ${summary.runs}`);
  const r = summary.rolloutSeconds;
  lines.push(`  Rollout:\t${r ? `min ${r.min.toFixed(1)}, median ${r.p50.toFixed(1)}, max ${r.max.toFixed(1)} secs (a safe rollout takes at least ${summary.leastRolloutSeconds.toFixed(1)})` : `DID NOT FINISH in ${summary.unfinished} of ${summary.runs} runs`}`);
  if (Object.keys(summary.errors).length > 0) {
    lines.push('');
    lines.push('Error distribution (all runs):');
    for (const [name, count] of Object.entries(summary.errors)) lines.push(`  [${count}]\t${name}: ${ERROR_CLASS_TEXT[name as ErrorClass]}`);
  }
  lines.push(...formatCauses(summary.causes));
  return lines.join('\n') + '\n';
}

/** The rollout's time beside the least the chain allows, or that it did not finish. */
export function formatRollout(rolloutSeconds: number | null, leastSeconds: number): string {
  if (rolloutSeconds === null) return 'DID NOT FINISH within the run: the result says nothing about the rest of the rollout';
  return `${rolloutSeconds.toFixed(1)} secs (the chain allows no less than ${leastSeconds.toFixed(1)} secs for a safe rollout: ${(rolloutSeconds / Math.max(leastSeconds, 1e-9)).toFixed(2)} ×)`;
}

function formatCauses(causes: Partial<Record<string, number>>): string[] {
  const entries = Object.entries(causes);
  if (entries.length === 0) return ['', 'No request failed.'];
  const lines = ['', 'Why they failed, and the invariant that prevents it:'];
  for (const [cause, count] of entries) {
    const known = FAILURE_CAUSES[cause as FailureCause];
    lines.push(known
      ? `  [${count}]\t${cause} → ${known.category}: ${known.explanation}`
      : `  [${count}]\t${cause}: slower than the client timeout, with no rollout involved`);
  }
  return lines;
}
