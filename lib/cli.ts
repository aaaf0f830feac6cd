#!/usr/bin/env node
import { CliCommand, CliIo, EXIT_OK, EXIT_STATUS_HELP, EXIT_USAGE, packageVersion, processIo } from './cli/io';

const USAGE = `usage: hitless <command> [options]

commands:
  check PATH...          report every way a rollout of these manifests would drop requests
  simulate PATH...       play a rollout under load and count failed requests
  explain DIR            print the timeline of one gateway pod's termination
  envoy-validate FILE    validate an Envoy bootstrap (YAML, JSON, or a ConfigMap) against Envoy's protos

options:
  --version              print the version
  -h, --help             this help

Every command takes --format text|json and --help.
Run 'hitless <command> --help' for a command's options.

${EXIT_STATUS_HELP}`;

/** Commands load lazily so that one command's dependencies (protobuf, say) don't slow the others. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {};

function register(name: string, load: () => Promise<CliCommand>): void {
  COMMANDS[name] = load;
}

register('check', async () => (await import('./cli/check')).main);
register('simulate', async () => (await import('./cli/simulate')).main);
register('explain', async () => (await import('./cli/explain')).main);
register('envoy-validate', async () => (await import('./cli/envoy-validate')).main);

export async function run(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const load = COMMANDS[command];
  if (!load) {
    io.stderr(`hitless: unknown command '${command}'\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    // A command should report its own errors; this is the last line so users never see a stack trace.
    io.stderr(`hitless ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}

export { register };

if (require.main === module) {
  void run(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
