import { LoadBalancerModel } from './model';
import { GatewayBudget } from './timing/solver';

/**
 * How a gateway's timings come out behind a given load balancer, without attaching it: the
 * gateway's own solver (its drain timeout, its user's overrides). Pure; throws `BudgetError`.
 */
export type GatewayBudgetSolver = (loadBalancer: LoadBalancerModel) => GatewayBudget;

/**
 * What a load balancer needs from the gateway it fronts, and how it attaches. Every hitless
 * gateway implements it; `HealthCheckedNlb` and `GkeLoadBalancer` plan with {@link solveBudget}
 * and then attach once, through {@link attachPlannedLoadBalancer}.
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
   * The gateway's timings behind `loadBalancer`, as it would solve them once attached; changes nothing.
   * @throws BudgetError when a value the user set breaks the chain of that load balancer
   */
  solveBudget(loadBalancer: LoadBalancerModel): GatewayBudget;
  /**
   * Puts a load balancer in front: the gateway solves its timings against `model` (throwing a
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

/** A load balancer planned against a gateway's timings, with what it attaches. */
export interface PlannedLoadBalancer {
  readonly attachment: LoadBalancerAttachment;
}

/**
 * The one way a load balancer is put in front of a gateway. Some of its settings depend on the
 * gateway's timings (an NLB's draining interval, GKE's connection draining), and the gateway's
 * timings on the load balancer: `plan` derives them with the gateway's pure solver, then the
 * planned load balancer is attached once, and the gateway's budget behind it returned.
 * @throws whatever `plan` throws (nothing is attached then); BudgetError from the attach
 */
export function attachPlannedLoadBalancer<P extends PlannedLoadBalancer>(
  gateway: LoadBalancedGateway,
  plan: (solveBudget: GatewayBudgetSolver) => P,
): { readonly planned: P; readonly budget: GatewayBudget } {
  const planned = plan((loadBalancer) => gateway.solveBudget(loadBalancer));
  gateway.attachLoadBalancer(planned.attachment);
  return { planned, budget: gateway.budget };
}
