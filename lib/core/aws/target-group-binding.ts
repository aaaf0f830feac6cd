import { KubeObject } from '../kube-object';
import { Elbv2LimitError } from './elbv2-limits';

/**
 * A TargetGroupBinding (elbv2.k8s.aws/v1beta1): the AWS Load Balancer Controller registers a
 * Service's endpoints (pods, or nodes on the NodePort) in a target group made outside Kubernetes,
 * for instance by `@pulumi/aws`. The target group's health check and attributes are then set where
 * it is made; the Service need not be of type LoadBalancer.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/targetgroupbinding/
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/spec/
 */

/** A peer allowed to reach the targets (exactly one of the two). */
export interface TargetGroupBindingPeer {
  /** A CIDR, IPv4 or IPv6. */
  readonly cidr?: string;
  /** A security group id (`sg-…`), usually the NLB's own. */
  readonly securityGroupId?: string;
}

/** An ingress rule the controller adds to the nodes' (or pods') security group. */
export interface TargetGroupBindingIngressRule {
  readonly from: TargetGroupBindingPeer[];
  /** Ports the peers may reach; empty: every TCP port. */
  readonly ports: { readonly port?: number | string; readonly protocol?: 'TCP' | 'UDP' }[];
}

/** Options of {@link targetGroupBinding}. */
export interface TargetGroupBindingOptions {
  /** Name of the TargetGroupBinding. */
  readonly name: string;
  readonly namespace?: string;
  /** ARN of the target group, `arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID`. */
  readonly targetGroupArn: string;
  /** The Service whose endpoints become targets. */
  readonly serviceName: string;
  /** The Service port, by number or name. */
  readonly servicePort: number | string;
  /**
   * The target group's target type; must match the target group.
   * @default not set: the controller's webhook asks AWS
   */
  readonly targetType?: 'instance' | 'ip';
  /**
   * Ingress rules the controller manages so that the NLB can reach the targets.
   * @default none: the security groups are managed elsewhere
   */
  readonly ingress?: TargetGroupBindingIngressRule[];
  /** Labels of the TargetGroupBinding. */
  readonly labels?: Record<string, string>;
}

/**
 * ELBv2 target group ARNs: partition, region, account, `targetgroup/NAME/ID` (names are 1–32
 * alphanumerics or hyphens).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
const TARGET_GROUP_ARN = /^arn:aws(?:-[a-z]+)*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/;

/** Checks a target group ARN; returns it. */
export function checkTargetGroupArn(prop: string, arn: string): string {
  if (!TARGET_GROUP_ARN.test(arn)) {
    throw new Elbv2LimitError(prop, JSON.stringify(arn), 'a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)', 'the controller cannot find the target group otherwise');
  }
  return arn;
}

function peer(each: TargetGroupBindingPeer): Record<string, unknown> {
  if ((each.cidr === undefined) === (each.securityGroupId === undefined)) {
    throw new Elbv2LimitError('ingress.from', JSON.stringify(each), 'exactly one of cidr and securityGroupId', 'the TargetGroupBinding CRD allows one kind of peer per entry');
  }
  return each.cidr !== undefined ? { ipBlock: { cidr: each.cidr } } : { securityGroup: { groupID: each.securityGroupId } };
}

/** The TargetGroupBinding as plain Kubernetes JSON. */
export function targetGroupBinding(options: TargetGroupBindingOptions): KubeObject {
  const spec: Record<string, unknown> = {
    serviceRef: { name: options.serviceName, port: options.servicePort },
    targetGroupARN: checkTargetGroupArn('targetGroupArn', options.targetGroupArn),
  };
  if (options.targetType !== undefined) spec.targetType = options.targetType;
  if (options.ingress !== undefined && options.ingress.length > 0) {
    spec.networking = {
      ingress: options.ingress.map((rule) => ({
        from: rule.from.map(peer),
        ports: rule.ports.map((port) => ({ ...(port.port !== undefined ? { port: port.port } : {}), protocol: port.protocol ?? 'TCP' })),
      })),
    };
  }
  return { ...targetGroupBindingIdentity(options), spec };
}

/** A Kubernetes object's identity: what is known of it before its spec is. */
export type KubeObjectIdentity = Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>;

/**
 * The TargetGroupBinding's apiVersion, kind and metadata, which need no ARN: a face whose target
 * group is still being created (a Pulumi Output) names the binding now and fills in its spec later.
 */
export function targetGroupBindingIdentity(options: Pick<TargetGroupBindingOptions, 'name' | 'namespace' | 'labels'>): KubeObjectIdentity {
  return {
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: {
      name: options.name,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.labels !== undefined ? { labels: options.labels } : {}),
    },
  };
}
