import { EventKind } from '../../lib/simulate/event-loop';
import { glooGuideTopology, safeTopology } from './fixtures';
import { drain, testCluster } from './world';

describe('Cluster', () => {
  test('sizes the cluster: twice the Deployment gateway replicas and one, at least three nodes for a DaemonSet', () => {
    expect(testCluster(glooGuideTopology()).cluster.nodes).toBe(5);
    expect(testCluster(safeTopology({ kind: 'DaemonSet' })).cluster.nodes).toBe(3);
    expect(testCluster(glooGuideTopology(), { clusterNodes: 7 }).cluster.nodes).toBe(7);
  });

  test('fails naming the parameter when one-pod-per-node gateways do not fit the nodes', () => {
    expect(() => testCluster(safeTopology({ replicas: 3 }), { clusterNodes: 2 })).toThrow("simulation parameter 'clusterNodes' (2) must be at least the gateway replicas (3): Deployment/edge/gateway allows one pod per node");
  });

  test('places the initial pods over the nodes, ready long before the run', () => {
    const { cluster } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    expect(cluster.gateway.pods.map((pod) => [pod.name, pod.node])).toEqual([['gateway-proxy-old-1', 0], ['gateway-proxy-old-2', 1]]);
    expect(cluster.upstream!.pods.every((pod) => pod.readyAt < 0 && pod.availableAt < 0)).toBe(true);
    expect(cluster.gatewayPodsByNode[1]).toEqual([cluster.gateway.pods[1]]);
  });

  test('deleting a gateway pod plans its stop: health check fails at once, SIGTERM when preStop ends, exit at the grace deadline', () => {
    const { cluster, loop, told } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    const pod = cluster.gateway.pods[0];
    cluster.deletePod(pod);
    expect(pod).toMatchObject({ deletedAt: 0, healthFailsAt: 0, sigtermAt: 5, exitAt: 5 });
    expect(told).toEqual(['podDeleted gateway-proxy-old-1']);
    expect(cluster.gateway.removed.has(pod)).toBe(true);
    expect(drain(loop, 100)).toEqual(['PodSigterm@5 0', 'PodExit@5 0']);
  });

  test('deleting an upstream pod tells of its endpoint changes before its deletion', () => {
    const { cluster, told } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    cluster.deletePod(cluster.upstream!.pods[0]);
    expect(told).toEqual(['upstreamEndpointsChanged 0', 'upstreamEndpointsChanged Infinity', 'podDeleted echo-old-1']);
  });

  test('a new DaemonSet pod waits for the host port until the old pod on its node has exited', () => {
    const { cluster, loop, told } = testCluster(safeTopology({ kind: 'DaemonSet' }));
    cluster.placeInitialPods();
    cluster.gateway.revision = 'new';
    const old = cluster.gateway.pods[0];
    const fresh = cluster.createPod(cluster.gateway, old.node);
    expect(fresh.waitingForPort).toBe(true);
    expect(told).toEqual([`podCreated ${fresh.name}`]);
    old.exitAt = 0;
    cluster.podExit(old);
    expect(fresh.waitingForPort).toBe(false);
    expect(told.slice(1)).toEqual([`podExiting ${old.name}`, 'changed']);
    expect(drain(loop, 100).some((event) => event.startsWith(`${EventKind[EventKind.PodStart]}@`) && event.endsWith(` ${fresh.id}`))).toBe(true);
  });

  test('a started gateway pod starts its Envoy; its readiness is marked when the probe passes', () => {
    const { cluster, loop, told } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    const pod = cluster.createPod(cluster.gateway, 2);
    drain(loop, 100, (kind, subject) => {
      if (kind === EventKind.PodStart) cluster.podStart(cluster.allPods[subject]);
      if (kind === EventKind.PodReady) cluster.podContainerReady(cluster.allPods[subject]);
    });
    expect(told).toEqual([`podCreated ${pod.name}`, `gatewayStarted ${pod.name}`, 'changed']);
    expect(pod.readyAt).toBe(pod.containerReadyAt);
    expect(pod.readyAt).toBeGreaterThan(pod.startedAt);
  });
});
