import { discoveryDelaySeconds } from '../../lib/core/timing/windows';
import { pickUpstream } from '../../lib/simulate/choose-workloads';
import { EventKind } from '../../lib/simulate/event-loop';
import { UpstreamViews } from '../../lib/simulate/upstream-views';
import { envoyGatewayTopology, safeTopology } from './fixtures';
import { drain, testCluster } from './world';

function views(topology = safeTopology()) {
  const world = testCluster(topology);
  world.cluster.placeInitialPods();
  const routing = pickUpstream(topology, topology.gateways[0])!.routing;
  return { ...world, routing, views: new UpstreamViews(routing, world.cluster.upstream!.pods, world.loop, world.random) };
}

describe('UpstreamViews', () => {
  test('a gateway pod\'s Envoy learns every ready upstream host when it starts', () => {
    const { cluster, views: upstreamViews } = views();
    const gatewayPod = cluster.gateway.pods[0];
    upstreamViews.start(gatewayPod, true);
    expect(upstreamViews.viewOf(gatewayPod)!.hosts.map((entry) => entry.pod)).toEqual(cluster.upstream!.pods);
    upstreamViews.forget(gatewayPod);
    expect(upstreamViews.viewOf(gatewayPod)).toBeUndefined();
  });

  test('without an upstream route, no Envoy gets a view', () => {
    const { cluster, loop, random } = views();
    const none = new UpstreamViews(undefined, undefined, loop, random);
    none.start(cluster.gateway.pods[0], true);
    expect(none.viewOf(cluster.gateway.pods[0])).toBeUndefined();
  });

  test('with DNS, the first refresh comes within one refresh period, then one period apart', () => {
    const { cluster, loop, routing, views: upstreamViews } = views();
    const gatewayPod = cluster.gateway.pods[0];
    upstreamViews.start(gatewayPod, true);
    const refresh = routing.cluster.discovery.dnsRefreshSeconds;
    const times = drain(loop, 3 * refresh, () => upstreamViews.dnsRefresh(gatewayPod)).map((event) => Number(event.split('@')[1].split(' ')[0]));
    expect(times[0]).toBeLessThan(refresh);
    expect(times[1] - times[0]).toBeCloseTo(refresh);
  });

  test('with EDS, an endpoint change reaches Envoy one discovery delay later', () => {
    const { loop, routing, views: upstreamViews } = views(envoyGatewayTopology());
    upstreamViews.scheduleEdsUpdate(2);
    upstreamViews.scheduleEdsUpdate(Infinity);
    expect(drain(loop, 100)).toEqual([`${EventKind[EventKind.EdsUpdate]}@${2 + discoveryDelaySeconds(routing.cluster.discovery)} 0`]);
  });
});
