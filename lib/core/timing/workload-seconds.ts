import { GatewayBudget } from './solver';

/** A gateway's timings as its workload and both faces state them, in seconds. */
export interface GatewayWorkloadSeconds {
  /** How long the pod keeps serving after it fails its health check; rounded up to whole seconds. */
  readonly keepServingSeconds: number;
  /** `terminationGracePeriodSeconds`, as solved. */
  readonly terminationGracePeriodSeconds: number;
  /** `minReadySeconds`; rounded up to whole seconds. */
  readonly minReadySeconds: number;
}

/**
 * The seconds a gateway's `keepServing`, `terminationGracePeriod` and `minReady` report. Rounded
 * up, never down: a window one fraction of a second short of its bound is a window that breaks.
 */
export function gatewayWorkloadSeconds(budget: GatewayBudget): GatewayWorkloadSeconds {
  return {
    keepServingSeconds: Math.ceil(budget.keepServingSeconds),
    terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
    minReadySeconds: Math.ceil(budget.minReadySeconds),
  };
}
