import { promises as fs } from 'fs';
import * as path from 'path';
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { parse, parseAllDocuments } from 'yaml';
import { isObject, Json } from './fields';

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
    documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, merge: true });
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
 * Plain scalars resolved exactly as the `yaml` library's YAML 1.2 core schema resolves them (the
 * careful path), so both paths agree: `yes`, `on`, `0777`-as-octal and timestamps stay what YAML
 * 1.2 says (a string, a string, decimal 777, a string); `0o17` and `0x1F` are integers.
 */
const SCALAR_NULL = /^(?:~|[Nn]ull|NULL)?$/;
const SCALAR_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const SCALAR_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const SCALAR_FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;

const YAML_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    new Type('tag:yaml.org,2002:null', { kind: 'scalar', resolve: (data: string | null) => data === null || SCALAR_NULL.test(data), construct: () => null }),
    new Type('tag:yaml.org,2002:bool', { kind: 'scalar', resolve: (data: string | null) => data !== null && SCALAR_BOOL.test(data), construct: (data: string) => data[0] === 't' || data[0] === 'T' }),
    new Type('tag:yaml.org,2002:int', { kind: 'scalar', resolve: (data: string | null) => data !== null && SCALAR_INT.test(data), construct: constructInt }),
    new Type('tag:yaml.org,2002:float', { kind: 'scalar', resolve: (data: string | null) => data !== null && SCALAR_FLOAT.test(data), construct: constructFloat }),
    // `<<` merges mappings, as Kubernetes' own YAML reader (go-yaml v2) does.
    new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' }),
  ],
});

function constructInt(data: string): number {
  if (data.startsWith('0o')) return parseInt(data.substring(2), 8);
  if (data.startsWith('0x')) return parseInt(data.substring(2), 16);
  return parseInt(data, 10);
}

function constructFloat(data: string): number {
  const tail = data.slice(-3).toLowerCase();
  if (tail === 'nan') return NaN;
  if (tail === 'inf') return data[0] === '-' ? -Infinity : Infinity;
  return parseFloat(data);
}

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
  /(?:^|[\s[{,])(?:~|null|Null|NULL)?\s*:(?:[\s,\]}]|$)/.source,
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
    return loadAll(text, undefined, { schema: YAML_CORE_SCHEMA, json: true });
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
  return parse(text, { prettyErrors: false, uniqueKeys: false, merge: true, maxAliasCount: 1000 });
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
    let files: string[];
    try {
      files = await expand(each);
    } catch (error) {
      problems.push({ source: each, message: describeFsError(error) });
      continue;
    }
    for (const file of files) {
      try {
        const loaded = loadManifestText(await fs.readFile(file, 'utf8'), file);
        objects.push(...loaded.objects);
        problems.push(...loaded.problems);
      } catch (error) {
        problems.push({ source: file, message: describeFsError(error) });
      }
    }
  }
  return { objects, problems };
}

async function expand(target: string): Promise<string[]> {
  const stat = await fs.stat(target);
  if (!stat.isDirectory()) return [target];
  const entries = await fs.readdir(target, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      files.push(...(await expand(full)));
    } else if (MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      files.push(full);
    }
  }
  return files;
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
