export * from './aws-load-balancer';
export * from './draining-service';
export * from './draining-transform';
export * from './gke-load-balancer';
export * from './health-checked-nlb';
export * from './hitless-gateway';
export * from './render';
export * from './settle';
// The core types a Pulumi program passes in props, so that `hitless/pulumi` is all it imports.
export { Duration } from '../core/duration';
export { GatewayDrain } from '../core/gateway/drain';
export { GatewayWorkload } from '../core/gateway/workload';
export { BudgetError } from '../core/timing/budget-error';
export { Elbv2LimitError } from '../core/aws/elbv2-limits';
export { GkeLimitError } from '../core/gke/defaults';
