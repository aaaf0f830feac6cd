import * as path from 'path';
import { checkManifestFiles } from '../check/check';
import { formatJson, formatText, toJson } from '../check/format';
import { formatWitnessText, witnessJson, witnessManifestFiles } from '../check';
import { CliIo, EXIT_FAILED, EXIT_OK, EXIT_STATUS_HELP, EXIT_UNKNOWN, reportReadProblems } from './io';

const USAGE = `usage: hitless check [--format text|json] [--margin SECONDS] [--witness [--witness-dir DIR]] [--allow-unknown] PATH...

Reads Kubernetes manifests (files, directories, '-' for standard input; multi-document YAML,
JSON, Lists; Envoy bootstraps in ConfigMaps; Gloo Edge Upstreams and VirtualServices) and reports
every way a rollout would drop requests, with the numbers and the fix.

options:
  --format text|json   output format (default text; json: {"verdict", "security", "findings", "summary"})
  --margin SECONDS     margin added to every window (default 5)
  --witness            simulate each error finding on these manifests and show the first request it drops;
                       for a verdict without errors, say which scenarios, placements and seeds it rests on
  --witness-dir DIR    write each witness's timeline (SVG) into DIR
  --allow-unknown      exit 0 on the verdict unknown (default: exit 3)
  -h, --help           this help

${EXIT_STATUS_HELP}verdict: hitless (no error, nothing unknown), drops-requests (an error),
         unknown (no error, but nothing to judge or something hitless cannot read).
security: ok, or exposed (e.g. Envoy admin beyond loopback): reported apart, never
         turns the verdict into drops-requests.
`;

/** `hitless check PATH...`. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  let format: 'text' | 'json' = 'text';
  let marginSeconds: number | undefined;
  let witness = false;
  let witnessDir: string | undefined;
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
    } else if (flag === '--witness') {
      witness = true;
    } else if (flag === '--witness-dir') {
      witnessDir = inline ?? argv[++index];
      if (witnessDir === undefined || witnessDir === '') {
        io.stderr('hitless check: --witness-dir needs a directory\n');
        return 2;
      }
      witness = true;
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
  const witnessed = witness ? await witnessManifestFiles(resolved, io.readStdin, { marginSeconds, witnessDir: witnessDir && path.resolve(io.cwd, witnessDir) }) : undefined;
  const report = witnessed?.report ?? await checkManifestFiles(resolved, io.readStdin, { marginSeconds });
  if (report.problems.length > 0) return reportReadProblems('check', report.problems, io, 'checked');
  if (witnessed) {
    const json = toJson(report);
    const witnesses = witnessJson(witnessed, io.cwd);
    io.stdout(format === 'json'
      ? `${JSON.stringify({ ...json, findings: json.findings.map((finding, index) => ({ ...finding, ...(witnesses.findings[index] ? { witness: witnesses.findings[index] } : {}) })), ...(witnesses.sweep ? { witness: witnesses.sweep } : {}) }, null, 2)}\n`
      : formatText(report, { color: io.isTty }) + formatWitnessText(witnessed, io.cwd));
  } else {
    io.stdout(format === 'json' ? formatJson(report) : formatText(report, { color: io.isTty }));
  }
  return exitCodeOf(report.summary.errors + report.summary.securityErrors, report.verdict, allowUnknown);
}

/** The exit status of a check: an error beats unknown; unknown is 3 unless the user accepts it. */
export function exitCodeOf(errors: number, verdict: string, allowUnknown: boolean): number {
  if (errors > 0) return EXIT_FAILED;
  return verdict === 'unknown' && !allowUnknown ? EXIT_UNKNOWN : EXIT_OK;
}
