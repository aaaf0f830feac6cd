import { pickGateway, pickUpstream, validatePlay } from '../../lib/simulate/choose-workloads';
import { glooGuideTopology, safeTopology } from './fixtures';

describe('pickGateway', () => {
  test('takes the first gateway, or the one named by name or Kind/namespace/name', () => {
    const topology = { ...safeTopology(), gateways: [...glooGuideTopology().gateways, ...safeTopology().gateways] };
    expect(pickGateway(topology).workload.object).toBe('Deployment/gloo-system/gateway-proxy');
    expect(pickGateway(topology, 'gateway').workload.object).toBe('Deployment/edge/gateway');
    expect(pickGateway(topology, 'Deployment/edge/gateway').workload.object).toBe('Deployment/edge/gateway');
  });

  test('fails naming the gateways there are when the one asked for is not among them', () => {
    expect(() => pickGateway(safeTopology(), 'nope')).toThrow("no gateway 'nope' (gateways: Deployment/edge/gateway)");
    expect(() => pickGateway({ gateways: [], upstreams: [] })).toThrow(/the manifests hold no gateway/);
  });
});

describe('pickUpstream', () => {
  test('finds the Envoy cluster and route that reach the upstream', () => {
    const topology = safeTopology();
    const routed = pickUpstream(topology, topology.gateways[0]);
    expect(routed?.upstream.workload.object).toBe('Deployment/apps/echo');
    expect(routed?.routing.cluster.name).toBe('echo');
    expect(routed?.routing.route?.numRetries).toBe(2);
  });

  test('gives none when the gateway routes to no upstream, and fails when a named one is not routed to', () => {
    const topology = safeTopology();
    const gateway = { ...topology.gateways[0], envoy: { ...topology.gateways[0].envoy!, clusters: [] } };
    expect(pickUpstream(topology, gateway)).toBeUndefined();
    expect(() => pickUpstream(topology, gateway, 'echo')).toThrow('the gateway Deployment/edge/gateway has no Envoy cluster routing to Deployment/apps/echo');
    expect(() => pickUpstream(topology, topology.gateways[0], 'nope')).toThrow("no upstream 'nope' (upstreams: Deployment/apps/echo)");
  });
});

describe('validatePlay', () => {
  test('fails when Kubernetes would reject the Deployment (maxSurge 0 and maxUnavailable 0)', () => {
    const gateway = { ...safeTopology().gateways[0].workload, maxSurge: 0, maxUnavailable: 0 };
    expect(() => validatePlay('gateway-rollout', 'new-node', gateway, undefined, undefined)).toThrow('Deployment/edge/gateway has maxSurge 0 and maxUnavailable 0: Kubernetes rejects such a Deployment');
  });

  test('passes a playable scenario', () => {
    const topology = safeTopology();
    const routed = pickUpstream(topology, topology.gateways[0])!;
    expect(() => validatePlay('upstream-rollout', 'same-node', topology.gateways[0].workload, routed.upstream, routed.routing)).not.toThrow();
  });
});
