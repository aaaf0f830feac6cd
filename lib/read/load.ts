import { promises as fs } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
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
  let documents;
  try {
    documents = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
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
