import { formatSeconds as s } from '../finding';
import { DiscoveryModel, LoadBalancerModel } from '../model';
import { BudgetError } from './budget-error';
import {
  DEFAULT_MARGIN_SECONDS,
  detectionWindowSeconds,
  discoveryDelaySeconds,
  newConnectionWindowSeconds,
  recoveryWindowSeconds,
  requiredGatewayMinReadySeconds,
  requiredGracePeriodSeconds,
  requiredKeepServingSeconds,
  requiredUpstreamKeepServingSeconds,
  requiredUpstreamMinReadySeconds,
} from './windows';

/** The names the calling construct gives the values the solver bounds, so errors speak the user's props. */
export interface BudgetPropNames {
  readonly keepServing?: string;
  readonly gracePeriod?: string;
  readonly minReady?: string;
  readonly unhealthyDrainingInterval?: string;
}

/** What the gateway's timings are derived from. */
export interface GatewayBudgetInput {
  /** The load balancer in front; its health checks set the detection and recovery windows. */
  readonly loadBalancer: LoadBalancerModel;
  /** The longest the gateway waits for open connections to finish once it stops accepting new ones. */
  readonly drainTimeoutSeconds: number;
  readonly marginSeconds?: number;
  /** User overrides; each is checked against its bound. */
  readonly keepServingSeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly minReadySeconds?: number;
  readonly unhealthyDrainingIntervalSeconds?: number;
  readonly propNames?: BudgetPropNames;
}

/** Every timing of a gateway pod's life, consistent with the load balancer in front. */
export interface GatewayBudget {
  readonly marginSeconds: number;
  /** D_lb. */
  readonly detectionWindowSeconds: number;
  /** D_lb, or the IP deregistration lag when longer. */
  readonly newConnectionWindowSeconds: number;
  /** R_lb. */
  readonly recoveryWindowSeconds: number;
  /** After failing its health check, the pod keeps serving this long. */
  readonly keepServingSeconds: number;
  /** Then it waits up to this long for connections to finish. */
  readonly drainTimeoutSeconds: number;
  /** keepServing + drainTimeout. */
  readonly preStopSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly minReadySeconds: number;
  /** How long the load balancer should let connections to an unhealthy target live (covers the drain). */
  readonly unhealthyDrainingIntervalSeconds: number;
}

function checkAtLeast(prop: string, value: number | undefined, bound: number, boundText: string, because: string): number {
  if (value === undefined) return bound;
  if (value < bound) throw new BudgetError(prop, s(value), `at least ${boundText} (${s(bound)})`, because);
  return value;
}

/** Derives a gateway's drain and rollout timings from its load balancer, and checks any the user set. */
export function solveGatewayBudget(input: GatewayBudgetInput): GatewayBudget {
  const margin = input.marginSeconds ?? DEFAULT_MARGIN_SECONDS;
  const names = input.propNames ?? {};
  const lb = input.loadBalancer;
  const hc = lb.healthCheck;
  const detection = detectionWindowSeconds(hc);
  const window = newConnectionWindowSeconds(lb);
  const recovery = recoveryWindowSeconds(hc);
  if (input.drainTimeoutSeconds < 0) throw new BudgetError('drainTimeout', s(input.drainTimeoutSeconds), 'zero or more', 'it is a length of time');

  const keepServing = checkAtLeast(
    names.keepServing ?? 'keepServing',
    input.keepServingSeconds,
    requiredKeepServingSeconds(lb, margin),
    `the load balancer's detection window plus margin`,
    window > detection
      ? `IP targets keep receiving new connections for up to ${s(window)} after deregistration, and the gateway must accept them (${s(window)} + ${s(margin)} margin)`
      : `the load balancer marks a failing target unhealthy only after ${hc.unhealthyThreshold} × ${s(hc.intervalSeconds)} + ${s(hc.timeoutSeconds)} timeout = ${s(detection)}, and sends it new connections until then (+ ${s(margin)} margin)`,
  );
  const preStop = keepServing + input.drainTimeoutSeconds;
  const gracePeriod = checkAtLeast(
    names.gracePeriod ?? 'terminationGracePeriod',
    input.terminationGracePeriodSeconds,
    requiredGracePeriodSeconds(preStop, 0, margin),
    'the whole preStop plus margin',
    `the pod keeps serving ${s(keepServing)}, then drains connections for up to ${s(input.drainTimeoutSeconds)}; killing it sooner cuts requests in flight (+ ${s(margin)} margin)`,
  );
  const minReady = checkAtLeast(
    names.minReady ?? 'minReadySeconds',
    input.minReadySeconds,
    requiredGatewayMinReadySeconds(lb, margin),
    `the load balancer's recovery window plus margin`,
    `a new target receives traffic only after ${hc.healthyThreshold} × ${s(hc.intervalSeconds)} = ${s(recovery)} of passing health checks; a rollout that moves on sooner shrinks the healthy set, down to none (+ ${s(margin)} margin)`,
  );
  // The target turns unhealthy at D_lb, even where (IP targets) new connections may go on arriving longer.
  const stillOpenAfterUnhealthy = Math.ceil(Math.max(0, preStop - detection) + margin);
  const drainingInterval = checkAtLeast(
    names.unhealthyDrainingInterval ?? 'unhealthyDrainingInterval',
    input.unhealthyDrainingIntervalSeconds,
    stillOpenAfterUnhealthy,
    'the part of the drain after the target turns unhealthy',
    `connections still open when the load balancer marks the target unhealthy (${s(detection)}) must live until the gateway has drained them (${s(preStop)})`,
  );
  return {
    marginSeconds: margin,
    detectionWindowSeconds: detection,
    newConnectionWindowSeconds: window,
    recoveryWindowSeconds: recovery,
    keepServingSeconds: keepServing,
    drainTimeoutSeconds: input.drainTimeoutSeconds,
    preStopSeconds: preStop,
    terminationGracePeriodSeconds: gracePeriod,
    minReadySeconds: minReady,
    unhealthyDrainingIntervalSeconds: drainingInterval,
  };
}

/** What an upstream service's timings are derived from. */
export interface UpstreamBudgetInput {
  /** How each gateway in front discovers the service's pods. Empty: a default DNS discovery is assumed by the caller. */
  readonly discoveries: DiscoveryModel[];
  /** The interval of the active health checks the gateways run (0 when none). */
  readonly activeHealthCheckIntervalSeconds: number;
  /** Time the application needs after SIGTERM to finish in-flight requests. */
  readonly appDrainSeconds: number;
  readonly marginSeconds?: number;
  readonly keepServingSeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly minReadySeconds?: number;
  readonly propNames?: BudgetPropNames;
}

/** Every timing of an upstream pod's life, consistent with the gateways in front. */
export interface UpstreamBudget {
  readonly marginSeconds: number;
  /** The slowest gateway's discovery delay. */
  readonly discoveryDelaySeconds: number;
  /** preStop sleep: the pod keeps serving while gateways forget it. */
  readonly keepServingSeconds: number;
  readonly appDrainSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly minReadySeconds: number;
}

/** Derives an upstream's preStop, grace period and minReadySeconds from the gateways in front. */
export function solveUpstreamBudget(input: UpstreamBudgetInput): UpstreamBudget {
  const margin = input.marginSeconds ?? DEFAULT_MARGIN_SECONDS;
  const names = input.propNames ?? {};
  const delay = Math.max(0, ...input.discoveries.map(discoveryDelaySeconds));
  if (!Number.isFinite(delay)) {
    throw new BudgetError('discovery', 'static', 'DNS or EDS discovery', 'a gateway that lists pod addresses statically never learns that a pod has gone');
  }
  const keepServing = checkAtLeast(
    names.keepServing ?? 'keepServing',
    input.keepServingSeconds,
    requiredUpstreamKeepServingSeconds(input.discoveries, margin),
    "the gateways' discovery delay plus margin",
    `a gateway may go on choosing a deleted pod for up to ${s(delay)} (endpoint propagation, DNS TTL and refresh), so the pod must serve that long (+ ${s(margin)} margin)`,
  );
  const gracePeriod = checkAtLeast(
    names.gracePeriod ?? 'terminationGracePeriod',
    input.terminationGracePeriodSeconds,
    requiredGracePeriodSeconds(keepServing, input.appDrainSeconds, margin),
    'the preStop plus the app drain time plus margin',
    `the pod sleeps ${s(keepServing)} in preStop, then needs ${s(input.appDrainSeconds)} after SIGTERM to finish its requests (+ ${s(margin)} margin)`,
  );
  const minReady = checkAtLeast(
    names.minReady ?? 'minReadySeconds',
    input.minReadySeconds,
    requiredUpstreamMinReadySeconds(input.discoveries, input.activeHealthCheckIntervalSeconds, margin),
    'the time gateways need to learn of a new pod',
    `a new pod is chosen only after discovery (${s(delay)}) and a first active health check (${s(input.activeHealthCheckIntervalSeconds)}); a rollout that deletes the next old pod sooner shrinks the set of pods gateways can use (+ ${s(margin)} margin)`,
  );
  return {
    marginSeconds: margin,
    discoveryDelaySeconds: delay,
    keepServingSeconds: keepServing,
    appDrainSeconds: input.appDrainSeconds,
    terminationGracePeriodSeconds: gracePeriod,
    minReadySeconds: minReady,
  };
}
