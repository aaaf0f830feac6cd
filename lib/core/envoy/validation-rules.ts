import * as protobuf from 'protobufjs';
import { durationNanos, formatNanos, isPlainObject, WRAPPERS } from './proto-json-values';

/**
 * The protoc-gen-validate rules (`(validate.rules)`) Envoy enforces after parsing a config: bounds,
 * lengths, patterns, required fields, each checked on a value already of the right type. Each check
 * returns the messages of the rules the value breaks.
 * @see https://github.com/bufbuild/protoc-gen-validate#constraint-rules
 */

/** The `(validate.rules)` of a field, merged from protobufjs's parsed options. */
export type Rules = Record<string, any>;

/** The options of a field or oneof, with protobufjs's per-option entries merged into one object. */
export function optionsOf(element: protobuf.ReflectionObject): Rules {
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

/** The `(validate.rules)` of a field, if it has any. */
export function fieldRules(field: protobuf.ReflectionObject): Rules | undefined {
  return optionsOf(field)['(validate.rules)'] as Rules | undefined;
}

/**
 * The rules a field breaks by being absent: `required`, minimum counts, and the scalar rules,
 * which PGV checks against the default value too (`name` with min_len 1 must be given).
 */
export function absentFieldViolations(field: protobuf.Field, rules: Rules): string[] {
  if (field.partOf && !field.partOf.name.startsWith('_')) return []; // oneof members are checked only when set
  if (field.map) {
    const required = typeof rules.map?.min_pairs === 'number' && rules.map.min_pairs > 0 && rules.map.ignore_empty !== true;
    return required ? [`required: must have at least ${rules.map.min_pairs} entries`] : [];
  }
  if (field.repeated) {
    const required = typeof rules.repeated?.min_items === 'number' && rules.repeated.min_items > 0 && rules.repeated.ignore_empty !== true;
    return required ? [`required: must have at least ${rules.repeated.min_items} items`] : [];
  }
  const resolved = field.resolve().resolvedType;
  if (resolved instanceof protobuf.Type) {
    const required = rules.message?.required === true || rules.duration?.required === true || rules.timestamp?.required === true || rules.any?.required === true;
    return required ? [`'${field.name}' is required (${resolved.fullName.slice(1)})`] : [];
  }
  if (resolved instanceof protobuf.Enum) return enumViolations(resolved, 0, 0, rules.enum);
  const scalarRules = rules[field.type] as Rules | undefined;
  if (!scalarRules || scalarRules.ignore_empty === true) return [];
  const messages = field.type === 'string' ? stringViolations('', scalarRules)
    : field.type === 'bytes' ? bytesViolations(0, scalarRules)
      : field.type !== 'bool' ? numericViolations(0, scalarRules) : [];
  return messages.map((message) => `'${field.name}' is not set, and its default ${message.replace(/^value /, '')}`);
}

/** An enum value (its number; `shown` as written) against `defined_only`, `in` and `not_in`. */
export function enumViolations(type: protobuf.Enum, number: number, shown: unknown, rules: Rules | undefined): string[] {
  if (rules?.defined_only === true && !Object.values(type.values).includes(number)) {
    return [`${number} is not a defined value of enum ${type.fullName.slice(1)}`];
  }
  const messages: string[] = [];
  if (Array.isArray(rules?.not_in) && rules.not_in.includes(number)) messages.push(`value '${shown}' is not allowed here`);
  if (Array.isArray(rules?.in) && !rules.in.includes(number)) messages.push(`value '${shown}' is not allowed here`);
  return messages;
}

/** The item counts of a repeated field. */
export function repeatedViolations(length: number, rules: Rules | undefined): string[] {
  const repeated = rules?.repeated;
  if (!repeated || (repeated.ignore_empty === true && length === 0)) return [];
  const messages: string[] = [];
  if (typeof repeated.min_items === 'number' && length < repeated.min_items) messages.push(`must have at least ${repeated.min_items} items, has ${length}`);
  if (typeof repeated.max_items === 'number' && length > repeated.max_items) messages.push(`must have at most ${repeated.max_items} items, has ${length}`);
  return messages;
}

/** The entry count of a map field. */
export function mapViolations(entries: number, rules: Rules | undefined): string[] {
  return typeof rules?.map?.min_pairs === 'number' && entries < rules.map.min_pairs ? [`must have at least ${rules.map.min_pairs} entries`] : [];
}

/** The rules of a message-typed value: a wrapper's scalar rules, a duration's bounds. */
export function messageViolations(type: protobuf.Type, value: unknown, rules: Rules | undefined): string[] {
  if (!rules) return [];
  const wrapped = WRAPPERS[type.fullName];
  if (wrapped && wrapped !== 'bool') {
    // PGV applies the wrapped scalar's rules (e.g. `uint32: {gte: 1}`) to a wrapper's value.
    const scalarRules = rules[wrapped] as Rules | undefined;
    if (!scalarRules) return [];
    if (wrapped === 'string' && typeof value === 'string') return stringViolations(value, scalarRules);
    if (wrapped !== 'string' && wrapped !== 'bytes' && (typeof value === 'number' || typeof value === 'string')) {
      const number = Number(value);
      if (!isNaN(number)) return numericViolations(number, scalarRules);
    }
    return [];
  }
  if (type.fullName === '.google.protobuf.Duration' && rules.duration) {
    const nanos = durationNanos(value);
    if (nanos !== undefined) return durationViolations(nanos, rules.duration);
  }
  return [];
}

function durationViolations(nanos: bigint, rules: Rules): string[] {
  const bound = (key: string): bigint | undefined => (rules[key] === undefined ? undefined : durationNanos(rules[key]));
  const shown = formatNanos(nanos);
  const gt = bound('gt');
  const gte = bound('gte');
  const lt = bound('lt');
  const lte = bound('lte');
  const messages: string[] = [];
  if (gt !== undefined && !(nanos > gt)) messages.push(`duration ${shown} must be greater than ${formatNanos(gt)}`);
  if (gte !== undefined && !(nanos >= gte)) messages.push(`duration ${shown} must be at least ${formatNanos(gte)}`);
  if (lt !== undefined && !(nanos < lt)) messages.push(`duration ${shown} must be less than ${formatNanos(lt)}`);
  if (lte !== undefined && !(nanos <= lte)) messages.push(`duration ${shown} must be at most ${formatNanos(lte)}`);
  return messages;
}

/** A number against its bounds, `const`, `in` and `not_in`. */
export function numericViolations(value: number, rules: Rules | undefined): string[] {
  if (!rules) return [];
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
  const messages: string[] = [];
  if (exclusive ? !(above || below) : !(above && below)) messages.push(`value ${value} must be ${describeBound()}`);
  if (konst !== undefined && value !== konst) messages.push(`value ${value} must equal ${konst}`);
  if (Array.isArray(rules.in) && rules.in.length > 0 && !rules.in.map(Number).includes(value)) {
    messages.push(`value ${value} must be one of ${rules.in.join(', ')}`);
  }
  if (Array.isArray(rules.not_in) && rules.not_in.map(Number).includes(value)) {
    messages.push(`value ${value} must not be one of ${rules.not_in.join(', ')}`);
  }
  return messages;
}

/** A string against its lengths (in characters and bytes), prefix, `in` and pattern. */
export function stringViolations(value: string, rules: Rules | undefined): string[] {
  if (!rules || (rules.ignore_empty === true && value === '')) return [];
  const characters = [...value].length;
  const bytes = Buffer.byteLength(value, 'utf8');
  const num = (key: string): number | undefined => (rules[key] === undefined ? undefined : Number(rules[key]));
  const minLen = num('min_len');
  const maxLen = num('max_len');
  const minBytes = num('min_bytes');
  const maxBytes = num('max_bytes');
  const messages: string[] = [];
  if (minLen !== undefined && characters < minLen) messages.push(`value must be at least ${minLen} characters long`);
  if (maxLen !== undefined && characters > maxLen) messages.push(`value must be at most ${maxLen} characters long`);
  if (minBytes !== undefined && bytes < minBytes) messages.push(`value must be at least ${minBytes} bytes long`);
  if (maxBytes !== undefined && bytes > maxBytes) messages.push(`value must be at most ${maxBytes} bytes long`);
  if (typeof rules.prefix === 'string' && !value.startsWith(rules.prefix)) messages.push(`value must start with '${rules.prefix}'`);
  if (Array.isArray(rules.in) && rules.in.length > 0 && !rules.in.includes(value)) {
    messages.push(`value '${value}' must be one of ${rules.in.map((v: string) => `'${v}'`).join(', ')}`);
  }
  if (typeof rules.pattern === 'string') {
    const pattern = compilePattern(rules.pattern);
    if (pattern && !pattern.test(value)) messages.push(`value ${JSON.stringify(value)} does not match the pattern ${rules.pattern}`);
  }
  return messages;
}

/** A bytes value's length (decoded) against `min_len` and `max_len`. */
export function bytesViolations(length: number, rules: Rules | undefined): string[] {
  if (!rules || (rules.ignore_empty === true && length === 0)) return [];
  const messages: string[] = [];
  if (rules.min_len !== undefined && length < Number(rules.min_len)) messages.push(`value must be at least ${rules.min_len} bytes long`);
  if (rules.max_len !== undefined && length > Number(rules.max_len)) messages.push(`value must be at most ${rules.max_len} bytes long`);
  return messages;
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
