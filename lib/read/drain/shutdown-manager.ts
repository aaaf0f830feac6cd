import { asArray, at, Json } from '../fields';
import { basename, SHELLS, splitWords } from '../shell-script';
import { flagSeconds } from './stop-command';

/**
 * The words of a sidecar's preStop command that `matches`: shutdown managers (Contour's, Envoy
 * Gateway's) run their `shutdown` command there, and their flags say how the drain is timed.
 */
export function findShutdownCommand(siblings: Json[], matches: (words: string[]) => boolean): string[] | undefined {
  for (const sibling of siblings) {
    const command = asArray(at(sibling, 'lifecycle', 'preStop', 'exec', 'command')).filter((word): word is string => typeof word === 'string');
    const words = command.length === 3 && SHELLS.has(basename(command[0])) && command[1] === '-c' ? splitWords(command[2]) : command;
    if (words.length > 0 && matches(words)) return words;
  }
  return undefined;
}

/** Whether an httpGet `port` may be the shutdown manager's: its number, or a named port hitless can't resolve. */
export function mayBePort(port: unknown, shutdownPort: number): boolean {
  return port === shutdownPort || port === String(shutdownPort) || typeof port === 'string';
}

/** A duration flag of the sidecar's command, when there is a sidecar to read. */
export function sidecarFlagSeconds(words: string[] | undefined, name: string): number | undefined {
  return words ? flagSeconds(words, [name]) : undefined;
}
