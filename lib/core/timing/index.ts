export * from './budget-error';
export * from './invariants';
export * from './mechanisms';
export * from './solver';
export * from './windows';
export * from './workload-seconds';
export * from './rollout-time';
export * from './gke';
