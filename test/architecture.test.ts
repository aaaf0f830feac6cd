import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The house rules of issue 14, kept by a test so they stay true after it: each layer imports only
 * the layers below it, the framework packages stay in their faces, and no function grows past what
 * a reader holds in one view.
 */
const LIB = path.resolve(__dirname, '../lib');

/** What each folder of lib/ may import from lib/: itself and the layers below it. */
const LAYERS: Record<string, readonly string[]> = {
  core: ['core'],
  read: ['core', 'read'],
  simulate: ['core', 'read', 'simulate'],
  check: ['core', 'read', 'simulate', 'check'],
  plugins: ['core', 'read', 'check', 'plugins'],
  cdk8s: ['core', 'read', 'cdk8s'],
  pulumi: ['core', 'read', 'pulumi'],
  cli: ['core', 'read', 'simulate', 'check', 'cli'],
};

/** Packages that load a framework: only its face may import them, so `hitless` loads none. */
const FRAMEWORK_PACKAGES: Record<string, string> = {
  'cdk8s': 'cdk8s',
  'cdk8s-plus-27': 'cdk8s',
  'cdk8s-plus-33': 'cdk8s',
  'constructs': 'cdk8s',
  '@pulumi/pulumi': 'pulumi',
  '@pulumi/kubernetes': 'pulumi',
  '@pulumi/aws': 'pulumi',
};

/** The longest a function in lib/ may be, in lines: about what one screen shows. */
const MAX_FUNCTION_LINES = 80;

/** Functions allowed past the limit, each with why. Empty: none is. */
const LONG_FUNCTIONS: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** Every module a file names: static imports and exports, dynamic imports and `require` calls. */
function importedModules(source: ts.SourceFile): string[] {
  const modules: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      modules.push(node.moduleSpecifier.text);
    }
    if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) modules.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return modules;
}

function layerOf(file: string): string | undefined {
  const relative = path.relative(LIB, file).split(path.sep);
  return relative.length > 1 ? relative[0] : undefined;
}

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
  return '(anonymous)';
}

describe('the layers of lib/', () => {
  const files = sourceFiles(LIB);

  test('each folder imports only itself and the layers below it', () => {
    const upward: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      if (!layer) continue;
      const allowed = LAYERS[layer];
      expect(allowed).toBeDefined();
      for (const module of importedModules(parse(file))) {
        if (!module.startsWith('.')) continue;
        const target = layerOf(path.resolve(path.dirname(file), module));
        if (target && !allowed.includes(target)) upward.push(`${path.relative(LIB, file)} imports ${module} (${layer} may import ${allowed.join(', ')})`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('a framework package is imported by its own face only', () => {
    const misplaced: string[] = [];
    for (const file of files) {
      for (const module of importedModules(parse(file))) {
        const face = FRAMEWORK_PACKAGES[module];
        if (face && layerOf(file) !== face) misplaced.push(`${path.relative(LIB, file)} imports ${module}`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  test(`no function is longer than ${MAX_FUNCTION_LINES} lines, but those named with a reason`, () => {
    const long: string[] = [];
    for (const file of files) {
      const source = parse(file);
      const visit = (node: ts.Node): void => {
        if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
          const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          const key = `${path.relative(LIB, file)} ${functionName(node as ts.FunctionLikeDeclaration)}`;
          if (end - start + 1 > MAX_FUNCTION_LINES && !LONG_FUNCTIONS[key]) long.push(`${key}: ${end - start + 1} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });
});

describe('docs/architecture.md', () => {
  const text = fs.readFileSync(path.resolve(__dirname, '../docs/architecture.md'), 'utf8');

  test('every lib/ path it names exists, so the map cannot rot', () => {
    const named = [...text.matchAll(/`(lib\/[\w./-]+)`/g)].map((match) => match[1]);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((file) => !fs.existsSync(path.resolve(__dirname, '..', file)))).toEqual([]);
  });

  test('every simulator file it names is in lib/simulate, and every file there is named', () => {
    const section = text.slice(text.indexOf('## The simulator'));
    const named = new Set([...section.matchAll(/`([\w-]+\.ts)`/g)].map((match) => match[1]));
    const present = fs.readdirSync(path.join(LIB, 'simulate')).filter((file) => file.endsWith('.ts') && file !== 'index.ts');
    expect([...named].filter((file) => !present.includes(file))).toEqual([]);
    expect(present.filter((file) => !named.has(file))).toEqual([]);
  });
});
