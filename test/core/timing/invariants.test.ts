import {
  checkCapacity,
  checkDeregistrationDelay,
  checkGateway,
  checkGracePeriod,
  checkHealthCheckTarget,
  checkHasDrain,
  checkKeepAlive,
  checkKeepAliveCutOnExit,
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
  test('fails when the gateway stops serving before the load balancer notices (Gloo guide: 5s against 22s)', () => {
    const findings = checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 5 }) }), loadBalancer());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'gateway-stops-before-lb-detection', category: 'lb-detection', severity: 'error' });
    expect(findings[0].message).toContain('5s');
    // kube-proxy learns (1 s), then 2 checks answered with 503, each 10 s + 0.5 s jitter: 22 s; the timeout is not waited for.
    expect(findings[0].message).toContain('22s');
    expect(findings[0].fix).toContain('at least 31s (22s + 4s health-check timeout + 5s margin)');
  });

  test('passes at D_lb plus margin, warns from the answered window (timeout and margin are defence in depth), fails below it', () => {
    expect(checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 31 }) }), loadBalancer())).toEqual([]);
    const withinMargin = checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 30.9 }) }), loadBalancer());
    expect(withinMargin).toMatchObject([{ rule: 'gateway-keep-serving-within-margin', severity: 'warning' }]);
    expect(withinMargin[0].message).toContain('aws/containers-roadmap#470');
    expect(checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 22 }) }), loadBalancer())[0].severity).toBe('warning');
    expect(checkLoadBalancerDetection(workload({ drain: drain({ keepServingSeconds: 21.9 }) }), loadBalancer())).toMatchObject([{ rule: 'gateway-stops-before-lb-detection', severity: 'error', mechanism: 'lb-sends-to-exited-gateway' }]);
  });

  test('with eTP Cluster, asks only for kube-proxy propagation (1 s), not the detection window (KEP-1669)', () => {
    const gw = (keepServingSeconds: number) => workload({ drain: drain({ keepServingSeconds }) });
    expect(checkLoadBalancerDetection(gw(6), loadBalancer(), 5, 'Cluster')).toEqual([]);
    expect(rules(checkLoadBalancerDetection(gw(1), loadBalancer(), 5, 'Cluster'))).toEqual(['gateway-keep-serving-within-margin']);
    expect(checkLoadBalancerDetection(gw(0.5), loadBalancer(), 5, 'Cluster')[0]).toMatchObject({ rule: 'gateway-stops-before-lb-detection', mechanism: 'lb-sends-to-exited-gateway' });
    // IP targets reach the pod directly: eTP does not apply.
    expect(rules(checkLoadBalancerDetection(gw(6), loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 120 }), 5, 'Cluster'))).toEqual(['gateway-stops-before-lb-detection']);
  });

  test('fails when the readiness probe fails while draining before the load balancer stops sending', () => {
    // (3 − 1) × 2 s + 1 s propagation = 5 s, against 26 s.
    const findings = checkLoadBalancerDetection(workload({ readiness: { ...workload().readiness!, failsWhileDraining: true } }), loadBalancer());
    expect(findings).toMatchObject([{ rule: 'readiness-fails-while-draining', severity: 'error', mechanism: 'readiness-fails-before-lb-detection' }]);
  });

  test('passes a readiness probe that fails while draining only after the detection window (period × failureThreshold)', () => {
    const probe = (periodSeconds: number, failureThreshold: number) => workload({ readiness: { ...workload().readiness!, periodSeconds, failureThreshold, failsWhileDraining: true } });
    // (4 − 1) × 10 s + 1 s = 31 s: after the 22 s window + 5 s margin.
    expect(checkLoadBalancerDetection(probe(10, 4), loadBalancer())).toEqual([]);
    // (3 − 1) × 12 s + 1 s = 25 s: after 22 s, within the margin.
    expect(checkLoadBalancerDetection(probe(12, 3), loadBalancer())).toMatchObject([{ rule: 'readiness-fails-within-margin', severity: 'warning' }]);
    // (3 − 1) × 10 s + 1 s = 21 s: before 22 s.
    expect(rules(checkLoadBalancerDetection(probe(10, 3), loadBalancer()))).toEqual(['readiness-fails-while-draining']);
  });

  test('ignores readiness that fails while draining where kube-proxy is not in the way (IP targets, eTP Cluster)', () => {
    const failing = workload({ readiness: { ...workload().readiness!, failsWhileDraining: true }, drain: drain({ keepServingSeconds: 125 }) });
    expect(checkLoadBalancerDetection(failing, loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 120 }))).toEqual([]);
    expect(checkLoadBalancerDetection(failing, loadBalancer(), 5, 'Cluster')).toEqual([]);
  });

  test('a sleep-only drain is seen at t0 by a health check on healthCheckNodePort: no finding', () => {
    expect(checkLoadBalancerDetection(workload({ drain: drain({ failsHealthCheck: false, mechanism: 'sleep' }) }), loadBalancer())).toEqual([]);
    expect(checkHealthCheckTarget(gateway({ workload: workload({ drain: drain({ failsHealthCheck: false, mechanism: 'sleep' }) }) }), loadBalancer())).toEqual([]);
  });

  test('fails when the load balancer checks the gateway itself and the drain does not fail the check', () => {
    const onTrafficPort = loadBalancer({ healthCheckPort: 'traffic-port', healthCheckPath: '/envoy-hc' });
    const sleeping = gateway({ workload: workload({ drain: drain({ failsHealthCheck: false, mechanism: 'sleep' }) }) });
    expect(checkHealthCheckTarget(sleeping, onTrafficPort)[0]).toMatchObject({ rule: 'gateway-does-not-fail-health-check', severity: 'error', mechanism: 'lb-health-check-blind-to-drain' });
    expect(checkHealthCheckTarget(sleeping, onTrafficPort, 'Cluster')).toEqual([]);
    expect(checkHealthCheckTarget(gateway(), onTrafficPort)).toEqual([]);
  });

  test('fails when the load balancer health check cannot see the drain: TCP, or another path', () => {
    expect(rules(checkHealthCheckTarget(gateway(), loadBalancer({ healthCheckProtocol: 'TCP', healthCheckPort: 'traffic-port', healthCheckPath: undefined })))).toEqual(['lb-health-check-blind-to-drain']);
    expect(rules(checkHealthCheckTarget(gateway(), loadBalancer({ healthCheckPort: 'traffic-port', healthCheckPath: '/orders' })))).toEqual(['lb-health-check-path-not-drained']);
    expect(checkHealthCheckTarget(gateway(), loadBalancer({ healthCheckProtocol: 'TCP' }))).toEqual([]);
  });

  test('fails when the load balancer checks a path and the bootstrap has no health check filter', () => {
    const onPath = loadBalancer({ healthCheckPort: 'traffic-port', healthCheckPath: '/envoy-hc' });
    const noFilter = gateway({ envoy: { object: 'ConfigMap/edge/gw', healthCheckFilter: false, clusters: [], routes: [] } });
    expect(checkHealthCheckTarget(noFilter, onPath)[0]).toMatchObject({ rule: 'no-health-check-filter', severity: 'error', mechanism: 'lb-health-check-blind-to-drain' });
    expect(checkHealthCheckTarget(gateway({ envoy: { object: 'ConfigMap/edge/gw', healthCheckFilter: true, healthCheckPath: '/envoy-hc', clusters: [], routes: [] } }), onPath)).toEqual([]);
    // kube-proxy's healthCheckNodePort turns 503 on its own: the filter is not needed there.
    expect(checkHealthCheckTarget(noFilter, loadBalancer())).toEqual([]);
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

  test('fails on unhealthy-target connection termination even when Envoy drain-closes connections: requests in flight at the mark are reset', () => {
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyConnectionTermination: true }))).toMatchObject([{ rule: 'unhealthy-target-connections-reset', severity: 'error', mechanism: 'keepalive-reset-by-lb' }]);
  });

  test('has nothing to reset with eTP Cluster: the node never turns unhealthy for one pod', () => {
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyConnectionTermination: true }), 5, 'Cluster')).toEqual([]);
  });

  test('sizes the draining interval from the drain the gateway has', () => {
    // keeps serving 5 s + 15 s drain = 20 s, marked unhealthy as soon as 10 s: 10 s + 5 s margin.
    const findings = checkKeepAlive(workload({ drain: drain({ keepServingSeconds: 5 }) }), loadBalancer({ unhealthyDrainingIntervalSeconds: 0 }));
    expect(findings[0].fix).toContain('at least 15');
  });

  test('fails when an IP target is deregistered and cut before its drain ends, and passes at the bound', () => {
    const ip = loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 300, deregistrationConnectionTermination: true, deregistrationDelaySeconds: 319 });
    const gw = workload({ drain: drain({ keepServingSeconds: 305, drainSeconds: 15 }) });
    expect(checkDeregistrationDelay(gw, ip)[0]).toMatchObject({ rule: 'deregistration-cuts-drain', severity: 'error' });
    expect(checkDeregistrationDelay(gw, { ...ip, deregistrationDelaySeconds: 320 })).toEqual([]);
    expect(checkDeregistrationDelay(gw, { ...ip, targetType: 'instance' })).toEqual([]);
  });

  test('the draining interval must cover the drain from the earliest unhealthy mark, (unhealthyThreshold − 1) × interval', () => {
    // preStop 31 + 15 = 46 s; marked unhealthy as soon as 10 s: 36 s still open (the bound that drops), 41 s with margin.
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyDrainingIntervalSeconds: 35 }))).toMatchObject([{ rule: 'unhealthy-draining-interval-shorter-than-drain', severity: 'error', mechanism: 'keepalive-reset-by-lb' }]);
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyDrainingIntervalSeconds: 36 }))).toMatchObject([{ rule: 'unhealthy-draining-interval-within-margin', severity: 'warning' }]);
    expect(checkKeepAlive(workload(), loadBalancer({ unhealthyDrainingIntervalSeconds: 41 }))).toEqual([]);
  });

  test('fails a sleep-only preStop, which never closes keep-alive connections before Envoy exits', () => {
    const sleeping = workload({ drain: drain({ mechanism: 'sleep', failsHealthCheck: false, drainsConnections: false, description: 'sleep 35' }) });
    expect(checkKeepAliveCutOnExit(sleeping)).toMatchObject([{ rule: 'sleep-prestop-cuts-keepalive', severity: 'error', mechanism: 'keepalive-cut-on-exit' }]);
    expect(checkKeepAliveCutOnExit(workload())).toEqual([]);
    expect(rules(checkGateway(gateway({ workload: sleeping })))).toContain('sleep-prestop-cuts-keepalive');
  });
});

describe('grace-period', () => {
  test('warns when the grace period covers the preStop but not the margin (Gloo guide: 7 s against 5 s)', () => {
    const findings = checkGracePeriod(workload({ terminationGracePeriodSeconds: 7, drain: drain({ keepServingSeconds: 5, drainSeconds: 0 }) }));
    expect(findings).toMatchObject([{ rule: 'grace-period-within-margin', severity: 'warning' }]);
    expect(findings[0].fix).toContain('from 7 to at least 10');
  });

  test('fails when the pod is killed before its preStop and app drain end', () => {
    const findings = checkGracePeriod(workload({ terminationGracePeriodSeconds: 4, drain: drain({ keepServingSeconds: 5, drainSeconds: 0 }) }));
    expect(findings).toMatchObject([{ rule: 'grace-period-shorter-than-drain', severity: 'error', mechanism: 'killed-before-drain-ends' }]);
  });

  test('passes at the bound', () => {
    expect(checkGracePeriod(workload({ terminationGracePeriodSeconds: 51 }))).toEqual([]);
    expect(checkGracePeriod(workload({ terminationGracePeriodSeconds: 50 }))).toMatchObject([{ severity: 'warning' }]);
    expect(checkGracePeriod(workload({ terminationGracePeriodSeconds: 45 }))).toMatchObject([{ severity: 'error' }]);
  });
});

describe('upstream-propagation', () => {
  test('fails when the upstream stops before the slowest gateway forgets it', () => {
    const findings = checkUpstreamPropagation(upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 10, drainSeconds: 0 }) }).workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster() }]);
    expect(findings[0].rule).toBe('upstream-stops-before-gateways-forget-it');
    expect(findings[0].message).toContain('36s');
    expect(findings[0].fix).toContain('at least 41s');
  });

  test('fails when a health-checked cluster keeps removed hosts and its routes do not retry on another host', () => {
    const kept = cluster({ ignoreHealthOnHostRemoval: false });
    expect(checkUpstreamPropagation(upstream().workload, [{ gateway: 'ConfigMap/edge/gw', cluster: kept }])).toMatchObject([{ rule: 'health-checked-host-kept-after-removal', severity: 'error', mechanism: 'stale-upstream-not-retried' }]);
    expect(checkUpstreamPropagation(upstream().workload, [{ gateway: 'ConfigMap/edge/gw', cluster: kept, routes: [route({ previousHosts: false })] }])[0].severity).toBe('error');
  });

  test('warns, not errs, when active health checks, the app drain and previous_hosts retries cover a kept host', () => {
    const findings = checkUpstreamPropagation(upstream().workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster({ ignoreHealthOnHostRemoval: false }), routes: [route()] }]);
    expect(findings).toMatchObject([{ rule: 'health-checked-host-kept-after-removal', severity: 'warning' }]);
    expect(findings[0].mechanism).toBeUndefined();
  });

  test('asks nothing of an upstream minReadySeconds: a preStop past discovery suffices', () => {
    expect(checkUpstream(upstream({ minReadySeconds: 0 }), [gateway()])).toEqual([]);
  });

  test('warns when the upstream preStop covers discovery but not the margin', () => {
    const findings = checkUpstreamPropagation(upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 36, drainSeconds: 0 }) }).workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster() }]);
    expect(findings).toMatchObject([{ rule: 'upstream-keep-serving-within-margin', severity: 'warning' }]);
  });

  test('static clusters never forget a pod', () => {
    const findings = checkUpstreamPropagation(upstream().workload, [{ gateway: 'ConfigMap/edge/gw', cluster: cluster({ discovery: { ...defaultDnsDiscovery(), kind: 'static' } }) }]);
    expect(findings[0].fix).toContain('STRICT_DNS');
  });

  test('checkTopology hands each upstream only the gateways in front of it', () => {
    const slow = upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 35, drainSeconds: 0 }) });
    const elsewhere = gateway({ envoy: { object: 'ConfigMap/other/gw', adminAddress: '127.0.0.1', clusters: [cluster({ service: 'Service/other/x-headless' })], routes: [] } });
    const findings = checkTopology({ gateways: [elsewhere, gateway()], upstreams: [slow] }).filter((finding) => finding.rule === 'upstream-stops-before-gateways-forget-it');
    expect(findings.map((finding) => finding.objects)).toEqual([['Deployment/shop/orders', 'ConfigMap/edge/gateway-envoy']]);
  });

  test('checkUpstream finds the clusters in front through the headless Service', () => {
    const slow = upstream({ drain: drain({ mechanism: 'sleep', keepServingSeconds: 35, drainSeconds: 0 }) });
    expect(rules(checkUpstream(slow, [gateway()]))).toContain('upstream-stops-before-gateways-forget-it');
    expect(checkUpstream(slow, [])).toEqual([]);
  });
});

describe('retries', () => {
  test('fails when a route does not retry resets', () => {
    const findings = checkRetries('ConfigMap/edge/gw', route({ retryOn: ['connect-failure'] }));
    expect(findings).toMatchObject([{ rule: 'route-does-not-retry-rollout-races', severity: 'error', mechanism: 'race-not-retried' }]);
    expect(findings[0].message).toContain('does not retry on reset:');
  });

  test('asks refused-stream only of HTTP/2 upstreams', () => {
    expect(checkRetries('gw', route({ retryOn: ['connect-failure', 'reset-before-request'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['connect-failure', 'reset-before-request'] }), cluster({ http2: true }))[0].message).toContain('refused-stream');
    expect(checkRetries('gw', route({ retryOn: ['reset'] }), cluster({ http2: true }))).toEqual([]);
  });

  test('asks no retry of a route to loopback hosts (the pod\'s own admin)', () => {
    expect(checkRetries('gw', route({ retryOn: [], numRetries: 0 }), cluster({ loopback: true, discovery: { ...defaultDnsDiscovery(), kind: 'static' } }))).toEqual([]);
  });

  test('fails when a route never retries', () => {
    expect(checkRetries('gw', route({ numRetries: 0 }))[0].message).toContain('never retries');
  });

  test('accepts reset-before-request in place of reset, and 5xx, gateway-error or reset in place of connect-failure (RetryStateImpl::wouldRetryFromReset)', () => {
    expect(checkRetries('gw', route({ retryOn: ['connect-failure', 'refused-stream', 'reset-before-request'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['5xx'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['gateway-error'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['reset'] }))).toEqual([]);
    expect(checkRetries('gw', route({ retryOn: ['5xx'] }), cluster({ http2: true }))).toEqual([]);
  });

  test('warns when a retry may go to the same host', () => {
    expect(checkRetries('gw', route({ previousHosts: false }))[0]).toMatchObject({ rule: 'retry-may-pick-same-host', severity: 'warning' });
  });
});

describe('capacity', () => {
  test('fails on one replica and minReady shorter than the LB recovery', () => {
    const findings = checkCapacity(workload({ replicas: 1, maxSurge: 0, maxUnavailable: 1, minReadySeconds: 0 }), loadBalancer());
    // One replica under a budget of maxUnavailable 1: the budget protects nothing either.
    expect(rules(findings)).toEqual(['single-replica', 'rollout-removes-before-adding', 'disruption-budget-allows-all', 'rollout-outruns-discovery']);
    expect(findings.map((each) => each.mechanism)).toEqual(['no-pod-left', undefined, undefined, 'rollout-outruns-lb']);
    expect(findings[3].fix).toContain('at least 25');
  });

  test('warns, not errs, on maxSurge 0 / maxUnavailable 1 while other pods serve', () => {
    const findings = checkCapacity(workload({ replicas: 3, maxSurge: 0, maxUnavailable: 1 }), loadBalancer());
    expect(findings).toMatchObject([{ rule: 'rollout-removes-before-adding', severity: 'warning' }]);
    expect(checkCapacity(workload({ replicas: 2, maxSurge: 0, maxUnavailable: 2 }))[0]).toMatchObject({ rule: 'rollout-removes-before-adding', severity: 'error' });
  });

  test('passes minReady at the bound, warns within the margin', () => {
    expect(checkCapacity(workload({ minReadySeconds: 25 }), loadBalancer())).toEqual([]);
    const within = checkCapacity(workload({ minReadySeconds: 20 }), loadBalancer());
    expect(within).toMatchObject([{ rule: 'min-ready-within-margin', severity: 'warning' }]);
    expect(within[0].message).toContain('each new target turns healthy (20s) before the old one it replaces can turn unhealthy (20s + 10s)');
    // 9 s + (2 − 1) × 10 s < R_lb 20 s: the healthy set can empty.
    expect(checkCapacity(workload({ minReadySeconds: 9 }), loadBalancer())).toMatchObject([{ rule: 'rollout-outruns-discovery', severity: 'error', mechanism: 'rollout-outruns-lb' }]);
    expect(checkCapacity(workload({ minReadySeconds: 10 }), loadBalancer())[0]).toMatchObject({ rule: 'min-ready-within-margin', severity: 'warning' });
  });

  test('asks no minReady of a gateway behind eTP Cluster: every node forwards to a ready pod', () => {
    expect(checkCapacity(workload({ minReadySeconds: 0 }), loadBalancer(), 5, 'Cluster')).toEqual([]);
  });

  test('warns when the disruption budget lets every pod go, and passes one that keeps one', () => {
    const pdb = (budget: { maxUnavailable?: number | string; minAvailable?: number | string }) => workload({ replicas: 3, disruptionBudget: { object: 'PodDisruptionBudget/edge/gateway', ...budget } });
    expect(rules(checkCapacity(pdb({ maxUnavailable: '100%' })))).toEqual(['disruption-budget-allows-all']);
    expect(rules(checkCapacity(pdb({ minAvailable: 0 })))).toEqual(['disruption-budget-allows-all']);
    expect(rules(checkCapacity(pdb({ maxUnavailable: 3 })))).toEqual(['disruption-budget-allows-all']);
    expect(checkCapacity(pdb({ maxUnavailable: 2 }))).toEqual([]);
    expect(checkCapacity(pdb({ minAvailable: '34%' }))).toEqual([]);
  });

  test('warns when a DaemonSet rolls more than one node at a time, and passes one', () => {
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

  test('warns, not errs, on externalTrafficPolicy Cluster with instance targets (KEP-1669)', () => {
    expect(checkTrafficPolicy(workload(), lbService({ externalTrafficPolicy: 'Cluster' }))).toMatchObject([{ rule: 'cluster-traffic-policy', severity: 'warning' }]);
  });

  test('accepts two gateway pods on one node behind eTP Local: the other ready pod takes new connections (KEP-1669)', () => {
    expect(checkTrafficPolicy(workload({ onePodPerNode: false }), lbService())).toEqual([]);
  });
});

describe('security and drain', () => {
  test('fails when admin listens beyond loopback', () => {
    expect(rules(checkSecurity(workload(), { object: 'ConfigMap/edge/gw', adminAddress: '0.0.0.0', clusters: [], routes: [] }))).toEqual(['admin-not-on-loopback']);
  });

  test('warns on root and host network', () => {
    expect(rules(checkSecurity(workload({ runsAsNonRoot: undefined, hostNetwork: true })))).toEqual(['runs-as-root', 'host-network']);
  });

  test('fails when a non-root pod on the host network listens on a privileged port (it crash-loops)', () => {
    const found = checkSecurity(workload({ runsAsNonRoot: true, hostNetwork: true, containerPorts: [80, 9901] }));
    expect(rules(found)).toEqual(['privileged-port-on-host-network', 'host-network']);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toContain('port 80, below 1024');
    // Root may bind it; off the host network a sysctl may lower the bound: neither is this error.
    expect(rules(checkSecurity(workload({ runsAsNonRoot: false, hostNetwork: true, containerPorts: [80] })))).toEqual(['runs-as-root', 'host-network']);
    expect(rules(checkSecurity(workload({ runsAsNonRoot: true, hostNetwork: false, containerPorts: [80] })))).toEqual([]);
    expect(rules(checkSecurity(workload({ runsAsNonRoot: true, hostNetwork: true, containerPorts: [8080] })))).toEqual(['host-network']);
  });

  test('reports a missing preStop, an unknown one, and a missing readiness probe', () => {
    expect(rules(checkHasDrain(workload({ drain: drain({ mechanism: 'none' }) })))).toEqual(['no-prestop']);
    expect(checkHasDrain(workload({ drain: drain({ mechanism: 'unknown' }) }))[0].category).toBe('unknown');
    expect(checkHasDrain(workload({ drain: drain({ mechanism: 'none' }) }))[0].mechanism).toBe('no-drain');
    expect(checkHasDrain(workload({ readiness: undefined }))).toMatchObject([{ rule: 'no-readiness-probe', severity: 'warning' }]);
  });

  test('checkGateway runs every gateway invariant', () => {
    const naive = gateway({ workload: workload({ drain: drain({ mechanism: 'none', keepServingSeconds: 0, drainSeconds: 0, failsHealthCheck: false, drainsConnections: false }), terminationGracePeriodSeconds: 30 }) });
    const categories = new Set(checkGateway(naive).map((finding) => finding.category));
    expect([...categories].sort()).toEqual(['lb-detection', 'no-drain']);
  });
});
