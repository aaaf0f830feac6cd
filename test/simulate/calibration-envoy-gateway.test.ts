import { simulateRuns } from '../../lib/simulate';
import { ENVOY_GATEWAY_LOAD, envoyGatewayTopology } from './fixtures';

/**
 * Issue 7's proof at Envoy Gateway's zero-downtime CI load: 2,000 requests/s over 50 keep-alive
 * connections plus 3 s long requests, 100 seeds per scenario, on Envoy Gateway's shape (EDS, an NLB
 * checking every 5 s) with every timing from the solver. Durations cover the rollout and no more;
 * the test checks that the rollout finished in every run.
 */
describe("the settings hitless derives lose no request at Envoy Gateway's CI load", () => {
  const load = { ...ENVOY_GATEWAY_LOAD };
  const parameters = { rolloutStartSeconds: 2 };

  test.each([
    ['gateway-rollout', 'Deployment', 78],
    ['upstream-rollout', 'Deployment', 56],
    ['node-drain', 'Deployment', 36],
    ['gateway-daemonset-rollout', 'DaemonSet', 104],
  ] as const)('%s (%s gateway), 100 seeds', (scenario, kind, durationSeconds) => {
    const summary = simulateRuns(envoyGatewayTopology(kind), { scenario, load: { ...load, durationSeconds }, parameters, seed: 1 }, 100);
    expect(summary.rolloutSeconds).not.toBeNull();
    expect(summary.failed.max).toBe(0);
    expect(summary.requests).toBeGreaterThan(100 * durationSeconds * 1900);
  });
});
