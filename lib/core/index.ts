export * from './duration';
export * from './finding';
export * from './kube-object';
export * from './load-balancer';
export * from './load-balancer-link';
export * from './model';
export * from './timing';
export * from './upstream-link';
