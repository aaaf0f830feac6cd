/**
 * Validation of built-in Kubernetes objects against the Kubernetes OpenAPI schema, for tests.
 *
 * Schema source: the `kubernetes-models` package (devDependency, 4.5.x). Its validators are
 * ajv functions precompiled from the Kubernetes OpenAPI spec of **Kubernetes v1.33.0**
 * (kubernetes-models CHANGELOG 4.5.0: "Update schema version to v1.33.0"; the README badge
 * still says 1.27.1 and is stale), merged with older specs so that removed API versions keep
 * a schema too. Checked here: they catch wrong types (`maxSurge: true`), bad enum values and
 * missing required fields (`containers[].name`), but NOT unknown fields: the Kubernetes
 * OpenAPI spec never says `additionalProperties: false`, so `terminationGracePeriod` (a typo
 * of `terminationGracePeriodSeconds`) passes their `validate()`.
 *
 * The precompiled package ships no schema JSON to recompile strictly, so the strict pass
 * watches the validator itself: the object is handed to it behind a Proxy that records which
 * properties the validator reads at each path. A generated validator reads every property its
 * schema declares (`data.x === undefined || validateX(data.x)`) and enumerates the keys of
 * maps (`additionalProperties` schemas such as labels). So at a path where it read properties
 * but did not enumerate keys, any other key is a field the schema does not know: the API
 * server's strict field validation would reject it (`kubectl apply` warns and drops it).
 * Objects the validator did not look into at all (free-form `type: object` such as
 * RawExtension) are left alone.
 */
import * as path from 'path';
import { crdSchemasAvailable, customResourceKindKnown, validateCustomResource } from './crd-schema';

/** The Kubernetes version whose OpenAPI schema `kubernetes-models` was generated from. */
export const KUBERNETES_SCHEMA_VERSION = '1.33.0';

/** Options of {@link validateKubernetesObject}. */
export interface ValidateKubernetesObjectOptions {
  /**
   * Kinds that have no schema here and must be accepted unchecked, each as
   * `'<apiVersion> <kind>'`, e.g. `'cloud.google.com/v1 BackendConfig'`.
   * @default - none: an object of a kind without a schema is a problem
   */
  readonly unchecked?: readonly string[];
}

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

interface ModelClass {
  readonly prototype: { validate(this: unknown): void };
}

interface AccessRecord {
  readonly read: Set<string>;
  enumerated: boolean;
}

const kubernetesModelsRoot = path.dirname(require.resolve('kubernetes-models/package.json'));

/**
 * Problems of one Kubernetes object (built-in kinds through `kubernetes-models`, custom
 * resources of the shared CRDs through {@link validateCustomResource}, accepted unchecked when
 * `../shared/crds` is absent), each as
 * `'<field path>: <problem>'`. Empty when the object is valid.
 */
export function validateKubernetesObject(obj: unknown, options: ValidateKubernetesObjectOptions = {}): string[] {
  if (!isPlainObject(obj)) {
    return [`(root): must be an object, got ${describe(obj)}`];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['(root): apiVersion and kind must be strings'];
  }
  if ((options.unchecked ?? []).includes(`${apiVersion} ${kind}`)) {
    return [];
  }
  const model = builtInModel(apiVersion, kind);
  if (model) {
    return validateWithModel(obj, model);
  }
  if (customResourceKindKnown(apiVersion, kind)) {
    // Without ../shared/crds (a user's clone) a custom resource cannot be checked here; the
    // CRD tests themselves say so through describeWithCrds.
    return crdSchemasAvailable() ? validateCustomResource(obj) : [];
  }
  return [`(root): no schema for ${apiVersion} ${kind} (neither a Kubernetes ${KUBERNETES_SCHEMA_VERSION} kind nor a known CRD)`];
}

/**
 * Problems of ObjectMeta, with paths under `prefix`; custom resources use it for their
 * `metadata`, which the API server checks as ObjectMeta whatever the CRD says.
 */
export function validateObjectMeta(metadata: unknown, prefix = 'metadata'): string[] {
  const modulePath = require.resolve('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta', {
    paths: [kubernetesModelsRoot],
  });
  const model = require(modulePath).ObjectMeta as ModelClass;
  return validateWithModel(metadata, model).map((problem) =>
    problem.startsWith('(root)') ? `${prefix}${problem.slice('(root)'.length)}` : `${prefix}.${problem}`,
  );
}

/**
 * Jest helper: fails, listing every problem of every object as `Kind/name: path: problem`,
 * unless all objects are valid.
 */
export function expectValidKubernetesObjects(objs: readonly unknown[], options: ValidateKubernetesObjectOptions = {}): void {
  if (!Array.isArray(objs)) {
    throw new Error(`expectValidKubernetesObjects expects an array of objects, got ${describe(objs)}`);
  }
  if (objs.length === 0) {
    throw new Error('expectValidKubernetesObjects got no objects: nothing was validated');
  }
  const problems: string[] = [];
  objs.forEach((obj, index) => {
    for (const problem of validateKubernetesObject(obj, options)) {
      problems.push(`${objectLabel(obj, index)}: ${problem}`);
    }
  });
  if (problems.length > 0) {
    throw new Error(
      `${problems.length} schema problem(s) in ${objs.length} object(s) (Kubernetes ${KUBERNETES_SCHEMA_VERSION}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n'),
    );
  }
}

/** The `kubernetes-models` class of a built-in kind, or undefined when it has none. */
function builtInModel(apiVersion: string, kind: string): ModelClass | undefined {
  // Both end up in a module path: refuse anything that could walk out of the package.
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) {
    return undefined;
  }
  try {
    const exported = require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
    return typeof exported?.prototype?.validate === 'function' ? (exported as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs a model's validator on a JSON copy of `value` and adds the unknown-field pass. */
function validateWithModel(value: unknown, model: ModelClass): string[] {
  // A JSON copy is what lands in the manifest (undefined dropped), and a fresh plain object
  // keeps the Proxy invariants (frozen input would break them).
  const json: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  const records = new Map<string, AccessRecord>();
  let errors: AjvError[] = [];
  try {
    model.prototype.validate.call(watch(json, '', records));
  } catch (error) {
    const reported = (error as { errors?: AjvError[] }).errors;
    if (!Array.isArray(reported)) {
      throw error;
    }
    errors = reported;
  }
  const problems = formatErrors(errors);
  collectUnknownFields(json, '', records, problems);
  return problems;
}

/** Wraps `value` so that every property the validator reads is recorded under its path. */
function watch(value: unknown, pointer: string, records: Map<string, AccessRecord>): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  let record = records.get(pointer);
  if (!record) {
    record = { read: new Set(), enumerated: false };
    records.set(pointer, record);
  }
  const seen = record;
  return new Proxy(value, {
    get(target, key) {
      const child: unknown = Reflect.get(target, key);
      if (typeof key !== 'string') {
        return child;
      }
      seen.read.add(key);
      return watch(child, `${pointer}/${key}`, records);
    },
    has(target, key) {
      if (typeof key === 'string') {
        seen.read.add(key);
      }
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      seen.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

function collectUnknownFields(value: unknown, pointer: string, records: Map<string, AccessRecord>, problems: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => collectUnknownFields(item, `${pointer}/${index}`, records, problems));
    return;
  }
  if (!isPlainObject(value)) {
    return;
  }
  const record = records.get(pointer);
  // Not looked into (free-form object, or a type error already reported): nothing to judge.
  if (!record || (record.read.size === 0 && !record.enumerated)) {
    return;
  }
  for (const key of Object.keys(value)) {
    // kubernetes-models drops the `x-kubernetes-*` properties of JSONSchemaProps (CRDs).
    if (!record.enumerated && !record.read.has(key) && !key.startsWith('x-kubernetes-')) {
      problems.push(`${fieldPath(`${pointer}/${key}`)}: unknown field "${key}"`);
    } else {
      collectUnknownFields(value[key], `${pointer}/${key}`, records, problems);
    }
  }
}

/** ajv errors → one line each; a oneOf/anyOf failure replaces the failures of its branches. */
export function formatErrors(errors: readonly AjvError[]): string[] {
  const alternativesAt = new Set(
    errors.filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf').map((error) => error.instancePath),
  );
  const branchTypes = new Map<string, string[]>();
  const lines: string[] = [];
  for (const error of errors) {
    const at = fieldPath(error.instancePath);
    if (alternativesAt.has(error.instancePath) && error.keyword === 'type') {
      const types = branchTypes.get(error.instancePath) ?? [];
      types.push(String(error.params.type));
      branchTypes.set(error.instancePath, types);
      continue;
    }
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      continue;
    }
    lines.push(`${at}: ${errorMessage(error)}`);
  }
  for (const instancePath of alternativesAt) {
    const types = branchTypes.get(instancePath);
    lines.push(
      types
        ? `${fieldPath(instancePath)}: must be ${types.join(' or ')}`
        : `${fieldPath(instancePath)}: matches none of the allowed alternatives`,
    );
  }
  return [...new Set(lines)];
}

function errorMessage(error: AjvError): string {
  switch (error.keyword) {
    case 'required':
      return `missing required field "${String(error.params.missingProperty)}"`;
    case 'type':
      return `must be ${String(error.params.type)}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'additionalProperties':
    case 'unknownField':
      return `unknown field "${String(error.params.additionalProperty)}"`;
    default:
      return error.message ?? error.keyword;
  }
}

/** JSON pointer → `spec.template.spec.containers[0].name`; the root is `(root)`. */
export function fieldPath(pointer: string): string {
  if (pointer === '') {
    return '(root)';
  }
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) {
      out += `[${segment}]`;
    } else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
      out += out === '' ? segment : `.${segment}`;
    } else {
      out += `[${JSON.stringify(segment)}]`;
    }
  }
  return out;
}

function objectLabel(obj: unknown, index: number): string {
  if (!isPlainObject(obj)) {
    return `#${index}`;
  }
  const kind = typeof obj.kind === 'string' ? obj.kind : `#${index}`;
  const metadata = isPlainObject(obj.metadata) ? obj.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  return typeof metadata.namespace === 'string' ? `${kind}/${metadata.namespace}/${name}` : `${kind}/${name}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
