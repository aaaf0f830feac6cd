/**
 * Plain YAML scalars resolved as the cluster resolves them. kubectl, Helm and the API server read
 * YAML through sigs.k8s.io/yaml, whose parser is a fork of go-yaml v2: YAML 1.1 rules, not the
 * YAML 1.2 core schema. So `070` is 56 (a leading 0 is octal), `1_000` is 1000 (underscores are
 * dropped), `08` is 8 (not octal: it falls through to a float), and `y`/`yes`/`on` are true and
 * `n`/`no`/`off` false. A checker that read `terminationGracePeriodSeconds: 070` as 70 would
 * judge a pod the cluster runs with 56.
 *
 * The rules below follow `resolve()` in goyaml.v2/resolve.go: a table keyed on the first
 * character decides which forms are tried; the exact words map to booleans, null, infinities and
 * NaN; otherwise a scalar starting with a digit or a sign is tried, underscores removed, as a Go
 * integer literal (`strconv.ParseInt(s, 0, 64)`: `0x`, `0o`, `0b`, or a leading `0` for octal),
 * then as a float matching `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`; one starting
 * with `.` is tried as a Go float. Timestamps (`2001-12-14`) stay strings here: sigs.k8s.io/yaml
 * turns them back into strings when it converts to JSON, and no field read here is a timestamp.
 * @see https://github.com/kubernetes-sigs/yaml/blob/master/goyaml.v2/resolve.go
 */

/** What a plain scalar resolves to. */
export type ResolvedScalar =
  | { readonly type: 'null'; readonly value: null }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'int' | 'float'; readonly value: number }
  | { readonly type: 'str'; readonly value: string };

const WORDS: Record<string, ResolvedScalar> = {};
function words(list: string[], resolved: ResolvedScalar): void {
  for (const word of list) WORDS[word] = resolved;
}
words(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'], { type: 'bool', value: true });
words(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'], { type: 'bool', value: false });
words(['', '~', 'null', 'Null', 'NULL'], { type: 'null', value: null });
words(['.nan', '.NaN', '.NAN'], { type: 'float', value: NaN });
words(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'], { type: 'float', value: Infinity });
words(['-.inf', '-.Inf', '-.INF'], { type: 'float', value: -Infinity });

/** Go's integer literal with base 0, after go-yaml removed the underscores. Linear: no nested repetition. */
const GO_INTEGER = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** What Go's `strconv.ParseFloat` accepts of a scalar starting with `.` (the other forms start otherwise). */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;

/** Resolves the text of a plain (unquoted, untagged) scalar as go-yaml v2 does. */
export function resolvePlainScalar(text: string): ResolvedScalar {
  const first = text.length === 0 ? '' : text[0];
  const hinted = text.length === 0 || /[-+0-9yYnNtTfFoO~.]/.test(first);
  if (!hinted) return { type: 'str', value: text };
  const word = WORDS[text];
  if (word !== undefined) return word;
  if (first === '.') {
    return DOT_FLOAT.test(text) ? { type: 'float', value: Number(text) } : { type: 'str', value: text };
  }
  if (/[-+0-9]/.test(first)) {
    const plain = text.includes('_') ? text.split('_').join('') : text;
    const integer = GO_INTEGER.exec(plain);
    if (integer) {
      const sign = integer[1] === '-' ? -1 : 1;
      const [hex, octal, binary, leadingZero, decimal] = integer.slice(2);
      let value: number;
      if (hex !== undefined) value = parseInt(hex, 16);
      else if (octal !== undefined) value = parseInt(octal, 8);
      else if (binary !== undefined) value = parseInt(binary, 2);
      else if (leadingZero !== undefined) value = leadingZero === '' ? 0 : parseInt(leadingZero, 8);
      else value = parseInt(decimal, 10);
      return { type: 'int', value: sign * value };
    }
    if (YAML_STYLE_FLOAT.test(plain)) return { type: 'float', value: Number(plain) };
  }
  return { type: 'str', value: text };
}
