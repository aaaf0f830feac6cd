import { Finding } from '../core/finding';
import { Topology } from '../core/model';

/** The rules of `hitless check` that are about the manifests rather than the timing (those are lib/core/timing/invariants.ts). */

/** Rules over the topology that are not timing invariants. */
export function checkManifestRules(topology: Topology): Finding[] {
  const findings: Finding[] = [];
  const services = new Map(topology.upstreams.flatMap((upstream) => upstream.services).map((service) => [service.object, service]));
  for (const gateway of topology.gateways) {
    for (const cluster of gateway.envoy?.clusters ?? []) {
      const service = cluster.service ? services.get(cluster.service) : undefined;
      if (!service || cluster.discovery.kind !== 'dns' || service.headless || service.type !== 'ClusterIP') continue;
      findings.push({
        rule: 'cluster-resolves-cluster-ip',
        category: 'upstream-propagation',
        severity: 'warning',
        objects: [gateway.envoy!.object, service.object],
        message: `cluster ${cluster.name} of ${gateway.envoy!.object} resolves ${service.object}, which has a cluster IP: Envoy sees one address, so its health checks, outlier detection and retries on another host act on kube-proxy's choice of pod, not on pods.`,
        fix: `resolve a headless Service (clusterIP: None) selecting the same pods as ${service.object}`,
      });
    }
  }
  return findings;
}
