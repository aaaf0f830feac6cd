/**
 * The two entry points stay apart: `hitless/pulumi` loads no cdk8s, and `hitless` loads no
 * Pulumi. Each is loaded in a fresh Node process whose module resolution throws on the
 * forbidden packages, so any import, however indirect, fails the test.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

function loadWithout(entry: string, forbidden: RegExp, typescript: boolean): { status: number | null; output: string } {
  const script = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    const forbidden = new RegExp(${JSON.stringify(forbidden.source)});
    Module._resolveFilename = function (request, ...rest) {
      if (forbidden.test(request)) throw new Error('forbidden import: ' + request);
      return resolve.call(this, request, ...rest);
    };
    ${typescript ? "require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });" : ''}
    const exported = require(${JSON.stringify(entry)});
    console.log('exports: ' + Object.keys(exported).length);
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const CDK8S = /^(cdk8s|cdk8s-plus-\d+|constructs)(\/|$)/;
const PULUMI = /^@pulumi\//;

describe('entry points', () => {
  test('the Pulumi face loads without cdk8s or constructs', () => {
    const result = loadWithout(path.join(ROOT, 'lib/pulumi/index.ts'), CDK8S, true);
    expect(result.output).toMatch(/exports: [1-9]/);
    expect(result.status).toBe(0);
  });

  test('the main entry point loads without any Pulumi package', () => {
    const result = loadWithout(path.join(ROOT, 'lib/index.ts'), PULUMI, true);
    expect(result.output).toMatch(/exports: [1-9]/);
    expect(result.status).toBe(0);
  });

  const compiled = fs.existsSync(path.join(ROOT, 'dist/pulumi/index.js'));
  (compiled ? test : test.skip)('the compiled package keeps them apart too (dist/, after a build)', () => {
    expect(loadWithout('hitless/pulumi', CDK8S, false).output).toMatch(/exports: [1-9]/);
    expect(loadWithout('hitless', PULUMI, false).output).toMatch(/exports: [1-9]/);
  });

  test('the guard itself catches a forbidden import', () => {
    const result = loadWithout(path.join(ROOT, 'lib/pulumi/index.ts'), PULUMI, true);
    expect(result.output).toContain('forbidden import: @pulumi/');
    expect(result.status).not.toBe(0);
  });
});
