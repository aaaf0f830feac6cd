import { WorkloadControllers } from '../../lib/simulate/controllers';
import { glooGuideTopology, safeTopology } from './fixtures';
import { testCluster } from './world';

describe('WorkloadControllers', () => {
  test('a Deployment with maxSurge 1 and maxUnavailable 0 surges one new pod and removes an old one only once it is available', () => {
    const { cluster, loop, random } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    const controllers = new WorkloadControllers(cluster, loop, random, 'new-node');
    cluster.gateway.revision = 'new';
    controllers.reconcileAll();
    const active = (): string[] => cluster.gateway.pods.filter((pod) => pod.deletedAt === Infinity).map((pod) => pod.name);
    expect(active()).toEqual(['gateway-proxy-old-1', 'gateway-proxy-old-2', 'gateway-proxy-new-3']);
    // new-node placement: the first node without a pod of the workload.
    expect(cluster.gateway.pods[2].node).toBe(2);
    cluster.gateway.pods[2].availableAt = 0;
    controllers.reconcileAll();
    expect(active()).toEqual(['gateway-proxy-old-2', 'gateway-proxy-new-3', 'gateway-proxy-new-4']);
  });

  test('same-node placement puts the new pod on an old pod\'s node', () => {
    const { cluster, loop, random } = testCluster(glooGuideTopology());
    cluster.placeInitialPods();
    cluster.gateway.revision = 'new';
    new WorkloadControllers(cluster, loop, random, 'same-node').reconcileAll();
    expect(cluster.gateway.pods[2].node).toBe(0);
  });

  test('a DaemonSet with maxUnavailable 1 replaces one node\'s pod at a time', () => {
    const { cluster, loop, random } = testCluster(safeTopology({ kind: 'DaemonSet' }));
    cluster.placeInitialPods();
    cluster.gateway.revision = 'new';
    new WorkloadControllers(cluster, loop, random, 'new-node').reconcileAll();
    expect(cluster.gateway.pods.filter((pod) => pod.deletedAt !== Infinity).map((pod) => pod.node)).toEqual([0]);
  });
});
