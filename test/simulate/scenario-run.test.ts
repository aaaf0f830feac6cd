import { resolveLoad } from '../../lib/simulate/clients';
import { EventKind } from '../../lib/simulate/event-loop';
import { LoadWindow } from '../../lib/simulate/load-window';
import { ScenarioRun } from '../../lib/simulate/scenario-run';
import { glooNlb, safeTopology } from './fixtures';
import { drain, testCluster } from './world';

function scenario(name: 'node-drain' | 'gateway-rollout', minAvailable?: number) {
  const topology = safeTopology();
  const gateway = topology.gateways[0];
  const withBudget = minAvailable === undefined ? topology
    : { ...topology, gateways: [{ ...gateway, workload: { ...gateway.workload, disruptionBudget: { object: 'PodDisruptionBudget/edge/gateway', minAvailable } } }] };
  const world = testCluster(withBudget);
  world.cluster.placeInitialPods();
  const window = new LoadWindow(resolveLoad(), world.params, glooNlb(), undefined);
  let reconciled = 0;
  const run = new ScenarioRun(name, world.cluster, world.loop, world.params, window, () => reconciled++);
  return { ...world, run, window, reconciled: () => reconciled };
}

describe('ScenarioRun', () => {
  test('a node drain cordons the first gateway pod\'s node and evicts the pods on it', () => {
    const { cluster, run } = scenario('node-drain');
    run.start();
    expect(cluster.cordoned).toEqual([true, false, false, false, false]);
    expect(cluster.allPods.filter((pod) => pod.deletedAt === 0).map((pod) => pod.name)).toEqual(['gateway-old-1', 'echo-old-1']);
  });

  test('an eviction the PodDisruptionBudget refuses is tried again after evictionRetrySeconds', () => {
    const { cluster, loop, params, run } = scenario('node-drain', 2);
    run.start();
    expect(cluster.gateway.pods[0].deletedAt).toBe(Infinity);
    expect(drain(loop, params.evictionRetrySeconds)).toContain(`${EventKind[EventKind.Evict]}@${params.evictionRetrySeconds} ${cluster.gateway.pods[0].id}`);
  });

  test('a rollout is done once every pod is of the new revision and available, and the removed ones have exited', () => {
    const { cluster, loop, params, run, window, reconciled } = scenario('gateway-rollout');
    loop.at(params.rolloutStartSeconds, EventKind.ScenarioStart, 0);
    drain(loop, params.rolloutStartSeconds, (kind) => kind === EventKind.ScenarioStart && run.start());
    expect(run.startSeconds).toBe(params.rolloutStartSeconds);
    expect(reconciled()).toBe(1);
    run.checkDone();
    expect(run.endSeconds).toBeUndefined();
    const now = params.rolloutStartSeconds;
    for (const pod of [...cluster.gateway.pods]) {
      cluster.deletePod(pod);
      pod.exitAt = now;
      cluster.createPod(cluster.gateway, pod.node + 2).availableAt = now;
    }
    run.checkDone();
    expect(run.endSeconds).toBe(params.rolloutStartSeconds);
    expect(window.loadEndSeconds).toBeLessThan(params.maxRunSeconds);
  });
});
