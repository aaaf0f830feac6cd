import { GatewayModel, Topology, WorkloadModel } from '../../lib/core/model';
import { simulate, simulateRuns, SimulationOptions } from '../../lib/simulate';
import { glooGuideTopology, GUIDE_LOAD, safeTopology } from './fixtures';

/**
 * Issue 11, item 5: each mechanism the checker reasons about, shown dropping requests in the
 * simulator where it should and not where it should not. Runs last until the rollout settles.
 */

function withGateway(topology: Topology, change: (gateway: GatewayModel) => GatewayModel): Topology {
  return { ...topology, gateways: topology.gateways.map(change) };
}

function gatewayWorkload(topology: Topology, change: Partial<WorkloadModel> | ((workload: WorkloadModel) => Partial<WorkloadModel>)): Topology {
  return withGateway(topology, (gateway) => ({ ...gateway, workload: { ...gateway.workload, ...(typeof change === 'function' ? change(gateway.workload) : change) } }));
}

function lb(topology: Topology, change: Partial<NonNullable<GatewayModel['services'][number]['loadBalancer']>>, service: Partial<GatewayModel['services'][number]> = {}): Topology {
  return withGateway(topology, (gateway) => ({
    ...gateway,
    services: gateway.services.map((each) => (each.loadBalancer ? { ...each, ...service, loadBalancer: { ...each.loadBalancer, ...change } } : each)),
  }));
}

/** Failed requests over `seeds` runs, and the causes seen. */
function failures(topology: Topology, options: SimulationOptions, seeds = 5): { failed: number; causes: string[] } {
  const summary = simulateRuns(topology, options, seeds);
  return { failed: summary.failed.mean * seeds, causes: Object.keys(summary.causes) };
}

const guideLoad = { ...GUIDE_LOAD };

describe('a DaemonSet gateway and the cluster size', () => {
  test('a DaemonSet gateway runs one pod on every node, 3 nodes unless told otherwise', () => {
    const result = simulate(safeTopology({ kind: 'DaemonSet', replicas: 1 }), { scenario: 'gateway-daemonset-rollout', load: guideLoad });
    const old = result.timeline.pods.filter((pod) => pod.role === 'gateway' && pod.revision === 'old');
    expect(result.nodes).toBe(3);
    expect(old.map((pod) => pod.node).sort()).toEqual([0, 1, 2]);
    const five = simulate(safeTopology({ kind: 'DaemonSet' }), { scenario: 'gateway-daemonset-rollout', load: guideLoad, parameters: { clusterNodes: 5 } });
    expect(five.timeline.pods.filter((pod) => pod.role === 'gateway' && pod.revision === 'new').map((pod) => pod.node).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(five.rolloutSeconds).not.toBeNull();
    expect(five.failed).toBe(0);
  });

  test('a Deployment gets twice its replicas and one in nodes, so a rollout that outruns the load balancer fails open onto a node without a gateway', () => {
    // Recovery (5 × 10 s) longer than detection (2 × 10 s + 6 s): with minReadySeconds 0 the old targets go unhealthy before the new ones are healthy.
    const slowRecovery = safeTopology({ healthCheck: { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 5, unhealthyThreshold: 2 } });
    const hasty = gatewayWorkload(slowRecovery, { minReadySeconds: 0 });
    expect(simulate(hasty, { scenario: 'gateway-rollout', load: guideLoad }).nodes).toBe(5);
    const result = failures(hasty, { scenario: 'gateway-rollout', load: guideLoad });
    expect(result.failed).toBeGreaterThan(0);
    expect(result.causes).toContain('load-balancer-fail-open');
    expect(failures(slowRecovery, { scenario: 'gateway-rollout', load: guideLoad }).failed).toBe(0);
  });
});

describe("the load balancer's health check path and port", () => {
  const envoyPath = (topology: Topology): Topology => withGateway(topology, (gateway) => ({ ...gateway, envoy: { ...gateway.envoy!, healthCheckPath: '/envoy-hc' } }));

  test('an HTTP check on / never sees /healthcheck/fail: connections land on a pod that stopped accepting', () => {
    const blind = lb(envoyPath(safeTopology()), { healthCheckPort: 'traffic-port', healthCheckProtocol: 'HTTP', healthCheckPath: '/' });
    const result = failures(blind, { scenario: 'gateway-rollout', load: guideLoad });
    expect(result.failed).toBeGreaterThan(0);
    expect(result.causes).toContain('node-without-endpoint');
    const seeing = lb(envoyPath(safeTopology()), { healthCheckPort: 'traffic-port', healthCheckProtocol: 'HTTP', healthCheckPath: '/envoy-hc' });
    expect(failures(seeing, { scenario: 'gateway-rollout', load: guideLoad }).failed).toBe(0);
  });

  test('a TCP check on the traffic port never sees the drain either', () => {
    const tcp = lb(safeTopology(), { healthCheckPort: 'traffic-port', healthCheckProtocol: 'TCP', healthCheckPath: undefined });
    expect(failures(tcp, { scenario: 'gateway-rollout', load: guideLoad }).failed).toBeGreaterThan(0);
  });

  test("kube-proxy's healthCheckNodePort turns the node unhealthy at t0, without /healthcheck/fail", () => {
    const sleepOnly = gatewayWorkload(safeTopology(), (workload) => ({ drain: { ...workload.drain, mechanism: 'sleep', failsHealthCheck: false, drainsConnections: false } }));
    expect(failures(sleepOnly, { scenario: 'gateway-rollout', load: guideLoad }).failed).toBe(0);
    // The same gateway checked on the traffic port: nothing tells the load balancer it is going.
    const onTrafficPort = lb(sleepOnly, { healthCheckPort: 'traffic-port', healthCheckProtocol: 'HTTP' });
    expect(failures(onTrafficPort, { scenario: 'gateway-rollout', load: guideLoad }).failed).toBeGreaterThan(0);
  });
});

describe('kube-proxy (KEP-1669)', () => {
  const brief = (topology: Topology, keepServingSeconds: number): Topology => gatewayWorkload(topology, (workload) => ({
    minReadySeconds: 0, drain: { ...workload.drain, keepServingSeconds, drainSeconds: 0 },
  }));

  test('externalTrafficPolicy Cluster: new connections leave a terminating gateway about 1 s after t0 once ready ones exist', () => {
    const cluster = (keepServing: number): Topology => lb(brief(safeTopology(), keepServing), { healthCheckPort: 'traffic-port', healthCheckProtocol: 'TCP' }, { externalTrafficPolicy: 'Cluster' });
    expect(failures(cluster(3), { scenario: 'gateway-rollout', load: guideLoad }).failed).toBe(0);
    const none = failures(cluster(0), { scenario: 'gateway-rollout', load: guideLoad }, 10);
    expect(none.failed).toBeGreaterThan(0);
  });

  test("eTP Local with two gateway pods on one node: the node's other ready pod takes the new connections", () => {
    const shared = gatewayWorkload(brief(safeTopology(), 2), { onePodPerNode: false, spreadTopologyKeys: [] });
    expect(failures(shared, { scenario: 'gateway-rollout', load: guideLoad, parameters: { clusterNodes: 1 } }).failed).toBe(0);
    // Spread over their own nodes, the same short drain drops: the load balancer still sends to the node.
    expect(failures(shared, { scenario: 'gateway-rollout', load: guideLoad }).failed).toBeGreaterThan(0);
  });

  test('a readiness probe that fails while draining drops requests only if it fails before the detection window ends', () => {
    const probing = (periodSeconds: number): Topology => gatewayWorkload(safeTopology(), (workload) => ({
      readiness: { ...workload.readiness!, kind: 'http', path: '/ready', periodSeconds, failureThreshold: 3, failsWhileDraining: true },
    }));
    // Fails 2–3 s after t0, long before the NLB's 26 s: kube-proxy has no serving endpoint on the node.
    const early = failures(probing(1), { scenario: 'gateway-rollout', load: guideLoad });
    expect(early.failed).toBeGreaterThan(0);
    expect(early.causes).toEqual(['node-without-endpoint']);
    // Fails 30–45 s after t0: the NLB stopped sending long before.
    expect(failures(probing(15), { scenario: 'gateway-rollout', load: guideLoad }).failed).toBe(0);
  });
});

/** Keep-alive clients with long requests: connections stay open through a drain unless something closes them. */
const longKeepAlive = { ...guideLoad, keepAlive: true, longRequests: 20, longDelaySeconds: 8, longTimeoutSeconds: 20 };

/** The gateway's preStop only sleeps (as long as the safe one serves and drains): nothing closes keep-alive connections. */
function keepsConnections(topology: Topology): Topology {
  return gatewayWorkload(topology, (workload) => ({
    drain: { ...workload.drain, mechanism: 'sleep', failsHealthCheck: false, drainsConnections: false, keepServingSeconds: workload.drain.keepServingSeconds + workload.drain.drainSeconds, drainSeconds: 0 },
  }));
}

describe('IP targets', () => {
  test('a gateway that stops before the deregistration lag ends gets connections for a gone target', () => {
    const lagging = lb(safeTopology({ targetType: 'ip' }), { deregistrationLagSeconds: 120 });
    const result = failures(lagging, { scenario: 'gateway-rollout', load: guideLoad }, 3);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.causes).toContain('target-gone');
    expect(failures(safeTopology({ targetType: 'ip' }), { scenario: 'gateway-rollout', load: guideLoad }, 3).failed).toBe(0);
  });

  test('deregistration delay with connection termination cuts requests still running on the drained target', () => {
    const cutting = (delay: number): Topology => lb(keepsConnections(safeTopology({ targetType: 'ip' })), { deregistrationConnectionTermination: true, deregistrationDelaySeconds: delay });
    expect(failures(cutting(30), { scenario: 'gateway-rollout', load: longKeepAlive }, 3).causes).toContain('deregistration-delay-cut');
    expect(failures(cutting(300), { scenario: 'gateway-rollout', load: longKeepAlive }, 3).causes).not.toContain('deregistration-delay-cut');
  });
});

describe('unhealthy-target connection termination', () => {
  test('on (the AWS default), requests in flight on connections to a target turned unhealthy are reset', () => {
    const terminating = lb(keepsConnections(safeTopology()), { unhealthyConnectionTermination: true });
    const result = failures(terminating, { scenario: 'gateway-rollout', load: longKeepAlive }, 3);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.causes).toContain('unhealthy-target-reset');
    // Off, with a draining interval longer than the pod lives: no reset from the load balancer.
    const draining = lb(keepsConnections(safeTopology()), { unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 3600 });
    expect(failures(draining, { scenario: 'gateway-rollout', load: longKeepAlive }, 3).causes).not.toContain('unhealthy-target-reset');
  });

  test('its draining interval: connections still open when it ends are reset', () => {
    const short = lb(keepsConnections(safeTopology()), { unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 5 });
    expect(failures(short, { scenario: 'gateway-rollout', load: longKeepAlive }, 3).causes).toContain('unhealthy-target-reset');
  });
});

describe('Envoy', () => {
  // Three upstream pods without preStop, replaced one at a time slower than DNS forgets them: a retry on another host finds a live one.
  const upstreamNoPreStop = (retryOn: string[], connectTimeoutSeconds?: number): Topology => {
    const topology = glooGuideTopology({ route: { retryOn, numRetries: 2, previousHosts: true, hostSelectionRetryMaxAttempts: 3 }, upstream: { replicas: 3, minReadySeconds: 40 } });
    return withGateway(topology, (gateway) => ({
      ...gateway,
      envoy: { ...gateway.envoy!, clusters: gateway.envoy!.clusters.map((cluster) => ({ ...cluster, ...(connectTimeoutSeconds !== undefined ? { connectTimeoutSeconds } : {}) })) },
    }));
  };

  test("the cluster's connect_timeout from the manifest decides whether a retry beats the client's timeout", () => {
    // 5 s (Envoy's default): the client's 1 s timeout ends the request before Envoy gives up on the gone pod.
    const slow = simulateRuns(upstreamNoPreStop(['connect-failure', 'reset'], 5), { scenario: 'upstream-rollout', load: guideLoad }, 3);
    expect(slow.errors['header-timeout']).toBeGreaterThan(0);
    const fast = simulateRuns(upstreamNoPreStop(['connect-failure', 'reset'], 0.1), { scenario: 'upstream-rollout', load: guideLoad }, 3);
    expect(fast.failed.max).toBe(0);
  });

  test('retry_on reset alone retries connect failures too; refused-stream alone retries nothing on HTTP/1', () => {
    const reset = failures(upstreamNoPreStop(['reset'], 0.1), { scenario: 'upstream-rollout', load: guideLoad }, 3);
    const connect = failures(upstreamNoPreStop(['connect-failure', 'reset'], 0.1), { scenario: 'upstream-rollout', load: guideLoad }, 3);
    const refused = failures(upstreamNoPreStop(['refused-stream'], 0.1), { scenario: 'upstream-rollout', load: guideLoad }, 3);
    expect(reset.failed).toBe(connect.failed);
    expect(refused.failed).toBeGreaterThan(reset.failed);
    expect(refused.causes).toContain('upstream-stale-host-no-retry');
  });

  test('a preStop that only sleeps never closes keep-alive connections: Envoy exits on SIGTERM under the requests still on them', () => {
    // The load balancer leaves the connections alone (draining interval longer than the pod lives): only Envoy's exit cuts them.
    const sleepOnly = lb(keepsConnections(safeTopology()), { unhealthyDrainingIntervalSeconds: 3600 });
    const result = failures(sleepOnly, { scenario: 'gateway-rollout', load: longKeepAlive }, 3);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.causes).toContain('keepalive-not-drained');
    expect(failures(lb(safeTopology(), { unhealthyDrainingIntervalSeconds: 3600 }), { scenario: 'gateway-rollout', load: longKeepAlive }, 3).failed).toBe(0);
  });
});

describe('clients and the length of a run', () => {
  test('clients that retry through the load balancer turn most failures into successes, and the retries are counted', () => {
    const plain = simulate(glooGuideTopology(), { scenario: 'gateway-rollout', load: guideLoad, seed: 2 });
    const retrying = simulate(glooGuideTopology(), { scenario: 'gateway-rollout', load: { ...guideLoad, clientRetries: 3 }, seed: 2 });
    expect(plain.failed).toBeGreaterThan(0);
    expect(retrying.clientRetries).toBeGreaterThan(0);
    expect(retrying.failed).toBeLessThan(plain.failed);
    expect(retrying.requests).toBe(retrying.succeeded + retrying.failed);
  });

  test('without a duration the run lasts until the rollout has finished and settled', () => {
    const result = simulate(safeTopology(), { scenario: 'upstream-rollout', load: guideLoad });
    expect(result.rolloutSeconds).not.toBeNull();
    expect(result.durationSeconds).toBeGreaterThan(result.timeline.rolloutStartSeconds + result.rolloutSeconds!);
    expect(result.requests).toBeCloseTo(result.durationSeconds * 40, -1);
  });

  test('a run shorter than the rollout says the rollout did not finish', () => {
    const result = simulate(safeTopology(), { scenario: 'upstream-rollout', load: { ...guideLoad, durationSeconds: 20 } });
    expect(result.rolloutSeconds).toBeNull();
    expect(result.durationSeconds).toBe(20);
  });

  test('a duration of 0 s is refused', () => {
    expect(() => simulate(safeTopology(), { scenario: 'upstream-rollout', load: { ...guideLoad, durationSeconds: 0 } })).toThrow(/'durationSeconds' \(0\) must be a number of seconds > 0/);
  });
});

describe('rollout time', () => {
  test('each scenario reports the least time the chain allows, and the safe settings come close to it', () => {
    for (const scenario of ['gateway-rollout', 'upstream-rollout', 'node-drain'] as const) {
      const result = simulate(safeTopology(), { scenario, load: guideLoad });
      expect(result.leastRolloutSeconds).toBeGreaterThan(0);
      expect(result.rolloutSeconds!).toBeGreaterThan(result.leastRolloutSeconds * 0.8);
    }
  });

  test('an upstream minReadySeconds the chain does not need shows as rollout time above the least', () => {
    const withMinReady = (minReadySeconds: number) => ({ ...safeTopology(), upstreams: safeTopology().upstreams.map((upstream) => ({ ...upstream, workload: { ...upstream.workload, minReadySeconds } })) });
    // 46 s: what the solver demanded before it saw that old pods serving past the discovery delay make it needless.
    const patient = simulate(withMinReady(46), { scenario: 'upstream-rollout', load: guideLoad });
    const quick = simulate(safeTopology(), { scenario: 'upstream-rollout', load: guideLoad });
    expect(safeTopology().upstreams[0].workload.minReadySeconds).toBe(0);
    expect(quick.leastRolloutSeconds).toBe(patient.leastRolloutSeconds);
    expect(quick.rolloutSeconds!).toBeLessThan(patient.rolloutSeconds!);
    expect(quick.rolloutSeconds!).toBeLessThan(quick.leastRolloutSeconds * 1.3);
    expect(quick.failed).toBe(0);
  });
});
