import { formatSeconds as s } from '../finding';
import type { GkeLoadBalancerModel } from '../gke/model';
import { BudgetError } from './budget-error';
import { DEFAULT_MARGIN_SECONDS, DEFAULT_PROPAGATION_SECONDS, detectionWindowSeconds } from './windows';

/**
 * The bounds a GKE load balancer puts on the gateway behind it, one function each; the
 * constructs, the checker's GKE rules and the simulator call these. The grace period and
 * minReadySeconds use the general bounds (`requiredGracePeriodSeconds`,
 * `requiredGatewayMinReadySeconds`: the recovery window of the health check plus margin).
 */

/**
 * How long after a gateway pod is deleted a GKE load balancer may still send it new requests.
 * - NEG shapes: until the NEG detach has propagated, unless the health check marks the endpoint
 *   unhealthy sooner, which it does only when it sees the drain (the gateway fails the path it checks).
 * - `l4`, externalTrafficPolicy Local: the node health check on healthCheckNodePort answers 503 as
 *   soon as the node has only terminating endpoints; the load balancer needs its detection window.
 * - `l4`, externalTrafficPolicy Cluster: the node check (kube-proxy's 10256) says nothing about pods;
 *   kube-proxy on every node stops choosing a terminating endpoint once the change reaches it.
 * @see https://github.com/kubernetes/ingress-gce/issues/1574
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1669-proxy-terminating-endpoints
 */
export function gkeNewRequestWindowSeconds(loadBalancer: GkeLoadBalancerModel, healthCheckSeesDrain = true): number {
  const gke = loadBalancer.gke;
  const detection = detectionWindowSeconds(loadBalancer.healthCheck);
  if (gke.shape === 'l4') return gke.externalTrafficPolicy === 'Cluster' ? DEFAULT_PROPAGATION_SECONDS : detection;
  return healthCheckSeesDrain ? Math.min(gke.negDetachSeconds, detection) : gke.negDetachSeconds;
}

/** Which of the two signals ends the new-request window (for messages and the simulator's causes). */
export function gkeWindowEndsBy(loadBalancer: GkeLoadBalancerModel, healthCheckSeesDrain = true): 'neg-detach' | 'health-check' | 'kube-proxy' {
  if (loadBalancer.gke.shape === 'l4') return loadBalancer.gke.externalTrafficPolicy === 'Cluster' ? 'kube-proxy' : 'health-check';
  return healthCheckSeesDrain && detectionWindowSeconds(loadBalancer.healthCheck) < loadBalancer.gke.negDetachSeconds ? 'health-check' : 'neg-detach';
}

/** keep-serving bound: the gateway serves new requests for the whole window, plus margin. */
export function requiredGkeKeepServingSeconds(loadBalancer: GkeLoadBalancerModel, healthCheckSeesDrain = true, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return gkeNewRequestWindowSeconds(loadBalancer, healthCheckSeesDrain) + marginSeconds;
}

/**
 * Whether requests can still be in flight on the endpoint when its NEG detach takes effect, so that
 * connection draining decides their fate: the health check has not stopped new requests before
 * the detach, and the pod still serves then.
 */
export function requestsInFlightAtDetach(loadBalancer: GkeLoadBalancerModel, preStopSeconds: number, healthCheckSeesDrain = true): boolean {
  if (loadBalancer.gke.shape === 'l4') return false;
  return gkeWindowEndsBy(loadBalancer, healthCheckSeesDrain) === 'neg-detach' && preStopSeconds > loadBalancer.gke.negDetachSeconds;
}

/**
 * connection-draining bound: requests in flight at the detach may take as long as the gateway's
 * drain; GKE cuts them when the draining timeout ends (at once with the default 0).
 * @see https://cloud.google.com/load-balancing/docs/enabling-connection-draining
 */
export function requiredConnectionDrainingSeconds(drainTimeoutSeconds: number, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return Math.ceil(drainTimeoutSeconds + marginSeconds);
}

/**
 * The connection draining a gateway behind a GKE NEG needs, or the user's value checked against it.
 * @throws BudgetError naming `prop` when `value` is shorter than the drain
 */
export function solveConnectionDrainingSeconds(drainTimeoutSeconds: number, value?: number, prop = 'connectionDrainingTimeout', marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  const bound = requiredConnectionDrainingSeconds(drainTimeoutSeconds, marginSeconds);
  if (value === undefined) return bound;
  if (value < bound) {
    throw new BudgetError(prop, s(value), `at least the gateway's drain plus margin (${s(bound)})`, `requests in flight when the NEG endpoint is detached may take the whole drain (${s(drainTimeoutSeconds)}), and GKE cuts them when connection draining ends (+ ${s(marginSeconds)} margin)`);
  }
  return value;
}
