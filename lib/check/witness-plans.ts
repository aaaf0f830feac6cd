import { Finding } from '../core/finding';
import { MECHANISMS, MechanismId } from '../core/timing/mechanisms';
import { FailureCause, LoadProfile } from '../simulate/clients';
import { Placement } from '../simulate/kubernetes';

/**
 * What the simulator plays to reproduce each mechanism (`hitless check --witness`): the scenario,
 * placement and keep-alive from `MECHANISMS`, the failure causes that show it from here.
 */

/** What the simulator plays to reproduce one mechanism. */
export interface WitnessPlan {
  /** The mechanism played: its scenario, placement and keep-alive come from `MECHANISMS`. */
  readonly mechanism: MechanismId;
  /** Whose rollout triggers it: the gateway's, the upstream's, or whichever workload the finding names first. */
  readonly workload: 'gateway' | 'upstream' | 'named';
  /** What to play: the workload's rolling update or a node drain. */
  readonly scenarios: readonly ('rollout' | 'node-drain')[];
  /** Where the replacement pod lands, in the order tried. */
  readonly placements: readonly Placement[];
  /** Loads to try, in order (the Gloo guide's hey run first). */
  readonly loads: readonly LoadProfile[];
  /** The failure causes that show this mechanism; any failed request counts when unset. */
  readonly causes?: readonly FailureCause[];
  /** The mechanism shows as a rollout that never finishes rather than as failed requests. */
  readonly stalls?: boolean;
}

/** A finding the simulator does not play, with the reason. */
export interface NotSimulated {
  readonly notSimulated: string;
}

/** The Gloo guide's hey run: 4 workers × 10 requests/s, no keep-alive, 1 s timeout. */
export const WITNESS_GUIDE_LOAD: LoadProfile = { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: false };
/** Keep-alive clients with 8 s requests beside them: connections stay open through a drain unless something closes them. */
export const WITNESS_KEEPALIVE_LOAD: LoadProfile = { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: true, longRequests: 20, longDelaySeconds: 8, longTimeoutSeconds: 20 };

const GATEWAY_STOPS: FailureCause[] = ['node-without-endpoint', 'target-gone', 'host-port-not-bound', 'gateway-exit-in-flight', 'load-balancer-fail-open'];
const UPSTREAM_STALE: FailureCause[] = ['upstream-stale-host', 'upstream-stale-host-no-retry', 'upstream-killed-in-flight'];

/** What the simulator knows of each mechanism that `MECHANISMS` does not say: the failure causes that show it. */
interface SimulatedSign {
  readonly causes?: FailureCause[];
  readonly stalls?: boolean;
}

/**
 * The one table from a mechanism to the failures that show it; the scenario, placement and
 * keep-alive of each come from `MECHANISMS`, not from here.
 */
const SIGNS: Record<MechanismId, SimulatedSign> = {
  'lb-sends-to-exited-gateway': { causes: GATEWAY_STOPS },
  'lb-health-check-blind-to-drain': { causes: GATEWAY_STOPS },
  'readiness-fails-before-lb-detection': { causes: ['node-without-endpoint', 'load-balancer-fail-open'] },
  'killed-before-drain-ends': { causes: ['request-outlived-drain', 'gateway-exit-in-flight', 'upstream-killed-in-flight', 'keepalive-not-drained'] },
  'keepalive-reset-by-lb': { causes: ['unhealthy-target-reset'] },
  'keepalive-cut-on-exit': { causes: ['keepalive-not-drained'] },
  'deregistration-cuts-drain': { causes: ['deregistration-delay-cut'] },
  // New targets not yet healthy while the old ones turn unhealthy: the load balancer fails open.
  'rollout-outruns-lb': { causes: ['load-balancer-fail-open'] },
  'upstream-exits-before-discovery': { causes: UPSTREAM_STALE },
  'stale-upstream-not-retried': { causes: UPSTREAM_STALE },
  'race-not-retried': { causes: UPSTREAM_STALE },
  'no-pod-left': {},
  'no-drain': {},
  'rollout-deadlocks': { stalls: true },
  'neg-detach': { causes: ['neg-endpoint-gone'] },
  'neg-detach-connection-draining': { causes: ['neg-detached-in-flight'] },
  'l4-node-health-check': { causes: GATEWAY_STOPS },
};

function planOf(id: MechanismId): WitnessPlan {
  const mechanism = MECHANISMS[id];
  const sign = SIGNS[id];
  return {
    mechanism: id,
    // A gateway mechanism that an upstream's finding names (no preStop, killed before its drain ends) plays the upstream's rollout.
    workload: mechanism.scenario === 'upstream-rollout' ? 'upstream' : 'named',
    scenarios: [mechanism.scenario === 'node-drain' ? 'node-drain' : 'rollout'],
    placements: mechanism.placement === 'any' ? ['new-node', 'same-node'] : [mechanism.placement],
    // Keep-alive mechanisms show only to clients that keep connections; the others show to the guide's run first.
    loads: mechanism.keepAlive ? [WITNESS_KEEPALIVE_LOAD] : [WITNESS_GUIDE_LOAD, WITNESS_KEEPALIVE_LOAD],
    ...(sign.causes ? { causes: sign.causes } : {}),
    ...(sign.stalls ? { stalls: true } : {}),
  };
}

/** The plan for every mechanism, by id. */
export const WITNESS_PLANS: Readonly<Record<MechanismId, WitnessPlan>> = Object.fromEntries(
  (Object.keys(SIGNS) as MechanismId[]).map((id) => [id, planOf(id)])) as Record<MechanismId, WitnessPlan>;

/** Error findings that name no mechanism: by category, what is played (a preStop that cannot run is no drain) or why nothing is. */
const CATEGORY_PLANS: Partial<Record<Finding['category'], WitnessPlan | NotSimulated>> = {
  'no-drain': WITNESS_PLANS['no-drain'],
  'schema': { notSimulated: 'a schema finding: the API server or Envoy rejects the object, so there is no rollout to play' },
  'security': { notSimulated: 'a security finding: it drops no request by itself, so there is nothing to simulate' },
  'unknown': { notSimulated: 'hitless could not read what this depends on, so it cannot play it either' },
};

/** The plan for one finding: by its mechanism id, else by its category. */
export function witnessPlanFor(finding: Finding): WitnessPlan | NotSimulated {
  const mechanism = finding.mechanism;
  if (mechanism !== undefined && mechanism in WITNESS_PLANS) return WITNESS_PLANS[mechanism as MechanismId];
  return CATEGORY_PLANS[finding.category]
    ?? { notSimulated: `the finding names ${mechanism === undefined ? 'no mechanism' : `mechanism ${mechanism}, which the simulator does not know`}, so there is no scenario to play` };
}
