export * from './draining-service';
export * from './gloo-edge';
export * from './health-checked-nlb';
export * from './hitless-gateway';
export * from './gke-load-balancer';
