import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BuiltHealthCheckedNlb, buildHealthCheckedNlb } from '../core/aws/health-checked-nlb';
import { NlbOptions, NlbSettings } from '../core/aws/nlb';
import { TargetGroupBindingIngressRule } from '../core/aws/target-group-binding';
import { ExplainedTimeline, renderTimeline } from '../core/explain';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { toCoreDuration } from './duration';

/**
 * Props of {@link HealthCheckedNlb}: the NLB's settings of {@link NlbOptions}, with times as cdk8s
 * `Duration`s, and what the construct adds (the gateway, an external target group).
 */
export interface HealthCheckedNlbProps
  extends Omit<NlbOptions, 'healthCheckInterval' | 'healthCheckTimeout' | 'deregistrationDelay' | 'unhealthyDrainingInterval' | 'ipDeregistrationLag'> {
  /** The gateway the NLB fronts; its timings are solved again against this NLB. */
  readonly gateway: LoadBalancedGateway;
  /**
   * Time between health checks (5–300 s, whole seconds).
   * @default Duration.seconds(10)
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
   */
  readonly healthCheckInterval?: Duration;
  /**
   * Health check timeout (2–120 s, at most the interval).
   * @default Duration.seconds(6)
   */
  readonly healthCheckTimeout?: Duration;
  /**
   * `deregistration_delay.timeout_seconds` (0–3600 s).
   * @default - the gateway's terminationGracePeriodSeconds
   */
  readonly deregistrationDelay?: Duration;
  /**
   * `target_health_state.unhealthy.draining_interval_seconds` (0–360000 s).
   * @default - the part of the gateway's drain after the target turns unhealthy, plus margin
   */
  readonly unhealthyDrainingInterval?: Duration;
  /**
   * For IP targets, how long the NLB may go on sending new connections after deregistration.
   * @default Duration.minutes(5)
   * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2366
   */
  readonly ipDeregistrationLag?: Duration;
  /**
   * ARN of a target group made outside Kubernetes (by `@pulumi/aws`, Terraform, the console). A
   * TargetGroupBinding then registers the gateway's endpoints in it and the gateway's Service gets
   * no load balancer annotations; the target group must be made with this construct's `model`.
   * @default - the AWS Load Balancer Controller makes the NLB from the Service's annotations
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/
   */
  readonly targetGroupArn?: string;
  /**
   * Ingress rules of the TargetGroupBinding (with `targetGroupArn` only).
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
  /**
   * How long the gateway waits for open connections once it stops accepting new ones, for a
   * gateway that does not report its own timings (`budget`).
   * @default Duration.seconds(15)
   */
  readonly gatewayDrainTimeout?: Duration;
}

/**
 * An AWS Network Load Balancer in front of a hitless gateway, made by the AWS Load Balancer
 * Controller from the annotations this construct puts on the gateway's Service (or, given a
 * `targetGroupArn`, a target group made elsewhere and bound with a TargetGroupBinding).
 *
 * Every value is checked against ELBv2's limits; then the gateway solves its timings against the
 * NLB's health checks (it keeps serving for the NLB's detection window plus margin, its grace
 * period covers the drain, its minReadySeconds the recovery window), and the target group's
 * attributes are derived from those timings, so that connections still open when the target
 * turns unhealthy live until the gateway has drained them.
 */
export class HealthCheckedNlb extends Construct {
  /** The load balancer as the gateway, `hitless check` and `hitless simulate` see it. */
  public readonly model: LoadBalancerModel;
  /** The annotations put on the gateway's Service (empty with `targetGroupArn`). */
  public readonly serviceAnnotations: Record<string, string>;
  /** The gateway's timings behind this NLB. */
  public readonly budget: GatewayBudget;
  /** The validated settings, defaults applied. */
  public readonly settings: NlbSettings;
  /** The TargetGroupBinding, with `targetGroupArn`. */
  public readonly targetGroupBinding?: ApiObject;
  /** The Namespace carrying the readiness-gate label, with `readinessGateNamespace`. */
  public readonly namespace?: ApiObject;
  private readonly built: BuiltHealthCheckedNlb;

  constructor(scope: Construct, id: string, props: HealthCheckedNlbProps) {
    super(scope, id);
    const { gateway, ...options } = props;
    this.built = buildHealthCheckedNlb({
      ...options,
      healthCheckInterval: toCoreDuration(props.healthCheckInterval),
      healthCheckTimeout: toCoreDuration(props.healthCheckTimeout),
      deregistrationDelay: toCoreDuration(props.deregistrationDelay),
      unhealthyDrainingInterval: toCoreDuration(props.unhealthyDrainingInterval),
      ipDeregistrationLag: toCoreDuration(props.ipDeregistrationLag),
      gatewayDrainTimeout: toCoreDuration(props.gatewayDrainTimeout),
      binding: props.targetGroupArn !== undefined ? 'target-group-binding' : 'annotations',
      bindingProp: 'targetGroupArn',
    }, gateway);
    this.settings = this.built.settings;
    this.model = this.built.model;
    this.serviceAnnotations = this.built.serviceAnnotations;
    this.budget = this.built.budget;
    if (this.built.targetGroupBinding?.object) {
      this.targetGroupBinding = new ApiObject(this, 'TargetGroupBinding', this.built.targetGroupBinding.object);
    }
    if (this.built.namespace) {
      this.namespace = new ApiObject(this, 'Namespace', this.built.namespace);
    }
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
