/**
 * `npm run agree`: do `hitless check` and `hitless simulate` agree? (issue 11, item 3)
 *
 * Generates the variants (scripts/agree/variants.ts), checks and simulates each
 * (scripts/agree/classify.ts), prints the agreement counts and the disagreements grouped by class,
 * rule, cause and knob, and writes agree.out/report.json. Options:
 *
 *   --filter TEXT[,TEXT]  only variants whose id contains every TEXT (e.g. `edge/`, `gateway-keep-serving`)
 *   --sample N            every (total/N)-th variant, N in all
 *   --fixed-sample        the fixed sample `npm test` runs
 *   --seeds N             seeds per scenario and placement (default 5)
 *   --jobs N              worker processes (default 2)
 *   --compare OLD.json    print the variants whose class changed since that report
 *   --out DIR             where the report goes (default agree.out)
 *   --exhaustive          play every run, even after an error finding has met a failing run
 *   --all                 list every disagreement, not the first 60
 *   --strict              exit 1 when a disagreement is not in docs/agreement.md's table
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ROOT, loadBases } from './bases';
import {
  AgreementClass, CLASSES, compareResults, DEFAULT_PLAN, explanationFor, Explanation, group, isAgreement, parseExplanations, RunPlan, runVariant, VariantResult,
} from './classify';
import { Base, everyNth, filterVariants, generateVariants, KNOBS, PAIRS, sampleVariants, Variant } from './variants';

interface Options {
  filter?: string;
  sample?: number;
  fixedSample: boolean;
  seeds: number;
  jobs: number;
  compare?: string;
  out: string;
  all: boolean;
  strict: boolean;
  exhaustive: boolean;
  /** Internal: `i/n`, run only every n-th variant from i and write the results to --shard-out. */
  shard?: [number, number];
  shardOut?: string;
  basesDir?: string;
}

const CLASS_TEXT: Record<AgreementClass, string> = {
  'agree-hitless': 'no error finding, no simulated failure',
  'agree-drops': 'an error finding, and simulated runs drop requests',
  'checker-only': 'an error finding, no simulated run drops a request (cries wolf, or the simulator cannot see it)',
  'simulator-only': 'no error finding, simulated runs drop requests (the checker misses it, or the simulator is wrong)',
  'not-simulated': 'the simulator refused every run',
};

export const PREFERRED_SAMPLE_BASES = ['edge', 'cdk8s'];

function parseArguments(argv: string[]): Options {
  const options: Options = { fixedSample: false, seeds: DEFAULT_PLAN.seeds, jobs: 2, out: path.join(ROOT, 'agree.out'), all: false, strict: false, exhaustive: false };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = (): string => {
      const taken = argv[++index];
      if (taken === undefined) throw new Error(`${flag} needs a value`);
      return taken;
    };
    const whole = (min: number): number => {
      const text = value();
      const number = Number(text);
      if (!Number.isInteger(number) || number < min) throw new Error(`${flag} must be a whole number ≥ ${min}, not '${text}'`);
      return number;
    };
    switch (flag) {
      case '--filter': options.filter = value(); break;
      case '--sample': options.sample = whole(1); break;
      case '--fixed-sample': options.fixedSample = true; break;
      case '--seeds': options.seeds = whole(1); break;
      case '--jobs': options.jobs = whole(1); break;
      case '--compare': options.compare = path.resolve(value()); break;
      case '--out': options.out = path.resolve(value()); break;
      case '--all': options.all = true; break;
      case '--exhaustive': options.exhaustive = true; break;
      case '--strict': options.strict = true; break;
      case '--shard': {
        const [i, n] = value().split('/').map(Number);
        options.shard = [i, n];
        break;
      }
      case '--shard-out': options.shardOut = value(); break;
      case '--bases-dir': options.basesDir = value(); break;
      case '-h': case '--help':
        console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0].replace(/^\/\*\*?|^ \* ?/gm, ''));
        process.exit(0);
      default: throw new Error(`unknown option '${flag}'`);
    }
  }
  return options;
}

function selectVariants(all: Variant[], options: Options): Variant[] {
  let variants = options.fixedSample ? sampleVariants(all, PREFERRED_SAMPLE_BASES) : all;
  variants = filterVariants(variants, options.filter);
  if (options.sample !== undefined) variants = everyNth(variants, options.sample);
  return variants;
}

function readBasesDir(dir: string): Base[] {
  return JSON.parse(fs.readFileSync(path.join(dir, 'bases.json'), 'utf8')) as Base[];
}

async function runShards(variantsCount: number, options: Options, argv: string[]): Promise<VariantResult[]> {
  const jobs = Math.min(options.jobs, variantsCount);
  const tsNode = require.resolve('ts-node/dist/bin');
  const children = Array.from({ length: jobs }, (_, index) => new Promise<VariantResult[]>((resolve, reject) => {
    const shardOut = path.join(options.out, `shard-${index}.json`);
    const child = spawn(process.execPath, [tsNode, '--transpile-only', '--project', path.join(ROOT, 'test/tsconfig.json'), __filename,
      ...argv.filter((arg) => arg !== '--strict'), '--shard', `${index}/${jobs}`, '--shard-out', shardOut, '--bases-dir', options.out], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${index} exited with ${code}`));
      const results = JSON.parse(fs.readFileSync(shardOut, 'utf8')) as VariantResult[];
      fs.rmSync(shardOut, { force: true });
      resolve(results);
    });
  }));
  return (await Promise.all(children)).flat();
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

function printReport(results: VariantResult[], table: Explanation[], plan: RunPlan, seconds: number, all: boolean, bases: Base[], everyVariant: boolean): string[] {
  const lines: string[] = [];
  const grouped = group(results);
  const runs = results.reduce((sum, result) => sum + result.runs, 0);
  lines.push(`hitless agreement: ${results.length} variants of ${bases.map((base) => base.name).join(', ')} (${KNOBS.length} knobs, ${PAIRS.length} pair specs)`);
  lines.push(`each: ${plan.scenarios.join(', ')} × ${plan.placements.join(', ')} × ${plan.seeds} seeds × keep-alive off/on (${runs} simulated runs in all, ${seconds.toFixed(1)} s)`);
  lines.push('');
  for (const cls of CLASSES) lines.push(`  ${pad(cls, 16)}${pad(grouped.counts[cls], 6)}${CLASS_TEXT[cls]}`);
  lines.push(`  (agree-drops where no failing run's cause is of an error finding's category: ${grouped.agreeDropsUnwitnessed})`);
  const disagreements = results.filter((result) => !isAgreement(result.class));
  const unexplained = disagreements.filter((result) => !explanationFor(result, table));
  lines.push('');
  lines.push(`disagreements: ${disagreements.length} of ${results.length}; explained in docs/agreement.md: ${disagreements.length - unexplained.length}; unexplained: ${unexplained.length}`);
  const sorted = (record: Record<string, number>) => Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (Object.keys(grouped.checkerOnlyByRule).length > 0) {
    lines.push('', 'checker-only, by error rule (variants):');
    for (const [rule, count] of sorted(grouped.checkerOnlyByRule)) lines.push(`  ${pad(count, 5)}${rule}`);
  }
  if (Object.keys(grouped.simulatorOnlyByCause).length > 0) {
    lines.push('', 'simulator-only, by first failure cause (variants):');
    for (const [cause, count] of sorted(grouped.simulatorOnlyByCause)) lines.push(`  ${pad(count, 5)}${cause}`);
  }
  lines.push('', `by knob:  ${CLASSES.filter((cls) => cls !== 'not-simulated').map((cls) => pad(cls, 15)).join('')}`);
  for (const [knob, counts] of Object.entries(grouped.byKnob)) {
    lines.push(`  ${pad(knob, 30)}${CLASSES.filter((cls) => cls !== 'not-simulated').map((cls) => pad(counts[cls] ?? 0, 15)).join('')}`);
  }
  if (unexplained.length > 0) {
    lines.push('', `unexplained (add a row to docs/agreement.md once understood, or fix the side that is wrong):`);
    for (const result of unexplained.slice(0, all ? undefined : 60)) lines.push(`  ${result.id} (${result.class}): ${result.errors.map((error) => error.rule).join(', ') || result.failingRuns.map((run) => run.firstCause).filter((cause, index, list) => list.indexOf(cause) === index).join(', ')}`);
  }
  // Only a run over every variant can tell that a row explains nothing any more.
  const stale = everyVariant ? table.filter((row) => !results.some((result) => explanationFor(result, [row]))) : [];
  if (stale.length > 0) {
    lines.push('', `rows of docs/agreement.md that explain none of these ${results.length} variants (fixed, or not run here):`);
    for (const row of stale) lines.push(`  ${row.pattern} (${row.class})`);
  }
  for (const cls of ['checker-only', 'simulator-only', 'not-simulated'] as AgreementClass[]) {
    const members = disagreements.filter((result) => result.class === cls);
    if (members.length === 0) continue;
    lines.push('', `${cls} (${members.length}):`);
    for (const result of all ? members : members.slice(0, 60)) {
      const explained = explanationFor(result, table) ? ' [explained]' : '';
      if (cls === 'checker-only') {
        lines.push(`  ${result.id}${explained}: ${result.errors.map((error) => error.rule + (error.mechanism ? ` (${error.mechanism})` : '')).join(', ')}`);
      } else if (cls === 'simulator-only') {
        const worst = result.failingRuns.reduce((a, b) => (b.failed > a.failed ? b : a));
        lines.push(`  ${result.id}${explained}: ${result.failingRuns.length} of ${result.runs} runs fail; worst ${worst.scenario} ${worst.placement} seed ${worst.seed}${worst.keepAlive ? ' keep-alive' : ''}: ${worst.failed}/${worst.requests}, first ${worst.firstCause} at ${worst.firstFailureSeconds}s`);
      } else {
        lines.push(`  ${result.id}: ${result.notes.map((note) => note.note).join('; ')}`);
      }
    }
    if (!all && members.length > 60) lines.push(`  … ${members.length - 60} more (--all)`);
  }
  return lines;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let options: Options;
  try {
    options = parseArguments(argv);
  } catch (error) {
    console.error(`agree: ${(error as Error).message}`);
    return 2;
  }
  const plan: RunPlan = { ...DEFAULT_PLAN, seeds: options.seeds, exhaustive: options.exhaustive };
  if (options.shard) {
    const bases = readBasesDir(options.basesDir!);
    const variants = selectVariants(generateVariants(bases), options).filter((_, index) => index % options.shard![1] === options.shard![0]);
    fs.writeFileSync(options.shardOut!, JSON.stringify(variants.map((variant) => runVariant(variant, plan))));
    return 0;
  }
  const started = performance.now();
  fs.mkdirSync(options.out, { recursive: true });
  process.stderr.write('agree: synthesizing examples/cdk8s …\n');
  const bases = loadBases();
  fs.writeFileSync(path.join(options.out, 'bases.json'), JSON.stringify(bases));
  const variants = selectVariants(generateVariants(bases), options);
  process.stderr.write(`agree: ${variants.length} variants, ${options.jobs} job(s) …\n`);
  const runStarted = performance.now();
  let results: VariantResult[];
  if (options.jobs > 1 && variants.length > 1) {
    const byId = new Map((await runShards(variants.length, options, argv)).map((result) => [result.id, result]));
    results = variants.map((variant) => byId.get(variant.id)!);
  } else {
    results = variants.map((variant) => runVariant(variant, plan));
  }
  const runSeconds = (performance.now() - runStarted) / 1000;
  const table = parseExplanations(fs.readFileSync(path.join(ROOT, 'docs/agreement.md'), 'utf8'));
  const everyVariant = !options.fixedSample && !options.filter && options.sample === undefined;
  const lines = printReport(results, table, plan, runSeconds, options.all, bases, everyVariant);
  const grouped = group(results);
  const unexplained = results.filter((result) => !isAgreement(result.class) && !explanationFor(result, table));
  const report = {
    plan,
    bases: bases.map((base) => ({ name: base.name, description: base.description })),
    variants: results.length,
    seconds: { total: Math.round((performance.now() - started) / 100) / 10, runs: Math.round(runSeconds * 10) / 10 },
    ...grouped,
    unexplained: unexplained.map((result) => result.id),
    results,
  };
  const file = path.join(options.out, 'report.json');
  fs.writeFileSync(file, `${JSON.stringify(report, null, 1)}\n`);
  if (options.compare) {
    const before = JSON.parse(fs.readFileSync(options.compare, 'utf8')) as { results: VariantResult[] };
    // A partial run is compared with the same variants of the old report only.
    const ran = new Set(results.map((result) => result.id));
    const difference = compareResults(everyVariant ? before.results : before.results.filter((result) => ran.has(result.id)), results);
    lines.push('', `compared with ${path.relative(process.cwd(), options.compare)}${everyVariant ? '' : ' (these variants only)'}: ${difference.changed.length} changed class, ${difference.added.length} new, ${difference.removed.length} gone`);
    const transitions: Record<string, string[]> = {};
    for (const change of difference.changed) (transitions[`${change.from} → ${change.to}`] ??= []).push(change.id);
    for (const [transition, ids] of Object.entries(transitions).sort((a, b) => b[1].length - a[1].length)) {
      lines.push(`  ${transition} (${ids.length}):`);
      for (const id of ids) lines.push(`    ${id}`);
    }
    if (difference.added.length > 0) lines.push(`  new: ${difference.added.join(' ')}`);
    if (difference.removed.length > 0) lines.push(`  gone: ${difference.removed.join(' ')}`);
  }
  lines.push('', `report: ${path.relative(process.cwd(), file)}`);
  console.log(lines.join('\n'));
  return options.strict && unexplained.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => { process.exitCode = code; }, (error) => {
    console.error(`agree: ${(error as Error).stack ?? error}`);
    process.exitCode = 2;
  });
}
