import { HealthCheckTiming, LoadBalancerModel } from '../model';
import { DEFAULT_NEG_DETACH_SECONDS, GkeShape, KUBE_PROXY_HEALTH_PORT } from './defaults';

/** Where a GKE load balancer's health-check settings came from, for messages. */
export type GkeHealthCheckSource = 'controller-default' | 'readiness-probe' | 'backend-config' | 'health-check-policy';

/** What GKE adds to a {@link LoadBalancerModel}: the NEG detach and connection draining. */
export interface GkeLoadBalancerDetails {
  readonly shape: GkeShape;
  /**
   * NEG shapes (`ingress`, `gateway`): seconds from a pod's deletion until the load balancer stops
   * sending it new requests because its NEG endpoint was detached. 0 for `l4`, whose members are nodes.
   */
  readonly negDetachSeconds: number;
  /** `connectionDraining.drainingTimeoutSec`: how long requests in flight may go on after the detach. */
  readonly connectionDrainingSeconds: number;
  readonly healthCheckSource: GkeHealthCheckSource;
  /** `l4`: the Service's externalTrafficPolicy, which chooses the node health check. */
  readonly externalTrafficPolicy?: 'Local' | 'Cluster';
  /** The objects that configure it (BackendConfig, HealthCheckPolicy, GCPBackendPolicy), as `Kind/namespace/name`. */
  readonly configuredBy: string[];
}

/** What {@link gkeLoadBalancerModel} builds from. */
export interface GkeLoadBalancerModelInput {
  /** `Kind/namespace/name` of the object that configures it (the gateway's Service). */
  readonly object: string;
  readonly shape: GkeShape;
  readonly healthCheck: HealthCheckTiming;
  readonly healthCheckProtocol?: 'TCP' | 'HTTP' | 'HTTPS';
  /** Path of an HTTP health check. @default '/' (`/healthz` for l4) */
  readonly healthCheckPath?: string;
  /** @default 'traffic-port' (NEG shapes); `healthCheckNodePort` or 10256 (l4) */
  readonly healthCheckPort?: string;
  /** @default DEFAULT_NEG_DETACH_SECONDS for NEG shapes */
  readonly negDetachSeconds?: number;
  /** @default 0 */
  readonly connectionDrainingSeconds?: number;
  /** @default 'controller-default' */
  readonly healthCheckSource?: GkeHealthCheckSource;
  /** @default 'Local' */
  readonly externalTrafficPolicy?: 'Local' | 'Cluster';
  /** @default [] */
  readonly configuredBy?: string[];
}

/**
 * The load balancer hitless's model uses for GKE: NEG shapes as IP targets (the endpoints are pod
 * IPs), whose "deregistration lag" is the NEG detach; connection draining as the deregistration
 * delay, after which GKE cuts what is still open. An endpoint that turns unhealthy is not cut:
 * it just stops receiving new requests, so `unhealthyConnectionTermination` is false and the
 * draining interval is the longest connection draining GKE allows. `l4` is a node target checked
 * on kube-proxy's health port.
 */
export function gkeLoadBalancerModel(input: GkeLoadBalancerModelInput): LoadBalancerModel {
  const l4 = input.shape === 'l4';
  const policy = input.externalTrafficPolicy ?? 'Local';
  const detach = l4 ? 0 : input.negDetachSeconds ?? DEFAULT_NEG_DETACH_SECONDS;
  const draining = input.connectionDrainingSeconds ?? 0;
  const gke: GkeLoadBalancerDetails = {
    shape: input.shape,
    negDetachSeconds: detach,
    connectionDrainingSeconds: draining,
    healthCheckSource: input.healthCheckSource ?? 'controller-default',
    ...(l4 ? { externalTrafficPolicy: policy } : {}),
    configuredBy: input.configuredBy ?? [],
  };
  return {
    object: input.object,
    provider: 'gke',
    targetType: l4 ? 'instance' : 'ip',
    healthCheck: input.healthCheck,
    healthCheckProtocol: input.healthCheckProtocol ?? 'HTTP',
    healthCheckPort: input.healthCheckPort ?? (l4 ? (policy === 'Local' ? 'healthCheckNodePort' : String(KUBE_PROXY_HEALTH_PORT)) : 'traffic-port'),
    healthCheckPath: input.healthCheckPath ?? (l4 ? '/healthz' : '/'),
    deregistrationLagSeconds: detach,
    deregistrationDelaySeconds: draining,
    deregistrationConnectionTermination: !l4,
    unhealthyConnectionTermination: false,
    unhealthyDrainingIntervalSeconds: 3600,
    gke,
  };
}

/** A load balancer model with GKE's details. */
export type GkeLoadBalancerModel = LoadBalancerModel & { readonly gke: GkeLoadBalancerDetails };

/** Whether `loadBalancer` is a GKE one. */
export function isGkeLoadBalancer(loadBalancer: LoadBalancerModel): loadBalancer is GkeLoadBalancerModel {
  return loadBalancer.provider === 'gke' && loadBalancer.gke !== undefined;
}
