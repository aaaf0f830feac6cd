import { resolveIntOrPercent } from '../../lib/core/int-or-percent';

describe('resolveIntOrPercent', () => {
  test('a percentage rounds up for surge and budgets, down for unavailable, as Kubernetes does', () => {
    expect(resolveIntOrPercent('10%', 5, true)).toBe(1);
    expect(resolveIntOrPercent('10%', 5, false)).toBe(0);
    expect(resolveIntOrPercent('25%', 10, true)).toBe(3);
    expect(resolveIntOrPercent('25%', 10, false)).toBe(2);
    expect(resolveIntOrPercent(' 50% ', 3, true)).toBe(2);
  });

  test('a number is taken whole and is not scaled by the total', () => {
    expect(resolveIntOrPercent(2, 10, true)).toBe(2);
    expect(resolveIntOrPercent(0, 10, false)).toBe(0);
    expect(resolveIntOrPercent('3', 10, false)).toBe(3);
  });

  test('fails on a string that is neither a number nor a percentage', () => {
    expect(() => resolveIntOrPercent('half', 4, true)).toThrow("'half' is neither a whole number nor a percentage");
  });
});
