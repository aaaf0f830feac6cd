import { Finding } from '../core/finding';
import { formatObjectRef } from '../core/object-ref';
import { ServiceModel } from '../core/model';
import { readAwsLoadBalancer } from './aws-annotations';
import { asArray, asObject, asString, FieldReader, isObject, Json, metadataRef, stringMap } from './fields';

/** A Service as read, with what the topology needs to match it. */
export interface ServiceReading {
  readonly model: ServiceModel;
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Record<string, string>;
}

const SERVICE_TYPES = new Set(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']);

/** Reads a Service; its load balancer from the AWS annotations when its type is LoadBalancer. */
export function readService(object: Json, findings: Finding[]): ServiceReading | undefined {
  if (object.kind !== 'Service') return undefined;
  const metadata = asObject(object.metadata) ?? {};
  const serviceRef = metadataRef(object, 'Service');
  const { namespace, name } = serviceRef;
  const ref = formatObjectRef(serviceRef);
  const fields = new FieldReader(ref, findings);
  const spec = fields.object(object.spec, 'spec') ?? {};
  const rawType = fields.string(spec.type, 'spec.type');
  let type: ServiceModel['type'] = 'ClusterIP';
  if (rawType !== undefined) {
    if (SERVICE_TYPES.has(rawType)) type = rawType as ServiceModel['type'];
    else fields.invalid('spec.type', rawType, 'ClusterIP, NodePort, LoadBalancer or ExternalName');
  }
  const rawPolicy = fields.string(spec.externalTrafficPolicy, 'spec.externalTrafficPolicy');
  let externalTrafficPolicy: ServiceModel['externalTrafficPolicy'] = 'Cluster';
  if (rawPolicy !== undefined) {
    if (rawPolicy === 'Local' || rawPolicy === 'Cluster') externalTrafficPolicy = rawPolicy;
    else fields.invalid('spec.externalTrafficPolicy', rawPolicy, 'Cluster or Local');
  }
  const ports = fields.array(spec.ports, 'spec.ports').filter(isObject).map((port) => {
    const number = fields.count(port.port, 'spec.ports[].port', { min: 1, max: 65535 }) ?? 0;
    const targetPort = typeof port.targetPort === 'number' || typeof port.targetPort === 'string' ? port.targetPort : undefined;
    return { ...(typeof port.name === 'string' ? { name: port.name } : {}), port: number, ...(targetPort !== undefined ? { targetPort } : {}) };
  });
  const annotations = stringMap(metadata.annotations);
  const model: ServiceModel = {
    object: ref,
    type,
    headless: spec.clusterIP === 'None' || asArray(spec.clusterIPs)[0] === 'None',
    externalTrafficPolicy,
    selector: stringMap(spec.selector),
    ports,
    ...(type === 'LoadBalancer' ? { loadBalancer: readAwsLoadBalancer(ref, annotations, externalTrafficPolicy, asString(spec.loadBalancerClass), findings) } : {}),
  };
  return { model, namespace, name, annotations };
}

/** Whether a label selector (matchLabels form) selects these labels; an empty selector selects nothing. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((key) => labels[key] === selector[key]);
}
