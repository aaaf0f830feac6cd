/** A Kubernetes minor release, the granularity at which features graduate. */
export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
}

/** The Kubernetes version hitless targets when the user names none: the oldest minor still widely supported by managed clusters that has the preStop `sleep` action on by default. */
export const DEFAULT_KUBERNETES_VERSION = '1.30';

/**
 * Parses `1.30`, `v1.30`, `1.30.2` or `v1.30.2-eks-1234` into its major and minor numbers.
 * @param prop the prop the text came from, named in the error
 * @throws when the text is not a Kubernetes version
 */
export function parseKubernetesVersion(text: string, prop = 'kubernetesVersion'): KubernetesVersion {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  if (!match) {
    throw new Error(`'${prop}' (${JSON.stringify(text)}) must be a Kubernetes version such as '1.30' or 'v1.30.2'`);
  }
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Whether `version` is `atLeast` or newer. */
export function isAtLeast(version: KubernetesVersion, atLeast: KubernetesVersion): boolean {
  return version.major > atLeast.major || (version.major === atLeast.major && version.minor >= atLeast.minor);
}

/** `1.30` */
export function formatKubernetesVersion(version: KubernetesVersion): string {
  return `${version.major}.${version.minor}`;
}
