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
      newConnectionWindowSeconds: 26,
      recoveryWindowSeconds: 20,
      keepServingSeconds: 31,
      drainTimeoutSeconds: 15,
      preStopSeconds: 46,
      terminationGracePeriodSeconds: 51,
      minReadySeconds: 25,
      unhealthyDrainingIntervalSeconds: 25,
    });
  });

  test('what it derives passes the invariants it shares', () => {
    for (const lb of [loadBalancer(), loadBalancer({ healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 } }), loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 300 })]) {
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
      .toThrow("'preStopDelay' (5s) must be at least the load balancer's detection window plus margin (31s): the load balancer marks a failing target unhealthy only after 2 × 10s + 6s timeout = 26s");
  });

  test('accepts overrides at their bounds', () => {
    const budget = solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, keepServingSeconds: 31, terminationGracePeriodSeconds: 51, minReadySeconds: 25, unhealthyDrainingIntervalSeconds: 25 });
    expect(budget.keepServingSeconds).toBe(31);
  });

  test('fails when the grace period does not cover the preStop', () => {
    const error = (() => {
      try {
        solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, terminationGracePeriodSeconds: 50 });
      } catch (caught) {
        return caught as BudgetError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BudgetError);
    expect(error).toMatchObject({ prop: 'terminationGracePeriod', value: '50s', bound: 'at least the whole preStop plus margin (51s)' });
  });

  test('fails when minReady is shorter than the recovery window', () => {
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, minReadySeconds: 24 })).toThrow(/'minReadySeconds' \(24s\) must be at least the load balancer's recovery window plus margin \(25s\)/);
  });

  test('fails when the unhealthy draining interval does not cover the drain', () => {
    expect(() => solveGatewayBudget({ loadBalancer: loadBalancer(), drainTimeoutSeconds: 15, unhealthyDrainingIntervalSeconds: 24 })).toThrow(/'unhealthyDrainingInterval' \(24s\)/);
  });
});

describe('solveUpstreamBudget', () => {
  test('derives the preStop from the slowest gateway in front', () => {
    const budget = solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], activeHealthCheckIntervalSeconds: 5, appDrainSeconds: 5 });
    expect(budget).toEqual({ marginSeconds: 5, discoveryDelaySeconds: 36, keepServingSeconds: 41, appDrainSeconds: 5, terminationGracePeriodSeconds: 51, minReadySeconds: 46 });
    const upstreamWorkload = workload({ drain: drain({ mechanism: 'sleep', keepServingSeconds: budget.keepServingSeconds, drainSeconds: 0 }) });
    expect(checkUpstreamPropagation(upstreamWorkload, [{ gateway: 'gw', cluster: cluster() }])).toEqual([]);
  });

  test('fails when a preStop override is shorter than discovery, and passes at the bound', () => {
    expect(() => solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], activeHealthCheckIntervalSeconds: 5, appDrainSeconds: 5, keepServingSeconds: 40, propNames: { keepServing: 'preStopDelay' } }))
      .toThrow("'preStopDelay' (40s) must be at least the gateways' discovery delay plus margin (41s)");
    expect(solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], activeHealthCheckIntervalSeconds: 5, appDrainSeconds: 5, keepServingSeconds: 41 }).keepServingSeconds).toBe(41);
  });

  test('fails for gateways that list hosts statically', () => {
    expect(() => solveUpstreamBudget({ discoveries: [{ ...defaultDnsDiscovery(), kind: 'static' }], activeHealthCheckIntervalSeconds: 0, appDrainSeconds: 0 })).toThrow(/'discovery' \(static\)/);
  });

  test('grace period grows with the app drain time', () => {
    expect(solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], activeHealthCheckIntervalSeconds: 5, appDrainSeconds: 20 }).terminationGracePeriodSeconds).toBe(66);
    expect(() => solveUpstreamBudget({ discoveries: [defaultDnsDiscovery()], activeHealthCheckIntervalSeconds: 5, appDrainSeconds: 20, terminationGracePeriodSeconds: 65 })).toThrow(/'terminationGracePeriod' \(65s\)/);
  });
});
