import { resolveIntOrPercent } from '../core/int-or-percent';
import { WorkloadModel } from '../core/model';
import { drainTimeline, preStopSeconds } from '../read/drain/timeline';
import { Random } from './engine';

/** Where the scheduler puts a rollout's new pods. */
export type Placement = 'same-node' | 'new-node' | 'random';

/** Every placement, for argument checking. */
export const PLACEMENTS: readonly Placement[] = ['same-node', 'new-node', 'random'];

/**
 * One pod's life as times (seconds from the start of the run; `Infinity`: not yet, or never).
 * Kube-proxy, CoreDNS and the load balancer read these times as of their own, older view, so
 * propagation delays need no events of their own.
 */
export interface SimPod {
  readonly id: number;
  readonly role: 'gateway' | 'upstream';
  readonly name: string;
  /** `old`: the revision running when the run starts; `new`: the one a rollout brings. */
  readonly revision: 'old' | 'new';
  readonly node: number;
  readonly createdAt: number;
  /** The container listens from here on. */
  startedAt: number;
  /** The readiness probe passes from here on (before any readiness gate). */
  containerReadyAt: number;
  /** Ready in the API: readiness probe and readiness gates. */
  readyAt: number;
  availableAt: number;
  deletedAt: number;
  /** Its load-balancer health check fails from here on (preStop `/healthcheck/fail`). */
  healthFailsAt: number;
  /** The readiness probe fails from here on (a probe on the path draining fails). */
  notReadyAt: number;
  /** New connections are refused from here on (end of the keep-serving part of preStop, or SIGTERM for an app). */
  stopsAcceptingAt: number;
  sigtermAt: number;
  /** The process has gone and with it the pod's address. */
  exitAt: number;
  /** Whether SIGKILL ended it. */
  killed: boolean;
  /** Whether a hostPort held by an older pod on the node keeps it from starting. */
  waitingForPort: boolean;
}

export function newPod(id: number, role: SimPod['role'], name: string, revision: SimPod['revision'], node: number, createdAt: number): SimPod {
  return {
    id, role, name, revision, node, createdAt,
    startedAt: Infinity, containerReadyAt: Infinity, readyAt: Infinity, availableAt: Infinity, deletedAt: Infinity,
    healthFailsAt: Infinity, notReadyAt: Infinity, stopsAcceptingAt: Infinity, sigtermAt: Infinity, exitAt: Infinity,
    killed: false, waitingForPort: false,
  };
}

/** The EndpointSlice condition `ready` as of `at`. */
export function endpointReady(pod: SimPod, at: number): boolean {
  return pod.readyAt <= at && at < pod.deletedAt && at < pod.notReadyAt && at < pod.exitAt;
}

/** The EndpointSlice condition `serving` (ready or terminating, readiness still passing) as of `at`. */
export function endpointServing(pod: SimPod, at: number): boolean {
  return pod.readyAt <= at && at < pod.notReadyAt && at < pod.exitAt;
}

/** Whether the pod accepts a new connection at `at`. */
export function accepting(pod: SimPod, at: number): boolean {
  return pod.startedAt <= at && at < pod.stopsAcceptingAt && at < pod.exitAt;
}

/** Whether the pod's address still answers (with a refusal at least) at `at`. */
export function alive(pod: SimPod, at: number): boolean {
  return pod.createdAt <= at && at < pod.exitAt;
}

/** How many pods a PodDisruptionBudget wants healthy; undefined without one. */
export function desiredHealthy(workload: WorkloadModel, replicas: number): number | undefined {
  const budget = workload.disruptionBudget;
  if (!budget) return undefined;
  if (budget.minAvailable !== undefined) return resolveIntOrPercent(budget.minAvailable, replicas, true);
  if (budget.maxUnavailable === undefined) return undefined;
  return replicas - resolveIntOrPercent(budget.maxUnavailable, replicas, true);
}

/** When the readiness probe first passes after the container starts at `startedAt`. */
export function readinessPassesAt(workload: WorkloadModel, startedAt: number, random: Random): number {
  const probe = workload.readiness;
  if (!probe) return startedAt;
  return startedAt + probe.initialDelaySeconds + random.uniform(0, probe.periodSeconds) + (Math.max(1, probe.successThreshold) - 1) * probe.periodSeconds;
}

/** When a readiness probe that fails while draining has failed enough times, counting from `failsFrom`. */
export function readinessFailsAt(workload: WorkloadModel, failsFrom: number, random: Random): number {
  const probe = workload.readiness;
  if (!probe || !probe.failsWhileDraining || !workload.drain.failsHealthCheck) return Infinity;
  return failsFrom + random.uniform(0, probe.periodSeconds) + (Math.max(1, probe.failureThreshold) - 1) * probe.periodSeconds;
}

/** The times of a pod's stop, from its deletion at `deletedAt`, by its drain model and grace period. */
export interface StopPlan {
  readonly healthFailsAt: number;
  /** When listeners stop accepting; for a shutdown manager, the latest (it stops sooner once no connection is left). */
  readonly stopsAcceptingAt: number;
  /** When preStop would end by itself (a shutdown-manager may end it sooner, once no connection is left). */
  readonly preStopEndsAt: number;
  /** For a shutdown manager: when it first looks for open connections, and how often after that. */
  readonly endsWhenIdle?: { readonly firstPollAt: number; readonly pollSeconds: number };
  readonly sigtermAt: number;
  readonly killAt: number;
}

/**
 * preStop runs from deletion; SIGTERM when it ends, or at the grace-period deadline (then SIGKILL
 * after the kubelet's one 2 s extension); SIGKILL at the deadline otherwise. The times come from
 * the drain timeline `check` and `explain` read ({@link drainTimeline}); a drain hitless cannot read
 * is played as its model says (no wait).
 */
export function planStop(workload: WorkloadModel, deletedAt: number, extensionSeconds: number): StopPlan {
  const drain = workload.drain;
  const grace = workload.terminationGracePeriodSeconds;
  const deadline = deletedAt + grace;
  const timeline = drainTimeline(drain, { terminationGracePeriodSeconds: grace, appDrainSeconds: workload.appDrainSeconds });
  const hasPreStop = drain.mechanism !== 'none';
  const preStopEndsAt = deletedAt + (hasPreStop ? preStopSeconds(drain, grace) : 0);
  const cut = preStopEndsAt > deadline;
  const sigtermAt = cut ? deadline : preStopEndsAt;
  if (!timeline) {
    return {
      healthFailsAt: hasPreStop && drain.failsHealthCheck ? deletedAt : Infinity,
      stopsAcceptingAt: Math.min(deletedAt + drain.keepServingSeconds, cut ? deadline : Infinity),
      preStopEndsAt,
      sigtermAt,
      killAt: cut ? deadline + extensionSeconds : deadline,
    };
  }
  const idle = drain.endsWhenIdle;
  return {
    healthFailsAt: timeline.failsHealthCheckAt === undefined ? Infinity : deletedAt + timeline.failsHealthCheckAt,
    // A shutdown manager keeps Envoy's listeners open until its drain ends, once no connection is open.
    stopsAcceptingAt: deletedAt + (timeline.stopsAcceptingBy ?? timeline.stopsAcceptingAt),
    preStopEndsAt,
    ...(idle ? { endsWhenIdle: { firstPollAt: deletedAt + timeline.stopsAcceptingAt, pollSeconds: idle.pollSeconds } } : {}),
    sigtermAt,
    killAt: cut ? deadline + extensionSeconds : deadline,
  };
}
