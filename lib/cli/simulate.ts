import { promises as fs } from 'fs';
import * as path from 'path';
import { Duration } from '../core/duration';
import { readManifestFiles } from '../read/index';
import { LoadProfile } from '../simulate/clients';
import { Placement, PLACEMENTS } from '../simulate/kubernetes';
import { formatResultText, formatRunsText, resultJson, runsJson, simulateRuns } from '../simulate/report';
import { isScenario, Scenario, SCENARIOS } from '../simulate/scenarios';
import { SimulationOptions, SimulationResult } from '../simulate/simulation';
import { renderTimelineSvg } from '../simulate/timeline-svg';
import { CliIo, EXIT_UNKNOWN, EXIT_STATUS_HELP, reportReadProblems } from './io';

const USAGE = `usage: hitless simulate PATH... --scenario SCENARIO [options]

Plays a rollout of these manifests under load, like hey against the load balancer, and counts
every request the clients would see fail, with the invariant behind each failure.

scenarios:
${Object.entries(SCENARIOS).map(([name, text]) => `  ${name.padEnd(26)} ${text}`).join('\n')}

options:
  --scenario NAME          one of the scenarios above (required)
  --placement WHERE        same-node | new-node | random: where new pods land (default new-node)
  --concurrency N          workers, one request in flight each (hey -c; default 4)
  --rate N                 requests per second per worker, 0 for unlimited (hey -q; default 10)
  --timeout DURATION       client timeout per request (hey -t; default 1s)
  --no-keepalive           a new connection per request (hey -disable-keepalive; the default)
  --keepalive              keep connections open between requests
  --duration DURATION      load duration (hey -z; default: until the rollout has finished and settled)
  --client-retries N       clients send a failed request again, through the load balancer, up to N times (default 0)
  --nodes N                nodes in the cluster (default: twice the gateway replicas and one; 3 for a DaemonSet)
  --long-requests N        extra workers sending long requests (default 0)
  --long-delay DURATION    how long a long request takes (default 3s)
  --long-timeout DURATION  client timeout of a long request (default 10s)
  --seed N                 seed of the run (default 1); runs are reproducible
  --runs N                 N runs, seeds N, N+1, …: the distribution of failures (default 1)
  --gateway NAME           the gateway to play, by name or Kind/namespace/name (default the first)
  --upstream NAME          the upstream behind it (default the first it routes to)
  --format text|json       output format (default text)
  --timeline FILE.svg      write the run's timeline picture, an SVG (with --runs, the run with most failures)
  -h, --help               this help

${EXIT_STATUS_HELP}`;

/** Parsed command line of `hitless simulate`. */
export interface SimulateArguments {
  readonly paths: string[];
  readonly options: SimulationOptions;
  readonly runs: number;
  readonly format: 'text' | 'json';
  readonly timeline?: string;
}

/** The flags of one command line as they are read, before the checks that need all of them. */
interface ParsedFlags {
  readonly paths: string[];
  scenario?: Scenario;
  placement?: Placement;
  seed: number;
  runs: number;
  format: 'text' | 'json';
  timeline?: string;
  gateway?: string;
  upstream?: string;
  clusterNodes?: number;
  readonly load: { -readonly [K in keyof LoadProfile]: LoadProfile[K] };
}

/** One flag being read: its value inline (`--flag=value`) or the next argument, checked by kind. */
class FlagReader {
  constructor(
    private readonly argv: string[],
    /** Index of the argument being read; taking a value from the next argument moves it on. */
    public index: number,
    public readonly flag: string,
    private readonly inline: string | undefined,
  ) {}

  public value(): string {
    const taken = this.inline ?? this.argv[++this.index];
    if (taken === undefined) throw new Error(`${this.flag} needs a value`);
    return taken;
  }

  public whole(min: number): number {
    const text = this.value();
    const number = Number(text);
    if (text.trim() === '' || !Number.isInteger(number) || number < min) throw new Error(`${this.flag} must be a whole number ≥ ${min}, not '${text}'`);
    return number;
  }

  public seconds(): number {
    const text = this.value();
    try {
      return Duration.parse(text).toSeconds();
    } catch {
      throw new Error(`${this.flag} must be a duration such as 500ms, 1s or 1m30s, not '${text}'`);
    }
  }

  /** One of `allowed`, else an error listing them. */
  public oneOf<T extends string>(allowed: readonly T[]): T {
    const text = this.value();
    if (!(allowed as readonly string[]).includes(text)) throw new Error(`${this.flag} must be one of ${allowed.join(', ')}, not '${text}'`);
    return text as T;
  }
}

/** Parses the arguments; throws an Error naming the flag and the value it cannot take. */
export function parseSimulateArguments(argv: string[]): SimulateArguments | 'help' {
  const parsed: ParsedFlags = { paths: [], seed: 1, runs: 1, format: 'text', load: {} };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '-h' || arg === '--help') return 'help';
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') throw new Error(`unknown option '${arg}'`);
      parsed.paths.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const reader = new FlagReader(argv, index, equals > 0 ? arg.slice(0, equals) : arg, equals > 0 ? arg.slice(equals + 1) : undefined);
    if (!applyFlag(parsed, reader)) throw new Error(`unknown option '${arg}'`);
    index = reader.index;
  }
  const { paths, scenario, placement, seed, runs, format, timeline, gateway, upstream, clusterNodes, load } = parsed;
  if (paths.length === 0) throw new Error('no PATH given');
  if (!scenario) throw new Error(`--scenario is required (${Object.keys(SCENARIOS).join(', ')})`);
  if (load.timeoutSeconds !== undefined && load.timeoutSeconds <= 0) throw new Error('--timeout must be longer than 0s');
  if (load.durationSeconds !== undefined && load.durationSeconds <= 0) throw new Error('--duration must be longer than 0s: a run without load shows nothing');
  return {
    paths, runs, format, timeline,
    options: { scenario, placement, seed, load, gateway, upstream, ...(clusterNodes !== undefined ? { parameters: { clusterNodes } } : {}) },
  };
}

/** Reads one `--flag` into `parsed`; false when the flag is unknown. */
function applyFlag(parsed: ParsedFlags, reader: FlagReader): boolean {
  const load = parsed.load;
  switch (reader.flag) {
    case '--no-keepalive': case '--disable-keepalive': load.keepAlive = false; break;
    case '--keepalive': load.keepAlive = true; break;
    case '--scenario': {
      const text = reader.value();
      if (!isScenario(text)) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}, not '${text}'`);
      parsed.scenario = text;
      break;
    }
    case '--placement': parsed.placement = reader.oneOf(PLACEMENTS); break;
    case '--concurrency': load.concurrency = reader.whole(0); break;
    case '--rate': {
      const text = reader.value();
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number) || number < 0) throw new Error(`--rate must be a number ≥ 0, not '${text}'`);
      load.rate = number;
      break;
    }
    case '--timeout': load.timeoutSeconds = reader.seconds(); break;
    case '--duration': load.durationSeconds = reader.seconds(); break;
    case '--client-retries': load.clientRetries = reader.whole(0); break;
    case '--nodes': parsed.clusterNodes = reader.whole(1); break;
    case '--long-requests': load.longRequests = reader.whole(0); break;
    case '--long-delay': load.longDelaySeconds = reader.seconds(); break;
    case '--long-timeout': load.longTimeoutSeconds = reader.seconds(); break;
    case '--seed': parsed.seed = reader.whole(0); break;
    case '--runs': parsed.runs = reader.whole(1); break;
    case '--gateway': parsed.gateway = reader.value(); break;
    case '--upstream': parsed.upstream = reader.value(); break;
    case '--timeline': {
      const timeline = reader.value();
      // The picture is SVG: a .png (or any other name) would hold SVG under the wrong name.
      if (!/\.svg$/i.test(timeline)) throw new Error(`--timeline writes an SVG picture: name the file *.svg, not '${timeline}'`);
      parsed.timeline = timeline;
      break;
    }
    case '--format': case '-o': {
      const text = reader.value();
      if (text !== 'text' && text !== 'json') throw new Error(`--format must be text or json, not '${text}'`);
      parsed.format = text;
      break;
    }
    default:
      return false;
  }
  return true;
}

/** `hitless simulate PATH... --scenario ...`. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed: SimulateArguments | 'help';
  try {
    parsed = parseSimulateArguments(argv);
  } catch (error) {
    io.stderr(`hitless simulate: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  const resolved = parsed.paths.map((each) => (each === '-' ? each : path.resolve(io.cwd, each)));
  const read = await readManifestFiles(resolved, io.readStdin);
  if (read.problems.length > 0) return reportReadProblems('simulate', read.problems, io, 'simulated');
  if (read.objectCount === 0) {
    io.stderr(`hitless simulate: no Kubernetes object found in ${parsed.paths.join(' ')}\n`);
    return 2;
  }
  let worst: SimulationResult;
  let output: string;
  let unfinished = 0;
  try {
    const summary = simulateRuns(read.topology, parsed.options, parsed.runs);
    worst = summary.results.reduce((a, b) => (b.failed > a.failed ? b : a));
    unfinished = summary.unfinished;
    if (parsed.runs === 1) {
      output = parsed.format === 'json' ? `${JSON.stringify(resultJson(summary.results[0]), null, 2)}\n` : formatResultText(summary.results[0]);
    } else {
      output = parsed.format === 'json' ? `${JSON.stringify(runsJson(summary), null, 2)}\n` : formatRunsText(summary);
    }
  } catch (error) {
    io.stderr(`hitless simulate: ${(error as Error).message}\n`);
    return 2;
  }
  if (parsed.timeline) {
    const file = path.resolve(io.cwd, parsed.timeline);
    await fs.writeFile(file, renderTimelineSvg(worst));
    if (parsed.format === 'text') output += `\nTimeline: ${path.relative(io.cwd, file) || file}${parsed.runs > 1 ? ` (seed ${worst.seed}, the run with most failures)` : ''}\n`;
  }
  io.stdout(output);
  if (worst.failed > 0) return 1;
  if (unfinished > 0) {
    io.stderr(`hitless simulate: the rollout did not finish within the run${parsed.runs > 1 ? ` in ${unfinished} of ${parsed.runs} runs` : ''}; run longer (or leave --duration out to run until it has settled)\n`);
    return EXIT_UNKNOWN;
  }
  return 0;
}
