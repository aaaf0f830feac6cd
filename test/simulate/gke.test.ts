import * as fs from 'fs';
import * as path from 'path';
import { Duration } from '../../lib/core/duration';
import { buildGkeLoadBalancer, GkeLoadBalancerOptions } from '../../lib/core/gke/gke-load-balancer';
import { gkeLoadBalancerModel } from '../../lib/core/gke/model';
import { GatewayPlan } from '../../lib/core/gateway/gateway-plan';
import { Topology } from '../../lib/core/model';
import { readManifestText } from '../../lib/read';
import { negDetach } from '../../lib/simulate/gke';
import { simulate } from '../../lib/simulate';
import { ENVOY_GATEWAY_LOAD, GUIDE_LOAD } from './fixtures';

const BAD = fs.readFileSync(path.join(__dirname, '../fixtures/gke/neg-no-drain.yaml'), 'utf8');

function constructed(options: GkeLoadBalancerOptions = {}): Topology {
  const plan = new GatewayPlan({ name: 'gateway', namespace: 'edge' });
  buildGkeLoadBalancer(options, plan);
  return { gateways: [plan.model()], upstreams: [] };
}

describe('negDetach', () => {
  test('detaches after the NEG detach latency and cuts after connection draining; nothing for l4 or AWS', () => {
    const lb = gkeLoadBalancerModel({ object: 'Service/edge/gw', shape: 'ingress', negDetachSeconds: 30, connectionDrainingSeconds: 20, healthCheck: { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 } });
    expect(negDetach(lb, 100)).toEqual({ detachAt: 130, cutAt: 150 });
    expect(negDetach({ ...lb, provider: 'aws-nlb', gke: undefined }, 100)).toBeUndefined();
    expect(negDetach(gkeLoadBalancerModel({ object: 'Service/edge/gw', shape: 'l4', healthCheck: lb.healthCheck }), 100)).toBeUndefined();
  });
});

describe('simulating a gateway behind GKE', () => {
  test.each(['ingress', 'gateway', 'l4'] as const)('the constructed gateway behind a GKE %s load balancer rolls out and drains a node with 0 failures at the seed load', (shape) => {
    const topology = constructed({ shape });
    for (const scenario of ['gateway-rollout', 'node-drain'] as const) {
      const result = simulate(topology, { scenario, load: { ...GUIDE_LOAD, durationSeconds: 240 }, seed: 3 });
      expect({ shape, scenario, failed: result.failed, causes: result.causes }).toEqual({ shape, scenario, failed: 0, causes: {} });
      expect(result.rolloutSeconds).not.toBeNull();
    }
  });

  test("the constructed Ingress gateway rolls out with 0 failures at Envoy Gateway's CI load", () => {
    const result = simulate(constructed(), { scenario: 'gateway-rollout', load: { ...ENVOY_GATEWAY_LOAD, durationSeconds: 200 }, seed: 2 });
    expect(result.requests).toBeGreaterThan(100_000);
    expect(result.failed).toBe(0);
  });

  test('the NEG Service without BackendConfig or preStop drops requests sent before the detach or the health check (neg-endpoint-gone)', () => {
    const topology = readManifestText(BAD, 'neg-no-drain.yaml').topology;
    const result = simulate(topology, { scenario: 'gateway-rollout', load: { ...GUIDE_LOAD, durationSeconds: 200 }, seed: 1 });
    expect(result.failed).toBeGreaterThan(0);
    expect(Object.keys(result.causes)).toContain('neg-endpoint-gone');
  });

  test('with connection draining 0, requests in flight when the NEG endpoint is detached are cut (neg-detached-in-flight)', () => {
    // A health check slower than the detach (2 × 30 s + 10 s) leaves the detach to end new requests; draining 0 cuts what is in flight.
    const plan = new GatewayPlan({ name: 'gateway', namespace: 'edge' });
    const built = buildGkeLoadBalancer({ healthCheckInterval: secs(30), healthCheckTimeout: secs(10), negDetachLatency: secs(20) }, plan);
    const model = plan.model();
    const drainingZero: Topology = {
      gateways: [{ ...model, services: model.services.map((service) => ({ ...service, loadBalancer: gkeLoadBalancerModel({ object: built.model.object, shape: 'ingress', healthCheck: built.model.healthCheck, healthCheckPath: built.model.healthCheckPath, negDetachSeconds: 20, connectionDrainingSeconds: 0 }) })) }],
      upstreams: [],
    };
    const cut = simulate(drainingZero, { scenario: 'gateway-rollout', load: { ...ENVOY_GATEWAY_LOAD, durationSeconds: 200 }, seed: 2 });
    expect(cut.causes['neg-detached-in-flight']).toBeGreaterThan(0);
    const drained = simulate({ gateways: [model], upstreams: [] }, { scenario: 'gateway-rollout', load: { ...ENVOY_GATEWAY_LOAD, durationSeconds: 200 }, seed: 2 });
    expect(drained.failed).toBe(0);
  });
});

function secs(seconds: number): Duration {
  return Duration.seconds(seconds);
}
