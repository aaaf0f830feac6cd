import * as path from 'path';
import { checkManifestFiles } from '../check/check';
import { formatJson, formatText } from '../check/format';
import { CliIo } from './io';

const USAGE = `usage: hitless check [--format text|json] [--margin SECONDS] [--allow-unknown] PATH...

Reads Kubernetes manifests (files, directories, '-' for standard input; multi-document YAML,
JSON, Lists; Envoy bootstraps in ConfigMaps; Gloo Edge Upstreams and VirtualServices) and reports
every way a rollout would drop requests, with the numbers and the fix.

options:
  --format text|json   output format (default text; json: {"verdict", "findings", "summary"})
  --margin SECONDS     margin added to every window (default 5)
  --allow-unknown      exit 0 on the verdict unknown (default: exit 3)
  -h, --help           this help

exit status: 0 hitless (no error finding, nothing unknown), 1 at least one error finding,
             2 input that cannot be read, 3 verdict unknown (0 with --allow-unknown).
verdict: hitless (no error, nothing unknown), drops-requests (an error),
         unknown (no error, but nothing to judge or something hitless cannot read).
`;

/** `hitless check PATH...`. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let format: 'text' | 'json' = 'text';
  let marginSeconds: number | undefined;
  let allowUnknown = false;
  const paths: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '-h' || arg === '--help') {
      io.stdout(USAGE);
      return 0;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--format' || flag === '-o') {
      const value = inline ?? argv[++index];
      if (value !== 'text' && value !== 'json') {
        io.stderr(`hitless check: --format must be text or json, not ${value === undefined ? 'nothing' : `'${value}'`}\n`);
        return 2;
      }
      format = value;
    } else if (flag === '--margin') {
      const value = inline ?? argv[++index];
      const number = Number(value);
      if (value === undefined || value.trim() === '' || !Number.isFinite(number) || number < 0) {
        io.stderr(`hitless check: --margin must be a number of seconds ≥ 0, not ${value === undefined ? 'nothing' : `'${value}'`}\n`);
        return 2;
      }
      marginSeconds = number;
    } else if (arg === '--allow-unknown') {
      allowUnknown = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      io.stderr(`hitless check: unknown option '${arg}'\n\n${USAGE}`);
      return 2;
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) {
    io.stderr(`hitless check: no PATH given\n\n${USAGE}`);
    return 2;
  }
  const resolved = paths.map((each) => (each === '-' ? each : path.resolve(io.cwd, each)));
  const report = await checkManifestFiles(resolved, io.readStdin, { marginSeconds });
  if (report.problems.length > 0) {
    const shown = (source: string) => {
      if (source === '-' || source.startsWith('- ')) return source;
      // Relative to where the user stands, unless that means climbing out of it.
      const relative = path.relative(io.cwd, source);
      return relative === '' || relative.startsWith('..') ? source : relative;
    };
    for (const problem of report.problems) io.stderr(`hitless check: ${shown(problem.source)}: ${problem.message}\n`);
    io.stderr('hitless check: the input cannot be read; nothing was checked.\n');
    return 2;
  }
  io.stdout(format === 'json' ? formatJson(report) : formatText(report, { color: io.isTty }));
  return exitCodeOf(report.summary.errors, report.verdict, allowUnknown);
}

/** Exit 3 for `unknown`, distinct from errors (1) and unreadable input (2), so that a CI gate does not pass what hitless could not judge. */
export const EXIT_UNKNOWN = 3;

export function exitCodeOf(errors: number, verdict: string, allowUnknown: boolean): number {
  if (errors > 0) return 1;
  return verdict === 'unknown' && !allowUnknown ? EXIT_UNKNOWN : 0;
}
