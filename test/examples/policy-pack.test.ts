import * as path from 'path';
import * as ts from 'typescript';

/** examples/policy-pack type-checks against the library and @pulumi/policy (running it needs the Pulumi CLI). */
const root = path.resolve(__dirname, '../..');

test('the policy pack example compiles against hitless and @pulumi/policy', () => {
  const file = path.join(root, 'examples/policy-pack/index.ts');
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    types: ['node'],
    typeRoots: [path.join(root, 'node_modules/@types')],
    baseUrl: root,
    paths: { 'hitless': ['lib/index.ts'], '*': ['node_modules/*'] },
  });
  const problems = ts.getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || path.resolve(diagnostic.file.fileName) === file)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  expect(problems).toEqual([]);
}, 120_000);
