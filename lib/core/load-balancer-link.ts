import { LoadBalancerModel } from './model';
import { GatewayBudget } from './timing/solver';

/**
 * What a load balancer needs from the gateway it fronts, and how it attaches. Both faces'
 * `HitlessGateway` implement it; `HealthCheckedNlb` calls `attachLoadBalancer`, and the gateway
 * re-derives its drain from the load balancer's health checks (one solver).
 */
export interface LoadBalancedGateway {
  /** `Kind/namespace/name` of the gateway workload (Deployment or DaemonSet). */
  readonly workloadObject: string;
  /** `Service/namespace/name` of the gateway's LoadBalancer Service. */
  readonly serviceObject: string;
  /** The Service port clients connect to. */
  readonly trafficPort: number;
  /** The host port, for a DaemonSet gateway that binds one. */
  readonly hostPort?: number;
  /** Path answered by Envoy's health check filter (503 once the gateway drains). */
  readonly healthCheckPath: string;
  readonly mode: 'deployment' | 'daemonset';
  /** The gateway's timings as last solved (against the attached load balancer, or the assumed one). */
  readonly budget: GatewayBudget;
  /**
   * Puts a load balancer in front: the gateway re-solves its timings against `model` (throwing a
   * `BudgetError` when a value the user set breaks the chain) and adds `serviceAnnotations` to its
   * Service.
   */
  attachLoadBalancer(attachment: LoadBalancerAttachment): void;
}

export interface LoadBalancerAttachment {
  readonly model: LoadBalancerModel;
  /** Annotations for the gateway's Service (AWS Load Balancer Controller). */
  readonly serviceAnnotations: Record<string, string>;
  /**
   * When false, the load balancer is made outside Kubernetes and targets are bound another way
   * (TargetGroupBinding, an Auto Scaling group): the Service need not be of type LoadBalancer.
   * @default true
   */
  readonly serviceTypeLoadBalancer?: boolean;
}
