/** The reader's first phase: every object read by its kind's reader and filed by kind, with its namespace. */
import { Finding } from '../core/finding';
import { formatObjectRef, objectRef } from '../core/object-ref';
import { asObject, asString, at, Json, metadataRef, stringMap } from './fields';
import { isGkeObject } from './gke';
import { isGlooGateway, isGlooUpstream, isGlooVirtualService, readGlooGatewayHealthCheckPath, readGlooUpstream, readGlooVirtualService } from './gloo';
import { readService, ServiceReading } from './service';
import { readWorkload, WorkloadReading } from './workload';

/** A PodDisruptionBudget as the link phase matches it to workloads. */
export interface DisruptionBudgetReading {
  readonly ref: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** A TargetGroupBinding: a target group made outside Kubernetes that sends to a Service. */
export interface TargetGroupBindingReading {
  readonly ref: string;
  /** `Service/namespace/name` of the Service it binds. */
  readonly service: string;
  readonly targetType: 'instance' | 'ip';
}

/** The objects of the input, filed by kind. */
export interface ObjectIndex {
  /** Workloads by `Kind/namespace/name`; a duplicate keeps the last, as kubectl apply would. */
  readonly workloads: Map<string, WorkloadReading>;
  /** Services by `Service/namespace/name`. */
  readonly services: Map<string, ServiceReading>;
  /** ConfigMaps by `ConfigMap/namespace/name`. */
  readonly configMaps: Map<string, Json>;
  readonly disruptionBudgets: DisruptionBudgetReading[];
  readonly bindings: TargetGroupBindingReading[];
  /** The objects GKE's load balancers are configured by (lib/read/gke.ts reads them). */
  readonly gkeObjects: Json[];
  readonly glooUpstreams: ReturnType<typeof readGlooUpstream>[];
  readonly glooVirtualServices: ReturnType<typeof readGlooVirtualService>[];
  /** The health check filter path of the first Gloo Gateway that sets one. */
  glooHealthCheckPath?: string;
}

/** Reads and files every object; an object a reader fails on is reported and left out, never hides the others. */
export function indexObjects(objects: readonly Json[], findings: Finding[]): ObjectIndex {
  const index: ObjectIndex = { workloads: new Map(), services: new Map(), configMaps: new Map(), disruptionBudgets: [], bindings: [], gkeObjects: [], glooUpstreams: [], glooVirtualServices: [] };
  for (const object of objects) {
    try {
      fileObject(object, index, findings);
    } catch (error) {
      const ref = formatObjectRef(metadataRef(object));
      findings.push({ rule: 'object-not-read', category: 'unknown', severity: 'warning', objects: [ref], message: `hitless could not read ${ref} (${error instanceof Error ? error.message : String(error)}); it is left out of the check.`, fix: 'report this manifest to hitless' });
    }
  }
  return index;
}

function fileObject(object: Json, index: ObjectIndex, findings: Finding[]): void {
  if (typeof object.kind !== 'string') return;
  const workload = readWorkload(object, findings);
  if (workload) {
    noteDuplicate(index.workloads.has(workload.model.object), workload.model.object, findings);
    index.workloads.set(workload.model.object, workload);
    return;
  }
  const service = readService(object, findings);
  if (service) {
    noteDuplicate(index.services.has(service.model.object), service.model.object, findings);
    index.services.set(service.model.object, service);
    return;
  }
  fileOtherKind(object, object.kind, index);
}

function fileOtherKind(object: Json, kind: string, index: ObjectIndex): void {
  const name = asString(at(object, 'metadata', 'name'));
  const namespace = metadataRef(object).namespace;
  if (kind === 'ConfigMap' && name) {
    index.configMaps.set(objectRef(kind, namespace, name), object);
  } else if (kind === 'PodDisruptionBudget' && name) {
    index.disruptionBudgets.push(readDisruptionBudget(object, objectRef(kind, namespace, name), namespace));
  } else if (isGkeObject(object)) {
    index.gkeObjects.push(object);
  } else if (isGlooUpstream(object)) {
    index.glooUpstreams.push(readGlooUpstream(object));
  } else if (isGlooVirtualService(object)) {
    index.glooVirtualServices.push(readGlooVirtualService(object));
  } else if (isGlooGateway(object)) {
    index.glooHealthCheckPath ??= readGlooGatewayHealthCheckPath(object);
  } else if (kind === 'TargetGroupBinding' && name) {
    const serviceName = asString(at(object, 'spec', 'serviceRef', 'name'));
    if (serviceName) index.bindings.push({ ref: objectRef(kind, namespace, name), service: objectRef('Service', namespace, serviceName), targetType: at(object, 'spec', 'targetType') === 'ip' ? 'ip' : 'instance' });
  }
}

function readDisruptionBudget(object: Json, ref: string, namespace: string): DisruptionBudgetReading {
  const spec = asObject(object.spec) ?? {};
  const pick = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? value : undefined);
  return { ref, namespace, selector: stringMap(at(spec, 'selector', 'matchLabels')), minAvailable: pick(spec.minAvailable), maxUnavailable: pick(spec.maxUnavailable) };
}

function noteDuplicate(duplicate: boolean, ref: string, findings: Finding[]): void {
  if (!duplicate) return;
  findings.push({ rule: 'duplicate-object', category: 'schema', severity: 'warning', objects: [ref], message: `${ref} appears more than once in the input; the last one is checked, as kubectl apply would leave it.`, fix: `keep one ${ref}` });
}
