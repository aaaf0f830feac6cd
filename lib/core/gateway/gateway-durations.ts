/** A gateway's solved pod timings as durations: what both `HitlessGateway` faces report. */
import { Duration } from '../duration';
import { GatewayBudget } from '../timing/solver';
import { gatewayWorkloadSeconds } from '../timing/workload-seconds';

/** The timings a gateway's workload states, as the faces expose them. */
export interface GatewayDurations {
  /** How long the pod keeps serving after failing its health check, whole seconds. */
  readonly keepServing: Duration;
  /** `terminationGracePeriodSeconds`. */
  readonly terminationGracePeriod: Duration;
  /** `minReadySeconds`, whole seconds. */
  readonly minReady: Duration;
}

/** The durations of `budget`, rounded as the workload states them ({@link gatewayWorkloadSeconds}). */
export function gatewayDurations(budget: GatewayBudget): GatewayDurations {
  const seconds = gatewayWorkloadSeconds(budget);
  return {
    keepServing: Duration.seconds(seconds.keepServingSeconds),
    terminationGracePeriod: Duration.seconds(seconds.terminationGracePeriodSeconds),
    minReady: Duration.seconds(seconds.minReadySeconds),
  };
}
