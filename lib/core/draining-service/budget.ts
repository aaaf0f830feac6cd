import { Duration } from '../duration';
import { BudgetPropNames, solveUpstreamBudget, UpstreamBudget } from '../timing/solver';
import { defaultDnsDiscovery } from '../timing/windows';
import { GatewayInFront } from '../upstream-link';

/** The timings of a draining workload, solved over the gateways in front, and the whole seconds its manifests carry. */

/** The names errors use for the timing props; the faces keep them. */
export const DRAINING_PROP_NAMES: BudgetPropNames = {
  keepServing: 'preStopDelay',
  gracePeriod: 'terminationGracePeriod',
  minReady: 'minReady',
};

/** The timing inputs {@link solveDrainingBudget} needs. */
export interface DrainingBudgetInput {
  readonly appDrainSeconds: number;
  readonly preStopDelaySeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly minReadySeconds?: number;
}

/**
 * Solves the upstream budget for the gateways in front. With none registered yet, hitless
 * assumes one gateway resolving the headless Service by DNS with Kubernetes' defaults
 * ({@link defaultDnsDiscovery}: 1 s propagation, 30 s CoreDNS TTL, 5 s refresh): the slowest
 * common case, so a service synthesized before its gateway is still safe behind it.
 * The preStop is a whole number of seconds (both sleep forms take integers): a fractional
 * derived delay is rounded up and solved again, so the grace period covers the rounded sleep.
 * @throws BudgetError when a value the user set can't hold
 */
export function solveDrainingBudget(input: DrainingBudgetInput, gateways: readonly GatewayInFront[]): UpstreamBudget {
  const discoveries = gateways.length > 0 ? gateways.map((each) => each.discovery) : [defaultDnsDiscovery()];
  const solve = (keepServingSeconds: number | undefined) => solveUpstreamBudget({
    discoveries,
    appDrainSeconds: input.appDrainSeconds,
    keepServingSeconds,
    terminationGracePeriodSeconds: input.terminationGracePeriodSeconds,
    minReadySeconds: input.minReadySeconds,
    propNames: DRAINING_PROP_NAMES,
  });
  const budget = solve(input.preStopDelaySeconds);
  if (Number.isInteger(budget.keepServingSeconds)) return budget;
  return solve(Math.ceil(budget.keepServingSeconds));
}

/** The whole seconds a draining workload's manifests carry for a solved budget, by the prop that sets each. */
export interface DrainingSeconds {
  /** The preStop sleep. */
  readonly preStopDelay: number;
  /** `terminationGracePeriodSeconds`. */
  readonly terminationGracePeriod: number;
  /** `minReadySeconds`, rounded up: Kubernetes takes whole seconds and a shorter wait is not what was solved. */
  readonly minReady: number;
}

/** The seconds of {@link DrainingSeconds} for `budget`. */
export function drainingSeconds(budget: UpstreamBudget): DrainingSeconds {
  return {
    preStopDelay: budget.keepServingSeconds,
    terminationGracePeriod: budget.terminationGracePeriodSeconds,
    minReady: Math.ceil(budget.minReadySeconds),
  };
}

/** The timings the manifests carry under `budget`, as durations: what both faces report. */
export interface DrainingDurations {
  readonly preStopDelay: Duration;
  readonly terminationGracePeriod: Duration;
  readonly minReady: Duration;
}

/** {@link drainingSeconds} as durations. */
export function drainingDurations(budget: UpstreamBudget): DrainingDurations {
  const seconds = drainingSeconds(budget);
  return {
    preStopDelay: Duration.seconds(seconds.preStopDelay),
    terminationGracePeriod: Duration.seconds(seconds.terminationGracePeriod),
    minReady: Duration.seconds(seconds.minReady),
  };
}
