import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { BuiltHealthCheckedNlb, HealthCheckedNlbOptions, buildHealthCheckedNlb } from '../core/aws/health-checked-nlb';
import { NlbSettings } from '../core/aws/nlb';
import { TargetGroupBindingIngressRule } from '../core/aws/target-group-binding';
import { ExplainedTimeline } from '../core/explained-timeline';
import { renderTimeline } from '../core/render-timeline';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { createAwsLoadBalancer, loadPulumiAws } from './aws-load-balancer';
import { claimLoadBalancer } from './load-balancer-claim';
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

/**
 * Props of {@link HealthCheckedNlb}: those of the cdk8s `HealthCheckedNlb`, with core `Duration`s;
 * `aws` chooses how the targets are bound.
 */
export interface HealthCheckedNlbArgs extends Omit<HealthCheckedNlbOptions, 'binding' | 'bindingProp' | 'targetGroupArn' | 'targetGroupBindingIngress'> {
  /** The gateway the NLB fronts; its timings are solved again against this NLB. */
  readonly gateway: LoadBalancedGateway;
  /**
   * Make the NLB with `@pulumi/aws` rather than through the AWS Load Balancer Controller's Service annotations.
   * @default - the controller makes the NLB from the annotations on the gateway's Service
   */
  readonly aws?: AwsNlbArgs;
}

/**
 * An AWS Network Load Balancer in front of a hitless gateway. Every value is checked against
 * ELBv2's limits; the gateway solves its timings against the NLB's health checks, and the target
 * group's attributes are derived from those timings (core `buildHealthCheckedNlb`), exactly as in the cdk8s face.
 *
 * Without `aws`, the AWS Load Balancer Controller makes the NLB from the annotations put on the
 * gateway's Service (the same objects as the cdk8s face). With `aws`, the NLB, its target group
 * and listener are `@pulumi/aws` resources, every attribute stated, and the targets are bound by a
 * TargetGroupBinding or, for a host-port DaemonSet, by attaching the nodes' Auto Scaling groups.
 *
 * A Pulumi `HitlessGateway` renders in its constructor, so give it this NLB's props as its `nlb`
 * arg (it makes this component as its child); made separately afterwards, this throws at once. A
 * second NLB on one gateway is refused, naming both.
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
  private readonly built: BuiltHealthCheckedNlb;

  constructor(name: string, args: HealthCheckedNlbArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:HealthCheckedNlb', name, {}, opts);
    const { gateway, aws: awsArgs, ...options } = args;
    const hostPortTargets = awsArgs?.autoScalingGroupNames !== undefined;
    // A HitlessGateway holds one load balancer: refuse a second before anything is solved against it.
    claimLoadBalancer(gateway, `HealthCheckedNlb '${name}'`);
    const binding = awsArgs === undefined ? 'annotations' : hostPortTargets ? 'host-port' : 'target-group-binding';
    this.built = buildHealthCheckedNlb({
      ...options,
      binding,
      bindingProp: hostPortTargets ? 'aws.autoScalingGroupNames' : 'aws',
      // Core refuses ingress rules without a TargetGroupBinding (Auto Scaling groups have none), naming the prop.
      targetGroupBindingIngress: awsArgs?.targetGroupBindingIngress,
    }, gateway);
    this.settings = this.built.settings;
    this.model = this.built.model;
    this.serviceAnnotations = this.built.serviceAnnotations;
    this.budget = this.built.budget;

    const children = { parent: this };
    if (awsArgs) {
      const created = createAwsLoadBalancer(
        name,
        {
          model: this.model,
          vpcId: awsArgs.vpcId,
          subnetIds: awsArgs.subnetIds,
          securityGroupIds: awsArgs.securityGroupIds,
          internal: this.settings.scheme === 'internal',
          listenerPort: awsArgs.listenerPort ?? gateway.trafficPort,
          targetPort: hostPortTargets ? gateway.hostPort! : gateway.trafficPort,
          healthCheckPort: this.model.healthCheckPort,
          healthCheckMatcher: this.settings.successCodes,
          tags: awsArgs.tags,
        },
        children,
      );
      this.loadBalancer = created.loadBalancer;
      this.targetGroup = created.targetGroup;
      this.listener = created.listener;
      this.dnsName = created.loadBalancer.dnsName;
      if (hostPortTargets) {
        const awsSdk = loadPulumiAws();
        this.autoScalingAttachments = awsArgs.autoScalingGroupNames!.map(
          (group, index) => new awsSdk.autoscaling.Attachment(`${name}-${index}`, { autoscalingGroupName: group, lbTargetGroupArn: created.targetGroup.arn }, children),
        );
      } else {
        const template = this.built.targetGroupBinding!;
        // The binding is named now; its spec waits for the target group's ARN.
        this.targetGroupBinding = renderKubeObject(
          name,
          { ...template.identity, spec: created.targetGroup.arn.apply((arn) => template.forArn(arn).spec) },
          children,
        );
      }
    }
    if (this.built.namespace) {
      this.namespace = renderKubeObject(name, this.built.namespace, children);
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
    return this.built.explain();
  }

  /** {@link explain} as text. */
  public explainText(): string {
    return renderTimeline(this.explain());
  }
}
