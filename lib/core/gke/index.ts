export * from './defaults';
export * from './gke-load-balancer';
export * from './invariants';
export * from './model';
export * from './objects';
export * from './explain';
export * from './mechanisms';
