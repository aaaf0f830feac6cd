import { promises as fs } from 'fs';
import * as path from 'path';
import { formatEnvoyProblem } from '../core/envoy/envoy-problem';
import { validateBootstrap } from '../core/envoy/validate';
import { EnvoyConfigParseError, findEnvoyConfigs } from '../read/find-envoy-configs';
import { decodeUtf8 } from '../read/load';
import { CliIo, EXIT_STATUS_HELP, EXIT_USAGE } from './io';

const USAGE = `usage: hitless envoy-validate [--format text|json] FILE...

Validates Envoy v3 bootstraps strictly against Envoy's own API protos: unknown fields, wrong
types, unknown enum names, unresolvable @type, bad durations, oneof conflicts and the API's
validation rules (required fields, bounds) are errors; deprecated fields are warnings.

FILE is a YAML or JSON bootstrap, or Kubernetes YAML holding ConfigMaps with one
(data keys ending in .yaml/.yml/.json, or whose value looks like a bootstrap). '-' reads stdin.

options:
  --format text|json   output format (default text; json: {"bootstraps": [{"source", "valid", "problems"}]})
  -h, --help           this help

${EXIT_STATUS_HELP}`;

/** Reads one FILE argument; `-` is standard input. */
async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === '-') return io.readStdin();
  // Held to the rules `check` holds files to: UTF-8 only, so both judge the same text.
  return decodeUtf8(await fs.readFile(path.resolve(io.cwd, file)));
}

function readFailure(file: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file}: is a directory`;
  if (code === 'EACCES') return `${file}: permission denied`;
  return `${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`;
}

/** `hitless envoy-validate FILE...` */
export async function main(argv: string[], io: CliIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let format: 'text' | 'json' = 'text';
  const files: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--format' || arg === '-o' || arg.startsWith('--format=')) {
      const value = arg.startsWith('--format=') ? arg.slice('--format='.length) : argv[++index];
      if (value !== 'text' && value !== 'json') {
        io.stderr(`hitless envoy-validate: --format must be text or json, not ${value === undefined ? 'nothing' : `'${value}'`}\n`);
        return EXIT_USAGE;
      }
      format = value;
    } else if (arg.startsWith('-') && arg !== '-') {
      io.stderr(`hitless envoy-validate: unknown option '${arg}'\n\n${USAGE}`);
      return EXIT_USAGE;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    io.stderr(`hitless envoy-validate: no FILE given\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const out = format === 'text' ? io.stdout : () => undefined;
  const bootstraps: { source: string; valid: boolean; problems: ReturnType<typeof validateBootstrap> }[] = [];

  let status = 0;
  for (const file of files) {
    const label = file === '-' ? '<stdin>' : file;
    let text: string;
    try {
      text = await readInput(file, io);
    } catch (error) {
      io.stderr(`hitless envoy-validate: ${readFailure(label, error)}\n`);
      status = 2;
      continue;
    }
    let configs;
    try {
      configs = findEnvoyConfigs(text, label);
    } catch (error) {
      if (!(error instanceof EnvoyConfigParseError)) throw error;
      io.stderr(`hitless envoy-validate: ${error.message}\n`);
      status = 2;
      continue;
    }
    for (const { where, config } of configs) {
      const source = where === '' ? label : `${label} (${where})`;
      const problems = validateBootstrap(config);
      const errors = problems.filter((problem) => problem.severity === 'error');
      bootstraps.push({ source, valid: errors.length === 0, problems });
      for (const problem of problems) out(`${source}: ${formatEnvoyProblem(problem)}\n`);
      if (errors.length > 0) {
        status = Math.max(status, 1);
      } else {
        const warnings = problems.length - errors.length;
        out(`${source}: OK, a valid Envoy v3 bootstrap${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`);
      }
    }
  }
  if (format === 'json') io.stdout(`${JSON.stringify({ bootstraps }, null, 2)}\n`);
  return status;
}
