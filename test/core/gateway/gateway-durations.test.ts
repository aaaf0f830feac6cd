import { gatewayDurations } from '../../../lib/core/gateway/gateway-durations';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';

describe('gatewayDurations', () => {
  test('reports the solved timings of the assumed NLB as the workload states them', () => {
    const durations = gatewayDurations(new GatewayPlan({ name: 'edge' }).budget);
    expect([durations.keepServing.toString(), durations.terminationGracePeriod.toString(), durations.minReady.toString()]).toEqual(['31s', '1m6s', '25s']);
  });

  test('rounds a fractional keep-serving window and minReady up to whole seconds, never down', () => {
    const budget = { ...new GatewayPlan({ name: 'edge' }).budget, keepServingSeconds: 30.2, minReadySeconds: 24.1 };
    const durations = gatewayDurations(budget);
    expect([durations.keepServing.toSeconds(), durations.minReady.toSeconds()]).toEqual([31, 25]);
  });
});
