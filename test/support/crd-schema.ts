/**
 * Validation of custom resources (TargetGroupBinding, Gloo Upstream and VirtualService) against
 * the CRDs in `../shared/crds/`, for tests.
 *
 * That directory sits next to the repository in CI and is absent from a user's clone, so every
 * test that needs it goes through {@link describeWithCrds}, which skips (saying why) without it.
 *
 * Each version's `openAPIV3Schema` is compiled with ajv the way the API server treats a
 * structural schema:
 * - pruning: an object schema without `additionalProperties` and without
 *   `x-kubernetes-preserve-unknown-fields: true` loses unknown fields on the server; here they
 *   are problems (`additionalProperties: false`), because a silently dropped field is a bug;
 * - `x-kubernetes-int-or-string: true` accepts an integer or a string whatever `type` says;
 * - `nullable: true` accepts null;
 * - apiVersion, kind and metadata are always allowed at the root; metadata is checked as
 *   ObjectMeta, as the server does.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { formatErrors, validateObjectMeta } from './k8s-schema';

/** Where the CRDs are when the repository is cloned next to `shared/`. */
export const CRD_DIRECTORY = path.resolve(__dirname, '../../../shared/crds');

/**
 * Groups of the CRDs this project writes custom resources for. Without the CRDs at hand, a
 * resource of these groups cannot be checked, but it is not an unknown kind either.
 */
export const CUSTOM_RESOURCE_GROUPS: readonly string[] = ['elbv2.k8s.aws', 'gloo.solo.io', 'gateway.solo.io'];

interface CrdVersion {
  readonly source: string;
  readonly schema: Record<string, unknown>;
  validate?: ValidateFunction;
}

type JsonObject = Record<string, unknown>;

const catalogs = new Map<string, Map<string, CrdVersion>>();

/** Whether `directory` (by default {@link CRD_DIRECTORY}) holds CRD files. */
export function crdSchemasAvailable(directory: string = CRD_DIRECTORY): boolean {
  return crdFiles(directory).length > 0;
}

/**
 * Whether `apiVersion`/`kind` is a custom resource kind: one of the CRDs when they are at hand,
 * else any kind of {@link CUSTOM_RESOURCE_GROUPS}.
 */
export function customResourceKindKnown(apiVersion: string, kind: string, directory: string = CRD_DIRECTORY): boolean {
  if (crdSchemasAvailable(directory)) {
    return catalog(directory).has(key(apiVersion, kind));
  }
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return CUSTOM_RESOURCE_GROUPS.includes(group);
}

/** Kinds the CRDs define, as `'<group>/<version> <Kind>'`, sorted. */
export function customResourceKinds(directory: string = CRD_DIRECTORY): string[] {
  return [...catalog(directory).keys()].sort();
}

/**
 * Problems of one custom resource against its CRD version's schema, each as
 * `'<field path>: <problem>'`; empty when valid. Throws when the CRDs are not at hand: guard
 * the caller with {@link describeWithCrds} or {@link crdSchemasAvailable}.
 */
export function validateCustomResource(obj: unknown, directory: string = CRD_DIRECTORY): string[] {
  if (!crdSchemasAvailable(directory)) {
    throw new Error(`no CRDs at ${directory}: guard this test with describeWithCrds()`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return ['(root): must be an object'];
  }
  const { apiVersion, kind, metadata } = obj as JsonObject;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return ['(root): apiVersion and kind must be strings'];
  }
  const version = catalog(directory).get(key(apiVersion, kind));
  if (!version) {
    return [`(root): no CRD defines ${apiVersion} ${kind} (known: ${customResourceKinds(directory).join(', ')})`];
  }
  version.validate ??= compile(version);
  const json: unknown = JSON.parse(JSON.stringify(obj));
  const problems = version.validate(json) ? [] : formatErrors((version.validate.errors ?? []).map(toProblemError));
  if (metadata !== undefined) {
    problems.push(...validateObjectMeta(metadata));
  }
  return problems;
}

/**
 * `describe` when the CRDs are at hand, else `describe.skip` with the reason in the block's name
 * (no console noise).
 */
export function describeWithCrds(name: string, fn: () => void, directory: string = CRD_DIRECTORY): void {
  if (crdSchemasAvailable(directory)) {
    describe(name, fn);
  } else {
    describe.skip(`${name} (skipped: ../shared/crds not found)`, fn);
  }
}

function key(apiVersion: string, kind: string): string {
  return `${apiVersion} ${kind}`;
}

function crdFiles(directory: string): string[] {
  try {
    return fs
      .readdirSync(directory)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort()
      .map((file) => path.join(directory, file));
  } catch {
    return [];
  }
}

function catalog(directory: string): Map<string, CrdVersion> {
  let found = catalogs.get(directory);
  if (found) {
    return found;
  }
  found = new Map();
  for (const file of crdFiles(directory)) {
    for (const document of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      const crd = document.toJS() as JsonObject | null;
      if (crd?.kind !== 'CustomResourceDefinition') {
        continue;
      }
      const spec = crd.spec as { group: string; names: { kind: string }; versions: JsonObject[] };
      for (const version of spec.versions) {
        const schema = (version.schema as JsonObject | undefined)?.openAPIV3Schema as JsonObject | undefined;
        if (schema) {
          found.set(key(`${spec.group}/${String(version.name)}`, spec.names.kind), {
            source: path.basename(file),
            schema,
          });
        }
      }
    }
  }
  catalogs.set(directory, found);
  return found;
}

function compile(version: CrdVersion): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, validateFormats: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
  const schema = structural(version.schema);
  // The server ignores formats it does not know; so does this.
  for (const format of formatsIn(schema)) {
    if (!['int32', 'int64', 'byte', 'date-time'].includes(format)) {
      ajv.addFormat(format, true);
    }
  }
  const root = schema as { properties?: JsonObject; required?: string[] };
  root.properties = {
    ...root.properties,
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    // Checked as ObjectMeta by validateObjectMeta.
    metadata: { type: 'object' },
  };
  root.required = [...new Set([...(root.required ?? []), 'apiVersion', 'kind'])];
  try {
    return ajv.compile(schema);
  } catch (error) {
    throw new Error(`cannot compile the schema of ${version.source}: ${(error as Error).message}`);
  }
}

/** A copy of an openAPIV3Schema node in plain JSON Schema, with pruning turned into errors. */
function structural(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('x-kubernetes-')) {
      continue;
    }
    if (name === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value as JsonObject).map(([property, child]) => [property, structural(child as JsonObject)]),
      );
    } else if ((name === 'items' || name === 'additionalProperties' || name === 'not') && isObject(value)) {
      out[name] = structural(value);
    } else if (name === 'anyOf' || name === 'oneOf' || name === 'allOf') {
      out[name] = (value as JsonObject[]).map(structural);
    } else {
      out[name] = value;
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf ??= [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.nullable === true && out.type === undefined) {
    // ajv's `nullable` needs a type; without one, null is accepted anyway.
    delete out.nullable;
  }
  const objectSchema = out.type === 'object' || out.properties !== undefined;
  if (objectSchema && out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function formatsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    node.forEach((child) => formatsIn(child, found));
  } else if (isObject(node)) {
    for (const [name, value] of Object.entries(node)) {
      if (name === 'format' && typeof value === 'string') {
        found.add(value);
      } else {
        formatsIn(value, found);
      }
    }
  }
  return found;
}

/** An unknown field is reported at its own path, like the Kubernetes validator does. */
function toProblemError(error: ErrorObject): ErrorObject {
  if (error.keyword === 'additionalProperties') {
    const property = String((error.params as { additionalProperty: string }).additionalProperty);
    const escaped = property.replace(/~/g, '~0').replace(/\//g, '~1');
    return { ...error, instancePath: `${error.instancePath}/${escaped}`, keyword: 'unknownField' };
  }
  return error;
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
