import { assumedLoadBalancer } from '../../lib/core/load-balancer';
import { DrainModel, EnvoyClusterModel, EnvoyRouteModel, GatewayModel, LoadBalancerModel, ServiceModel, UpstreamModel, WorkloadModel } from '../../lib/core/model';
import { defaultDnsDiscovery } from '../../lib/core/timing/windows';

/** Test fixtures for the core model: a safe baseline each test bends one way. */

export function drain(overrides: Partial<DrainModel> = {}): DrainModel {
  return { mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 31, drainSeconds: 15, drainsConnections: true, description: 'test drain', ...overrides };
}

export function workload(overrides: Partial<WorkloadModel> = {}): WorkloadModel {
  const name = overrides.name ?? 'gateway';
  const namespace = overrides.namespace ?? 'edge';
  return {
    object: `${overrides.kind ?? 'Deployment'}/${namespace}/${name}`,
    kind: 'Deployment',
    namespace,
    name,
    podLabels: { app: name },
    replicas: 2,
    maxSurge: 1,
    maxUnavailable: 0,
    minReadySeconds: 25,
    terminationGracePeriodSeconds: 51,
    drain: drain(),
    appDrainSeconds: 0,
    readiness: { kind: 'tcp', port: 8080, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 0, failsWhileDraining: false },
    hostPorts: [],
    hostNetwork: false,
    onePodPerNode: true,
    spreadTopologyKeys: ['kubernetes.io/hostname'],
    disruptionBudget: { object: `PodDisruptionBudget/${namespace}/${name}`, maxUnavailable: 1 },
    runsAsNonRoot: true,
    ...overrides,
  };
}

export function loadBalancer(overrides: Partial<LoadBalancerModel> = {}): LoadBalancerModel {
  return { ...assumedLoadBalancer('Service/edge/gateway'), unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 41, ...overrides };
}

export function lbService(overrides: Partial<ServiceModel> = {}): ServiceModel {
  return { object: 'Service/edge/gateway', type: 'LoadBalancer', headless: false, externalTrafficPolicy: 'Local', selector: { app: 'gateway' }, ports: [{ port: 80, targetPort: 8080 }], loadBalancer: loadBalancer(), ...overrides };
}

export function cluster(overrides: Partial<EnvoyClusterModel> = {}): EnvoyClusterModel {
  return {
    name: 'orders',
    discovery: defaultDnsDiscovery(),
    service: 'Service/shop/orders-headless',
    activeHealthCheck: { intervalSeconds: 5, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' },
    outlierDetection: { consecutive5xx: 5, baseEjectionSeconds: 30, maxEjectionPercent: 50 },
    ignoreHealthOnHostRemoval: true,
    ...overrides,
  };
}

export function route(overrides: Partial<EnvoyRouteModel> = {}): EnvoyRouteModel {
  return { name: 'orders', cluster: 'orders', retryOn: ['connect-failure', 'refused-stream', 'reset'], numRetries: 2, previousHosts: true, hostSelectionRetryMaxAttempts: 3, perTryTimeoutSeconds: 5, timeoutSeconds: 16, ...overrides };
}

export function gateway(overrides: Partial<GatewayModel> = {}): GatewayModel {
  return {
    workload: workload(),
    services: [lbService()],
    envoy: { object: 'ConfigMap/edge/gateway-envoy', adminAddress: '127.0.0.1', healthCheckPath: '/envoy-hc', clusters: [cluster()], routes: [route()] },
    ...overrides,
  };
}

export function upstream(overrides: Partial<WorkloadModel> = {}, services?: ServiceModel[]): UpstreamModel {
  return {
    workload: workload({ name: 'orders', namespace: 'shop', minReadySeconds: 46, terminationGracePeriodSeconds: 51, appDrainSeconds: 5, drain: drain({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 41, drainSeconds: 0, drainsConnections: false }), readiness: { kind: 'http', path: '/ready', port: 8080, periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 2, successThreshold: 1, initialDelaySeconds: 0, failsWhileDraining: false }, ...overrides }),
    services: services ?? [
      { object: 'Service/shop/orders', type: 'ClusterIP', headless: false, externalTrafficPolicy: 'Cluster', selector: { app: 'orders' }, ports: [{ port: 8080 }] },
      { object: 'Service/shop/orders-headless', type: 'ClusterIP', headless: true, externalTrafficPolicy: 'Cluster', selector: { app: 'orders' }, ports: [{ port: 8080 }] },
    ],
  };
}
