export * from './budget-error';
export * from './invariants';
export * from './solver';
export * from './windows';
export * from './workload-seconds';
export * from './gke';
