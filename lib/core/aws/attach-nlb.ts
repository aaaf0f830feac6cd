import { attachPlannedLoadBalancer, LoadBalancedGateway, LoadBalancerAttachment } from '../load-balancer-link';
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
}

/**
 * Plans an NLB in front of `gateway` and attaches it, once: the target group's attributes depend
 * on the gateway's timings, which `planNlb` asks of the gateway's pure solver; then the final
 * model is attached and the gateway's budget behind it returned. Both faces call this.
 * @throws Elbv2LimitError for a value ELBv2 refuses; BudgetError for one that breaks the chain
 */
export function attachNlb(options: NlbOptions, gateway: LoadBalancedGateway, attach: AttachNlbOptions = {}): NlbPlan {
  const boundObject = attach.hostPortTargetGroup ?? attach.targetGroupBinding;
  const bound = boundObject !== undefined;
  const { planned, budget } = attachPlannedLoadBalancer(gateway, (solveBudget) => {
    const plan = planNlb(options, gateway, solveBudget);
    const hostPort = attach.hostPortTargetGroup !== undefined ? { targetType: 'host-port' as const } : {};
    const model = bound ? { ...plan.model, object: boundObject, ...hostPort } : plan.model;
    const attachment: LoadBalancerAttachment = { model, serviceAnnotations: bound ? {} : plan.serviceAnnotations, serviceTypeLoadBalancer: !bound };
    return { settings: plan.settings, attachment };
  });
  const { model, serviceAnnotations } = planned.attachment;
  return { settings: planned.settings, model, serviceAnnotations, budget };
}
