import { LoadBalancedGateway } from '../core/load-balancer-link';

/** The one load balancer slot of a Pulumi gateway, claimed before anything is solved against it. */

/** A gateway with one load balancer slot: the Pulumi `HitlessGateway`, which renders in its constructor. */
interface LoadBalancerSlot {
  claimLoadBalancer(owner: string): void;
}

function hasLoadBalancerSlot(gateway: LoadBalancedGateway): gateway is LoadBalancedGateway & LoadBalancerSlot {
  return typeof (gateway as Partial<LoadBalancerSlot>).claimLoadBalancer === 'function';
}

/**
 * Claims `gateway`'s load balancer for `owner` (`HealthCheckedNlb 'edge'`), when the gateway keeps
 * one: a second load balancer on one gateway Service, or one that comes after the gateway rendered,
 * is refused naming both. A gateway without the slot (a core plan) takes any load balancer.
 * @throws when the gateway already has a load balancer, or has rendered its objects
 * @internal
 */
export function claimLoadBalancer(gateway: LoadBalancedGateway, owner: string): void {
  if (hasLoadBalancerSlot(gateway)) gateway.claimLoadBalancer(owner);
}
