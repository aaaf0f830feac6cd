import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';

/** A proto file that could not be loaded, and why. */
export interface SkippedProtoFile {
  /** Path relative to its include directory, e.g. `envoy/config/trace/v3/opencensus.proto`. */
  readonly file: string;
  readonly reason: string;
}

/** Envoy's v3 API, loaded once per process. */
export interface EnvoyProtos {
  /** Every loaded message and enum, resolved. Field names keep their proto (snake_case) spelling. */
  readonly root: protobuf.Root;
  /** The proto files asked for (transitive imports come along without being listed). */
  readonly loadedFiles: readonly string[];
  /** Files left out because an import is missing from the shipped protos or they failed to parse. */
  readonly skippedFiles: readonly SkippedProtoFile[];
  /** Wall time the load took. */
  readonly loadMillis: number;
}

/**
 * Where `@grpc/grpc-js-xds` keeps its copy of the Envoy, xDS, googleapis and
 * protoc-gen-validate protos. It ships them for its own xDS client; we only read them.
 */
export function envoyProtoIncludeDirs(): string[] {
  const xds = path.dirname(require.resolve('@grpc/grpc-js-xds/package.json'));
  const deps = path.join(xds, 'deps');
  // google/protobuf/descriptor.proto is not under deps; protobufjs ships it.
  const protobufjs = path.dirname(require.resolve('protobufjs/package.json'));
  return [
    path.join(deps, 'envoy-api'),
    path.join(deps, 'xds'),
    path.join(deps, 'googleapis'),
    path.join(deps, 'protoc-gen-validate'),
    protobufjs,
  ];
}

const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

/** protobufjs bundles these well-known types, so they need no file on disk. */
const BUNDLED = /^google\/protobuf\/(any|api|duration|empty|field_mask|source_context|struct|timestamp|type|wrappers)\.proto$/;

function findFile(includeDirs: readonly string[], file: string): string | undefined {
  for (const dir of includeDirs) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function listProtos(dir: string, base: string, out: string[]): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listProtos(full, base, out);
    else if (entry.name.endsWith('.proto')) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/**
 * Finds an import missing anywhere below `file`, so that a file whose dependencies aren't
 * shipped is skipped up front: protobufjs leaves a half-loaded file behind in the Root
 * when an import is missing, which breaks every later resolve.
 */
function missingImport(
  includeDirs: readonly string[],
  file: string,
  memo: Map<string, string | null>,
): string | undefined {
  if (memo.has(file)) return memo.get(file) ?? undefined;
  memo.set(file, null); // cycles: assume fine while visiting
  let missing: string | undefined;
  if (!BUNDLED.test(file)) {
    const found = findFile(includeDirs, file);
    if (!found) {
      missing = file;
    } else {
      const text = fs.readFileSync(found, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        missing = missingImport(includeDirs, match[1], memo);
        if (missing) break;
      }
    }
  }
  memo.set(file, missing ?? null);
  return missing;
}

function newRoot(includeDirs: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (path.isAbsolute(target)) return target;
    // Returning the bare name for bundled well-known types lets protobufjs use its own copies.
    return findFile(includeDirs, target) ?? target;
  };
  return root;
}

const LOAD_OPTIONS: protobuf.IParseOptions = { keepCase: true };

/**
 * Which files to load: every v3 (and v3alpha) file of Envoy's API, so that any `@type` an
 * Envoy config can name resolves, plus the xDS/udpa types (TypedStruct, matchers).
 */
function candidateFiles(includeDirs: readonly string[]): string[] {
  const [envoyApi, xds] = includeDirs;
  const envoy = listProtos(path.join(envoyApi, 'envoy'), envoyApi, []).filter((file) =>
    /\/v3(alpha)?\//.test(file),
  );
  const xdsFiles = [
    ...listProtos(path.join(xds, 'xds'), xds, []),
    ...listProtos(path.join(xds, 'udpa'), xds, []),
  ].filter((file) => /\/v\d+(alpha)?\//.test(file));
  return [...xdsFiles, ...envoy];
}

/** Loads the protos from scratch (no cache). Prefer {@link envoyProtos}. */
export function loadEnvoyProtos(includeDirs: readonly string[] = envoyProtoIncludeDirs()): EnvoyProtos {
  const started = Date.now();
  const skipped: SkippedProtoFile[] = [];
  const memo = new Map<string, string | null>();
  const wanted: string[] = [];
  for (const file of candidateFiles(includeDirs)) {
    const missing = missingImport(includeDirs, file, memo);
    if (missing) skipped.push({ file, reason: `imports ${missing}, which is not shipped` });
    else wanted.push(file);
  }

  let root = newRoot(includeDirs);
  let loaded = wanted;
  try {
    root.loadSync(wanted, LOAD_OPTIONS);
  } catch {
    // Slow path: find the culprits one file at a time, starting over after each failure
    // because a failed load leaves unresolvable pieces behind in the Root.
    loaded = [];
    root = newRoot(includeDirs);
    for (const file of wanted) {
      try {
        root.loadSync(file, LOAD_OPTIONS);
        loaded.push(file);
      } catch (error) {
        skipped.push({ file, reason: error instanceof Error ? error.message : String(error) });
        root = newRoot(includeDirs);
        if (loaded.length > 0) root.loadSync(loaded, LOAD_OPTIONS);
      }
    }
  }
  root.resolveAll();
  return { root, loadedFiles: loaded, skippedFiles: skipped, loadMillis: Date.now() - started };
}

let cached: EnvoyProtos | undefined;

/** Envoy's v3 API protos, loaded on first use and shared by every later validation. */
export function envoyProtos(): EnvoyProtos {
  cached ??= loadEnvoyProtos();
  return cached;
}
