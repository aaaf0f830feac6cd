import type { Mechanism, MechanismPlacement, MechanismScenario } from '../timing/mechanisms';

/**
 * The ways a GKE load balancer makes a rollout drop requests, beside the general ones of
 * `MECHANISMS`: each GKE error finding names one (`Finding.mechanism`), and `hitless check
 * --witness` plays its scenario.
 * @see https://github.com/kubernetes/ingress-gce/issues/1574
 * @see https://cloud.google.com/load-balancing/docs/enabling-connection-draining
 */
export type GkeMechanismId = 'neg-detach' | 'neg-detach-connection-draining' | 'l4-node-health-check';

/** A GKE mechanism: the fields of {@link Mechanism}, with a GKE id. */
export interface GkeMechanism extends Omit<Mechanism, 'id'> {
  readonly id: GkeMechanismId;
}

function mechanism(id: GkeMechanismId, scenario: MechanismScenario, placement: MechanismPlacement, description: string, keepAlive = false): GkeMechanism {
  return { id, description, scenario, placement, keepAlive };
}

/** Every GKE mechanism, by id. */
export const GKE_MECHANISMS: Readonly<Record<GkeMechanismId, GkeMechanism>> = {
  'neg-detach': mechanism('neg-detach', 'gateway-rollout', 'new-node',
    "the gateway stops serving before its NEG endpoint's detach reaches the load balancer (or the health check fails it, if that comes first); requests sent to it in between fail"),
  'neg-detach-connection-draining': mechanism('neg-detach-connection-draining', 'gateway-rollout', 'new-node',
    'the NEG endpoint is detached while requests are in flight on it, and the load balancer cuts them when connection draining ends (at once with the default 0)'),
  'l4-node-health-check': mechanism('l4-node-health-check', 'gateway-rollout', 'new-node',
    "the gateway stops serving before the L4 load balancer's node health check has turned; with externalTrafficPolicy Local the node drops the connections sent to it"),
};
