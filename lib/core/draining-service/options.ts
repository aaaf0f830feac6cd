import { DurationLike } from '../duration';
import { PreStopAction } from '../pre-stop';

/** What a user gives a DrainingService (both faces take these options as they are). */

/** Label every object of a DrainingService carries and its pods are selected by. */
export const DRAINING_SERVICE_SELECTOR_LABEL = 'app.kubernetes.io/name';

/** Suffix of the headless Service's name. */
export const HEADLESS_SERVICE_SUFFIX = '-headless';

/** Longest name whose headless Service name (`<name>-headless`) is still a valid DNS label (63). */
export const MAX_DRAINING_SERVICE_NAME_LENGTH = 63 - HEADLESS_SERVICE_SUFFIX.length;

/** CPU and memory of the container, as Kubernetes quantities (`100m`, `128Mi`). */
export interface ContainerResources {
  /**
   * What the scheduler reserves. Requests keep a surge pod from landing on a node with no room.
   * @default { cpu: '100m', memory: '128Mi' }
   */
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  /**
   * Hard caps.
   * @default - none: a CPU limit throttles the app while it drains; set a memory limit for your app
   */
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/**
 * The timing props of a draining workload, shared by a DrainingService and by making an existing
 * Deployment draining. Times are any duration (a cdk8s `Duration`, or hitless' `seconds(…)`).
 */
export interface DrainingTimingOptions {
  /**
   * How long the preStop hook keeps the pod serving after it is told to stop, before SIGTERM:
   * every gateway in front must have stopped choosing it by then.
   * Rounded up to whole seconds.
   * @default - derived: the slowest gateway's discovery delay plus margin (41s with the default DNS discovery)
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   */
  readonly preStopDelay?: DurationLike;
  /**
   * The time the application itself needs after SIGTERM to finish its in-flight requests.
   * @default - 5 seconds
   */
  readonly appDrainTime?: DurationLike;
  /**
   * `terminationGracePeriodSeconds`: when the kubelet kills the pod, counted from the start of
   * preStop. Rounded up to whole seconds.
   * @default - derived: preStopDelay + appDrainTime + margin
   * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
   */
  readonly terminationGracePeriod?: DurationLike;
  /**
   * `minReadySeconds`: how long a new pod must be ready before the rollout removes an old one.
   * Not needed for correctness: the old pods' preStop outlasts the gateways' discovery delay, so
   * every DNS answer or EDS snapshot a gateway holds lists only pods that still serve; a wait here
   * only slows the rollout. Rounded up to whole seconds.
   * @default - 0 seconds
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#min-ready-seconds
   */
  readonly minReady?: DurationLike;
  /**
   * Pods the rollout may add above `replicas` (`maxSurge`; `maxUnavailable` is always 0, so
   * capacity never drops during a rollout).
   * @default 1
   */
  readonly maxSurge?: number;
  /**
   * The Kubernetes version of the target cluster: it decides whether the preStop hook may use
   * the kubelet's `sleep` action (on by default since 1.30).
   * @default '1.30'
   * @see https://github.com/kubernetes/enhancements/issues/3960
   */
  readonly kubernetesVersion?: string;
  /**
   * How the preStop hook waits: `sleep` (kubelet action, nothing needed in the image) or
   * `exec` (`sleep N` run in the container; needs a `sleep` binary).
   * @default - `sleep` when kubernetesVersion is 1.30 or newer, else `exec`
   */
  readonly preStopAction?: PreStopAction;
}

/** What a DrainingService is made of. */
export interface DrainingServiceOptions extends DrainingTimingOptions {
  /** Name of the Deployment and the ClusterIP Service; the headless Service is `<name>-headless`. A DNS label of at most 54 characters. */
  readonly name: string;
  /**
   * Namespace of every object.
   * @default - none in the manifests (the face's chart namespace, else the namespace they are applied to)
   */
  readonly namespace?: string;
  /** Container image. */
  readonly image: string;
  /**
   * Port the application serves HTTP on, in the container and on both Services.
   * @default 8080
   */
  readonly port?: number;
  /**
   * HTTP path the readiness probe and the gateways' health checks request. Required: a service
   * that cannot say it is ready cannot be rolled without sending requests to pods not yet serving.
   */
  readonly readinessPath: string;
  /**
   * Number of pods. At least 2: with one, a node drain or eviction leaves none.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Spread the pods across zones too (`topology.kubernetes.io/zone`), not only nodes.
   * @default false
   */
  readonly spreadAcrossZones?: boolean;
  /** @default { requests: { cpu: '100m', memory: '128Mi' } } */
  readonly resources?: ContainerResources;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Extra labels on every object and on the pods (the selector stays `app.kubernetes.io/name`).
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Entrypoint override.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments override.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Service account the pods run as. Its token is not mounted either way
   * (`automountServiceAccountToken: false`); mount a projected token yourself if the app calls the API.
   * @default - the namespace's default service account
   */
  readonly serviceAccountName?: string;
}
