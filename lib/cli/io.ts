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
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    isTty: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}
