import { simulate, SimulationOptions } from '../../lib/simulate';
import { Topology } from '../../lib/core/model';
import { ENVOY_GATEWAY_LOAD, glooGuideTopology, GUIDE_LOAD, safeTopology } from './fixtures';

const guide = (durationSeconds: number): SimulationOptions['load'] => ({ ...GUIDE_LOAD, durationSeconds });

function withGateway(topology: Topology, change: (gateway: Topology['gateways'][number]) => Topology['gateways'][number]): Topology {
  return { ...topology, gateways: topology.gateways.map(change) };
}

describe('simulate', () => {
  test('the same seed gives the same run; another seed a different one', () => {
    const options: SimulationOptions = { scenario: 'gateway-rollout', placement: 'new-node', load: guide(95), seed: 5 };
    const first = simulate(glooGuideTopology(), options);
    const again = simulate(glooGuideTopology(), options);
    expect(again.failed).toBe(first.failed);
    expect(again.latency).toEqual(first.latency);
    expect(again.timeline.failures).toEqual(first.timeline.failures);
    const other = simulate(glooGuideTopology(), { ...options, seed: 6 });
    expect(other.timeline.failures).not.toEqual(first.timeline.failures);
  });

  test('counts every request hey would send: 4 workers × 10 req/s × 95 s', () => {
    const result = simulate(safeTopology(), { scenario: 'upstream-rollout', load: guide(95), seed: 1 });
    expect(result.requests).toBe(3800);
    expect(result.succeeded + result.failed).toBe(result.requests);
    expect(result.statusCodes).toEqual({ 200: 3800 });
    expect(result.latency.p50).toBeGreaterThan(0);
    expect(result.latency.p99).toBeLessThan(0.05);
  });

  test('an upstream with no preStop loses requests while the gateways still resolve it (upstream-propagation)', () => {
    const result = simulate(glooGuideTopology(), { scenario: 'upstream-rollout', load: guide(95), seed: 1 });
    expect(result.failed).toBeGreaterThan(0);
    // The pod's address is gone: Envoy waits on connect_timeout (5 s) and the client times out first.
    expect(result.errors['header-timeout']).toBeGreaterThan(0);
    expect(Object.keys(result.causes)).toContain('upstream-stale-host-no-retry');
  });

  test('without ignore_health_on_host_removal and retries, a removed pod that passes health checks still gets requests', () => {
    const safe = safeTopology();
    const keepsRemoved = withGateway(safe, (gateway) => ({
      ...gateway,
      envoy: { ...gateway.envoy!, clusters: [{ ...gateway.envoy!.clusters[0], ignoreHealthOnHostRemoval: false }], routes: [{ ...gateway.envoy!.routes[0], retryOn: [], numRetries: 0 }] },
    }));
    expect(simulate(keepsRemoved, { scenario: 'upstream-rollout', load: guide(170), seed: 1 }).errors['503']).toBeGreaterThan(0);
    expect(simulate(safe, { scenario: 'upstream-rollout', load: guide(170), seed: 1 }).failed).toBe(0);
  });

  test('a hostPort DaemonSet that exits before the load balancer notices gets refused connections', () => {
    const short = withGateway(safeTopology({ kind: 'DaemonSet' }), (gateway) => ({
      ...gateway,
      workload: { ...gateway.workload, minReadySeconds: 0, drain: { ...gateway.workload.drain, keepServingSeconds: 5, drainSeconds: 0 } },
    }));
    const result = simulate(short, { scenario: 'gateway-daemonset-rollout', load: guide(200), seed: 1 });
    expect(result.errors.refused).toBeGreaterThan(0);
    expect(Object.keys(result.causes)).toEqual(['host-port-not-bound']);
  });

  test('a DaemonSet with hostPort and maxSurge never finishes its rollout', () => {
    const surging = withGateway(safeTopology({ kind: 'DaemonSet' }), (gateway) => ({ ...gateway, workload: { ...gateway.workload, maxSurge: 1, maxUnavailable: 0 } }));
    const result = simulate(surging, { scenario: 'gateway-daemonset-rollout', load: guide(120), seed: 1 });
    expect(result.rolloutSeconds).toBeNull();
    expect(result.timeline.pods.filter((pod) => pod.revision === 'new').every((pod) => pod.startedAt === Infinity)).toBe(true);
  });

  test('IP targets whose pod stops before the deregistration lag ends lose connections (target-gone)', () => {
    const short = withGateway(safeTopology({ targetType: 'ip' }), (gateway) => ({
      ...gateway,
      workload: { ...gateway.workload, drain: { ...gateway.workload.drain, keepServingSeconds: 10, drainSeconds: 0 }, terminationGracePeriodSeconds: 15 },
    }));
    const result = simulate(short, { scenario: 'gateway-rollout', load: guide(200), seed: 1 });
    expect(result.causes['target-gone']).toBeGreaterThan(0);
    expect(result.errors['connect-timeout']).toBeGreaterThan(0);
  });

  test('idle keep-alive connections survive; a request in flight when the NLB resets an unhealthy target fails (keepalive)', () => {
    // Long requests only: each holds its connection for 3 s, so some are in flight when the target turns unhealthy.
    const resetting = withGateway(safeTopology(), (gateway) => ({
      ...gateway,
      workload: { ...gateway.workload, drain: { ...gateway.workload.drain, drainsConnections: false } },
      services: [{ ...gateway.services[0], loadBalancer: { ...gateway.services[0].loadBalancer!, unhealthyConnectionTermination: true, unhealthyDrainingIntervalSeconds: 0 } }],
    }));
    const load = { ...ENVOY_GATEWAY_LOAD, concurrency: 0, longRequests: 20, durationSeconds: 120 };
    const result = simulate(resetting, { scenario: 'gateway-rollout', load, seed: 1 });
    expect(result.causes['unhealthy-target-reset']).toBeGreaterThan(0);
    expect(result.errors.reset).toBeGreaterThan(0);
  });

  test('a grace period shorter than the long requests cuts them (grace-period)', () => {
    const cut = withGateway(safeTopology(), (gateway) => ({
      ...gateway,
      workload: { ...gateway.workload, terminationGracePeriodSeconds: 2, drain: { ...gateway.workload.drain, keepServingSeconds: 1, drainSeconds: 0, drainsConnections: false } },
    }));
    const load = { ...ENVOY_GATEWAY_LOAD, concurrency: 0, longRequests: 20, longDelaySeconds: 8, durationSeconds: 150 };
    const result = simulate(cut, { scenario: 'gateway-rollout', load, seed: 1 });
    expect(result.causes['request-outlived-drain']).toBeGreaterThan(0);
  });

  test('a node drain evicts within the PodDisruptionBudget and replaces the pods elsewhere', () => {
    const result = simulate(safeTopology(), { scenario: 'node-drain', load: guide(80), seed: 1 });
    const evicted = result.timeline.pods.filter((pod) => pod.deletedAt < Infinity);
    expect(evicted.map((pod) => pod.node)).toEqual(evicted.map(() => 0));
    expect(result.timeline.pods.filter((pod) => pod.createdAt > 0).every((pod) => pod.node !== 0)).toBe(true);
    expect(result.rolloutSeconds).not.toBeNull();
    expect(result.failed).toBe(0);
  });

  test('a Deployment rollout keeps maxSurge: never more than replicas + 1 gateway pods alive', () => {
    const result = simulate(safeTopology(), { scenario: 'gateway-rollout', load: guide(130), seed: 2 });
    const gateways = result.timeline.pods.filter((pod) => pod.role === 'gateway');
    for (let t = 0; t < 130; t += 0.5) {
      const notDeleted = gateways.filter((pod) => pod.createdAt <= t && pod.deletedAt > t).length;
      expect(notDeleted).toBeLessThanOrEqual(3);
      expect(gateways.filter((pod) => pod.readyAt <= t && pod.deletedAt > t).length).toBeGreaterThanOrEqual(t < 5 ? 2 : 1);
    }
    expect(gateways.filter((pod) => pod.revision === 'new')).toHaveLength(2);
  });

  test('rejects what Kubernetes would not run, naming the object', () => {
    const antiAffinity = safeTopology();
    expect(() => simulate(antiAffinity, { scenario: 'gateway-rollout', placement: 'same-node' })).toThrow(/placement same-node is impossible: Deployment\/edge\/gateway requires one pod per node/);
    expect(() => simulate(antiAffinity, { scenario: 'gateway-daemonset-rollout' })).toThrow('scenario gateway-daemonset-rollout needs a DaemonSet gateway, but Deployment/edge/gateway is a Deployment');
    expect(() => simulate({ gateways: [], upstreams: [] }, { scenario: 'gateway-rollout' })).toThrow(/no gateway/);
    expect(() => simulate({ ...antiAffinity, upstreams: [] }, { scenario: 'upstream-rollout' })).toThrow(/needs an upstream/);
    expect(() => simulate(antiAffinity, { scenario: 'gateway-rollout', load: { timeoutSeconds: 0 } })).toThrow("'timeoutSeconds' (0) must be a number of seconds > 0");
    expect(() => simulate(antiAffinity, { scenario: 'gateway-rollout', parameters: { podStartupSeconds: -1 } })).toThrow("simulation parameter 'podStartupSeconds' (-1) must be a finite number ≥ 0");
  });
});
