import { formatSeconds } from '../finding';
import { HealthCheckTiming } from '../model';
import { PropBoundError } from '../prop-bound-error';

/**
 * GKE's facts, each with its source: the defaults the controllers apply, the ranges the Compute
 * Engine API and GKE's CRDs accept, and the NEG detach latency, which nobody documents.
 */

/** Which controller makes the load balancer, and so which defaults apply. */
export type GkeShape = 'ingress' | 'gateway' | 'l4';

/**
 * How long after a pod starts terminating the load balancer may still send it new requests through
 * its NEG: the NEG controller detaches an endpoint as soon as its EndpointSlice entry is
 * terminating (readiness is not read), but the detach has to reach the load balancer's data
 * plane. Google documents no figure; its support article suggests a preStop of "about the same
 * amount of time for the endpoint to be removed from the NEG" and gives `sleep 40` as its example.
 * That example is the default; measure your cluster and override it with `negDetachLatency`.
 * @see https://github.com/kubernetes/ingress-gce/blob/master/pkg/neg/types/types.go ("Ignore terminating endpoints")
 * @see https://github.com/kubernetes/ingress-gce/issues/1574 (not configurable, as intended)
 * @see https://cloud.google.com/knowledge/kb/502-503-errors-on-external-http-s-load-balancer-000006416
 */
export const DEFAULT_NEG_DETACH_SECONDS = 40;

/**
 * The readiness gate GKE injects into pods behind container-native load balancing. It turns true
 * once the endpoint is healthy in a backend service (or after a 10-minute fail-safe) and never
 * turns back: it guards rollouts, not draining.
 * @see https://github.com/kubernetes/ingress-gce/blob/master/pkg/neg/readiness/reflector.go (unreadyTimeout = 10 * time.Minute)
 */
export const NEG_READINESS_GATE = 'cloud.google.com/load-balancer-neg-ready';

/** The Service annotation that asks for NEGs (`{"ingress": true}` or `{"exposed_ports": …}`). */
export const NEG_ANNOTATION = 'cloud.google.com/neg';

/** The Service annotation naming BackendConfigs (`{"default": "name"}` or `{"ports": {…}}`). */
export const BACKEND_CONFIG_ANNOTATION = 'cloud.google.com/backend-config';

/** The older spelling of {@link BACKEND_CONFIG_ANNOTATION}, still read by ingress-gce. */
export const BETA_BACKEND_CONFIG_ANNOTATION = 'beta.cloud.google.com/backend-config';

/**
 * Ingress with NEGs and no BackendConfig health check: every 15 s, 15 s timeout, healthy after 1,
 * unhealthy after 2, `/` on the serving port. When the serving container has an `httpGet`
 * readiness probe, its path, periodSeconds and timeoutSeconds replace path, interval and timeout
 * (not the thresholds) when the health check is made; later probe changes are not followed.
 * @see https://github.com/kubernetes/ingress-gce/blob/master/pkg/translator/healthchecks.go (defaultNEGHealthCheckInterval, defaultNEGTimeout, defaultHealthyThreshold, defaultNEGUnhealthyThreshold, ApplyProbeSettingsToHC)
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/ingress#health_checks
 */
export const INGRESS_NEG_DEFAULT_HEALTH_CHECK: HealthCheckTiming = { intervalSeconds: 15, timeoutSeconds: 15, healthyThreshold: 1, unhealthyThreshold: 2 };

/**
 * GKE Gateway's health check when no `HealthCheckPolicy` sets one: 5 s / 5 s / 2 / 2 (the
 * HealthCheckPolicy CRD's field descriptions: "If not specified, a default value of 5 seconds / 2
 * will be used"; timeoutSec may not exceed checkIntervalSec).
 * @see https://github.com/GoogleCloudPlatform/gke-networking-recipes/blob/main/gateway-api/config/servicepolicies/crd/standard/healthcheckpolicy.yaml
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_health_check
 */
export const GATEWAY_DEFAULT_HEALTH_CHECK: HealthCheckTiming = { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 };

/**
 * L4 passthrough load balancer (`GCE_VM_IP` NEGs, members are nodes), externalTrafficPolicy Local:
 * kube-proxy's healthCheckNodePort `/healthz` every 3 s, 1 s timeout, 1 / 2.
 * @see https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/healthchecks/healthchecksl4.go (gceLocalHcCheckIntervalSeconds, gceHcTimeoutSeconds, gceHcHealthyThreshold, gceLocalHcUnhealthyThreshold)
 */
export const L4_LOCAL_HEALTH_CHECK: HealthCheckTiming = { intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 };

/**
 * L4 passthrough, externalTrafficPolicy Cluster: the shared node health check on kube-proxy's
 * port 10256 `/healthz`, every 8 s, 1 s timeout, 1 / 3.
 * @see https://github.com/kubernetes/ingress-gce/blob/master/pkg/l4/healthchecks/healthchecksl4.go (gceSharedHcCheckIntervalSeconds, gceSharedHcUnhealthyThreshold)
 */
export const L4_CLUSTER_HEALTH_CHECK: HealthCheckTiming = { intervalSeconds: 8, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 3 };

/** kube-proxy's health port, checked by the shared L4 health check (eTP Cluster). */
export const KUBE_PROXY_HEALTH_PORT = 10256;

/**
 * Connection draining when neither a BackendConfig nor a GCPBackendPolicy sets it: 0, so requests
 * in flight on an endpoint are cut the moment it is detached.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration#draining_timeout
 * @see https://cloud.google.com/load-balancing/docs/enabling-connection-draining
 */
export const DEFAULT_CONNECTION_DRAINING_SECONDS = 0;

/**
 * The health check hitless's constructs give a gateway behind an Ingress or a GKE Gateway: Gateway's
 * own defaults, 5 s / 5 s / 2 / 2, on the gateway's health-check path. Faster than the Ingress
 * defaults (a 45 s detection window), so the health check fails a draining gateway before the NEG
 * detach (40 s assumed) has propagated.
 */
export const HITLESS_GKE_HEALTH_CHECK: HealthCheckTiming = GATEWAY_DEFAULT_HEALTH_CHECK;

/** An inclusive range, with the unit it is counted in. */
export interface GkeRange {
  readonly min: number;
  readonly max: number;
  readonly unit: 'seconds' | 'count';
}

/** The ranges of every value hitless sets on a GKE load balancer. */
export const GKE_LIMITS = {
  /**
   * `checkIntervalSec`: 1–300 (Compute Engine health checks; HealthCheckPolicy's CRD says the same).
   * @see https://cloud.google.com/load-balancing/docs/health-check-concepts
   * @see https://github.com/GoogleCloudPlatform/gke-networking-recipes/blob/main/gateway-api/config/servicepolicies/crd/standard/healthcheckpolicy.yaml
   */
  healthCheckIntervalSeconds: { min: 1, max: 300, unit: 'seconds' },
  /** `timeoutSec`: 1–300, and at most the interval. */
  healthCheckTimeoutSeconds: { min: 1, max: 300, unit: 'seconds' },
  /** `healthyThreshold`: 1–10. */
  healthyThreshold: { min: 1, max: 10, unit: 'count' },
  /** `unhealthyThreshold`: 1–10. */
  unhealthyThreshold: { min: 1, max: 10, unit: 'count' },
  /**
   * `connectionDraining.drainingTimeoutSec`: 0–3600.
   * @see https://github.com/GoogleCloudPlatform/gke-networking-recipes/blob/main/gateway-api/config/servicepolicies/crd/standard/gcpbackendpolicies.yaml
   */
  connectionDrainingSeconds: { min: 0, max: 3600, unit: 'seconds' },
  /** The assumed NEG detach latency: a length of time, at most an hour. */
  negDetachSeconds: { min: 0, max: 3600, unit: 'seconds' },
} as const satisfies Record<string, GkeRange>;

/** A value a GKE load balancer refuses. The message names the prop, the value and the bound. */
export class GkeLimitError extends PropBoundError {
  /**
   * @param prop The prop that was set, as the user wrote it.
   * @param value The value received, for people (`5s`).
   * @param bound The bound it breaks, for people (`at least the load balancer's detection window (26s)`).
   * @param because Why the bound holds, in a sentence.
   */
  constructor(prop: string, value: string, bound: string, because: string) {
    super(prop, value, bound, because);
    this.name = 'GkeLimitError';
  }
}

/**
 * Checks `value` against `range` (whole numbers only), naming `prop`.
 * @throws GkeLimitError when out of range or fractional
 */
export function checkGkeRange(prop: string, value: number, range: GkeRange, because = 'the Compute Engine API refuses other values'): number {
  const shown = range.unit === 'seconds' ? formatSeconds(value) : String(value);
  const bounds = range.unit === 'seconds' ? `${formatSeconds(range.min)}–${formatSeconds(range.max)}` : `${range.min}–${range.max}`;
  if (!Number.isInteger(value)) throw new GkeLimitError(prop, shown, `a whole number within ${bounds}`, because);
  if (value < range.min || value > range.max) throw new GkeLimitError(prop, shown, `within ${bounds}`, because);
  return value;
}

/** The health check a controller applies when nothing configures one. */
export function controllerDefaultHealthCheck(shape: GkeShape, externalTrafficPolicy: 'Local' | 'Cluster' = 'Local'): HealthCheckTiming {
  switch (shape) {
    case 'ingress': return INGRESS_NEG_DEFAULT_HEALTH_CHECK;
    case 'gateway': return GATEWAY_DEFAULT_HEALTH_CHECK;
    case 'l4': return externalTrafficPolicy === 'Local' ? L4_LOCAL_HEALTH_CHECK : L4_CLUSTER_HEALTH_CHECK;
  }
}
