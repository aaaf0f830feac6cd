import * as protobuf from 'protobufjs';
import type { EnvoyProblem } from './envoy-problem';
import { BASE64, describe, durationNanos, INT_RANGES, isPlainObject, MAX_DURATION_SECONDS, SPECIAL_JSON_TYPES, TIMESTAMP, WRAPPERS } from './proto-json-values';
import {
  absentFieldViolations, bytesViolations, enumViolations, fieldRules, mapViolations, messageViolations, numericViolations, optionsOf,
  repeatedViolations, Rules, stringViolations,
} from './validation-rules';

/**
 * The strict walk of a JSON value over Envoy's API descriptors, as Envoy parses a config: the
 * proto3 JSON mapping with unknown fields rejected, oneofs exclusive, every `@type` resolved and
 * walked as its type, deprecated fields flagged, and each value held to its validation rules.
 */

/** The message type named `name` (with or without the leading dot), if the API has one. */
export function lookupMessage(root: protobuf.Root, name: string): protobuf.Type | undefined {
  const full = name.startsWith('.') ? name : `.${name}`;
  try {
    const found = root.lookup(full);
    return found instanceof protobuf.Type ? found : undefined;
  } catch {
    return undefined;
  }
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

/** Walks one value and collects its problems; one walker per validation. */
export class Walker {
  readonly problems: EnvoyProblem[] = [];
  private static readonly indexes = new WeakMap<protobuf.Type, FieldIndex>();

  constructor(private readonly root: protobuf.Root) {}

  error(path: string, message: string): void {
    this.problems.push({ path, message, severity: 'error' });
  }

  private errors(path: string, messages: readonly string[]): void {
    for (const message of messages) this.error(path, message);
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
      const rules = fieldRules(field);
      if (!rules) continue;
      this.errors(fieldPath(path, key ?? field.name), absentFieldViolations(field, rules));
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
    const rules = fieldRules(field);
    if (field.map) {
      this.map(field as unknown as protobuf.MapField, value, path, rules);
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        this.error(path, `expected an array (repeated ${this.typeLabel(field)}), got ${describe(value)}`);
        return;
      }
      this.errors(path, repeatedViolations(value.length, rules));
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
    this.errors(path, mapViolations(entries.length, rules));
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
      this.errors(path, messageViolations(resolved, value, rules));
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
    } else {
      this.error(path, `expected an enum value name of ${label} (a string), got ${describe(value)}`);
      return;
    }
    this.errors(path, enumViolations(type, number, value, rules));
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
      this.errors(path, numericViolations(Number(integer), rules));
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
        this.errors(path, numericViolations(number, rules));
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
        this.errors(path, stringViolations(value, rules));
        return;
      case 'bytes':
        if (typeof value !== 'string' || !BASE64.test(value)) {
          this.error(path, `${prefix}expected base64-encoded bytes (a string), got ${describe(value)}`);
          return;
        }
        this.errors(path, bytesViolations(Buffer.from(value, 'base64').length, rules));
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
    const special = name in WRAPPERS || SPECIAL_JSON_TYPES.includes(name);
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

  /** Envoy unpacks a TypedStruct into the message its `type_url` names: check it as that. */
  private typedStruct(type: protobuf.Type, rest: Record<string, unknown>, path: string): void {
    this.message(type, rest, path);
    const url = rest.type_url ?? rest.typeUrl;
    const inner = typeof url === 'string' ? this.resolveTypeUrl(url, fieldPath(path, 'type_url')) : undefined;
    if (inner && isPlainObject(rest.value)) this.message(inner, rest.value, fieldPath(path, 'value'));
  }
}
