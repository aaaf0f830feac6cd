export * from './attach-nlb';
export * from './elbv2-limits';
export * from './health-checked-nlb';
export * from './nlb';
export * from './pod-readiness-gate';
export * from './target-group-binding';
