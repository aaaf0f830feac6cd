/**
 * No peer is loaded that the program doesn't use (issue 13): each entry point runs in a fresh
 * Node process whose module resolution fails, as for a package that isn't installed, on the
 * peers that entry point's users may not have. Any import, however indirect, fails the test.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

/** Runs `body` (CommonJS, `entry` bound to the required module) with `forbidden` made unresolvable. */
function runWithout(entry: string, forbidden: RegExp, body: string, typescript = true): { status: number | null; output: string } {
  const script = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    const forbidden = new RegExp(${JSON.stringify(forbidden.source)});
    Module._resolveFilename = function (request, ...rest) {
      if (forbidden.test(request)) {
        const error = new Error("Cannot find module '" + request + "' (made unresolvable by the test)");
        error.code = 'MODULE_NOT_FOUND';
        throw error;
      }
      return resolve.call(this, request, ...rest);
    };
    ${typescript ? "require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });" : ''}
    const entry = require(${JSON.stringify(entry)});
    Promise.resolve().then(async () => { ${body} }).then(
      () => console.log('done'),
      (error) => { console.log('failed: ' + error.message); process.exitCode = 1; },
    );
  `;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const CDK8S = /^(cdk8s|cdk8s-plus-\d+|constructs)(\/|$)/;
const PULUMI = /^@pulumi\//;
const PULUMI_AWS = /^@pulumi\/aws(\/|$)/;
const either = (...patterns: RegExp[]) => new RegExp(patterns.map((each) => `(?:${each.source})`).join('|'));

const MOCKS = `
  const pulumi = require('@pulumi/pulumi');
  pulumi.runtime.setMocks({ newResource: (args) => ({ id: args.name + '-id', state: args.inputs }), call: (args) => args.inputs }, 'project', 'stack', false);
`;

describe('peers', () => {
  test('hitless loads and checks manifests with no cdk8s, constructs, cdk8s-plus or Pulumi package', () => {
    const result = runWithout(path.join(ROOT, 'lib/index.ts'), either(CDK8S, PULUMI), `
      const report = entry.checkManifestText('apiVersion: v1\\nkind: ConfigMap\\nmetadata: { name: x }\\n', 'x.yaml');
      if (!report.verdict) throw new Error('no verdict');
      console.log('exports: ' + Object.keys(entry).length);
    `);
    expect(result.output).toMatch(/exports: [1-9]/);
    expect(result.output).toContain('done');
    expect(result.status).toBe(0);
  });

  test('hitless/pulumi builds a service, a gateway and its controller-made NLB with no cdk8s, constructs or @pulumi/aws', () => {
    const result = runWithout(path.join(ROOT, 'lib/pulumi/index.ts'), either(CDK8S, PULUMI_AWS), `${MOCKS}
      const orders = new entry.DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
      const gateway = new entry.HitlessGateway('edge', { namespace: 'edge', routes: [{ prefix: '/', service: orders }], nlb: { healthCheckInterval: entry.seconds(5), healthCheckTimeout: entry.seconds(3) } });
      console.log('annotations: ' + Object.keys(gateway.nlb.serviceAnnotations).length);
    `);
    expect(result.output).toMatch(/annotations: [1-9]/);
    expect(result.output).toContain('done');
    expect(result.status).toBe(0);
  });

  test('hitless/pulumi asks for @pulumi/aws, by name, only when aws is used', () => {
    const result = runWithout(path.join(ROOT, 'lib/pulumi/index.ts'), PULUMI_AWS, `${MOCKS}
      new entry.HitlessGateway('edge', { namespace: 'edge', nlb: { aws: { vpcId: 'vpc-1', subnetIds: ['subnet-a'] } } });
    `);
    expect(result.output).toContain("failed: HealthCheckedNlb's `aws` makes the NLB with @pulumi/aws, which is not installed: `npm install @pulumi/aws`");
    expect(result.status).not.toBe(0);
  });

  test('hitless/cdk8s synthesizes with no Pulumi package', () => {
    const result = runWithout(path.join(ROOT, 'lib/cdk8s/index.ts'), PULUMI, `
      const cdk8s = require('cdk8s');
      const chart = cdk8s.Testing.chart();
      new entry.DrainingService(chart, 'orders', { image: 'orders:1', readinessPath: '/ready' });
      console.log('objects: ' + cdk8s.Testing.synth(chart).length);
    `);
    expect(result.output).toContain('objects: 4');
    expect(result.status).toBe(0);
  });

  const compiled = fs.existsSync(path.join(ROOT, 'dist/pulumi/index.js')) && fs.existsSync(path.join(ROOT, 'dist/cdk8s/index.js'));
  (compiled ? test : test.skip)('the compiled package keeps them apart too (dist/, after a build)', () => {
    expect(runWithout('hitless', either(CDK8S, PULUMI), "console.log('exports: ' + Object.keys(entry).length);", false).output).toMatch(/exports: [1-9]/);
    expect(runWithout('hitless/pulumi', either(CDK8S, PULUMI_AWS), "console.log('exports: ' + Object.keys(entry).length);", false).output).toMatch(/exports: [1-9]/);
  });

  test('the guard itself catches a forbidden import', () => {
    const result = runWithout(path.join(ROOT, 'lib/pulumi/index.ts'), PULUMI, '');
    expect(result.output).toContain("Cannot find module '@pulumi/");
    expect(result.status).not.toBe(0);
  });
});
