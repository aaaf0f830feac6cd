import { resolveLoad } from '../../lib/simulate/clients';
import { LoadWindow } from '../../lib/simulate/load-window';
import { resolveParameters } from '../../lib/simulate/parameters';
import { glooNlb } from './fixtures';

describe('LoadWindow', () => {
  const params = resolveParameters();

  test('a load without a duration runs until the rollout has settled, then a request timeout more', () => {
    const window = new LoadWindow(resolveLoad({ timeoutSeconds: 1 }), params, glooNlb(), undefined);
    expect(window.loadEndSeconds).toBe(params.maxRunSeconds);
    window.scenarioDone(100);
    expect(window.loadEndSeconds).toBeGreaterThan(100);
    expect(window.loadEndSeconds).toBeLessThan(params.maxRunSeconds);
    expect(window.runEndSeconds).toBe(window.loadEndSeconds + 2);
  });

  test('a load with a duration runs for it, whenever the scenario ends', () => {
    const window = new LoadWindow(resolveLoad({ durationSeconds: 30, longRequests: 1, longTimeoutSeconds: 10 }), params, glooNlb(), undefined);
    window.scenarioDone(5);
    expect(window.loadEndSeconds).toBe(30);
    expect(window.runEndSeconds).toBe(41);
  });
});
