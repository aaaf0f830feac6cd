import { objectRef, requireObjectRef } from '../object-ref';
import { explainGatewayBudget } from '../explain';
import { ExplainedTimeline } from '../explained-timeline';
import { KubeObject } from '../kube-object';
import { LoadBalancedGateway } from '../load-balancer-link';
import { attachNlb } from './attach-nlb';
import { Elbv2LimitError } from './elbv2-limits';
import { NlbOptions, NlbPlan } from './nlb';
import { readinessGateNamespace } from './pod-readiness-gate';
import {
  KubeObjectIdentity,
  TargetGroupBindingIngressRule,
  checkTargetGroupArn,
  targetGroupBinding,
  targetGroupBindingIdentity,
} from './target-group-binding';

/**
 * How the gateway's endpoints become the NLB's targets.
 * - `annotations`: the AWS Load Balancer Controller makes the NLB from the gateway Service's annotations.
 * - `target-group-binding`: the target group is made outside Kubernetes (`@pulumi/aws`, Terraform,
 *   the console) and a TargetGroupBinding lets the controller register the endpoints in it.
 * - `host-port`: the target group is made outside Kubernetes and targets the gateway's host port on
 *   every node, registered by the nodes' Auto Scaling groups; the gateway is a DaemonSet with a hostPort.
 */
export type NlbBinding = 'annotations' | 'target-group-binding' | 'host-port';

/** Options of {@link buildHealthCheckedNlb}: the NLB's settings and how it reaches the gateway. */
export interface HealthCheckedNlbOptions extends NlbOptions {
  /**
   * How the gateway's endpoints become targets.
   * @default 'annotations'
   */
  readonly binding?: NlbBinding;
  /**
   * The prop by which the face's user chose `binding` (`targetGroupArn`, `aws.autoScalingGroupNames`),
   * so that errors name what the user wrote.
   * @default - errors name `binding`
   */
  readonly bindingProp?: string;
  /**
   * ARN of a target group made outside Kubernetes (by `@pulumi/aws`, Terraform, the console). A
   * TargetGroupBinding then registers the gateway's endpoints in it and the gateway's Service gets
   * no load balancer annotations; the target group must be made with this construct's `model`.
   * The ARN is checked before anything is solved. (Core: binding `target-group-binding` only; a
   * face that learns the ARN only once the target group exists leaves it out and uses `forArn`.)
   * @default - the AWS Load Balancer Controller makes the NLB from the Service's annotations
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/
   */
  readonly targetGroupArn?: string;
  /**
   * Ingress rules of the TargetGroupBinding (with a TargetGroupBinding only).
   * @default - none: the security groups are managed elsewhere
   */
  readonly targetGroupBindingIngress?: TargetGroupBindingIngressRule[];
  /**
   * Emit the gateway's Namespace with `elbv2.k8s.aws/pod-readiness-gate-inject: enabled` (IP targets
   * only), so a new gateway pod becomes ready only once its target is healthy. Leave it off when
   * the namespace is made elsewhere, and label that namespace.
   * @default false
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
   */
  readonly readinessGateNamespace?: boolean;
}

/** The TargetGroupBinding of a `target-group-binding` NLB, whose spec needs the target group's ARN. */
export interface TargetGroupBindingTemplate {
  /** apiVersion, kind and metadata, known before the target group exists. */
  readonly identity: KubeObjectIdentity;
  /** The whole object, when `targetGroupArn` was given. */
  readonly object?: KubeObject;
  /**
   * The whole object for the target group's ARN.
   * @throws Elbv2LimitError naming `targetGroupArn` when the ARN is not a target group's
   */
  forArn(targetGroupArn: string): KubeObject;
}

/** What both faces render for an NLB in front of a gateway. */
export interface BuiltHealthCheckedNlb extends NlbPlan {
  /** With binding `target-group-binding`. */
  readonly targetGroupBinding?: TargetGroupBindingTemplate;
  /** The Namespace carrying the readiness-gate label, with `readinessGateNamespace`. */
  readonly namespace?: KubeObject;
  /** The termination of one gateway pod behind this NLB, step by step, with the margins. */
  explain(): ExplainedTimeline;
}

function checkBinding(options: HealthCheckedNlbOptions, binding: NlbBinding, gateway: LoadBalancedGateway): void {
  const chosenBy = options.bindingProp;
  if (options.readinessGateNamespace && (options.targetType ?? 'instance') !== 'ip') {
    throw new Elbv2LimitError('readinessGateNamespace', 'true', "used with targetType 'ip' only", 'with instance targets the NLB knows nodes, not pods, and the controller injects no readiness gate');
  }
  if (options.targetGroupBindingIngress !== undefined && binding !== 'target-group-binding') {
    throw new Elbv2LimitError('targetGroupBindingIngress', 'set', `used with ${chosenBy ?? "binding 'target-group-binding'"} only`, 'the rules belong to the TargetGroupBinding, which exists only for a target group made outside Kubernetes');
  }
  if (options.targetGroupArn !== undefined) {
    if (binding !== 'target-group-binding') {
      throw new Elbv2LimitError('targetGroupArn', JSON.stringify(options.targetGroupArn), "used with binding 'target-group-binding' only", 'only a TargetGroupBinding names a target group');
    }
    checkTargetGroupArn('targetGroupArn', options.targetGroupArn);
  }
  if (binding === 'host-port') {
    if (gateway.mode !== 'daemonset' || gateway.hostPort === undefined) {
      throw new Error(
        `${chosenBy !== undefined ? `'${chosenBy}'` : "binding 'host-port'"} needs a DaemonSet gateway with a hostPort (${gateway.workloadObject} is a ${gateway.mode} ${gateway.hostPort === undefined ? 'without' : 'with'} a host port): ` +
        'the target group sends to that port on every instance',
      );
    }
    if (options.targetType === 'ip') {
      throw new Elbv2LimitError('targetType', 'ip', `'instance' with ${chosenBy ?? "binding 'host-port'"}`, 'an Auto Scaling group registers instances');
    }
  }
}

/**
 * An AWS Network Load Balancer in front of a hitless gateway, as both faces' `HealthCheckedNlb`
 * build it: checks the options (ELBv2's limits, and that they fit the binding and the gateway),
 * plans the NLB with the gateway's timings behind it and attaches it once (see `attachNlb`), and builds the TargetGroupBinding and the readiness-gate Namespace.
 * @throws Elbv2LimitError for a value ELBv2 or the binding refuses; BudgetError for one that breaks the chain
 */
export function buildHealthCheckedNlb(options: HealthCheckedNlbOptions, gateway: LoadBalancedGateway): BuiltHealthCheckedNlb {
  const {
    binding = 'annotations',
    bindingProp: _bindingProp,
    targetGroupArn,
    targetGroupBindingIngress,
    readinessGateNamespace: withNamespace,
    ...nlbOptions
  } = options;
  checkBinding(options, binding, gateway);

  const { namespace, name } = requireObjectRef(gateway.serviceObject);
  const plan = attachNlb(nlbOptions, gateway, {
    targetGroupBinding: binding === 'target-group-binding' ? objectRef('TargetGroupBinding', namespace, name) : undefined,
    hostPortTargetGroup: binding === 'host-port' ? objectRef('TargetGroup', namespace, name) : undefined,
  });

  let bindingTemplate: TargetGroupBindingTemplate | undefined;
  if (binding === 'target-group-binding') {
    const forArn = (arn: string): KubeObject => targetGroupBinding({
      name,
      namespace,
      targetGroupArn: arn,
      serviceName: name,
      servicePort: gateway.trafficPort,
      targetType: plan.settings.targetType,
      ingress: targetGroupBindingIngress,
    });
    bindingTemplate = {
      identity: targetGroupBindingIdentity({ name, namespace }),
      ...(targetGroupArn !== undefined ? { object: forArn(targetGroupArn) } : {}),
      forArn,
    };
  }

  return {
    ...plan,
    ...(bindingTemplate !== undefined ? { targetGroupBinding: bindingTemplate } : {}),
    ...(withNamespace ? { namespace: readinessGateNamespace(namespace) } : {}),
    explain: () => explainGatewayBudget({ gateway: gateway.workloadObject, loadBalancer: plan.model, budget: plan.budget }),
  };
}
