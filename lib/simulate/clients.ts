import { Category } from '../core/finding';
import { GKE_FAILURE_CAUSES, GkeFailureCause } from './gke';

/**
 * The load: workers like hey's (`-c` workers, each at most `-q` requests per second, `-t` timeout,
 * `-disable-keepalive`), plus an optional population of long requests as in Envoy Gateway's own
 * zero-downtime test.
 * @see https://github.com/rakyll/hey
 */
export interface LoadProfile {
  /** Workers, each with one request in flight at a time (hey `-c`). @default 4 */
  readonly concurrency?: number;
  /** Requests per second per worker (hey `-q`); 0: as fast as answers come. @default 10 */
  readonly rate?: number;
  /** Client timeout per request, connection included (hey `-t`). @default 1 */
  readonly timeoutSeconds?: number;
  /** Whether workers keep connections open between requests (hey keeps them unless `-disable-keepalive`). @default false */
  readonly keepAlive?: boolean;
  /**
   * Seconds of load (hey `-z`). Unset: the load runs until the rollout has finished and the load
   * balancer and gateways have settled on the new pods, so a run never ends mid-rollout.
   * @default until the rollout has settled
   */
  readonly durationSeconds?: number;
  /**
   * How many times a client sends a failed request again, through the load balancer, on a new
   * connection (clients that retry "to the cloud"); a request counts as failed only when every try failed.
   * @default 0
   */
  readonly clientRetries?: number;
  /** Extra workers that each send requests taking `longDelaySeconds`. @default 0 */
  readonly longRequests?: number;
  /** How long a long request takes at the upstream. @default 3 */
  readonly longDelaySeconds?: number;
  /** Client timeout of a long request. @default 10 */
  readonly longTimeoutSeconds?: number;
}

/** A load profile with every default applied. */
export interface ResolvedLoad {
  readonly concurrency: number;
  readonly rate: number;
  readonly timeoutSeconds: number;
  readonly keepAlive: boolean;
  /** Undefined: until the rollout has settled. */
  readonly durationSeconds?: number;
  readonly clientRetries: number;
  readonly longRequests: number;
  readonly longDelaySeconds: number;
  readonly longTimeoutSeconds: number;
}

/** Applies the defaults (the Gloo guide's hey run) and checks the values. */
export function resolveLoad(load: LoadProfile = {}): ResolvedLoad {
  const resolved: ResolvedLoad = {
    concurrency: load.concurrency ?? 4,
    rate: load.rate ?? 10,
    timeoutSeconds: load.timeoutSeconds ?? 1,
    keepAlive: load.keepAlive ?? false,
    durationSeconds: load.durationSeconds,
    clientRetries: load.clientRetries ?? 0,
    longRequests: load.longRequests ?? 0,
    longDelaySeconds: load.longDelaySeconds ?? 3,
    longTimeoutSeconds: load.longTimeoutSeconds ?? 10,
  };
  for (const name of ['concurrency', 'longRequests', 'clientRetries'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 0) throw new Error(`'${name}' (${resolved[name]}) must be a whole number ≥ 0`);
  }
  if (resolved.concurrency + resolved.longRequests < 1) throw new Error(`'concurrency' (${resolved.concurrency}) must be at least 1 when there are no long requests`);
  if (resolved.durationSeconds !== undefined && (!Number.isFinite(resolved.durationSeconds) || resolved.durationSeconds <= 0)) {
    throw new Error(`'durationSeconds' (${resolved.durationSeconds}) must be a number of seconds > 0: a run without load shows nothing`);
  }
  for (const name of ['rate', 'longDelaySeconds'] as const) {
    if (!Number.isFinite(resolved[name]) || resolved[name] < 0) throw new Error(`'${name}' (${resolved[name]}) must be a finite number ≥ 0`);
  }
  for (const name of ['timeoutSeconds', 'longTimeoutSeconds'] as const) {
    if (!Number.isFinite(resolved[name]) || resolved[name] <= 0) throw new Error(`'${name}' (${resolved[name]}) must be a number of seconds > 0`);
  }
  return resolved;
}

/** What a failed request looks like to the client, in the classes hey's error distribution shows. */
export type ErrorClass = 'connect-timeout' | 'header-timeout' | 'refused' | 'reset' | '503';

/** Every error class, in report order. */
export const ERROR_CLASSES: readonly ErrorClass[] = ['connect-timeout', 'header-timeout', 'refused', 'reset', '503'];

/**
 * How hey (Go's net/http) prints each class. A dial that outlives the client timeout is printed as
 * either of the two timeout messages, whichever of Go's timers fires first; the simulator tells them
 * apart by whether the connection was ever established.
 */
export const ERROR_CLASS_TEXT: Record<ErrorClass, string> = {
  'connect-timeout': 'dial tcp: i/o timeout (the SYN was dropped: the connection never opened)',
  'header-timeout': 'Client.Timeout exceeded while awaiting headers (connected, no answer in time)',
  'refused': 'connect: connection refused (nothing listens where the connection landed)',
  'reset': 'read: connection reset by peer / EOF (the connection died under a request)',
  '503': 'HTTP 503 (the gateway could not reach an upstream pod)',
};

/** Why a request failed: the mechanism, which names the invariant that would have prevented it. */
export type FailureCause =
  | 'node-without-endpoint'
  | 'load-balancer-fail-open'
  | 'target-gone'
  | 'host-port-not-bound'
  | 'gateway-exit-in-flight'
  | 'request-outlived-drain'
  | 'keepalive-not-drained'
  | 'unhealthy-target-reset'
  | 'deregistration-delay-cut'
  | 'upstream-stale-host'
  | 'upstream-stale-host-no-retry'
  | 'upstream-killed-in-flight'
  | GkeFailureCause;

/** Each cause, the invariant (Finding category) that covers it, and what it means. */
export const FAILURE_CAUSES: Record<FailureCause, { readonly category: Category; readonly explanation: string }> = {
  'node-without-endpoint': {
    category: 'lb-detection',
    explanation: 'the load balancer still sent new connections to a node whose gateway pod had stopped serving; kube-proxy dropped them (eTP Local). The gateway must keep serving for the detection window plus margin.',
  },
  'load-balancer-fail-open': {
    category: 'capacity',
    explanation: 'no target was healthy, so the load balancer failed open and sent connections to nodes without a gateway. minReadySeconds must cover the recovery window, so a rollout never outruns the load balancer.',
  },
  'target-gone': {
    category: 'lb-detection',
    explanation: 'the load balancer sent a new connection to an IP target whose pod had gone (deregistration lag). The gateway must keep serving for the deregistration lag plus margin.',
  },
  'host-port-not-bound': {
    category: 'lb-detection',
    explanation: 'the load balancer sent a connection to a node whose hostPort had no pod. The gateway must stay up until the load balancer has marked the node unhealthy, and the rollout wait for it to be healthy again.',
  },
  'gateway-exit-in-flight': {
    category: 'lb-detection',
    explanation: 'a request reached a gateway pod after it started to stop and was still in flight when Envoy exited on SIGTERM. The gateway must keep serving until the load balancer stops sending, then drain.',
  },
  'request-outlived-drain': {
    category: 'grace-period',
    explanation: 'a request that began before the gateway pod started to stop was still running when Envoy exited. The drain (and the grace period around it) must outlast the longest request.',
  },
  'keepalive-not-drained': {
    category: 'keepalive',
    explanation: 'a keep-alive client went on sending on a connection it opened before the gateway pod started to stop, and Envoy exited on SIGTERM under its request: a preStop that only sleeps never closes keep-alive connections. Fail the health check from preStop (Envoy then drain-closes connections) and drain before exiting.',
  },
  'unhealthy-target-reset': {
    category: 'keepalive',
    explanation: 'the load balancer reset connections still open when it marked the target unhealthy. Turn off unhealthy connection termination with a draining interval covering the drain, or drain-close connections first.',
  },
  'deregistration-delay-cut': {
    category: 'keepalive',
    explanation: 'the load balancer cut connections to a deregistered IP target when its deregistration delay ended (connection termination on), while the gateway was still serving them. The deregistration delay must outlast the gateway\'s whole preStop.',
  },
  'upstream-stale-host': {
    category: 'upstream-propagation',
    explanation: 'the gateway still chose an upstream pod that had stopped, and its retries ran out or outlasted the client. The upstream preStop must cover the discovery delay plus margin, with ignore_health_on_host_removal when active health checks are on.',
  },
  'upstream-stale-host-no-retry': {
    category: 'upstream-propagation',
    explanation: 'the gateway still chose an upstream pod that had stopped, and the route does not retry connect failures on another host (retries). The upstream preStop must cover the discovery delay plus margin; routes retry connect-failure, refused-stream and reset with previous_hosts.',
  },
  'upstream-killed-in-flight': {
    category: 'grace-period',
    explanation: 'an upstream pod was killed with requests in flight. terminationGracePeriodSeconds must cover the preStop plus the app drain.',
  },
  ...GKE_FAILURE_CAUSES,
};
