import { namesObject } from '../core/object-ref';
import { GatewayModel, Topology, UpstreamModel, WorkloadModel } from '../core/model';
import { UpstreamRouting } from './envoy';
import { Placement } from './kubernetes';
import { Scenario } from './scenarios';

/** Which gateway and upstream a run plays, and whether the scenario can play them. */

/** The gateway asked for (by name or `Kind/namespace/name`), or the first. */
export function pickGateway(topology: Topology, wanted?: string): GatewayModel {
  if (topology.gateways.length === 0) {
    throw new Error('the manifests hold no gateway: simulate needs an Envoy Deployment or DaemonSet behind a load-balanced Service');
  }
  if (wanted === undefined) return topology.gateways[0];
  const found = topology.gateways.find((gateway) => namesObject(gateway.workload.object, wanted));
  if (!found) throw new Error(`no gateway '${wanted}' (gateways: ${topology.gateways.map((gateway) => gateway.workload.object).join(', ')})`);
  return found;
}

/** The upstream asked for, or the first one the gateway routes to, with the Envoy cluster and route that reach it. */
export function pickUpstream(topology: Topology, gateway: GatewayModel, wanted?: string): { upstream: UpstreamModel; routing: UpstreamRouting } | undefined {
  const clusters = gateway.envoy?.clusters ?? [];
  const candidates = wanted === undefined ? topology.upstreams : topology.upstreams.filter((upstream) => namesObject(upstream.workload.object, wanted));
  if (wanted !== undefined && candidates.length === 0) {
    throw new Error(`no upstream '${wanted}' (upstreams: ${topology.upstreams.map((upstream) => upstream.workload.object).join(', ') || 'none'})`);
  }
  for (const upstream of candidates) {
    const services = new Set(upstream.services.map((service) => service.object));
    const cluster = clusters.find((each) => each.service !== undefined && services.has(each.service));
    if (!cluster) continue;
    const route = gateway.envoy!.routes.find((each) => each.cluster === cluster.name);
    return { upstream, routing: { cluster, route } };
  }
  if (wanted !== undefined) throw new Error(`the gateway ${gateway.workload.object} has no Envoy cluster routing to ${candidates[0].workload.object}`);
  return undefined;
}

/** Throws when the scenario cannot be played on these workloads, or Kubernetes would reject them. */
export function validatePlay(scenario: Scenario, placement: Placement, gateway: WorkloadModel, upstream: UpstreamModel | undefined, routing: UpstreamRouting | undefined): void {
  if (scenario === 'gateway-daemonset-rollout' && gateway.kind !== 'DaemonSet') {
    throw new Error(`scenario gateway-daemonset-rollout needs a DaemonSet gateway, but ${gateway.object} is a ${gateway.kind}`);
  }
  if (scenario === 'upstream-rollout' && (!upstream || !routing)) {
    throw new Error(`scenario upstream-rollout needs an upstream that the gateway ${gateway.object} routes to (an Envoy cluster resolving one of its Services)`);
  }
  for (const workload of [gateway, upstream?.workload]) {
    if (workload && workload.kind === 'Deployment' && workload.maxSurge === 0 && workload.maxUnavailable === 0) {
      throw new Error(`${workload.object} has maxSurge 0 and maxUnavailable 0: Kubernetes rejects such a Deployment`);
    }
  }
  if (placement === 'same-node' && gateway.kind === 'Deployment' && gateway.onePodPerNode && scenario !== 'upstream-rollout') {
    throw new Error(`placement same-node is impossible: ${gateway.object} requires one pod per node (required pod anti-affinity on kubernetes.io/hostname)`);
  }
}
