import { DiscoveryModel } from './model';

/**
 * What a gateway needs from a service it routes to, and how it tells the service it is in front.
 * Both faces' `DrainingService` implement it, so a gateway of either face can route to it, and
 * the service re-derives its preStop from every gateway that registers (one solver).
 */
export interface RoutableUpstream {
  /** `Service/namespace/name` of the ClusterIP Service. */
  readonly serviceObject: string;
  /** The headless Service's cluster DNS name, e.g. `orders-headless.shop.svc.cluster.local`. */
  readonly headlessDnsName: string;
  /** `Service/namespace/name` of the headless Service. */
  readonly headlessServiceObject: string;
  /** Port the pods serve on. */
  readonly port: number;
  /** HTTP path of the readiness endpoint, for the gateway's active health checks. */
  readonly healthCheckPath: string;
  /**
   * Tells the service a gateway discovers its pods this way; the service re-derives its timings
   * and throws a `BudgetError` when a value the user set can no longer hold.
   */
  registerGateway(gateway: GatewayInFront): void;
}

/** How one gateway sees an upstream. */
export interface GatewayInFront {
  /** `Kind/namespace/name` of the gateway workload. */
  readonly gateway: string;
  readonly discovery: DiscoveryModel;
  /** Interval of the gateway's active health checks on this upstream (0 when none). */
  readonly activeHealthCheckIntervalSeconds: number;
}
