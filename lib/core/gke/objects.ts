import { KubeObject } from '../kube-object';
import { HealthCheckTiming } from '../model';
import { BACKEND_CONFIG_ANNOTATION, NEG_ANNOTATION } from './defaults';

/**
 * The Kubernetes objects that configure GKE's load balancers, as plain JSON. Field names follow
 * the CRDs (BackendConfig from ingress-gce's pkg/apis/backendconfig/v1; HealthCheckPolicy and
 * GCPBackendPolicy from GKE's networking.gke.io CRDs); tests validate every object against them.
 */

/** Name and namespace of the object to build. */
export interface GkeObjectName {
  readonly name: string;
  readonly namespace: string;
}

/** A health check as the constructs set it. */
export interface GkeHealthCheckSettings extends HealthCheckTiming {
  /** HTTP path the load balancer requests; the gateway answers 503 there once it drains. */
  readonly requestPath: string;
}

/** An object of `kind` named `target`, with `spec`. */
function gkeObject(apiVersion: string, kind: string, target: GkeObjectName, spec: Record<string, unknown>): KubeObject {
  return { apiVersion, kind, metadata: { name: target.name, namespace: target.namespace }, spec };
}

/** The timing fields of a health check, as BackendConfig and HealthCheckPolicy both name them. */
function healthCheckTimingFields(healthCheck: HealthCheckTiming): Record<string, number> {
  return {
    checkIntervalSec: healthCheck.intervalSeconds,
    timeoutSec: healthCheck.timeoutSeconds,
    healthyThreshold: healthCheck.healthyThreshold,
    unhealthyThreshold: healthCheck.unhealthyThreshold,
  };
}

/**
 * A BackendConfig (`cloud.google.com/v1`) with a health check and connection draining.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#configuring_ingress_features_through_backendconfig_parameters
 * @see https://github.com/kubernetes/ingress-gce/blob/master/pkg/apis/backendconfig/v1/types.go
 */
export function backendConfig(target: GkeObjectName, healthCheck: GkeHealthCheckSettings, drainingTimeoutSeconds: number): KubeObject {
  return gkeObject('cloud.google.com/v1', 'BackendConfig', target, {
    // No port: the health check then uses each NEG endpoint's serving port, the gateway's listener.
    healthCheck: { type: 'HTTP', requestPath: healthCheck.requestPath, ...healthCheckTimingFields(healthCheck) },
    connectionDraining: { drainingTimeoutSec: drainingTimeoutSeconds },
  });
}

/** The policy's target: the gateway's Service. */
function serviceTargetRef(serviceName: string): Record<string, string> {
  return { group: '', kind: 'Service', name: serviceName };
}

/**
 * A GKE Gateway HealthCheckPolicy (`networking.gke.io/v1`) on the gateway's Service.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_health_check
 */
export function healthCheckPolicy(target: GkeObjectName, serviceName: string, healthCheck: GkeHealthCheckSettings): KubeObject {
  return gkeObject('networking.gke.io/v1', 'HealthCheckPolicy', target, {
    default: {
      ...healthCheckTimingFields(healthCheck),
      config: { type: 'HTTP', httpHealthCheck: { portSpecification: 'USE_SERVING_PORT', requestPath: healthCheck.requestPath } },
    },
    targetRef: serviceTargetRef(serviceName),
  });
}

/**
 * A GKE Gateway GCPBackendPolicy (`networking.gke.io/v1`) setting connection draining on the gateway's Service.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_connection_draining
 */
export function gcpBackendPolicy(target: GkeObjectName, serviceName: string, drainingTimeoutSeconds: number): KubeObject {
  return gkeObject('networking.gke.io/v1', 'GCPBackendPolicy', target, { default: { connectionDraining: { drainingTimeoutSec: drainingTimeoutSeconds } }, targetRef: serviceTargetRef(serviceName) });
}

/**
 * Annotations of a Service served through an Ingress with NEGs: `cloud.google.com/neg` and,
 * with a BackendConfig, `cloud.google.com/backend-config` for every port.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing
 */
export function negServiceAnnotations(backendConfigName?: string): Record<string, string> {
  return {
    [NEG_ANNOTATION]: JSON.stringify({ ingress: true }),
    ...(backendConfigName !== undefined ? { [BACKEND_CONFIG_ANNOTATION]: JSON.stringify({ default: backendConfigName }) } : {}),
  };
}

/**
 * An Ingress for GKE's Ingress controller (`kubernetes.io/ingress.class: gce`, or `gce-internal`)
 * sending every request to the gateway's Service.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress
 */
export function gkeIngress(target: GkeObjectName, serviceName: string, servicePort: number, ingressClass: 'gce' | 'gce-internal' = 'gce'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: target.name, namespace: target.namespace, annotations: { 'kubernetes.io/ingress.class': ingressClass } },
    spec: { defaultBackend: { service: { name: serviceName, port: { number: servicePort } } } },
  };
}

/**
 * A Gateway API Gateway of a GKE GatewayClass, with one HTTP listener.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/gateway-api#gatewayclass
 */
export function gkeGateway(target: GkeObjectName, gatewayClassName: string, listenerPort: number): KubeObject {
  return gkeObject('gateway.networking.k8s.io/v1', 'Gateway', target, { gatewayClassName, listeners: [{ name: 'http', protocol: 'HTTP', port: listenerPort }] });
}

/** An HTTPRoute attached to `gatewayName`, sending every request to the gateway's Service. */
export function gkeHttpRoute(target: GkeObjectName, gatewayName: string, serviceName: string, servicePort: number): KubeObject {
  return gkeObject('gateway.networking.k8s.io/v1', 'HTTPRoute', target, { parentRefs: [{ name: gatewayName }], rules: [{ backendRefs: [{ name: serviceName, port: servicePort }] }] });
}

/**
 * Annotations of a LoadBalancer Service for GKE's L4 passthrough load balancers with `GCE_VM_IP`
 * NEGs: external (backend-service based, `cloud.google.com/l4-rbs`) or internal.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/backend-service-based-external-load-balancer
 */
export function l4ServiceAnnotations(internal: boolean): Record<string, string> {
  return internal ? { 'networking.gke.io/load-balancer-type': 'Internal' } : { 'cloud.google.com/l4-rbs': 'enabled' };
}
