import { BuiltDrainingService, DrainingServiceOptions, DrainingServicePlan, drainingServiceRefs } from '../../../lib/core/draining-service';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { KubeObject } from '../../../lib/core/kube-object';
import { DiscoveryModel, GatewayModel, UpstreamModel } from '../../../lib/core/model';
import { RoutableUpstream, GatewayInFront } from '../../../lib/core/upstream-link';
import { readManifestObjects } from '../../../lib/read';
import { cluster, gateway } from '../../support/models';

/** Fixtures shared by the tests of lib/core/draining-service. */

export const base: DrainingServiceOptions = { name: 'orders', namespace: 'shop', image: 'ghcr.io/example/orders:1.0', readinessPath: '/ready' };

export const edsDiscovery: DiscoveryModel = { kind: 'eds', propagationSeconds: 1, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 1 };

export type BuiltLike = Pick<BuiltDrainingService, 'deployment' | 'service' | 'headlessService' | 'podDisruptionBudget'>;

export function objects(built: BuiltLike): KubeObject[] {
  return [built.deployment, built.service, built.headlessService, built.podDisruptionBudget];
}

export function podSpec(built: BuiltDrainingService): any {
  return (built.deployment as any).spec.template.spec;
}

export function container(built: BuiltDrainingService): any {
  return podSpec(built).containers[0];
}

/** A gateway as the solver sees it, and the same gateway as the checker sees it. */
export function gatewayPair(name: string, discovery: DiscoveryModel, intervalSeconds: number, upstream = drainingServiceRefs('orders', 'shop')): { inFront: GatewayInFront; model: GatewayModel } {
  const envoyObject = `ConfigMap/edge/${name}-envoy`;
  return {
    inFront: { gateway: `Deployment/edge/${name}`, discovery, activeHealthCheckIntervalSeconds: intervalSeconds },
    model: gateway({
      envoy: {
        object: envoyObject,
        adminAddress: '127.0.0.1',
        clusters: [cluster({
          name: 'orders',
          discovery,
          service: upstream.headlessServiceObject,
          activeHealthCheck: { intervalSeconds, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2, path: '/ready' },
          ignoreHealthOnHostRemoval: true,
        })],
        routes: [],
      },
    }),
  };
}

/** The plan as a gateway routes to it. */
export function routable(plan: DrainingServicePlan): RoutableUpstream {
  return { ...plan.facts, registerGateway: (inFront) => plan.registerGateway(inFront) };
}

/**
 * What the manifest reader (`lib/read`) reads from `serviceObjects` behind a gateway routing to
 * `deploymentObject`'s headless Service: the upstream as `hitless check` sees it.
 */
export function readUpstream(gatewayPlan: GatewayPlan, serviceObjects: KubeObject[], deploymentObject: string): UpstreamModel {
  const read = readManifestObjects([...gatewayPlan.objects().all, ...serviceObjects]);
  expect(read.findings.filter((finding) => finding.objects.includes(deploymentObject))).toEqual([]);
  const upstream = read.topology.upstreams.find((each) => each.workload.object === deploymentObject);
  if (!upstream) throw new Error(`lib/read found no upstream ${deploymentObject} behind the gateway`);
  return upstream;
}

/** A gateway plan routing to `plan` (which registers it), as `hitless check` would find it in front. */
export function gatewayRoutingTo(plan: DrainingServicePlan): GatewayPlan {
  const gatewayPlan = new GatewayPlan({ name: 'edge', namespace: 'edge' });
  gatewayPlan.addRoute({ prefix: '/', service: routable(plan) });
  return gatewayPlan;
}
