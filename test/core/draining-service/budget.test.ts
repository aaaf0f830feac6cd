import { buildDrainingService, drainingDurations, drainingSeconds } from '../../../lib/core/draining-service';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { DEFAULT_MARGIN_SECONDS, defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { base, container, edsDiscovery, gatewayPair } from './support';

describe('gateways in front set the timings', () => {
  test('an EDS gateway shortens the preStop to propagation + push + margin', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const built = buildDrainingService(base, [eds.inFront]);
    expect(container(built).lifecycle.preStop.sleep.seconds).toBe(1 + 1 + DEFAULT_MARGIN_SECONDS);
    expect(built.budget.minReadySeconds).toBe(0);
  });

  test('the slowest gateway wins', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    const dns = gatewayPair('dns-gw', defaultDnsDiscovery(), 5);
    expect(buildDrainingService(base, [eds.inFront, dns.inFront]).budget.keepServingSeconds).toBe(41);
  });

  test('a gateway with static hosts is refused', () => {
    const stat = gatewayPair('static-gw', { ...edsDiscovery, kind: 'static' }, 5);
    expect(() => buildDrainingService(base, [stat.inFront])).toThrow(BudgetError);
  });
});

describe('drainingSeconds', () => {
  test('are the whole seconds the manifests carry, minReadySeconds rounded up', () => {
    const budget = { ...buildDrainingService(base).budget, minReadySeconds: 2.5 };
    expect(drainingSeconds(budget)).toEqual({ preStopDelay: budget.keepServingSeconds, terminationGracePeriod: budget.terminationGracePeriodSeconds, minReady: 3 });
  });
});

describe('drainingDurations', () => {
  test('are drainingSeconds as durations, so both faces report the same', () => {
    const budget = { ...buildDrainingService(base).budget, minReadySeconds: 2.5 };
    const durations = drainingDurations(budget);
    expect([durations.preStopDelay.toSeconds(), durations.terminationGracePeriod.toSeconds(), durations.minReady.toSeconds()])
      .toEqual([budget.keepServingSeconds, budget.terminationGracePeriodSeconds, 3]);
  });
});
