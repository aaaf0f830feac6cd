import { KubeObject } from '../kube-object';
import { restrictedPodSecurityContext, restrictedSecurityContext } from '../pod-security';
import { PreStopAction, preStopSleepHandler } from '../pre-stop';
import { readinessProbe } from '../probe';
import { UpstreamBudget } from '../timing/solver';
import { GatewayInFront } from '../upstream-link';
import { drainingSeconds, solveDrainingBudget } from './budget';
import { DRAINING_SERVICE_SELECTOR_LABEL, DrainingServiceOptions, HEADLESS_SERVICE_SUFFIX } from './options';
import { DrainingServiceSpec, resolveDrainingServiceOptions } from './resolved-options';

/** The Kubernetes objects of a DrainingService: its Deployment, both Services and its disruption budget. */

/** Kubernetes' own default `progressDeadlineSeconds`, which must stay above minReadySeconds. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/**
 * Annotation on a Deployment giving the seconds its app needs after SIGTERM to finish in-flight
 * requests, which `hitless check` adds to the preStop when it checks the grace period.
 */
export const APP_DRAIN_ANNOTATION = 'hitless.dev/app-drain-seconds';

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

/** The label selecting the pods of the DrainingService `spec`. */
export function drainingServiceSelector(spec: Pick<DrainingServiceSpec, 'name'>): Record<string, string> {
  return { [DRAINING_SERVICE_SELECTOR_LABEL]: spec.name };
}

/** The labels of every object and pod: the user's, the selector and hitless as manager. */
export function drainingServiceLabels(spec: Pick<DrainingServiceSpec, 'name' | 'labels'>): Record<string, string> {
  return { ...spec.labels, ...drainingServiceSelector(spec), 'app.kubernetes.io/managed-by': 'hitless' };
}

/** The topology keys the pods spread over: nodes always, zones when asked. */
export function drainingServiceSpreadKeys(spec: Pick<DrainingServiceSpec, 'spreadAcrossZones'>): string[] {
  return ['kubernetes.io/hostname', ...(spec.spreadAcrossZones ? ['topology.kubernetes.io/zone'] : [])];
}

/** The readiness probe of the app container, as the options the probe is emitted from. */
export function drainingServiceProbe(spec: Pick<DrainingServiceSpec, 'readinessPath' | 'port'>): { path: string; port: number } {
  return { path: spec.readinessPath, port: spec.port };
}

function metadata(name: string, namespace: string | undefined, labels: Record<string, string>): KubeObject['metadata'] {
  return { name, ...(namespace !== undefined ? { namespace } : {}), labels };
}

function appContainer(spec: DrainingServiceSpec, preStopSeconds: number): Record<string, unknown> {
  const requests = { cpu: '100m', memory: '128Mi', ...spec.resources.requests };
  return {
    name: 'app',
    image: spec.image,
    ...(spec.command ? { command: [...spec.command] } : {}),
    ...(spec.args ? { args: [...spec.args] } : {}),
    ...(Object.keys(spec.env).length > 0 ? { env: Object.entries(spec.env).map(([name, value]) => ({ name, value })) } : {}),
    ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
    readinessProbe: readinessProbe(drainingServiceProbe(spec)),
    // No liveness probe: a liveness check on the readiness path restarts every pod at once when
    // a shared dependency slows down, turning a brownout into an outage, and a restart cuts the
    // requests in flight. Add one only for a failure a restart fixes (a deadlock), on its own path.
    lifecycle: { preStop: preStopSleepHandler(preStopSeconds, spec.preStopAction) },
    resources: { requests, ...(spec.resources.limits ? { limits: { ...spec.resources.limits } } : {}) },
    securityContext: restrictedSecurityContext(),
    // The root filesystem is read-only; most runtimes still want a writable /tmp.
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

function deployment(spec: DrainingServiceSpec, budget: UpstreamBudget): KubeObject {
  const selector = drainingServiceSelector(spec);
  const labels = drainingServiceLabels(spec);
  const seconds = drainingSeconds(budget);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // The app's drain time is nowhere else in the manifests; the checker reads it back from here.
    metadata: { ...metadata(spec.name, spec.namespace, labels), annotations: { [APP_DRAIN_ANNOTATION]: String(budget.appDrainSeconds) } },
    spec: {
      replicas: spec.replicas,
      minReadySeconds: seconds.minReady,
      ...(seconds.minReady >= DEFAULT_PROGRESS_DEADLINE_SECONDS ? { progressDeadlineSeconds: seconds.minReady + DEFAULT_PROGRESS_DEADLINE_SECONDS } : {}),
      selector: { matchLabels: selector },
      // Surge only: a new pod is ready (and minReady old) before an old one starts to drain.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: spec.maxSurge, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
          terminationGracePeriodSeconds: seconds.terminationGracePeriod,
          securityContext: restrictedPodSecurityContext(),
          // ScheduleAnyway: spreading guards against losing a node unannounced; the rollout and
          // drain guarantees come from maxUnavailable 0 and the disruption budget. A hard
          // constraint (DoNotSchedule) would leave a surge pod Pending whenever the emptiest
          // node or zone is full or cordoned, stalling the rollout and blocking node drains.
          topologySpreadConstraints: drainingServiceSpreadKeys(spec).map((topologyKey) => ({
            maxSkew: 1,
            topologyKey,
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: selector },
          })),
          containers: [appContainer(spec, seconds.preStopDelay)],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function services(spec: DrainingServiceSpec): { service: KubeObject; headlessService: KubeObject } {
  const selector = drainingServiceSelector(spec);
  const labels = drainingServiceLabels(spec);
  const ports = [{ name: 'http', port: spec.port, targetPort: 'http', protocol: 'TCP' }];
  return {
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(spec.name, spec.namespace, labels),
      spec: { type: 'ClusterIP', selector, ports },
    },
    headlessService: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(`${spec.name}${HEADLESS_SERVICE_SUFFIX}`, spec.namespace, labels),
      // DNS must hold only ready pods: a gateway resolving it must never learn of one that is not serving.
      spec: { clusterIP: 'None', publishNotReadyAddresses: false, selector, ports },
    },
  };
}

function podDisruptionBudget(spec: DrainingServiceSpec): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(spec.name, spec.namespace, drainingServiceLabels(spec)),
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: drainingServiceSelector(spec) },
      // Pods that are not ready serve nothing: evicting them must not wait for the budget,
      // or one crash-looping pod blocks every node drain.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

/** The Kubernetes objects of a resolved spec under a solved budget. */
export function drainingServiceObjects(spec: DrainingServiceSpec, budget: UpstreamBudget): Omit<BuiltDrainingService, 'budget' | 'preStopAction'> {
  return { deployment: deployment(spec, budget), ...services(spec), podDisruptionBudget: podDisruptionBudget(spec) };
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
