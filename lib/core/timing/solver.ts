import { formatSeconds as s } from '../finding';
import { DiscoveryModel, LoadBalancerModel } from '../model';
import type { GkeLoadBalancerModel } from '../gke/model';
import { BudgetError } from './budget-error';
import { gkeNewRequestWindowSeconds, gkeWindowEndsBy } from './gke';
import {
  DEFAULT_MARGIN_SECONDS,
  detectionWindowSeconds,
  discoveryDelaySeconds,
  earliestUnhealthySeconds,
  newConnectionWindowSeconds,
  recoveryWindowSeconds,
  requiredGatewayMinReadySeconds,
  requiredGracePeriodSeconds,
  ExternalTrafficPolicy,
  requiredKeepServingSeconds,
  requiredUnhealthyDrainingIntervalSeconds,
  requiredUpstreamKeepServingSeconds,
} from './windows';

/** The names the calling construct gives the values the solver bounds, so errors speak the user's props. */
export interface BudgetPropNames {
  readonly keepServing?: string;
  readonly gracePeriod?: string;
  readonly minReady?: string;
  readonly unhealthyDrainingInterval?: string;
  readonly unhealthyConnectionTermination?: string;
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
  /**
   * Whether the load balancer resets connections to a target it marks unhealthy, as configured;
   * `true` is refused where targets turn unhealthy while they still take connections.
   * @default false (not judged)
   */
  readonly unhealthyConnectionTermination?: boolean;
  /**
   * The gateway Service's externalTrafficPolicy; with instance targets and `Cluster`, kube-proxy
   * rather than the load balancer decides which pod a new connection reaches.
   * @default 'Local'
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
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

/**
 * The value to use for one bound: the user's, refused below `dropsBelow` (where the mechanism
 * drops requests: the checker's error), or else `derived` (the bound plus the margin).
 */
function checkAtLeast(prop: string, value: number | undefined, dropsBelow: number, derived: number, boundText: string, because: string): number {
  if (value === undefined) return derived;
  if (value < dropsBelow) throw new BudgetError(prop, s(value), `at least ${boundText} (${s(dropsBelow)})`, because);
  return value;
}

/** What the keep-serving bound is, and why, in words for an error. */
interface BoundWords {
  readonly bound: string;
  readonly because: string;
}

/** The keep-serving bound of an AWS NLB (or the assumed one): detection, IP deregistration lag, or kube-proxy. */
function nlbKeepServingBound(lb: LoadBalancerModel, policy: ExternalTrafficPolicy, margin: number): BoundWords {
  const hc = lb.healthCheck;
  const detection = detectionWindowSeconds(hc);
  const window = newConnectionWindowSeconds(lb, policy);
  if (lb.targetType === 'instance' && policy === 'Cluster') {
    return {
      bound: "kube-proxy's endpoint propagation",
      because: `with externalTrafficPolicy Cluster every node's kube-proxy may send the pod new connections until it learns the endpoint is terminating (KEP-1669); the derived value adds ${s(margin)} margin`,
    };
  }
  if (window > detection) {
    return {
      bound: 'the IP deregistration lag',
      because: `IP targets keep receiving new connections for up to ${s(window)} after deregistration, and the gateway must accept them; the derived value adds ${s(margin)} margin`,
    };
  }
  return {
    bound: "the load balancer's detection window",
    because: `the load balancer marks a target that answers its checks with 503 unhealthy only after ${hc.unhealthyThreshold} × ${s(hc.intervalSeconds)} (+ jitter${lb.healthCheckPort === 'healthCheckNodePort' ? ', + kube-proxy learning of it' : ''}) = ${s(window)}, and sends it new connections until then; the derived value adds the ${s(hc.timeoutSeconds)} timeout (a check that goes unanswered) and ${s(margin)} margin`,
  };
}

const GKE_SHAPE_NAMES = { ingress: 'GKE Ingress', gateway: 'GKE Gateway', l4: 'GKE L4 passthrough load balancer' } as const;

/** The keep-serving bound of a GKE load balancer: the NEG detach, its health check, or kube-proxy (l4, Cluster). */
function gkeKeepServingBound(lb: GkeLoadBalancerModel, margin: number): BoundWords {
  const hc = lb.healthCheck;
  const named = `the ${GKE_SHAPE_NAMES[lb.gke.shape]} (${lb.object})`;
  const window = gkeNewRequestWindowSeconds(lb);
  const checks = `${hc.unhealthyThreshold} × ${s(hc.intervalSeconds)} + ${s(hc.timeoutSeconds)} timeout = ${s(detectionWindowSeconds(hc))}`;
  const derived = `the derived value adds ${s(margin)} margin`;
  switch (gkeWindowEndsBy(lb)) {
    case 'kube-proxy':
      return {
        bound: "kube-proxy's endpoint propagation",
        because: `behind ${named} with externalTrafficPolicy Cluster the node health check says nothing of pods, and every node's kube-proxy may send the pod new connections until it learns the endpoint is terminating (KEP-1669); ${derived}`,
      };
    case 'neg-detach':
      return {
        bound: 'the NEG detach latency',
        because: `${named} sends the pod new requests through its NEG until the detach of its endpoint has propagated, ${s(window)} after the pod starts terminating, and its health check (${checks}) fails it no sooner; ${derived}`,
      };
    case 'health-check':
      return {
        bound: "the load balancer's detection window",
        because: lb.gke.shape === 'l4'
          ? `${named} marks a node whose gateway pod is terminating unhealthy (its healthCheckNodePort answers 503) only after ${checks}, and sends it new connections until then; ${derived}`
          : `${named} marks an endpoint that fails its health check unhealthy only after ${checks}, sooner than the NEG detach (${s(lb.gke.negDetachSeconds)}), and sends it new requests until then; ${derived}`,
      };
  }
}

/** Derives a gateway's drain and rollout timings from its load balancer, and checks any the user set. */
export function solveGatewayBudget(input: GatewayBudgetInput): GatewayBudget {
  const margin = input.marginSeconds ?? DEFAULT_MARGIN_SECONDS;
  const names = input.propNames ?? {};
  const lb = input.loadBalancer;
  const hc = lb.healthCheck;
  const policy = input.externalTrafficPolicy ?? 'Local';
  const byKubeProxy = lb.targetType === 'instance' && policy === 'Cluster';
  const detection = detectionWindowSeconds(hc);
  const window = newConnectionWindowSeconds(lb, policy);
  const recovery = recoveryWindowSeconds(hc);
  if (input.drainTimeoutSeconds < 0) throw new BudgetError('drainTimeout', s(input.drainTimeoutSeconds), 'zero or more', 'it is a length of time');

  const keepServingBound = lb.provider === 'gke' && lb.gke ? gkeKeepServingBound({ ...lb, gke: lb.gke }, margin) : nlbKeepServingBound(lb, policy, margin);
  const keepServing = checkAtLeast(
    names.keepServing ?? 'keepServing',
    input.keepServingSeconds,
    requiredKeepServingSeconds(lb, 0, policy),
    requiredKeepServingSeconds(lb, margin, policy),
    keepServingBound.bound,
    keepServingBound.because,
  );
  const preStop = keepServing + input.drainTimeoutSeconds;
  const gracePeriod = checkAtLeast(
    names.gracePeriod ?? 'terminationGracePeriod',
    input.terminationGracePeriodSeconds,
    requiredGracePeriodSeconds(preStop, 0, 0),
    requiredGracePeriodSeconds(preStop, 0, margin),
    'the whole preStop',
    `the pod keeps serving ${s(keepServing)}, then drains connections for up to ${s(input.drainTimeoutSeconds)}; killing it sooner cuts requests in flight (the derived value adds ${s(margin)} margin)`,
  );
  // Behind externalTrafficPolicy Cluster a ready pod takes connections through every node at once.
  const minReady = checkAtLeast(
    names.minReady ?? 'minReadySeconds',
    input.minReadySeconds,
    byKubeProxy ? 0 : requiredGatewayMinReadySeconds(lb, 0),
    byKubeProxy ? 0 : requiredGatewayMinReadySeconds(lb, margin),
    `the load balancer's recovery window less its earliest unhealthy mark`,
    `a new target receives traffic only after ${hc.healthyThreshold} × ${s(hc.intervalSeconds)} = ${s(recovery)} of passing health checks, and the old one it replaces may be marked unhealthy ${s(earliestUnhealthySeconds(hc))} after its deletion; a rollout that moves on sooner can leave no healthy target (the derived value is ${s(recovery)} + ${s(margin)} margin)`,
  );
  if (input.unhealthyConnectionTermination === true && !byKubeProxy) {
    throw new BudgetError(
      names.unhealthyConnectionTermination ?? 'unhealthyConnectionTermination',
      'true',
      'false',
      `the load balancer sends the gateway new connections until it marks it unhealthy (${s(detection)} at the latest), then resets every connection still open, cutting the requests in flight on them`,
    );
  }
  const drainingInterval = checkAtLeast(
    names.unhealthyDrainingInterval ?? 'unhealthyDrainingInterval',
    input.unhealthyDrainingIntervalSeconds,
    requiredUnhealthyDrainingIntervalSeconds(lb, preStop, 0),
    requiredUnhealthyDrainingIntervalSeconds(lb, preStop, margin),
    'the part of the drain after the target may turn unhealthy',
    `the load balancer may mark the target unhealthy as soon as ${s(earliestUnhealthySeconds(hc))} ((${hc.unhealthyThreshold} − 1) × ${s(hc.intervalSeconds)}) after the drain starts, and connections still open must live until the gateway has drained them (${s(preStop)}); the derived value adds ${s(margin)} margin`,
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
  /** Time the application needs after SIGTERM to finish in-flight requests. */
  readonly appDrainSeconds: number;
  readonly marginSeconds?: number;
  readonly keepServingSeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  /** Taken as given: an upstream needs none for correctness (see {@link requiredUpstreamKeepServingSeconds}). @default 0 */
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
  /** The user's, or 0: with the preStop covering discovery, a gateway only ever holds pods that serve. */
  readonly minReadySeconds: number;
}

/** Derives an upstream's preStop and grace period from the gateways in front. */
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
    requiredUpstreamKeepServingSeconds(input.discoveries, 0),
    requiredUpstreamKeepServingSeconds(input.discoveries, margin),
    "the gateways' discovery delay",
    `a gateway may go on choosing a deleted pod for up to ${s(delay)} (endpoint propagation, DNS TTL and refresh), so the pod must serve that long (the derived value adds ${s(margin)} margin)`,
  );
  const gracePeriod = checkAtLeast(
    names.gracePeriod ?? 'terminationGracePeriod',
    input.terminationGracePeriodSeconds,
    requiredGracePeriodSeconds(keepServing, input.appDrainSeconds, 0),
    requiredGracePeriodSeconds(keepServing, input.appDrainSeconds, margin),
    'the preStop plus the app drain time',
    `the pod sleeps ${s(keepServing)} in preStop, then needs ${s(input.appDrainSeconds)} after SIGTERM to finish its requests (the derived value adds ${s(margin)} margin)`,
  );
  const minReady = input.minReadySeconds ?? 0;
  if (minReady < 0) throw new BudgetError(names.minReady ?? 'minReadySeconds', s(minReady), 'zero or more', 'it is a length of time');
  return {
    marginSeconds: margin,
    discoveryDelaySeconds: delay,
    keepServingSeconds: keepServing,
    appDrainSeconds: input.appDrainSeconds,
    terminationGracePeriodSeconds: gracePeriod,
    minReadySeconds: minReady,
  };
}
