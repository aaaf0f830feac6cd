import { Json } from '../fields';
import { readIngressNginxWaitShutdown } from './ingress-nginx';
import { readKongQuit, readNginxSignal } from './kong';
import { readIstioAgent, readTraefik } from './sigterm';
import { StopCommandReader, StopReading } from './stop-command';

export * from './stop-command';
export * from './contour';
export * from './envoy-gateway';
export * from './ingress-nginx';
export * from './kong';
export * from './sigterm';
export * from './timeline';

/** The stop commands hitless reads inside a preStop, each from its project's source. */
const STOP_COMMANDS: StopCommandReader[] = [readIngressNginxWaitShutdown, readKongQuit, readNginxSignal];

/** A proxy's own stop command among a preStop's words (`/wait-shutdown`, `kong quit`, `nginx -s quit`). */
export function readStopCommand(words: string[], container: Json): StopReading | undefined {
  for (const reader of STOP_COMMANDS) {
    const reading = reader({ words, container });
    if (reading) return reading;
  }
  return undefined;
}

/** What a container without a preStop does on SIGTERM, when it is a proxy that drains by itself (Istio, Traefik). */
export function readSigtermDrain(container: Json, podAnnotations: Record<string, string> = {}): StopReading | undefined {
  return readIstioAgent(container, podAnnotations) ?? readTraefik(container);
}
