/**
 * The three configurations the agreement harness varies (issue 11, item 3):
 * - `edge`: the hand-written Envoy edge config with every link kept (test/fixtures/check/careful-envoy.yaml);
 * - `gloo-guide`: the Gloo Edge zero-downtime guide's settings (test/fixtures/check/gloo-edge.yaml:
 *   NLB 10 s / 2 failures / 6 s timeout, preStop `healthcheck/fail; sleep 5`, grace 7, 2 replicas);
 * - `cdk8s`: examples/cdk8s, synthesized by the cdk8s CLI as test/examples/cdk8s.test.ts does
 *   (its validation plugin loads dist/: compile first);
 * - `gke`: examples/gke/cdk8s, synthesized the same way (issue 15; knobs in ./gke.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Base } from './variants';

export const ROOT = path.resolve(__dirname, '../..');

/** Runs `cdk8s synth` on examples/cdk8s (or another example directory) and returns the YAML it wrote. About 10 s. */
export function synthesizeCdk8sExample(root = ROOT, example = 'examples/cdk8s'): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-agree-'));
  try {
    if (!fs.existsSync(path.join(root, 'dist/index.js'))) throw new Error('dist/index.js is missing: the example\'s validation plugin loads the compiled package; run `npx tsc --build` first');
    const cli = path.join(root, 'node_modules/.bin/cdk8s');
    const result = spawnSync(cli, ['synth', '--no-check-upgrade', '--output', outdir], { cwd: path.join(root, example), encoding: 'utf8', timeout: 180_000 });
    if (result.status !== 0) throw new Error(`cdk8s synth failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
    return fs.readdirSync(outdir).filter((file) => file.endsWith('.yaml')).sort()
      .map((file) => fs.readFileSync(path.join(outdir, file), 'utf8')).join('\n---\n');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The bases, in the order variants are generated. */
export function loadBases(root = ROOT): Base[] {
  const fixture = (name: string) => fs.readFileSync(path.join(root, 'test/fixtures/check', name), 'utf8');
  return [
    { name: 'edge', description: 'hand-written Envoy edge config, every link kept (test/fixtures/check/careful-envoy.yaml)', text: fixture('careful-envoy.yaml') },
    { name: 'gloo-guide', description: "the Gloo Edge zero-downtime guide's settings (test/fixtures/check/gloo-edge.yaml)", text: fixture('gloo-edge.yaml') },
    { name: 'cdk8s', description: 'examples/cdk8s, synthesized', text: synthesizeCdk8sExample(root) },
    // Issue 15: the gateway behind a GKE Ingress with NEGs and a BackendConfig (its knobs: scripts/agree/gke.ts).
    { name: 'gke', description: 'examples/gke/cdk8s, synthesized (GKE Ingress, NEGs, BackendConfig)', text: synthesizeCdk8sExample(root, 'examples/gke/cdk8s') },
  ];
}
