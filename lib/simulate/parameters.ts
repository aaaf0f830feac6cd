/**
 * Every delay the simulator assumes that the manifests do not state. Each has a default and the
 * source the default comes from; a user who knows their cluster better overrides them.
 * Delays the manifests do state (health-check timing, preStop, grace period, minReadySeconds,
 * readiness probes, DNS TTL and refresh, retries) come from the Topology, never from here.
 */
export interface SimulationParameters {
  /**
   * Seconds of load before the scenario starts, so that the load balancer and clients are in their steady state.
   * @default 5
   */
  readonly rolloutStartSeconds: number;
  /**
   * Seconds from pod creation to the container listening: scheduling, sandbox, image already on the node, process start.
   * Envoy itself starts in well under a second; the kubelet's sandbox and container start take a second or two.
   * @default 3
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/
   */
  readonly podStartupSeconds: number;
  /**
   * Seconds for an EndpointSlice change to reach kube-proxy's rules on every node (watch latency plus the
   * iptables/nftables minimum sync period of 1 s).
   * @default 1
   * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-proxy/ (--iptables-min-sync-period)
   */
  readonly kubeProxyPropagationSeconds: number;
  /**
   * Spread of each load-balancer health check around its interval (AWS does not publish it; a check
   * may come this much early or late).
   * @default 0.5
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
   */
  readonly loadBalancerHealthCheckJitterSeconds: number;
  /**
   * Round trip between client and gateway, paid once per new connection (TCP handshake) and once per request.
   * @default 0.001
   */
  readonly networkRoundTripSeconds: number;
  /**
   * Mean time the gateway spends on a request it answers itself or proxies (each draw is 0.5–1.5 × the mean).
   * @default 0.001
   */
  readonly gatewayServiceSeconds: number;
  /**
   * Mean time an upstream pod takes to answer an ordinary request (each draw is 0.5–1.5 × the mean).
   * @default 0.005
   */
  readonly upstreamServiceSeconds: number;
  /**
   * When a client whose SYN was dropped sends it again: Linux starts at 1 s (TCP_TIMEOUT_INIT) and doubles.
   * @default [1, 3, 7, 15, 31]
   * @see https://datatracker.ietf.org/doc/html/rfc6298 (initial RTO 1 s)
   */
  readonly synRetransmitSeconds: readonly number[];
  /**
   * Envoy cluster `connect_timeout` where the manifest does not state it: how long Envoy waits on a pod address
   * that no longer answers. A cluster's own `connect_timeout` wins.
   * @default 5
   * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto (connect_timeout)
   */
  readonly envoyConnectTimeoutSeconds: number;
  /**
   * Envoy's retry back-off base interval; the n-th retry waits a random time in [0, (2^n − 1) × base].
   * @default 0.025
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
   */
  readonly envoyRetryBackoffBaseSeconds: number;
  /**
   * Envoy `healthy_panic_threshold`: below this share of healthy hosts Envoy sends to all hosts.
   * @default 50
   * @see https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/upstream/load_balancing/panic_threshold
   */
  readonly envoyPanicThresholdPercent: number;
  /**
   * The one extension the kubelet gives a preStop hook still running at the grace-period deadline.
   * @default 2
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   */
  readonly preStopDeadlineExtensionSeconds: number;
  /**
   * How often `kubectl drain` retries an eviction a PodDisruptionBudget refused.
   * @default 5
   * @see https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/
   */
  readonly evictionRetrySeconds: number;
  /**
   * How often a shutdown-manager sidecar polls Envoy's `downstream_cx_active` while it drains, when its drain model does not say (the manifest's `--check-interval` wins).
   * @default 1
   * @see https://gateway.envoyproxy.io/docs/tasks/operations/graceful-shutdown/
   */
  readonly shutdownManagerPollSeconds: number;
  /**
   * Nodes in the cluster; all are registered as instance targets, and a DaemonSet gateway runs one pod on each.
   * Default for a Deployment: twice the gateway replicas and one more, so that with `--placement new-node` every
   * new pod finds a node of its own and at least one node never holds a gateway: it stays registered (unhealthy
   * with eTP Local), and when a rollout outruns the load balancer, failing open sends connections to it and the
   * hazard shows. For a DaemonSet: 3 nodes.
   * @default Deployment: 2 × replicas + 1; DaemonSet: 3
   */
  readonly clusterNodes?: number;
  /**
   * The longest a run without a set load duration may last while waiting for the rollout to finish.
   * @default 3600
   */
  readonly maxRunSeconds: number;
}

/** Nodes a DaemonSet gateway runs on unless told otherwise: more than one, so that a node-by-node update has a next node. */
export const DEFAULT_DAEMONSET_NODES = 3;

/** The defaults above, in one object. */
export const DEFAULT_SIMULATION_PARAMETERS: SimulationParameters = {
  rolloutStartSeconds: 5,
  podStartupSeconds: 3,
  kubeProxyPropagationSeconds: 1,
  loadBalancerHealthCheckJitterSeconds: 0.5,
  networkRoundTripSeconds: 0.001,
  gatewayServiceSeconds: 0.001,
  upstreamServiceSeconds: 0.005,
  synRetransmitSeconds: [1, 3, 7, 15, 31],
  envoyConnectTimeoutSeconds: 5,
  envoyRetryBackoffBaseSeconds: 0.025,
  envoyPanicThresholdPercent: 50,
  preStopDeadlineExtensionSeconds: 2,
  evictionRetrySeconds: 5,
  shutdownManagerPollSeconds: 1,
  maxRunSeconds: 3600,
};

/** The defaults with the given overrides, each checked. */
export function resolveParameters(overrides: Partial<SimulationParameters> = {}): SimulationParameters {
  const resolved: SimulationParameters = { ...DEFAULT_SIMULATION_PARAMETERS, ...overrides };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value === 'number' && (!Number.isFinite(value) || value < 0)) {
      throw new Error(`simulation parameter '${name}' (${value}) must be a finite number ≥ 0`);
    }
  }
  if (resolved.maxRunSeconds <= 0) throw new Error(`simulation parameter 'maxRunSeconds' (${resolved.maxRunSeconds}) must be > 0`);
  if (resolved.clusterNodes !== undefined && (!Number.isInteger(resolved.clusterNodes) || resolved.clusterNodes < 1)) {
    throw new Error(`simulation parameter 'clusterNodes' (${resolved.clusterNodes}) must be a whole number ≥ 1`);
  }
  return resolved;
}
