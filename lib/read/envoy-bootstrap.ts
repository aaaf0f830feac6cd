import { Finding } from '../core/finding';
import { formatObjectRef, ObjectRef } from '../core/object-ref';
import { DiscoveryModel, EnvoyClusterModel, EnvoyModel, EnvoyRouteModel } from '../core/model';
import { DEFAULT_DNS_REFRESH_SECONDS, DEFAULT_PROPAGATION_SECONDS, defaultDnsDiscovery } from '../core/timing/windows';
import { asArray, asObject, asString, at, isObject, Json, metadataRef, numberOr, parseDurationSeconds, splitList } from './fields';
import { PROTO_SPELLING, readActiveHealthCheck, readOutlierDetection } from './cluster-health';

// Kept here too: the Gloo reader and others import them from this module.
export { numberOr, splitList };
import { ENVOY_ROUTE_DEFAULTS } from '../core/envoy/defaults';
import { validateBootstrap } from '../core/envoy/validate';
import { parseYamlDocument } from './load';

/**
 * Envoy bootstrap files (YAML or JSON, usually in a ConfigMap mounted into the gateway's pods) →
 * EnvoyModel: admin address, the health check filter's path, clusters (discovery, active health
 * checks, outlier detection, ignore_health_on_host_removal) and routes (retry policy, timeouts).
 * Envoy's defaults apply where a field is absent.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/bootstrap/v3/bootstrap.proto
 */

/** A control plane's push after an endpoint change: about a second (DESIGN.md section 5 D). */
export const ASSUMED_EDS_PUSH_SECONDS = 1;

/** The discovery of a cluster a control plane pushes over EDS, with its assumed push delay. */
export const ASSUMED_EDS_DISCOVERY: DiscoveryModel = { kind: 'eds', propagationSeconds: DEFAULT_PROPAGATION_SECONDS, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: ASSUMED_EDS_PUSH_SECONDS };

/** The discovery of a cluster whose hosts are written into the config: nothing to wait for. */
export const STATIC_DISCOVERY: DiscoveryModel = { kind: 'static', propagationSeconds: 0, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: 0 };

const HEALTH_CHECK_FILTER = /health_check(\.v3\.HealthCheck)?$/;
const HCM = /http_connection_manager(\.v3\.HttpConnectionManager)?$/;
const PREVIOUS_HOSTS = 'envoy.retry_host_predicates.previous_hosts';

/** Resolves a cluster's endpoint host name to the `Service/namespace/name` it names, if any. */
export type ServiceResolver = (host: string) => string | undefined;

/** Whether a parsed document looks like an Envoy bootstrap. */
export function isEnvoyBootstrap(value: unknown): value is Json {
  return isObject(value) && (isObject(value.static_resources) || isObject(value.dynamic_resources) || isObject(value.admin) && isObject(value.node));
}

/** The ConfigMap data key each bootstrap {@link bootstrapsInConfigMap} found was read from. */
const BOOTSTRAP_KEYS = new WeakMap<Json, string>();

/** The ConfigMap data key a bootstrap was read from (the file name it is mounted as). */
export function bootstrapKey(bootstrap: Json): string | undefined {
  return BOOTSTRAP_KEYS.get(bootstrap);
}

/**
 * Admin reached another way than its bind address: a route to a cluster whose endpoint is the
 * admin's own loopback address and port hands the unauthenticated, mutating admin API to every
 * client of the listener, however carefully the admin is bound to 127.0.0.1.
 */
export function adminRouteFindings(bootstrap: Json, what: string, object: string): Finding[] {
  const adminPort = readAdminPort(bootstrap);
  if (adminPort === undefined) return [];
  const loopback = (host: string) => /^(127\.\d+\.\d+\.\d+|localhost|::1|0\.0\.0\.0|::)$/i.test(host.trim());
  const adminClusters = new Set(asArray(at(bootstrap, 'static_resources', 'clusters')).filter(isObject)
    .filter((cluster) => asArray(at(cluster, 'load_assignment', 'endpoints'))
      .flatMap((locality) => asArray(at(locality, 'lb_endpoints')))
      .some((endpoint) => {
        const address = at(endpoint, 'endpoint', 'address', 'socket_address');
        const port = at(address, 'port_value');
        return loopback(asString(at(address, 'address')) ?? '') && (port === adminPort || port === String(adminPort));
      }))
    .map((cluster) => asString(cluster.name))
    .filter((name): name is string => name !== undefined));
  if (adminClusters.size === 0) return [];
  const routed = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 64) return;
    if (Array.isArray(value)) value.forEach((each) => visit(each, depth + 1));
    else if (isObject(value)) {
      const action = asObject(value.route);
      if (action) {
        if (typeof action.cluster === 'string' && adminClusters.has(action.cluster)) routed.add(action.cluster);
        for (const weighted of asArray(at(action, 'weighted_clusters', 'clusters'))) {
          const name = asString(at(weighted, 'name'));
          if (name !== undefined && adminClusters.has(name)) routed.add(name);
        }
      }
      Object.values(value).forEach((each) => visit(each, depth + 1));
    }
  };
  visit(asArray(at(bootstrap, 'static_resources', 'listeners')), 0);
  return [...routed].map((cluster) => ({
    rule: 'admin-routed',
    category: 'security',
    severity: 'error',
    objects: [object],
    message: `a route in ${what} sends requests to cluster ${cluster}, whose endpoint is Envoy's own admin (loopback port ${adminPort}): every client of the listener can fail the health checks, drain or shut down the gateway.`,
    fix: `remove the route to cluster ${cluster} in ${what}; never route to the admin port`,
  }));
}

/** The bootstraps in a ConfigMap's data, parsed; values that are not bootstraps are ignored. */
export function bootstrapsInConfigMap(configMap: Json, findings: Finding[]): Json[] {
  const data = asObject(configMap.data) ?? {};
  const ref = formatObjectRef(metadataRef(configMap, 'ConfigMap'));
  const found: Json[] = [];
  for (const [key, text] of Object.entries(data)) {
    if (typeof text !== 'string' || !/\.(ya?ml|json)$/i.test(key) && !/static_resources|dynamic_resources/.test(text)) continue;
    if (!/static_resources|dynamic_resources|admin/.test(text)) continue;
    let value: unknown;
    try {
      value = parseBootstrapText(text);
    } catch (error) {
      findings.push({
        rule: 'envoy-bootstrap-unreadable',
        category: 'unknown',
        severity: 'warning',
        objects: [ref],
        message: `${key} in ${ref} looks like an Envoy bootstrap but is not valid YAML (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}); its clusters and routes are not checked.`,
        fix: `fix the YAML of ${key} in ${ref}`,
      });
      continue;
    }
    if (!isEnvoyBootstrap(value)) continue;
    found.push(value);
    BOOTSTRAP_KEYS.set(value, key);
    const rejected = bootstrapRejection(value, `${key} in ${ref}`, ref);
    if (rejected) findings.push(rejected);
    const idle = bootstrapServesNothing(value, `${key} in ${ref}`, ref);
    if (idle) findings.push(idle);
    findings.push(...adminRouteFindings(value, `${key} in ${ref}`, ref));
  }
  return found;
}

/**
 * What Envoy would refuse to start with, as `hitless envoy-validate` says it (the same validator,
 * against Envoy's own protos): an error, since Envoy exits at start and the pods never serve.
 */
export function bootstrapRejection(bootstrap: unknown, what: string, object: string): Finding | undefined {
  const errors = validateBootstrap(bootstrap).filter((problem) => problem.severity === 'error');
  if (errors.length === 0) return undefined;
  const shown = errors.slice(0, 3).map((problem) => `${problem.path || '(top)'}: ${problem.message}`).join('; ');
  return {
    rule: 'envoy-bootstrap-rejected',
    category: 'schema',
    severity: 'error',
    objects: [object],
    message: `Envoy rejects ${what}: ${shown}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}. Envoy exits at start and the pods never serve.`,
    fix: `fix ${what} (hitless envoy-validate lists every problem)`,
  };
}

/**
 * A bootstrap with no listener, static or from a listener discovery service, accepts no
 * connection: the gateway serves nothing and its drain has nothing to drain.
 */
export function bootstrapServesNothing(bootstrap: unknown, what: string, object: string): Finding | undefined {
  const listeners = asArray(at(bootstrap as Json, 'static_resources', 'listeners'));
  const dynamic = at(bootstrap as Json, 'dynamic_resources');
  const discovered = isObject(dynamic) && (dynamic.lds_config !== undefined || dynamic.ldsConfig !== undefined || dynamic.lds_resources_locator !== undefined || dynamic.ldsResourcesLocator !== undefined);
  if (listeners.length > 0 || discovered) return undefined;
  return {
    rule: 'envoy-bootstrap-serves-nothing',
    category: 'schema',
    severity: 'error',
    objects: [object],
    message: `${what} has no listener (none under static_resources.listeners, no dynamic_resources.lds_config): Envoy starts, but accepts no connection, so the gateway serves nothing.`,
    fix: `add the gateway's listeners to ${what}`,
  };
}

/** JSON first (an order of magnitude faster), YAML otherwise. */
function parseBootstrapText(text: string): unknown {
  let value: unknown;
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
  }
  return value ?? parseYamlDocument(text);
}

const PROXY_PROTOCOL_FILTER = /proxy_protocol(\.v3\.ProxyProtocol)?$/;

/**
 * Which static listeners read a PROXY protocol header first (the `proxy_protocol` listener
 * filter), and which do not; undefined when the bootstrap has no static listener to judge.
 */
export function proxyProtocolListeners(bootstrap: Json): { readonly reading: string[]; readonly notReading: string[]; readonly requiring: string[] } | undefined {
  const listeners = asArray(at(bootstrap, 'static_resources', 'listeners')).filter(isObject);
  if (listeners.length === 0) return undefined;
  const reading: string[] = [];
  const notReading: string[] = [];
  const requiring: string[] = [];
  listeners.forEach((listener, index) => {
    const name = asString(listener.name) ?? `listener ${index + 1}`;
    const filter = asArray(listener.listener_filters).find((each) => PROXY_PROTOCOL_FILTER.test(asString(at(each, 'name')) ?? '') || PROXY_PROTOCOL_FILTER.test(asString(at(each, 'typed_config', '@type')) ?? ''));
    (filter !== undefined ? reading : notReading).push(name);
    if (filter !== undefined && at(filter, 'typed_config', 'allow_requests_without_proxy_protocol') !== true) requiring.push(name);
  });
  return { reading, notReading, requiring };
}

/** Reads one bootstrap into an EnvoyModel named after the object holding it. */
export function readEnvoyBootstrap(bootstrap: Json, object: string, resolve: ServiceResolver): EnvoyModel {
  const adminAddress = readAdminAddress(bootstrap);
  const adminPort = readAdminPort(bootstrap);
  const listeners = asArray(at(bootstrap, 'static_resources', 'listeners')).filter(isObject);
  const managers = listeners.flatMap((listener) => asArray(listener.filter_chains).flatMap((chain) => asArray(at(chain, 'filters'))))
    .filter((filter) => HCM.test(asString(at(filter, 'name')) ?? '') || HCM.test(asString(at(filter, 'typed_config', '@type')) ?? ''))
    .map((filter) => asObject(at(filter, 'typed_config')))
    .filter((config): config is Json => config !== undefined);
  let healthCheckPath: string | undefined;
  let healthCheckFilter = false;
  const routes: EnvoyRouteModel[] = [];
  for (const manager of managers) {
    for (const filter of asArray(manager.http_filters)) {
      const name = asString(at(filter, 'name')) ?? '';
      const type = asString(at(filter, 'typed_config', '@type')) ?? '';
      if (!HEALTH_CHECK_FILTER.test(name) && !HEALTH_CHECK_FILTER.test(type)) continue;
      healthCheckFilter = true;
      for (const header of asArray(at(filter, 'typed_config', 'headers'))) {
        if (at(header, 'name') !== ':path') continue;
        healthCheckPath ??= asString(at(header, 'exact_match')) ?? asString(at(header, 'string_match', 'exact')) ?? asString(at(header, 'string_match', 'prefix')) ?? asString(at(header, 'prefix_match'));
      }
    }
    for (const virtualHost of asArray(at(manager, 'route_config', 'virtual_hosts')).filter(isObject)) {
      const hostName = asString(virtualHost.name) ?? 'virtual host';
      asArray(virtualHost.routes).filter(isObject).forEach((route, index) => {
        const action = asObject(route.route);
        if (!action) return;
        const clusters = typeof action.cluster === 'string'
          ? [action.cluster]
          : asArray(at(action, 'weighted_clusters', 'clusters')).map((each) => asString(at(each, 'name'))).filter((name): name is string => name !== undefined);
        const policy = asObject(action.retry_policy) ?? asObject(virtualHost.retry_policy);
        for (const cluster of clusters) {
          routes.push(readRoute(asString(route.name) ?? `${hostName}#${index}`, cluster, policy, action));
        }
      });
    }
  }
  // The control plane's own clusters carry configuration, not requests.
  const controlPlane = new Set(Object.values(asObject(bootstrap.dynamic_resources) ?? {})
    .flatMap((source) => [...asArray(at(source, 'grpc_services')), ...asArray(at(source, 'api_config_source', 'grpc_services'))])
    .map((service) => asString(at(service, 'envoy_grpc', 'cluster_name')))
    .filter((name): name is string => name !== undefined));
  const clusters = asArray(at(bootstrap, 'static_resources', 'clusters')).filter(isObject)
    .filter((cluster) => !controlPlane.has(asString(cluster.name) ?? ''))
    .map((cluster) => readCluster(cluster, resolve));
  return { object, ...(adminAddress !== undefined ? { adminAddress } : {}), ...(adminPort !== undefined ? { adminPort } : {}), ...(healthCheckPath !== undefined ? { healthCheckPath } : {}), ...(managers.length > 0 ? { healthCheckFilter } : {}), clusters, routes };
}

function readAdminAddress(bootstrap: Json): string | undefined {
  const address = at(bootstrap, 'admin', 'address');
  if (!isObject(address)) return undefined;
  if (isObject(address.pipe)) return undefined; // a Unix socket is not reachable from the network
  return asString(at(address, 'socket_address', 'address'));
}

function readAdminPort(bootstrap: Json): number | undefined {
  const address = at(bootstrap, 'admin', 'address');
  if (!isObject(address) || isObject(address.pipe)) return undefined;
  const raw = at(address, 'socket_address', 'port_value');
  const port = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,5}$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/**
 * The `--config-yaml` of an Envoy container's command line (`--config-yaml X` or
 * `--config-yaml=X`, the last one when repeated), parsed; `error` when it is not a YAML mapping.
 * Envoy merges it over the bootstrap file, so what it sets wins.
 * @see https://www.envoyproxy.io/docs/envoy/latest/operations/cli#cmdoption-config-yaml
 */
export function readConfigYaml(container: Json | undefined): { readonly value?: Json; readonly error?: string } {
  if (!container) return {};
  const words = [...asArray(container.command), ...asArray(container.args)].filter((word): word is string => typeof word === 'string');
  let text: string | undefined;
  for (let index = 0; index < words.length; index++) {
    if (words[index] === '--config-yaml' && index + 1 < words.length) text = words[++index];
    else if (words[index].startsWith('--config-yaml=')) text = words[index].slice('--config-yaml='.length);
  }
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = parseYamlDocument(text);
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split('\n')[0] };
  }
  return isObject(value) ? { value } : { error: 'it is not a YAML mapping' };
}

/** An EnvoyModel with the admin address and port a `--config-yaml` sets laid over the bootstrap's, as Envoy merges them. */
export function withAdminOverride(envoy: EnvoyModel, override: Json): EnvoyModel {
  const address = at(override, 'admin', 'address');
  if (!isObject(address)) return envoy;
  const { adminAddress: _address, adminPort: _port, ...rest } = envoy;
  if (isObject(address.pipe)) return rest;
  const host = asString(at(address, 'socket_address', 'address')) ?? envoy.adminAddress;
  const port = readAdminPort(override) ?? envoy.adminPort;
  return { ...rest, ...(host !== undefined ? { adminAddress: host } : {}), ...(port !== undefined ? { adminPort: port } : {}) };
}

/** A route's retry policy, with Envoy's defaults (lib/core/envoy/defaults.ts): num_retries once a policy exists, host_selection_retry_max_attempts, route timeout. */
export function readRoute(name: string, cluster: string, policy: Json | undefined, action: Json | undefined): EnvoyRouteModel {
  const retryOn = policy ? splitList(policy.retry_on) : [];
  const numRetries = policy ? numberOr(at(policy, 'num_retries'), ENVOY_ROUTE_DEFAULTS.numRetries) : 0;
  const previousHosts = policy ? asArray(policy.retry_host_predicate).some((predicate) => asString(at(predicate, 'name')) === PREVIOUS_HOSTS || /PreviousHostsPredicate$/.test(asString(at(predicate, 'typed_config', '@type')) ?? '')) : false;
  const perTry = policy ? parseDurationSeconds(policy.per_try_timeout) : undefined;
  const timeout = action ? parseDurationSeconds(action.timeout) : undefined;
  return {
    name,
    cluster,
    retryOn,
    numRetries,
    previousHosts,
    hostSelectionRetryMaxAttempts: policy ? numberOr(policy.host_selection_retry_max_attempts, ENVOY_ROUTE_DEFAULTS.hostSelectionRetryMaxAttempts) : ENVOY_ROUTE_DEFAULTS.hostSelectionRetryMaxAttempts,
    ...(perTry !== undefined ? { perTryTimeoutSeconds: perTry } : {}),
    timeoutSeconds: timeout ?? ENVOY_ROUTE_DEFAULTS.timeoutSeconds,
  };
}

function readCluster(cluster: Json, resolve: ServiceResolver): EnvoyClusterModel {
  const name = asString(cluster.name) ?? '(unnamed)';
  const type = asString(cluster.type) ?? (isObject(cluster.eds_cluster_config) ? 'EDS' : 'STATIC');
  let discovery: DiscoveryModel;
  if (type === 'STRICT_DNS' || type === 'LOGICAL_DNS') {
    discovery = defaultDnsDiscovery({ dnsRefreshSeconds: parseDurationSeconds(cluster.dns_refresh_rate) ?? DEFAULT_DNS_REFRESH_SECONDS });
  } else if (type === 'EDS') {
    discovery = { ...ASSUMED_EDS_DISCOVERY };
  } else {
    discovery = { ...STATIC_DISCOVERY };
  }
  const hosts = asArray(at(cluster, 'load_assignment', 'endpoints'))
    .flatMap((locality) => asArray(at(locality, 'lb_endpoints')))
    .map((endpoint) => asString(at(endpoint, 'endpoint', 'address', 'socket_address', 'address')))
    .filter((host): host is string => host !== undefined);
  const service = hosts.map(resolve).find((ref) => ref !== undefined);
  const activeHealthCheck = readActiveHealthCheck(asObject(asArray(cluster.health_checks)[0]), PROTO_SPELLING);
  const outlierDetection = readOutlierDetection(asObject(cluster.outlier_detection), PROTO_SPELLING);
  return {
    name,
    discovery,
    ...(service !== undefined ? { service } : {}),
    ...(activeHealthCheck ? { activeHealthCheck } : {}),
    ...(outlierDetection ? { outlierDetection } : {}),
    ignoreHealthOnHostRemoval: cluster.ignore_health_on_host_removal === true,
    ...(speaksHttp2(cluster) ? { http2: true } : {}),
    ...(hosts.length > 0 && hosts.every(isLoopback) ? { loopback: true } : {}),
    ...(parseDurationSeconds(cluster.connect_timeout) !== undefined ? { connectTimeoutSeconds: parseDurationSeconds(cluster.connect_timeout) } : {}),
  };
}

/** `http2_protocol_options` on the cluster (v2 style) or in its upstream HttpProtocolOptions. */
function speaksHttp2(cluster: Json): boolean {
  if (isObject(cluster.http2_protocol_options)) return true;
  const options = asObject(at(cluster, 'typed_extension_protocol_options', 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'));
  return options !== undefined && (isObject(at(options, 'explicit_http_config', 'http2_protocol_options')) || isObject(at(options, 'use_downstream_protocol_config', 'http2_protocol_options')));
}

function isLoopback(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

/**
 * Maps a host name to the Service it names: `name`, `name.namespace`, `name.namespace.svc`,
 * `name.namespace.svc.<cluster domain>`; a bare name is in `defaultNamespace`.
 */
export function serviceHostRef(host: string, defaultNamespace: string): ObjectRef | undefined {
  const trimmed = host.trim().replace(/\.$/, '');
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(trimmed) || /^\d+(\.\d+){3}$/.test(trimmed)) return undefined;
  const parts = trimmed.split('.');
  if (parts.length === 1) return { kind: 'Service', namespace: defaultNamespace, name: parts[0] };
  if (parts.length === 2) return { kind: 'Service', namespace: parts[1], name: parts[0] };
  if (parts[2] === 'svc') return { kind: 'Service', namespace: parts[1], name: parts[0] };
  return undefined;
}
