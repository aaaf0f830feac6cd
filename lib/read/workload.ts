import { resolveIntOrPercent } from '../core/int-or-percent';
import { APP_DRAIN_ANNOTATION } from '../core/draining-service';
import { Finding } from '../core/finding';
import { objectRef } from '../core/object-ref';
import { ProbeModel, WorkloadModel } from '../core/model';
import { asArray, asObject, asString, at, FieldReader, isObject, Json, metadataRef, stringMap } from './fields';
import { PreStopReading, readPreStop } from './pre-stop';

/**
 * Deployments, DaemonSets and StatefulSets → WorkloadModel, with Kubernetes' defaults where a
 * field is absent (replicas 1, maxSurge/maxUnavailable 25 %, terminationGracePeriodSeconds 30,
 * minReadySeconds 0, probe period 10 s, timeout 1 s, failure threshold 3).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 */

export const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** Kubernetes defaults. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';
const HOSTNAME = 'kubernetes.io/hostname';

/** A workload as read, with what the topology still needs from its pod template. */
export interface WorkloadReading {
  readonly model: WorkloadModel;
  readonly selector: Record<string, string>;
  readonly containers: Json[];
  /** The container that serves traffic, the one whose preStop the drain was read from. */
  readonly servingContainer?: Json;
  /** Names of the ConfigMaps mounted into the pod (volumes and projected volumes). */
  readonly configMaps: string[];
  /** The pod's volumes, to follow a container's file paths to the ConfigMap key they are. */
  readonly volumes: Json[];
  readonly images: string[];
  /** Whether a container runs Envoy (by image or command). */
  readonly runsEnvoy: boolean;
  /** Whether a container runs Gloo Edge's Envoy. */
  readonly runsGlooEnvoy: boolean;
  /** The port the preStop POSTs `/healthcheck/fail` to, where it says. */
  readonly healthCheckFailPort?: number;
  /** The drain when that POST reaches no Envoy admin. */
  readonly drainIfHealthCheckNotFailed?: WorkloadModel['drain'];
  /** The readiness probe's HTTP path and port and exec text, to decide later whether it fails while Envoy drains. */
  readonly readinessTarget?: { readonly path?: string; readonly port?: number | string; readonly command?: string };
}

function isEnvoyContainer(container: Json): boolean {
  const image = asString(container.image) ?? '';
  const command = [...asArray(container.command), ...asArray(container.args)].filter((word): word is string => typeof word === 'string');
  return /envoy/i.test(image.split('/').pop() ?? '') || /(^|\/)envoy$/.test(command[0] ?? '') || command.some((word) => /^(-c|--config-path)$/.test(word)) && /envoy/i.test(image);
}

/** Reads one workload; undefined for other kinds. Never throws. */
export function readWorkload(object: Json, findings: Finding[]): WorkloadReading | undefined {
  const kind = object.kind;
  if (typeof kind !== 'string' || !WORKLOAD_KINDS.has(kind)) return undefined;
  const metadata = asObject(object.metadata) ?? {};
  const { namespace, name } = metadataRef(object);
  const ref = objectRef(kind, namespace, name);
  const fields = new FieldReader(ref, findings);
  const spec = fields.object(object.spec, 'spec') ?? {};
  const template = fields.object(spec.template, 'spec.template') ?? {};
  const podSpec = fields.object(template.spec, 'spec.template.spec') ?? {};
  const podLabels = stringMap(at(template, 'metadata', 'labels'));
  const selector = stringMap(at(spec, 'selector', 'matchLabels'));
  const containers = fields.array(podSpec.containers, 'spec.template.spec.containers').filter(isObject);

  const replicas = kind === 'DaemonSet' ? 1 : fields.count(spec.replicas, 'spec.replicas', { max: 1e6 }) ?? 1;
  const { maxSurge, maxUnavailable } = readStrategy(kind, spec, replicas, fields);
  const minReadySeconds = fields.count(spec.minReadySeconds, 'spec.minReadySeconds', { max: 1e9 }) ?? 0;
  const terminationGracePeriodSeconds = fields.count(podSpec.terminationGracePeriodSeconds, 'spec.template.spec.terminationGracePeriodSeconds', { max: 1e12 }) ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;

  const envoyContainer = containers.find(isEnvoyContainer);
  const servingContainer = envoyContainer ?? servingContainerOf(containers);
  const servingName = asString(servingContainer?.name) ?? 'main';
  const reading = readServingPreStop(servingContainer, servingName, containers, template, ref);
  findings.push(...reading.findings);

  const readinessRaw = servingContainer ? fields.object(servingContainer.readinessProbe, `readinessProbe of container ${servingName}`) : undefined;
  const probe = readinessRaw ? readProbe(readinessRaw, fields, `readinessProbe of container ${servingName}`) : undefined;
  // A proxy whose readiness endpoint fails once it starts to stop (lib/read/drain: ingress-nginx's /healthz, Traefik's /ping).
  const readiness = probe && reading.readinessFailsOn !== undefined && probe.path !== undefined && probe.path.split('?')[0] === reading.readinessFailsOn ? { ...probe, failsWhileDraining: true } : probe;
  const images = containers.map((container) => asString(container.image)).filter((image): image is string => image !== undefined);

  const model: WorkloadModel = {
    object: ref,
    kind: kind as WorkloadModel['kind'],
    namespace,
    name,
    podLabels,
    replicas,
    maxSurge,
    maxUnavailable,
    minReadySeconds,
    terminationGracePeriodSeconds,
    drain: reading.drain,
    // Envoy exits at once on SIGTERM; what other applications need after it is not in the manifest.
    appDrainSeconds: readAppDrainSeconds(metadata),
    readiness,
    hostPorts: hostPortsOf(containers),
    hostNetwork: podSpec.hostNetwork === true,
    containerPorts: containers.flatMap((container) => asArray(container.ports).filter(isObject).map((port) => port.containerPort)).filter((port): port is number => typeof port === 'number' && Number.isInteger(port)),
    ...readSpread(podSpec, podLabels),
    runsAsNonRoot: readRunsAsNonRoot(podSpec, containers),
  };
  return {
    model,
    selector,
    containers,
    servingContainer,
    configMaps: mountedConfigMaps(podSpec),
    volumes: asArray(podSpec.volumes).filter(isObject),
    images,
    runsEnvoy: envoyContainer !== undefined,
    runsGlooEnvoy: images.some((image) => /gloo.*envoy|envoy.*gloo/i.test(image)) || podLabels.gloo === 'gateway-proxy',
    readinessTarget: readinessRaw ? readinessTargetOf(readinessRaw) : undefined,
    ...(reading.healthCheckFailPort !== undefined ? { healthCheckFailPort: reading.healthCheckFailPort } : {}),
    ...(reading.drainIfHealthCheckNotFailed ? { drainIfHealthCheckNotFailed: reading.drainIfHealthCheckNotFailed } : {}),
  };
}

/** The container that serves traffic when none runs Envoy: one with ports and a lifecycle, else one with ports, else the first. */
function servingContainerOf(containers: Json[]): Json | undefined {
  return containers.find((container) => asArray(container.ports).length > 0 && asObject(container.lifecycle))
    ?? containers.find((container) => asArray(container.ports).length > 0)
    ?? containers[0];
}

function readServingPreStop(servingContainer: Json | undefined, servingName: string, containers: Json[], template: Json, ref: string): PreStopReading {
  if (!servingContainer) return { drain: { mechanism: 'none' as const, failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: 'no container' }, findings: [] };
  return readPreStop(servingContainer, { object: ref, containerName: servingName, image: asString(servingContainer.image), siblings: containers.filter((each) => each !== servingContainer), podAnnotations: stringMap(at(template, 'metadata', 'annotations')) });
}

function hostPortsOf(containers: Json[]): number[] {
  const hostPorts: number[] = [];
  for (const container of containers) {
    for (const port of asArray(container.ports)) {
      const hostPort = at(port, 'hostPort');
      if (typeof hostPort === 'number' && hostPort > 0) hostPorts.push(hostPort);
    }
  }
  return hostPorts;
}

/** How the pods spread: one per node (a required anti-affinity on the host name), and every topology key they spread over. */
function readSpread(podSpec: Json, podLabels: Record<string, string>): Pick<WorkloadModel, 'onePodPerNode' | 'spreadTopologyKeys'> {
  const affinity = asObject(at(podSpec, 'affinity', 'podAntiAffinity')) ?? {};
  const required = asArray(affinity.requiredDuringSchedulingIgnoredDuringExecution).filter(isObject);
  const preferred = asArray(affinity.preferredDuringSchedulingIgnoredDuringExecution).map((term) => asObject(at(term, 'podAffinityTerm'))).filter((term): term is Json => term !== undefined);
  const selectsOwnPods = (term: Json) => {
    const labels = stringMap(at(term, 'labelSelector', 'matchLabels'));
    const keys = Object.keys(labels);
    return keys.length > 0 && keys.every((key) => podLabels[key] === labels[key]);
  };
  const onePodPerNode = required.some((term) => term.topologyKey === HOSTNAME && selectsOwnPods(term));
  const spreadTopologyKeys = new Set<string>();
  for (const term of [...required, ...preferred]) if (typeof term.topologyKey === 'string' && selectsOwnPods(term)) spreadTopologyKeys.add(term.topologyKey);
  for (const constraint of asArray(podSpec.topologySpreadConstraints)) {
    const key = at(constraint, 'topologyKey');
    if (typeof key === 'string') spreadTopologyKeys.add(key);
  }
  return { onePodPerNode, spreadTopologyKeys: [...spreadTopologyKeys] };
}

/** Names of the ConfigMaps mounted into the pod, through volumes and projected volumes. */
function mountedConfigMaps(podSpec: Json): string[] {
  const configMaps: string[] = [];
  for (const volume of asArray(podSpec.volumes)) {
    const direct = asString(at(volume, 'configMap', 'name'));
    if (direct) configMaps.push(direct);
    for (const source of asArray(at(volume, 'projected', 'sources'))) {
      const projected = asString(at(source, 'configMap', 'name'));
      if (projected) configMaps.push(projected);
    }
  }
  return configMaps;
}

function readinessTargetOf(readinessRaw: Json): WorkloadReading['readinessTarget'] {
  return {
    path: asString(at(readinessRaw, 'httpGet', 'path')),
    port: at(readinessRaw, 'httpGet', 'port') as number | string | undefined,
    command: asArray(at(readinessRaw, 'exec', 'command')).filter((word) => typeof word === 'string').join(' ') || undefined,
  };
}

function readStrategy(kind: string, spec: Json, replicas: number, fields: FieldReader): { maxSurge: number; maxUnavailable: number } {
  if (kind === 'Deployment') {
    const strategy = fields.object(spec.strategy, 'spec.strategy') ?? {};
    if (strategy.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicas };
    const rolling = fields.object(strategy.rollingUpdate, 'spec.strategy.rollingUpdate') ?? {};
    const surgeValue = fields.intOrPercent(rolling.maxSurge, 'spec.strategy.rollingUpdate.maxSurge') ?? DEFAULT_MAX_SURGE;
    const unavailableValue = fields.intOrPercent(rolling.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable') ?? DEFAULT_MAX_UNAVAILABLE;
    const maxSurge = resolveIntOrPercent(surgeValue, replicas, true);
    let maxUnavailable = resolveIntOrPercent(unavailableValue, replicas, false);
    if (maxSurge === 0 && maxUnavailable === 0) {
      if (rolling.maxSurge !== undefined && rolling.maxUnavailable !== undefined && typeof surgeValue === 'number' && typeof unavailableValue === 'number') {
        fields.invalid('spec.strategy.rollingUpdate', { maxSurge: rolling.maxSurge, maxUnavailable: rolling.maxUnavailable }, 'a rolling update with maxSurge or maxUnavailable above 0 (the API server rejects both 0)', 'rollout-cannot-progress');
      }
      // Kubernetes makes progress possible by letting one pod go.
      maxUnavailable = 1;
    }
    return { maxSurge, maxUnavailable };
  }
  if (kind === 'DaemonSet') {
    const strategy = fields.object(spec.updateStrategy, 'spec.updateStrategy') ?? {};
    if (strategy.type === 'OnDelete') return { maxSurge: 0, maxUnavailable: 1 };
    const rolling = fields.object(strategy.rollingUpdate, 'spec.updateStrategy.rollingUpdate') ?? {};
    const surgeValue = fields.intOrPercent(rolling.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge') ?? 0;
    const unavailableValue = fields.intOrPercent(rolling.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable') ?? 1;
    // The node count is not in the manifests: a percentage is resolved against an assumed
    // cluster of ASSUMED_DAEMONSET_NODES nodes, and is at least one node when it is not zero.
    const nodes = (value: number | string, roundUp: boolean) => {
      if (typeof value === 'number') return Math.floor(value);
      const percent = Number(value.replace('%', ''));
      return percent > 0 ? Math.max(1, resolveIntOrPercent(value, ASSUMED_DAEMONSET_NODES, roundUp)) : 0;
    };
    const maxSurge = nodes(surgeValue, true);
    const maxUnavailable = nodes(unavailableValue, false);
    if ((maxSurge > 0) === (maxUnavailable > 0) && rolling.maxSurge !== undefined) {
      fields.invalid('spec.updateStrategy.rollingUpdate', { maxSurge: rolling.maxSurge, maxUnavailable: rolling.maxUnavailable ?? 1 }, 'exactly one of maxSurge and maxUnavailable above 0 (DaemonSet rule)', 'daemonset-surge-and-unavailable');
    }
    return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
  }
  // StatefulSet: one pod at a time unless maxUnavailable says more; never a surge.
  const unavailable = fields.intOrPercent(at(spec, 'updateStrategy', 'rollingUpdate', 'maxUnavailable'), 'spec.updateStrategy.rollingUpdate.maxUnavailable') ?? 1;
  return { maxSurge: 0, maxUnavailable: Math.max(1, resolveIntOrPercent(unavailable, replicas, false)) };
}

function readProbe(probe: Json, fields: FieldReader, field: string): ProbeModel | undefined {
  const kind: ProbeModel['kind'] | undefined = isObject(probe.httpGet) ? 'http' : isObject(probe.tcpSocket) ? 'tcp' : isObject(probe.exec) ? 'exec' : isObject(probe.grpc) ? 'grpc' : undefined;
  if (!kind) return undefined;
  const port = kind === 'http' ? at(probe, 'httpGet', 'port') : kind === 'tcp' ? at(probe, 'tcpSocket', 'port') : kind === 'grpc' ? at(probe, 'grpc', 'port') : undefined;
  return {
    kind,
    path: kind === 'http' ? asString(at(probe, 'httpGet', 'path')) ?? '/' : undefined,
    port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
    periodSeconds: fields.count(probe.periodSeconds, `${field}.periodSeconds`, { min: 1, max: 1e9 }) ?? 10,
    timeoutSeconds: fields.count(probe.timeoutSeconds, `${field}.timeoutSeconds`, { min: 1, max: 1e9 }) ?? 1,
    failureThreshold: fields.count(probe.failureThreshold, `${field}.failureThreshold`, { min: 1, max: 1e9 }) ?? 3,
    successThreshold: fields.count(probe.successThreshold, `${field}.successThreshold`, { min: 1, max: 1e9 }) ?? 1,
    initialDelaySeconds: fields.count(probe.initialDelaySeconds, `${field}.initialDelaySeconds`, { max: 1e9 }) ?? 0,
    failsWhileDraining: false,
  };
}

function readRunsAsNonRoot(podSpec: Json, containers: Json[]): boolean | undefined {
  const pod = asObject(podSpec.securityContext) ?? {};
  const nonRoot = (context: Json, inherited: boolean | undefined): boolean | undefined => {
    if (context.runAsNonRoot === false || context.runAsUser === 0) return false;
    if (context.runAsNonRoot === true || (typeof context.runAsUser === 'number' && context.runAsUser > 0)) return true;
    return inherited;
  };
  const podLevel = nonRoot(pod, undefined);
  if (containers.length === 0) return podLevel;
  const each = containers.map((container) => nonRoot(asObject(container.securityContext) ?? {}, podLevel));
  if (each.some((value) => value === false)) return false;
  if (each.every((value) => value === true)) return true;
  return undefined;
}

/** Whether a readiness probe starts failing when Envoy fails its health check (it probes the health-check path or `/ready`). */
export function probeFailsWhileDraining(target: WorkloadReading['readinessTarget'], healthCheckPath: string | undefined): boolean {
  if (!target) return false;
  const paths = ['/ready', ...(healthCheckPath ? [healthCheckPath] : [])];
  if (target.path !== undefined && paths.some((path) => target.path === path || target.path!.split('?')[0] === path)) return true;
  return target.command !== undefined && paths.some((path) => target.command!.includes(path));
}

/** The cluster size a DaemonSet's percentages are read against, since manifests do not say how many nodes there are. */
export const ASSUMED_DAEMONSET_NODES = 10;

/** The app's drain time, where the workload states it (hitless's constructs do); 0 otherwise, as nothing else says. */
function readAppDrainSeconds(metadata: Json): number {
  const text = asString(at(metadata, 'annotations', APP_DRAIN_ANNOTATION));
  const seconds = text === undefined ? Number.NaN : Number(text);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : 0;
}
