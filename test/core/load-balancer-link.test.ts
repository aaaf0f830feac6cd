import { assumedLoadBalancer } from '../../lib/core/load-balancer';
import { Duration } from '../../lib/core/duration';
import { attachPlannedLoadBalancer } from '../../lib/core/load-balancer-link';
import { LoadBalancerModel } from '../../lib/core/model';
import { BudgetError } from '../../lib/core/timing/budget-error';
import { recordingGateway } from '../support/recording-gateway';

/** The assumed NLB with faster health checks: a 2 × 5 s + 2 s detection window. */
function fasterChecks(): LoadBalancerModel {
  return { ...assumedLoadBalancer('Service/edge/gateway'), healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 } };
}

function keepServingGateway(keepServing?: Duration) {
  return recordingGateway({ drainTimeout: Duration.seconds(20), ...(keepServing ? { keepServing } : {}) });
}

describe('attachPlannedLoadBalancer', () => {
  test("plans with the gateway's pure solver, attaches the planned load balancer once, and returns the gateway's budget behind it", () => {
    const { gateway, attachments } = keepServingGateway();
    const model = fasterChecks();
    const { planned, budget } = attachPlannedLoadBalancer(gateway, (solveBudget) => {
      const solved = solveBudget(model);
      // Solving attached nothing: the gateway still stands behind the assumed load balancer.
      expect(attachments).toEqual([]);
      expect(gateway.loadBalancer.healthCheck.intervalSeconds).toBe(10);
      return { keepServing: solved.keepServingSeconds, attachment: { model, serviceAnnotations: { planned: 'yes' } } };
    });
    expect(attachments).toEqual([{ model, serviceAnnotations: { planned: 'yes' } }]);
    expect(gateway.loadBalancer).toBe(model);
    expect(budget).toEqual(gateway.budget);
    expect(planned.keepServing).toBe(budget.keepServingSeconds);
    // 2 × 5 s + 2 s timeout + 5 s margin
    expect(budget.keepServingSeconds).toBe(17);
  });

  test('attaches nothing when the plan fails', () => {
    const { gateway, attachments } = keepServingGateway(Duration.seconds(5));
    expect(() => attachPlannedLoadBalancer(gateway, (solveBudget) => ({ attachment: { model: fasterChecks(), serviceAnnotations: {} }, budget: solveBudget(fasterChecks()) })))
      .toThrow(BudgetError);
    expect(attachments).toEqual([]);
  });
});
