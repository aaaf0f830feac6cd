/**
 * The one home of cluster and route defaults: what Envoy applies where a field is absent (the reader
 * reads foreign configs with them), and what hitless writes where it chooses otherwise (the Envoy and
 * Gloo emitters apply them). Gloo Edge's Upstream carries Envoy's own HealthCheck and OutlierDetection
 * messages and Gloo's route retries become Envoy's retry policy, so Gloo has no defaults of its own here.
 */
import { Duration } from '../duration';

/**
 * Envoy's outlier detection defaults, for the fields an `outlier_detection` leaves out.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/outlier_detection.proto
 */
export const ENVOY_OUTLIER_DETECTION_DEFAULTS = {
  /** `consecutive_5xx`. */
  consecutive5xx: 5,
  /** `interval`. */
  intervalSeconds: 10,
  /** `base_ejection_time`. */
  baseEjectionSeconds: 30,
  /** `max_ejection_percent`. */
  maxEjectionPercent: 10,
} as const;

/**
 * What the reader takes for a health check threshold that is absent. Envoy requires both
 * `healthy_threshold` and `unhealthy_threshold` (it rejects a health check without them; the
 * validator says so), so this is no Envoy default: one check, the fewest a threshold can count,
 * lets the rest of the cluster still be checked.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/health_check.proto
 */
export const ABSENT_HEALTH_CHECK_THRESHOLD = 1;

/**
 * Envoy's route defaults: `num_retries` once a retry policy exists, `host_selection_retry_max_attempts`,
 * and the route `timeout`.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto
 */
export const ENVOY_ROUTE_DEFAULTS = {
  numRetries: 1,
  hostSelectionRetryMaxAttempts: 1,
  timeoutSeconds: 15,
} as const;

/**
 * Active health checks hitless writes on an upstream's pods (Envoy clusters and Gloo Upstreams): a
 * 5 s interval (the solver adds one interval to the upstream's minReadySeconds, so a new pod is
 * checked before the next old one goes), a 1 s timeout (a readiness endpoint answers in
 * milliseconds in-cluster), 2 failures to eject (one slow answer does not flap a pod) and 1 success
 * to admit (what the solver assumes).
 */
export const HITLESS_HEALTH_CHECK_DEFAULTS = {
  interval: Duration.seconds(5),
  timeout: Duration.seconds(1),
  unhealthyThreshold: 2,
  healthyThreshold: 1,
} as const;

/**
 * Outlier detection hitless writes: Envoy's own numbers, except `max_ejection_percent` 50 rather
 * than Envoy's 10: with a handful of pods 10 % lets only one be ejected, while a rollout can have
 * two exiting at once; beyond half, Envoy's panic threshold (50 %) sends to every pod anyway.
 */
export const HITLESS_OUTLIER_DETECTION_DEFAULTS = {
  consecutive5xx: ENVOY_OUTLIER_DETECTION_DEFAULTS.consecutive5xx,
  interval: Duration.seconds(ENVOY_OUTLIER_DETECTION_DEFAULTS.intervalSeconds),
  baseEjectionTime: Duration.seconds(ENVOY_OUTLIER_DETECTION_DEFAULTS.baseEjectionSeconds),
  maxEjectionPercent: 50,
} as const;

export const DEFAULT_ACTIVE_HEALTH_CHECK_INTERVAL = HITLESS_HEALTH_CHECK_DEFAULTS.interval;
export const DEFAULT_ACTIVE_HEALTH_CHECK_TIMEOUT = HITLESS_HEALTH_CHECK_DEFAULTS.timeout;
export const DEFAULT_CONNECT_TIMEOUT = Duration.seconds(1);
export const DEFAULT_DNS_REFRESH_RATE = Duration.seconds(5);
