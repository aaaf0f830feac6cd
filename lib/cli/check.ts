import * as path from 'path';
import { checkManifestFiles } from '../check/check';
import { formatJson, formatText } from '../check/format';
import { CliIo, EXIT_STATUS_HELP, reportReadProblems } from './io';

const USAGE = `usage: hitless check [--format text|json] [--margin SECONDS] PATH...

Reads Kubernetes manifests (files, directories, '-' for standard input; multi-document YAML,
JSON, Lists; Envoy bootstraps in ConfigMaps; Gloo Edge Upstreams and VirtualServices) and reports
every way a rollout would drop requests, with the numbers and the fix.

options:
  --format text|json   output format (default text; json: {"verdict", "findings", "summary"})
  --margin SECONDS     margin added to every window (default 5)
  -h, --help           this help

${EXIT_STATUS_HELP}verdict: hitless (no error, nothing unknown), drops-requests (an error),
         unknown (no error, but nothing to judge or something hitless cannot read).
`;

/** `hitless check PATH...`. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let format: 'text' | 'json' = 'text';
  let marginSeconds: number | undefined;
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
  if (report.problems.length > 0) return reportReadProblems('check', report.problems, io, 'checked');
  io.stdout(format === 'json' ? formatJson(report) : formatText(report, { color: io.isTty }));
  return report.summary.errors > 0 ? 1 : 0;
}
