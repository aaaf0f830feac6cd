import * as fs from 'fs';
import * as path from 'path';
import { decodeUtf8 } from '../read/load';

/** What a CLI command may touch, so that tests can run commands without a process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads standard input whole (for `-`). */
  readonly readStdin: () => Promise<string>;
  /** Whether standard output is a terminal (colour). */
  readonly isTty: boolean;
  readonly cwd: string;
}

/** A command's entry point: arguments after the command name; resolves to the exit code. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

/** The real process's streams. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => readUtf8Stream(process.stdin),
    isTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}

/**
 * A stream read whole as UTF-8 text, held to the rules files are held to: UTF-16 or bytes that are
 * not UTF-8 throw (`Buffer.toString` would turn them into replacement characters, or a UTF-16
 * manifest into zero objects, and the verdict would be about something else).
 */
export async function readUtf8Stream(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return decodeUtf8(Buffer.concat(chunks), 'standard input');
}

/**
 * The one exit-status contract of every command: 0 when the input passes (no error finding, no
 * failed request, a valid bootstrap, a timeline explained), 1 when it doesn't, 2 when the input
 * cannot be used (bad usage, unreadable or malformed input, nothing of the kind the command needs,
 * such as no gateway), 3 when it was read but not judged to the end (verdict unknown, a rollout
 * that did not finish), so that a CI gate never passes what was not judged.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_UNKNOWN = 3;

/** The exit-status table, as every `--help` and the README print it. */
export const EXIT_STATUS_HELP = `exit status (every command):
  0  the input passes: no error finding, no failed request, valid, explained
  1  it does not: an error finding, a failed request, an invalid bootstrap
  2  it cannot be used: bad usage, unreadable or malformed input, no gateway
  3  it was read but not judged to the end: verdict unknown (check --allow-unknown makes it 0),
     a rollout that did not finish within the run
`;

/** A path as the user should see it: relative to where they stand, unless that climbs out of it. */
export function shownPath(source: string, cwd: string): string {
  if (source === '-' || source.startsWith('- ')) return source;
  const relative = path.relative(cwd, source);
  return relative === '' || relative.startsWith('..') ? source : relative;
}

/**
 * Reports input that cannot be read (missing file, malformed YAML, an alias bomb) the same way
 * for every command, and returns the exit status for it.
 */
export function reportReadProblems(command: string, problems: readonly { readonly source: string; readonly message: string }[], io: CliIo, what: string): number {
  for (const problem of problems) io.stderr(`hitless ${command}: ${shownPath(problem.source, io.cwd)}: ${problem.message}\n`);
  io.stderr(`hitless ${command}: the input cannot be read; nothing was ${what}.\n`);
  return EXIT_USAGE;
}

/** The version of the installed package, from its package.json (beside dist/ and lib/). */
export function packageVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
