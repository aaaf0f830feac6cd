import { assumedLoadBalancer } from '../../../lib/core/load-balancer';
import { solveGatewayBudget } from '../../../lib/core/timing/solver';
import { gatewayWorkloadSeconds } from '../../../lib/core/timing/workload-seconds';

describe('gatewayWorkloadSeconds', () => {
  test('rounds keepServing and minReady up to whole seconds, never down', () => {
    const budget = { ...solveGatewayBudget({ loadBalancer: assumedLoadBalancer(), drainTimeoutSeconds: 15 }), keepServingSeconds: 30.2, minReadySeconds: 25.5 };
    expect(gatewayWorkloadSeconds(budget)).toEqual({ keepServingSeconds: 31, terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds, minReadySeconds: 26 });
  });

  test('keeps whole seconds as they are', () => {
    const budget = solveGatewayBudget({ loadBalancer: assumedLoadBalancer(), drainTimeoutSeconds: 15 });
    expect(gatewayWorkloadSeconds(budget)).toEqual({
      keepServingSeconds: budget.keepServingSeconds,
      terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
      minReadySeconds: budget.minReadySeconds,
    });
  });
});
