/**
 * Configuration variants for the agreement harness (issue 11, item 3): a few base configurations,
 * and knobs that each change one setting by editing the manifest objects, as a user would. The
 * same text then goes to `hitless check` and to `hitless simulate`.
 *
 * Pure: no file, process or clock is read here. Order and content are deterministic.
 */
import { parseAllDocuments, stringify } from 'yaml';
import type { LoadProfile } from '../../lib/simulate/clients';
import { GKE_KNOBS, GKE_PAIRS, knobFits, negService } from './gke';

/** One Kubernetes object as parsed from YAML. */
export type ManifestObject = Record<string, any>;

/** A configuration the knobs start from. */
export interface Base {
  readonly name: string;
  readonly description: string;
  readonly text: string;
}

/** One knob at one value. */
export interface Setting {
  readonly knob: string;
  readonly value: string;
}

/** A base with one or two knobs changed. */
export interface Variant {
  /** `base/knob=value` or `base/knob=value+knob=value`: stable across runs, the key of the expectation table. */
  readonly id: string;
  readonly base: string;
  readonly settings: readonly Setting[];
  /** The manifests, YAML, given to both the checker and the simulator. */
  readonly text: string;
  /** Load changes that are not in the manifests (long requests): the simulator's clients only. */
  readonly load: LoadProfile;
}

/** What a knob edits. `apply` returns false where the base has nothing the knob could change. */
export interface Knob {
  readonly id: string;
  readonly description: string;
  readonly values: readonly string[];
  readonly apply: (objects: ManifestObject[], value: string, load: { -readonly [K in keyof LoadProfile]: LoadProfile[K] }) => boolean;
}

const AWS = 'service.beta.kubernetes.io/aws-load-balancer-';
const APP_DRAIN_ANNOTATION = 'hitless.dev/app-drain-seconds';
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

// ------------------------------------------------------------------ finding the parts

/** Parses a multi-document YAML text into its objects (empty documents dropped). */
export function parseManifests(text: string): ManifestObject[] {
  return parseAllDocuments(text).map((document) => document.toJS() as ManifestObject).filter((object) => object && typeof object === 'object');
}

/** Objects back to one YAML stream. */
export function printManifests(objects: ManifestObject[]): string {
  return objects.map((object) => stringify(object, { lineWidth: 0 })).join('---\n');
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** The first `type: LoadBalancer` Service, else the NEG-annotated one (GKE): the gateway's. */
export function loadBalancerService(objects: ManifestObject[]): ManifestObject | undefined {
  return objects.find((object) => object.kind === 'Service' && object.spec?.type === 'LoadBalancer') ?? negService(objects);
}

/** The workload the load-balanced Service selects. */
export function gatewayWorkload(objects: ManifestObject[]): ManifestObject | undefined {
  const service = loadBalancerService(objects);
  return objects.find((object) => WORKLOAD_KINDS.has(object.kind) && selects(service?.spec?.selector, object.spec?.template?.metadata?.labels));
}

/** Every other workload: the services behind the gateway. */
export function upstreamWorkloads(objects: ManifestObject[]): ManifestObject[] {
  const gateway = gatewayWorkload(objects);
  return objects.filter((object) => WORKLOAD_KINDS.has(object.kind) && object !== gateway);
}

/** Applies `change` to every upstream workload; whether there was one to change. */
function eachUpstream(objects: ManifestObject[], change: (workload: ManifestObject) => void): boolean {
  const workloads = upstreamWorkloads(objects);
  for (const workload of workloads) change(workload);
  return workloads.length > 0;
}

function firstContainer(workload: ManifestObject | undefined): ManifestObject | undefined {
  return workload?.spec?.template?.spec?.containers?.[0];
}

/** Envoy bootstraps held in ConfigMaps, each with a way to write it back in its own format. */
function envoyConfigs(objects: ManifestObject[]): { config: ManifestObject; save: () => void }[] {
  const found: { config: ManifestObject; save: () => void }[] = [];
  for (const object of objects) {
    if (object.kind !== 'ConfigMap' || !object.data) continue;
    for (const [key, raw] of Object.entries<string>(object.data)) {
      if (!/\.(ya?ml|json)$/.test(key) || typeof raw !== 'string' || !/static_resources|admin/.test(raw)) continue;
      const json = key.endsWith('.json');
      const config = json ? JSON.parse(raw) : parseManifests(raw)[0];
      if (!config) continue;
      found.push({ config, save: () => { object.data[key] = json ? JSON.stringify(config, null, 2) : stringify(config, { lineWidth: 0 }); } });
    }
  }
  return found;
}

function envoyRoutes(config: ManifestObject): ManifestObject[] {
  const routes: ManifestObject[] = [];
  for (const listener of config.static_resources?.listeners ?? []) {
    for (const chain of listener.filter_chains ?? []) {
      for (const filter of chain.filters ?? []) {
        for (const host of filter.typed_config?.route_config?.virtual_hosts ?? []) {
          for (const route of host.routes ?? []) if (route.route) routes.push(route.route);
        }
      }
    }
  }
  return routes;
}

/** The clusters that lead to pods in the cluster (not the xDS control plane). */
function envoyUpstreamClusters(config: ManifestObject): ManifestObject[] {
  return (config.static_resources?.clusters ?? []).filter((cluster: ManifestObject) => JSON.stringify(cluster.load_assignment ?? {}).includes('.svc.cluster.local') && !/xds|:9977/.test(cluster.name ?? ''));
}

function glooObjects(objects: ManifestObject[], kind: string): ManifestObject[] {
  return objects.filter((object) => object.kind === kind && /solo\.io\//.test(object.apiVersion ?? ''));
}

function glooRouteOptions(objects: ManifestObject[]): ManifestObject[] {
  return glooObjects(objects, 'VirtualService').flatMap((service) => (service.spec?.virtualHost?.routes ?? []).map((route: ManifestObject) => (route.options ??= {})));
}

/** Edits every Envoy route (static bootstraps) and every Gloo route; false when there is none. */
function editRoutes(objects: ManifestObject[], envoy: (route: ManifestObject) => void, gloo: (options: ManifestObject) => void): boolean {
  let touched = false;
  for (const { config, save } of envoyConfigs(objects)) {
    const routes = envoyRoutes(config);
    routes.forEach(envoy);
    if (routes.length > 0) {
      save();
      touched = true;
    }
  }
  for (const options of glooRouteOptions(objects)) {
    gloo(options);
    touched = true;
  }
  return touched;
}

/** Edits every upstream cluster (static bootstraps) and every Gloo Upstream; false when there is none. */
function editClusters(objects: ManifestObject[], envoy: ((cluster: ManifestObject) => boolean) | undefined, gloo: ((upstream: ManifestObject) => void) | undefined): boolean {
  let touched = false;
  if (envoy) {
    for (const { config, save } of envoyConfigs(objects)) {
      let any = false;
      for (const cluster of envoyUpstreamClusters(config)) any = envoy(cluster) || any;
      if (any) {
        save();
        touched = true;
      }
    }
  }
  if (gloo) {
    for (const upstream of glooObjects(objects, 'Upstream')) {
      gloo(upstream.spec ??= {});
      touched = true;
    }
  }
  return touched;
}

function annotate(object: ManifestObject | undefined, name: string, value: string | undefined): boolean {
  if (!object) return false;
  const annotations = (object.metadata ??= {}).annotations ??= {};
  if (value === undefined) delete annotations[name];
  else annotations[name] = value;
  return true;
}

/** Sets one `target-group-attributes` entry on the load-balanced Service. */
function setTargetGroupAttribute(objects: ManifestObject[], key: string, value: string): boolean {
  const service = loadBalancerService(objects);
  if (!service) return false;
  const name = `${AWS}target-group-attributes`;
  const current: string = service.metadata?.annotations?.[name] ?? '';
  const entries = current.split(',').map((each) => each.trim()).filter(Boolean).filter((each) => each.split('=')[0].trim() !== key);
  entries.push(`${key}=${value}`);
  return annotate(service, name, entries.join(','));
}

/**
 * Sets the seconds a preStop keeps the pod serving: `keep_serving=N` in hitless's drain script, else
 * the last `sleep N` of an exec command, else the sleep action. False when there is no preStop.
 */
function setPreStopSleep(container: ManifestObject | undefined, seconds: number): boolean {
  const preStop = container?.lifecycle?.preStop;
  if (!preStop) return false;
  if (preStop.sleep) {
    preStop.sleep.seconds = seconds;
    return true;
  }
  const command: unknown[] | undefined = preStop.exec?.command;
  if (!command || command.length === 0) return false;
  const last = command.length - 1;
  const text = String(command[last]);
  if (/keep_serving=\d+/.test(text)) {
    command[last] = text.replace(/keep_serving=\d+/, `keep_serving=${seconds}`).replace(/keep serving \d+s/, `keep serving ${seconds}s`);
    return true;
  }
  const sleeps = [...text.matchAll(/sleep (\d+)/g)];
  if (sleeps.length > 0) {
    const at = sleeps[sleeps.length - 1].index!;
    command[last] = `${text.slice(0, at)}sleep ${seconds}${text.slice(at + sleeps[sleeps.length - 1][0].length)}`;
    return true;
  }
  if (command[0] === 'sleep' && command.length === 2) {
    command[1] = String(seconds);
    return true;
  }
  return false;
}

function podSpec(workload: ManifestObject | undefined): ManifestObject | undefined {
  return workload?.spec?.template?.spec;
}

function setRollingUpdate(workload: ManifestObject | undefined, surge: string | number, unavailable: string | number): boolean {
  if (!workload || workload.kind === 'StatefulSet') return false;
  if (workload.kind === 'DaemonSet') {
    workload.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } };
  } else {
    workload.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } };
  }
  return true;
}

function parseStrategy(value: string): [string | number, string | number] {
  const [surge, unavailable] = value.split('/').map((each) => (/^\d+$/.test(each) ? Number(each) : each));
  return [surge, unavailable];
}

function number(value: string): number {
  return Number(value);
}

/** The readiness probe edits shared by gateway and upstream knobs. */
function setReadinessTiming(container: ManifestObject | undefined, value: string): boolean {
  const probe = container?.readinessProbe;
  if (!probe) return false;
  const [period, failures] = value.split('x').map(Number);
  probe.periodSeconds = period;
  probe.failureThreshold = failures;
  return true;
}

function adminPort(objects: ManifestObject[]): number | undefined {
  for (const { config } of envoyConfigs(objects)) {
    const port = config.admin?.address?.socket_address?.port_value;
    if (typeof port === 'number') return port;
  }
  return undefined;
}

// ------------------------------------------------------------------ the knobs

/** Every knob, in report order. Values are strings so that ids stay readable. */
export const KNOBS: readonly Knob[] = [
  {
    id: 'gateway-keep-serving',
    description: 'seconds the gateway preStop keeps serving after failing its health check (the sleep)',
    values: ['0', '5', '10', '20', '25', '28', '31', '40', '60'],
    apply: (objects, value) => setPreStopSleep(firstContainer(gatewayWorkload(objects)), number(value)),
  },
  {
    id: 'gateway-grace',
    description: 'gateway terminationGracePeriodSeconds',
    values: ['5', '7', '20', '30', '40', '60', '90'],
    apply: (objects, value) => { const spec = podSpec(gatewayWorkload(objects)); if (!spec) return false; spec.terminationGracePeriodSeconds = number(value); return true; },
  },
  {
    id: 'nlb-interval',
    description: 'NLB health-check interval (s)',
    values: ['5', '10', '15', '30'],
    apply: (objects, value) => annotate(loadBalancerService(objects), `${AWS}healthcheck-interval`, value),
  },
  {
    id: 'nlb-timeout',
    description: 'NLB health-check timeout (s)',
    values: ['2', '4', '6', '10'],
    apply: (objects, value) => annotate(loadBalancerService(objects), `${AWS}healthcheck-timeout`, value),
  },
  {
    id: 'nlb-unhealthy-threshold',
    description: 'NLB health-check unhealthy threshold',
    values: ['2', '3', '5'],
    apply: (objects, value) => annotate(loadBalancerService(objects), `${AWS}healthcheck-unhealthy-threshold`, value),
  },
  {
    id: 'nlb-healthy-threshold',
    description: 'NLB health-check healthy threshold',
    values: ['2', '3', '5', '10'],
    apply: (objects, value) => annotate(loadBalancerService(objects), `${AWS}healthcheck-healthy-threshold`, value),
  },
  {
    id: 'nlb-health-check',
    description: 'what the NLB health check asks: healthCheckNodePort /healthz (annotations removed), / on the traffic port, TCP',
    values: ['node-port-healthz', 'traffic-port-root', 'tcp'],
    apply: (objects, value) => {
      const service = loadBalancerService(objects);
      if (!service) return false;
      if (value === 'node-port-healthz') {
        for (const name of ['port', 'path', 'protocol']) annotate(service, `${AWS}healthcheck-${name}`, undefined);
      } else if (value === 'traffic-port-root') {
        annotate(service, `${AWS}healthcheck-port`, 'traffic-port');
        annotate(service, `${AWS}healthcheck-protocol`, 'HTTP');
        annotate(service, `${AWS}healthcheck-path`, '/');
      } else {
        annotate(service, `${AWS}healthcheck-port`, 'traffic-port');
        annotate(service, `${AWS}healthcheck-protocol`, 'TCP');
        annotate(service, `${AWS}healthcheck-path`, undefined);
      }
      return true;
    },
  },
  {
    id: 'nlb-target-type',
    description: 'NLB target type',
    values: ['ip'],
    apply: (objects, value) => annotate(loadBalancerService(objects), `${AWS}nlb-target-type`, value),
  },
  {
    id: 'deregistration-delay',
    description: 'target group deregistration_delay.timeout_seconds',
    values: ['0', '10', '30', '300'],
    apply: (objects, value) => setTargetGroupAttribute(objects, 'deregistration_delay.timeout_seconds', value),
  },
  {
    id: 'unhealthy-termination',
    description: 'target_health_state.unhealthy.connection_termination.enabled',
    values: ['true', 'false'],
    apply: (objects, value) => setTargetGroupAttribute(objects, 'target_health_state.unhealthy.connection_termination.enabled', value),
  },
  {
    id: 'unhealthy-draining',
    description: 'target_health_state.unhealthy.draining_interval_seconds, with unhealthy connection termination off',
    values: ['0', '10', '30', '60', '120'],
    apply: (objects, value) => setTargetGroupAttribute(objects, 'target_health_state.unhealthy.connection_termination.enabled', 'false')
      && setTargetGroupAttribute(objects, 'target_health_state.unhealthy.draining_interval_seconds', value),
  },
  {
    id: 'external-traffic-policy',
    description: 'the gateway Service externalTrafficPolicy',
    values: ['Local', 'Cluster'],
    apply: (objects, value) => { const service = loadBalancerService(objects); if (!service) return false; service.spec.externalTrafficPolicy = value; return true; },
  },
  {
    id: 'gateway-min-ready',
    description: 'gateway minReadySeconds',
    values: ['0', '5', '10', '20', '30', '60'],
    apply: (objects, value) => { const workload = gatewayWorkload(objects); if (!workload) return false; workload.spec.minReadySeconds = number(value); return true; },
  },
  {
    id: 'gateway-strategy',
    description: 'gateway maxSurge/maxUnavailable',
    values: ['1/0', '0/1', '2/0', '25%/0', '1/1'],
    apply: (objects, value) => { const workload = gatewayWorkload(objects); return workload?.kind === 'Deployment' && setRollingUpdate(workload, ...parseStrategy(value)); },
  },
  {
    id: 'gateway-replicas',
    description: 'gateway replicas',
    values: ['1', '2', '3', '4', '6'],
    apply: (objects, value) => { const workload = gatewayWorkload(objects); if (workload?.kind !== 'Deployment') return false; workload.spec.replicas = number(value); return true; },
  },
  {
    id: 'gateway-kind',
    description: 'the gateway as a DaemonSet: maxUnavailable 1, maxSurge 1, or hostPort with maxUnavailable 1',
    values: ['daemonset', 'daemonset-surge', 'daemonset-hostport'],
    apply: (objects, value) => {
      const workload = gatewayWorkload(objects);
      if (workload?.kind !== 'Deployment') return false;
      workload.kind = 'DaemonSet';
      delete workload.spec.replicas;
      delete workload.spec.strategy;
      workload.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: value === 'daemonset-surge' ? { maxSurge: 1, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: 1 } };
      if (value === 'daemonset-hostport') {
        for (const port of firstContainer(workload)?.ports ?? []) port.hostPort = port.containerPort;
      }
      return true;
    },
  },
  {
    id: 'gateway-anti-affinity',
    description: 'gateway pods one per node (required anti-affinity) or not',
    values: ['none'],
    apply: (objects) => { const spec = podSpec(gatewayWorkload(objects)); if (!spec?.affinity?.podAntiAffinity) return false; delete spec.affinity.podAntiAffinity; return true; },
  },
  {
    id: 'gateway-readiness',
    description: 'gateway readiness probe: TCP on the traffic port, HTTP on the health-check path (fails while draining), exec on admin /ready (fails while draining), none',
    values: ['tcp', 'http-health-check', 'exec-admin-ready', 'none'],
    apply: (objects, value) => {
      const container = firstContainer(gatewayWorkload(objects));
      if (!container) return false;
      const port = container.ports?.[0]?.containerPort ?? 8080;
      const timing = { periodSeconds: container.readinessProbe?.periodSeconds ?? 2, failureThreshold: container.readinessProbe?.failureThreshold ?? 2 };
      const path = loadBalancerService(objects)?.metadata?.annotations?.[`${AWS}healthcheck-path`] ?? '/envoy-hc';
      if (value === 'none') delete container.readinessProbe;
      else if (value === 'tcp') container.readinessProbe = { tcpSocket: { port }, ...timing };
      else if (value === 'http-health-check') container.readinessProbe = { httpGet: { path, port }, ...timing };
      else {
        const admin = adminPort(objects);
        if (admin === undefined) return false;
        container.readinessProbe = { exec: { command: ['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${admin}/ready`] }, ...timing };
      }
      return true;
    },
  },
  {
    id: 'gateway-readiness-timing',
    description: 'gateway readiness periodSeconds x failureThreshold',
    values: ['1x1', '2x2', '5x3', '10x3'],
    apply: (objects, value) => setReadinessTiming(firstContainer(gatewayWorkload(objects)), value),
  },
  {
    id: 'gateway-admin',
    description: 'Envoy admin address',
    values: ['0.0.0.0'],
    apply: (objects, value) => {
      let touched = false;
      for (const { config, save } of envoyConfigs(objects)) {
        if (!config.admin?.address?.socket_address) continue;
        config.admin.address.socket_address.address = value;
        save();
        touched = true;
      }
      return touched;
    },
  },
  {
    id: 'retry-on',
    description: 'route retry_on (Gloo retryOn); none removes the retry policy',
    values: ['connect-failure,refused-stream,reset', 'connect-failure', 'reset', 'connect-failure,reset', '5xx', 'gateway-error', 'refused-stream', 'none'],
    apply: (objects, value) => editRoutes(objects,
      (route) => {
        if (value === 'none') delete route.retry_policy;
        else route.retry_policy = { ...(route.retry_policy ?? { num_retries: 2 }), retry_on: value };
      },
      (options) => {
        if (value === 'none') delete options.retries;
        else options.retries = { ...(options.retries ?? { numRetries: 2 }), retryOn: value };
      }),
  },
  {
    id: 'retry-host-predicate',
    description: 'previous_hosts retry host predicate removed',
    values: ['none'],
    apply: (objects) => editRoutes(objects,
      (route) => { if (route.retry_policy) { delete route.retry_policy.retry_host_predicate; delete route.retry_policy.host_selection_retry_max_attempts; } },
      () => undefined) && envoyConfigs(objects).length > 0,
  },
  {
    id: 'dns-refresh',
    description: 'STRICT_DNS dns_refresh_rate of the upstream clusters',
    values: ['1s', '5s', '15s', '30s', '60s'],
    apply: (objects, value) => editClusters(objects, (cluster) => { if (cluster.type !== 'STRICT_DNS') return false; cluster.dns_refresh_rate = value; return true; }, undefined),
  },
  {
    id: 'ignore-health-on-host-removal',
    description: 'cluster ignore_health_on_host_removal (Gloo ignoreHealthOnHostRemoval)',
    values: ['false'],
    apply: (objects) => editClusters(objects,
      (cluster) => { cluster.ignore_health_on_host_removal = false; return true; },
      (upstream) => { upstream.ignoreHealthOnHostRemoval = false; }),
  },
  {
    id: 'active-health-checks',
    description: 'active health checks on the upstream clusters removed',
    values: ['none'],
    apply: (objects) => editClusters(objects,
      (cluster) => { if (!cluster.health_checks) return false; delete cluster.health_checks; return true; },
      (upstream) => { delete upstream.healthChecks; }),
  },
  {
    id: 'upstream-prestop',
    description: 'upstream preStop sleep seconds; none removes the preStop',
    values: ['none', '5', '15', '30', '45', '60'],
    apply: (objects, value) => {
      const workloads = upstreamWorkloads(objects);
      for (const workload of workloads) {
        const container = firstContainer(workload);
        if (!container) continue;
        if (value === 'none') {
          if (container.lifecycle) delete container.lifecycle.preStop;
        } else if (!setPreStopSleep(container, number(value))) {
          (container.lifecycle ??= {}).preStop = { exec: { command: ['/bin/sh', '-c', `sleep ${value}`] } };
        }
      }
      return workloads.length > 0;
    },
  },
  {
    id: 'upstream-grace',
    description: 'upstream terminationGracePeriodSeconds',
    values: ['5', '30', '60', '120'],
    apply: (objects, value) => eachUpstream(objects, (workload) => { podSpec(workload)!.terminationGracePeriodSeconds = number(value); }),
  },
  {
    id: 'app-drain',
    description: `the app's drain after SIGTERM, seconds (annotation ${APP_DRAIN_ANNOTATION})`,
    values: ['0', '5', '15', '30', '60'],
    apply: (objects, value) => eachUpstream(objects, (workload) => { annotate(workload, APP_DRAIN_ANNOTATION, value); }),
  },
  {
    id: 'upstream-min-ready',
    description: 'upstream minReadySeconds',
    values: ['0', '5', '20', '50'],
    apply: (objects, value) => eachUpstream(objects, (workload) => { workload.spec.minReadySeconds = number(value); }),
  },
  {
    id: 'upstream-strategy',
    description: 'upstream maxSurge/maxUnavailable',
    values: ['1/0', '0/1', '2/0', '1/1'],
    apply: (objects, value) => eachUpstream(objects, (workload) => { setRollingUpdate(workload, ...parseStrategy(value)); }),
  },
  {
    id: 'upstream-replicas',
    description: 'upstream replicas',
    values: ['1', '2', '3', '5'],
    apply: (objects, value) => eachUpstream(objects, (workload) => { workload.spec.replicas = number(value); }),
  },
  {
    id: 'upstream-readiness',
    description: 'upstream readiness probe removed',
    values: ['none'],
    apply: (objects) => { const workloads = upstreamWorkloads(objects); let touched = false; for (const workload of workloads) { const container = firstContainer(workload); if (container?.readinessProbe) { delete container.readinessProbe; touched = true; } } return touched; },
  },
  {
    id: 'disruption-budget',
    description: 'PodDisruptionBudgets removed',
    values: ['none'],
    apply: (objects) => {
      const before = objects.length;
      for (let index = objects.length - 1; index >= 0; index--) if (objects[index].kind === 'PodDisruptionBudget') objects.splice(index, 1);
      return objects.length < before;
    },
  },
  {
    id: 'long-requests',
    // Below the routes' own timeouts (edge 16 s, the example 15.1 s): a longer request fails at
    // the route whatever the rollout does, and the simulator does not play route timeouts.
    description: 'two extra clients sending requests that take N seconds (timeout N + 10 s), below the route timeouts',
    values: ['3', '10', '15'],
    apply: (_objects, value, load) => {
      load.longRequests = 2;
      load.longDelaySeconds = number(value);
      load.longTimeoutSeconds = number(value) + 10;
      return true;
    },
  },
  ...GKE_KNOBS,
];

/** Two knobs at once: the pairs where one setting's safety rests on another's. */
export const PAIRS: readonly (readonly [Setting[], Setting[]])[] = [
  [s('gateway-keep-serving', '10', '20', '40'), s('nlb-interval', '5', '30')],
  [s('gateway-keep-serving', '5', '10', '20'), s('external-traffic-policy', 'Cluster')],
  [s('gateway-keep-serving', '5', '20', '40'), s('nlb-health-check', 'node-port-healthz')],
  [s('gateway-keep-serving', '5', '20'), s('unhealthy-termination', 'true')],
  [s('gateway-keep-serving', '30', '60', '150'), s('nlb-target-type', 'ip')],
  [s('gateway-keep-serving', '40', '60'), s('gateway-grace', '30', '90')],
  [s('gateway-keep-serving', '10', '40'), s('gateway-kind', 'daemonset-hostport', 'daemonset')],
  [s('gateway-min-ready', '0', '10'), s('nlb-healthy-threshold', '3', '5')],
  [s('gateway-min-ready', '0', '30'), s('gateway-kind', 'daemonset')],
  [s('gateway-min-ready', '0'), s('gateway-replicas', '1', '3')],
  [s('gateway-readiness', 'http-health-check', 'exec-admin-ready'), s('gateway-readiness-timing', '1x1', '10x3')],
  [s('gateway-readiness', 'http-health-check'), s('external-traffic-policy', 'Cluster')],
  [s('gateway-strategy', '0/1'), s('gateway-replicas', '2', '4')],
  [s('gateway-anti-affinity', 'none'), s('gateway-replicas', '4')],
  [s('unhealthy-draining', '10', '60'), s('gateway-keep-serving', '20', '40')],
  [s('upstream-prestop', '5', '15', '30'), s('dns-refresh', '1s', '30s')],
  [s('upstream-prestop', '5', '15'), s('upstream-min-ready', '0', '30')],
  [s('upstream-prestop', '5', '15'), s('retry-on', 'none', 'connect-failure')],
  [s('upstream-prestop', 'none', '5'), s('active-health-checks', 'none')],
  [s('app-drain', '30', '60'), s('upstream-grace', '30', '120')],
  [s('long-requests', '10', '15'), s('gateway-grace', '30', '90')],
  [s('long-requests', '10', '15'), s('upstream-grace', '30', '120')],
  [s('long-requests', '10', '15'), s('gateway-keep-serving', '40', '60')],
  ...GKE_PAIRS,
];

function s(knob: string, ...values: string[]): Setting[] {
  return values.map((value) => ({ knob, value }));
}

/** The knob of an id; throws on an unknown id, so a typo in PAIRS fails the tests. */
export function knobOf(id: string): Knob {
  const knob = KNOBS.find((each) => each.id === id);
  if (!knob) throw new Error(`no knob '${id}' (knobs: ${KNOBS.map((each) => each.id).join(', ')})`);
  return knob;
}

/** `knob=value+knob=value`. */
export function settingsId(settings: readonly Setting[]): string {
  return settings.map((setting) => `${setting.knob}=${setting.value}`).join('+');
}

/**
 * A base with the settings applied, or undefined where a knob finds nothing to change or the
 * result equals the base (a knob already at that value).
 */
export function applySettings(base: Base, settings: readonly Setting[]): Variant | undefined {
  const parsed = parsedBase(base);
  const objects = structuredClone(parsed.objects);
  const load: { -readonly [K in keyof LoadProfile]: LoadProfile[K] } = {};
  for (const setting of settings) {
    if (!knobFits(setting.knob, objects) || !knobOf(setting.knob).apply(objects, setting.value, load)) return undefined;
  }
  const text = printManifests(objects);
  if (text === parsed.text && Object.keys(load).length === 0) return undefined;
  return { id: `${base.name}/${settingsId(settings)}`, base: base.name, settings, text, load };
}

const parsedBases = new WeakMap<Base, { objects: ManifestObject[]; text: string }>();

/** A base parsed once and printed the way variants are, so that an unchanged variant is seen as one. */
function parsedBase(base: Base): { objects: ManifestObject[]; text: string } {
  let parsed = parsedBases.get(base);
  if (!parsed) {
    const objects = parseManifests(base.text);
    parsed = { objects, text: printManifests(objects) };
    parsedBases.set(base, parsed);
  }
  return parsed;
}

/** The base itself, unchanged, as a variant with no settings. */
export function baseVariant(base: Base): Variant {
  return { id: `${base.name}/base`, base: base.name, settings: [], text: parsedBase(base).text, load: {} };
}

/** Every variant: each base as is, each knob value alone, then each pair; bases in the order given. */
export function generateVariants(bases: readonly Base[]): Variant[] {
  const variants: Variant[] = [];
  for (const base of bases) {
    variants.push(baseVariant(base));
    for (const knob of KNOBS) {
      for (const value of knob.values) {
        const variant = applySettings(base, [{ knob: knob.id, value }]);
        if (variant) variants.push(variant);
      }
    }
    for (const [first, second] of PAIRS) {
      for (const a of first) {
        for (const b of second) {
          const variant = applySettings(base, [a, b]);
          if (variant) variants.push(variant);
        }
      }
    }
  }
  return variants;
}

/**
 * The fixed sample `npm test` runs (about 30 variants): each base as is; the first pair of every
 * third pair spec; then, for every knob no chosen variant turns yet, the variant at the knob's
 * middle value, on the preferred bases in turn (so that each is used), else on any base.
 */
export function sampleVariants(variants: readonly Variant[], preferredBases: readonly string[]): Variant[] {
  const chosen: Variant[] = variants.filter((variant) => variant.settings.length === 0);
  PAIRS.forEach(([first, second], index) => {
    if (index % 3 !== 0) return;
    const id = settingsId([first[0], second[0]]);
    const found = preferredBases.map((base) => variants.find((variant) => variant.id === `${base}/${id}`)).find(Boolean);
    if (found) chosen.push(found);
  });
  const covered = new Set(chosen.flatMap((variant) => variant.settings.map((setting) => setting.knob)));
  let turn = 0;
  for (const knob of KNOBS) {
    if (covered.has(knob.id)) continue;
    const value = knob.values[Math.floor(knob.values.length / 2)];
    const order = [...preferredBases.slice(turn % preferredBases.length), ...preferredBases.slice(0, turn % preferredBases.length), ...new Set(variants.map((variant) => variant.base))];
    const single = (base: string, exact: boolean) => variants.find((variant) => variant.base === base && variant.settings.length === 1
      && variant.settings[0].knob === knob.id && (!exact || variant.settings[0].value === value));
    const found = order.map((base) => single(base, true) ?? single(base, false)).find(Boolean);
    if (found) {
      chosen.push(found);
      covered.add(knob.id);
      turn++;
    }
  }
  return chosen;
}

/** Keeps the variants whose id contains every comma-separated part of `filter`. */
export function filterVariants(variants: readonly Variant[], filter: string | undefined): Variant[] {
  if (!filter) return [...variants];
  const parts = filter.split(',').map((each) => each.trim()).filter(Boolean);
  return variants.filter((variant) => parts.every((part) => variant.id.includes(part)));
}

/** Every n-th variant, from the first, so that `--sample N` spreads over bases and knobs. */
export function everyNth(variants: readonly Variant[], count: number): Variant[] {
  if (count >= variants.length) return [...variants];
  const step = variants.length / count;
  return Array.from({ length: count }, (_, index) => variants[Math.floor(index * step)]);
}
