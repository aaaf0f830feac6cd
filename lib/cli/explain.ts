import * as path from 'path';
import { explainGatewayTermination } from '../core/explain';
import { renderTimeline } from '../core/render-timeline';
import { readManifestFiles } from '../read';
import { CliIo, EXIT_OK, EXIT_STATUS_HELP, EXIT_USAGE, reportReadProblems } from './io';

const USAGE = `usage: hitless explain [options] PATH...

Prints the timeline of one gateway pod's termination, for each gateway in the manifests: when it
fails its health check, when the load balancer stops sending it new connections, when it stops
serving, when its connections are drained, when it exits and when it would be killed, with the
margin between each step and the one it must follow.

PATH is a synthesized directory (cdk8s dist/), a manifest file, or - for standard input.

options:
  --gateway NAME   only the gateways whose Kind/namespace/name contains NAME
  --format text|json  output format (default text; json: the timelines; --json is a deprecated alias)
  --width N        width of the timeline bar (default 60)
  -h, --help       this text

${EXIT_STATUS_HELP}`;

interface Options {
  readonly paths: string[];
  readonly gateway?: string;
  readonly json: boolean;
  readonly width?: number;
}

function parse(argv: string[]): Options | string {
  const paths: string[] = [];
  let gateway: string | undefined;
  let json = false;
  let width: number | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--json') json = true;
    else if (arg === '--format' || arg === '-o' || arg.startsWith('--format=')) {
      const value = arg.startsWith('--format=') ? arg.slice('--format='.length) : argv[++index];
      if (value !== 'text' && value !== 'json') return `--format must be text or json, not ${value === undefined ? 'nothing' : `'${value}'`}`;
      json = value === 'json';
    } else if (arg === '--gateway' || arg === '--width') {
      const value = argv[++index];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--gateway') gateway = value;
      else {
        width = Number(value);
        if (!Number.isInteger(width) || width < 20) return `--width (${value}) must be a whole number of at least 20`;
      }
    } else if (arg.startsWith('--gateway=')) gateway = arg.slice('--gateway='.length);
    else if (arg.startsWith('-') && arg !== '-') return `unknown option '${arg}'`;
    else paths.push(arg);
  }
  if (paths.length === 0) return 'a path to read is needed';
  return { paths, gateway, json, width };
}

/** `hitless explain PATH...`. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.stdout(USAGE);
    return 0;
  }
  const options = parse(argv);
  if (typeof options === 'string') {
    io.stderr(`hitless explain: ${options}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const result = await readManifestFiles(options.paths.map((each) => (each === '-' ? each : path.resolve(io.cwd, each))), io.readStdin);
  if (result.problems.length > 0) return reportReadProblems('explain', result.problems, io, 'explained');
  if (result.objectCount === 0) {
    io.stderr(`hitless explain: no Kubernetes objects in ${options.paths.join(', ')}\n`);
    return EXIT_USAGE;
  }
  const gateways = result.topology.gateways.filter((gateway) => options.gateway === undefined || gateway.workload.object.includes(options.gateway));
  if (gateways.length === 0) {
    io.stderr(`hitless explain: no gateway${options.gateway !== undefined ? ` matching '${options.gateway}'` : ''} found (a gateway is a workload behind a LoadBalancer or NodePort Service, or one that runs Envoy)\n`);
    return EXIT_USAGE;
  }
  const timelines = gateways.map((gateway) => explainGatewayTermination(gateway));
  if (options.json) {
    io.stdout(`${JSON.stringify(timelines, null, 2)}\n`);
  } else {
    io.stdout(timelines.map((timeline) => renderTimeline(timeline, { width: options.width })).join('\n'));
  }
  return EXIT_OK;
}
