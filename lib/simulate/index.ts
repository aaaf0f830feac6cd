// The simulator's public face; its subsystems (cluster, controllers, load balancer, kube-proxy, Envoy views, client workers, metrics) stay internal.
export * from './clients';
export { EventQueue, Random } from './engine';
export type { SimEvent } from './engine';
export { PLACEMENTS } from './kubernetes';
export type { Placement } from './kubernetes';
export * from './parameters';
export * from './report';
export * from './scenarios';
export * from './simulation';
export * from './timeline-svg';
export type { GkeFailureCause } from './gke';
