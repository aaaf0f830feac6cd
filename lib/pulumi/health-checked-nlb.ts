import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { Elbv2LimitError } from '../core/aws/elbv2-limits';
import { GatewayBudgetSolver, NlbOptions, NlbSettings, planNlb } from '../core/aws/nlb';
import { readinessGateNamespace } from '../core/aws/pod-readiness-gate';
import { TargetGroupBindingIngressRule, targetGroupBinding } from '../core/aws/target-group-binding';
import { Duration } from '../core/duration';
import { ExplainedTimeline, explainGatewayBudget, renderTimeline } from '../core/explain';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget, solveGatewayBudget } from '../core/timing/solver';
import { createAwsLoadBalancer } from './aws-load-balancer';
import { renderKubeObject } from './render';

/**
 * The NLB made with `@pulumi/aws` instead of by the AWS Load Balancer Controller: a network load
 * balancer, a target group whose every attribute comes from the core model, a TCP listener, and
 * the binding of targets.
 */
export interface AwsNlbArgs {
  /** The VPC of the cluster's nodes. */
  readonly vpcId: pulumi.Input<string>;
  /** Subnets the NLB gets a node in, one per zone the gateway runs in. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Security groups of the NLB.
   * @default - none
   */
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Port of the listener.
   * @default - the gateway's Service port
   */
  readonly listenerPort?: number;
  /**
   * The nodes' Auto Scaling groups. Given, the target group targets the gateway's host port on
   * every instance of these groups (`aws.autoscaling.Attachment`): the load balancer knows
   * instances, not Kubernetes, as a VM load balancer would. The gateway must then be a DaemonSet
   * with a `hostPort`. Not given, a TargetGroupBinding lets the AWS Load Balancer Controller
   * register the gateway's endpoints.
   * @default - a TargetGroupBinding
   */
  readonly autoScalingGroupNames?: pulumi.Input<string>[];
  /**
   * Ingress rules of the TargetGroupBinding, for the controller to manage.
   * @default - none: the security groups are managed elsewhere
   */
  readonly targetGroupBindingIngress?: TargetGroupBindingIngressRule[];
  /** Tags on every AWS resource. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Props of {@link HealthCheckedNlb}: those of the cdk8s `HealthCheckedNlb`, with core `Duration`s. */
export interface HealthCheckedNlbArgs extends NlbOptions {
  /** The gateway the NLB fronts; its timings are solved again against this NLB. */
  readonly gateway: LoadBalancedGateway;
  /**
   * Make the NLB with `@pulumi/aws` rather than through the AWS Load Balancer Controller's Service annotations.
   * @default - the controller makes the NLB from the annotations on the gateway's Service
   */
  readonly aws?: AwsNlbArgs;
  /**
   * Emit the gateway's Namespace labelled for the controller's pod readiness gate (IP targets only).
   * @default false
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
   */
  readonly readinessGateNamespace?: boolean;
  /**
   * How long the gateway waits for open connections, for a gateway that does not report its own timings.
   * @default Duration.seconds(15)
   */
  readonly gatewayDrainTimeout?: Duration;
}

function namespaceOf(object: string): string {
  return object.split('/')[1] || 'default';
}

function nameOf(object: string): string {
  return object.split('/').slice(2).join('/') || object;
}

/** A gateway that reports its timings as solved against the load balancer now in front (both faces' HitlessGateway do). */
function reportedBudget(gateway: LoadBalancedGateway): GatewayBudget | undefined {
  const budget = (gateway as { budget?: Partial<GatewayBudget> }).budget;
  return budget !== undefined && typeof budget.preStopSeconds === 'number' ? (budget as GatewayBudget) : undefined;
}

/**
 * A well-formed target group ARN standing in for the real one, which exists only once the target
 * group does: core's `targetGroupBinding` checks the ARN, and the binding's identity (kind,
 * namespace, name) is needed now to create the resource. The spec is then taken from the real ARN.
 */
const ARN_FOR_IDENTITY = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/identity/0';

/**
 * An AWS Network Load Balancer in front of a hitless gateway. Every value is checked against
 * ELBv2's limits; the gateway solves its timings against the NLB's health checks, and the target
 * group's attributes are derived from those timings (core `planNlb`), exactly as in the cdk8s face.
 *
 * Without `aws`, the AWS Load Balancer Controller makes the NLB from the annotations put on the
 * gateway's Service (the same objects as the cdk8s face). With `aws`, the NLB, its target group
 * and listener are `@pulumi/aws` resources, every attribute stated, and the targets are bound by a
 * TargetGroupBinding or, for a host-port DaemonSet, by attaching the nodes' Auto Scaling groups.
 *
 * Create it in the same synchronous part of the program as the gateway: the gateway renders its
 * objects once the program settles (see `HitlessGateway`).
 */
export class HealthCheckedNlb extends pulumi.ComponentResource {
  /** The load balancer as the gateway, `hitless check` and `hitless simulate` see it. */
  public readonly model: LoadBalancerModel;
  /** The annotations put on the gateway's Service (empty with `aws`). */
  public readonly serviceAnnotations: Record<string, string>;
  /** The gateway's timings behind this NLB. */
  public readonly budget: GatewayBudget;
  /** The validated settings, defaults applied. */
  public readonly settings: NlbSettings;
  /** With `aws`. */
  public readonly loadBalancer?: aws.lb.LoadBalancer;
  /** With `aws`. */
  public readonly targetGroup?: aws.lb.TargetGroup;
  /** With `aws`. */
  public readonly listener?: aws.lb.Listener;
  /** With `aws` and no Auto Scaling groups. */
  public readonly targetGroupBinding?: pulumi.CustomResource;
  /** With `aws.autoScalingGroupNames`, one per group. */
  public readonly autoScalingAttachments: aws.autoscaling.Attachment[] = [];
  /** With `readinessGateNamespace`. */
  public readonly namespace?: pulumi.CustomResource;
  /** DNS name of the NLB made with `aws`. */
  public readonly dnsName?: pulumi.Output<string>;
  private readonly gateway: LoadBalancedGateway;

  constructor(name: string, args: HealthCheckedNlbArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:HealthCheckedNlb', name, {}, opts);
    const { gateway, aws: awsArgs, readinessGateNamespace: withNamespace, gatewayDrainTimeout, ...options } = args;
    this.gateway = gateway;
    const bound = awsArgs !== undefined;
    const hostPortTargets = awsArgs?.autoScalingGroupNames !== undefined;
    if (withNamespace && (options.targetType ?? 'instance') !== 'ip') {
      throw new Elbv2LimitError('readinessGateNamespace', 'true', "used with targetType 'ip' only", 'with instance targets the NLB knows nodes, not pods, and the controller injects no readiness gate');
    }
    if (hostPortTargets && (gateway.mode !== 'daemonset' || gateway.hostPort === undefined)) {
      throw new Error(
        `'aws.autoScalingGroupNames' needs a DaemonSet gateway with a hostPort (${gateway.workloadObject} is a ${gateway.mode} ${gateway.hostPort === undefined ? 'without' : 'with'} a host port): ` +
        'the target group sends to that port on every instance',
      );
    }
    if (hostPortTargets && options.targetType === 'ip') {
      throw new Elbv2LimitError('targetType', 'ip', "'instance' with aws.autoScalingGroupNames", 'an Auto Scaling group registers instances');
    }

    const solve: GatewayBudgetSolver = (loadBalancer) => {
      gateway.attachLoadBalancer({ model: loadBalancer, serviceAnnotations: {}, serviceTypeLoadBalancer: !bound });
      return reportedBudget(gateway) ?? solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: gatewayDrainTimeout?.toSeconds() ?? 15 });
    };
    const plan = planNlb(options, gateway, solve);
    this.settings = plan.settings;
    const boundObject = hostPortTargets ? `TargetGroup/${namespaceOf(gateway.serviceObject)}/${nameOf(gateway.serviceObject)}` : `TargetGroupBinding/${namespaceOf(gateway.serviceObject)}/${nameOf(gateway.serviceObject)}`;
    this.model = bound ? { ...plan.model, object: boundObject, ...(hostPortTargets ? { targetType: 'host-port' as const } : {}) } : plan.model;
    this.serviceAnnotations = bound ? {} : plan.serviceAnnotations;
    gateway.attachLoadBalancer({ model: this.model, serviceAnnotations: this.serviceAnnotations, serviceTypeLoadBalancer: !bound });
    this.budget = reportedBudget(gateway) ?? plan.budget;

    const children = { parent: this };
    if (awsArgs) {
      const created = createAwsLoadBalancer(
        name,
        {
          model: this.model,
          vpcId: awsArgs.vpcId,
          subnetIds: awsArgs.subnetIds,
          securityGroupIds: awsArgs.securityGroupIds,
          internal: plan.settings.scheme === 'internal',
          listenerPort: awsArgs.listenerPort ?? gateway.trafficPort,
          targetPort: hostPortTargets ? gateway.hostPort! : gateway.trafficPort,
          healthCheckPort: this.model.healthCheckPort,
          healthCheckMatcher: plan.settings.successCodes,
          tags: awsArgs.tags,
        },
        children,
      );
      this.loadBalancer = created.loadBalancer;
      this.targetGroup = created.targetGroup;
      this.listener = created.listener;
      this.dnsName = created.loadBalancer.dnsName;
      if (hostPortTargets) {
        this.autoScalingAttachments = awsArgs.autoScalingGroupNames!.map(
          (group, index) => new aws.autoscaling.Attachment(`${name}-${index}`, { autoscalingGroupName: group, lbTargetGroupArn: created.targetGroup.arn }, children),
        );
      } else {
        const binding = (arn: string) => targetGroupBinding({
          name: nameOf(gateway.serviceObject),
          namespace: namespaceOf(gateway.serviceObject),
          targetGroupArn: arn,
          serviceName: nameOf(gateway.serviceObject),
          servicePort: gateway.trafficPort,
          targetType: plan.settings.targetType,
          ingress: awsArgs.targetGroupBindingIngress,
        });
        this.targetGroupBinding = renderKubeObject(
          { ...binding(ARN_FOR_IDENTITY), spec: created.targetGroup.arn.apply((arn) => binding(arn).spec) },
          children,
        );
      }
    }
    if (withNamespace) {
      this.namespace = renderKubeObject(readinessGateNamespace(namespaceOf(gateway.serviceObject)), children);
    }

    this.registerOutputs({
      loadBalancer: this.loadBalancer,
      targetGroup: this.targetGroup,
      listener: this.listener,
      targetGroupBinding: this.targetGroupBinding,
      dnsName: this.dnsName,
    });
  }

  /** The termination of one gateway pod behind this NLB, step by step, with the margins. */
  public explain(): ExplainedTimeline {
    return explainGatewayBudget({ gateway: this.gateway.workloadObject, loadBalancer: this.model, budget: this.budget });
  }

  /** {@link explain} as text. */
  public explainText(): string {
    return renderTimeline(this.explain());
  }
}
