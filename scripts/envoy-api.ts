/**
 * Generates lib/core/envoy/envoy-api.json, the descriptor of Envoy's v3 API that the validator
 * loads at run time, from the .proto files `@grpc/grpc-js-xds` ships (a development dependency:
 * nothing installed with hitless reads a .proto file).
 *
 *   ts-node scripts/envoy-api.ts           writes the descriptor
 *   ts-node scripts/envoy-api.ts --check   exits 1 when the committed descriptor differs from what it would write
 */
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { describeEnvoyApi, SkippedProtoFile } from '../lib/core/envoy/proto-loader';

export const DESCRIPTOR_FILE = path.join('lib', 'core', 'envoy', 'envoy-api.json');
export const STALE_MESSAGE = `${DESCRIPTOR_FILE} is stale: run \`npx projen envoy-api\``;

/** Envoy's protos as protobufjs parsed them, with what was left out. */
export interface LoadedProtoFiles {
  readonly root: protobuf.Root;
  readonly loadedFiles: readonly string[];
  readonly skippedFiles: readonly SkippedProtoFile[];
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

/** Parses the .proto files (slow: hundreds of files). */
export function loadEnvoyProtoFiles(includeDirs: readonly string[] = envoyProtoIncludeDirs()): LoadedProtoFiles {
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
  return { root, loadedFiles: loaded, skippedFiles: skipped };
}

/** The descriptor file's text, as it would be written. */
export function renderEnvoyApi(): string {
  const loaded = loadEnvoyProtoFiles();
  const version = (JSON.parse(fs.readFileSync(require.resolve('@grpc/grpc-js-xds/package.json'), 'utf8')) as { version: string }).version;
  const descriptor = describeEnvoyApi(loaded.root, {
    source: `@grpc/grpc-js-xds@${version}`,
    loadedFiles: loaded.loadedFiles,
    skippedFiles: loaded.skippedFiles,
  });
  return JSON.stringify(descriptor) + '\n';
}

export function main(argv: readonly string[]): number {
  const root = path.resolve(__dirname, '..');
  const out = path.join(root, DESCRIPTOR_FILE);
  const text = renderEnvoyApi();
  if (argv.includes('--check')) {
    const current = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
    if (current !== text) {
      process.stderr.write(`${STALE_MESSAGE}\n`);
      return 1;
    }
    process.stdout.write(`${DESCRIPTOR_FILE} is up to date\n`);
    return 0;
  }
  fs.writeFileSync(out, text);
  process.stdout.write(`wrote ${DESCRIPTOR_FILE} (${text.length} bytes)\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`envoy-api: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
