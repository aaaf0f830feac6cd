import { Chart, Duration, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { DrainingService } from '../../../lib/cdk8s/draining-service';
import { HealthCheckedNlb } from '../../../lib/cdk8s/health-checked-nlb';
import { HitlessGateway } from '../../../lib/cdk8s/hitless-gateway';
import { checkManifestText } from '../../../lib/check';
import { Finding } from '../../../lib/core/finding';
import { GatewayModel, Topology, UpstreamModel } from '../../../lib/core/model';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { checkGateway, checkTopology } from '../../../lib/core/timing/invariants';
import { MECHANISMS } from '../../../lib/core/timing/mechanisms';
import { solveGatewayBudget } from '../../../lib/core/timing/solver';
import { readManifestText } from '../../../lib/read';
import { drain, gateway as gatewayModel, lbService, loadBalancer, workload } from '../../support/models';

/**
 * One truth (issue 11): the solver accepts a configuration exactly when the checker finds no error
 * in what the constructs emit, and every value the solver refuses is an error for the checker.
 * Chains are random: NLB interval, timeout and thresholds, target type, replicas, and user
 * overrides on the gateway, the NLB and the upstream, each either left to the solver or set by hand.
 */

interface Chain {
  readonly interval: number;
  readonly timeout: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly targetType: 'instance' | 'ip';
  readonly drainTimeout: number;
  readonly replicas: number;
  readonly appDrain: number;
  readonly gateway: { keepServing?: number; terminationGracePeriod?: number; minReady?: number };
  readonly nlb: { unhealthyDrainingInterval?: number; unhealthyConnectionTermination?: boolean; deregistrationDelay?: number };
  readonly upstream: { preStopDelay?: number; terminationGracePeriod?: number; minReady?: number };
}

type Owner = 'gateway' | 'nlb' | 'upstream';

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

const chains: fc.Arbitrary<Chain> = fc.record({
  interval: fc.integer({ min: 5, max: 30 }),
  timeoutFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  healthyThreshold: fc.integer({ min: 2, max: 10 }),
  unhealthyThreshold: fc.integer({ min: 2, max: 10 }),
  targetType: fc.constantFrom<'instance' | 'ip'>('instance', 'instance', 'ip'),
  drainTimeout: fc.integer({ min: 1, max: 30 }),
  replicas: fc.integer({ min: 2, max: 4 }),
  appDrain: fc.integer({ min: 0, max: 20 }),
  gateway: fc.record({ keepServing: maybe(fc.integer({ min: 0, max: 400 })), terminationGracePeriod: maybe(fc.integer({ min: 0, max: 600 })), minReady: maybe(fc.integer({ min: 0, max: 320 })) }),
  nlb: fc.record({ unhealthyDrainingInterval: maybe(fc.integer({ min: 0, max: 600 })), unhealthyConnectionTermination: maybe(fc.constantFrom(false, false, true)), deregistrationDelay: maybe(fc.integer({ min: 0, max: 600 })) }),
  upstream: fc.record({ preStopDelay: maybe(fc.integer({ min: 20, max: 60 })), terminationGracePeriod: maybe(fc.integer({ min: 20, max: 100 })), minReady: maybe(fc.integer({ min: 0, max: 60 })) }),
}).map(({ timeoutFraction, ...chain }) => ({ ...chain, timeout: Math.max(2, Math.floor(2 + timeoutFraction * (Math.min(chain.interval, 20) - 2))) }));

const seconds = (value: number | undefined) => (value === undefined ? undefined : Duration.seconds(value));

/** Builds the chain with cdk8s; a BudgetError comes back with the construct that threw it. */
function build(chain: Chain): { text: string } | { refused: BudgetError; owner: Owner } {
  const chart: Chart = Testing.chart();
  let owner: Owner = 'upstream';
  try {
    const orders = new DrainingService(chart, 'orders', {
      name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready', replicas: chain.replicas,
      appDrainTime: Duration.seconds(chain.appDrain),
      preStopDelay: seconds(chain.upstream.preStopDelay),
      terminationGracePeriod: seconds(chain.upstream.terminationGracePeriod),
      minReady: seconds(chain.upstream.minReady),
    });
    owner = 'gateway';
    const gateway = new HitlessGateway(chart, 'gateway', {
      name: 'gateway', namespace: 'edge', drainTimeout: Duration.seconds(chain.drainTimeout),
      keepServing: seconds(chain.gateway.keepServing),
      terminationGracePeriod: seconds(chain.gateway.terminationGracePeriod),
      minReady: seconds(chain.gateway.minReady),
    });
    gateway.addRoute({ prefix: '/orders', service: orders });
    owner = 'nlb';
    new HealthCheckedNlb(chart, 'nlb', {
      gateway,
      targetType: chain.targetType,
      healthCheckInterval: Duration.seconds(chain.interval),
      healthCheckTimeout: Duration.seconds(chain.timeout),
      healthyThreshold: chain.healthyThreshold,
      unhealthyThreshold: chain.unhealthyThreshold,
      unhealthyDrainingInterval: seconds(chain.nlb.unhealthyDrainingInterval),
      unhealthyConnectionTermination: chain.nlb.unhealthyConnectionTermination,
      deregistrationDelay: seconds(chain.nlb.deregistrationDelay),
    });
    // An override refused only by the assumed load balancer surfaces at synth, once none was attached.
    owner = 'gateway';
    return { text: Testing.synth(chart).map((object) => YAML.stringify(object)).join('---\n') };
  } catch (caught) {
    if (caught instanceof BudgetError) return { refused: caught, owner };
    throw caught;
  }
}

/** The override a refusal names, removed from the chain, so that the solver derives it instead. */
function without(chain: Chain, owner: Owner, prop: string): Chain {
  // Gateway props can be refused from the NLB's solve (the gateway solves again behind it).
  const scope = owner === 'upstream' ? 'upstream' : prop in chain.nlb ? 'nlb' : 'gateway';
  const key = prop === 'preStopDelay' ? 'preStopDelay' : prop;
  const part = { ...chain[scope] } as Record<string, unknown>;
  if (!(key in part) || part[key] === undefined) throw new Error(`refusal of '${prop}' by the ${owner} names no override the chain set: ${JSON.stringify(chain)}`);
  delete part[key];
  return { ...chain, [scope]: part };
}

/** The refused value set by hand on the model read back from the accepted chain's manifests. */
function withRefusedValue(topology: Topology, owner: Owner, prop: string, chain: Chain): Topology {
  const [gateway] = topology.gateways;
  const upstream = topology.upstreams.find((each) => each.workload.name === 'orders')!;
  const setGateway = (patch: (model: GatewayModel) => GatewayModel): Topology => ({ ...topology, gateways: [patch(gateway)] });
  const setUpstream = (patch: (model: UpstreamModel) => UpstreamModel): Topology => ({ ...topology, upstreams: topology.upstreams.map((each) => (each === upstream ? patch(each) : each)) });
  const setLoadBalancer = (fields: object) => setGateway((model) => ({ ...model, services: model.services.map((service) => (service.loadBalancer ? { ...service, loadBalancer: { ...service.loadBalancer, ...fields } } : service)) }));
  if (owner === 'upstream') {
    if (prop === 'preStopDelay') return setUpstream((model) => ({ ...model, workload: { ...model.workload, drain: { ...model.workload.drain, keepServingSeconds: chain.upstream.preStopDelay! } } }));
    if (prop === 'terminationGracePeriod') return setUpstream((model) => ({ ...model, workload: { ...model.workload, terminationGracePeriodSeconds: chain.upstream.terminationGracePeriod! } }));
  }
  if (prop === 'keepServing') return setGateway((model) => ({ ...model, workload: { ...model.workload, drain: { ...model.workload.drain, keepServingSeconds: chain.gateway.keepServing! } } }));
  if (prop === 'terminationGracePeriod') return setGateway((model) => ({ ...model, workload: { ...model.workload, terminationGracePeriodSeconds: chain.gateway.terminationGracePeriod! } }));
  if (prop === 'minReady') return setGateway((model) => ({ ...model, workload: { ...model.workload, minReadySeconds: chain.gateway.minReady! } }));
  if (prop === 'unhealthyDrainingInterval') return setLoadBalancer({ unhealthyDrainingIntervalSeconds: chain.nlb.unhealthyDrainingInterval! });
  if (prop === 'unhealthyConnectionTermination') return setLoadBalancer({ unhealthyConnectionTermination: true });
  if (prop === 'deregistrationDelay') return setLoadBalancer({ deregistrationDelaySeconds: chain.nlb.deregistrationDelay! });
  throw new Error(`no way to set '${prop}' of the ${owner} on the model`);
}

const dropErrors = (findings: Finding[]) => findings.filter((finding) => finding.severity === 'error' && finding.category !== 'security');

describe('the solver and the checker agree (fast-check over random chains)', () => {
  test('the solver accepts a chain ⇔ the checker finds no error in what the constructs emit; what it refuses, the checker reports', () => {
    let accepted = 0;
    let refusals = 0;
    fc.assert(fc.property(chains, (original) => {
      let chain = original;
      const refused: { owner: Owner; prop: string }[] = [];
      let built = build(chain);
      while ('refused' in built) {
        refused.push({ owner: built.owner, prop: built.refused.prop });
        chain = without(chain, built.owner, built.refused.prop);
        built = build(chain);
      }
      const report = checkManifestText(built.text, 'chain.yaml');
      // Accepted: not one error (warnings for margins may remain).
      expect(dropErrors(report.findings).map((finding) => `${finding.rule}: ${finding.message}`)).toEqual([]);
      expect(report.verdict).toBe('hitless');
      if (refused.length === 0) accepted++;
      // Refused: the value set by hand on what was emitted is an error, with a mechanism.
      const { topology } = readManifestText(built.text, 'chain.yaml');
      for (const { owner, prop } of refused) {
        refusals++;
        const errors = dropErrors(checkTopology(withRefusedValue(topology, owner, prop, original)));
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) expect(Object.keys(MECHANISMS)).toContain(error.mechanism);
      }
    }), { numRuns: 60, seed: 11 });
    // Both sides of the property were exercised.
    expect(accepted).toBeGreaterThan(0);
    expect(refusals).toBeGreaterThan(0);
  });

  test('with externalTrafficPolicy Cluster, the solver accepts keep-serving exactly where the checker finds no error', () => {
    fc.assert(fc.property(fc.integer({ min: 5, max: 30 }), fc.integer({ min: 2, max: 10 }), fc.double({ min: 0, max: 40, noNaN: true }), (interval, unhealthyThreshold, keepServing) => {
      const lb = loadBalancer({ healthCheck: { intervalSeconds: interval, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold } });
      let accepts = true;
      try {
        solveGatewayBudget({ loadBalancer: lb, drainTimeoutSeconds: 10, keepServingSeconds: keepServing, externalTrafficPolicy: 'Cluster' });
      } catch (caught) {
        if (!(caught instanceof BudgetError)) throw caught;
        accepts = false;
      }
      const derived = solveGatewayBudget({ loadBalancer: lb, drainTimeoutSeconds: 10, externalTrafficPolicy: 'Cluster' });
      const model = gatewayModel({
        workload: workload({ drain: drain({ keepServingSeconds: keepServing, drainSeconds: 10 }), terminationGracePeriodSeconds: Math.max(derived.terminationGracePeriodSeconds, Math.ceil(keepServing) + 15), minReadySeconds: 0 }),
        services: [lbService({ externalTrafficPolicy: 'Cluster', loadBalancer: lb })],
      });
      expect(dropErrors(checkGateway(model)).length === 0).toBe(accepts);
    }), { numRuns: 100, seed: 11 });
  });
});
