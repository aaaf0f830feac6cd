import { DrainModel } from '../../core/model';
import { Json, parseDurationSeconds } from '../fields';


/**
 * What a proxy's own stop command (run from a preStop) or its SIGTERM handler does to the
 * timeline, read from the proxy's source: how long it keeps accepting new connections, how long
 * it then finishes what it has, and whether its readiness fails as soon as it starts to stop.
 */
export interface StopReading {
  /** Seconds from the command (or SIGTERM) during which the proxy still accepts new connections. */
  readonly keepAcceptingSeconds: number;
  /** Further seconds it may spend finishing requests in flight before it is gone. */
  readonly finishSeconds: number;
  /** Whether it closes idle keep-alive connections on its own while it finishes. */
  readonly closesIdleConnections: boolean;
  /** The readiness path that fails from the moment it starts to stop (a probe on it then fails too). */
  readonly readinessFailsOn?: string;
  /** The command and its timing as read, for messages and `explain`. */
  readonly description: string;
}

/** The words of a command line and the container that runs it. */
export interface StopCommandContext {
  readonly words: string[];
  readonly container: Json;
}

/** A reader recognises its command (undefined otherwise). */
export type StopCommandReader = (context: StopCommandContext) => StopReading | undefined;

/** The words of a container's command and args (strings only). */
export function containerWords(container: Json): string[] {
  const words: unknown[] = [...(Array.isArray(container.command) ? container.command : []), ...(Array.isArray(container.args) ? container.args : [])];
  return words.filter((word): word is string => typeof word === 'string');
}

/**
 * A duration flag among words (`--flag N`, `--flag=N`, `-f N`): plain numbers are seconds, Go
 * durations (`90s`, `1m30s`) are read as Go reads them. Undefined when absent or unreadable.
 */
export function flagSeconds(words: string[], names: string[]): number | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    for (const name of names) {
      let value: string | undefined;
      if (word === name) value = words[index + 1];
      else if (word.startsWith(`${name}=`)) value = word.slice(name.length + 1);
      if (value === undefined) continue;
      const seconds = durationSeconds(value);
      if (seconds !== undefined) return seconds;
    }
  }
  return undefined;
}

/** `90`, `90s`, `1m30s`, `1.5h`, `500ms` → seconds: a plain number is seconds, anything else a Go duration. */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return parseDurationSeconds(trimmed);
}

/** The DrainModel a stop reading amounts to, after `sleepBeforeSeconds` of plain sleeps in the same hook. */
export function stopDrainModel(reading: StopReading, sleepBeforeSeconds = 0, sleepAfterSeconds = 0): DrainModel {
  return {
    // The proxy does not fail a load-balancer health check of its own: to the load balancer it is a wait.
    mechanism: 'sleep',
    failsHealthCheck: false,
    keepServingSeconds: sleepBeforeSeconds + reading.keepAcceptingSeconds,
    drainSeconds: reading.finishSeconds + sleepAfterSeconds,
    drainsConnections: reading.closesIdleConnections,
    description: sleepBeforeSeconds > 0 ? `sleep ${sleepBeforeSeconds}s, then ${reading.description}` : reading.description,
  };
}
