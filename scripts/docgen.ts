/**
 * Generates API.md, the API reference, from the TSDoc of the public entry points.
 *
 *   ts-node scripts/docgen.ts           writes API.md
 *   ts-node scripts/docgen.ts --check   exits 1 when API.md differs from what it would write
 *
 * typedoc (options in typedoc.json) with typedoc-plugin-markdown renders one page per module
 * into a temporary directory; the pages are joined into one file in entry point order, their
 * anchors made unique per module. The result depends on the sources only: no dates, no source
 * links, no absolute paths (checked), so `--check` is stable across checkouts.
 *
 * Options (for trying it on other entry points): `--entry <file>` (repeatable; default: those
 * of ENTRY_POINTS that exist), `--out <file>` (default API.md), `--root <dir>` (default: the
 * directory above this script).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Public entry points, in the order of API.md, with the title of their section. */
export const ENTRY_POINTS: ReadonlyArray<{ readonly file: string; readonly title: string }> = [
  { file: 'lib/index.ts', title: 'hitless' },
  { file: 'lib/cdk8s/index.ts', title: 'hitless/cdk8s' },
  { file: 'lib/pulumi/index.ts', title: 'hitless/pulumi' },
];

export const STALE_MESSAGE = 'API.md is stale: run `npx projen docgen`';

const HEADER =
  '<!-- Generated from the TSDoc by `npx projen docgen` (scripts/docgen.ts, typedoc.json). Do not edit. -->\n\n# API Reference\n';

interface Entry {
  readonly file: string;
  readonly title: string;
}

interface Arguments {
  readonly check: boolean;
  readonly entries: string[];
  readonly out: string;
  readonly root: string;
}

/** Renders the API reference of `entries` (paths relative to `root`) as one markdown text. */
export function renderApiReference(root: string, entries: readonly Entry[]): string {
  if (entries.length === 0) {
    throw new Error(`no entry point found (looked for ${ENTRY_POINTS.map((entry) => entry.file).join(', ')})`);
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-docgen-'));
  try {
    runTypedoc(root, entries, outDir);
    const pages = modulePages(outDir, entries);
    const sections = pages.map((page, index) => rewritePage(page, index === 0 ? '' : slug(page.entry.title), pages));
    const toc = entries.length > 1 ? '\n' + pages.map((page) => `- [${page.entry.title}](#${slug(page.entry.title)})`).join('\n') + '\n' : '';
    const text = normalize([HEADER + toc, ...sections].join('\n'));
    for (const forbidden of [root, outDir]) {
      if (text.includes(forbidden)) {
        throw new Error(`the API reference would contain the local path ${forbidden}: it must not depend on the checkout`);
      }
    }
    return text;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

function runTypedoc(root: string, entries: readonly Entry[], outDir: string): void {
  const args = [typedocBin(root), '--options', path.join(root, 'typedoc.json'), '--out', outDir];
  for (const entry of entries) {
    args.push('--entryPoints', entry.file);
  }
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (result.stdout) {
    process.stdout.write(result.stdout);
  }
  if (result.stderr) {
    process.stderr.write(result.stderr);
  }
  if (result.status !== 0) {
    throw new Error(`typedoc failed (exit code ${String(result.status ?? result.signal)})`);
  }
}

function typedocBin(root: string): string {
  // typedoc is ESM only: run its CLI rather than require it from this CommonJS script.
  for (let dir = root; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', 'typedoc', 'bin', 'typedoc');
    if (fs.existsSync(bin)) {
      return bin;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`typedoc not found in node_modules above ${root}`);
    }
  }
}

interface Page {
  readonly entry: Entry;
  /** File name relative to the output directory, as typedoc links to it. */
  readonly file: string;
  readonly text: string;
}

/**
 * The page of each entry point. One entry point: typedoc writes one README.md. Several: a
 * README.md listing one page per module, in the module order typedoc chose; each module is
 * matched to its entry point by the module name typedoc derives from the path.
 */
function modulePages(outDir: string, entries: readonly Entry[]): Page[] {
  const readme = fs.readFileSync(path.join(outDir, 'README.md'), 'utf8');
  if (entries.length === 1) {
    return [{ entry: entries[0], file: 'README.md', text: readme }];
  }
  const linked = [...readme.matchAll(/^- \[([^\]]+)\]\(([^)#]+\.md)\)$/gm)].map((match) => ({ name: match[1], file: match[2] }));
  if (linked.length !== entries.length) {
    throw new Error(`typedoc wrote ${linked.length} module pages for ${entries.length} entry points`);
  }
  return entries.map((entry) => {
    const page = linked.find((candidate) => candidate.name === moduleName(entry.file, entries));
    if (!page) {
      throw new Error(`no page for ${entry.file} among ${linked.map((candidate) => candidate.name).join(', ')}`);
    }
    return { entry, file: page.file, text: fs.readFileSync(path.join(outDir, page.file), 'utf8') };
  });
}

/** typedoc's module name: the path from the entry points' common directory, without `/index.ts`. */
function moduleName(file: string, entries: readonly Entry[]): string {
  const dirs = entries.map((entry) => path.posix.dirname(entry.file).split('/'));
  const common: string[] = [];
  for (let i = 0; dirs.every((dir) => i < dir.length && dir[i] === dirs[0][i]); i++) {
    common.push(dirs[0][i]);
  }
  const relative = path.posix.relative(common.join('/'), file).replace(/\.[cm]?tsx?$/, '');
  return relative.replace(/\/index$/, '') || 'index';
}

/**
 * One page as a section of API.md: its title replaced, its anchors prefixed with `prefix`
 * (empty for the first module, so its anchors read as typedoc made them) and its links to
 * other pages turned into links inside the file.
 */
function rewritePage(page: Page, prefix: string, pages: readonly Page[]): string {
  const anchor = (id: string, pagePrefix: string): string => (pagePrefix ? `${pagePrefix}-${id}` : id);
  const prefixOf = (file: string): string | undefined => {
    const index = pages.findIndex((candidate) => candidate.file === file);
    return index < 0 ? undefined : index === 0 ? '' : slug(pages[index].entry.title);
  };
  const body = page.text
    .replace(/^# .*$/m, `<a id="${slug(page.entry.title)}"></a>\n\n# ${page.entry.title}`)
    .replace(/<a id="([^"]+)"><\/a>/g, (whole, id: string) =>
      id === slug(page.entry.title) ? whole : `<a id="${anchor(id, prefix)}"></a>`,
    )
    .replace(/\]\(([^)\s]*?)(#[^)\s]+)?\)/g, (whole, file: string, hash: string | undefined) => {
      if (file === '') {
        return hash ? `](#${anchor(hash.slice(1), prefix)})` : whole;
      }
      const target = prefixOf(file);
      if (target === undefined) {
        return whole;
      }
      return hash ? `](#${anchor(hash.slice(1), target)})` : `](#${slug(pages.find((p) => p.file === file)!.entry.title)})`;
    });
  return body;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function normalize(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.replace(/[ \t]+$/, ''))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

function parseArguments(argv: readonly string[]): Arguments {
  let check = false;
  const entries: string[] = [];
  let out: string | undefined;
  let root = path.resolve(__dirname, '..');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) {
        throw new Error(`${arg} needs a value`);
      }
      return next;
    };
    if (arg === '--check') {
      check = true;
    } else if (arg === '--entry') {
      entries.push(value());
    } else if (arg === '--out') {
      out = value();
    } else if (arg === '--root') {
      root = path.resolve(value());
    } else {
      throw new Error(`unknown argument ${arg} (expected --check, --entry <file>, --out <file>, --root <dir>)`);
    }
  }
  return { check, entries, out: path.resolve(root, out ?? 'API.md'), root };
}

function entriesFor(args: Arguments): Entry[] {
  if (args.entries.length > 0) {
    return args.entries.map((file) => ({
      file,
      title: ENTRY_POINTS.find((entry) => entry.file === file)?.title ?? file.replace(/\.[cm]?tsx?$/, ''),
    }));
  }
  return ENTRY_POINTS.filter((entry) => fs.existsSync(path.join(args.root, entry.file)));
}

export function main(argv: readonly string[]): number {
  const args = parseArguments(argv);
  const text = renderApiReference(args.root, entriesFor(args));
  const relativeOut = path.relative(args.root, args.out);
  if (args.check) {
    const current = fs.existsSync(args.out) ? fs.readFileSync(args.out, 'utf8') : undefined;
    if (current !== text) {
      process.stderr.write(`${relativeOut === 'API.md' ? STALE_MESSAGE : STALE_MESSAGE.replace('API.md', relativeOut)}\n`);
      return 1;
    }
    process.stdout.write(`${relativeOut} is up to date\n`);
    return 0;
  }
  fs.writeFileSync(args.out, text);
  process.stdout.write(`wrote ${relativeOut}\n`);
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`docgen: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
