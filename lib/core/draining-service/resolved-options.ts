import { asDuration, Duration, DurationLike } from '../duration';
import { DEFAULT_KUBERNETES_VERSION } from '../kubernetes-version';
import { PreStopAction, resolvePreStopAction } from '../pre-stop';
import { checkReplicasAtMost, checkSecondsAtMost } from '../prop-bounds';
import { ContainerResources, DrainingServiceOptions, DrainingTimingOptions, HEADLESS_SERVICE_SUFFIX, MAX_DRAINING_SERVICE_NAME_LENGTH } from './options';

/** The options of a DrainingService with every default applied and every prop checked. */

/** Options with every default applied and validated, budget not yet solved. */
export interface DrainingServiceSpec {
  readonly name: string;
  readonly namespace?: string;
  readonly image: string;
  readonly port: number;
  readonly readinessPath: string;
  readonly replicas: number;
  readonly maxSurge: number;
  readonly appDrainSeconds: number;
  readonly preStopDelaySeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly minReadySeconds?: number;
  readonly spreadAcrossZones: boolean;
  readonly kubernetesVersion: string;
  readonly preStopAction: PreStopAction;
  readonly resources: ContainerResources;
  readonly env: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly command?: string[];
  readonly args?: string[];
  readonly serviceAccountName?: string;
}

/** An error in the shape the solver's `BudgetError` uses: `'prop' (value) must be bound: because`. */
export function propError(prop: string, value: unknown, bound: string, because: string, shownAs?: string): Error {
  const shown = shownAs ?? (typeof value === 'string' ? JSON.stringify(value) : String(value));
  return new Error(`'${prop}' (${shown}) must be ${bound}: ${because}`);
}

function checkWholeNumberAtLeast(prop: string, value: number, bound: number, because: string): number {
  if (!Number.isInteger(value)) throw propError(prop, value, 'a whole number', because);
  if (value < bound) throw propError(prop, value, `at least ${bound}`, because);
  return value;
}

function boundedWholeSeconds(prop: string, value: DurationLike | undefined): number | undefined {
  const seconds = asDuration(value)?.toWholeSeconds();
  return seconds === undefined ? undefined : checkSecondsAtMost(prop, seconds);
}

/** The default of `appDrainTime`. */
export const DEFAULT_APP_DRAIN_TIME = Duration.seconds(5);

/**
 * The rollout's `maxSurge`, checked.
 * @throws an error naming the prop, the value and the bound
 */
export function checkMaxSurge(maxSurge = 1): number {
  return checkWholeNumberAtLeast('maxSurge', maxSurge, 1,
    'maxUnavailable is 0 so that capacity never drops during a rollout, and Kubernetes needs at least one of the two above 0 to make progress');
}

/**
 * The cluster's Kubernetes version and the preStop action the timing options ask for on it.
 * @throws when the version is not one, or `sleep` is asked for on a cluster without it
 */
export function resolveDrainingPreStop(options: Pick<DrainingTimingOptions, 'kubernetesVersion' | 'preStopAction'>): { kubernetesVersion: string; preStopAction: PreStopAction } {
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  return { kubernetesVersion, preStopAction: resolvePreStopAction(kubernetesVersion, options.preStopAction) };
}

/** A DNS-1035 label (what Service names must be). */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** @throws when a prop that names or runs the service (name, image, readiness path, port) is unusable */
function checkIdentity(options: DrainingServiceOptions): { name: string; readinessPath: string; port: number } {
  const name = options.name;
  if (typeof name !== 'string' || !DNS_LABEL.test(name) || name.length > MAX_DRAINING_SERVICE_NAME_LENGTH) {
    throw propError('name', name, `a DNS label of at most ${MAX_DRAINING_SERVICE_NAME_LENGTH} characters (lowercase letters, digits and '-', starting with a letter)`,
      `it names the Services, and '<name>${HEADLESS_SERVICE_SUFFIX}' must still fit the 63 characters of a DNS label`);
  }
  if (typeof options.image !== 'string' || options.image.trim() === '') {
    throw propError('image', options.image, 'a container image reference', 'the pod has nothing to run without one');
  }
  const readinessPath = options.readinessPath;
  if (typeof readinessPath !== 'string' || readinessPath === '') {
    throw propError('readinessPath', readinessPath, 'an HTTP path such as \'/ready\'',
      'a service without a readiness probe cannot drain: new pods would take requests before they serve, and gateways could not health-check it');
  }
  if (!readinessPath.startsWith('/')) {
    throw propError('readinessPath', readinessPath, 'an absolute HTTP path starting with \'/\'', 'the kubelet and the gateways request it as the path of a URL');
  }
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw propError('port', port, 'a whole number from 1 to 65535', 'it is a TCP port');
  }
  return { name, readinessPath, port };
}

/**
 * Applies the defaults and checks every prop that does not depend on the gateways in front.
 * @throws an error naming the prop, the value and the bound
 */
export function resolveDrainingServiceOptions(options: DrainingServiceOptions): DrainingServiceSpec {
  const { name, readinessPath, port } = checkIdentity(options);
  const replicas = checkWholeNumberAtLeast('replicas', options.replicas ?? 2, 2,
    'with one replica a node drain, an eviction or a crash leaves no pod to serve, and the disruption budget would block node drains');
  checkReplicasAtMost('replicas', replicas);
  const maxSurge = checkMaxSurge(options.maxSurge);
  const appDrainSeconds = checkSecondsAtMost('appDrainTime', asDuration(options.appDrainTime ?? DEFAULT_APP_DRAIN_TIME).toSeconds());
  const { kubernetesVersion, preStopAction } = resolveDrainingPreStop(options);
  return {
    name,
    namespace: options.namespace,
    image: options.image,
    port,
    readinessPath,
    replicas,
    maxSurge,
    appDrainSeconds,
    // Kubernetes takes whole seconds; rounding up never shortens a window, and the solver then
    // checks exactly what the manifest will say.
    preStopDelaySeconds: boundedWholeSeconds('preStopDelay', options.preStopDelay),
    terminationGracePeriodSeconds: boundedWholeSeconds('terminationGracePeriod', options.terminationGracePeriod),
    minReadySeconds: boundedWholeSeconds('minReady', options.minReady),
    spreadAcrossZones: options.spreadAcrossZones ?? false,
    kubernetesVersion,
    preStopAction,
    resources: options.resources ?? {},
    env: options.env ?? {},
    labels: options.labels ?? {},
    command: options.command,
    args: options.args,
    serviceAccountName: options.serviceAccountName,
  };
}
