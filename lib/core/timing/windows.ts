import { DiscoveryModel, HealthCheckTiming, LoadBalancerModel, ProbeModel } from '../model';
import { gkeNewRequestWindowSeconds } from './gke';

/**
 * The arithmetic of the chain, each window defined once. The solver derives values from these
 * functions, the constructs bound user overrides with them, the checker compares manifests to
 * them: there is no second copy.
 */

/**
 * Extra time added to every derived window for what the model cannot see: an NLB's health checks
 * run from several distributed checkers and its data plane acts on their verdict some time later
 * (aws/containers-roadmap#470 measured new connections arriving 30–40 s after a target was marked
 * unhealthy). Every bound has two levels: below the bare window the mechanism drops requests (an
 * error, which the simulator can show); below the window plus this margin it is a warning.
 * Call a `required…` function with margin 0 for the first level.
 * @see https://github.com/aws/containers-roadmap/issues/470
 */
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
 * deregistration was asked for: "at least 2 minutes regardless of the deregistration delay"
 * (aws-load-balancer-controller#2366), "about two minutes … the effective minimum delay seems to
 * be 120 seconds" (aws/containers-roadmap#470). Longer lags are covered by the margin, not here.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2366
 * @see https://github.com/aws/containers-roadmap/issues/470
 */
export const DEFAULT_IP_DEREGISTRATION_LAG_SECONDS = 120;

/**
 * D_lb: the longest a load balancer takes to mark a target unhealthy once it starts failing, when
 * its checks may go unanswered (each one then fails only after the timeout).
 */
export function detectionWindowSeconds(healthCheck: HealthCheckTiming): number {
  return healthCheck.unhealthyThreshold * healthCheck.intervalSeconds + healthCheck.timeoutSeconds;
}

/**
 * How far one load-balancer health check may come after its interval. AWS does not publish it;
 * the simulator plays the same spread (`loadBalancerHealthCheckJitterSeconds`).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
 */
export const HEALTH_CHECK_JITTER_SECONDS = 0.5;

/**
 * The longest a load balancer takes to mark a target unhealthy when the target answers every check
 * with a failure at once (Envoy's 503 after `/healthcheck/fail`, kube-proxy's healthCheckNodePort):
 * `unhealthyThreshold` failing checks, the first up to one interval after the failure starts, each
 * up to {@link HEALTH_CHECK_JITTER_SECONDS} late. kube-proxy's healthCheckNodePort turns 503 only
 * once it learns the endpoint is terminating (endpoint propagation). The timeout does not count:
 * ELBv2's `HealthCheckTimeoutSeconds` is "the amount of time during which no response from a
 * target means a failed health check", and a 503 is a response.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 */
export function answeredDetectionWindowSeconds(healthCheck: HealthCheckTiming, healthCheckPort?: string): number {
  const learns = healthCheckPort === 'healthCheckNodePort' ? DEFAULT_PROPAGATION_SECONDS : 0;
  return learns + healthCheck.unhealthyThreshold * (healthCheck.intervalSeconds + HEALTH_CHECK_JITTER_SECONDS);
}

/** R_lb: the time a load balancer takes to send traffic to a target that has become healthy. */
export function recoveryWindowSeconds(healthCheck: HealthCheckTiming): number {
  return healthCheck.healthyThreshold * healthCheck.intervalSeconds;
}

/**
 * How external traffic reaches the gateway pods of an instance-target load balancer: kube-proxy's
 * `externalTrafficPolicy` on the gateway's Service. `Local` unless stated.
 */
export type ExternalTrafficPolicy = 'Cluster' | 'Local';

/**
 * The earliest a load balancer may mark a target unhealthy once it starts failing: its first
 * failing check may come at once, then `unhealthyThreshold − 1` more, one interval apart.
 */
export function earliestUnhealthySeconds(healthCheck: HealthCheckTiming): number {
  return Math.max(0, healthCheck.unhealthyThreshold - 1) * healthCheck.intervalSeconds;
}

/**
 * How long after a gateway pod starts to stop (fails its health check, or turns terminating) new
 * connections may still reach it:
 * - instance targets with externalTrafficPolicy Cluster: every node's kube-proxy stops choosing a
 *   terminating endpoint once a ready one exists, within endpoint propagation (KEP-1669, "only
 *   some endpoints terminating when traffic policy is Cluster"), whatever the load balancer does;
 * - otherwise the load balancer's detection of a gateway that answers its checks with 503
 *   ({@link answeredDetectionWindowSeconds}: the gateway keeps serving, so its checks are answered
 *   while the window runs), or for IP targets the deregistration lag when that is longer.
 * @see https://github.com/kubernetes/enhancements/tree/master/keps/sig-network/1669-proxy-terminating-endpoints
 */
export function newConnectionWindowSeconds(loadBalancer: LoadBalancerModel, externalTrafficPolicy: ExternalTrafficPolicy = 'Local'): number {
  if (loadBalancer.provider === 'gke' && loadBalancer.gke) return gkeNewRequestWindowSeconds({ ...loadBalancer, gke: loadBalancer.gke });
  if (loadBalancer.targetType === 'instance' && externalTrafficPolicy === 'Cluster') return DEFAULT_PROPAGATION_SECONDS;
  return Math.max(answeredDetectionWindowSeconds(loadBalancer.healthCheck, loadBalancer.healthCheckPort), loadBalancer.deregistrationLagSeconds);
}

/**
 * How long a gateway must keep serving after it starts to stop. With margin 0, the bound below
 * which connections reach a gateway that has gone: {@link newConnectionWindowSeconds}. With a
 * margin, the value the solver derives: the window as if checks went unanswered (D_lb, with the
 * timeout) plus the margin. The timeout belongs to the defence in depth, not to the mechanism: an
 * NLB checks each target from several distributed checkers, one of which may miss an answer, and
 * its data plane acts on their verdict some time later (aws/containers-roadmap#470).
 */
export function requiredKeepServingSeconds(loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS, externalTrafficPolicy: ExternalTrafficPolicy = 'Local'): number {
  const window = newConnectionWindowSeconds(loadBalancer, externalTrafficPolicy);
  if (marginSeconds <= 0) return window;
  const unanswered = (loadBalancer.provider === 'gke' && loadBalancer.gke) || (loadBalancer.targetType === 'instance' && externalTrafficPolicy === 'Cluster')
    ? window
    : Math.max(window, detectionWindowSeconds(loadBalancer.healthCheck));
  return unanswered + marginSeconds;
}

/**
 * `target_health_state.unhealthy.draining_interval_seconds` when unhealthy-target connection
 * termination is off: connections still open when the load balancer marks the target unhealthy
 * live this long, then are reset. The target may be marked as early as
 * {@link earliestUnhealthySeconds} after the drain starts, and the gateway finishes open
 * connections until its preStop ends; a reset before then cuts requests the gateway would have
 * finished. (Not D_lb, the latest mark: that undercounts by an interval and a timeout.)
 */
export function requiredUnhealthyDrainingIntervalSeconds(loadBalancer: LoadBalancerModel, preStopSeconds: number, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return Math.ceil(Math.max(0, preStopSeconds - earliestUnhealthySeconds(loadBalancer.healthCheck)) + marginSeconds);
}

/**
 * When a readiness probe that fails once the drain starts has failed `failureThreshold` times, at
 * the earliest, counting from the drain's start: its first failing probe may come at once, then
 * `failureThreshold − 1` more, one period apart; kube-proxy then learns it within endpoint
 * propagation.
 */
export function readinessStopsServingSeconds(probe: ProbeModel): number {
  return Math.max(0, probe.failureThreshold - 1) * probe.periodSeconds + DEFAULT_PROPAGATION_SECONDS;
}

/**
 * terminationGracePeriodSeconds that covers the whole preStop and the app's own drain after
 * SIGTERM. With margin 0, the bound below which the kubelet kills requests in flight.
 */
export function requiredGracePeriodSeconds(preStopSeconds: number, appDrainSeconds: number, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  return Math.ceil(preStopSeconds + appDrainSeconds + marginSeconds);
}

/**
 * minReadySeconds for a gateway. With a margin, the value the solver derives: the load balancer is
 * sending to a new pod (R_lb) before the next old one goes, plus the margin.
 *
 * With margin 0, the bound below which a rollout can leave the load balancer with no healthy
 * target (it then fails open onto nodes without a gateway, and eTP Local drops there): the old
 * target the rollout deletes next may be marked unhealthy as soon as
 * {@link earliestUnhealthySeconds} after its deletion, while its replacement turns healthy up to
 * R_lb after it is ready. When minReadySeconds + that earliest mark ≥ R_lb, every replacement is
 * healthy before the target it replaces is not, and the healthy set never shrinks. Behind a GKE
 * NEG the pod readiness gate (`cloud.google.com/load-balancer-neg-ready`) keeps a new pod unready
 * until the load balancer's health check passes, so the rollout never outruns it: no bound.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/container-native-load-balancing#pod_readiness
 */
export function requiredGatewayMinReadySeconds(loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  const recovery = recoveryWindowSeconds(loadBalancer.healthCheck);
  if (marginSeconds > 0) return recovery + marginSeconds;
  if (loadBalancer.provider === 'gke' && loadBalancer.gke && loadBalancer.gke.shape !== 'l4') return 0;
  return Math.max(0, recovery - earliestUnhealthySeconds(loadBalancer.healthCheck));
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

/**
 * How long an upstream pod must keep serving after deletion: the slowest gateway in front must
 * have let it go. With margin 0, the bound below which a gateway sends to a pod that has gone.
 * No minReadySeconds is needed on the way in: when old pods serve past the discovery delay, every
 * DNS answer or EDS snapshot a gateway holds lists only pods that still serve.
 */
export function requiredUpstreamKeepServingSeconds(discoveries: DiscoveryModel[], marginSeconds = DEFAULT_MARGIN_SECONDS): number {
  const slowest = Math.max(0, ...discoveries.map(discoveryDelaySeconds));
  return slowest + marginSeconds;
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
