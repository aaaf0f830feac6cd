import { formatKubernetesVersion, isAtLeast, parseKubernetesVersion } from '../../lib/core/kubernetes-version';

describe('parseKubernetesVersion', () => {
  test.each([
    ['1.30', { major: 1, minor: 30 }],
    ['v1.29', { major: 1, minor: 29 }],
    ['1.33.2', { major: 1, minor: 33 }],
    ['v1.31.4-eks-a737599', { major: 1, minor: 31 }],
    ['v1.30.5+k3s1', { major: 1, minor: 30 }],
  ])('reads %s', (text, version) => {
    expect(parseKubernetesVersion(text)).toEqual(version);
  });

  test.each(['latest', '1', '', '1.x'])('fails on %j, naming the prop', (text) => {
    expect(() => parseKubernetesVersion(text, 'kubernetesVersion')).toThrow(`'kubernetesVersion' (${JSON.stringify(text)}) must be a Kubernetes version`);
  });
});

test('isAtLeast compares minor releases numerically', () => {
  expect(isAtLeast({ major: 1, minor: 30 }, { major: 1, minor: 30 })).toBe(true);
  expect(isAtLeast({ major: 1, minor: 9 }, { major: 1, minor: 30 })).toBe(false);
  expect(isAtLeast({ major: 2, minor: 0 }, { major: 1, minor: 30 })).toBe(true);
  expect(formatKubernetesVersion({ major: 1, minor: 30 })).toBe('1.30');
});
