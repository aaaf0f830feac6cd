import { Random } from '../../lib/simulate/engine';
import { kubeProxyChoice, NodeDataPath, nodeHealthz } from '../../lib/simulate/kube-proxy';
import { newPod, SimPod } from '../../lib/simulate/kubernetes';
import { glooGuideTopology, glooNlb, safeTopology } from './fixtures';
import { testCluster } from './world';

function pod(id: number, overrides: Partial<SimPod> = {}): SimPod {
  return { ...newPod(id, 'gateway', `gateway-${id}`, 'old', 0, 0), startedAt: 0, containerReadyAt: 0, readyAt: 0, availableAt: 0, ...overrides };
}

describe('kubeProxyChoice', () => {
  test('picks a ready endpoint while there is one', () => {
    const random = new Random(1);
    const pods = [pod(0, { deletedAt: 5 }), pod(1), pod(2, { readyAt: 20 })];
    for (let draw = 0; draw < 20; draw++) expect(kubeProxyChoice(pods, 10, random)).toBe(pods[1]);
  });

  test('falls back to a terminating endpoint still serving, and else drops the connection', () => {
    const random = new Random(1);
    const terminating = pod(0, { deletedAt: 5 });
    expect(kubeProxyChoice([terminating], 10, random)).toBe(terminating);
    expect(kubeProxyChoice([pod(1, { deletedAt: 5, notReadyAt: 8 })], 10, random)).toBeUndefined();
  });
});

describe('nodeHealthz', () => {
  test('passes only while the node has a ready endpoint: terminating ones do not count', () => {
    expect(nodeHealthz([pod(0)], 10)).toBe(true);
    expect(nodeHealthz([pod(0, { deletedAt: 5 })], 10)).toBe(false);
    expect(nodeHealthz([], 10)).toBe(false);
  });
});

describe('NodeDataPath', () => {
  test('with externalTrafficPolicy Local, routes to the node\'s own pod and fails healthCheckNodePort on a node without one', () => {
    const { cluster, random } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    const path = new NodeDataPath(cluster, glooNlb(), true, 1, random);
    expect(path.podOnNode(1, 10)).toBe(cluster.gateway.pods[1]);
    expect(path.podOnNode(3, 10)).toBeUndefined();
    expect(path.healthCheckNodePortPasses(0, 10)).toBe(true);
    expect(path.healthCheckNodePortPasses(3, 10)).toBe(false);
  });

  test('with externalTrafficPolicy Cluster, routes from any node and healthCheckNodePort always passes', () => {
    const { cluster, random } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    const path = new NodeDataPath(cluster, glooNlb(), false, 1, random);
    expect(cluster.gateway.pods).toContain(path.podOnNode(3, 10));
    expect(path.healthCheckNodePortPasses(3, 10)).toBe(true);
  });

  test('sees endpoint changes a propagation delay late', () => {
    const { cluster, random } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    cluster.gateway.pods[0].notReadyAt = 10;
    const path = new NodeDataPath(cluster, glooNlb(), true, 1, random);
    expect(path.healthCheckNodePortPasses(0, 10.5)).toBe(true);
    expect(path.healthCheckNodePortPasses(0, 11)).toBe(false);
  });

  test('a host port goes to the pod bound to it on that node', () => {
    const { cluster, random } = testCluster(safeTopology({ kind: 'DaemonSet' }));
    cluster.placeInitialPods();
    const path = new NodeDataPath(cluster, glooNlb({ targetType: 'host-port' }), true, 1, random);
    expect(path.podOnNode(2, 10)).toBe(cluster.gateway.pods[2]);
    cluster.gateway.pods[2].exitAt = 5;
    expect(path.podOnNode(2, 10)).toBeUndefined();
  });
});
