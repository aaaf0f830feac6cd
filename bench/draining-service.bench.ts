/**
 * Synthesizes 200 DrainingServices, and in the same run 200 plain cdk8s-plus-27 Deployments each
 * exposed with a Service (the baseline), several times each, alternating which goes first;
 * prints the medians and the ratio (goal: at most 1.5× the baseline).
 *
 *   npx ts-node --transpile-only --project test/tsconfig.json bench/draining-service.bench.ts [count] [repetitions]
 */
import { performance } from 'perf_hooks';
import { App, Chart } from 'cdk8s';
import * as plus from 'cdk8s-plus-27';
import { DrainingService } from '../lib/cdk8s/draining-service';

const COUNT = Number(process.argv[2] ?? 200);
const REPETITIONS = Number(process.argv[3] ?? 9);
const GOAL = 1.5;

function drainingServices(): number {
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < COUNT; i++) {
    new DrainingService(chart, `svc${i}`, { name: `svc${i}`, image: `example/svc${i}:1`, port: 8080, readinessPath: '/ready' });
  }
  return app.synthYaml().length;
}

function plainDeployments(): number {
  const app = new App();
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < COUNT; i++) {
    const deployment = new plus.Deployment(chart, `svc${i}`, { replicas: 2 });
    deployment.addContainer({ name: 'app', image: `example/svc${i}:1`, portNumber: 8080, readiness: plus.Probe.fromHttpGet('/ready') });
    deployment.exposeViaService({ name: `svc${i}` });
  }
  return app.synthYaml().length;
}

function time(run: () => number): number {
  const start = performance.now();
  const size = run();
  const elapsed = performance.now() - start;
  if (size === 0) throw new Error('synthesized nothing');
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// Warm-up: module loading and JIT would otherwise be charged to whichever runs first.
drainingServices();
plainDeployments();

const hitless: number[] = [];
const baseline: number[] = [];
for (let i = 0; i < REPETITIONS; i++) {
  if (i % 2 === 0) {
    hitless.push(time(drainingServices));
    baseline.push(time(plainDeployments));
  } else {
    baseline.push(time(plainDeployments));
    hitless.push(time(drainingServices));
  }
}

const h = median(hitless);
const b = median(baseline);
const ratio = h / b;
const ms = (value: number) => `${value.toFixed(1)} ms`;
console.log(`synthesize ${COUNT} services, median of ${REPETITIONS} runs (each: new App, construct, synthYaml)`);
console.log(`  hitless DrainingService (Deployment, 2 Services, PDB each): ${ms(h)}   [${hitless.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`  cdk8s-plus-27 Deployment + Service (baseline):             ${ms(b)}   [${baseline.map((v) => v.toFixed(0)).join(', ')}]`);
console.log(`  ratio: ${ratio.toFixed(2)}× (goal ≤ ${GOAL}×) ${ratio <= GOAL ? 'OK' : 'OVER GOAL'}`);
process.exitCode = ratio <= GOAL ? 0 : 1;
