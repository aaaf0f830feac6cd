import { WITNESS_PLANS, witnessPlanFor } from '../../lib/check/witness-plans';
import { Finding } from '../../lib/core/finding';
import { GKE_MECHANISMS } from '../../lib/core/gke/mechanisms';
import { MECHANISM_LIST } from '../../lib/core/timing/mechanisms';

const finding = (overrides: Partial<Finding>): Finding => ({ rule: 'x', category: 'lb-detection', severity: 'error', objects: [], message: '', fix: '', ...overrides });

describe('witness plans', () => {
  test('a finding is played by its mechanism, with the scenario, placement and keep-alive MECHANISMS gives it', () => {
    expect(witnessPlanFor(finding({ rule: 'anything', mechanism: 'keepalive-reset-by-lb' }))).toEqual(WITNESS_PLANS['keepalive-reset-by-lb']);
    for (const mechanism of MECHANISM_LIST) {
      const plan = WITNESS_PLANS[mechanism.id];
      expect(plan.scenarios).toEqual([mechanism.scenario === 'node-drain' ? 'node-drain' : 'rollout']);
      expect(plan.workload).toBe(mechanism.scenario === 'upstream-rollout' ? 'upstream' : 'named');
      expect(plan.placements).toEqual(mechanism.placement === 'any' ? ['new-node', 'same-node'] : [mechanism.placement]);
      expect(plan.loads.every((load) => load.keepAlive)).toBe(mechanism.keepAlive);
    }
  });

  test("GKE's mechanisms have plans, and its findings name them", () => {
    for (const mechanism of Object.values(GKE_MECHANISMS)) expect(WITNESS_PLANS[mechanism.id]).toMatchObject({ mechanism: mechanism.id, scenarios: ['rollout'] });
    expect(WITNESS_PLANS['neg-detach'].causes).toEqual(['neg-endpoint-gone']);
    expect(WITNESS_PLANS['neg-detach-connection-draining'].causes).toEqual(['neg-detached-in-flight']);
  });

  test('without a mechanism: a preStop that cannot run is played as no drain; security and schema findings are not played, saying why', () => {
    expect(witnessPlanFor(finding({ rule: 'prestop-exec-without-shell', category: 'no-drain' }))).toEqual(WITNESS_PLANS['no-drain']);
    expect(witnessPlanFor(finding({ rule: 'admin-not-on-loopback', category: 'security' }))).toEqual({ notSimulated: expect.stringMatching(/security finding: it drops no request by itself/) });
    expect(witnessPlanFor(finding({ rule: 'never-heard-of', category: 'schema' }))).toHaveProperty('notSimulated');
    expect(witnessPlanFor(finding({ rule: 'never-heard-of', category: 'upstream-propagation' }))).toEqual({ notSimulated: expect.stringMatching(/names no mechanism/) });
    expect(witnessPlanFor(finding({ rule: 'x', mechanism: 'made-up' }))).toEqual({ notSimulated: expect.stringMatching(/mechanism made-up, which the simulator does not know/) });
  });
});
