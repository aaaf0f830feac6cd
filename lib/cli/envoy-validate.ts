import { promises as fs } from 'fs';
import * as path from 'path';
import { EnvoyConfigParseError, findEnvoyConfigs, formatEnvoyProblem, validateBootstrap } from '../core/envoy/validate';
import { CliIo } from './io';

const USAGE = `usage: hitless envoy-validate FILE...

Validates Envoy v3 bootstraps strictly against Envoy's own API protos: unknown fields, wrong
types, unknown enum names, unresolvable @type, bad durations, oneof conflicts and the API's
validation rules (required fields, bounds) are errors; deprecated fields are warnings.

FILE is a YAML or JSON bootstrap, or Kubernetes YAML holding ConfigMaps with one
(data keys ending in .yaml/.yml/.json, or whose value looks like a bootstrap). '-' reads stdin.

exit status: 0 valid, 1 problems found, 2 a file could not be read or parsed
`;

/** Reads one FILE argument; `-` is standard input. */
async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === '-') return io.readStdin();
  return fs.readFile(path.resolve(io.cwd, file), 'utf8');
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
  const unknownOption = argv.find((arg) => arg.startsWith('-') && arg !== '-');
  if (unknownOption !== undefined || argv.length === 0) {
    io.stderr(`${unknownOption !== undefined ? `hitless envoy-validate: unknown option '${unknownOption}'\n\n` : ''}${USAGE}`);
    return 2;
  }

  let status = 0;
  for (const file of argv) {
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
      for (const problem of problems) io.stdout(`${source}: ${formatEnvoyProblem(problem)}\n`);
      if (errors.length > 0) {
        status = Math.max(status, 1);
      } else {
        const warnings = problems.length - errors.length;
        io.stdout(`${source}: OK, a valid Envoy v3 bootstrap${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`);
      }
    }
  }
  return status;
}
