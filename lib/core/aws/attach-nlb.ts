import { LoadBalancedGateway } from '../load-balancer-link';
import { GatewayBudget, solveGatewayBudget } from '../timing/solver';
import { NlbOptions, NlbPlan, planNlb } from './nlb';

/** How {@link attachNlb} attaches. */
export interface AttachNlbOptions {
  /**
   * The target group is made outside Kubernetes and bound with a TargetGroupBinding of this
   * `Kind/namespace/name`: the Service gets no load balancer annotations and need not be of type
   * LoadBalancer, and the model names the binding.
   * @default - the AWS Load Balancer Controller makes the NLB from the Service's annotations
   */
  readonly targetGroupBinding?: string;
  /**
   * The target group is made outside Kubernetes and targets the gateway's host port on every node
   * (an Auto Scaling group registers the instances): the Service gets no load balancer annotations,
   * and the model names this `Kind/namespace/name` with targetType `host-port`. The gateway first
   * solves against the same health checks as instance targets.
   * @default - not bound to a host port
   */
  readonly hostPortTargetGroup?: string;
  /**
   * The gateway's drain timeout, for a gateway that does not report its own timings (`budget`).
   * @default 15
   */
  readonly fallbackDrainTimeoutSeconds?: number;
}

/** A gateway that reports its timings as solved against the load balancer now in front. */
interface BudgetReporting {
  readonly budget: GatewayBudget;
}

function reportsBudget(gateway: LoadBalancedGateway): gateway is LoadBalancedGateway & BudgetReporting {
  const budget = (gateway as Partial<BudgetReporting>).budget;
  return budget !== undefined && typeof budget.preStopSeconds === 'number';
}

/**
 * Plans an NLB in front of `gateway` and attaches it. The gateway solves its own timings (its drain,
 * its user's overrides) when a load balancer attaches; the target group's attributes depend on
 * those timings, so the NLB attaches twice: first with the health checks alone, to learn the
 * gateway's budget, then with the attributes derived from it. Both faces call this.
 * @throws Elbv2LimitError for a value ELBv2 refuses; BudgetError for one that breaks the chain
 */
export function attachNlb(options: NlbOptions, gateway: LoadBalancedGateway, attach: AttachNlbOptions = {}): NlbPlan {
  const boundObject = attach.hostPortTargetGroup ?? attach.targetGroupBinding;
  const bound = boundObject !== undefined;
  const plan = planNlb(options, gateway, (loadBalancer) => {
    gateway.attachLoadBalancer({ model: loadBalancer, serviceAnnotations: {}, serviceTypeLoadBalancer: !bound });
    if (reportsBudget(gateway)) return gateway.budget;
    return solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: attach.fallbackDrainTimeoutSeconds ?? 15 });
  });
  const hostPort = attach.hostPortTargetGroup !== undefined ? { targetType: 'host-port' as const } : {};
  const model = bound ? { ...plan.model, object: boundObject, ...hostPort } : plan.model;
  const serviceAnnotations = bound ? {} : plan.serviceAnnotations;
  gateway.attachLoadBalancer({ model, serviceAnnotations, serviceTypeLoadBalancer: !bound });
  return { settings: plan.settings, model, serviceAnnotations, budget: reportsBudget(gateway) ? gateway.budget : plan.budget };
}
