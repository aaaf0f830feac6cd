/**
 * Security contexts that meet the Pod Security Standards' `restricted` profile, as plain
 * Kubernetes JSON.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */

/**
 * The user distroless images name `nonroot`; any non-zero id works, this one keeps file
 * ownership in those images right.
 */
export const NON_ROOT_USER_ID = 65532;

/** Options of {@link restrictedSecurityContext} and {@link restrictedPodSecurityContext}. */
export interface RestrictedSecurityOptions {
  /** @default 65532 */
  readonly runAsUser?: number;
  /** @default - the same as runAsUser */
  readonly runAsGroup?: number;
  /**
   * Whether the root filesystem is mounted read-only; turn off only for images that must write
   * outside their volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** A container `SecurityContext`: non-root, no privilege escalation, no capabilities, read-only root, RuntimeDefault seccomp. */
export function restrictedSecurityContext(options: RestrictedSecurityOptions = {}): Record<string, unknown> {
  const user = options.runAsUser ?? NON_ROOT_USER_ID;
  if (!Number.isInteger(user) || user < 1) {
    throw new Error(`'runAsUser' (${user}) must be a positive user id: 0 is root`);
  }
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: options.runAsGroup ?? user,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: options.readOnlyRootFilesystem ?? true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A `PodSecurityContext` matching {@link restrictedSecurityContext}, so every container (sidecars included) inherits it. */
export function restrictedPodSecurityContext(options: RestrictedSecurityOptions = {}): Record<string, unknown> {
  const user = options.runAsUser ?? NON_ROOT_USER_ID;
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: options.runAsGroup ?? user,
    fsGroup: options.runAsGroup ?? user,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The first port a non-root process may bind: Linux's default `net.ipv4.ip_unprivileged_port_start`.
 * A pod lowers it with that (namespaced, safe) sysctl, but not on the host network, whose namespace
 * is the node's: the kubelet refuses the sysctl there. Added capabilities (NET_BIND_SERVICE) reach a
 * non-root process only through file capabilities, which Envoy's binary does not carry.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls
 */
export const UNPRIVILEGED_PORT_START = 1024;

/**
 * The ports a non-root container on the host network cannot bind (it exits with EACCES and
 * crash-loops). Empty when the pod is not on the host network or may run as root.
 */
export function unbindablePortsOnHostNetwork(ports: readonly number[], hostNetwork: boolean, runsAsNonRoot: boolean | undefined): number[] {
  if (!hostNetwork || runsAsNonRoot !== true) return [];
  return ports.filter((port) => port < UNPRIVILEGED_PORT_START);
}
