import { ERROR_CLASSES, ErrorClass, FailureCause } from './clients';

/** What the clients counted: outcomes, causes, latencies and failures over time, as the requests end. */

/** How a request ended, as the client saw it. */
export enum Outcome { Ok, Status503, ConnectTimeout, HeaderTimeout, Refused, Reset }

const OUTCOME_CLASS: (ErrorClass | undefined)[] = [undefined, '503', 'connect-timeout', 'header-timeout', 'refused', 'reset'];

/** Latency of answered requests (hey counts 200s and 503s alike), in seconds. */
export interface LatencySummary {
  readonly fastest: number;
  readonly slowest: number;
  readonly average: number;
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

/** One failed request, for the timeline. */
export interface TimelineFailure {
  readonly time: number;
  readonly errorClass: ErrorClass;
  readonly cause?: FailureCause;
  /** Index into `targets` of the load-balancer target the connection went to, when known. */
  readonly target: number;
}

export class Metrics {
  /** Requests the clients sent again after a failure. */
  public clientRetries = 0;
  public readonly failures: TimelineFailure[] = [];
  public readonly okPerSecond: number[] = [];
  public readonly failedPerSecond: number[] = [];
  private succeededCount = 0;
  private readonly outcomes = new Array<number>(OUTCOME_CLASS.length).fill(0);
  private readonly causeCounts = new Map<string, number>();
  private latencies = new Float64Array(1024);
  private latencyCount = 0;

  /** Counts a request that ended at `at` with `outcome`, sent at `sentAt`, whose connection went to `target` (-1: unknown). */
  public record(outcome: Outcome, cause: FailureCause | undefined, at: number, sentAt: number, target: number): void {
    this.outcomes[outcome]++;
    const second = Math.max(0, Math.floor(at));
    while (this.okPerSecond.length <= second) {
      this.okPerSecond.push(0);
      this.failedPerSecond.push(0);
    }
    if (outcome === Outcome.Ok || outcome === Outcome.Status503) this.addLatency(at - sentAt);
    if (outcome === Outcome.Ok) {
      this.succeededCount++;
      this.okPerSecond[second]++;
    } else {
      this.failedPerSecond[second]++;
      const key = cause ?? 'slow-request';
      this.causeCounts.set(key, (this.causeCounts.get(key) ?? 0) + 1);
      this.failures.push({ time: at, errorClass: OUTCOME_CLASS[outcome]!, cause, target });
    }
  }

  private addLatency(seconds: number): void {
    if (this.latencyCount === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.latencyCount++] = seconds;
  }

  public get completed(): number {
    return this.outcomes.reduce((a, b) => a + b, 0);
  }

  public get succeeded(): number {
    return this.succeededCount;
  }

  /** Failed requests by error class, in the order of {@link ERROR_CLASSES}. */
  public errors(): Partial<Record<ErrorClass, number>> {
    const errors: Partial<Record<ErrorClass, number>> = {};
    OUTCOME_CLASS.forEach((errorClass, outcome) => {
      if (errorClass && this.outcomes[outcome] > 0) errors[errorClass] = this.outcomes[outcome];
    });
    const ordered: Partial<Record<ErrorClass, number>> = {};
    for (const errorClass of ERROR_CLASSES) if (errors[errorClass]) ordered[errorClass] = errors[errorClass];
    return ordered;
  }

  public statusCodes(): Record<string, number> {
    const statusCodes: Record<string, number> = {};
    if (this.outcomes[Outcome.Ok] > 0) statusCodes['200'] = this.outcomes[Outcome.Ok];
    if (this.outcomes[Outcome.Status503] > 0) statusCodes['503'] = this.outcomes[Outcome.Status503];
    return statusCodes;
  }

  /** Failed requests by cause, most frequent first. */
  public causes(): Partial<Record<FailureCause | 'slow-request', number>> {
    const causes: Partial<Record<FailureCause | 'slow-request', number>> = {};
    for (const [cause, count] of [...this.causeCounts.entries()].sort((a, b) => b[1] - a[1])) causes[cause as FailureCause] = count;
    return causes;
  }

  /** The latency summary; call once, at the end (it sorts the run's buffer in place). */
  public latency(): LatencySummary {
    return summarizeLatency(this.latencies.subarray(0, this.latencyCount));
  }
}

function summarizeLatency(values: Float64Array): LatencySummary {
  if (values.length === 0) return { fastest: 0, slowest: 0, average: 0, p10: 0, p25: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 };
  // Sorted in place: the buffer is the run's own and is not read again.
  const sorted = values.sort();
  const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  let sum = 0;
  for (const value of sorted) sum += value;
  const r = (value: number): number => Math.round(value * 1e6) / 1e6;
  return {
    fastest: r(sorted[0]), slowest: r(sorted[sorted.length - 1]), average: r(sum / sorted.length),
    p10: r(at(0.1)), p25: r(at(0.25)), p50: r(at(0.5)), p75: r(at(0.75)), p90: r(at(0.9)), p95: r(at(0.95)), p99: r(at(0.99)),
  };
}
