import type { GkeLoadBalancerDetails } from './gke/model';

/**
 * The plain-data model of a deployment that every part of hitless shares: the constructs build
 * it from their props, the reader builds it from manifests, the checker and the simulator read
 * it. Times are in seconds (numbers), as the Kubernetes, Envoy and ELBv2 fields are.
 */

/** Health-check timing of a load balancer or of Envoy's active health checker. */
export interface HealthCheckTiming {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/** How a load balancer's targets map onto the gateway. */
export type TargetType = 'instance' | 'ip' | 'host-port';

/** What the load balancer in front of a gateway does, and when. */
export interface LoadBalancerModel {
  /** `Kind/namespace/name` of the object that configures it (usually the Service). */
  readonly object: string;
  readonly provider: 'aws-nlb' | 'generic' | 'gke';
  readonly targetType: TargetType;
  readonly healthCheck: HealthCheckTiming;
  /** Protocol/port/path it checks, as configured (`traffic-port`, a number, or `healthCheckNodePort`). */
  readonly healthCheckProtocol: 'TCP' | 'HTTP' | 'HTTPS';
  readonly healthCheckPort: string;
  readonly healthCheckPath?: string;
  /**
   * How long the load balancer may go on sending new connections to a target after Kubernetes
   * has asked for it to be deregistered; 0 where health checks alone decide (instance, host port).
   * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2366
   */
  readonly deregistrationLagSeconds: number;
  readonly deregistrationDelaySeconds: number;
  readonly deregistrationConnectionTermination: boolean;
  /** `target_health_state.unhealthy.connection_termination.enabled` (AWS default true). */
  readonly unhealthyConnectionTermination: boolean;
  /** `target_health_state.unhealthy.draining_interval_seconds` (AWS default 0). */
  readonly unhealthyDrainingIntervalSeconds: number;
  readonly crossZone?: boolean;
  readonly preserveClientIp?: boolean;
  readonly proxyProtocolV2?: boolean;
  /** GKE load balancers: the NEG detach and connection draining (lib/core/gke). */
  readonly gke?: GkeLoadBalancerDetails;
}

/** How a pod stops: what its preStop hook does, read as conservatively as its text allows. */
export interface DrainModel {
  /**
   * - `none`: no preStop; SIGTERM at once.
   * - `sleep`: waits, without telling anyone it is going.
   * - `fail-then-wait`: fails its health check (Envoy admin `/healthcheck/fail`), keeps serving, then waits for connections.
   * - `shutdown-manager`: a sidecar does the above (Envoy Gateway, Contour).
   * - `unknown`: a hook hitless can't read; no timing is assumed.
   */
  readonly mechanism: 'none' | 'sleep' | 'fail-then-wait' | 'shutdown-manager' | 'unknown';
  /** Whether the pod's load-balancer health check starts failing when preStop starts. */
  readonly failsHealthCheck: boolean;
  /** Seconds from the start of preStop during which the pod still accepts and serves new connections. */
  readonly keepServingSeconds: number;
  /** Further seconds preStop may spend waiting for open connections to finish. */
  readonly drainSeconds: number;
  /** Whether Envoy drain-closes connections (`Connection: close`, GOAWAY) while it keeps serving. */
  readonly drainsConnections: boolean;
  /** The hook as read, for messages. */
  readonly description: string;
  /**
   * Seconds from the start of preStop until the health check fails, when it does not fail at once
   * (Contour's `--drain-delay`, Envoy Gateway's `--health-check-failure-delay`). @default 0
   */
  readonly failsHealthCheckAfterSeconds?: number;
  /**
   * When the drain ends as soon as no connection is open (shutdown managers): it cannot end before
   * `earliestSeconds` (= keepServingSeconds) and polls every `pollSeconds`; it ends at
   * `latestSeconds` at the latest (keepServingSeconds + drainSeconds), or at SIGKILL when that is
   * absent. Envoy keeps accepting until the drain ends.
   */
  readonly endsWhenIdle?: { readonly earliestSeconds: number; readonly latestSeconds?: number; readonly pollSeconds: number };
}

/** A readiness probe, as far as timing goes. */
export interface ProbeModel {
  readonly kind: 'http' | 'tcp' | 'exec' | 'grpc';
  readonly path?: string;
  readonly port?: number | string;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: number;
  readonly initialDelaySeconds: number;
  /** Whether the probe starts failing once the pod fails its health check to drain (e.g. it probes Envoy's `/ready` or the health-check filter path). */
  readonly failsWhileDraining: boolean;
}

/** A Deployment or DaemonSet, with the fields that decide how it rolls. */
export interface WorkloadModel {
  readonly object: string;
  readonly kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: Record<string, string>;
  readonly replicas: number;
  /** Resolved against replicas (percentages rounded as Kubernetes does). */
  readonly maxSurge: number;
  readonly maxUnavailable: number;
  readonly minReadySeconds: number;
  readonly terminationGracePeriodSeconds: number;
  readonly drain: DrainModel;
  /** Seconds the application needs after SIGTERM to finish in-flight work (0 for Envoy, which exits at once). */
  readonly appDrainSeconds: number;
  readonly readiness?: ProbeModel;
  readonly hostPorts: number[];
  readonly hostNetwork: boolean;
  /** The `containerPort`s its containers declare (absent: not read). */
  readonly containerPorts?: readonly number[];
  /** Required pod anti-affinity on `kubernetes.io/hostname`: at most one pod per node. */
  readonly onePodPerNode: boolean;
  /** Topology keys the pods are spread over (anti-affinity or topology spread constraints). */
  readonly spreadTopologyKeys: string[];
  readonly disruptionBudget?: { readonly object: string; readonly minAvailable?: number | string; readonly maxUnavailable?: number | string };
  /** Whether every container runs as non-root (`undefined`: not stated). */
  readonly runsAsNonRoot?: boolean;
}

/** A Kubernetes Service. */
export interface ServiceModel {
  readonly object: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  readonly headless: boolean;
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  readonly selector: Record<string, string>;
  readonly ports: { readonly name?: string; readonly port: number; readonly targetPort?: number | string }[];
  readonly loadBalancer?: LoadBalancerModel;
}

/** How an Envoy cluster learns its hosts, and how long a removed pod can still be chosen. */
export interface DiscoveryModel {
  readonly kind: 'dns' | 'eds' | 'static';
  /** EndpointSlice propagation to DNS or to the control plane (about 1 s). */
  readonly propagationSeconds: number;
  /** DNS answer age (CoreDNS `ttl`/`cache`; 30 s in the Corefile Kubernetes installs). */
  readonly dnsTtlSeconds: number;
  /** `dns_refresh_rate` of a STRICT_DNS cluster (Envoy default 5 s). */
  readonly dnsRefreshSeconds: number;
  /** Control-plane push and debounce for EDS. */
  readonly pushSeconds: number;
}

/** An Envoy upstream cluster. */
export interface EnvoyClusterModel {
  readonly name: string;
  readonly discovery: DiscoveryModel;
  /** `Kind/namespace/name` of the Service it resolves, when known. */
  readonly service?: string;
  readonly activeHealthCheck?: HealthCheckTiming & { readonly path?: string };
  readonly outlierDetection?: { readonly consecutive5xx: number; readonly baseEjectionSeconds: number; readonly maxEjectionPercent: number };
  readonly ignoreHealthOnHostRemoval: boolean;
  /** Whether Envoy speaks HTTP/2 to the hosts (`http2_protocol_options`): only then can a stream be refused. */
  readonly http2?: boolean;
  /** Whether every host is a loopback address (e.g. the pod's own Envoy admin): no rollout race to retry. */
  readonly loopback?: boolean;
  /**
   * `connect_timeout`: how long Envoy waits on an address that does not answer (Envoy's default 5 s when unset).
   * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto
   */
  readonly connectTimeoutSeconds?: number;
}

/** An Envoy route's retry and timeout policy. */
export interface EnvoyRouteModel {
  readonly name: string;
  readonly cluster: string;
  readonly retryOn: string[];
  readonly numRetries: number;
  readonly previousHosts: boolean;
  readonly hostSelectionRetryMaxAttempts: number;
  readonly perTryTimeoutSeconds?: number;
  readonly timeoutSeconds?: number;
}

/** The Envoy configuration of a gateway. */
export interface EnvoyModel {
  readonly object: string;
  readonly adminAddress?: string;
  /** The port Envoy admin listens on, where the bootstrap (or `--config-yaml`) states it. */
  readonly adminPort?: number;
  readonly healthCheckPath?: string;
  /**
   * Whether the static HTTP connection managers carry the health check filter: `false` when they
   * were read and none does (then nothing answers 503 on a drain), absent when not known.
   */
  readonly healthCheckFilter?: boolean;
  readonly clusters: EnvoyClusterModel[];
  readonly routes: EnvoyRouteModel[];
}

/** An edge gateway: its pods, the Services in front, its Envoy configuration. */
export interface GatewayModel {
  readonly workload: WorkloadModel;
  readonly services: ServiceModel[];
  readonly envoy?: EnvoyModel;
}

/** A service behind the gateways. */
export interface UpstreamModel {
  readonly workload: WorkloadModel;
  readonly services: ServiceModel[];
}

/** Everything hitless knows of one deployment. */
export interface Topology {
  readonly gateways: GatewayModel[];
  readonly upstreams: UpstreamModel[];
}
