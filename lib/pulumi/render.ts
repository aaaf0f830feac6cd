import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../core/kube-object';

/**
 * Turns the plain Kubernetes objects core builds into `@pulumi/kubernetes` resources. Built-in
 * kinds get their typed class (`kubernetes:apps/v1:Deployment`), so that transforms, policies
 * and `pulumi up` output see them as users expect; anything else (TargetGroupBinding,
 * BackendConfig) becomes an `apiextensions.CustomResource`. Nothing here decides a value.
 */

/** `Kind/namespace/name`, the key core uses for objects. */
export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${object.apiVersion} ${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * The logical Pulumi name of an object: `namespace/name`, as `@pulumi/kubernetes` names what it
 * reads from YAML. Unique wherever the Kubernetes object is, since the type token carries the kind.
 */
export function logicalName(object: Pick<KubeObject, 'metadata'>): string {
  return object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
}

type KubeResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The typed `@pulumi/kubernetes` class for a built-in apiVersion/kind, found by its place in the
 * SDK (`apps/v1` → `k8s.apps.v1`, `v1` → `k8s.core.v1`, `policy/v1` → `k8s.policy.v1`,
 * `networking.k8s.io/v1` → `k8s.networking.v1`); undefined for custom resources.
 */
export function builtInClass(apiVersion: string, kind: string): KubeResourceClass | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  // Only core, dotless groups (apps, policy, batch) and *.k8s.io groups are Kubernetes' own;
  // a CRD group such as elbv2.k8s.aws or cloud.google.com must not be matched by its first word.
  if (group.includes('.') && !group.endsWith('.k8s.io')) return undefined;
  const sdkGroup = (k8s as unknown as Record<string, Record<string, Record<string, unknown>> | undefined>)[group.split('.')[0]];
  const candidate = sdkGroup?.[version]?.[kind];
  return typeof candidate === 'function' ? (candidate as KubeResourceClass) : undefined;
}

/**
 * Creates the resource for one object. When `settled` is given, the object is as core built it
 * now, and every field but apiVersion and kind is taken from `settled` once it resolves: a value
 * core derives later (once every gateway or load balancer registered) reaches the resource. The
 * settled object must keep the identity (kind, namespace, name). A field may also be given as a
 * `pulumi.Output` directly.
 */
export function renderKubeObject(object: KubeObject, opts: pulumi.CustomResourceOptions, settled?: Promise<KubeObject>): pulumi.CustomResource {
  const { apiVersion, kind, ...fields } = object;
  const values = settled ? settledFields(object, settled) : fields;
  const typed = builtInClass(apiVersion, kind);
  if (typed) return new typed(logicalName(object), values, opts);
  return new k8s.apiextensions.CustomResource(logicalName(object), { apiVersion, kind, ...values }, opts);
}

/** Creates the resources for a list of objects, keyed by {@link objectKey}. */
export function renderKubeObjects(objects: readonly KubeObject[], opts: pulumi.CustomResourceOptions): Map<string, pulumi.CustomResource> {
  const resources = new Map<string, pulumi.CustomResource>();
  for (const object of objects) {
    const key = objectKey(object);
    if (resources.has(key)) throw new Error(`two objects are both ${key}: Kubernetes would keep only one`);
    resources.set(key, renderKubeObject(object, opts));
  }
  return resources;
}

function settledFields(object: KubeObject, settled: Promise<KubeObject>): Record<string, unknown> {
  const key = objectKey(object);
  const checked = settled.then((final) => {
    if (objectKey(final) !== key) throw new Error(`${key} became ${objectKey(final)} after the program settled: an object must keep its kind, namespace and name`);
    return final;
  });
  const names = new Set(Object.keys(object).filter((field) => field !== 'apiVersion' && field !== 'kind'));
  return Object.fromEntries([...names].map((field) => [field, pulumi.output(checked.then((final) => final[field]))]));
}
