import { asDuration, Duration, DurationLike } from './duration';
import { objectRef } from './finding';
import { KubeObject } from './kube-object';
import { DEFAULT_KUBERNETES_VERSION } from './kubernetes-version';
import { DrainModel, ProbeModel, ServiceModel, UpstreamModel, WorkloadModel } from './model';
import { restrictedPodSecurityContext, restrictedSecurityContext } from './pod-security';
import { PreStopAction, preStopSleepHandler, readPreStopSleepSeconds, resolvePreStopAction } from './pre-stop';
import { readinessProbe } from './probe';
import { BudgetPropNames, solveUpstreamBudget, UpstreamBudget } from './timing/solver';
import { defaultDnsDiscovery } from './timing/windows';
import { GatewayInFront } from './upstream-link';
import { checkReplicasAtMost, checkSecondsAtMost } from './prop-bounds';

/**
 * A Deployment that never drops a request on rollout, scale-in or node drain, with the Services
 * gateways reach it through, as plain Kubernetes objects. The faces (cdk8s, Pulumi) wrap this.
 */

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

/** The timing props of a draining workload, shared by {@link DrainingServiceOptions} and {@link DrainingPatchOptions}. */
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
   * @default Duration.seconds(5)
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
   * @default 0
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

/** What a DrainingService is made of. Durations are core {@link Duration}s. */
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

/** The objects of a DrainingService and the timings they were built with. */
export interface BuiltDrainingService {
  readonly deployment: KubeObject;
  /** ClusterIP Service `<name>`. */
  readonly service: KubeObject;
  /** Headless Service `<name>-headless`, for gateways that resolve pods by DNS. */
  readonly headlessService: KubeObject;
  readonly podDisruptionBudget: KubeObject;
  readonly budget: UpstreamBudget;
  /** The preStop action used. */
  readonly preStopAction: PreStopAction;
}

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

/** The names errors use for the timing props; the faces keep them. */
export const DRAINING_PROP_NAMES: BudgetPropNames = {
  keepServing: 'preStopDelay',
  gracePeriod: 'terminationGracePeriod',
  minReady: 'minReady',
};

/** An error in the shape the solver's `BudgetError` uses: `'prop' (value) must be bound: because`. */
function propError(prop: string, value: unknown, bound: string, because: string, shownAs?: string): Error {
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

/** A DNS-1035 label (what Service names must be). */
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Applies the defaults and checks every prop that does not depend on the gateways in front.
 * @throws an error naming the prop, the value and the bound
 */
export function resolveDrainingServiceOptions(options: DrainingServiceOptions): DrainingServiceSpec {
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
  const replicas = checkWholeNumberAtLeast('replicas', options.replicas ?? 2, 2,
    'with one replica a node drain, an eviction or a crash leaves no pod to serve, and the disruption budget would block node drains');
  checkReplicasAtMost('replicas', replicas);
  const maxSurge = checkWholeNumberAtLeast('maxSurge', options.maxSurge ?? 1, 1,
    'maxUnavailable is 0 so that capacity never drops during a rollout, and Kubernetes needs at least one of the two above 0 to make progress');
  const appDrainSeconds = checkSecondsAtMost('appDrainTime', asDuration(options.appDrainTime ?? Duration.seconds(5)).toSeconds());
  const kubernetesVersion = options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
  const preStopAction = resolvePreStopAction(kubernetesVersion, options.preStopAction);
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

/** The timing inputs {@link solveDrainingBudget} needs. */
export interface DrainingBudgetInput {
  readonly appDrainSeconds: number;
  readonly preStopDelaySeconds?: number;
  readonly terminationGracePeriodSeconds?: number;
  readonly minReadySeconds?: number;
}

/**
 * Solves the upstream budget for the gateways in front. With none registered yet, hitless
 * assumes one gateway resolving the headless Service by DNS with Kubernetes' defaults
 * ({@link defaultDnsDiscovery}: 1 s propagation, 30 s CoreDNS TTL, 5 s refresh): the slowest
 * common case, so a service synthesized before its gateway is still safe behind it.
 * The preStop is a whole number of seconds (both sleep forms take integers): a fractional
 * derived delay is rounded up and solved again, so the grace period covers the rounded sleep.
 * @throws BudgetError when a value the user set can't hold
 */
export function solveDrainingBudget(input: DrainingBudgetInput, gateways: readonly GatewayInFront[]): UpstreamBudget {
  const discoveries = gateways.length > 0 ? gateways.map((each) => each.discovery) : [defaultDnsDiscovery()];
  const solve = (keepServingSeconds: number | undefined) => solveUpstreamBudget({
    discoveries,
    appDrainSeconds: input.appDrainSeconds,
    keepServingSeconds,
    terminationGracePeriodSeconds: input.terminationGracePeriodSeconds,
    minReadySeconds: input.minReadySeconds,
    propNames: DRAINING_PROP_NAMES,
  });
  const budget = solve(input.preStopDelaySeconds);
  if (Number.isInteger(budget.keepServingSeconds)) return budget;
  return solve(Math.ceil(budget.keepServingSeconds));
}

/** `Kind/namespace/name` references and the DNS name a gateway uses. */
export interface DrainingServiceRefs {
  readonly deploymentObject: string;
  readonly serviceObject: string;
  readonly headlessServiceObject: string;
  readonly headlessDnsName: string;
}

/** How the objects of the DrainingService `name` in `namespace` are referred to. */
export function drainingServiceRefs(name: string, namespace = 'default'): DrainingServiceRefs {
  return {
    deploymentObject: objectRef('Deployment', namespace, name),
    serviceObject: objectRef('Service', namespace, name),
    headlessServiceObject: objectRef('Service', namespace, `${name}${HEADLESS_SERVICE_SUFFIX}`),
    headlessDnsName: `${name}${HEADLESS_SERVICE_SUFFIX}.${namespace}.svc.cluster.local`,
  };
}

/** Kubernetes' own default `progressDeadlineSeconds`, which must stay above minReadySeconds. */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * Annotation on a Deployment giving the seconds its app needs after SIGTERM to finish in-flight
 * requests, which `hitless check` adds to the preStop when it checks the grace period.
 */
export const APP_DRAIN_ANNOTATION = 'hitless.dev/app-drain-seconds';

function metadata(name: string, namespace: string | undefined, labels: Record<string, string>): KubeObject['metadata'] {
  return { name, ...(namespace !== undefined ? { namespace } : {}), labels };
}

/** The Kubernetes objects of a resolved spec under a solved budget. */
export function drainingServiceObjects(spec: DrainingServiceSpec, budget: UpstreamBudget): Omit<BuiltDrainingService, 'budget' | 'preStopAction'> {
  const selector = { [DRAINING_SERVICE_SELECTOR_LABEL]: spec.name };
  const labels = { ...spec.labels, ...selector, 'app.kubernetes.io/managed-by': 'hitless' };
  const preStopSeconds = budget.keepServingSeconds;
  const minReadySeconds = Math.ceil(budget.minReadySeconds);
  const spreadKeys = ['kubernetes.io/hostname', ...(spec.spreadAcrossZones ? ['topology.kubernetes.io/zone'] : [])];
  const ports = [{ name: 'http', port: spec.port, targetPort: 'http', protocol: 'TCP' }];
  const requests = { cpu: '100m', memory: '128Mi', ...spec.resources.requests };

  const container: Record<string, unknown> = {
    name: 'app',
    image: spec.image,
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(Object.keys(spec.env).length > 0 ? { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) } : {}),
    ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
    readinessProbe: readinessProbe({ path: spec.readinessPath, port: spec.port }),
    // No liveness probe: a liveness check on the readiness path restarts every pod at once when
    // a shared dependency slows down, turning a brownout into an outage, and a restart cuts the
    // requests in flight. Add one only for a failure a restart fixes (a deadlock), on its own path.
    lifecycle: { preStop: preStopSleepHandler(preStopSeconds, spec.preStopAction) },
    resources: { requests, ...(spec.resources.limits ? { limits: { ...spec.resources.limits } } : {}) },
    securityContext: restrictedSecurityContext(),
    // The root filesystem is read-only; most runtimes still want a writable /tmp.
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };

  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // The app's drain time is nowhere else in the manifests; the checker reads it back from here.
    metadata: { ...metadata(spec.name, spec.namespace, labels), annotations: { [APP_DRAIN_ANNOTATION]: String(budget.appDrainSeconds) } },
    spec: {
      replicas: spec.replicas,
      minReadySeconds,
      ...(minReadySeconds >= DEFAULT_PROGRESS_DEADLINE_SECONDS ? { progressDeadlineSeconds: minReadySeconds + DEFAULT_PROGRESS_DEADLINE_SECONDS } : {}),
      selector: { matchLabels: selector },
      // Surge only: a new pod is ready (and minReady old) before an old one starts to drain.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: spec.maxSurge, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
          terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
          securityContext: restrictedPodSecurityContext(),
          // ScheduleAnyway: spreading guards against losing a node unannounced; the rollout and
          // drain guarantees come from maxUnavailable 0 and the disruption budget. A hard
          // constraint (DoNotSchedule) would leave a surge pod Pending whenever the emptiest
          // node or zone is full or cordoned, stalling the rollout and blocking node drains.
          topologySpreadConstraints: spreadKeys.map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector },
          })),
          containers: [container],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };

  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(spec.name, spec.namespace, labels),
    spec: { type: 'ClusterIP', selector, ports },
  };

  const headlessService: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(`${spec.name}${HEADLESS_SERVICE_SUFFIX}`, spec.namespace, labels),
    // DNS must hold only ready pods: a gateway resolving it must never learn of one that is not serving.
    spec: { clusterIP: 'None', publishNotReadyAddresses: false, selector, ports },
  };

  const podDisruptionBudget: KubeObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(spec.name, spec.namespace, labels),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: selector },
      // Pods that are not ready serve nothing: evicting them must not wait for the budget,
      // or one crash-looping pod blocks every node drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };

  return { deployment, service, headlessService, podDisruptionBudget };
}

/**
 * Builds a DrainingService for the gateways in front (none yet: the default DNS gateway is
 * assumed, see {@link solveDrainingBudget}).
 * @throws an error naming the prop, the value and the bound, for any prop that breaks a rule
 */
export function buildDrainingService(options: DrainingServiceOptions, gatewaysInFront: readonly GatewayInFront[] = []): BuiltDrainingService {
  const spec = resolveDrainingServiceOptions(options);
  const budget = solveDrainingBudget(spec, gatewaysInFront);
  return { ...drainingServiceObjects(spec, budget), budget, preStopAction: spec.preStopAction };
}

// ---------------------------------------------------------------------------------------------
// Reading the objects back into the model, so the invariants check what is emitted.

type Json = Record<string, any>;

function ref(obj: KubeObject, fallbackNamespace: string): string {
  return objectRef(obj.kind, obj.metadata.namespace ?? fallbackNamespace, obj.metadata.name);
}

function intOrPercent(value: unknown, replicas: number, roundUp: boolean, fallback: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * replicas) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return fallback;
}

function drainOf(preStop: unknown): DrainModel {
  if (preStop === undefined) {
    return { mechanism: 'none', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: 'no preStop' };
  }
  const seconds = readPreStopSleepSeconds(preStop);
  if (seconds === undefined) {
    return { mechanism: 'unknown', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: JSON.stringify(preStop) };
  }
  return { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: seconds, drainSeconds: 0, drainsConnections: false, description: `sleep ${seconds}` };
}

function probeOf(probe: Json | undefined): ProbeModel | undefined {
  if (!probe) return undefined;
  const kind: ProbeModel['kind'] = probe.httpGet ? 'http' : probe.tcpSocket ? 'tcp' : probe.grpc ? 'grpc' : 'exec';
  return {
    kind,
    path: probe.httpGet?.path,
    port: probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port,
    periodSeconds: probe.periodSeconds ?? 10,
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
    successThreshold: probe.successThreshold ?? 1,
    initialDelaySeconds: probe.initialDelaySeconds ?? 0,
    failsWhileDraining: false,
  };
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/**
 * The model of a Deployment this module built (or patched with {@link drainingPatch}), with the
 * disruption budget that selects its pods, for the invariants of `timing/invariants.ts`.
 * It reads the forms hitless writes; the manifest reader (`lib/read`) handles everything else.
 */
export function drainingWorkloadModel(deployment: KubeObject, appDrainSeconds: number, podDisruptionBudgets: readonly KubeObject[] = []): WorkloadModel {
  const namespace = deployment.metadata.namespace ?? 'default';
  const spec = (deployment.spec ?? {}) as Json;
  const pod = (spec.template?.spec ?? {}) as Json;
  const podLabels = (spec.template?.metadata?.labels ?? {}) as Record<string, string>;
  const containers = (pod.containers ?? []) as Json[];
  const replicas = spec.replicas ?? 1;
  const rolling = spec.strategy?.rollingUpdate ?? {};
  const recreate = spec.strategy?.type === 'Recreate';
  const main = containers.find((each) => each.readinessProbe) ?? containers[0] ?? {};
  const required = (pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Json[];
  const budget = podDisruptionBudgets.find((each) => selects((each.spec as Json | undefined)?.selector?.matchLabels, podLabels));
  const podNonRoot = pod.securityContext?.runAsNonRoot;
  return {
    object: ref(deployment, namespace),
    kind: 'Deployment',
    namespace,
    name: deployment.metadata.name,
    podLabels,
    replicas,
    maxSurge: recreate ? 0 : intOrPercent(rolling.maxSurge, replicas, true, Math.ceil(replicas / 4)),
    maxUnavailable: recreate ? replicas : intOrPercent(rolling.maxUnavailable, replicas, false, Math.floor(replicas / 4)),
    minReadySeconds: spec.minReadySeconds ?? 0,
    terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
    drain: drainOf(main.lifecycle?.preStop),
    appDrainSeconds,
    readiness: probeOf(main.readinessProbe),
    hostPorts: containers.flatMap((each) => ((each.ports ?? []) as Json[]).filter((port) => port.hostPort).map((port) => port.hostPort as number)),
    hostNetwork: pod.hostNetwork === true,
    onePodPerNode: required.some((term) => term.topologyKey === 'kubernetes.io/hostname'),
    spreadTopologyKeys: [
      ...new Set([
        ...((pod.topologySpreadConstraints ?? []) as Json[]).map((each) => each.topologyKey as string),
        ...required.map((term) => term.topologyKey as string),
      ]),
    ],
    disruptionBudget: budget
      ? { object: ref(budget, namespace), minAvailable: (budget.spec as Json).minAvailable, maxUnavailable: (budget.spec as Json).maxUnavailable }
      : undefined,
    runsAsNonRoot: containers.length > 0 && containers.every((each) => (each.securityContext?.runAsNonRoot ?? podNonRoot) === true),
  };
}

/** The model of a Service. */
export function kubeServiceModel(service: KubeObject): ServiceModel {
  const spec = (service.spec ?? {}) as Json;
  return {
    object: ref(service, 'default'),
    type: spec.type ?? 'ClusterIP',
    headless: spec.clusterIP === 'None',
    externalTrafficPolicy: spec.externalTrafficPolicy ?? 'Cluster',
    selector: spec.selector ?? {},
    ports: ((spec.ports ?? []) as Json[]).map((port) => ({ name: port.name, port: port.port, targetPort: port.targetPort })),
  };
}

/** The {@link UpstreamModel} of a built DrainingService, so `checkUpstream` can verify exactly what was emitted. */
export function drainingServiceUpstreamModel(built: Pick<BuiltDrainingService, 'deployment' | 'service' | 'headlessService' | 'podDisruptionBudget' | 'budget'>): UpstreamModel {
  return {
    workload: drainingWorkloadModel(built.deployment, built.budget.appDrainSeconds, [built.podDisruptionBudget]),
    services: [kubeServiceModel(built.service), kubeServiceModel(built.headlessService)],
  };
}

// ---------------------------------------------------------------------------------------------
// Making an existing Deployment draining.

/** One RFC 6902 operation, as plain data (the faces turn it into their own patch type). */
export interface JsonPatchOperation {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

/** What {@link drainingPatch} changes on an existing Deployment. */
export type DrainingPatchOptions = DrainingTimingOptions;

/** The patch that makes a Deployment draining, and what it was solved from. */
export interface DrainingPatch {
  readonly operations: JsonPatchOperation[];
  readonly budget: UpstreamBudget;
  readonly preStopAction: PreStopAction;
  readonly maxSurge: number;
}

/**
 * The JSON patch that makes an existing Deployment (rendered as Kubernetes JSON) draining:
 * a preStop sleep on every container, terminationGracePeriodSeconds, a surge-only
 * RollingUpdate and minReadySeconds, all from the same solver as {@link buildDrainingService}.
 * @throws when the Deployment has no readiness probe, fewer than 2 replicas, or a preStop hook already
 */
export function drainingPatch(deployment: Json, options: DrainingPatchOptions = {}, gatewaysInFront: readonly GatewayInFront[] = []): DrainingPatch {
  const name = deployment?.metadata?.name ?? '(unnamed)';
  const spec = (deployment?.spec ?? {}) as Json;
  const containers = (spec.template?.spec?.containers ?? []) as Json[];
  if (containers.length === 0) {
    throw new Error(`Deployment '${name}' has no containers yet: make it draining after its containers are added`);
  }
  if (!containers.some((each) => each.readinessProbe)) {
    throw propError('readinessProbe', undefined, 'set on the serving container',
      `Deployment '${name}' cannot drain without one: new pods would take requests before they serve, and gateways could not health-check it`, 'none');
  }
  // Autoscaled Deployments leave replicas to the autoscaler; their minimum is its business.
  if (spec.replicas !== undefined && spec.replicas < 2) {
    throw propError('replicas', spec.replicas, 'at least 2',
      `with one replica of Deployment '${name}' a node drain, an eviction or a crash leaves no pod to serve`);
  }
  const withPreStop = containers.find((each) => each.lifecycle?.preStop);
  if (withPreStop) {
    throw new Error(`container '${withPreStop.name}' of Deployment '${name}' already has a preStop hook; hitless would replace it. Remove it, or add the wait to it yourself`);
  }
  const maxSurge = checkWholeNumberAtLeast('maxSurge', options.maxSurge ?? 1, 1,
    'maxUnavailable is 0 so that capacity never drops during a rollout, and Kubernetes needs at least one of the two above 0 to make progress');
  const preStopAction = resolvePreStopAction(options.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION, options.preStopAction);
  const budget = solveDrainingBudget({
    appDrainSeconds: asDuration(options.appDrainTime ?? Duration.seconds(5)).toSeconds(),
    preStopDelaySeconds: asDuration(options.preStopDelay)?.toWholeSeconds(),
    terminationGracePeriodSeconds: asDuration(options.terminationGracePeriod)?.toWholeSeconds(),
    minReadySeconds: asDuration(options.minReady)?.toWholeSeconds(),
  }, gatewaysInFront);
  const handler = preStopSleepHandler(budget.keepServingSeconds, preStopAction);
  const minReadySeconds = Math.ceil(budget.minReadySeconds);
  const operations: JsonPatchOperation[] = [
    { op: 'add', path: '/spec/strategy', value: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: 0 } } },
    { op: 'add', path: '/spec/minReadySeconds', value: minReadySeconds },
    { op: 'add', path: '/spec/template/spec/terminationGracePeriodSeconds', value: budget.terminationGracePeriodSeconds },
    // Every container waits: each gets SIGTERM when its own preStop ends, and a sidecar that
    // exits early (a proxy, a log shipper) would fail the requests still arriving.
    ...containers.map((container, index): JsonPatchOperation => (container.lifecycle
      ? { op: 'add', path: `/spec/template/spec/containers/${index}/lifecycle/preStop`, value: handler }
      : { op: 'add', path: `/spec/template/spec/containers/${index}/lifecycle`, value: { preStop: handler } })),
  ];
  const deadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  if (deadline <= minReadySeconds) {
    operations.push({ op: 'add', path: '/spec/progressDeadlineSeconds', value: minReadySeconds + DEFAULT_PROGRESS_DEADLINE_SECONDS });
  }
  return { operations, budget, preStopAction, maxSurge };
}
