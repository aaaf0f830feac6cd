import { formatKubernetesVersion, isAtLeast, KubernetesVersion, parseKubernetesVersion } from './kubernetes-version';
import { DrainModel } from './model';

/**
 * How a preStop hook waits:
 * - `sleep`: the kubelet's own `sleep` lifecycle action; needs nothing in the image.
 * - `exec`: runs `sleep N` in the container; needs a `sleep` binary in the image (distroless and scratch images have none).
 */
export type PreStopAction = 'sleep' | 'exec';

/**
 * The first release in which the `sleep` lifecycle action is on by default (beta, feature gate
 * `PodLifecycleSleepAction`); it is GA from 1.34. Alpha in 1.29 means off unless the cluster
 * operator turned the gate on, which a manifest cannot know.
 * @see https://github.com/kubernetes/enhancements/issues/3960
 */
export const SLEEP_ACTION_SINCE: KubernetesVersion = { major: 1, minor: 30 };

/** Whether a cluster of this version accepts the `sleep` lifecycle action without extra feature gates. */
export function supportsSleepAction(version: KubernetesVersion | string): boolean {
  const parsed = typeof version === 'string' ? parseKubernetesVersion(version) : version;
  return isAtLeast(parsed, SLEEP_ACTION_SINCE);
}

/**
 * The preStop action to use: the one the user asked for, else the native `sleep` action when the
 * cluster has it (no binary needed in the image), else `exec` sleep.
 * @param versionProp the prop the version came from, named in errors
 * @param actionProp the prop the action came from, named in errors
 * @throws when `sleep` is asked for on a cluster that does not have it
 */
export function resolvePreStopAction(kubernetesVersion: string, requested?: PreStopAction, versionProp = 'kubernetesVersion', actionProp = 'preStopAction'): PreStopAction {
  const version = parseKubernetesVersion(kubernetesVersion, versionProp);
  if (requested !== undefined && requested !== 'sleep' && requested !== 'exec') {
    throw new Error(`'${actionProp}' (${JSON.stringify(requested)}) must be 'sleep' or 'exec'`);
  }
  if (requested === 'sleep' && !supportsSleepAction(version)) {
    throw new Error(
      `'${actionProp}' (sleep) must be used with '${versionProp}' at least ${formatKubernetesVersion(SLEEP_ACTION_SINCE)} (got ${formatKubernetesVersion(version)}): ` +
      'the preStop sleep action is off by default before 1.30 and the API server rejects the pod; use \'exec\' (needs a sleep binary in the image)',
    );
  }
  return requested ?? (supportsSleepAction(version) ? 'sleep' : 'exec');
}

/**
 * A preStop handler that waits `seconds` (whole seconds: both forms take integers), as plain
 * Kubernetes JSON (`LifecycleHandler`).
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#hook-handler-implementations
 */
export function preStopSleepHandler(seconds: number, action: PreStopAction): Record<string, unknown> {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`a preStop sleep must be a whole number of seconds, 0 or more (got ${seconds})`);
  }
  return action === 'sleep'
    ? { sleep: { seconds } }
    : { exec: { command: ['sleep', String(seconds)] } };
}

/**
 * The model of the hook {@link preStopSleepHandler} emits: the pod keeps serving for `seconds`,
 * then gets SIGTERM; described as the manifest reader (`lib/read/pre-stop.ts`) describes that hook.
 */
export function preStopSleepDrain(seconds: number, action: PreStopAction): DrainModel {
  return {
    mechanism: 'sleep',
    failsHealthCheck: false,
    keepServingSeconds: seconds,
    drainSeconds: 0,
    drainsConnections: false,
    description: action === 'sleep' ? `sleep action, ${seconds}s` : `sleep ${seconds}`,
  };
}
