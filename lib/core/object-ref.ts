/** A Kubernetes object named by kind, namespace and name: the one way hitless refers to objects. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The namespace an object without `metadata.namespace` lands in, as kubectl applies it. */
export const DEFAULT_NAMESPACE = 'default';

/** `Kind/namespace/name`, the form findings, reports and flags name objects by. */
export function formatObjectRef(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** `Kind/namespace/name` from its parts; a missing namespace is `default`, as kubectl applies it. */
export function objectRef(kind: string, namespace: string | undefined, name: string): string {
  return formatObjectRef({ kind, namespace: namespace ?? DEFAULT_NAMESPACE, name });
}

/**
 * Reads `Kind/namespace/name` back; undefined for anything else (names hold no `/`, so exactly
 * three non-empty parts).
 */
export function parseObjectRef(text: string): ObjectRef | undefined {
  const parts = text.split('/');
  if (parts.length !== 3 || parts.some((part) => part === '')) return undefined;
  const [kind, namespace, name] = parts;
  return { kind, namespace, name };
}

/**
 * Whether `wanted`, as a person types it, names the object `ref`: the whole `Kind/namespace/name`,
 * `namespace/name` or the bare name.
 */
export function namesObject(ref: string, wanted: string): boolean {
  const parsed = parseObjectRef(ref);
  if (!parsed) return ref === wanted;
  return wanted === ref || wanted === `${parsed.namespace}/${parsed.name}` || wanted === parsed.name;
}

/** {@link parseObjectRef} for a reference a construct was given: anything else is the caller's mistake. */
export function requireObjectRef(text: string): ObjectRef {
  const parsed = parseObjectRef(text);
  if (!parsed) throw new Error(`'${text}' is not a Kind/namespace/name reference`);
  return parsed;
}
