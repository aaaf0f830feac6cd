import { DrainingServiceOptions, DrainingServicePlan, drainingServiceUpstreamModel, resolveDrainingServiceOptions, solveDrainingBudget } from '../../../lib/core/draining-service';
import { Duration } from '../../../lib/core/duration';
import { checkUpstream } from '../../../lib/core/timing/invariants';
import { defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { base, edsDiscovery, gatewayPair, gatewayRoutingTo, objects, readUpstream } from './support';

describe('drainingServiceUpstreamModel', () => {
  test.each<[string, Partial<DrainingServiceOptions>]>([
    ['the defaults', {}],
    ['exec sleep on 1.29', { kubernetesVersion: '1.29' }],
    ['no namespace', { namespace: undefined }],
    ['zones, labels, port, replicas and surge', { spreadAcrossZones: true, labels: { team: 'shop' }, port: 9090, replicas: 4, maxSurge: 2 }],
    ['set timings, a fractional app drain and a long minReady', { preStopDelay: Duration.seconds(50), appDrainTime: Duration.millis(1500), minReady: Duration.minutes(11) }],
  ])('built from the plan, equals what lib/read reads from the emitted objects: %s', (_case, overrides) => {
    const plan = new DrainingServicePlan({ ...base, ...overrides });
    const edge = gatewayRoutingTo(plan);
    expect(plan.upstreamModel()).toEqual(readUpstream(edge, objects(plan.objects()), plan.facts.deploymentObject));
  });

  test('is the model of the spec under the budget, in the namespace given', () => {
    const spec = resolveDrainingServiceOptions({ ...base, namespace: undefined });
    const model = drainingServiceUpstreamModel(spec, solveDrainingBudget(spec, []), 'apps');
    expect(model.workload.object).toBe('Deployment/apps/orders');
    expect(model.workload.disruptionBudget).toEqual({ object: 'PodDisruptionBudget/apps/orders', maxUnavailable: 1 });
    expect(model.services.map((service) => [service.object, service.headless])).toEqual([['Service/apps/orders', false], ['Service/apps/orders-headless', true]]);
  });

  test('has no findings against the gateways it was solved for, and a finding against a slower one', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery(), 5);
    const plan = new DrainingServicePlan(base);
    plan.registerGateway(eds.inFront);
    expect(checkUpstream(plan.upstreamModel(), [eds.model])).toEqual([]);
    expect(checkUpstream(plan.upstreamModel(), [dns.model]).map((finding) => finding.rule)).toContain('upstream-stops-before-gateways-forget-it');
  });
});
