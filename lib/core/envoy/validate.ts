import * as protobuf from 'protobufjs';
import { parseAllDocuments } from 'yaml';
import { envoyProtos } from './proto-loader';

/**
 * One way a config breaks Envoy's v3 API.
 *
 * `error`s make Envoy reject the config; `warning`s are deprecated fields Envoy still accepts
 * (it logs them and counts `runtime.deprecated_feature_use`).
 */
export interface EnvoyProblem {
  /** Where, as written in the input: `static_resources.clusters[0].health_checks[0].timeout`. Empty for the top. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** The message type of an Envoy bootstrap file. */
export const BOOTSTRAP_TYPE = 'envoy.config.bootstrap.v3.Bootstrap';

/**
 * Checks a JSON value (as parsed from Envoy's JSON or YAML) against an Envoy API message type,
 * strictly as Envoy parses it: the proto3 JSON mapping with unknown fields rejected, every
 * `@type` resolved and checked as its type, plus the cheap protoc-gen-validate rules
 * (`(validate.rules)`) Envoy enforces after parsing.
 *
 * @param typeName full message name, e.g. `envoy.config.cluster.v3.Cluster`
 * @throws when `typeName` is not a message type of the loaded API
 */
export function validateEnvoyMessage(typeName: string, value: unknown): EnvoyProblem[] {
  const root = envoyProtos().root;
  const type = lookupMessage(root, typeName);
  if (!type) throw new Error(`'${typeName}' is not a message type of Envoy's v3 API`);
  const walker = new Walker(root);
  if (value === null || value === undefined) {
    walker.error('', `expected an object (${type.fullName.slice(1)}), got ${describe(value)}`);
  } else {
    walker.message(type, value, '');
  }
  return walker.problems;
}

/** {@link validateEnvoyMessage} for a whole bootstrap (`envoy.config.bootstrap.v3.Bootstrap`). */
export function validateBootstrap(value: unknown): EnvoyProblem[] {
  return validateEnvoyMessage(BOOTSTRAP_TYPE, value);
}

/** Only the problems that make Envoy reject the config. */
export function envoyErrors(problems: readonly EnvoyProblem[]): EnvoyProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

/** `path: message`, or just the message at the top. */
export function formatEnvoyProblem(problem: EnvoyProblem): string {
  const where = problem.path === '' ? '(root)' : problem.path;
  return `${where}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}

// ---------------------------------------------------------------------------------------------
// Reading bootstraps out of files

/** A bootstrap found in a text, and where. */
export interface FoundEnvoyConfig {
  /** Empty for a plain bootstrap file; `ConfigMap envoy-config, key envoy.yaml` for one held in a ConfigMap. */
  readonly where: string;
  readonly config: unknown;
}

/** The text isn't YAML/JSON, or holds no Envoy bootstrap. */
export class EnvoyConfigParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvoyConfigParseError';
  }
}

const BOOTSTRAP_KEYS = ['static_resources', 'staticResources', 'admin', 'node', 'dynamic_resources', 'dynamicResources'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeBootstrap(value: unknown): boolean {
  return isPlainObject(value) && BOOTSTRAP_KEYS.some((key) => key in value);
}

function isKubernetesObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

/** Aliases one document may expand: enough for any hand-written config, far too few for a billion-node bomb. */
const MAX_ALIAS_COUNT = 1000;

function parseYaml(text: string, what: string): unknown[] {
  // JSON is parsed as JSON: a YAML parser takes tens of seconds and gigabytes on a large JSON file.
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      return value === null ? [] : [value];
    } catch {
      // YAML flow style, or broken JSON: the YAML parser says where.
    }
  }
  // merge: Envoy's YAML loader (yaml-cpp) honours `<<` merge keys, so hand-written configs use them.
  const documents = parseAllDocuments(text, { merge: true, uniqueKeys: true });
  const docs = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new EnvoyConfigParseError(`${what} is not valid YAML or JSON: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      throw new EnvoyConfigParseError(`${what} cannot be read: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

function configsInConfigMap(configMap: Record<string, unknown>): FoundEnvoyConfig[] {
  const metadata = isPlainObject(configMap.metadata) ? configMap.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const data = isPlainObject(configMap.data) ? configMap.data : {};
  const found: FoundEnvoyConfig[] = [];
  for (const [key, text] of Object.entries(data)) {
    if (typeof text !== 'string') continue;
    const named = /\.(ya?ml|json)$/i.test(key);
    let values: unknown[];
    try {
      values = parseYaml(text, `ConfigMap ${name}, key ${key}`);
    } catch (error) {
      // A key not named like a config file may hold anything (a script, a certificate).
      if (named) throw error;
      continue;
    }
    for (const value of values) {
      if (looksLikeBootstrap(value) || (named && isPlainObject(value))) {
        found.push({ where: `ConfigMap ${name}, key ${key}`, config: value });
      }
    }
  }
  return found;
}

/**
 * Finds the Envoy bootstraps in a YAML or JSON text: the text itself when it is a bootstrap,
 * or the bootstraps held in the data of Kubernetes ConfigMaps in it (under a key that ends in
 * .yaml/.yml/.json, or whose value looks like a bootstrap). Other Kubernetes objects are skipped,
 * so a whole rendered manifest can be given.
 *
 * @param source names the text in error messages
 * @throws EnvoyConfigParseError when the text doesn't parse or holds no bootstrap
 */
export function findEnvoyConfigs(text: string, source = 'input'): FoundEnvoyConfig[] {
  const found: FoundEnvoyConfig[] = [];
  const visit = (value: unknown): void => {
    if (isKubernetesObject(value)) {
      if (value.kind === 'ConfigMap') found.push(...configsInConfigMap(value));
      else if (value.kind === 'List' && Array.isArray(value.items)) value.items.forEach(visit);
    } else {
      // Anything that isn't a Kubernetes object is taken as a bootstrap, typos at the top included.
      found.push({ where: '', config: value });
    }
  };
  parseYaml(text, source).forEach(visit);
  if (found.length === 0) {
    throw new EnvoyConfigParseError(`${source} holds no Envoy bootstrap (nor a ConfigMap holding one)`);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The walker

function lookupMessage(root: protobuf.Root, name: string): protobuf.Type | undefined {
  const full = name.startsWith('.') ? name : `.${name}`;
  try {
    const found = root.lookup(full);
    return found instanceof protobuf.Type ? found : undefined;
  } catch {
    return undefined;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `a boolean (${value})`;
  return typeof value;
}

/** proto3 JSON name: underscores dropped, the letter after each one upper-cased. */
function jsonName(field: protobuf.Field): string {
  const explicit = (field.options as Record<string, unknown> | undefined)?.json_name;
  if (typeof explicit === 'string') return explicit;
  return field.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function fieldPath(parent: string, key: string): string {
  const safe = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  if (parent === '') return safe === key ? key : `[${safe}]`;
  return safe === key ? `${parent}.${key}` : `${parent}[${safe}]`;
}

/** The `(validate.rules)` of a field, merged from protobufjs's parsed options. */
type Rules = Record<string, any>;

function optionsOf(element: protobuf.ReflectionObject): Rules {
  const merged: Rules = {};
  for (const entry of (element.parsedOptions as Rules[] | undefined) ?? []) {
    for (const [key, value] of Object.entries(entry)) {
      merged[key] = isPlainObject(merged[key]) && isPlainObject(value) ? deepMerge(merged[key], value) : value;
    }
  }
  return merged;
}

function deepMerge(a: Rules, b: Rules): Rules {
  const out: Rules = { ...a };
  for (const [key, value] of Object.entries(b)) {
    out[key] = isPlainObject(out[key]) && isPlainObject(value) ? deepMerge(out[key], value) : value;
  }
  return out;
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

const WRAPPERS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const MAX_DURATION_SECONDS = 315_576_000_000n;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
const BASE64 = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/;

/** A duration in nanoseconds, from its JSON string or from a rule's `{seconds, nanos}`. */
function durationNanos(value: unknown): bigint | undefined {
  if (typeof value === 'string') {
    const match = DURATION.exec(value);
    if (!match) return undefined;
    const nanos = BigInt(match[2]) * 1_000_000_000n + BigInt((match[3] ?? '').padEnd(9, '0'));
    return match[1] ? -nanos : nanos;
  }
  if (isPlainObject(value)) {
    // The rules' own `{seconds, nanos}`; a config's value in this form is an error reported elsewhere.
    const seconds = Number(value.seconds ?? 0);
    const nanos = Number(value.nanos ?? 0);
    if (!Number.isSafeInteger(seconds) || !Number.isSafeInteger(nanos)) return undefined;
    return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
  }
  return undefined;
}

function formatNanos(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const seconds = abs / 1_000_000_000n;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${seconds}${fraction ? '.' + fraction : ''}s`;
}

/** Close spellings for an unknown field, so the message can suggest one. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_v, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

interface FieldIndex {
  readonly byKey: Map<string, protobuf.Field>;
  /** Oneofs that really are exclusive (not proto3 `optional` synthetics). */
  readonly oneofs: protobuf.OneOf[];
}

class Walker {
  readonly problems: EnvoyProblem[] = [];
  private static readonly indexes = new WeakMap<protobuf.Type, FieldIndex>();

  constructor(private readonly root: protobuf.Root) {}

  error(path: string, message: string): void {
    this.problems.push({ path, message, severity: 'error' });
  }

  warning(path: string, message: string): void {
    this.problems.push({ path, message, severity: 'warning' });
  }

  private index(type: protobuf.Type): FieldIndex {
    let index = Walker.indexes.get(type);
    if (!index) {
      const byKey = new Map<string, protobuf.Field>();
      for (const field of type.fieldsArray) {
        byKey.set(field.name, field);
        byKey.set(jsonName(field), field);
      }
      const oneofs = type.oneofsArray.filter(
        (oneof) => !(oneof.fieldsArray.length === 1 && oneof.fieldsArray[0].options?.proto3_optional),
      );
      index = { byKey, oneofs };
      Walker.indexes.set(type, index);
    }
    return index;
  }

  /** A value of message type `type` (never null here). */
  message(type: protobuf.Type, value: unknown, path: string): void {
    const name = type.fullName;
    if (name.startsWith('.google.protobuf.')) {
      if (this.wellKnown(type, value, path)) return;
    }
    if (!isPlainObject(value)) {
      this.error(path, `expected an object (${name.slice(1)}), got ${describe(value)}`);
      return;
    }
    const { byKey, oneofs } = this.index(type);
    const seen = new Map<protobuf.Field, string>();
    for (const [key, child] of Object.entries(value)) {
      const field = byKey.get(key);
      const childPath = fieldPath(path, key);
      if (!field) {
        this.error(childPath, this.unknownField(type, key));
        continue;
      }
      const earlier = seen.get(field);
      if (earlier !== undefined) {
        this.error(childPath, `'${key}' sets the same field as '${earlier}'`);
        continue;
      }
      seen.set(field, key);
      // proto3 JSON: null means "not set"; undefined is what JSON.stringify would drop.
      if (child === null || child === undefined) continue;
      this.deprecation(field, childPath);
      this.fieldValue(field, child, childPath);
    }

    for (const oneof of oneofs) {
      const set = oneof.fieldsArray.filter((member) => {
        const key = seen.get(member);
        return key !== undefined && value[key] !== null && value[key] !== undefined;
      });
      if (set.length > 1) {
        const keys = set.map((member) => seen.get(member)!);
        this.error(
          fieldPath(path, keys[1]),
          `'${keys[1]}' and '${keys[0]}' are both set, but they belong to oneof '${oneof.name}' of ${name.slice(1)}: set at most one`,
        );
      }
      if (set.length === 0 && optionsOf(oneof)['(validate.required)'] === true) {
        this.error(
          path,
          `one of ${oneof.fieldsArray.map((member) => `'${member.name}'`).join(', ')} is required (oneof '${oneof.name}' of ${name.slice(1)})`,
        );
      }
    }

    // protoc-gen-validate rules of fields that are absent: `required`, and the scalar rules,
    // which PGV checks against the default value too (`name` with min_len 1 must be given).
    for (const field of type.fieldsArray) {
      const key = seen.get(field);
      if (key !== undefined && value[key] !== null && value[key] !== undefined) continue;
      const rules = optionsOf(field)['(validate.rules)'] as Rules | undefined;
      if (!rules) continue;
      this.absentRules(field, rules, fieldPath(path, key ?? field.name));
    }
  }

  private unknownField(type: protobuf.Type, key: string): string {
    const { byKey } = this.index(type);
    const squash = (name: string): string => name.replace(/_/g, '').toLowerCase();
    const wanted = squash(key);
    let best: string | undefined;
    // No field name is longer than this: a longer key suggests nothing, and costs nothing to compare.
    if (wanted.length > 80) return `unknown field '${key.slice(0, 80)}...' (${type.fullName.slice(1)} has no such field)`;
    let bestScore = Infinity;
    for (const [candidate, field] of byKey) {
      const other = squash(candidate);
      const distance = editDistance(wanted, other);
      // A close spelling, or the known name with a word left off or added (`pass_through` for `pass_through_mode`).
      const score = distance <= 2 ? distance : wanted.length >= 4 && (other.startsWith(wanted) || wanted.startsWith(other)) ? 3 : Infinity;
      if (score < bestScore) {
        bestScore = score;
        best = field.name;
      }
    }
    return `unknown field '${key}' (${type.fullName.slice(1)} has no such field${best ? `; did you mean '${best}'?` : ''})`;
  }

  private deprecation(field: protobuf.Field, path: string): void {
    const options = (field.options ?? {}) as Record<string, unknown>;
    if (options.deprecated !== true) return;
    if (options['(envoy.annotations.disallowed_by_default)'] === true) {
      this.error(path, `'${field.name}' is deprecated and disallowed by default`);
      return;
    }
    const since = options['(envoy.annotations.deprecated_at_minor_version)'];
    this.warning(path, `'${field.name}' is deprecated${typeof since === 'string' ? ` (since ${since})` : ''}`);
  }

  private fieldValue(field: protobuf.Field, value: unknown, path: string): void {
    const rules = optionsOf(field)['(validate.rules)'] as Rules | undefined;
    if (field.map) {
      this.map(field as unknown as protobuf.MapField, value, path, rules);
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        this.error(path, `expected an array (repeated ${this.typeLabel(field)}), got ${describe(value)}`);
        return;
      }
      this.repeatedRules(value.length, rules, path);
      value.forEach((element, i) => {
        const elementPath = `${path}[${i}]`;
        if (element === null) {
          this.error(elementPath, `null is not allowed in a repeated field (${this.typeLabel(field)})`);
          return;
        }
        this.singular(field, element, elementPath, rules?.repeated?.items);
      });
      return;
    }
    this.singular(field, value, path, rules);
  }

  private typeLabel(field: protobuf.FieldBase): string {
    const resolved = field.resolve().resolvedType;
    return resolved ? resolved.fullName.slice(1) : field.type;
  }

  private map(field: protobuf.MapField, value: unknown, path: string, rules: Rules | undefined): void {
    if (!isPlainObject(value)) {
      this.error(path, `expected an object (map<${field.keyType}, ${this.typeLabel(field)}>), got ${describe(value)}`);
      return;
    }
    const entries = Object.entries(value);
    if (typeof rules?.map?.min_pairs === 'number' && entries.length < rules.map.min_pairs) {
      this.error(path, `must have at least ${rules.map.min_pairs} entries`);
    }
    for (const [key, entry] of entries) {
      const entryPath = fieldPath(path, key);
      if (field.keyType === 'bool') {
        if (key !== 'true' && key !== 'false') this.error(entryPath, `map key '${key}' is not a bool ("true" or "false")`);
      } else if (field.keyType !== 'string') {
        this.scalar(field.keyType, key, entryPath, undefined, 'map key ');
      }
      if (entry === null) {
        this.error(entryPath, `null is not allowed as a map value (${this.typeLabel(field)})`);
        continue;
      }
      this.singular(field, entry, entryPath, rules?.map?.values);
    }
  }

  /** One (non-repeated) value of the field's type. */
  private singular(field: protobuf.FieldBase, value: unknown, path: string, rules: Rules | undefined): void {
    const resolved = field.resolve().resolvedType;
    if (resolved instanceof protobuf.Type) {
      this.message(resolved, value, path);
      this.messageRules(resolved, value, path, rules);
    } else if (resolved instanceof protobuf.Enum) {
      this.enumValue(resolved, value, path, rules?.enum);
    } else {
      this.scalar(field.type, value, path, rules?.[field.type]);
    }
  }

  private enumValue(type: protobuf.Enum, value: unknown, path: string, rules: Rules | undefined): void {
    const label = type.fullName.slice(1);
    let number: number;
    if (typeof value === 'string') {
      if (!(value in type.values)) {
        const names = Object.keys(type.values);
        const shown = names.length > 12 ? [...names.slice(0, 12), '…'] : names;
        this.error(path, `unknown value '${value}' for enum ${label} (expected one of ${shown.join(', ')})`);
        return;
      }
      number = type.values[value];
      const valueOptions = (type.valuesOptions?.[value] ?? {}) as Record<string, unknown>;
      if (valueOptions.deprecated === true) {
        if (valueOptions['(envoy.annotations.disallowed_by_default_enum)'] === true) {
          this.error(path, `enum value '${value}' is deprecated and disallowed by default`);
        } else {
          this.warning(path, `enum value '${value}' is deprecated`);
        }
      }
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      number = value;
      if (rules?.defined_only === true && !Object.values(type.values).includes(value)) {
        this.error(path, `${value} is not a defined value of enum ${label}`);
        return;
      }
    } else {
      this.error(path, `expected an enum value name of ${label} (a string), got ${describe(value)}`);
      return;
    }
    if (Array.isArray(rules?.not_in) && rules.not_in.includes(number)) {
      this.error(path, `value '${value}' is not allowed here`);
    }
    if (Array.isArray(rules?.in) && !rules.in.includes(number)) {
      this.error(path, `value '${value}' is not allowed here`);
    }
  }

  /** A scalar; checks the type, and the PGV rules for it (`rules` is e.g. the `uint32` rule set). */
  private scalar(type: string, value: unknown, path: string, rules: Rules | undefined, prefix = ''): void {
    const range = INT_RANGES[type];
    if (range) {
      let integer: bigint;
      if (typeof value === 'number' && Number.isInteger(value)) integer = BigInt(value);
      else if (typeof value === 'string' && /^-?\d+$/.test(value)) integer = BigInt(value);
      else {
        this.error(path, `${prefix}expected an integer (${type}), got ${describe(value)}`);
        return;
      }
      if (integer < range[0] || integer > range[1]) {
        this.error(path, `${prefix}${integer} is out of range for ${type} (${range[0]} to ${range[1]})`);
        return;
      }
      this.numericRules(Number(integer), path, rules);
      return;
    }
    switch (type) {
      case 'double':
      case 'float': {
        let number: number;
        if (typeof value === 'number') number = value;
        else if (typeof value === 'string' && (/^(NaN|-?Infinity)$/.test(value) || (value.trim() !== '' && !isNaN(Number(value))))) {
          number = Number(value);
        } else {
          this.error(path, `${prefix}expected a number (${type}), got ${describe(value)}`);
          return;
        }
        this.numericRules(number, path, rules);
        return;
      }
      case 'bool':
        if (typeof value !== 'boolean') this.error(path, `${prefix}expected a boolean, got ${describe(value)}`);
        return;
      case 'string':
        if (typeof value !== 'string') {
          this.error(path, `${prefix}expected a string, got ${describe(value)}`);
          return;
        }
        this.stringRules(value, path, rules);
        return;
      case 'bytes':
        if (typeof value !== 'string' || !BASE64.test(value)) {
          this.error(path, `${prefix}expected base64-encoded bytes (a string), got ${describe(value)}`);
          return;
        }
        this.bytesRules(Buffer.from(value, 'base64').length, path, rules);
        return;
      default:
        this.error(path, `${prefix}unsupported field type '${type}'`);
    }
  }

  // --- well-known types -------------------------------------------------------------------

  /** Returns true when `type` is a well-known type with its own JSON form (and was checked). */
  private wellKnown(type: protobuf.Type, value: unknown, path: string): boolean {
    const name = type.fullName;
    const wrapped = WRAPPERS[name];
    if (wrapped) {
      this.scalar(wrapped, value, path, undefined);
      return true;
    }
    switch (name) {
      case '.google.protobuf.Duration': {
        if (typeof value !== 'string') {
          this.error(path, `expected a duration string such as "5s" or "0.250s", got ${describe(value)}`);
          return true;
        }
        const nanos = durationNanos(value);
        if (nanos === undefined) {
          this.error(path, `invalid duration ${JSON.stringify(value)}: expected seconds with an 's' suffix, such as "5s" or "0.250s"`);
        } else if ((nanos < 0n ? -nanos : nanos) > MAX_DURATION_SECONDS * 1_000_000_000n) {
          this.error(path, `duration ${JSON.stringify(value)} is out of range (at most ${MAX_DURATION_SECONDS}s)`);
        }
        return true;
      }
      case '.google.protobuf.Timestamp':
        if (typeof value !== 'string' || !TIMESTAMP.test(value) || isNaN(Date.parse(value))) {
          this.error(path, `expected an RFC 3339 timestamp such as "2024-01-01T00:00:00Z", got ${describe(value)}`);
        }
        return true;
      case '.google.protobuf.FieldMask':
        if (typeof value !== 'string') this.error(path, `expected a field mask (a comma-separated string), got ${describe(value)}`);
        return true;
      case '.google.protobuf.Struct':
        if (!isPlainObject(value)) this.error(path, `expected an object (google.protobuf.Struct), got ${describe(value)}`);
        return true;
      case '.google.protobuf.ListValue':
        if (!Array.isArray(value)) this.error(path, `expected an array (google.protobuf.ListValue), got ${describe(value)}`);
        return true;
      case '.google.protobuf.Value':
        return true;
      case '.google.protobuf.Empty':
        if (!isPlainObject(value)) this.error(path, `expected an empty object, got ${describe(value)}`);
        else for (const key of Object.keys(value)) this.error(fieldPath(path, key), `unknown field '${key}' (google.protobuf.Empty has no fields)`);
        return true;
      case '.google.protobuf.Any':
        this.any(value, path);
        return true;
      default:
        return false;
    }
  }

  private resolveTypeUrl(url: unknown, path: string): protobuf.Type | undefined {
    if (typeof url !== 'string') {
      this.error(path, `expected a type URL string such as "type.googleapis.com/envoy.config.cluster.v3.Cluster", got ${describe(url)}`);
      return undefined;
    }
    const slash = url.lastIndexOf('/');
    const name = url.slice(slash + 1);
    const type = slash > 0 && name !== '' ? lookupMessage(this.root, name) : undefined;
    if (!type) {
      this.error(
        path,
        slash <= 0
          ? `invalid type URL '${url}': expected "type.googleapis.com/<full message name>"`
          : `cannot resolve type '${url}': no message '${name}' in Envoy's v3 API`,
      );
    }
    return type;
  }

  private any(value: unknown, path: string): void {
    if (!isPlainObject(value)) {
      this.error(path, `expected an object with '@type' (google.protobuf.Any), got ${describe(value)}`);
      return;
    }
    if (!('@type' in value)) {
      this.error(path, `'@type' is required in a google.protobuf.Any (e.g. "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router")`);
      return;
    }
    const type = this.resolveTypeUrl(value['@type'], fieldPath(path, '@type'));
    if (!type) return;
    const { '@type': _ignored, ...rest } = value;
    const name = type.fullName;
    if (name === '.xds.type.v3.TypedStruct' || name === '.udpa.type.v1.TypedStruct') {
      this.typedStruct(type, rest, path);
      return;
    }
    const special = name in WRAPPERS || (name.startsWith('.google.protobuf.') && name !== '.google.protobuf.Empty' && this.hasSpecialJson(name));
    if (special) {
      // Well-known types with a non-object JSON form travel in an Any as {"@type", "value"}.
      for (const key of Object.keys(rest)) {
        if (key !== 'value') this.error(fieldPath(path, key), `unknown field '${key}' (an Any holding ${name.slice(1)} has only '@type' and 'value')`);
      }
      if (!('value' in rest)) this.error(path, `'value' is required in an Any holding ${name.slice(1)}`);
      else this.message(type, rest.value, fieldPath(path, 'value'));
      return;
    }
    this.message(type, rest, path);
  }

  private hasSpecialJson(name: string): boolean {
    return [
      '.google.protobuf.Duration',
      '.google.protobuf.Timestamp',
      '.google.protobuf.FieldMask',
      '.google.protobuf.Struct',
      '.google.protobuf.ListValue',
      '.google.protobuf.Value',
      '.google.protobuf.Any',
    ].includes(name);
  }

  /** Envoy unpacks a TypedStruct into the message its `type_url` names: check it as that. */
  private typedStruct(type: protobuf.Type, rest: Record<string, unknown>, path: string): void {
    this.message(type, rest, path);
    const url = rest.type_url ?? rest.typeUrl;
    const inner = typeof url === 'string' ? this.resolveTypeUrl(url, fieldPath(path, 'type_url')) : undefined;
    if (inner && isPlainObject(rest.value)) this.message(inner, rest.value, fieldPath(path, 'value'));
  }

  // --- protoc-gen-validate rules ----------------------------------------------------------

  private absentRules(field: protobuf.Field, rules: Rules, path: string): void {
    if (field.partOf && !field.partOf.name.startsWith('_')) return; // oneof members are checked only when set
    if (field.map) {
      if (typeof rules.map?.min_pairs === 'number' && rules.map.min_pairs > 0 && rules.map.ignore_empty !== true) {
        this.error(path, `required: must have at least ${rules.map.min_pairs} entries`);
      }
      return;
    }
    if (field.repeated) {
      if (typeof rules.repeated?.min_items === 'number' && rules.repeated.min_items > 0 && rules.repeated.ignore_empty !== true) {
        this.error(path, `required: must have at least ${rules.repeated.min_items} items`);
      }
      return;
    }
    const resolved = field.resolve().resolvedType;
    if (resolved instanceof protobuf.Type) {
      if (rules.message?.required === true || rules.duration?.required === true || rules.timestamp?.required === true || rules.any?.required === true) {
        this.error(path, `'${field.name}' is required (${resolved.fullName.slice(1)})`);
      }
      return;
    }
    if (resolved instanceof protobuf.Enum) {
      this.enumValue(resolved, 0, path, rules.enum);
      return;
    }
    // Scalars: PGV checks proto3's default value too.
    const scalarRules = rules[field.type] as Rules | undefined;
    if (!scalarRules || scalarRules.ignore_empty === true) return;
    const before = this.problems.length;
    if (field.type === 'string') this.stringRules('', path, scalarRules);
    else if (field.type === 'bytes') this.bytesRules(0, path, scalarRules);
    else if (field.type !== 'bool') this.numericRules(0, path, scalarRules);
    for (let i = before; i < this.problems.length; i++) {
      const problem = this.problems[i];
      this.problems[i] = { ...problem, message: `'${field.name}' is not set, and its default ${problem.message.replace(/^value /, '')}` };
    }
  }

  private repeatedRules(length: number, rules: Rules | undefined, path: string): void {
    const repeated = rules?.repeated;
    if (!repeated || (repeated.ignore_empty === true && length === 0)) return;
    if (typeof repeated.min_items === 'number' && length < repeated.min_items) {
      this.error(path, `must have at least ${repeated.min_items} items, has ${length}`);
    }
    if (typeof repeated.max_items === 'number' && length > repeated.max_items) {
      this.error(path, `must have at most ${repeated.max_items} items, has ${length}`);
    }
  }

  private messageRules(type: protobuf.Type, value: unknown, path: string, rules: Rules | undefined): void {
    if (!rules) return;
    const wrapped = WRAPPERS[type.fullName];
    if (wrapped && wrapped !== 'bool') {
      // PGV applies the wrapped scalar's rules (e.g. `uint32: {gte: 1}`) to a wrapper's value.
      const scalarRules = rules[wrapped] as Rules | undefined;
      if (!scalarRules) return;
      if (wrapped === 'string' && typeof value === 'string') this.stringRules(value, path, scalarRules);
      else if (wrapped !== 'string' && wrapped !== 'bytes' && (typeof value === 'number' || typeof value === 'string')) {
        const number = Number(value);
        if (!isNaN(number)) this.numericRules(number, path, scalarRules);
      }
      return;
    }
    if (type.fullName === '.google.protobuf.Duration' && rules.duration) {
      const nanos = durationNanos(value);
      if (nanos !== undefined) this.durationRules(nanos, path, rules.duration);
    }
  }

  private durationRules(nanos: bigint, path: string, rules: Rules): void {
    const bound = (key: string): bigint | undefined => (rules[key] === undefined ? undefined : durationNanos(rules[key]));
    const shown = formatNanos(nanos);
    const gt = bound('gt');
    const gte = bound('gte');
    const lt = bound('lt');
    const lte = bound('lte');
    if (gt !== undefined && !(nanos > gt)) this.error(path, `duration ${shown} must be greater than ${formatNanos(gt)}`);
    if (gte !== undefined && !(nanos >= gte)) this.error(path, `duration ${shown} must be at least ${formatNanos(gte)}`);
    if (lt !== undefined && !(nanos < lt)) this.error(path, `duration ${shown} must be less than ${formatNanos(lt)}`);
    if (lte !== undefined && !(nanos <= lte)) this.error(path, `duration ${shown} must be at most ${formatNanos(lte)}`);
  }

  private numericRules(value: number, path: string, rules: Rules | undefined): void {
    if (!rules) return;
    const num = (key: string): number | undefined => (rules[key] === undefined ? undefined : Number(rules[key]));
    const gt = num('gt');
    const gte = num('gte');
    const lt = num('lt');
    const lte = num('lte');
    const konst = num('const');
    // PGV: gt/gte above lt/lte means "outside the range".
    const exclusive = (gt !== undefined || gte !== undefined) && (lt !== undefined || lte !== undefined) && (gt ?? gte)! > (lt ?? lte)!;
    const above = gt !== undefined ? value > gt : gte !== undefined ? value >= gte : true;
    const below = lt !== undefined ? value < lt : lte !== undefined ? value <= lte : true;
    const describeBound = (): string =>
      [gt !== undefined ? `greater than ${gt}` : gte !== undefined ? `at least ${gte}` : '', lt !== undefined ? `less than ${lt}` : lte !== undefined ? `at most ${lte}` : '']
        .filter(Boolean)
        .join(exclusive ? ' or ' : ' and ');
    if (exclusive ? !(above || below) : !(above && below)) this.error(path, `value ${value} must be ${describeBound()}`);
    if (konst !== undefined && value !== konst) this.error(path, `value ${value} must equal ${konst}`);
    if (Array.isArray(rules.in) && rules.in.length > 0 && !rules.in.map(Number).includes(value)) {
      this.error(path, `value ${value} must be one of ${rules.in.join(', ')}`);
    }
    if (Array.isArray(rules.not_in) && rules.not_in.map(Number).includes(value)) {
      this.error(path, `value ${value} must not be one of ${rules.not_in.join(', ')}`);
    }
  }

  private stringRules(value: string, path: string, rules: Rules | undefined): void {
    if (!rules || (rules.ignore_empty === true && value === '')) return;
    const characters = [...value].length;
    const bytes = Buffer.byteLength(value, 'utf8');
    const num = (key: string): number | undefined => (rules[key] === undefined ? undefined : Number(rules[key]));
    const minLen = num('min_len');
    const maxLen = num('max_len');
    const minBytes = num('min_bytes');
    const maxBytes = num('max_bytes');
    if (minLen !== undefined && characters < minLen) this.error(path, `value must be at least ${minLen} characters long`);
    if (maxLen !== undefined && characters > maxLen) this.error(path, `value must be at most ${maxLen} characters long`);
    if (minBytes !== undefined && bytes < minBytes) this.error(path, `value must be at least ${minBytes} bytes long`);
    if (maxBytes !== undefined && bytes > maxBytes) this.error(path, `value must be at most ${maxBytes} bytes long`);
    if (typeof rules.prefix === 'string' && !value.startsWith(rules.prefix)) this.error(path, `value must start with '${rules.prefix}'`);
    if (Array.isArray(rules.in) && rules.in.length > 0 && !rules.in.includes(value)) {
      this.error(path, `value '${value}' must be one of ${rules.in.map((v: string) => `'${v}'`).join(', ')}`);
    }
    if (typeof rules.pattern === 'string') {
      const pattern = compilePattern(rules.pattern);
      if (pattern && !pattern.test(value)) this.error(path, `value ${JSON.stringify(value)} does not match the pattern ${rules.pattern}`);
    }
  }

  private bytesRules(length: number, path: string, rules: Rules | undefined): void {
    if (!rules || (rules.ignore_empty === true && length === 0)) return;
    if (rules.min_len !== undefined && length < Number(rules.min_len)) this.error(path, `value must be at least ${rules.min_len} bytes long`);
    if (rules.max_len !== undefined && length > Number(rules.max_len)) this.error(path, `value must be at most ${rules.max_len} bytes long`);
  }
}

const patterns = new Map<string, RegExp | null>();

/** PGV patterns are RE2; the ones JavaScript can't compile the same way are skipped, not guessed. */
function compilePattern(source: string): RegExp | null {
  if (!patterns.has(source)) {
    let compiled: RegExp | null;
    try {
      compiled = new RegExp(source, 'u');
    } catch {
      compiled = null;
    }
    patterns.set(source, compiled);
  }
  return patterns.get(source)!;
}
