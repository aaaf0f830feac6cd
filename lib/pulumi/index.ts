/**
 * `hitless/pulumi`: the Pulumi components and the Deployment transform. Needs the optional peers
 * `@pulumi/pulumi` and `@pulumi/kubernetes`; `@pulumi/aws` is loaded only when a
 * `HealthCheckedNlb` is given `aws`. Loads no cdk8s.
 * @packageDocumentation
 */
export { DrainingService } from './draining-service';
export type { DrainingServiceArgs } from './draining-service';
export { DEPLOYMENT_TYPE, drainDeployment, drainingTransform, DrainingTransformError, registerDrainingTransform } from './draining-transform';
export type { DrainingTransformOptions } from './draining-transform';
export { HealthCheckedNlb } from './health-checked-nlb';
export type { AwsNlbArgs, HealthCheckedNlbArgs } from './health-checked-nlb';
export { HitlessGateway } from './hitless-gateway';
export { GkeLoadBalancer } from './gke-load-balancer';
export type { GkeLoadBalancerArgs } from './gke-load-balancer';
export type { HitlessGatewayArgs, HitlessGatewayRoute } from './hitless-gateway';

// Core values the args take (durations included: Pulumi has no duration type), and the errors.
export { millis, minutes, parseDuration, seconds } from '../core/duration';
export type { DurationLike } from '../core/duration';
export { GatewayDrain } from '../core/gateway/drain';
export { GatewayWorkload } from '../core/gateway/workload';
export { BudgetError } from '../core/timing/budget-error';
export { Elbv2LimitError } from '../core/aws/elbv2-limits';
export { GkeLimitError } from '../core/gke/defaults';
export type { GatewayBudget, UpstreamBudget } from '../core/timing/solver';
export type { GatewayInFront } from '../core/upstream-link';
export type { PreStopAction } from '../core/pre-stop';
