import { Finding } from '../core/finding';
import { formatObjectRef, objectRef } from '../core/object-ref';
import {
  BACKEND_CONFIG_ANNOTATION, BETA_BACKEND_CONFIG_ANNOTATION, controllerDefaultHealthCheck, GATEWAY_DEFAULT_HEALTH_CHECK, GKE_LIMITS, GkeShape, NEG_ANNOTATION,
} from '../core/gke/defaults';
import { GkeHealthCheckSource, gkeLoadBalancerModel } from '../core/gke/model';
import { HealthCheckTiming, ServiceModel, WorkloadModel } from '../core/model';
import { apiGroup, asArray, asObject, asString, at, FieldReader, isObject, Json, metadataRef } from './fields';
import { selects } from './service';

/**
 * Reads GKE's load balancers into the topology: which Services GKE serves through NEGs (an
 * Ingress of class `gce`/`gce-internal`, the `cloud.google.com/neg` annotation, a GKE Gateway's
 * HTTPRoute, a HealthCheckPolicy or GCPBackendPolicy on the Service) or through an L4 passthrough
 * load balancer (GKE's L4 annotations), and with which health check and connection draining:
 * BackendConfig, HealthCheckPolicy and GCPBackendPolicy when given, else the controller's defaults
 * (Ingress: from an `httpGet` readiness probe of the pods, as ingress-gce copies it).
 */

const GKE_KINDS = new Set(['BackendConfig', 'HealthCheckPolicy', 'GCPBackendPolicy', 'Ingress', 'Gateway', 'HTTPRoute']);

/** Whether `object` is one this reader needs (the topology hands them over once all are read). */
export function isGkeObject(object: Json): boolean {
  const kind = asString(object.kind);
  if (!kind || !GKE_KINDS.has(kind)) return false;
  const group = apiGroup(object);
  switch (kind) {
    case 'BackendConfig': return group === 'cloud.google.com';
    case 'HealthCheckPolicy':
    case 'GCPBackendPolicy': return group === 'networking.gke.io';
    case 'Ingress': return group === 'networking.k8s.io' || group === 'extensions';
    default: return group === 'gateway.networking.k8s.io';
  }
}

/** What a Service as read gives this reader. */
export interface GkeServiceInput {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Record<string, string>;
}

interface Named {
  /** `Kind/namespace/name`. */
  readonly ref: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: Json;
}

function named(object: Json): Named {
  const ref = metadataRef(object);
  return { ref: formatObjectRef(ref), namespace: ref.namespace, name: ref.name, object };
}

/** The Service a policy targets: `targetRef` of kind Service in the policy's namespace (or the one it names). */
function policyTarget(policy: Named): string | undefined {
  const targetRef = asObject(at(policy.object, 'spec', 'targetRef'));
  if (!targetRef || asString(targetRef.kind) !== 'Service') return undefined;
  const name = asString(targetRef.name);
  return name ? objectRef('Service', asString(targetRef.namespace) ?? policy.namespace, name) : undefined;
}

function ingressClass(ingress: Json): string | undefined {
  return asString(at(ingress, 'metadata', 'annotations', 'kubernetes.io/ingress.class')) ?? asString(at(ingress, 'spec', 'ingressClassName'));
}

/** Services an Ingress sends to, as `Service/namespace/name`. */
function ingressServices(ingress: Named): string[] {
  const spec = asObject(ingress.object.spec) ?? {};
  const backends = [asObject(spec.defaultBackend), ...asArray(spec.rules).flatMap((rule) => asArray(at(rule, 'http', 'paths')).map((path) => asObject(at(path, 'backend'))))];
  return backends.map((backend) => asString(at(backend, 'service', 'name'))).filter((name): name is string => name !== undefined).map((name) => objectRef('Service', ingress.namespace, name));
}

/** Services an HTTPRoute sends to, as `Service/namespace/name`. */
function routeServices(route: Named): string[] {
  return asArray(at(route.object, 'spec', 'rules')).flatMap((rule) => asArray(at(rule, 'backendRefs')))
    .filter((ref) => isObject(ref) && (ref.kind === undefined || ref.kind === 'Service') && typeof ref.name === 'string')
    .map((ref) => objectRef('Service', asString((ref as Json).namespace) ?? route.namespace, (ref as Json).name as string));
}

/** The BackendConfig a Service names for `port` (the `ports` map first, then `default`). */
function backendConfigName(annotations: Record<string, string>, ports: ServiceModel['ports'], ref: string, findings: Finding[]): string | undefined {
  const raw = annotations[BACKEND_CONFIG_ANNOTATION] ?? annotations[BETA_BACKEND_CONFIG_ANNOTATION];
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!isObject(parsed)) {
    new FieldReader(ref, findings).invalid(`metadata.annotations["${BACKEND_CONFIG_ANNOTATION}"]`, raw, 'JSON like {"default": "name"}');
    return undefined;
  }
  const byPort = asObject(parsed.ports) ?? {};
  for (const port of ports) {
    const name = asString(byPort[String(port.port)]) ?? (port.name !== undefined ? asString(byPort[port.name]) : undefined);
    if (name) return name;
  }
  return asString(parsed.default);
}

function negAnnotation(annotations: Record<string, string>): { ingress: boolean; exposed: boolean } | undefined {
  const raw = annotations[NEG_ANNOTATION];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isObject(parsed)) return undefined;
    return { ingress: parsed.ingress === true, exposed: isObject(parsed.exposed_ports) };
  } catch {
    return undefined;
  }
}

/** Health-check fields of a BackendConfig or a HealthCheckPolicy's `spec.default`, over `base`. */
function readTiming(fields: FieldReader, source: Json, prefix: string, base: HealthCheckTiming): HealthCheckTiming {
  const seconds = (field: string, range: { min: number; max: number }) => fields.count(source[field], `${prefix}.${field}`, range);
  return {
    intervalSeconds: seconds('checkIntervalSec', GKE_LIMITS.healthCheckIntervalSeconds) ?? base.intervalSeconds,
    timeoutSeconds: seconds('timeoutSec', GKE_LIMITS.healthCheckTimeoutSeconds) ?? base.timeoutSeconds,
    healthyThreshold: seconds('healthyThreshold', GKE_LIMITS.healthyThreshold) ?? base.healthyThreshold,
    unhealthyThreshold: seconds('unhealthyThreshold', GKE_LIMITS.unhealthyThreshold) ?? base.unhealthyThreshold,
  };
}

function readDraining(fields: FieldReader, value: unknown, field: string): number | undefined {
  return fields.count(value, field, GKE_LIMITS.connectionDrainingSeconds);
}

/** The GKE objects of the input, by what they configure. */
interface GkeIndex {
  /** BackendConfigs by `BackendConfig/namespace/name`. */
  readonly backendConfigs: Map<string, Named>;
  /** HealthCheckPolicies and GCPBackendPolicies by the `Service/namespace/name` they target. */
  readonly healthCheckPolicies: Map<string, Named>;
  readonly backendPolicies: Map<string, Named>;
  /** Services behind an Ingress of class `gce` or `gce-internal`. */
  readonly viaIngress: Set<string>;
  /** Services behind an HTTPRoute of a GKE Gateway (class `gke-*`). */
  readonly viaGateway: Set<string>;
}

function indexGkeObjects(gkeObjects: Json[]): GkeIndex {
  const all = gkeObjects.map(named);
  const ofKind = (kind: string) => all.filter((each) => each.object.kind === kind);
  const byTarget = (policies: Named[]) => {
    const targeted = new Map<string, Named>();
    for (const policy of policies) {
      const target = policyTarget(policy);
      if (target) targeted.set(target, policy);
    }
    return targeted;
  };
  const viaIngress = new Set<string>();
  for (const ingress of ofKind('Ingress')) {
    const ingressClassName = ingressClass(ingress.object);
    if (ingressClassName === 'gce' || ingressClassName === 'gce-internal') for (const service of ingressServices(ingress)) viaIngress.add(service);
  }
  const gkeGateways = new Set(ofKind('Gateway').filter((gateway) => (asString(at(gateway.object, 'spec', 'gatewayClassName')) ?? '').startsWith('gke-')).map((gateway) => gateway.ref));
  const viaGateway = new Set<string>();
  for (const route of ofKind('HTTPRoute')) {
    const parents = asArray(at(route.object, 'spec', 'parentRefs')).filter(isObject).map((parent) => objectRef('Gateway', asString(parent.namespace) ?? route.namespace, asString(parent.name) ?? ''));
    if (parents.some((parent) => gkeGateways.has(parent))) for (const service of routeServices(route)) viaGateway.add(service);
  }
  return { backendConfigs: new Map(ofKind('BackendConfig').map((each) => [each.ref, each])), healthCheckPolicies: byTarget(ofKind('HealthCheckPolicy')), backendPolicies: byTarget(ofKind('GCPBackendPolicy')), viaIngress, viaGateway };
}

/** Which GKE load balancer serves a Service, if one does. */
function gkeShape(ref: string, reading: GkeServiceInput, service: ServiceModel, index: GkeIndex, findings: Finding[]): GkeShape | undefined {
  const neg = negAnnotation(reading.annotations);
  if (index.viaGateway.has(ref) || index.healthCheckPolicies.has(ref) || index.backendPolicies.has(ref)) return 'gateway';
  if (neg?.ingress || index.viaIngress.has(ref)) return 'ingress';
  if (service.type === 'LoadBalancer' && ('cloud.google.com/l4-rbs' in reading.annotations || 'networking.gke.io/load-balancer-type' in reading.annotations)) return 'l4';
  if (!neg?.exposed) return undefined;
  findings.push({ rule: 'gke-standalone-neg', category: 'unknown', severity: 'warning', objects: [ref], message: `${ref} exposes standalone NEGs: the backend service and its health check are made outside Kubernetes, so hitless assumes the Ingress defaults (15 s / 15 s / 1 / 2, connection draining 0).`, fix: 'check that the backend service uses these settings (or shorter health checks and a connection draining that covers the drain)' });
  return 'ingress';
}

/** A GKE backend's health check and connection draining, and the objects that configure them. */
interface GkeBackendSettings {
  healthCheck: HealthCheckTiming;
  source: GkeHealthCheckSource;
  path?: string;
  draining?: number;
  readonly configuredBy: string[];
}

/** Ingress: the health check ingress-gce copies from the pods' readiness probe, under the Service's BackendConfig. */
function ingressBackend(ref: string, reading: GkeServiceInput, service: ServiceModel, workloads: WorkloadModel[], index: GkeIndex, settings: GkeBackendSettings, findings: Finding[]): void {
  const pods = workloads.filter((workload) => workload.namespace === reading.namespace && selects(service.selector, workload.podLabels));
  const probe = pods.map((workload) => workload.readiness).find((readiness) => readiness?.kind === 'http');
  if (probe) {
    // ingress-gce copies path, period and timeout (not the thresholds) when it makes the health check.
    settings.healthCheck = { ...settings.healthCheck, intervalSeconds: probe.periodSeconds, timeoutSeconds: probe.timeoutSeconds };
    settings.path = probe.path ?? '/';
    settings.source = 'readiness-probe';
  }
  const configName = backendConfigName(reading.annotations, service.ports, ref, findings);
  if (configName === undefined) return;
  const configRef = objectRef('BackendConfig', reading.namespace, configName);
  const config = index.backendConfigs.get(configRef);
  if (!config) {
    findings.push({ rule: 'gke-backend-config-not-found', category: 'unknown', severity: 'warning', objects: [ref, configRef], message: `${ref} names BackendConfig ${configName}, which is not in the input; hitless assumes GKE's defaults for its health check and connection draining.`, fix: `check BackendConfig ${configName} together with ${ref}` });
    return;
  }
  settings.configuredBy.push(config.ref);
  const fields = new FieldReader(config.ref, findings);
  const hc = asObject(at(config.object, 'spec', 'healthCheck'));
  if (hc) {
    settings.healthCheck = readTiming(fields, hc, 'spec.healthCheck', settings.healthCheck);
    settings.path = asString(hc.requestPath) ?? settings.path;
    settings.source = 'backend-config';
  }
  settings.draining = readDraining(fields, at(config.object, 'spec', 'connectionDraining', 'drainingTimeoutSec'), 'spec.connectionDraining.drainingTimeoutSec');
}

/** GKE Gateway: the HealthCheckPolicy and GCPBackendPolicy that target the Service. */
function gatewayBackend(ref: string, index: GkeIndex, settings: GkeBackendSettings, findings: Finding[]): void {
  const policy = index.healthCheckPolicies.get(ref);
  if (policy) {
    settings.configuredBy.push(policy.ref);
    const defaults = asObject(at(policy.object, 'spec', 'default')) ?? {};
    settings.healthCheck = readTiming(new FieldReader(policy.ref, findings), defaults, 'spec.default', GATEWAY_DEFAULT_HEALTH_CHECK);
    const config = asObject(defaults.config) ?? {};
    const httpSettings = asObject(config.httpHealthCheck) ?? asObject(config.httpsHealthCheck) ?? asObject(config.http2HealthCheck);
    settings.path = asString(httpSettings?.requestPath);
    settings.source = 'health-check-policy';
  }
  const backendPolicy = index.backendPolicies.get(ref);
  if (backendPolicy) {
    settings.configuredBy.push(backendPolicy.ref);
    settings.draining = readDraining(new FieldReader(backendPolicy.ref, findings), at(backendPolicy.object, 'spec', 'default', 'connectionDraining', 'drainingTimeoutSec'), 'spec.default.connectionDraining.drainingTimeoutSec');
  }
}

/**
 * Gives every Service GKE load-balances its GKE load balancer model, in place. Services of type
 * LoadBalancer that carry no GKE sign are left to the other readers.
 */
export function applyGkeLoadBalancers(
  services: Map<string, GkeServiceInput>,
  serviceModels: Map<string, ServiceModel>,
  gkeObjects: Json[],
  workloads: WorkloadModel[],
  findings: Finding[],
): void {
  const index = indexGkeObjects(gkeObjects);
  for (const [ref, reading] of services) {
    const service = serviceModels.get(ref);
    if (!service) continue;
    const shape = gkeShape(ref, reading, service, index, findings);
    if (shape === undefined) continue;
    const settings: GkeBackendSettings = { healthCheck: controllerDefaultHealthCheck(shape, service.externalTrafficPolicy), source: 'controller-default', configuredBy: [] };
    if (shape === 'ingress') ingressBackend(ref, reading, service, workloads, index, settings, findings);
    else if (shape === 'gateway') gatewayBackend(ref, index, settings, findings);
    const loadBalancer = gkeLoadBalancerModel({
      object: ref,
      shape,
      healthCheck: settings.healthCheck,
      ...(settings.path !== undefined ? { healthCheckPath: settings.path } : {}),
      ...(settings.draining !== undefined ? { connectionDrainingSeconds: settings.draining } : {}),
      healthCheckSource: settings.source,
      externalTrafficPolicy: service.externalTrafficPolicy,
      configuredBy: settings.configuredBy,
    });
    serviceModels.set(ref, { ...service, loadBalancer });
  }
}
