import { asDuration, Duration, DurationLike } from '../duration';
import { DiscoveryModel, EnvoyClusterModel, HealthCheckTiming } from '../model';
import {
  DEFAULT_ACTIVE_HEALTH_CHECK_INTERVAL, DEFAULT_ACTIVE_HEALTH_CHECK_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DNS_REFRESH_RATE, HITLESS_HEALTH_CHECK_DEFAULTS, HITLESS_OUTLIER_DETECTION_DEFAULTS,
} from './defaults';

/** Active health checking of an upstream's pods; the defaults and why: lib/core/envoy/defaults.ts. */
export interface ActiveHealthCheckOptions {
  /** @default Duration.seconds(5) */
  readonly interval?: DurationLike;
  /** @default Duration.seconds(1) */
  readonly timeout?: DurationLike;
  /** @default 2 */
  readonly unhealthyThreshold?: number;
  /** @default 1 */
  readonly healthyThreshold?: number;
}

/**
 * Outlier detection (passive health checks) of an upstream's pods.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/outlier_detection.proto
 */
export interface OutlierDetectionOptions {
  /**
   * Consecutive 5xx (connection failures and resets count as 503) before a pod is ejected. Five,
   * Envoy's default: a pod that a rollout has just stopped fails every request and is ejected
   * within five (each retried elsewhere), while one app error on one odd request ejects nothing.
   * @default 5
   */
  readonly consecutive5xx?: number;
  /**
   * How long a first ejection lasts (Envoy multiplies it by the number of ejections). 30 s, the
   * default: an exiting pod has left DNS by the time it would come back.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: DurationLike;
  /**
   * At most this share of pods is ejected. 50 % rather than Envoy's 10 %: with a handful of pods
   * 10 % lets only one be ejected, while a rollout can have two exiting at once; beyond half,
   * Envoy's panic threshold (50 %) sends to every pod anyway.
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/** One upstream cluster. */
export interface UpstreamClusterOptions {
  readonly name: string;
  /** DNS name the cluster resolves: the headless Service, whose DNS holds only ready pods. */
  readonly dnsName: string;
  readonly port: number;
  /** Path of the upstream's readiness endpoint, for active health checks. */
  readonly healthCheckPath: string;
  /**
   * `dns_refresh_rate`.
   * @default Duration.seconds(5)
   */
  readonly dnsRefreshRate?: DurationLike;
  /**
   * `connect_timeout`: a pod whose IP is gone never answers the SYN; a short timeout turns that
   * into a fast connect-failure that the route retries on another pod.
   * @default Duration.seconds(1)
   */
  readonly connectTimeout?: DurationLike;
  readonly activeHealthCheck?: ActiveHealthCheckOptions;
  readonly outlierDetection?: OutlierDetectionOptions;
}

/** A cluster with every default applied and every bound checked. */
export interface ResolvedCluster {
  readonly name: string;
  readonly dnsName: string;
  readonly port: number;
  readonly healthCheckPath: string;
  readonly dnsRefreshRate: Duration;
  readonly connectTimeout: Duration;
  readonly healthCheck: { readonly interval: Duration; readonly timeout: Duration; readonly unhealthyThreshold: number; readonly healthyThreshold: number };
  readonly outlierDetection: { readonly consecutive5xx: number; readonly baseEjectionTime: Duration; readonly maxEjectionPercent: number };
}

export { DEFAULT_ACTIVE_HEALTH_CHECK_INTERVAL, DEFAULT_ACTIVE_HEALTH_CHECK_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DNS_REFRESH_RATE };

function positiveInteger(prop: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`'${prop}' (${value}) must be a whole number from 1 to ${max}`);
  }
  return value;
}

function atLeastMillis(prop: string, value: Duration, minimum: Duration, because: string): Duration {
  if (value.isShorterThan(minimum)) throw new Error(`'${prop}' (${value}) must be at least ${minimum}: ${because}`);
  return value;
}

/** Applies defaults and checks bounds; errors name the prop, the value and the bound. */
export function resolveCluster(options: UpstreamClusterOptions): ResolvedCluster {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(options.name)) {
    throw new Error(`cluster name (${JSON.stringify(options.name)}) must be letters, digits, '.', '_' or '-'`);
  }
  if (!options.healthCheckPath.startsWith('/')) {
    throw new Error(`'healthCheckPath' (${JSON.stringify(options.healthCheckPath)}) of ${options.name} must start with '/'`);
  }
  positiveInteger('port', options.port, 65535);
  const hc = options.activeHealthCheck ?? {};
  const interval = atLeastMillis('activeHealthCheck.interval', asDuration(hc.interval ?? DEFAULT_ACTIVE_HEALTH_CHECK_INTERVAL), Duration.millis(100), 'Envoy rejects shorter intervals');
  const timeout = atLeastMillis('activeHealthCheck.timeout', asDuration(hc.timeout ?? DEFAULT_ACTIVE_HEALTH_CHECK_TIMEOUT), Duration.millis(1), 'Envoy requires a positive timeout');
  if (timeout.isLongerThan(interval)) {
    throw new Error(`'activeHealthCheck.timeout' (${timeout}) must be at most 'activeHealthCheck.interval' (${interval}): checks would overlap`);
  }
  const od = options.outlierDetection ?? {};
  const maxEjectionPercent = od.maxEjectionPercent ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.maxEjectionPercent;
  if (!Number.isInteger(maxEjectionPercent) || maxEjectionPercent < 0 || maxEjectionPercent > 100) {
    throw new Error(`'outlierDetection.maxEjectionPercent' (${maxEjectionPercent}) must be a whole number from 0 to 100`);
  }
  return {
    name: options.name,
    dnsName: options.dnsName,
    port: options.port,
    healthCheckPath: options.healthCheckPath,
    dnsRefreshRate: atLeastMillis('dnsRefreshRate', asDuration(options.dnsRefreshRate ?? DEFAULT_DNS_REFRESH_RATE), Duration.millis(1), 'Envoy requires a positive refresh rate'),
    connectTimeout: atLeastMillis('connectTimeout', asDuration(options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT), Duration.millis(1), 'Envoy requires a positive connect timeout'),
    healthCheck: {
      interval,
      timeout,
      unhealthyThreshold: positiveInteger('activeHealthCheck.unhealthyThreshold', hc.unhealthyThreshold ?? HITLESS_HEALTH_CHECK_DEFAULTS.unhealthyThreshold),
      healthyThreshold: positiveInteger('activeHealthCheck.healthyThreshold', hc.healthyThreshold ?? HITLESS_HEALTH_CHECK_DEFAULTS.healthyThreshold),
    },
    outlierDetection: {
      consecutive5xx: positiveInteger('outlierDetection.consecutive5xx', od.consecutive5xx ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.consecutive5xx),
      baseEjectionTime: atLeastMillis('outlierDetection.baseEjectionTime', asDuration(od.baseEjectionTime ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.baseEjectionTime), Duration.millis(1), 'Envoy requires a positive ejection time'),
      maxEjectionPercent,
    },
  };
}

/** The health-check timing of a resolved cluster, in the model's seconds. */
export function clusterHealthCheckTiming(cluster: ResolvedCluster): HealthCheckTiming {
  return {
    intervalSeconds: cluster.healthCheck.interval.toSeconds(),
    timeoutSeconds: cluster.healthCheck.timeout.toSeconds(),
    healthyThreshold: cluster.healthCheck.healthyThreshold,
    unhealthyThreshold: cluster.healthCheck.unhealthyThreshold,
  };
}

/**
 * A `config.cluster.v3.Cluster` as proto3 JSON: STRICT_DNS on the headless Service, so pods that
 * stop being ready leave the host set at the next refresh; health-checked actively and passively;
 * and `ignore_health_on_host_removal`, without which a pod that has left DNS but still passes its
 * health checks (it is in its preStop sleep) would keep receiving requests.
 */
export function envoyCluster(cluster: ResolvedCluster): Record<string, unknown> {
  const interval = cluster.healthCheck.interval.toProtoJson();
  return {
    name: cluster.name,
    type: 'STRICT_DNS',
    connect_timeout: cluster.connectTimeout.toProtoJson(),
    dns_refresh_rate: cluster.dnsRefreshRate.toProtoJson(),
    // Stated, not defaulted: with it on, a CoreDNS TTL of 30 s would replace the refresh rate and
    // the discovery delay the solver uses would be wrong.
    respect_dns_ttl: false,
    load_assignment: {
      cluster_name: cluster.name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: cluster.dnsName, port_value: cluster.port } } } }] }],
    },
    health_checks: [{
      timeout: cluster.healthCheck.timeout.toProtoJson(),
      interval,
      // Envoy checks a cluster that has had no traffic only every 60 s by default; a new pod would
      // then wait that long to be admitted, longer than the interval the solver counts on.
      no_traffic_interval: interval,
      unhealthy_threshold: cluster.healthCheck.unhealthyThreshold,
      healthy_threshold: cluster.healthCheck.healthyThreshold,
      http_health_check: { path: cluster.healthCheckPath },
    }],
    outlier_detection: {
      consecutive_5xx: cluster.outlierDetection.consecutive5xx,
      base_ejection_time: cluster.outlierDetection.baseEjectionTime.toProtoJson(),
      max_ejection_percent: cluster.outlierDetection.maxEjectionPercent,
    },
    ignore_health_on_host_removal: true,
  };
}

/**
 * The model of a cluster {@link envoyCluster} emits, from the same resolved options: STRICT_DNS
 * discovery at its refresh rate, its active health check and outlier detection; `service` is the
 * `Kind/namespace/name` of the Service its DNS name resolves.
 */
export function envoyClusterModel(cluster: ResolvedCluster, discovery: DiscoveryModel, service?: string): EnvoyClusterModel {
  return {
    name: cluster.name,
    discovery: { ...discovery, kind: 'dns', dnsRefreshSeconds: cluster.dnsRefreshRate.toSeconds() },
    ...(service ? { service } : {}),
    activeHealthCheck: { ...clusterHealthCheckTiming(cluster), path: cluster.healthCheckPath },
    outlierDetection: {
      consecutive5xx: cluster.outlierDetection.consecutive5xx,
      baseEjectionSeconds: cluster.outlierDetection.baseEjectionTime.toSeconds(),
      maxEjectionPercent: cluster.outlierDetection.maxEjectionPercent,
    },
    ignoreHealthOnHostRemoval: true,
  };
}
