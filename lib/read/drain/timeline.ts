import { DrainModel } from '../../core/model';

/**
 * One drain timeline for `check`, `explain` and `simulate`: when, counted from the pod's
 * deletion (t0, when preStop starts), the pod fails the load balancer's health check, stops
 * accepting new connections, and exits. Derived from the DrainModel the reader built, so that the
 * three faces agree on every manifest.
 */
export interface DrainTimeline {
  /** When the pod's own health check starts failing (Envoy `/healthcheck/fail`); undefined when it never does by itself. */
  readonly failsHealthCheckAt?: number;
  /** When the pod stops accepting new connections (listeners closed, or the process gone): the earliest it may. */
  readonly stopsAcceptingAt: number;
  /** For drains that end once no connection is open (shutdown managers): the latest it stops accepting. */
  readonly stopsAcceptingBy?: number;
  /** When the process is gone: the drain's end, SIGKILL at terminationGracePeriodSeconds at the latest. */
  readonly exitsAt: number;
  /** Whether the pod closes idle keep-alive connections while it drains. */
  readonly closesIdleConnections: boolean;
  /** The drain as read. */
  readonly description: string;
}

export interface DrainTimelineOptions {
  readonly terminationGracePeriodSeconds: number;
  /** Seconds the application needs after SIGTERM (0 for Envoy, which exits at once). */
  readonly appDrainSeconds?: number;
}

/**
 * The timeline of a drain; undefined when the drain is `unknown` (nothing is assumed). Every time
 * is capped at terminationGracePeriodSeconds, when the kubelet kills what is left.
 */
export function drainTimeline(drain: DrainModel, options: DrainTimelineOptions): DrainTimeline | undefined {
  if (drain.mechanism === 'unknown') return undefined;
  const kill = Math.max(0, options.terminationGracePeriodSeconds);
  const cap = (seconds: number) => Math.min(kill, Math.max(0, seconds));
  const idle = drain.endsWhenIdle;
  const preStopEnds = preStopSeconds(drain, kill);
  return {
    ...(drain.failsHealthCheck ? { failsHealthCheckAt: cap(drain.failsHealthCheckAfterSeconds ?? 0) } : {}),
    stopsAcceptingAt: cap(idle ? idle.earliestSeconds : drain.keepServingSeconds),
    ...(idle ? { stopsAcceptingBy: cap(preStopEnds) } : {}),
    exitsAt: cap(preStopEnds + (options.appDrainSeconds ?? 0)),
    closesIdleConnections: drain.drainsConnections,
    description: drain.description,
  };
}

/**
 * How long preStop runs at the latest, before the grace period caps it: a shutdown manager's drain
 * ends between its earliest end and its timeout (or SIGKILL, without one); any other drain keeps
 * serving, then drains. The simulator reads this too, to know when the kubelet cuts preStop short.
 */
export function preStopSeconds(drain: DrainModel, terminationGracePeriodSeconds: number): number {
  const idle = drain.endsWhenIdle;
  return idle ? idle.latestSeconds ?? Math.max(0, terminationGracePeriodSeconds) : drain.keepServingSeconds + drain.drainSeconds;
}
