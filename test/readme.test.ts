import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/** The README's TypeScript examples compile against the library as it is, so they can't rot. */
const root = path.resolve(__dirname, '..');

test('every TypeScript block in the README type-checks', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]);
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-readme-'));
  const files = blocks.map((block, index) => {
    const file = path.join(dir, `block-${index}.ts`);
    fs.writeFileSync(file, `export {};\n${block}`);
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules/@types')],
    baseUrl: root,
    paths: { 'hitless': ['lib/index.ts'], 'hitless/pulumi': ['lib/pulumi/index.ts'], '*': ['node_modules/*'] },
  });
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || files.includes(path.resolve(diagnostic.file.fileName)))
    .map((diagnostic) => `${diagnostic.file ? path.basename(diagnostic.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  fs.rmSync(dir, { recursive: true, force: true });
  expect(problems).toEqual([]);
}, 120_000);
