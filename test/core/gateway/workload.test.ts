import { GatewayWorkload } from '../../../lib/core/gateway/workload';

const selector = { app: 'edge' };

describe('GatewayWorkload.deployment', () => {
  it('adds a pod before removing one, one pod per node, spread over zones', () => {
    const workload = GatewayWorkload.deployment({ replicas: 3 });
    expect(workload.kind).toBe('Deployment');
    expect(workload.rollout).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(workload.replicas).toBe(3);
    expect(workload.hostPorts).toEqual([]);
    expect(workload.spreadTopologyKeys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    const placement = workload.placement(selector) as any;
    expect(placement.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(placement.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' });
    expect(workload.spec(selector, {}, 25)).toMatchObject({ replicas: 3, minReadySeconds: 25, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
  });

  it('refuses fewer than two replicas', () => {
    expect(() => GatewayWorkload.deployment({ replicas: 1 })).toThrow("'replicas' (1) must be a whole number, at least 2: with one gateway pod, a node drain or eviction leaves nothing to serve");
    expect(() => GatewayWorkload.deployment({ replicas: 2.5 })).toThrow("'replicas' (2.5)");
  });
});

describe('GatewayWorkload.daemonSet', () => {
  it('never surges, so a host port is never fought over', () => {
    const workload = GatewayWorkload.daemonSet({ hostPort: 80, httpsHostPort: 443 });
    expect(workload.kind).toBe('DaemonSet');
    expect(workload.rollout).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(workload.hostPorts).toEqual([80, 443]);
    expect(workload.spec(selector, {}, 25)).toEqual({ minReadySeconds: 25, selector: { matchLabels: selector }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }, template: {} });
  });

  it('stays off the host network unless asked', () => {
    expect(GatewayWorkload.daemonSet().hostNetwork).toBe(false);
    expect(GatewayWorkload.daemonSet().placement(selector)).toEqual({});
    expect(GatewayWorkload.daemonSet({ hostNetwork: true }).placement(selector)).toEqual({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
  });

  it('refuses a host port out of range', () => {
    expect(() => GatewayWorkload.daemonSet({ hostPort: 0 })).toThrow("'hostPort' (0) must be a port number, 1 to 65535");
  });
});
