import * as path from 'path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '../..');

/**
 * Type-checks files the way a user's project would see the package: `hitless`, `hitless/cdk8s` and
 * `hitless/pulumi` resolve to the sources, everything else to node_modules. Returns the
 * problems found in those files, one line each.
 */
export function typeCheck(files: string[]): string[] {
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
    paths: { 'hitless': ['lib/index.ts'], 'hitless/cdk8s': ['lib/cdk8s/index.ts'], 'hitless/pulumi': ['lib/pulumi/index.ts'], '*': ['node_modules/*'] },
  });
  const wanted = new Set(files.map((file) => path.resolve(file)));
  return ts.getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file === undefined || wanted.has(path.resolve(diagnostic.file.fileName)))
    .map((diagnostic) => `${diagnostic.file ? path.basename(diagnostic.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
}
