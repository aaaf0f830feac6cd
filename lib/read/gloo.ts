import { ENVOY_ROUTE_DEFAULTS } from '../core/envoy/defaults';
import { EnvoyClusterModel, EnvoyRouteModel } from '../core/model';
import { formatObjectRef, objectRef } from '../core/object-ref';
import { CAMEL_SPELLING, readActiveHealthCheck, readOutlierDetection } from './cluster-health';
import { ASSUMED_EDS_DISCOVERY, STATIC_DISCOVERY } from './envoy-bootstrap';
import { apiGroup, asArray, asObject, asString, at, isObject, Json, metadataRef, numberOr, parseDurationSeconds, splitList } from './fields';

/**
 * Gloo Edge custom resources → the clusters and routes of the Envoy gateways Gloo configures.
 * Gloo discovers Kubernetes endpoints itself and pushes them over EDS; it names a cluster
 * `<upstream>_<namespace>`.
 * @see https://docs.solo.io/gloo-edge/latest/reference/api/github.com/solo-io/gloo/projects/gloo/api/v1/upstream.proto.sk/
 * @see https://docs.solo.io/gloo-edge/latest/operations/advanced/zero-downtime-gateway-rollout/
 */

export const GLOO_GROUPS = { upstream: 'gloo.solo.io', gateway: 'gateway.solo.io' } as const;

export function isGlooUpstream(object: Json): boolean {
  return object.kind === 'Upstream' && apiGroup(object) === GLOO_GROUPS.upstream;
}

export function isGlooVirtualService(object: Json): boolean {
  return object.kind === 'VirtualService' && apiGroup(object) === GLOO_GROUPS.gateway;
}

export function isGlooGateway(object: Json): boolean {
  return object.kind === 'Gateway' && apiGroup(object) === GLOO_GROUPS.gateway;
}

export function glooClusterName(name: string, namespace: string): string {
  return `${name}_${namespace}`;
}

/** A Gloo Upstream as an Envoy cluster. */
export function readGlooUpstream(object: Json): { ref: string; cluster: EnvoyClusterModel } {
  const { namespace, name } = metadataRef(object);
  const spec = asObject(object.spec) ?? {};
  const kube = asObject(spec.kube);
  const serviceName = kube ? asString(kube.serviceName) : undefined;
  const service = serviceName ? objectRef('Service', asString(kube!.serviceNamespace) ?? namespace, serviceName) : undefined;
  const activeHealthCheck = readActiveHealthCheck(asObject(asArray(spec.healthChecks)[0]), CAMEL_SPELLING);
  const outlierDetection = readOutlierDetection(asObject(spec.outlierDetection), CAMEL_SPELLING);
  const cluster: EnvoyClusterModel = {
    name: glooClusterName(name, namespace),
    discovery: kube ? ASSUMED_EDS_DISCOVERY : { ...STATIC_DISCOVERY },
    ...(service !== undefined ? { service } : {}),
    ...(activeHealthCheck ? { activeHealthCheck } : {}),
    ...(outlierDetection ? { outlierDetection } : {}),
    ignoreHealthOnHostRemoval: spec.ignoreHealthOnHostRemoval === true,
  };
  return { ref: objectRef('Upstream', namespace, name), cluster };
}

/** A destination of a Gloo route: an Upstream, or a Kubernetes Service directly. */
export type GlooDestination = { readonly cluster: string; readonly service?: string };

function destinations(action: Json, namespace: string): GlooDestination[] {
  const one = (destination: unknown): GlooDestination | undefined => {
    const upstream = asObject(at(destination, 'upstream'));
    if (upstream && typeof upstream.name === 'string') return { cluster: glooClusterName(upstream.name, asString(upstream.namespace) ?? namespace) };
    const kube = asObject(at(destination, 'kube'));
    const refName = asString(at(kube, 'ref', 'name'));
    if (kube && refName) {
      const refNamespace = asString(at(kube, 'ref', 'namespace')) ?? namespace;
      return { cluster: `kube-svc:${refNamespace}-${refName}-${String(at(kube, 'port') ?? '')}`, service: objectRef('Service', refNamespace, refName) };
    }
    return undefined;
  };
  const single = one(action.single);
  if (single) return [single];
  return asArray(at(action, 'multi', 'destinations')).map((each) => one(at(each, 'destination'))).filter((each): each is GlooDestination => each !== undefined);
}

/** The routes of a Gloo VirtualService with their retry policies (route options over virtual host options). */
export function readGlooVirtualService(object: Json): { ref: string; routes: EnvoyRouteModel[]; destinations: GlooDestination[] } {
  const { namespace } = metadataRef(object);
  const ref = formatObjectRef(metadataRef(object, 'VirtualService'));
  const virtualHost = asObject(at(object, 'spec', 'virtualHost')) ?? {};
  const hostRetries = asObject(at(virtualHost, 'options', 'retries'));
  const routes: EnvoyRouteModel[] = [];
  const all: GlooDestination[] = [];
  asArray(virtualHost.routes).filter(isObject).forEach((route, index) => {
    const action = asObject(route.routeAction);
    if (!action) return;
    const retries = asObject(at(route, 'options', 'retries')) ?? hostRetries;
    const timeout = parseDurationSeconds(at(route, 'options', 'timeout'));
    const perTry = retries ? parseDurationSeconds(retries.perTryTimeout) : undefined;
    for (const destination of destinations(action, namespace)) {
      all.push(destination);
      routes.push({
        name: `${asString(route.name) ?? `#${index}`} of ${ref}`,
        cluster: destination.cluster,
        retryOn: retries ? splitList(retries.retryOn) : [],
        numRetries: retries ? numberOr(retries.numRetries, ENVOY_ROUTE_DEFAULTS.numRetries) : 0,
        previousHosts: retries?.previousHostsRetryPredicate === true,
        hostSelectionRetryMaxAttempts: ENVOY_ROUTE_DEFAULTS.hostSelectionRetryMaxAttempts,
        ...(perTry !== undefined ? { perTryTimeoutSeconds: perTry } : {}),
        timeoutSeconds: timeout ?? ENVOY_ROUTE_DEFAULTS.timeoutSeconds,
      });
    }
  });
  return { ref, routes, destinations: all };
}

/** The health check filter path a Gloo Gateway configures (`options.healthCheck.path`). */
export function readGlooGatewayHealthCheckPath(object: Json): string | undefined {
  return asString(at(object, 'spec', 'httpGateway', 'options', 'healthCheck', 'path')) ?? asString(at(object, 'spec', 'options', 'healthCheck', 'path'));
}

/** A Gloo cluster for a route that points at a Kubernetes Service directly. */
export function glooKubeCluster(destination: GlooDestination): EnvoyClusterModel {
  return { name: destination.cluster, discovery: ASSUMED_EDS_DISCOVERY, ...(destination.service ? { service: destination.service } : {}), ignoreHealthOnHostRemoval: false };
}
