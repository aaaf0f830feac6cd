import { LoadBalancerModel } from '../core/model';
import { Random } from './engine';
import { SimPod } from './kubernetes';

/**
 * One load-balancer target: a node (instance targets, host port) or a pod (IP targets), with the
 * health state the load balancer keeps for it.
 */
export interface SimTarget {
  readonly index: number;
  readonly label: string;
  /** The node behind an instance or host-port target. */
  readonly node?: number;
  /** The pod behind an IP target. */
  readonly pod?: SimPod;
  healthy: boolean;
  passes: number;
  failures: number;
  /** Bumped on every turn to unhealthy, so that a delayed reset only hits the turn it was meant for. */
  epoch: number;
  /** IP targets: deregistration asked for at this time (health checks stop). */
  deregisteredAt: number;
  /** IP targets: the data plane stops opening connections to it at this time (deregistration lag). */
  stopsReceivingAt: number;
  /** Health as the timeline shows it: `[time, healthy]` at every change. */
  readonly history: [number, boolean][];
}

export function newTarget(index: number, label: string, healthy: boolean, at: number, where: { node?: number; pod?: SimPod }): SimTarget {
  return {
    index, label, node: where.node, pod: where.pod, healthy, passes: 0, failures: 0, epoch: 0,
    deregisteredAt: Infinity, stopsReceivingAt: Infinity, history: [[at, healthy]],
  };
}

/** Whether the load balancer opens a new connection to `target` at `at` when it has healthy targets to choose from. */
export function receivesNewConnections(target: SimTarget, at: number): boolean {
  return target.healthy && at < target.stopsReceivingAt;
}

/** Whether the target is still registered at `at` (fail-open spreads over these). */
export function registered(target: SimTarget, at: number): boolean {
  return at < target.stopsReceivingAt;
}

/** The result of one health check sent to a target. */
export interface HealthCheckOutcome {
  readonly passed: boolean;
  /** Seconds until the load balancer has the answer: quick for an answer, the check timeout for silence. */
  readonly after: number;
}

const QUICK_ANSWER_SECONDS = 0.002;

export function answered(passed: boolean): HealthCheckOutcome {
  return { passed, after: QUICK_ANSWER_SECONDS };
}

export function silent(loadBalancer: LoadBalancerModel): HealthCheckOutcome {
  return { passed: false, after: loadBalancer.healthCheck.timeoutSeconds };
}

/**
 * Applies one health-check result. Returns `'healthy'` or `'unhealthy'` when the target changes
 * state, else `undefined`. A target turns after `healthyThreshold` consecutive passes or
 * `unhealthyThreshold` consecutive failures.
 */
export function applyHealthCheck(target: SimTarget, loadBalancer: LoadBalancerModel, passed: boolean, at: number): 'healthy' | 'unhealthy' | undefined {
  if (passed) {
    target.failures = 0;
    target.passes++;
    if (!target.healthy && target.passes >= loadBalancer.healthCheck.healthyThreshold) {
      target.healthy = true;
      target.history.push([at, true]);
      return 'healthy';
    }
  } else {
    target.passes = 0;
    target.failures++;
    if (target.healthy && target.failures >= loadBalancer.healthCheck.unhealthyThreshold) {
      target.healthy = false;
      target.epoch++;
      target.history.push([at, false]);
      return 'unhealthy';
    }
  }
  return undefined;
}

/** The next health check's time: one interval on, give or take the jitter. */
export function nextHealthCheckAt(loadBalancer: LoadBalancerModel, at: number, jitterSeconds: number, random: Random): number {
  return at + loadBalancer.healthCheck.intervalSeconds + (jitterSeconds > 0 ? random.uniform(-jitterSeconds, jitterSeconds) : 0);
}

/**
 * Picks the target of a new connection (a flow hash, uniform over the candidates): a healthy
 * target; with none healthy, the load balancer fails open over every registered target.
 */
export function chooseTarget(targets: readonly SimTarget[], at: number, random: Random): { target?: SimTarget; failOpen: boolean } {
  let healthy = 0;
  for (const target of targets) if (receivesNewConnections(target, at)) healthy++;
  if (healthy > 0) {
    let pick = random.index(healthy);
    for (const target of targets) if (receivesNewConnections(target, at) && pick-- === 0) return { target, failOpen: false };
  }
  let all = 0;
  for (const target of targets) if (registered(target, at)) all++;
  if (all === 0) return { failOpen: true };
  let pick = random.index(all);
  for (const target of targets) if (registered(target, at) && pick-- === 0) return { target, failOpen: true };
  return { failOpen: true };
}
