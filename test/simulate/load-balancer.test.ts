import { LoadBalancerModel } from '../../lib/core/model';
import { Random } from '../../lib/simulate/engine';
import { EventKind } from '../../lib/simulate/event-loop';
import { NodeDataPath } from '../../lib/simulate/kube-proxy';
import { applyHealthCheck, chooseTarget, healthCheckSeesDrain, LoadBalancer, newTarget } from '../../lib/simulate/load-balancer';
import { glooGuideTopology, glooNlb } from './fixtures';
import { drain, testCluster } from './world';

describe('applyHealthCheck', () => {
  test('turns a target unhealthy after unhealthyThreshold failures in a row, healthy after healthyThreshold passes', () => {
    const lb = glooNlb({ healthCheck: { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 3, unhealthyThreshold: 2 } });
    const target = newTarget(0, 'node-0', true, 0, { node: 0 });
    expect(applyHealthCheck(target, lb, false, 1)).toBeUndefined();
    expect(applyHealthCheck(target, lb, false, 2)).toBe('unhealthy');
    expect(target.epoch).toBe(1);
    expect(applyHealthCheck(target, lb, true, 3)).toBeUndefined();
    expect(applyHealthCheck(target, lb, true, 4)).toBeUndefined();
    expect(applyHealthCheck(target, lb, true, 5)).toBe('healthy');
    expect(target.history).toEqual([[0, true], [2, false], [5, true]]);
  });
});

describe('chooseTarget', () => {
  test('picks a healthy target, and fails open over every registered one when none is healthy', () => {
    const random = new Random(1);
    const healthy = newTarget(0, 'a', true, 0, {});
    const unhealthy = newTarget(1, 'b', false, 0, {});
    expect(chooseTarget([healthy, unhealthy], 1, random)).toEqual({ target: healthy, failOpen: false });
    healthy.healthy = false;
    expect(chooseTarget([healthy, unhealthy], 1, random).failOpen).toBe(true);
    healthy.stopsReceivingAt = unhealthy.stopsReceivingAt = 0;
    expect(chooseTarget([healthy, unhealthy], 1, random)).toEqual({ failOpen: true });
  });
});

describe('healthCheckSeesDrain', () => {
  const gateway = { ...glooGuideTopology().gateways[0], envoy: { ...glooGuideTopology().gateways[0].envoy!, healthCheckPath: '/envoy-hc' } };

  test('only an HTTP check on the path of Envoy\'s health-check filter sees /healthcheck/fail', () => {
    expect(healthCheckSeesDrain(glooNlb({ healthCheckProtocol: 'HTTP', healthCheckPath: '/envoy-hc?x=1' }), gateway)).toBe(true);
    expect(healthCheckSeesDrain(glooNlb({ healthCheckProtocol: 'HTTP', healthCheckPath: '/' }), gateway)).toBe(false);
    expect(healthCheckSeesDrain(glooNlb({ healthCheckProtocol: 'TCP' }), gateway)).toBe(false);
  });

  test('an unknown path on either side counts as matching', () => {
    expect(healthCheckSeesDrain(glooNlb({ healthCheckProtocol: 'HTTP', healthCheckPath: undefined }), gateway)).toBe(true);
  });
});

describe('LoadBalancer', () => {
  function loadBalancer(model: LoadBalancerModel) {
    const topology = glooGuideTopology({ lb: model });
    const world = testCluster(topology);
    world.cluster.placeInitialPods();
    const path = new NodeDataPath(world.cluster, model, true, world.params.kubeProxyPropagationSeconds, world.random);
    const lb = new LoadBalancer(model, topology.gateways[0], true, path, world.loop, world.random, world.params);
    const cuts: string[] = [];
    const healthy: string[] = [];
    lb.listen({ connectionsCut: (target, cause) => cuts.push(`${target.label} ${cause}`), targetTurnedHealthy: (pod) => healthy.push(pod.name) });
    return { ...world, lb, cuts, healthy };
  }

  test('instance targets: one per node, healthy where a gateway pod runs (eTP Local)', () => {
    const { cluster, lb } = loadBalancer(glooNlb());
    lb.registerInitialTargets(cluster.gateway.pods, cluster.gatewayPodsByNode);
    expect(lb.targets.map((target) => [target.label, target.healthy])).toEqual([['node-0', true], ['node-1', true], ['node-2', false], ['node-3', false], ['node-4', false]]);
  });

  test('a new gateway pod\'s IP target holds its readiness gate until its health checks pass', () => {
    const { cluster, lb, healthy } = loadBalancer(glooNlb({ targetType: 'ip' }));
    lb.registerInitialTargets(cluster.gateway.pods, cluster.gatewayPodsByNode);
    const pod = cluster.gateway.pods[0];
    const fresh = { ...pod, id: 99, name: 'fresh', readyAt: Infinity, containerReadyAt: 0 };
    lb.gatewayPodCreated(fresh);
    expect(lb.readinessGateHolds(fresh)).toBe(true);
    expect(lb.readinessGateHolds(pod)).toBe(false);
    const target = lb.targets[2];
    for (let check = 0; check < glooNlb().healthCheck.healthyThreshold; check++) lb.healthCheckResult(target, true);
    expect(healthy).toEqual(['fresh']);
  });

  test('deregistration: health checks stop after kube-proxy propagation, new connections after the lag; the delay\'s end cuts what is open', () => {
    const model = glooNlb({ targetType: 'ip', deregistrationLagSeconds: 60, deregistrationConnectionTermination: true, deregistrationDelaySeconds: 30 });
    const { cluster, loop, params, lb } = loadBalancer(model);
    lb.registerInitialTargets(cluster.gateway.pods, cluster.gatewayPodsByNode);
    lb.podDeleted(cluster.gateway.pods[0]);
    const target = lb.targets[0];
    expect(target.deregisteredAt).toBe(params.kubeProxyPropagationSeconds);
    expect(target.stopsReceivingAt).toBe(params.kubeProxyPropagationSeconds + 60);
    const events = drain(loop, 1000, (kind, subject) => kind === EventKind.DeregistrationCut && lb.deregistrationCut(lb.targets[subject]));
    expect(events).toContain(`${EventKind[EventKind.DeregistrationCut]}@${params.kubeProxyPropagationSeconds + 30} 0`);
  });

  test('an unhealthy turn cuts connections after the draining interval, only if the target is still in that turn', () => {
    const { cluster, lb, cuts } = loadBalancer(glooNlb({ unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 0 }));
    lb.registerInitialTargets(cluster.gateway.pods, cluster.gatewayPodsByNode);
    const target = lb.targets[0];
    for (let check = 0; check < glooNlb().healthCheck.unhealthyThreshold; check++) lb.healthCheckResult(target, false);
    lb.scheduledReset(target, target.epoch - 1);
    expect(cuts).toEqual([]);
    lb.scheduledReset(target, target.epoch);
    expect(cuts).toEqual(['node-0 unhealthy-target-reset']);
  });

  test('names why a connection it sent nowhere failed, by target type', () => {
    expect(loadBalancer(glooNlb()).lb.connectFailureCause(false)).toBe('node-without-endpoint');
    expect(loadBalancer(glooNlb({ targetType: 'ip' })).lb.connectFailureCause(false)).toBe('target-gone');
    expect(loadBalancer(glooNlb()).lb.connectFailureCause(true)).toBe('load-balancer-fail-open');
  });
});
