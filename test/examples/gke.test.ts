import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { checkManifestFiles, CheckReport } from '../../lib/check';
import { KubeObject } from '../../lib/core/kube-object';
import { readManifestObjects } from '../../lib/read';
import { simulate } from '../../lib/simulate';
import { ENVOY_GATEWAY_LOAD, GUIDE_LOAD } from '../simulate/fixtures';
import { validateCustomResource } from '../support/crd-schema';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

/**
 * Runs `cdk8s synth` on examples/gke/cdk8s for real (the CLI, cdk8s.yaml with hitless's validation
 * plugin, ts-node; 'hitless' resolves to dist/, so the library must be compiled first), then
 * validates, checks and simulates what it wrote.
 */
const root = path.resolve(__dirname, '../..');
const exampleDir = path.join(root, 'examples/gke/cdk8s');
const GKE_CRDS = path.join(root, 'test/fixtures/crds/gke');
const CUSTOM_GROUPS = ['cloud.google.com', 'networking.gke.io', 'gateway.networking.k8s.io'];
let outdir: string;
let files: string[];
let manifests: KubeObject[];
let report: CheckReport;

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
    throw new Error('dist/index.js is missing: the example imports the compiled package; run `npx tsc --build` (or the compile task) first');
  }
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-example-gke-'));
  const cli = path.join(root, 'node_modules/.bin/cdk8s');
  const result = spawnSync(cli, ['synth', '--no-check-upgrade', '--output', outdir], { cwd: exampleDir, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`cdk8s synth failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  files = fs.readdirSync(outdir).filter((file) => file.endsWith('.yaml')).map((file) => path.join(outdir, file));
  manifests = files.flatMap((file) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJS() as KubeObject)).filter(Boolean);
  report = await checkManifestFiles(files);
}, 120_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

describe('examples/gke/cdk8s', () => {
  test('synthesizes the Ingress, the BackendConfig and the NEG-annotated gateway Service', () => {
    const kinds = manifests.map((object) => `${object.kind}/${object.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['Ingress/gateway', 'BackendConfig/gateway', 'Service/gateway', 'Deployment/gateway', 'Deployment/orders']));
    const service = manifests.find((object) => object.kind === 'Service' && object.metadata.name === 'gateway')!;
    expect(service.metadata.annotations?.['cloud.google.com/neg']).toBe('{"ingress":true}');
  });

  test('every object is valid against the Kubernetes schema or its CRD', () => {
    const custom = manifests.filter((object) => CUSTOM_GROUPS.includes(object.apiVersion.split('/')[0]));
    for (const object of custom) expect(validateCustomResource(object, GKE_CRDS)).toEqual([]);
    expectValidKubernetesObjects(manifests.filter((object) => !custom.includes(object)));
  });

  test('hitless check finds nothing to report', () => {
    expect(report.problems).toEqual([]);
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ gateways: 1, upstreams: 1 });
    expect(report.verdict).toBe('hitless');
  });

  test.each([
    ['gateway-rollout', 'the seed load', GUIDE_LOAD],
    ['node-drain', 'the seed load', GUIDE_LOAD],
    ['upstream-rollout', 'the seed load', GUIDE_LOAD],
    ['gateway-rollout', "Envoy Gateway's CI load", ENVOY_GATEWAY_LOAD],
    ['node-drain', "Envoy Gateway's CI load", ENVOY_GATEWAY_LOAD],
  ] as const)('%s at %s drops no request', (scenario, _name, load) => {
    const topology = readManifestObjects(manifests).topology;
    const result = simulate(topology, { scenario, load: { ...load, durationSeconds: 300 }, seed: 7 });
    expect({ failed: result.failed, causes: result.causes }).toEqual({ failed: 0, causes: {} });
    expect(result.rolloutSeconds).not.toBeNull();
    expect(result.requests).toBeGreaterThan(0);
  });
});
