import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject } from '../core/kube-object';

/**
 * Turns the plain Kubernetes objects core builds into `@pulumi/kubernetes` resources. Built-in
 * kinds get their typed class (`kubernetes:apps/v1:Deployment`), so that transforms, policies
 * and `pulumi up` output see them as users expect; anything else (TargetGroupBinding,
 * BackendConfig) becomes an `apiextensions.CustomResource`. Nothing here decides a value.
 */

/** `Kind/namespace/name`, the key core uses for objects.
 * @internal */
export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  return `${object.apiVersion} ${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

/**
 * The logical Pulumi name of an object: the component's name, then `namespace/name` as
 * `@pulumi/kubernetes` names what it reads from YAML. The prefix keeps two components that render
 * the same Kubernetes object (one per cluster, through different providers) apart in one stack,
 * as pulumi-eks prefixes its children with the cluster's name.
 * @internal
 */
export function logicalName(prefix: string, object: Pick<KubeObject, 'metadata'>): string {
  const inCluster = object.metadata.namespace ? `${object.metadata.namespace}/${object.metadata.name}` : object.metadata.name;
  return `${prefix}-${inCluster}`;
}

type KubeResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The typed `@pulumi/kubernetes` class for a built-in apiVersion/kind, found by its place in the
 * SDK (`apps/v1` → `k8s.apps.v1`, `v1` → `k8s.core.v1`, `policy/v1` → `k8s.policy.v1`,
 * `networking.k8s.io/v1` → `k8s.networking.v1`); undefined for custom resources.
 * @internal
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
 * Creates the resource for one object, named {@link logicalName} under `prefix` (the component's
 * name). A field may be given as a `pulumi.Output` (a TargetGroupBinding's spec waits for its ARN).
 * @internal
 */
export function renderKubeObject(prefix: string, object: KubeObject, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
  const { apiVersion, kind, ...fields } = object;
  const typed = builtInClass(apiVersion, kind);
  if (typed) return new typed(logicalName(prefix, object), fields, opts);
  return new k8s.apiextensions.CustomResource(logicalName(prefix, object), { apiVersion, kind, ...fields }, opts);
}

/** Creates the resources for a list of objects, keyed by {@link objectKey}.
 * @internal */
export function renderKubeObjects(prefix: string, objects: readonly KubeObject[], opts: pulumi.CustomResourceOptions): Map<string, pulumi.CustomResource> {
  const resources = new Map<string, pulumi.CustomResource>();
  for (const object of objects) {
    const key = objectKey(object);
    if (resources.has(key)) throw new Error(`two objects are both ${key}: Kubernetes would keep only one`);
    resources.set(key, renderKubeObject(prefix, object, opts));
  }
  return resources;
}
