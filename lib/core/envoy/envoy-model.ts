import { Duration } from '../duration';
import { objectRef } from '../object-ref';
import { DiscoveryModel, EnvoyClusterModel, EnvoyModel, EnvoyRouteModel } from '../model';
import { defaultDnsDiscovery } from '../timing/windows';
import { EnvoyBootstrap } from './bootstrap';
import { ENVOY_OUTLIER_DETECTION_DEFAULTS } from './defaults';
import { HEALTH_CHECK_FILTER_TYPE, HTTP_CONNECTION_MANAGER_TYPE, PREVIOUS_HOSTS_PREDICATE_NAME } from './type-urls';

type Json = Record<string, any>;

/** What a bootstrap does not say about discovery, and where it lives. */
export interface EnvoyModelOptions {
  /** `Kind/namespace/name` of the object holding the bootstrap (its ConfigMap). */
  readonly object: string;
  /**
   * The parts of DNS discovery that are Kubernetes', not Envoy's: endpoint propagation and DNS
   * answer age. `dnsRefreshSeconds` comes from each cluster's `dns_refresh_rate`.
   * @default - defaultDnsDiscovery()
   */
  readonly discovery?: Partial<DiscoveryModel>;
}

function seconds(value: unknown, fallback: number): number {
  return typeof value === 'string' ? Duration.parse(value).toSeconds() : fallback;
}

/**
 * The Service a cluster resolves, from its DNS name (`name.namespace.svc[.cluster-domain]`); a
 * name of another form (an external host) names no Service.
 */
export function serviceOfDnsName(dnsName: string): string | undefined {
  const match = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\..*)?$/.exec(dnsName);
  return match ? objectRef('Service', match[2], match[1]) : undefined;
}

function clusterModel(cluster: Json, base: DiscoveryModel): EnvoyClusterModel {
  const type = cluster.type ?? 'STATIC';
  const discovery: DiscoveryModel = type === 'EDS'
    ? { ...base, kind: 'eds' }
    : type === 'STRICT_DNS' || type === 'LOGICAL_DNS'
      ? { ...base, kind: 'dns', dnsRefreshSeconds: seconds(cluster.dns_refresh_rate, 5) }
      : { ...base, kind: 'static' };
  const address = cluster.load_assignment?.endpoints?.[0]?.lb_endpoints?.[0]?.endpoint?.address?.socket_address?.address;
  const check = cluster.health_checks?.[0];
  const outlier = cluster.outlier_detection;
  return {
    name: cluster.name,
    discovery,
    ...(typeof address === 'string' && serviceOfDnsName(address) ? { service: serviceOfDnsName(address) } : {}),
    ...(check ? {
      activeHealthCheck: {
        intervalSeconds: seconds(check.interval, 0),
        timeoutSeconds: seconds(check.timeout, 0),
        healthyThreshold: Number(check.healthy_threshold ?? 0),
        unhealthyThreshold: Number(check.unhealthy_threshold ?? 0),
        ...(check.http_health_check?.path ? { path: check.http_health_check.path } : {}),
      },
    } : {}),
    ...(outlier ? {
      outlierDetection: {
        consecutive5xx: Number(outlier.consecutive_5xx ?? ENVOY_OUTLIER_DETECTION_DEFAULTS.consecutive5xx),
        baseEjectionSeconds: seconds(outlier.base_ejection_time, ENVOY_OUTLIER_DETECTION_DEFAULTS.baseEjectionSeconds),
        maxEjectionPercent: Number(outlier.max_ejection_percent ?? ENVOY_OUTLIER_DETECTION_DEFAULTS.maxEjectionPercent),
      },
    } : {}),
    ignoreHealthOnHostRemoval: cluster.ignore_health_on_host_removal === true,
  };
}

function routeModel(route: Json, index: number): EnvoyRouteModel | undefined {
  const action = route.route;
  if (!action || typeof action.cluster !== 'string') return undefined;
  const retry = action.retry_policy ?? {};
  const retryOn = typeof retry.retry_on === 'string' ? retry.retry_on.split(',').map((each: string) => each.trim()).filter(Boolean) : [];
  const predicates: Json[] = retry.retry_host_predicate ?? [];
  return {
    name: route.name ?? `route-${index}`,
    cluster: action.cluster,
    retryOn,
    // Envoy retries once when a retry_on is set without num_retries.
    numRetries: retryOn.length === 0 ? 0 : Number(retry.num_retries ?? 1),
    previousHosts: predicates.some((predicate) => predicate.name === PREVIOUS_HOSTS_PREDICATE_NAME),
    hostSelectionRetryMaxAttempts: Number(retry.host_selection_retry_max_attempts ?? 1),
    ...(retry.per_try_timeout ? { perTryTimeoutSeconds: seconds(retry.per_try_timeout, 0) } : {}),
    // Envoy's route timeout defaults to 15 s.
    timeoutSeconds: seconds(action.timeout, 15),
  };
}

/**
 * The core model of a bootstrap this library built, so the gateway can check itself with the very
 * invariants `hitless check` applies (foreign bootstraps are the reader's business).
 */
export function envoyModelFromBootstrap(bootstrap: EnvoyBootstrap, options: EnvoyModelOptions): EnvoyModel {
  const b = bootstrap as Json;
  const base = defaultDnsDiscovery(options.discovery);
  const listeners: Json[] = b.static_resources?.listeners ?? [];
  const managers: Json[] = listeners.flatMap((listener) => (listener.filter_chains ?? []) as Json[])
    .flatMap((chain) => (chain.filters ?? []) as Json[])
    .map((filter) => filter.typed_config)
    .filter((config): config is Json => config?.['@type'] === HTTP_CONNECTION_MANAGER_TYPE);
  const healthCheckPath = managers
    .flatMap((manager) => (manager.http_filters ?? []) as Json[])
    .filter((filter) => filter.typed_config?.['@type'] === HEALTH_CHECK_FILTER_TYPE)
    .map((filter) => (filter.typed_config.headers ?? []).find((header: Json) => header.name === ':path')?.string_match?.exact)
    .find((path): path is string => typeof path === 'string');
  // Listeners share one route configuration; each route counts once.
  const seen = new Set<string>();
  const routes: EnvoyRouteModel[] = [];
  for (const manager of managers) {
    const all: Json[] = (manager.route_config?.virtual_hosts ?? []).flatMap((host: Json) => host.routes ?? []);
    all.forEach((route, index) => {
      const model = routeModel(route, index);
      if (model && !seen.has(model.name)) {
        seen.add(model.name);
        routes.push(model);
      }
    });
  }
  const adminAddress = b.admin?.address?.socket_address?.address;
  return {
    object: options.object,
    ...(typeof adminAddress === 'string' ? { adminAddress } : {}),
    ...(healthCheckPath ? { healthCheckPath } : {}),
    clusters: ((b.static_resources?.clusters ?? []) as Json[]).map((cluster) => clusterModel(cluster, base)),
    routes,
  };
}
