import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { LoadBalancerModel } from '../core/model';

/**
 * The ELBv2 resources of a network load balancer made with `@pulumi/aws` rather than by the AWS
 * Load Balancer Controller: the load balancer, one target group and one TCP listener. Every
 * value comes from the core load balancer model; every attribute that decides when a target
 * stops receiving traffic is set explicitly, because the Terraform-based provider's defaults
 * differ from AWS's (health check every 30 s, 3/3; deregistration delay 300 s).
 * @see https://www.pulumi.com/registry/packages/aws/api-docs/lb/targetgroup/
 */
export interface AwsLoadBalancerArgs {
  /** The load balancer as core describes it: health check, deregistration, target health states. */
  readonly model: LoadBalancerModel;
  /** Subnets the load balancer gets a node in (one per zone). */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The VPC the targets live in. */
  readonly vpcId: pulumi.Input<string>;
  /** Whether the load balancer gets only private addresses. */
  readonly internal: boolean;
  /** Port clients connect to. */
  readonly listenerPort: number;
  /** Port the targets receive traffic on: the node port, the host port or the pod port. */
  readonly targetPort: pulumi.Input<number>;
  /** Port the health check goes to, as ELBv2 takes it (`traffic-port` or a number as a string). */
  readonly healthCheckPort: pulumi.Input<string>;
  /** HTTP codes that count as healthy (HTTP and HTTPS health checks only). */
  readonly healthCheckMatcher?: string;
  /** Security groups of the load balancer. */
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The three resources, for the component to expose. */
export interface AwsLoadBalancerResources {
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly listener: aws.lb.Listener;
}

/** ELBv2's target type for a core target type: a host port is reached on the instance.
 * @internal */
export function elbTargetType(model: LoadBalancerModel): 'instance' | 'ip' {
  return model.targetType === 'ip' ? 'ip' : 'instance';
}

/** The target group's arguments, exactly as the model says (exported for tests and policies).
 * @internal */
export function targetGroupArgs(args: AwsLoadBalancerArgs): aws.lb.TargetGroupArgs {
  const model = args.model;
  const httpCheck = model.healthCheckProtocol !== 'TCP';
  return {
    targetType: elbTargetType(model),
    protocol: 'TCP',
    port: args.targetPort,
    vpcId: args.vpcId,
    healthCheck: {
      enabled: true,
      protocol: model.healthCheckProtocol,
      port: args.healthCheckPort,
      path: httpCheck ? model.healthCheckPath : undefined,
      matcher: httpCheck ? args.healthCheckMatcher : undefined,
      interval: model.healthCheck.intervalSeconds,
      timeout: model.healthCheck.timeoutSeconds,
      healthyThreshold: model.healthCheck.healthyThreshold,
      unhealthyThreshold: model.healthCheck.unhealthyThreshold,
    },
    deregistrationDelay: model.deregistrationDelaySeconds,
    connectionTermination: model.deregistrationConnectionTermination,
    targetHealthStates: [
      {
        enableUnhealthyConnectionTermination: model.unhealthyConnectionTermination,
        unhealthyDrainingInterval: model.unhealthyDrainingIntervalSeconds,
      },
    ],
    preserveClientIp: String(required(model.preserveClientIp, 'preserveClientIp')),
    proxyProtocolV2: required(model.proxyProtocolV2, 'proxyProtocolV2'),
    tags: args.tags,
  };
}

/**
 * `@pulumi/aws`, loaded on first use: it is an optional peer, and a program that makes no AWS
 * resource (the controller makes the NLB from annotations) must load without it.
 * @internal
 */
export function loadPulumiAws(): typeof aws {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@pulumi/aws');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
      throw new Error("HealthCheckedNlb's `aws` makes the NLB with @pulumi/aws, which is not installed: `npm install @pulumi/aws`, or leave out `aws` and let the AWS Load Balancer Controller make it");
    }
    throw error;
  }
}

/** Creates the load balancer, its target group and its listener as children of `parent`.
 * @internal */
export function createAwsLoadBalancer(name: string, args: AwsLoadBalancerArgs, opts: pulumi.CustomResourceOptions): AwsLoadBalancerResources {
  const aws = loadPulumiAws();
  const loadBalancer = new aws.lb.LoadBalancer(
    name,
    {
      loadBalancerType: 'network',
      internal: args.internal,
      subnets: args.subnetIds,
      securityGroups: args.securityGroupIds,
      enableCrossZoneLoadBalancing: required(args.model.crossZone, 'crossZone'),
      ipAddressType: 'ipv4',
      tags: args.tags,
    },
    opts,
  );
  const targetGroup = new aws.lb.TargetGroup(name, targetGroupArgs(args), opts);
  const listener = new aws.lb.Listener(
    name,
    {
      loadBalancerArn: loadBalancer.arn,
      port: args.listenerPort,
      protocol: 'TCP',
      defaultActions: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      tags: args.tags,
    },
    opts,
  );
  return { loadBalancer, targetGroup, listener };
}

function required<T>(value: T | undefined, field: keyof LoadBalancerModel): T {
  // Left unset, the provider would apply its own default, which is exactly what must not happen.
  if (value === undefined) throw new Error(`the load balancer model leaves '${field}' unset: the AWS resources need every attribute stated`);
  return value;
}
