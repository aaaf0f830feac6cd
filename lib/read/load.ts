import { promises as fs } from 'fs';
import * as path from 'path';
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { parse, parseAllDocuments, ScalarTag, Tags } from 'yaml';
import { isObject, Json } from './fields';
import { resolvePlainScalar } from './yaml-scalars';

/** One Kubernetes (or other) object, with where it came from for messages. */
export interface SourcedObject {
  readonly object: Json;
  /** `file.yaml (document 3)`, `- (document 1)`. */
  readonly source: string;
}

/** Input that could not be read at all: a missing file, a YAML or JSON syntax error. */
export interface ReadProblem {
  /** The file (and document) concerned. */
  readonly source: string;
  readonly message: string;
}

/** The objects found in some text or files, and what could not be read. */
export interface LoadedObjects {
  readonly objects: SourcedObject[];
  readonly problems: ReadProblem[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Splits text into objects: multi-document YAML, a JSON object or array, and `List` kinds
 * (`kind: List`, `DeploymentList`, ...) flattened into their items. Scalars and empty documents
 * are skipped; syntax errors are reported per document, and the other documents still read.
 */
export function loadManifestText(text: string, source: string): LoadedObjects {
  const objects: SourcedObject[] = [];
  const problems: ReadProblem[] = [];
  if (typeof text !== 'string') return { objects, problems: [{ source, message: 'input is not text' }] };
  const trimmed = text.trimStart();
  // JSON first when it looks like JSON: JSON.parse is an order of magnitude faster than a YAML parse.
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      addValue(JSON.parse(text), `${source}`, objects);
      return { objects, problems };
    } catch {
      // Not strict JSON (YAML flow style, or broken): the YAML parser reports where.
    }
  }
  const fast = fastYamlDocuments(text);
  if (fast !== undefined) {
    fast.forEach((value, index) => addValue(value, fast.length > 1 ? `${source} (document ${index + 1})` : source, objects));
    return { objects, problems };
  }
  return loadYamlDocuments(text, source, objects, problems);
}

/**
 * The careful path: the `yaml` library, document by document, so that a syntax error is reported
 * with its line and document and the other documents still read; aliases are bounded
 * (`maxAliasCount`) against exponential expansion.
 */
function loadYamlDocuments(text: string, source: string, objects: SourcedObject[], problems: ReadProblem[]): LoadedObjects {
  let documents;
  try {
    documents = parseAllDocuments(text, CAREFUL_OPTIONS);
  } catch (error) {
    return { objects, problems: [{ source, message: errorMessage(error) }] };
  }
  const list = Array.isArray(documents) ? documents : [documents];
  list.forEach((document, index) => {
    const where = list.length > 1 ? `${source} (document ${index + 1})` : source;
    if (document.errors.length > 0) {
      const first = document.errors[0];
      const offset = first.pos?.[0];
      const line = typeof offset === 'number' && offset >= 0 ? lineAt(text, offset) : undefined;
      const at = line !== undefined ? `${source}:${line}` : source;
      problems.push({ source: list.length > 1 ? `${at} (document ${index + 1})` : at, message: `YAML syntax error: ${firstLine(first.message)}` });
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      problems.push({ source: where, message: errorMessage(error) });
      return;
    }
    addValue(value, where, objects);
  });
  return { objects, problems };
}

/**
 * Plain scalars resolved as the cluster resolves them (YAML 1.1, go-yaml v2: {@link resolvePlainScalar}),
 * on both paths, so a manifest means here what it means to kubectl: `070` is 56, `yes` is true.
 */
function plainType(tag: 'null' | 'bool' | 'int' | 'float'): Type {
  return new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (data: string | null) => resolvePlainScalar(data ?? '').type === tag,
    construct: (data: string | null) => resolvePlainScalar(data ?? '').value,
  });
}

const YAML_11_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    plainType('null'),
    plainType('bool'),
    plainType('int'),
    plainType('float'),
    // `<<` merges mappings, as Kubernetes' own YAML reader (go-yaml v2) does.
    new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' }),
  ],
});

/** The same resolution for the `yaml` library: one tag per type, tried before its own. */
function yaml11Tags(tags: Tags): Tags {
  const ours: ScalarTag[] = (['null', 'bool', 'int', 'float'] as const).map((type) => ({
    tag: `tag:yaml.org,2002:${type}`,
    default: true,
    // The `yaml` library calls `test.test(source)`: a RegExp's shape, resolved by the function above.
    test: { test: (source: string) => resolvePlainScalar(source).type === type } as unknown as RegExp,
    resolve: (source: string) => resolvePlainScalar(source).value as unknown as string,
  }));
  return [...ours, ...tags];
}

const CAREFUL_OPTIONS = { prettyErrors: false, uniqueKeys: false, merge: true, customTags: yaml11Tags } as const;

/**
 * Text the fast path leaves to the careful one (a false alarm only costs speed):
 * - an alias (`*name`, after the start, white space or a flow indicator): the careful path bounds
 *   how far aliases expand;
 * - a directive (`%YAML 1.1` changes how scalars resolve);
 * - a key that is not a string, which the two parsers turn into different strings: an explicit
 *   `? ` key, a null key (`~:`, `null:`, `: value`), a flow collection as a key (`[a]: b`);
 * - `---` or `...` with text glued to it, which js-yaml reads as a document marker;
 * - a tab in the indentation, which js-yaml sometimes accepts, and YAML (and kubectl) do not.
 */
const CAREFUL_ONLY = new RegExp([
  /(?:^|[\s[{,:])\*[^\s[\]{},]/.source,
  /(?:^|\n)%/.source,
  /(?:^|[\s[{,])\?(?:\s|$)/.source,
  // A null key: `~:`, `null:` after a boundary, or a `:` after nothing but white space. Written so that
  // no match attempt can start inside a run of white space (a run starts one attempt, at its
  // first character): the one-pattern form was quadratic in the length of such a run.
  /(?:^|[\s[{,])(?:~|null|Null|NULL)\s*:(?:[\s,\]}]|$)/.source,
  /(?:^|[[{,]|(?<!\s)\s)\s*:(?:[\s,\]}]|$)/.source,
  /[{,]\s*(?:(?:~|null|Null|NULL)\s*[},]|,)/.source,
  /[\]}][ \t]*:(?:\s|$)|\{\s*[[{]/.source,
  /(?:^|\n)(?:---|\.\.\.)[^\s]/.source,
  /(?:^|\n) *\t/.source,
].join('|'));

/**
 * The fast path: js-yaml parses several times faster than the `yaml` library. It answers only
 * when the whole text parses cleanly and nothing in it could read differently from the careful
 * path; otherwise (a syntax error anywhere, or {@link CAREFUL_ONLY}) it returns nothing and the
 * careful path reads the text, with per-document errors and their lines.
 */
function fastYamlDocuments(text: string): unknown[] | undefined {
  if (CAREFUL_ONLY.test(text)) return undefined;
  try {
    // `json: true`: a repeated key keeps its last value, as in the careful path (`uniqueKeys: false`).
    return loadAll(text, undefined, { schema: YAML_11_SCHEMA, json: true });
  } catch {
    return undefined;
  }
}

/**
 * Parses text holding one YAML document (a config embedded in a ConfigMap, say) as
 * {@link loadManifestText} reads each document: js-yaml when it can, the `yaml` library otherwise.
 * A repeated key keeps its last value. Throws on a syntax error, like the `yaml` library's `parse`.
 */
export function parseYamlDocument(text: string): unknown {
  const fast = fastYamlDocuments(text);
  if (fast !== undefined && fast.length === 1) return fast[0];
  return parse(text, { ...CAREFUL_OPTIONS, maxAliasCount: 1000 });
}

function addValue(value: unknown, source: string, into: SourcedObject[], depth = 0): void {
  if (Array.isArray(value)) {
    if (depth > 4) return;
    value.forEach((item, index) => addValue(item, `${source} [${index}]`, into, depth + 1));
    return;
  }
  if (!isObject(value)) return;
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items) && depth <= 4) {
    value.items.forEach((item, index) => addValue(item, `${source} item ${index + 1}`, into, depth + 1));
    return;
  }
  into.push({ object: value, source });
}

/**
 * Reads files, directories (recursively: `.yaml`, `.yml`, `.json`, in name order) and `-` for
 * standard input. Never throws: unreadable paths become problems.
 */
export async function loadManifestFiles(paths: string[], readStdin?: () => Promise<string>): Promise<LoadedObjects> {
  const objects: SourcedObject[] = [];
  const problems: ReadProblem[] = [];
  for (const each of paths) {
    if (each === '-') {
      if (!readStdin) {
        problems.push({ source: '-', message: 'standard input was asked for but cannot be read here' });
        continue;
      }
      try {
        const loaded = loadManifestText(await readStdin(), '-');
        objects.push(...loaded.objects);
        problems.push(...loaded.problems);
      } catch (error) {
        problems.push({ source: '-', message: errorMessage(error) });
      }
      continue;
    }
    const files: string[] = [];
    try {
      await expand(each, files, problems, new Set());
    } catch (error) {
      problems.push({ source: each, message: describeFsError(error) });
      continue;
    }
    for (const file of files) {
      try {
        const loaded = loadManifestText(decodeUtf8(await fs.readFile(file)), file);
        objects.push(...loaded.objects);
        problems.push(...loaded.problems);
      } catch (error) {
        problems.push({ source: file, message: describeFsError(error) });
      }
    }
  }
  return { objects, problems };
}

/**
 * The files a path names. Only regular files are read: a FIFO, socket or device would block the
 * read or never end, so it is a problem, as is any path that is neither. Symbolic links are
 * followed (to files and directories alike, as `kubectl apply -R` does); a directory reached twice
 * (a link cycle) is read once.
 */
async function expand(target: string, into: string[], problems: ReadProblem[], seen: Set<string>, named = true): Promise<void> {
  const stat = await fs.stat(target);
  if (stat.isDirectory()) {
    const real = await fs.realpath(target);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await fs.readdir(target, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(target, entry.name);
      if (entry.isDirectory() || entry.isSymbolicLink()) {
        if (entry.isDirectory() && (entry.name.startsWith('.') || entry.name === 'node_modules')) continue;
        try {
          const linked = await fs.stat(full);
          if (linked.isDirectory()) {
            if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
            await expand(full, into, problems, seen, false);
            continue;
          }
        } catch (error) {
          if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) problems.push({ source: full, message: `${describeFsError(error)} (a symbolic link to nothing readable)` });
          continue;
        }
      }
      if (!MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
      await expand(full, into, problems, seen, false);
    }
    return;
  }
  if (!stat.isFile()) {
    const what = stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
    problems.push({ source: target, message: `${what}, not a regular file: not read${named ? '' : ' (found in a directory)'}` });
    return;
  }
  into.push(target);
}

/**
 * Manifest bytes as text. Kubernetes reads UTF-8 (a UTF-8 byte order mark is dropped); anything
 * else, UTF-16 included, would be read here as garbage or as nothing, so it is an error.
 */
export function decodeUtf8(bytes: Uint8Array, what = 'the file'): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new Error(`${what} is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${what} is not valid UTF-8; save it as UTF-8`);
  }
  if (text.includes('\u0000')) throw new Error(`${what} holds NUL characters: it is binary, or UTF-16 without a byte order mark; save it as UTF-8`);
  return text;
}

function describeFsError(error: unknown): string {
  const code = isObject(error) ? error.code : undefined;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return errorMessage(error);
}

function errorMessage(error: unknown): string {
  return firstLine(error instanceof Error ? error.message : String(error));
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text.charCodeAt(index) === 10) line++;
  return line;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
