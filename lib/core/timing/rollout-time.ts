import { DiscoveryModel, LoadBalancerModel, WorkloadModel } from '../model';
import { DEFAULT_MARGIN_SECONDS, requiredGatewayMinReadySeconds, requiredKeepServingSeconds, requiredUpstreamKeepServingSeconds } from './windows';

/**
 * The least time a rollout can take when every window is as short as the chain allows: the waves
 * of new pods must start, pass readiness and stay ready for the minReadySeconds the chain needs
 * before the next old pods go; the last old pods must then keep serving as long as the chain
 * needs, drain and exit. The simulator reports its measured rollout beside this figure, so that a
 * configuration that waits longer than it must shows.
 */

/** The windows one pod's replacement takes, in seconds. */
export interface RolloutWindows {
  /** From creation to ready: start-up, then the readiness probe's first pass (and readiness gates). */
  readonly readySeconds: number;
  /** How long a new pod must stay ready before the rollout moves on. */
  readonly minReadySeconds: number;
  /** From deletion to exit: keep serving while others stop choosing the pod, then drain. */
  readonly stopSeconds: number;
}

/** The least seconds a rolling update of `workload` takes with these windows. */
export function leastRolloutSeconds(workload: Pick<WorkloadModel, 'kind' | 'replicas' | 'maxSurge' | 'maxUnavailable' | 'hostPorts'>, windows: RolloutWindows, nodes?: number): number {
  const wave = windows.readySeconds + windows.minReadySeconds;
  if (workload.kind === 'DaemonSet') {
    const pods = Math.max(1, nodes ?? workload.replicas);
    if (workload.maxSurge > 0) return Math.ceil(pods / workload.maxSurge) * wave + windows.stopSeconds;
    // maxUnavailable: the old pod leaves its node before the new one starts there.
    return Math.ceil(pods / Math.max(1, workload.maxUnavailable)) * (windows.stopSeconds + wave);
  }
  const perWave = workload.kind === 'StatefulSet' ? 1 : Math.max(1, workload.maxSurge + workload.maxUnavailable);
  return Math.ceil(Math.max(1, workload.replicas) / perWave) * wave + windows.stopSeconds;
}

/** The least seconds a node drain takes: the evicted pods stop while their replacements come up elsewhere. */
export function leastDrainSeconds(windows: RolloutWindows[]): number {
  return Math.max(0, ...windows.map((each) => Math.max(each.stopSeconds, each.readySeconds + each.minReadySeconds)));
}

/** The least time from a pod's creation to ready: start-up, the probe's initial delay and its success threshold. */
export function leastReadySeconds(workload: Pick<WorkloadModel, 'readiness'>, startupSeconds: number): number {
  const probe = workload.readiness;
  if (!probe) return startupSeconds;
  return startupSeconds + probe.initialDelaySeconds + (Math.max(1, probe.successThreshold) - 1) * probe.periodSeconds;
}

/**
 * A gateway's windows at their least: minReadySeconds and keep-serving as the load balancer
 * requires them, the drain as configured (it is sized by the longest request, which only the user knows).
 */
export function gatewayRolloutWindows(gateway: WorkloadModel, loadBalancer: LoadBalancerModel, startupSeconds: number, marginSeconds = DEFAULT_MARGIN_SECONDS): RolloutWindows {
  return {
    readySeconds: leastReadySeconds(gateway, startupSeconds),
    minReadySeconds: requiredGatewayMinReadySeconds(loadBalancer, marginSeconds),
    stopSeconds: requiredKeepServingSeconds(loadBalancer, marginSeconds) + gateway.drain.drainSeconds,
  };
}

/**
 * An upstream's windows at their least: it keeps serving past the slowest gateway's discovery
 * delay, then the app drains. No minReadySeconds: while old pods keep serving past the discovery
 * delay, every answer a gateway holds lists only pods that still serve (DESIGN.md section 6).
 */
export function upstreamRolloutWindows(upstream: WorkloadModel, discoveries: DiscoveryModel[], startupSeconds: number, marginSeconds = DEFAULT_MARGIN_SECONDS): RolloutWindows {
  return {
    readySeconds: leastReadySeconds(upstream, startupSeconds),
    minReadySeconds: 0,
    stopSeconds: requiredUpstreamKeepServingSeconds(discoveries, marginSeconds) + upstream.appDrainSeconds,
  };
}
