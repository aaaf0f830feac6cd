import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Elbv2LimitError } from '../core/aws/elbv2-limits';
import { attachNlb } from '../core/aws/attach-nlb';
import { NlbOptions, NlbSettings } from '../core/aws/nlb';
import { readinessGateNamespace } from '../core/aws/pod-readiness-gate';
import { TargetGroupBindingIngressRule, checkTargetGroupArn, targetGroupBinding } from '../core/aws/target-group-binding';
import { Duration as CoreDuration } from '../core/duration';
import { ExplainedTimeline, explainGatewayBudget, renderTimeline } from '../core/explain';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';

function core(value: Duration | undefined): CoreDuration | undefined {
  return value === undefined ? undefined : CoreDuration.of(value);
}

/** Props of {@link HealthCheckedNlb}. */
export interface HealthCheckedNlbProps {
  /** The gateway the NLB fronts; its timings are solved again against this NLB. */
  readonly gateway: LoadBalancedGateway;
  /**
   * Whether the NLB gets public addresses.
   * @default 'internal'
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#lb-scheme
   */
  readonly scheme?: 'internal' | 'internet-facing';
  /**
   * `instance` (nodes, on the NodePort; kube-proxy with externalTrafficPolicy Local) or `ip` (pod
   * IPs; the gateway's drain grows to the measured 2–5 minute deregistration lag).
   * @default 'instance'
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#nlb-target-type
   */
  readonly targetType?: 'instance' | 'ip';
  /**
   * Health check protocol; the check goes to the gateway's health check filter path on the traffic port.
   * @default 'HTTP'
   */
  readonly healthCheckProtocol?: 'HTTP' | 'HTTPS';
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
   * Passing checks before a target receives traffic (2–10).
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Failed checks before a target stops receiving new connections (2–10).
   * @default 2
   */
  readonly unhealthyThreshold?: number;
  /**
   * HTTP codes that count as healthy (200–599).
   * @default '200'
   */
  readonly healthCheckSuccessCodes?: string;
  /**
   * `deregistration_delay.timeout_seconds` (0–3600 s).
   * @default - the gateway's terminationGracePeriodSeconds
   */
  readonly deregistrationDelay?: Duration;
  /**
   * `deregistration_delay.connection_termination.enabled`.
   * @default true
   */
  readonly deregistrationConnectionTermination?: boolean;
  /**
   * `target_health_state.unhealthy.connection_termination.enabled`.
   * @default false
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health.html#unhealthy-target-connection-termination
   */
  readonly unhealthyConnectionTermination?: boolean;
  /**
   * `target_health_state.unhealthy.draining_interval_seconds` (0–360000 s).
   * @default - the part of the gateway's drain after the target turns unhealthy, plus margin
   */
  readonly unhealthyDrainingInterval?: Duration;
  /**
   * `preserve_client_ip.enabled`.
   * @default true for instance targets, false for IP targets
   */
  readonly preserveClientIp?: boolean;
  /**
   * `proxy_protocol_v2.enabled`; the gateway's listeners must then expect the PROXY header.
   * @default false
   */
  readonly proxyProtocolV2?: boolean;
  /**
   * `load_balancing.cross_zone.enabled`.
   * @default true
   */
  readonly crossZone?: boolean;
  /**
   * `backend-protocol`.
   * @default - not set (tcp)
   */
  readonly backendProtocol?: 'tcp' | 'ssl';
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

function namespaceOf(object: string): string {
  const [, namespace] = object.split('/');
  return namespace || 'default';
}

function nameOf(object: string): string {
  return object.split('/').slice(2).join('/') || object;
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
  private readonly gateway: LoadBalancedGateway;

  constructor(scope: Construct, id: string, props: HealthCheckedNlbProps) {
    super(scope, id);
    const gateway = props.gateway;
    this.gateway = gateway;
    const bound = props.targetGroupArn !== undefined;
    const options: NlbOptions = {
      scheme: props.scheme,
      targetType: props.targetType,
      healthCheckProtocol: props.healthCheckProtocol,
      healthCheckInterval: core(props.healthCheckInterval),
      healthCheckTimeout: core(props.healthCheckTimeout),
      healthyThreshold: props.healthyThreshold,
      unhealthyThreshold: props.unhealthyThreshold,
      healthCheckSuccessCodes: props.healthCheckSuccessCodes,
      deregistrationDelay: core(props.deregistrationDelay),
      deregistrationConnectionTermination: props.deregistrationConnectionTermination,
      unhealthyConnectionTermination: props.unhealthyConnectionTermination,
      unhealthyDrainingInterval: core(props.unhealthyDrainingInterval),
      preserveClientIp: props.preserveClientIp,
      proxyProtocolV2: props.proxyProtocolV2,
      crossZone: props.crossZone,
      backendProtocol: props.backendProtocol,
      ipDeregistrationLag: core(props.ipDeregistrationLag),
    };
    if (props.readinessGateNamespace && (props.targetType ?? 'instance') !== 'ip') {
      throw new Elbv2LimitError('readinessGateNamespace', 'true', "used with targetType 'ip' only", 'with instance targets the NLB knows nodes, not pods, and the controller injects no readiness gate');
    }
    if (props.targetGroupBindingIngress !== undefined && !bound) {
      throw new Elbv2LimitError('targetGroupBindingIngress', 'set', 'used with targetGroupArn only', 'the rules belong to the TargetGroupBinding, which exists only for a target group made outside Kubernetes');
    }

    if (bound) checkTargetGroupArn('targetGroupArn', props.targetGroupArn!);
    const plan = attachNlb(options, gateway, {
      targetGroupBinding: bound ? `TargetGroupBinding/${namespaceOf(gateway.serviceObject)}/${nameOf(gateway.serviceObject)}` : undefined,
      fallbackDrainTimeoutSeconds: core(props.gatewayDrainTimeout)?.toSeconds(),
    });
    this.settings = plan.settings;
    this.model = plan.model;
    this.serviceAnnotations = plan.serviceAnnotations;
    this.budget = plan.budget;

    if (bound) {
      this.targetGroupBinding = new ApiObject(
        this,
        'TargetGroupBinding',
        targetGroupBinding({
          name: nameOf(gateway.serviceObject),
          namespace: namespaceOf(gateway.serviceObject),
          targetGroupArn: props.targetGroupArn!,
          serviceName: nameOf(gateway.serviceObject),
          servicePort: gateway.trafficPort,
          targetType: plan.settings.targetType,
          ingress: props.targetGroupBindingIngress,
        }),
      );
    }
    if (props.readinessGateNamespace) {
      this.namespace = new ApiObject(this, 'Namespace', readinessGateNamespace(namespaceOf(gateway.serviceObject)));
    }
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
