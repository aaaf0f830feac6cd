import { HealthCheckTiming } from '../core/model';

/**
 * Which controller makes the load balancer of a `type: LoadBalancer` Service, and the health
 * check that controller gives it by default. The controller is decided from the annotations and
 * `spec.loadBalancerClass`; each controller's defaults are read from its source:
 *
 * - AWS Load Balancer Controller (`loadBalancerClass: service.k8s.aws/nlb`, or
 *   `aws-load-balancer-type: external` or the legacy `nlb-ip`): instance targets with eTP Local,
 *   HTTP on healthCheckNodePort `/healthz` every 10 s, 6 s timeout, 2/2; otherwise TCP on the
 *   traffic port every 10 s, 10 s timeout, 3/3
 *   (kubernetes-sigs/aws-load-balancer-controller pkg/service/model_build_target_group.go).
 * - In-tree AWS provider, `aws-load-balancer-type: nlb`: eTP Local, HTTP on healthCheckNodePort
 *   every 10 s, 10 s timeout, 2/2; eTP Cluster, TCP on the traffic port every 30 s, 10 s timeout,
 *   3/3 (kubernetes/cloud-provider-aws pkg/providers/v1/aws_loadbalancer.go,
 *   `buildNLBHealthCheckConfiguration`, `defaultNlbHealthCheck*`).
 * - In-tree AWS provider, no type: a Classic ELB, every 10 s, 5 s timeout, healthy 2, unhealthy 6
 *   (`defaultElbHC*`, same file), on healthCheckNodePort `/healthz` with eTP Local, else TCP on
 *   the node port.
 * - GKE (a `cloud.google.com/` or `networking.gke.io/` annotation, or a `networking.gke.io/`
 *   class): L4 health check; eTP Local on healthCheckNodePort every 3 s, 1 s timeout, healthy 1,
 *   unhealthy 2; eTP Cluster on kube-proxy's 10256 every 8 s, 1 s timeout, healthy 1, unhealthy 3
 *   (kubernetes/ingress-gce pkg/healthchecksl4; DESIGN.md section 6).
 * - Anything else is unknown. A Service that names no controller is assumed to be the AWS Load
 *   Balancer Controller's: its webhook (v2.5+) sets `loadBalancerClass` on new LoadBalancer
 *   Services (pkg/webhook/core/service_mutator.go); the finding says what the in-tree Classic ELB
 *   would need instead. The webhook also takes Services annotated `aws-load-balancer-type: nlb`;
 *   that annotation is read as the in-tree NLB it asks for.
 */

export type LoadBalancerController = 'aws-load-balancer-controller' | 'aws-in-tree-nlb' | 'aws-in-tree-classic' | 'gke' | 'unknown';

/** Who makes the load balancer, whether that was read or assumed, and why. */
export interface ControllerDecision {
  readonly controller: LoadBalancerController;
  /** True when nothing in the Service names the controller and hitless picked one. */
  readonly assumed: boolean;
  /** Why, in words, for findings. */
  readonly reason: string;
}

/** A controller's default health check for one traffic policy and target type. */
export interface ControllerHealthCheck extends HealthCheckTiming {
  readonly protocol: 'TCP' | 'HTTP' | 'HTTPS';
  /** `traffic-port`, `healthCheckNodePort`, or a number. */
  readonly port: string;
  readonly path?: string;
  /** Where the numbers come from. */
  readonly source: string;
}

const TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';
export const AWS_LOAD_BALANCER_CONTROLLER_CLASS = 'service.k8s.aws/nlb';

const CONTROLLER_NAMES: Record<LoadBalancerController, string> = {
  'aws-load-balancer-controller': 'the AWS Load Balancer Controller',
  'aws-in-tree-nlb': 'the in-tree AWS provider (NLB)',
  'aws-in-tree-classic': 'the in-tree AWS provider (Classic ELB)',
  'gke': "GKE's L4 load balancer controller",
  'unknown': 'an unknown controller',
};

export function controllerName(controller: LoadBalancerController): string {
  return CONTROLLER_NAMES[controller];
}

/** Decides the controller from the Service's annotations and loadBalancerClass. */
export function decideController(annotations: Record<string, string>, loadBalancerClass: string | undefined): ControllerDecision {
  const type = annotations[TYPE]?.trim().toLowerCase();
  if (loadBalancerClass === AWS_LOAD_BALANCER_CONTROLLER_CLASS) return { controller: 'aws-load-balancer-controller', assumed: false, reason: `loadBalancerClass ${loadBalancerClass}` };
  if (loadBalancerClass !== undefined && /^networking\.gke\.io\//.test(loadBalancerClass)) return { controller: 'gke', assumed: false, reason: `loadBalancerClass ${loadBalancerClass}` };
  if (loadBalancerClass !== undefined) return { controller: 'unknown', assumed: true, reason: `loadBalancerClass ${loadBalancerClass} is not one hitless knows` };
  if (type === 'external' || type === 'nlb-ip') return { controller: 'aws-load-balancer-controller', assumed: false, reason: `${TYPE}: ${type}` };
  if (type === 'nlb') return { controller: 'aws-in-tree-nlb', assumed: false, reason: `${TYPE}: nlb without loadBalancerClass` };
  const keys = Object.keys(annotations);
  // These two exist only to steer GKE's L4 controller (backend-service external, or internal passthrough).
  const gkeL4 = keys.filter((key) => key === 'cloud.google.com/l4-rbs' || key === 'networking.gke.io/load-balancer-type');
  if (gkeL4.length > 0) return { controller: 'gke', assumed: false, reason: `GKE L4 annotation ${gkeL4.join(', ')}` };
  if (keys.some((key) => key.startsWith('cloud.google.com/') || key.startsWith('networking.gke.io/'))) {
    return { controller: 'gke', assumed: true, reason: `GKE annotations (${keys.filter((key) => key.startsWith('cloud.google.com/') || key.startsWith('networking.gke.io/')).join(', ')})` };
  }
  const awsKeys = keys.filter((key) => key.startsWith('service.beta.kubernetes.io/aws-load-balancer-'));
  // The controller's webhook (v2.5+, on by default) gives every new LoadBalancer Service without a
  // class its class (pkg/webhook/core/service_mutator.go), so on AWS with the controller installed
  // it makes the load balancer; without it, the in-tree provider makes a Classic ELB.
  return {
    controller: 'aws-load-balancer-controller',
    assumed: true,
    reason: awsKeys.length > 0
      ? `AWS annotations without a load balancer type nor loadBalancerClass (${awsKeys.join(', ')})`
      : 'no annotation nor loadBalancerClass names a controller',
  };
}

/** The controller the assumption would be wrong for, the slowest to notice a draining target: the in-tree Classic ELB. */
export const ALTERNATIVE_TO_ASSUMED: LoadBalancerController = 'aws-in-tree-classic';

/** The controller's default health check for a traffic policy and target type. */
export function controllerHealthCheck(controller: LoadBalancerController, externalTrafficPolicy: 'Cluster' | 'Local', targetType: 'instance' | 'ip' | 'host-port'): ControllerHealthCheck {
  const local = externalTrafficPolicy === 'Local' && targetType !== 'ip';
  switch (controller) {
    case 'aws-in-tree-nlb':
      return local
        ? { intervalSeconds: 10, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2, protocol: 'HTTP', port: 'healthCheckNodePort', path: '/healthz', source: 'kubernetes/cloud-provider-aws aws_loadbalancer.go buildNLBHealthCheckConfiguration (eTP Local)' }
        : { intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3, protocol: 'TCP', port: 'traffic-port', source: 'kubernetes/cloud-provider-aws aws_loadbalancer.go defaultNlbHealthCheck*' };
    case 'aws-in-tree-classic':
      return local
        ? { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 6, protocol: 'HTTP', port: 'healthCheckNodePort', path: '/healthz', source: 'kubernetes/cloud-provider-aws aws_loadbalancer.go defaultElbHC* (eTP Local: healthCheckNodePort /healthz)' }
        : { intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 6, protocol: 'TCP', port: 'traffic-port', source: 'kubernetes/cloud-provider-aws aws_loadbalancer.go defaultElbHC*' };
    case 'gke':
      return local
        ? { intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, protocol: 'HTTP', port: 'healthCheckNodePort', path: '/healthz', source: 'kubernetes/ingress-gce L4 health checks (eTP Local); DESIGN.md section 6' }
        : { intervalSeconds: 8, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 3, protocol: 'HTTP', port: '10256', path: '/healthz', source: 'kubernetes/ingress-gce L4 health checks (eTP Cluster, kube-proxy 10256); DESIGN.md section 6' };
    case 'aws-load-balancer-controller':
    case 'unknown':
    default:
      return local
        ? { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2, protocol: 'HTTP', port: 'healthCheckNodePort', path: '/healthz', source: 'kubernetes-sigs/aws-load-balancer-controller model_build_target_group.go (instance, eTP Local)' }
        : { intervalSeconds: 10, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3, protocol: 'TCP', port: 'traffic-port', source: 'kubernetes-sigs/aws-load-balancer-controller model_build_target_group.go' };
  }
}
