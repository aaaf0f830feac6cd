/**
 * The ways a rollout drops requests, each a stable id. Every error-severity finding names the one
 * it is about (`Finding.mechanism`), so that the simulator can run the scenario that shows it on
 * the user's own manifests. A finding without a mechanism here is a warning: defence in depth, or
 * a margin for what the simulator does not model (its source in the message).
 */

/** The simulated scenario that makes a mechanism drop requests. */
export type MechanismScenario = 'gateway-rollout' | 'upstream-rollout' | 'node-drain';

/** Where the replacement pod lands: on the node of the pod it replaces, or on another one. */
export type MechanismPlacement = 'same-node' | 'new-node' | 'any';

/** A mechanism that drops requests, and how to see it. */
export interface Mechanism {
  readonly id: MechanismId;
  /** What happens, in one sentence. */
  readonly description: string;
  readonly scenario: MechanismScenario;
  readonly placement: MechanismPlacement;
  /** Whether only clients that keep connections open see it. */
  readonly keepAlive: boolean;
}

/** The stable ids of {@link MECHANISMS}. */
export type MechanismId =
  | 'lb-sends-to-exited-gateway'
  | 'lb-health-check-blind-to-drain'
  | 'readiness-fails-before-lb-detection'
  | 'killed-before-drain-ends'
  | 'keepalive-reset-by-lb'
  | 'keepalive-cut-on-exit'
  | 'deregistration-cuts-drain'
  | 'rollout-outruns-lb'
  | 'upstream-exits-before-discovery'
  | 'stale-upstream-not-retried'
  | 'race-not-retried'
  | 'no-pod-left'
  | 'no-drain'
  | 'rollout-deadlocks'
  | GkeMechanismId;

/**
 * The ways a GKE load balancer makes a rollout drop requests, beside the general ones.
 * @see https://github.com/kubernetes/ingress-gce/issues/1574
 * @see https://cloud.google.com/load-balancing/docs/enabling-connection-draining
 */
export type GkeMechanismId = 'neg-detach' | 'neg-detach-connection-draining' | 'l4-node-health-check';

function mechanism(id: MechanismId, scenario: MechanismScenario, placement: MechanismPlacement, description: string, keepAlive = false): Mechanism {
  return { id, description, scenario, placement, keepAlive };
}

/** Every mechanism, by id. */
export const MECHANISMS: Readonly<Record<MechanismId, Mechanism>> = {
  'lb-sends-to-exited-gateway': mechanism('lb-sends-to-exited-gateway', 'gateway-rollout', 'new-node',
    'the gateway stops accepting before the load balancer (or kube-proxy) stops sending it new connections; those connections time out'),
  'lb-health-check-blind-to-drain': mechanism('lb-health-check-blind-to-drain', 'gateway-rollout', 'new-node',
    "the load balancer's health check never sees the drain (TCP, another path, no /healthcheck/fail), so it sends new connections until the gateway has exited"),
  'readiness-fails-before-lb-detection': mechanism('readiness-fails-before-lb-detection', 'gateway-rollout', 'new-node',
    "the draining gateway's readiness fails before the load balancer stops sending to its node; with externalTrafficPolicy Local kube-proxy then drops the packets"),
  'killed-before-drain-ends': mechanism('killed-before-drain-ends', 'gateway-rollout', 'any',
    'terminationGracePeriodSeconds ends before the preStop and the app drain: the kubelet kills requests in flight (upstream-rollout for an upstream)'),
  'keepalive-reset-by-lb': mechanism('keepalive-reset-by-lb', 'gateway-rollout', 'new-node',
    'the load balancer resets connections still open to a target it marked unhealthy (connection termination on, or the draining interval ends) while requests are in flight on them', true),
  'keepalive-cut-on-exit': mechanism('keepalive-cut-on-exit', 'gateway-rollout', 'any',
    'a preStop that only sleeps never closes keep-alive connections; Envoy exits on SIGTERM and cuts the requests still arriving on them', true),
  'deregistration-cuts-drain': mechanism('deregistration-cuts-drain', 'gateway-rollout', 'new-node',
    "an IP target's deregistration delay ends, with connection termination on, before the gateway has drained: its connections are reset", true),
  'rollout-outruns-lb': mechanism('rollout-outruns-lb', 'gateway-rollout', 'new-node',
    'the rollout takes the next old gateway before the load balancer sends to the new one; the healthy set shrinks to none and the load balancer fails open to dead targets'),
  'upstream-exits-before-discovery': mechanism('upstream-exits-before-discovery', 'upstream-rollout', 'any',
    'an upstream pod exits while a gateway may still choose it (DNS TTL and refresh, EDS push); requests sent to it fail'),
  'stale-upstream-not-retried': mechanism('stale-upstream-not-retried', 'upstream-rollout', 'any',
    'a gateway keeps a deleted upstream pod that passes active health checks (no ignore_health_on_host_removal) and does not retry on another host when it goes'),
  'race-not-retried': mechanism('race-not-retried', 'upstream-rollout', 'any',
    'a request races an upstream pod closing its connections (reset, connect failure) and the route does not retry it on another host'),
  'no-pod-left': mechanism('no-pod-left', 'node-drain', 'any',
    'a single replica (or a rollout that removes every pod) leaves nothing to serve'),
  'no-drain': mechanism('no-drain', 'gateway-rollout', 'new-node',
    'a pod with no preStop stops serving the moment it is deleted, while load balancers and gateways still send to it (upstream-rollout for an upstream)'),
  'rollout-deadlocks': mechanism('rollout-deadlocks', 'gateway-rollout', 'same-node',
    'a surge pod on a node whose old pod holds the hostPort never starts: the rollout never finishes'),
  // GKE load balancers: each GKE error finding names one, and `hitless check --witness` plays its scenario.
  'neg-detach': mechanism('neg-detach', 'gateway-rollout', 'new-node',
    "the gateway stops serving before its NEG endpoint's detach reaches the load balancer (or the health check fails it, if that comes first); requests sent to it in between fail"),
  'neg-detach-connection-draining': mechanism('neg-detach-connection-draining', 'gateway-rollout', 'new-node',
    'the NEG endpoint is detached while requests are in flight on it, and the load balancer cuts them when connection draining ends (at once with the default 0)'),
  'l4-node-health-check': mechanism('l4-node-health-check', 'gateway-rollout', 'new-node',
    "the gateway stops serving before the L4 load balancer's node health check has turned; with externalTrafficPolicy Local the node drops the connections sent to it"),
};

/** The mechanisms as a list, in a stable order. */
export const MECHANISM_LIST: readonly Mechanism[] = Object.values(MECHANISMS);
