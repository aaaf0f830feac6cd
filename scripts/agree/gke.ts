/**
 * The GKE part of the agreement harness (issue 15): a base made from examples/gke/cdk8s (a gateway
 * behind a GKE Ingress with container-native load balancing: a NEG-annotated Service and a
 * BackendConfig), and the knobs that matter there. The NEG detach latency is not in the manifests
 * (the reader assumes Google's 40 s, support article 000006416), so it is varied through what it
 * bounds: the gateway preStop's keep-serving window (`gateway-keep-serving`).
 *
 * Pure, like variants.ts, and self-contained (no runtime import of variants.ts, which imports this).
 */
import type { LoadProfile } from '../../lib/simulate/clients';

type ManifestObject = Record<string, any>;

interface GkeKnob {
  readonly id: string;
  readonly description: string;
  readonly values: readonly string[];
  readonly apply: (objects: ManifestObject[], value: string, load: { -readonly [K in keyof LoadProfile]: LoadProfile[K] }) => boolean;
}

const NEG_ANNOTATION = 'cloud.google.com/neg';
const BACKEND_CONFIG_ANNOTATIONS = ['cloud.google.com/backend-config', 'beta.cloud.google.com/backend-config'];
const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** The Service the GKE load balancer sends to through NEGs (`cloud.google.com/neg` set). */
export function negService(objects: ManifestObject[]): ManifestObject | undefined {
  return objects.find((object) => object.kind === 'Service' && typeof object.metadata?.annotations?.[NEG_ANNOTATION] === 'string');
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

function negGateway(objects: ManifestObject[]): ManifestObject | undefined {
  const service = negService(objects);
  return objects.find((object) => WORKLOAD_KINDS.has(object.kind) && selects(service?.spec?.selector, object.spec?.template?.metadata?.labels));
}

/** The BackendConfigs the NEG Service names (every one its annotation lists). */
function backendConfigs(objects: ManifestObject[]): ManifestObject[] {
  const service = negService(objects);
  if (!service) return [];
  const names = new Set<string>();
  for (const annotation of BACKEND_CONFIG_ANNOTATIONS) {
    const raw = service.metadata?.annotations?.[annotation];
    if (typeof raw !== 'string') continue;
    try {
      const parsed = JSON.parse(raw) as { default?: string; ports?: Record<string, string> };
      if (parsed.default) names.add(parsed.default);
      for (const name of Object.values(parsed.ports ?? {})) names.add(name);
    } catch {
      // A malformed annotation names nothing this knob could edit.
    }
  }
  return objects.filter((object) => object.kind === 'BackendConfig' && names.has(object.metadata?.name)
    && (object.metadata?.namespace ?? service.metadata?.namespace) === service.metadata?.namespace);
}

function editHealthCheck(objects: ManifestObject[], edit: (healthCheck: ManifestObject) => void): boolean {
  const configs = backendConfigs(objects);
  for (const config of configs) edit((config.spec ??= {}).healthCheck ??= {});
  return configs.length > 0;
}

/** Knobs that only a gateway behind GKE NEGs has. */
export const GKE_KNOBS: readonly GkeKnob[] = [
  {
    id: 'neg-connection-draining',
    description: 'BackendConfig connectionDraining.drainingTimeoutSec (GKE default 0: requests in flight are cut at the NEG detach)',
    values: ['0', '10', '60'],
    apply: (objects, value) => {
      const configs = backendConfigs(objects);
      for (const config of configs) (config.spec ??= {}).connectionDraining = { drainingTimeoutSec: Number(value) };
      return configs.length > 0;
    },
  },
  {
    id: 'neg-health-check-interval',
    description: 'BackendConfig healthCheck.checkIntervalSec (the timeout kept at most the interval)',
    values: ['2', '15', '30'],
    apply: (objects, value) => editHealthCheck(objects, (healthCheck) => {
      healthCheck.checkIntervalSec = Number(value);
      healthCheck.timeoutSec = Math.min(healthCheck.timeoutSec ?? 5, Number(value));
    }),
  },
  {
    id: 'neg-unhealthy-threshold',
    description: 'BackendConfig healthCheck.unhealthyThreshold',
    values: ['3', '5', '10'],
    apply: (objects, value) => editHealthCheck(objects, (healthCheck) => { healthCheck.unhealthyThreshold = Number(value); }),
  },
  {
    id: 'neg-healthy-threshold',
    description: 'BackendConfig healthCheck.healthyThreshold',
    values: ['1', '5'],
    apply: (objects, value) => editHealthCheck(objects, (healthCheck) => { healthCheck.healthyThreshold = Number(value); }),
  },
  {
    id: 'neg-health-check-path',
    description: "BackendConfig healthCheck.requestPath: `/` is not Envoy's health-check filter, so the check never sees the drain and only the NEG detach ends new requests",
    values: ['/'],
    apply: (objects, value) => editHealthCheck(objects, (healthCheck) => { healthCheck.requestPath = value; }),
  },
  {
    id: 'neg-backend-config',
    description: 'the BackendConfig removed (and its annotation): GKE defaults, health check 15 s / 15 s / 1 / 2, connection draining 0',
    values: ['none'],
    apply: (objects) => {
      const configs = backendConfigs(objects);
      if (configs.length === 0) return false;
      for (const config of configs) objects.splice(objects.indexOf(config), 1);
      for (const annotation of BACKEND_CONFIG_ANNOTATIONS) delete negService(objects)!.metadata.annotations[annotation];
      return true;
    },
  },
  {
    id: 'gateway-prestop',
    description: 'the gateway preStop removed: SIGTERM at once, Envoy exits while the NEG endpoint is still attached',
    values: ['none'],
    apply: (objects) => {
      const container = negGateway(objects)?.spec?.template?.spec?.containers?.[0];
      if (!container?.lifecycle?.preStop) return false;
      delete container.lifecycle.preStop;
      return true;
    },
  },
];

/** Pairs on the GKE base: the settings whose safety rests on each other there. */
export const GKE_PAIRS: readonly (readonly [{ knob: string; value: string }[], { knob: string; value: string }[]])[] = [
  // Issue 15's "done when": NEGs, no BackendConfig and no preStop drop requests.
  [settings('neg-backend-config', 'none'), settings('gateway-prestop', 'none')],
  // Without a check that sees the drain, the keep-serving window must cover the NEG detach (40 s).
  [settings('neg-health-check-path', '/'), settings('gateway-keep-serving', '10', '20', '40', '60')],
  [settings('neg-connection-draining', '0'), settings('gateway-keep-serving', '10', '40')],
  [settings('neg-backend-config', 'none'), settings('gateway-keep-serving', '20', '40', '60')],
];

function settings(knob: string, ...values: string[]): { knob: string; value: string }[] {
  return values.map((value) => ({ knob, value }));
}

/** Knobs of other bases that also mean something behind GKE NEGs (the gateway's own timings). */
const SHARED_WITH_GKE = new Set(['gateway-keep-serving', 'gateway-grace', 'gateway-min-ready', 'gateway-replicas']);
const GKE_KNOB_IDS = new Set(GKE_KNOBS.map((knob) => knob.id));

/**
 * Whether a knob belongs on these objects: GKE knobs only behind NEGs; behind NEGs only GKE knobs
 * and the gateway's own timings (the AWS load-balancer knobs mean nothing there, and the rest are
 * played on the other bases).
 */
export function knobFits(knob: string, objects: ManifestObject[]): boolean {
  const gke = negService(objects) !== undefined;
  if (GKE_KNOB_IDS.has(knob)) return gke;
  return !gke || SHARED_WITH_GKE.has(knob);
}
