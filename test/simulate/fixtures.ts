import { assumedLoadBalancer } from '../../lib/core/load-balancer';
import { DiscoveryModel, EnvoyClusterModel, EnvoyRouteModel, HealthCheckTiming, GatewayModel, LoadBalancerModel, Topology, UpstreamModel, WorkloadModel } from '../../lib/core/model';
import { solveGatewayBudget, solveUpstreamBudget } from '../../lib/core/timing/solver';
import { defaultDnsDiscovery } from '../../lib/core/timing/windows';

/**
 * Topologies built by hand for the simulator's tests: the Gloo guide's published settings, and
 * the settings the library derives with its solver. Every safe value comes from the solver.
 */

const READINESS_TCP = { kind: 'tcp' as const, port: 8080, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 0, failsWhileDraining: false };

function workload(overrides: Partial<WorkloadModel> & Pick<WorkloadModel, 'name' | 'namespace'>): WorkloadModel {
  const kind = overrides.kind ?? 'Deployment';
  return {
    object: `${kind}/${overrides.namespace}/${overrides.name}`,
    kind,
    podLabels: { app: overrides.name },
    replicas: 2,
    maxSurge: 1,
    maxUnavailable: 0,
    minReadySeconds: 0,
    terminationGracePeriodSeconds: 30,
    drain: { mechanism: 'none', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: 'none' },
    appDrainSeconds: 0,
    readiness: READINESS_TCP,
    hostPorts: [],
    hostNetwork: false,
    onePodPerNode: false,
    spreadTopologyKeys: [],
    runsAsNonRoot: true,
    ...overrides,
  };
}

/** The NLB the Gloo guide configures: instance targets, eTP Local, HTTP health check every 10 s, 6 s timeout, 2/2 (AWS defaults for unhealthy connections). */
export function glooNlb(overrides: Partial<LoadBalancerModel> = {}): LoadBalancerModel {
  return { ...assumedLoadBalancer('Service/gloo-system/gateway-proxy'), ...overrides };
}

/** Upstream service "echo" behind the gateway, with the given workload fields. */
export function echoUpstream(overrides: Partial<WorkloadModel> = {}): UpstreamModel {
  return {
    workload: workload({ name: 'echo', namespace: 'apps', readiness: { ...READINESS_TCP, kind: 'http', path: '/ready' }, ...overrides }),
    services: [{ object: 'Service/apps/echo', type: 'ClusterIP', headless: true, externalTrafficPolicy: 'Cluster', selector: { app: 'echo' }, ports: [{ port: 8080 }] }],
  };
}

export function echoCluster(overrides: Partial<EnvoyClusterModel> = {}): EnvoyClusterModel {
  return { name: 'echo', discovery: defaultDnsDiscovery(), service: 'Service/apps/echo', ignoreHealthOnHostRemoval: false, ...overrides };
}

export function echoRoute(overrides: Partial<EnvoyRouteModel> = {}): EnvoyRouteModel {
  return { name: 'echo', cluster: 'echo', retryOn: [], numRetries: 0, previousHosts: false, hostSelectionRetryMaxAttempts: 1, ...overrides };
}

/**
 * The Gloo Edge zero-downtime guide: 2 gateway-proxy replicas (Deployment defaults: maxSurge 1,
 * maxUnavailable 0, minReadySeconds 0, no anti-affinity), preStop `healthcheck/fail; sleep 5`,
 * grace 7, the NLB above; upstream an echo service with no preStop.
 */
export function glooGuideTopology(options: { gateway?: Partial<WorkloadModel>; lb?: Partial<LoadBalancerModel>; upstream?: Partial<WorkloadModel>; cluster?: Partial<EnvoyClusterModel>; route?: Partial<EnvoyRouteModel> } = {}): Topology {
  const gateway: GatewayModel = {
    workload: workload({
      name: 'gateway-proxy',
      namespace: 'gloo-system',
      terminationGracePeriodSeconds: 7,
      drain: { mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 5, drainSeconds: 0, drainsConnections: true, description: 'wget healthcheck/fail; sleep 5' },
      readiness: { kind: 'http', path: '/envoy-hc', port: 8082, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 1, failsWhileDraining: true },
      ...options.gateway,
    }),
    services: [{ object: 'Service/gloo-system/gateway-proxy', type: 'LoadBalancer', headless: false, externalTrafficPolicy: 'Local', selector: { app: 'gateway-proxy' }, ports: [{ port: 80, targetPort: 8080 }], loadBalancer: glooNlb(options.lb) }],
    envoy: { object: 'ConfigMap/gloo-system/gateway-proxy-envoy-config', adminAddress: '127.0.0.1', clusters: [echoCluster(options.cluster)], routes: [echoRoute(options.route)] },
  };
  return { gateways: [gateway], upstreams: [echoUpstream(options.upstream)] };
}

/** How long the safe gateway drains connections once it stops taking new ones: covers Envoy Gateway's 3 s long requests. */
export const SAFE_DRAIN_SECONDS = 10;
/** How long the safe upstream needs after SIGTERM for its longest request. */
export const SAFE_APP_DRAIN_SECONDS = 5;

export interface SafeOptions {
  readonly kind?: 'Deployment' | 'DaemonSet';
  readonly targetType?: 'instance' | 'host-port' | 'ip';
  readonly replicas?: number;
  readonly discovery?: DiscoveryModel;
  readonly healthCheck?: HealthCheckTiming;
}

/**
 * The same deployment with the timings hitless derives (solveGatewayBudget, solveUpstreamBudget):
 * one gateway per node, eTP Local instance targets, unhealthy connection termination off with the
 * derived draining interval, upstream preStop over the DNS discovery delay, retries on another host.
 */
export function safeTopology(options: SafeOptions = {}): Topology {
  const kind = options.kind ?? 'Deployment';
  const targetType = options.targetType ?? (kind === 'DaemonSet' ? 'host-port' : 'instance');
  const baseLb = glooNlb({
    targetType,
    healthCheckPort: targetType === 'instance' ? 'healthCheckNodePort' : 'traffic-port',
    deregistrationLagSeconds: targetType === 'ip' ? 60 : 0,
    ...(options.healthCheck ? { healthCheck: options.healthCheck } : {}),
  });
  const gatewayBudget = solveGatewayBudget({ loadBalancer: { ...baseLb, unhealthyConnectionTermination: false }, drainTimeoutSeconds: SAFE_DRAIN_SECONDS });
  const lb: LoadBalancerModel = { ...baseLb, unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: gatewayBudget.unhealthyDrainingIntervalSeconds };
  const cluster = echoCluster({
    discovery: options.discovery ?? defaultDnsDiscovery(),
    activeHealthCheck: { intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' },
    outlierDetection: { consecutive5xx: 5, baseEjectionSeconds: 30, maxEjectionPercent: 50 },
    ignoreHealthOnHostRemoval: true,
  });
  const upstreamBudget = solveUpstreamBudget({ discoveries: [cluster.discovery], appDrainSeconds: SAFE_APP_DRAIN_SECONDS });
  const gateway: GatewayModel = {
    workload: workload({
      name: 'gateway',
      namespace: 'edge',
      kind,
      replicas: options.replicas ?? (kind === 'DaemonSet' ? 3 : 2),
      maxSurge: kind === 'DaemonSet' ? 0 : 1,
      maxUnavailable: kind === 'DaemonSet' ? 1 : 0,
      minReadySeconds: gatewayBudget.minReadySeconds,
      terminationGracePeriodSeconds: gatewayBudget.terminationGracePeriodSeconds,
      drain: { mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: gatewayBudget.keepServingSeconds, drainSeconds: gatewayBudget.drainTimeoutSeconds, drainsConnections: true, description: 'healthcheck/fail; sleep; drain' },
      hostPorts: kind === 'DaemonSet' ? [8080] : [],
      onePodPerNode: true,
      spreadTopologyKeys: ['kubernetes.io/hostname'],
      disruptionBudget: { object: 'PodDisruptionBudget/edge/gateway', maxUnavailable: 1 },
    }),
    services: [{ object: 'Service/edge/gateway', type: 'LoadBalancer', headless: false, externalTrafficPolicy: 'Local', selector: { app: 'gateway' }, ports: [{ port: 80, targetPort: 8080 }], loadBalancer: lb }],
    envoy: {
      object: 'ConfigMap/edge/gateway-envoy',
      adminAddress: '127.0.0.1',
      clusters: [cluster],
      routes: [echoRoute({ retryOn: ['connect-failure', 'refused-stream', 'reset'], numRetries: 2, previousHosts: true, hostSelectionRetryMaxAttempts: 3 })],
    },
  };
  const upstream = echoUpstream({
    minReadySeconds: upstreamBudget.minReadySeconds,
    terminationGracePeriodSeconds: upstreamBudget.terminationGracePeriodSeconds,
    appDrainSeconds: upstreamBudget.appDrainSeconds,
    drain: { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: upstreamBudget.keepServingSeconds, drainSeconds: 0, drainsConnections: false, description: 'sleep' },
    onePodPerNode: true,
    spreadTopologyKeys: ['kubernetes.io/hostname'],
    disruptionBudget: { object: 'PodDisruptionBudget/apps/echo', maxUnavailable: 1 },
  });
  return { gateways: [gateway], upstreams: [upstream] };
}

/** Envoy Gateway's own shape: upstreams by EDS (its xDS server pushes about a second after an EndpointSlice change) behind an NLB checking as fast as ELBv2 allows (5 s, 2 s timeout, 2/2). */
export function envoyGatewayTopology(kind: 'Deployment' | 'DaemonSet' = 'Deployment'): Topology {
  return safeTopology({
    kind,
    replicas: 2,
    discovery: defaultDnsDiscovery({ kind: 'eds', dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 1 }),
    healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
  });
}

/** The Gloo guide's hey run: 4 workers × 10 req/s, no keep-alive, 1 s timeout. */
export const GUIDE_LOAD = { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: false } as const;
/** Envoy Gateway's zero-downtime CI load: 2,000 req/s over 50 keep-alive connections, plus 3 s long requests. */
export const ENVOY_GATEWAY_LOAD = { concurrency: 50, rate: 40, timeoutSeconds: 1, keepAlive: true, longRequests: 10, longDelaySeconds: 3, longTimeoutSeconds: 10 } as const;
