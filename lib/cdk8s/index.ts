/**
 * `hitless/cdk8s`: the cdk8s constructs. Times are cdk8s `Duration`s (any `{ toMilliseconds() }`
 * works), so this entry point exports no duration class of its own. Needs the optional peers
 * `cdk8s` and `constructs`; any cdk8s-plus major's Deployment can be made draining.
 * @packageDocumentation
 */
export { DrainingService } from './draining-service';
export type { DrainingServiceProps, DrainingTimingProps, MadeDraining, MakeDrainingProps, PlusDeployment } from './draining-service';
export { GlooEdgeGateway } from './gloo-edge';
export type { GlooEdgeGatewayProps, GlooEdgeRouteProps } from './gloo-edge';
export { HealthCheckedNlb } from './health-checked-nlb';
export type { HealthCheckedNlbProps } from './health-checked-nlb';
export { HitlessGateway } from './hitless-gateway';
export { GkeLoadBalancer } from './gke-load-balancer';
export type { GkeLoadBalancerProps } from './gke-load-balancer';
export type { HitlessGatewayProps, HitlessGatewayRouteProps } from './hitless-gateway';

// Core values the props take, and the errors the constructs throw.
export { GatewayDrain } from '../core/gateway/drain';
export { GatewayWorkload } from '../core/gateway/workload';
export { BudgetError } from '../core/timing/budget-error';
export { Elbv2LimitError } from '../core/aws/elbv2-limits';
export { GkeLimitError } from '../core/gke/defaults';
export type { GatewayBudget, UpstreamBudget } from '../core/timing/solver';
export type { GatewayInFront } from '../core/upstream-link';
export type { PreStopAction } from '../core/pre-stop';
