import { Finding, objectRef } from '../core/finding';
import {
  BACKEND_CONFIG_ANNOTATION, BETA_BACKEND_CONFIG_ANNOTATION, controllerDefaultHealthCheck, GATEWAY_DEFAULT_HEALTH_CHECK, GKE_LIMITS, GkeShape, NEG_ANNOTATION,
} from '../core/gke/defaults';
import { GkeHealthCheckSource, gkeLoadBalancerModel } from '../core/gke/model';
import { HealthCheckTiming, ServiceModel, WorkloadModel } from '../core/model';
import { asArray, asObject, asString, at, FieldReader, isObject, Json } from './fields';
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
  const group = (asString(object.apiVersion) ?? '').split('/')[0];
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
  readonly ref: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: Json;
}

function named(object: Json): Named {
  const namespace = asString(at(object, 'metadata', 'namespace')) ?? 'default';
  const name = asString(at(object, 'metadata', 'name')) ?? '(unnamed)';
  return { ref: objectRef(asString(object.kind) ?? 'Object', namespace, name), namespace, name, object };
}

/** `namespace/name` → object, for kinds looked up by name. */
function byName(objects: Named[]): Map<string, Named> {
  return new Map(objects.map((each) => [`${each.namespace}/${each.name}`, each]));
}

/** Services a policy targets: `targetRef` of kind Service in the policy's namespace (or the one it names). */
function policyTarget(policy: Named): string | undefined {
  const targetRef = asObject(at(policy.object, 'spec', 'targetRef'));
  if (!targetRef || asString(targetRef.kind) !== 'Service') return undefined;
  const name = asString(targetRef.name);
  return name ? `${asString(targetRef.namespace) ?? policy.namespace}/${name}` : undefined;
}

function ingressClass(ingress: Json): string | undefined {
  return asString(at(ingress, 'metadata', 'annotations', 'kubernetes.io/ingress.class')) ?? asString(at(ingress, 'spec', 'ingressClassName'));
}

/** Services an Ingress sends to, as `namespace/name`. */
function ingressServices(ingress: Named): string[] {
  const spec = asObject(ingress.object.spec) ?? {};
  const backends = [asObject(spec.defaultBackend), ...asArray(spec.rules).flatMap((rule) => asArray(at(rule, 'http', 'paths')).map((path) => asObject(at(path, 'backend'))))];
  return backends.map((backend) => asString(at(backend, 'service', 'name'))).filter((name): name is string => name !== undefined).map((name) => `${ingress.namespace}/${name}`);
}

/** Services an HTTPRoute sends to, as `namespace/name`. */
function routeServices(route: Named): string[] {
  return asArray(at(route.object, 'spec', 'rules')).flatMap((rule) => asArray(at(rule, 'backendRefs')))
    .filter((ref) => isObject(ref) && (ref.kind === undefined || ref.kind === 'Service') && typeof ref.name === 'string')
    .map((ref) => `${asString((ref as Json).namespace) ?? route.namespace}/${(ref as Json).name as string}`);
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
  const all = gkeObjects.map(named);
  const ofKind = (kind: string) => all.filter((each) => each.object.kind === kind);
  const backendConfigs = byName(ofKind('BackendConfig'));
  const healthCheckPolicies = new Map<string, Named>();
  for (const policy of ofKind('HealthCheckPolicy')) { const target = policyTarget(policy); if (target) healthCheckPolicies.set(target, policy); }
  const backendPolicies = new Map<string, Named>();
  for (const policy of ofKind('GCPBackendPolicy')) { const target = policyTarget(policy); if (target) backendPolicies.set(target, policy); }
  const viaIngress = new Set<string>();
  for (const ingress of ofKind('Ingress')) {
    const ingressClassName = ingressClass(ingress.object);
    if (ingressClassName === 'gce' || ingressClassName === 'gce-internal') for (const service of ingressServices(ingress)) viaIngress.add(service);
  }
  const gkeGateways = new Set(ofKind('Gateway').filter((gateway) => (asString(at(gateway.object, 'spec', 'gatewayClassName')) ?? '').startsWith('gke-')).map((gateway) => `${gateway.namespace}/${gateway.name}`));
  const viaGateway = new Set<string>();
  for (const route of ofKind('HTTPRoute')) {
    const parents = asArray(at(route.object, 'spec', 'parentRefs')).filter(isObject).map((parent) => `${asString(parent.namespace) ?? route.namespace}/${asString(parent.name) ?? ''}`);
    if (parents.some((parent) => gkeGateways.has(parent))) for (const service of routeServices(route)) viaGateway.add(service);
  }

  for (const [ref, reading] of services) {
    const service = serviceModels.get(ref);
    if (!service) continue;
    const key = `${reading.namespace}/${reading.name}`;
    const neg = negAnnotation(reading.annotations);
    let shape: GkeShape | undefined;
    if (viaGateway.has(key) || healthCheckPolicies.has(key) || backendPolicies.has(key)) shape = 'gateway';
    else if (neg?.ingress || viaIngress.has(key)) shape = 'ingress';
    else if (service.type === 'LoadBalancer' && ('cloud.google.com/l4-rbs' in reading.annotations || 'networking.gke.io/load-balancer-type' in reading.annotations)) shape = 'l4';
    else if (neg?.exposed) {
      findings.push({ rule: 'gke-standalone-neg', category: 'unknown', severity: 'warning', objects: [ref], message: `${ref} exposes standalone NEGs: the backend service and its health check are made outside Kubernetes, so hitless assumes the Ingress defaults (15 s / 15 s / 1 / 2, connection draining 0).`, fix: 'check that the backend service uses these settings (or shorter health checks and a connection draining that covers the drain)' });
      shape = 'ingress';
    }
    if (shape === undefined) continue;

    const configuredBy: string[] = [];
    let healthCheck: HealthCheckTiming = controllerDefaultHealthCheck(shape, service.externalTrafficPolicy);
    let source: GkeHealthCheckSource = 'controller-default';
    let path: string | undefined;
    let draining: number | undefined;
    if (shape === 'ingress') {
      const pods = workloads.filter((workload) => workload.namespace === reading.namespace && selects(service.selector, workload.podLabels));
      const probe = pods.map((workload) => workload.readiness).find((readiness) => readiness?.kind === 'http');
      if (probe) {
        // ingress-gce copies path, period and timeout (not the thresholds) when it makes the health check.
        healthCheck = { ...healthCheck, intervalSeconds: probe.periodSeconds, timeoutSeconds: probe.timeoutSeconds };
        path = probe.path ?? '/';
        source = 'readiness-probe';
      }
      const configName = backendConfigName(reading.annotations, service.ports, ref, findings);
      if (configName !== undefined) {
        const config = backendConfigs.get(`${reading.namespace}/${configName}`);
        if (!config) {
          findings.push({ rule: 'gke-backend-config-not-found', category: 'unknown', severity: 'warning', objects: [ref, objectRef('BackendConfig', reading.namespace, configName)], message: `${ref} names BackendConfig ${configName}, which is not in the input; hitless assumes GKE's defaults for its health check and connection draining.`, fix: `check BackendConfig ${configName} together with ${ref}` });
        } else {
          configuredBy.push(config.ref);
          const fields = new FieldReader(config.ref, findings);
          const hc = asObject(at(config.object, 'spec', 'healthCheck'));
          if (hc) {
            healthCheck = readTiming(fields, hc, 'spec.healthCheck', healthCheck);
            path = asString(hc.requestPath) ?? path;
            source = 'backend-config';
          }
          draining = readDraining(fields, at(config.object, 'spec', 'connectionDraining', 'drainingTimeoutSec'), 'spec.connectionDraining.drainingTimeoutSec');
        }
      }
    } else if (shape === 'gateway') {
      const policy = healthCheckPolicies.get(key);
      if (policy) {
        configuredBy.push(policy.ref);
        const defaults = asObject(at(policy.object, 'spec', 'default')) ?? {};
        healthCheck = readTiming(new FieldReader(policy.ref, findings), defaults, 'spec.default', GATEWAY_DEFAULT_HEALTH_CHECK);
        const config = asObject(defaults.config) ?? {};
        const settings = asObject(config.httpHealthCheck) ?? asObject(config.httpsHealthCheck) ?? asObject(config.http2HealthCheck);
        path = asString(settings?.requestPath);
        source = 'health-check-policy';
      }
      const backendPolicy = backendPolicies.get(key);
      if (backendPolicy) {
        configuredBy.push(backendPolicy.ref);
        draining = readDraining(new FieldReader(backendPolicy.ref, findings), at(backendPolicy.object, 'spec', 'default', 'connectionDraining', 'drainingTimeoutSec'), 'spec.default.connectionDraining.drainingTimeoutSec');
      }
    }
    const loadBalancer = gkeLoadBalancerModel({
      object: ref,
      shape,
      healthCheck,
      ...(path !== undefined ? { healthCheckPath: path } : {}),
      ...(draining !== undefined ? { connectionDrainingSeconds: draining } : {}),
      healthCheckSource: source,
      externalTrafficPolicy: service.externalTrafficPolicy,
      configuredBy,
    });
    serviceModels.set(ref, { ...service, loadBalancer });
  }
}
