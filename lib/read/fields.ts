import { Finding } from '../core/finding';
import { DEFAULT_NAMESPACE, ObjectRef } from '../core/object-ref';

/**
 * Defensive access to objects read from manifests. Manifests come from anywhere (Helm output,
 * hand-written YAML, a typo in a value file), so every field may be missing, of the wrong type or
 * absurd; the reader never throws on them. A field present with the wrong type is reported once,
 * as a `schema` finding naming the object and the field, and read as absent.
 */

/** A plain JSON object, or undefined. */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  // Array.from turns the holes of a sparse array into undefined, which every() and some() would skip.
  return Array.isArray(value) ? Array.from(value) : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads `a.b.c` without throwing. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isObject(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

/** String → string map (labels, selectors, annotations); non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string') result[key] = entry;
    else if (typeof entry === 'number' || typeof entry === 'boolean') result[key] = String(entry);
  }
  return result;
}

/**
 * Collects `schema` findings for one object while its fields are read, so that a bad value is
 * named with the object and the field, and is then treated as absent (the default applies).
 */
export class FieldReader {
  private readonly reported = new Set<string>();

  public constructor(public readonly ref: string, private readonly findings: Finding[]) {}

  /** A non-negative integer-ish number field (Kubernetes int32/int64 seconds, counts). */
  public count(value: unknown, field: string, bounds: { min?: number; max?: number } = {}): number | undefined {
    if (value === undefined || value === null) return undefined;
    let number: number | undefined;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) number = Number(value);
    if (number === undefined || !Number.isFinite(number)) {
      this.invalid(field, value, 'a number');
      return undefined;
    }
    const min = bounds.min ?? 0;
    if (number < min || (bounds.max !== undefined && number > bounds.max)) {
      this.invalid(field, value, bounds.max !== undefined ? `between ${min} and ${bounds.max}` : `at least ${min}`);
      return undefined;
    }
    return number;
  }

  /** An int-or-percent field (maxSurge, maxUnavailable, minAvailable). */
  public intOrPercent(value: unknown, field: string): number | string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    if (typeof value === 'string' && /^\d+(\.\d+)?%$/.test(value.trim())) return value.trim();
    if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
    this.invalid(field, value, 'a number or a percentage');
    return undefined;
  }

  public string(value: unknown, field: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    this.invalid(field, value, 'a string');
    return undefined;
  }

  public boolean(value: unknown, field: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.invalid(field, value, 'true or false');
    return undefined;
  }

  public object(value: unknown, field: string): Json | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObject(value)) return value;
    this.invalid(field, value, 'an object');
    return undefined;
  }

  public array(value: unknown, field: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.invalid(field, value, 'a list');
    return [];
  }

  /** Reports a value that is present but unusable. */
  public invalid(field: string, value: unknown, expected: string, rule = 'invalid-field'): void {
    const key = `${rule}:${field}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.findings.push({
      rule,
      category: 'schema',
      severity: 'error',
      objects: [this.ref],
      message: `${field} of ${this.ref} is ${describeValue(value)}, which is not ${expected}; hitless read it as absent.`,
      fix: `set ${field} of ${this.ref} to ${expected}`,
    });
  }
}

/** A short, safe rendering of any value for messages (never the whole of a huge value). */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text === undefined) text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Protobuf JSON durations as Envoy and Gloo write them (`"5s"`, `"0.25s"`, `"1m"` in Gloo's Go
 * durations, `{seconds, nanos}` in YAML written by hand), in seconds.
 */
export function parseDurationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (isObject(value)) {
    const seconds = Number(value.seconds ?? 0);
    const nanos = Number(value.nanos ?? 0);
    const total = seconds + nanos / 1e9;
    return Number.isFinite(total) && total >= 0 ? total : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // Go durations: a sequence of number+unit (1m30s, 500ms, 2h).
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const amount = Number(match[1]);
    const unit = match[2];
    const factor = unit === 'h' ? 3600 : unit === 'm' ? 60 : unit === 's' ? 1 : unit === 'ms' ? 1e-3 : unit === 'ns' ? 1e-9 : 1e-6;
    total += amount * factor;
    matched = pattern.lastIndex;
  }
  if (matched !== text.length || matched === 0) return undefined;
  return Number.isFinite(total) ? total : undefined;
}

/**
 * The reference of a manifest object by its metadata: a missing namespace is `default`, as kubectl
 * applies it; a missing name reads as `(unnamed)` so that findings can still point at the object.
 */
export function metadataRef(object: Json, kind: string = asString(object.kind) ?? 'Object'): ObjectRef {
  return { kind, namespace: asString(at(object, 'metadata', 'namespace')) ?? DEFAULT_NAMESPACE, name: asString(at(object, 'metadata', 'name')) ?? '(unnamed)' };
}

/** Protobuf wrappers arrive as numbers, numeric strings or `{value: n}`. */
export function numberOr(value: unknown, fallback: number): number {
  const raw = isObject(value) ? value.value : value;
  const number = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isFinite(number) && number >= 0 ? number : fallback;
}

/** A comma-separated list (Envoy's `retry_on`), or a list of strings, trimmed. */
export function splitList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((each): each is string => typeof each === 'string').map((each) => each.trim()).filter(Boolean);
  if (typeof value !== 'string') return [];
  return value.split(',').map((each) => each.trim()).filter(Boolean);
}

/** The API group of an object (`networking.k8s.io` of `networking.k8s.io/v1`; a core `v1` object gives `v1`, which no group is named). */
export function apiGroup(object: Json): string {
  return (asString(object.apiVersion) ?? '').split('/')[0];
}
