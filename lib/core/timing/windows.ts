import { DiscoveryModel, HealthCheckTiming, LoadBalancerModel } from '../model';
import { gkeNewRequestWindowSeconds } from './gke';

/**
 * The arithmetic of the chain, each window defined once. The solver derives values from these
 * functions, the constructs bound user overrides with them, the checker compares manifests to
 * them: there is no second copy.
 */

/** Extra time added to every derived window, covering health-check jitter and clock skew between hops. */
export const DEFAULT_MARGIN_SECONDS = 5;

/**
 * Endpoint removal reaching DNS or a control plane.
 * @see https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
 */
export const DEFAULT_PROPAGATION_SECONDS = 1;

/**
 * The age a DNS answer may have: the Corefile kubeadm installs sets `ttl 30` and `cache 30`.
 * @see https://github.com/kubernetes/kubernetes/issues/76238
 */
export const DEFAULT_DNS_TTL_SECONDS = 30;

/**
 * Envoy's `dns_refresh_rate` default.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
 */
export const DEFAULT_DNS_REFRESH_SECONDS = 5;

/**
 * How long an NLB was measured to keep sending new connections to an IP target after its
 * deregistration was asked for: 2–5 minutes; the worst case is the default.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2366
 */
export const DEFAULT_IP_DEREGISTRATION_LAG_SECONDS = 300;

/** D_lb: the longest a load balancer takes to mark a target unhealthy once it starts failing. */
export function detectionWindowSeconds(healthCheck: HealthCheckTiming): number {
  return healthCheck.unhealthyThreshold * healthCheck.intervalSeconds + healthCheck.timeoutSeconds;
}

/** R_lb: the time a load balancer takes to send traffic to a target that has become healthy. */
export function recoveryWindowSeconds(healthCheck: HealthCheckTiming): number {
  return healthCheck.healthyThreshold * healthCheck.intervalSeconds;
}

/**
 * How long after a gateway pod starts failing its health check the load balancer may still open
 * new connections to it: D_lb, or for IP targets the deregistration lag when that is longer.
 */
export function newConnectionWindowSeconds(loadBalancer: LoadBalancerModel): number {
  if (loadBalancer.provider === 'gke' && loadBalancer.gke) return gkeNewRequestWindowSeconds({ ...loadBalancer, gke: loadBalancer.gke });
  return Math.max(detectionWindowSeconds(loadBalancer.healthCheck), loadBalancer.deregistrationLagSeconds);
}

/** How long a gateway must keep serving after it fails its health check. */
export function requiredKeepServingSeconds(loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return newConnectionWindowSeconds(loadBalancer) + marginSeconds;
}

/** terminationGracePeriodSeconds that covers the whole preStop and the app's own drain after SIGTERM. */
export function requiredGracePeriodSeconds(preStopSeconds: number, appDrainSeconds: number, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return Math.ceil(preStopSeconds + appDrainSeconds + marginSeconds);
}

/** minReadySeconds for a gateway: the load balancer must be sending to a new pod before the next old one goes. */
export function requiredGatewayMinReadySeconds(loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return recoveryWindowSeconds(loadBalancer.healthCheck) + marginSeconds;
}

/**
 * The longest a gateway may still choose an upstream pod after it was deleted: removal reaches
 * DNS (or the control plane), the cached answer expires, the cluster re-resolves.
 */
export function discoveryDelaySeconds(discovery: DiscoveryModel): number {
  switch (discovery.kind) {
    case 'dns':
      return discovery.propagationSeconds + discovery.dnsTtlSeconds + discovery.dnsRefreshSeconds;
    case 'eds':
      return discovery.propagationSeconds + discovery.pushSeconds;
    case 'static':
      return Number.POSITIVE_INFINITY;
  }
}

/** How long an upstream pod must keep serving after deletion: the slowest gateway in front must have let it go. */
export function requiredUpstreamKeepServingSeconds(discoveries: DiscoveryModel[], marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  const slowest = Math.max(0, ...discoveries.map(discoveryDelaySeconds));
  return slowest + marginSeconds;
}

/**
 * minReadySeconds for an upstream: a new pod must be known to every gateway (discovery, then its
 * first active health check) before the rollout deletes the next old pod.
 */
export function requiredUpstreamMinReadySeconds(
  discoveries: DiscoveryModel[],
  activeHealthCheckIntervalSeconds: number,
  marginSeconds = DEFAULT_MARGIN_SECONDS,
): number {
  return Math.ceil(Math.max(0, ...discoveries.map(discoveryDelaySeconds)) + activeHealthCheckIntervalSeconds + marginSeconds);
}

/** The DNS discovery Kubernetes gives a STRICT_DNS cluster by default. */
export function defaultDnsDiscovery(overrides: Partial<DiscoveryModel> = {}): DiscoveryModel {
  return {
    kind: 'dns',
    propagationSeconds: DEFAULT_PROPAGATION_SECONDS,
    dnsTtlSeconds: DEFAULT_DNS_TTL_SECONDS,
    dnsRefreshSeconds: DEFAULT_DNS_REFRESH_SECONDS,
    pushSeconds: 0,
    ...overrides,
  };
}
