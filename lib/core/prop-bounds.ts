/**
 * Upper bounds on props, so that no absurd value (a `pollInterval` of 1e21 s, a million gateway
 * replicas) reaches a manifest or the drain script, where a number that large prints as `1e+21`
 * and the shell's arithmetic or the API server rejects it far from the prop that caused it.
 */

/**
 * The longest duration a prop may take: one day. No load balancer modelled here waits longer
 * (ELBv2 deregistration delay ≤ 3,600 s, GKE connection draining ≤ 3,600 s), and a pod that takes
 * longer to stop holds every node drain and cluster upgrade behind it.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#deregistration-delay
 */
export const MAX_PROP_SECONDS = 86_400;

/**
 * The most replicas a prop may ask for: Kubernetes supports clusters of at most 5,000 nodes, and
 * gateway pods are spread one per node.
 * @see https://kubernetes.io/docs/setup/best-practices/cluster-large/
 */
export const MAX_REPLICAS = 5_000;

/**
 * Throws `'prop' (value) must be at most bound` when `seconds` exceeds {@link MAX_PROP_SECONDS}.
 * @returns `seconds`
 */
export function checkSecondsAtMost(prop: string, seconds: number, shown: string = `${seconds}s`): number {
  if (seconds > MAX_PROP_SECONDS) throw new Error(`'${prop}' (${shown}) must be at most ${MAX_PROP_SECONDS}s (one day): no load balancer waits that long, and a pod that slow to stop holds up every node drain`);
  return seconds;
}

/**
 * Throws `'prop' (value) must be at most bound` when `replicas` exceeds {@link MAX_REPLICAS}.
 * @returns `replicas`
 */
export function checkReplicasAtMost(prop: string, replicas: number): number {
  if (replicas > MAX_REPLICAS) throw new Error(`'${prop}' (${replicas}) must be at most ${MAX_REPLICAS}: Kubernetes supports clusters of at most ${MAX_REPLICAS} nodes`);
  return replicas;
}
