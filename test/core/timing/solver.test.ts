import { gkeLoadBalancerModel } from '../../../lib/core/gke/model';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { checkCapacity, checkGracePeriod, checkKeepAlive, checkLoadBalancerDetection, checkUpstreamPropagation } from '../../../lib/core/timing/invariants';
import { solveGatewayBudget, solveUpstreamBudget } from '../../../lib/core/timing/solver';
import { defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { cluster, drain, loadBalancer, workload } from '../../support/models';

describe('solveGatewayBudget', () => {
  test('derives every gateway timing from the load balancer (Gloo guide NLB)', () => {
    const budget = solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15 });
    expect(budget).toEqual({
      marginSeconds: 5,
      detectionWindowSeconds: 26,
      newConnectionWindowSeconds: 22,
      recoveryWindowSeconds: 20,
      keepServingSeconds: 31,
      drainTimeoutSeconds: 15,
      preStopSeconds: 46,
      terminationGracePeriodSeconds: 51,
      minReadySeconds: 25,
      // preStop 46 s − the earliest unhealthy mark 10 s + 5 s margin.
      unhealthyDrainingIntervalSeconds: 41,
    });
  });

  test('what it derives passes the invariants it shares', () => {
    for (const lb of [loadBalancer(), loadBalancer({ healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 } }), loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 120 })]) {
      const budget = solveGatewayBudget({ loadBalancer: lb, drainTimeoutSeconds: 20 });
      const lbWithDrain = { ...lb, unhealthyDrainingIntervalSeconds: budget.unhealthyDrainingIntervalSeconds };
      const gw = workload({
        drain: drain({ keepServingSeconds: budget.keepServingSeconds, drainSeconds: budget.drainTimeoutSeconds }),
        terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
        minReadySeconds: budget.minReadySeconds,
      });
      expect([...checkLoadBalancerDetection(gw, lbWithDrain), ...checkKeepAlive(gw, lbWithDrain), ...checkGracePeriod(gw), ...checkCapacity(gw, lbWithDrain)]).toEqual([]);
    }
  });

  test('fails when a keep-serving override is shorter than the detection window, naming prop, value and bound', () => {
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, keepServingSeconds: 5, propNames: { keepServing: 'preStopDelay' } }))
      .toThrow("'preStopDelay' (5s) must be at least the load balancer's detection window (22s): the load balancer marks a target that answers its checks with 503 unhealthy only after 2 × 10s (+ jitter, + kube-proxy learning of it) = 22s");
  });

  describe('names the GKE load balancer it was solved for, in its own terms', () => {
    const gke = (shape: 'ingress' | 'gateway' | 'l4', negDetachSeconds: number, externalTrafficPolicy?: 'Local' | 'Cluster') => gkeLoadBalancerModel({
      object: 'Service/edge/gateway',
      shape,
      healthCheck: shape === 'l4' ? { intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 } : { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 },
      negDetachSeconds,
      ...(externalTrafficPolicy ? { externalTrafficPolicy } : {}),
    });

    test('the NEG detach, when it stops new requests first', () => {
      expect(() => solveGatewayBudget({ loadBalancer: gke('ingress', 10), drainTimeoutSeconds: 15, keepServingSeconds: 5 }))
        .toThrow("'keepServing' (5s) must be at least the NEG detach latency (10s): the GKE Ingress (Service/edge/gateway) sends the pod new requests through its NEG until the detach of its endpoint has propagated, 10s after the pod starts terminating, and its health check (2 × 5s + 5s timeout = 15s) fails it no sooner; the derived value adds 5s margin");
    });

    test('the health check, when it fails the draining gateway before the detach', () => {
      expect(() => solveGatewayBudget({ loadBalancer: gke('gateway', 40), drainTimeoutSeconds: 15, keepServingSeconds: 5 }))
        .toThrow("'keepServing' (5s) must be at least the load balancer's detection window (15s): the GKE Gateway (Service/edge/gateway) marks an endpoint that fails its health check unhealthy only after 2 × 5s + 5s timeout = 15s, sooner than the NEG detach (40s), and sends it new requests until then; the derived value adds 5s margin");
    });

    test("the node health check of an L4 load balancer, and kube-proxy's propagation with eTP Cluster", () => {
      expect(() => solveGatewayBudget({ loadBalancer: gke('l4', 0), drainTimeoutSeconds: 15, keepServingSeconds: 5 }))
        .toThrow("'keepServing' (5s) must be at least the load balancer's detection window (7s): the GKE L4 passthrough load balancer (Service/edge/gateway) marks a node whose gateway pod is terminating unhealthy (its healthCheckNodePort answers 503) only after 2 × 3s + 1s timeout = 7s, and sends it new connections until then; the derived value adds 5s margin");
      expect(() => solveGatewayBudget({ loadBalancer: gke('l4', 0, 'Cluster'), drainTimeoutSeconds: 15, keepServingSeconds: 0 }))
        .toThrow(/^'keepServing' \(0s\) must be at least kube-proxy's endpoint propagation \(\d+s\): behind the GKE L4 passthrough load balancer \(Service\/edge\/gateway\) with externalTrafficPolicy Cluster/);
    });
  });

  test('accepts overrides at the bounds that drop requests, where the checker only warns of the margin', () => {
    const budget = solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, keepServingSeconds: 22, terminationGracePeriodSeconds: 37, minReadySeconds: 10, unhealthyDrainingIntervalSeconds: 27 });
    expect(budget).toMatchObject({ keepServingSeconds: 22, preStopSeconds: 37, terminationGracePeriodSeconds: 37, minReadySeconds: 10, unhealthyDrainingIntervalSeconds: 27 });
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, keepServingSeconds: 21.5 })).toThrow(/'keepServing' \(21.5s\)/);
  });

  test('with eTP Cluster, derives keep-serving from kube-proxy propagation and asks no minReady', () => {
    const budget = solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, externalTrafficPolicy: 'Cluster' });
    expect(budget).toMatchObject({ keepServingSeconds: 6, minReadySeconds: 0 });
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, externalTrafficPolicy: 'Cluster', keepServingSeconds: 0.5 })).toThrow(/kube-proxy's endpoint propagation \(1s\)/);
  });

  test('refuses unhealthy-target connection termination, the mechanism the checker reports', () => {
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, unhealthyConnectionTermination: true }))
      .toThrow(/'unhealthyConnectionTermination' \(true\) must be false/);
  });

  test('fails when the grace period does not cover the preStop', () => {
    const error = (() => {
      try {
        solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, terminationGracePeriodSeconds: 45 });
      } catch (caught) {
        return caught as BudgetError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BudgetError);
    expect(error).toMatchObject({ prop: 'terminationGracePeriod', value: '45s', bound: 'at least the whole preStop (46s)' });
  });

  test('fails when minReady lets the old target turn unhealthy before its replacement is healthy', () => {
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, minReadySeconds: 9 })).toThrow(/'minReadySeconds' \(9s\) must be at least the load balancer's recovery window less its earliest unhealthy mark \(10s\)/);
  });

  test('fails when the unhealthy draining interval does not cover the drain', () => {
    // The same function as the checker's: 46 s preStop − 10 s earliest mark = 36 s.
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, unhealthyDrainingIntervalSeconds: 35 })).toThrow(/'unhealthyDrainingInterval' \(35s\) must be at least the part of the drain after the target may turn unhealthy \(36s\)/);
    expect(solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, unhealthyDrainingIntervalSeconds: 36 }).unhealthyDrainingIntervalSeconds).toBe(36);
  });
});

describe('solveUpstreamBudget', () => {
  test('derives the preStop from the slowest gateway in front', () => {
    const budget = solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], appDrainSeconds: 5 });
    // No minReadySeconds: old pods serve past the discovery delay, so gateways only ever hold serving pods.
    expect(budget).toEqual({ marginSeconds: 5, discoveryDelaySeconds: 36, keepServingSeconds: 41, appDrainSeconds: 5, terminationGracePeriodSeconds: 51, minReadySeconds: 0 });
    const upstreamWorkload = workload({ drain: drain({ mechanism: 'sleep', keepServingSeconds: budget.keepServingSeconds, drainSeconds: 0 }) });
    expect(checkUpstreamPropagation(upstreamWorkload, [{ gateway: 'gw', cluster: cluster() }])).toEqual([]);
  });

  test('fails when a preStop override is shorter than discovery, and passes at the bound', () => {
    expect(() => solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], appDrainSeconds: 5, keepServingSeconds: 35, propNames: { keepServing: 'preStopDelay' } }))
      .toThrow("'preStopDelay' (35s) must be at least the gateways' discovery delay (36s)");
    expect(solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], appDrainSeconds: 5, keepServingSeconds: 36 }).keepServingSeconds).toBe(36);
  });

  test('fails for gateways that list hosts statically', () => {
    expect(() => solveUpstreamBudget({ discoveries: [{ ...defaultDnsDiscovery(), kind: 'static' }], appDrainSeconds: 0 })).toThrow(/'discovery' \(static\)/);
  });

  test('grace period grows with the app drain time', () => {
    expect(solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], appDrainSeconds: 20 }).terminationGracePeriodSeconds).toBe(66);
    expect(() => solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], appDrainSeconds: 20, terminationGracePeriodSeconds: 60 })).toThrow(/'terminationGracePeriod' \(60s\)/);
    expect(solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], appDrainSeconds: 20, terminationGracePeriodSeconds: 61 }).terminationGracePeriodSeconds).toBe(61);
  });
});
