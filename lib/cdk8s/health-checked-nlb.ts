import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { BuiltHealthCheckedNlb, HealthCheckedNlbOptions, buildHealthCheckedNlb } from '../core/aws/health-checked-nlb';
import { NlbSettings } from '../core/aws/nlb';
import { ExplainedTimeline } from '../core/explained-timeline';
import { renderTimeline } from '../core/render-timeline';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';

/**
 * Props of {@link HealthCheckedNlb}: the NLB's settings and bindings of core's
 * `HealthCheckedNlbOptions` (times as cdk8s `Duration`s or any `DurationLike`), and the gateway.
 * A `targetGroupArn` chooses the TargetGroupBinding; otherwise the controller makes the NLB.
 */
export interface HealthCheckedNlbProps extends Omit<HealthCheckedNlbOptions, 'binding' | 'bindingProp'> {
  /** The gateway the NLB fronts; its timings are solved again against this NLB. */
  readonly gateway: LoadBalancedGateway;
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
