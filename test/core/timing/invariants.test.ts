import {
  checkCapacity,
  checkDeregistrationDelay,
  checkGateway,
  checkGracePeriod,
  checkHealthCheckTarget,
  checkHasDrain,
  checkKeepAlive,
  checkLoadBalancerDetection,
  checkRetries,
  checkSecurity,
  checkTopology,
  checkTrafficPolicy,
  checkUpstream,
  checkUpstreamPropagation,
} from '../../../lib/core/timing/invariants';
import { defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { cluster, drain, gateway, lbService, loadBalancer, route, upstream, workload } from '../../support/models';

const rules = (findings: { rule: string }[]) => findings.map((finding) => finding.rule);

describe('the safe baseline', () => {
  test('has no findings at all', () => {
    expect(checkTopology({ gateways: [gateway()], upstreams: [upstream()] })).toEqual([]);
  });
});

describe('lb-detection', () => {
  test('fails when the gateway stops serving before the load balancer notices (Gloo guide: 5s against 26s)', () => {
    const findings = checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 5 }) }), loadBalancer());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'gateway-stops-before-lb-detection', category: 'lb-detection', severity: 'error' });
    expect(findings[0].message).toContain('5s');
    expect(findings[0].message).toContain('26s');
    expect(findings[0].fix).toContain('at least 31s');
  });

  test('passes at exactly the window plus margin', () => {
    expect(checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 31 }) }), loadBalancer())).toEqual([]);
    expect(rules(checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 30.9 }) }), loadBalancer()))).toEqual(['gateway-stops-before-lb-detection']);
  });

  test('fails when the readiness probe fails while draining', () => {
    const findings = checkLoadBalancerDetection(workload({ readiness: { ...workload().readiness!, failsWhileDraining: true } }), loadBalancer());
    expect(rules(findings)).toEqual(['readiness-fails-while-draining']);
  });

  test('warns when the drain does not fail the health check, though healthCheckNodePort notices the pod going', () => {
    expect(rules(checkLoadBalancerDetection(workload({ drain: drain({ failsHealthCheck: false, mechanism: 'sleep' }) }), loadBalancer()))).toEqual(['gateway-does-not-fail-health-check']);
  });

  test('fails when the load balancer checks the gateway itself and the drain does not fail the check', () => {
    const onTrafficPort = loadBalancer({ healthCheckPort: 'traffic-port', healthCheckPath: '/envoy-hc' });
    const sleeping = gateway({ workload: workload({ drain: drain({ failsHealthCheck: false, mechanism: 'sleep' }) }) });
    expect(checkHealthCheckTarget(sleeping, onTrafficPort)[0]).toMatchObject({ rule: 'gateway-does-not-fail-health-check', severity: 'error' });
    expect(checkHealthCheckTarget(gateway(), onTrafficPort)).toEqual([]);
  });

  test('fails when the load balancer health check cannot see the drain: TCP, or another path', () => {
    expect(rules(checkHealthCheckTarget(gateway(), loadBalancer({ healthCheckProtocol: 'TCP', healthCheckPort: 'traffic-port', healthCheckPath: undefined })))).toEqual(['lb-health-check-blind-to-drain']);
    expect(rules(checkHealthCheckTarget(gateway(), loadBalancer({ healthCheckPort: 'traffic-port', healthCheckPath: '/orders' })))).toEqual(['lb-health-check-path-not-drained']);
    expect(checkHealthCheckTarget(gateway(), loadBalancer({ healthCheckProtocol: 'TCP' }))).toEqual([]);
  });

  test('IP targets need the deregistration lag', () => {
    const ip = loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 300 });
    const findings = checkLoadBalancerDetection(workload(), ip);
    expect(findings[0].message).toContain('300s');
    expect(findings[0].fix).toContain('305s');
  });
});

describe('keepalive', () => {
  test('fails when the load balancer resets connections nobody closed', () => {
    const findings = checkKeepAlive(workload({ drain: drain({ drainsConnections: false }) }), loadBalancer({ unhealthyConnectionTermination: true }));
    expect(findings[0]).toMatchObject({ rule: 'unhealthy-target-connections-reset', severity: 'error' });
  });

  test('warns for idle keep-alive connections even when Envoy drain-closes the busy ones', () => {
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyConnectionTermination: true }))[0].severity).toBe('warning');
  });

  test('sizes the draining interval from the drain the gateway must have, not a too-short one it has', () => {
    // keeps serving 5 s (too short): the fix is sized for 31 s + 15 s drain − 26 s = 20 s.
    const findings = checkKeepAlive(workload({ drain: drain({ keepServingSeconds: 5 }) }), loadBalancer({ unhealthyDrainingIntervalSeconds: 0 }));
    expect(findings[0].fix).toContain('at least 20');
  });

  test('fails when an IP target is deregistered and cut before its drain ends, and passes at the bound', () => {
    const ip = loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 300, deregistrationConnectionTermination: true, deregistrationDelaySeconds: 319 });
    const gw = workload({ drain: drain({ keepServingSeconds: 305, drainSeconds: 15 }) });
    expect(checkDeregistrationDelay(gw, ip)[0]).toMatchObject({ rule: 'deregistration-cuts-drain', severity: 'error' });
    expect(checkDeregistrationDelay(gw, { ...ip, deregistrationDelaySeconds: 320 })).toEqual([]);
    expect(checkDeregistrationDelay(gw, { ...ip, targetType: 'instance' })).toEqual([]);
  });

  test('the draining interval must cover what is left of the drain after the target turns unhealthy', () => {
    // preStop 31 + 15 = 46s; unhealthy at 26s; 20s still open.
    expect(rules(checkKeepAlive(workload(), loadBalancer({ unhealthyDrainingIntervalSeconds: 19 })))).toEqual(['unhealthy-draining-interval-shorter-than-drain']);
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyDrainingIntervalSeconds: 20 }))).toEqual([]);
  });
});

describe('grace-period', () => {
  test('fails when the pod is killed before its preStop and app drain end (Gloo guide: 7s)', () => {
    const findings = checkGracePeriod(workload({ terminationGracePeriodSeconds: 7, drain: drain({ keepServingSeconds: 5, drainSeconds: 0 }) }));
    expect(findings[0].rule).toBe('grace-period-shorter-than-drain');
    expect(findings[0].fix).toContain('from 7 to at least 10');
  });

  test('passes at the bound', () => {
    expect(checkGracePeriod(workload({ terminationGracePeriodSeconds: 51 }))).toEqual([]);
    expect(checkGracePeriod(workload({ terminationGracePeriodSeconds: 50 }))).toHaveLength(1);
  });
});

describe('upstream-propagation', () => {
  test('fails when the upstream stops before the slowest gateway forgets it', () => {
    const findings = checkUpstreamPropagation(upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 10, drainSeconds: 0 }) }).workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster() }]);
    expect(findings[0].rule).toBe('upstream-stops-before-gateways-forget-it');
    expect(findings[0].message).toContain('36s');
    expect(findings[0].fix).toContain('at least 41s');
  });

  test('fails when a health-checked cluster keeps removed hosts', () => {
    const findings = checkUpstreamPropagation(upstream().workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster({ ignoreHealthOnHostRemoval: false }) }]);
    expect(rules(findings)).toEqual(['health-checked-host-kept-after-removal']);
  });

  test('static clusters never forget a pod', () => {
    const findings = checkUpstreamPropagation(upstream().workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster({ discovery: { ...defaultDnsDiscovery(), kind: 'static' } }) }]);
    expect(findings[0].fix).toContain('STRICT_DNS');
  });

  test('checkTopology hands each upstream only the gateways in front of it', () => {
    const slow = upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 40, drainSeconds: 0 }) });
    const elsewhere = gateway({ envoy: { object: 'ConfigMap/other/gw', adminAddress: '127.0.0.1', clusters: [cluster({ service: 'Service/other/x-headless' })], routes: [] } });
    const findings = checkTopology({ gateways: [elsewhere, gateway()], upstreams: [slow] }).filter((finding) => finding.rule === 'upstream-stops-before-gateways-forget-it');
    expect(findings.map((finding) => finding.objects)).toEqual([['Deployment/shop/orders', 'ConfigMap/edge/gateway-envoy']]);
  });

  test('checkUpstream finds the clusters in front through the headless Service', () => {
    const slow = upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 40, drainSeconds: 0 }) });
    expect(rules(checkUpstream(slow, [gateway()]))).toContain('upstream-stops-before-gateways-forget-it');
    expect(checkUpstream(slow, [])).toEqual([]);
  });
});

describe('retries', () => {
  test('fails when a route does not retry resets', () => {
    const findings = checkRetries('ConfigMap/edge/gw', route({ retryOn: ['connect-failure'] }));
    expect(findings[0].message).toContain('refused-stream, reset');
  });

  test('fails when a route never retries', () => {
    expect(checkRetries('gw', route({ numRetries: 0 }))[0].message).toContain('never retries');
  });

  test('accepts reset-before-request in place of reset, and 5xx in place of connect-failure and reset', () => {
    expect(checkRetries('gw', route({ retryOn: ['connect-failure', 'refused-stream', 'reset-before-request'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['5xx', 'refused-stream'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['5xx'] }))[0].message).toContain('refused-stream');
  });

  test('warns when a retry may go to the same host', () => {
    expect(checkRetries('gw', route({ previousHosts: false }))[0]).toMatchObject({ rule: 'retry-may-pick-same-host', severity: 'warning' });
  });
});

describe('capacity', () => {
  test('fails on one replica, a rollout that removes first, and minReady shorter than the LB recovery', () => {
    const findings = checkCapacity(workload({ replicas: 1, maxSurge: 0, maxUnavailable: 1, minReadySeconds: 0 }), loadBalancer());
    // One replica under a budget of maxUnavailable 1: the budget protects nothing either.
    expect(rules(findings)).toEqual(['single-replica', 'rollout-removes-before-adding', 'disruption-budget-allows-all', 'rollout-outruns-discovery']);
    expect(findings[3].fix).toContain('at least 25');
  });

  test('passes minReady at the bound', () => {
    expect(checkCapacity(workload({ minReadySeconds: 25 }), loadBalancer())).toEqual([]);
  });

  test('warns when the disruption budget lets every pod go, and passes one that keeps one', () => {
    const pdb = (budget: { maxUnavailable?: number | string; minAvailable?: number | string }) => workload({ replicas: 3, disruptionBudget: { object: 'PodDisruptionBudget/edge/gateway', ...budget } });
    expect(rules(checkCapacity(pdb({ maxUnavailable: '100%' })))).toEqual(['disruption-budget-allows-all']);
    expect(rules(checkCapacity(pdb({ minAvailable: 0 })))).toEqual(['disruption-budget-allows-all']);
    expect(rules(checkCapacity(pdb({ maxUnavailable: 3 })))).toEqual(['disruption-budget-allows-all']);
    expect(checkCapacity(pdb({ maxUnavailable: 2 }))).toEqual([]);
    expect(checkCapacity(pdb({ minAvailable: '34%' }))).toEqual([]);
  });

  test('fails when a DaemonSet rolls more than one node at a time, and passes one', () => {
    expect(rules(checkCapacity(workload({ kind: 'DaemonSet', maxSurge: 0, maxUnavailable: 10 })))).toEqual(['daemonset-rolls-several-nodes']);
    expect(checkCapacity(workload({ kind: 'DaemonSet', maxSurge: 0, maxUnavailable: 1 }))).toEqual([]);
  });

  test('warns when pods are not spread or have no PDB', () => {
    expect(rules(checkCapacity(workload({ onePodPerNode: false, spreadTopologyKeys: [], disruptionBudget: undefined })))).toEqual(['not-spread-across-nodes', 'no-disruption-budget']);
  });
});

describe('traffic-policy', () => {
  test('fails on surge with hostPort', () => {
    expect(rules(checkTrafficPolicy(workload({ kind: 'DaemonSet', hostPorts: [80], maxSurge: 1, maxUnavailable: 0 }), lbService()))).toEqual(['surge-with-host-port']);
  });

  test('fails on externalTrafficPolicy Cluster with instance targets', () => {
    expect(rules(checkTrafficPolicy(workload(), lbService({ externalTrafficPolicy: 'Cluster' })))).toEqual(['cluster-traffic-policy']);
  });

  test('warns when two gateways may share a node', () => {
    expect(rules(checkTrafficPolicy(workload({ onePodPerNode: false }), lbService()))).toEqual(['several-gateways-per-node']);
  });
});

describe('security and drain', () => {
  test('fails when admin listens beyond loopback', () => {
    expect(rules(checkSecurity(workload(), { object: 'ConfigMap/edge/gw', adminAddress: '0.0.0.0', clusters: [], routes: [] }))).toEqual(['admin-not-on-loopback']);
  });

  test('warns on root and host network', () => {
    expect(rules(checkSecurity(workload({ runsAsNonRoot: undefined, hostNetwork: true })))).toEqual(['runs-as-root', 'host-network']);
  });

  test('reports a missing preStop, an unknown one, and a missing readiness probe', () => {
    expect(rules(checkHasDrain(workload({ drain: drain({ mechanism: 'none' }) })))).toEqual(['no-prestop']);
    expect(checkHasDrain(workload({ drain: drain({ mechanism: 'unknown' }) }))[0].category).toBe('unknown');
    expect(rules(checkHasDrain(workload({ readiness: undefined })))).toEqual(['no-readiness-probe']);
  });

  test('checkGateway runs every gateway invariant', () => {
    const naive = gateway({ workload: workload({ drain: drain({ mechanism: 'none', keepServingSeconds: 0, drainSeconds: 0, failsHealthCheck: false, drainsConnections: false }), terminationGracePeriodSeconds: 30 }) });
    const categories = new Set(checkGateway(naive).map((finding) => finding.category));
    expect([...categories].sort()).toEqual(['lb-detection', 'no-drain']);
  });
});
