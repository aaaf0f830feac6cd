import { Category } from '../core/finding';
import { isGkeLoadBalancer } from '../core/gke/model';
import { LoadBalancerModel } from '../core/model';

/**
 * GKE's NEG detach in the simulator. A NEG endpoint (an IP target) keeps receiving new requests
 * after its pod is deleted, health-checked all the while, until the detach takes effect
 * (`negDetachSeconds` after the deletion); the health check is the backup signal that can stop new
 * requests sooner. Requests still in flight on it are cut when connection draining ends, at once
 * with the default 0.
 * @see https://github.com/kubernetes/ingress-gce/issues/1574
 * @see https://cloud.google.com/load-balancing/docs/enabling-connection-draining
 */

/** Failure causes that only GKE's load balancers produce. */
export type GkeFailureCause = 'neg-endpoint-gone' | 'neg-detached-in-flight';

export const GKE_FAILURE_CAUSES: Record<GkeFailureCause, { readonly category: Category; readonly explanation: string }> = {
  'neg-endpoint-gone': {
    category: 'lb-detection',
    explanation: 'the GKE load balancer sent a new request to a NEG endpoint whose pod had gone, before the NEG detach had taken effect or the health check had failed it. The gateway must keep serving for the shorter of the two plus margin (mechanism: neg-detach).',
  },
  'neg-detached-in-flight': {
    category: 'keepalive',
    explanation: 'the NEG endpoint was detached with requests in flight, and the load balancer cut them when connection draining ended (at once with the default 0). Connection draining must cover the drain (mechanism: neg-detach-connection-draining).',
  },
};

/** When a deleted pod's NEG endpoint stops receiving, and when what is still open on it is cut. */
export interface NegDetach {
  readonly detachAt: number;
  readonly cutAt: number;
}

/** The NEG detach of a pod deleted at `deletedAt`; undefined unless the load balancer is a GKE NEG one. */
export function negDetach(loadBalancer: LoadBalancerModel, deletedAt: number): NegDetach | undefined {
  if (!isGkeLoadBalancer(loadBalancer) || loadBalancer.gke.shape === 'l4') return undefined;
  const detachAt = deletedAt + loadBalancer.gke.negDetachSeconds;
  return { detachAt, cutAt: detachAt + loadBalancer.gke.connectionDrainingSeconds };
}

/** The `generation` an LbReset event carries when it is a NEG detach's cut rather than an unhealthy turn. */
export const NEG_DETACH_CUT = -1;

/**
 * Whether the load balancer picks a backend for every request rather than every client connection:
 * GKE's Application Load Balancers are proxies (Google Front Ends, or Envoy for the regional ones),
 * so a client's keep-alive connection ends at the proxy and each request may go to any endpoint
 * still receiving. The L4 passthrough load balancer forwards connections.
 */
export function choosesBackendPerRequest(loadBalancer: LoadBalancerModel): boolean {
  return isGkeLoadBalancer(loadBalancer) && loadBalancer.gke.shape !== 'l4';
}
