/**
 * The proto3 JSON forms of scalar and well-known values, as Envoy parses them: integer ranges,
 * wrapper types, durations, timestamps and bytes.
 * @see https://protobuf.dev/programming-guides/proto3/#json
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a message names it: `a string ("x")`, `an array`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value === 'number') return `a number (${value})`;
  if (typeof value === 'boolean') return `a boolean (${value})`;
  return typeof value;
}

export const INT_RANGES: Record<string, [bigint, bigint]> = {
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

/** The wrapper types, by full name, and the scalar each wraps. */
export const WRAPPERS: Record<string, string> = {
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

/** Well-known types whose JSON form is not an object of their fields. */
export const SPECIAL_JSON_TYPES: readonly string[] = [
  '.google.protobuf.Duration',
  '.google.protobuf.Timestamp',
  '.google.protobuf.FieldMask',
  '.google.protobuf.Struct',
  '.google.protobuf.ListValue',
  '.google.protobuf.Value',
  '.google.protobuf.Any',
];

const DURATION = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
export const MAX_DURATION_SECONDS = 315_576_000_000n;
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
export const BASE64 = /^(?:[A-Za-z0-9+/\-_]{4})*(?:[A-Za-z0-9+/\-_]{2}(?:==)?|[A-Za-z0-9+/\-_]{3}=?)?$/;

/** A duration in nanoseconds, from its JSON string or from a rule's `{seconds, nanos}`. */
export function durationNanos(value: unknown): bigint | undefined {
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

/** Nanoseconds as a proto3 JSON duration: `1.5s`. */
export function formatNanos(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const seconds = abs / 1_000_000_000n;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${seconds}${fraction ? '.' + fraction : ''}s`;
}
