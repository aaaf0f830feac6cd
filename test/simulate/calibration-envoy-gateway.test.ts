import { simulateRuns } from '../../lib/simulate';
import { ENVOY_GATEWAY_LOAD, envoyGatewayTopology } from './fixtures';

/**
 * Issue 7's proof at Envoy Gateway's zero-downtime CI load: 2,000 requests/s over 50 keep-alive
 * connections plus 3 s long requests, 100 seeds per scenario, on Envoy Gateway's shape (EDS, an NLB
 * checking every 5 s) with every timing from the solver. Each run lasts until its rollout has
 * finished and settled; the test checks that it finished in every run.
 */
describe("the settings hitless derives lose no request at Envoy Gateway's CI load", () => {
  const load = { ...ENVOY_GATEWAY_LOAD };
  const parameters = { rolloutStartSeconds: 2 };

  test.each([
    ['gateway-rollout', 'Deployment'],
    ['upstream-rollout', 'Deployment'],
    ['node-drain', 'Deployment'],
    ['gateway-daemonset-rollout', 'DaemonSet'],
  ] as const)('%s (%s gateway), 100 seeds', (scenario, kind) => {
    const summary = simulateRuns(envoyGatewayTopology(kind), { scenario, load, parameters, seed: 1 }, 100);
    expect(summary.unfinished).toBe(0);
    expect(summary.failed.max).toBe(0);
    expect(summary.requests).toBeGreaterThan(100 * summary.rolloutSeconds!.min * 1900);
  });
});
