import { MECHANISM_LIST, MECHANISMS } from '../../../lib/core/timing/mechanisms';

describe('MECHANISMS', () => {
  test('each id is stable kebab-case and keyed by itself', () => {
    for (const [id, mechanism] of Object.entries(MECHANISMS)) {
      expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
      expect(mechanism.id).toBe(id);
    }
    expect(MECHANISM_LIST.map((each) => each.id)).toEqual(Object.keys(MECHANISMS));
  });

  test('each says which simulated scenario and placement show it, in one sentence', () => {
    for (const mechanism of MECHANISM_LIST) {
      expect(['gateway-rollout', 'upstream-rollout', 'node-drain']).toContain(mechanism.scenario);
      expect(['same-node', 'new-node', 'any']).toContain(mechanism.placement);
      expect(mechanism.description.length).toBeGreaterThan(40);
      expect(mechanism.description).not.toMatch(/\.\s+\S/);
    }
  });

  test('the mechanisms that need keep-alive clients say so', () => {
    expect(MECHANISMS['keepalive-cut-on-exit'].keepAlive).toBe(true);
    expect(MECHANISMS['upstream-exits-before-discovery'].keepAlive).toBe(false);
  });
});
