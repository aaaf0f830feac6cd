/** What kind of rollout hazard a finding is about (DESIGN.md section 4). */
export type Category =
  | 'lb-detection'
  | 'keepalive'
  | 'grace-period'
  | 'upstream-propagation'
  | 'retries'
  | 'capacity'
  | 'traffic-policy'
  | 'schema'
  | 'security'
  | 'no-drain'
  | 'unknown';

/**
 * `error`: a mechanism drops requests with the configured numbers (the simulator can show it);
 * `warning`: a margin shortfall, defence in depth, or safety resting on an assumption.
 */
export type Severity = 'error' | 'warning';

/** One way a rollout would drop requests, with the numbers and the way out. */
export interface Finding {
  /** Stable rule id, kebab-case, e.g. `gateway-drain-shorter-than-lb-detection`. */
  readonly rule: string;
  readonly category: Category;
  readonly severity: Severity;
  /** The objects involved, as `Kind/namespace/name`. */
  readonly objects: string[];
  /** What is wrong, with the numbers. */
  readonly message: string;
  /** What to change, with the numbers. */
  readonly fix: string;
  /**
   * The mechanism that drops requests (an id of `MECHANISMS` in lib/core/timing/mechanisms.ts),
   * on every error-severity timing finding; it says which simulated scenario shows it.
   */
  readonly mechanism?: string;
}


/** Seconds as people read them in messages: `26s`, `1.5s`. */
export function formatSeconds(seconds: number): string {
  return `${+seconds.toFixed(3)}s`;
}
