import { Finding } from '../core/finding';
import { DrainModel } from '../core/model';
import { readContourShutdown, readEnvoyGatewayShutdown, readSigtermDrain, stopDrainModel } from './drain';
import { asArray, asObject, asString, at, describeValue, isObject, Json } from './fields';
import { ExecExtras, readExec } from './pre-stop-exec';
import { noDrain, notPost, unknownDrain } from './pre-stop-verdicts';

/**
 * Reads a container's preStop hook into a DrainModel, as conservatively as its text allows: what
 * is not one of the forms below is `unknown`, never a guess.
 *
 * - `sleep N` (exec, `/bin/sleep`, `sh -c "...; sleep N"`) and the native `sleep: {seconds}` action;
 * - a POST to Envoy admin `/healthcheck/fail` (wget `--post-data`, curl `-X POST`/`-d`, bash
 *   `/dev/tcp`) followed by sleeps;
 * - the shutdown managers of Envoy Gateway (httpGet `/shutdown/ready` on 19002, sidecar
 *   `envoy shutdown --drain-timeout --min-drain-duration`, defaults 60 s and 10 s) and Contour
 *   (httpGet `/shutdown` on 8090, sidecar `contour envoy shutdown --check-delay --drain-delay`,
 *   defaults 0 s: after failing the health check it exits as soon as no connection is open).
 */

/** What the reader knows of the container whose preStop it reads. */
export interface PreStopContext {
  /** `Kind/namespace/name` of the workload, for findings. */
  readonly object: string;
  readonly containerName: string;
  readonly image?: string;
  /** The other containers of the pod (shutdown-manager sidecars live there). */
  readonly siblings: Json[];
  /** The pod template's annotations (Istio's `proxy.istio.io/config` lives there). */
  readonly podAnnotations?: Record<string, string>;
}

export interface PreStopReading {
  readonly drain: DrainModel;
  readonly findings: Finding[];
  /** The port the hook POSTs `/healthcheck/fail` to, where its URL (or `/dev/tcp/HOST/PORT`) says. */
  readonly healthCheckFailPort?: number;
  /** What the hook amounts to when that POST reaches no Envoy admin (a wrong port): its waits alone. */
  readonly drainIfHealthCheckNotFailed?: DrainModel;
  /** The readiness path the proxy fails from the moment it starts to stop (lib/read/drain), if any. */
  readonly readinessFailsOn?: string;
}

/** Reads the preStop of one container. */
export function readPreStop(container: Json, context: PreStopContext): PreStopReading {
  const findings: Finding[] = [];
  const preStop = at(container, 'lifecycle', 'preStop');
  if (preStop === undefined || preStop === null) {
    // Some proxies drain on SIGTERM by themselves (Istio's pilot-agent, Traefik's accept grace): read from their source.
    const own = readSigtermDrain(container, context.podAnnotations);
    if (own && own.keepAcceptingSeconds > 0) return { drain: stopDrainModel(own), findings, ...(own.readinessFailsOn ? { readinessFailsOn: own.readinessFailsOn } : {}) };
    return { drain: noDrain(), findings };
  }
  if (!isObject(preStop)) return { drain: unknownDrain(`preStop is ${describeValue(preStop)}`), findings };

  const sleepAction = asObject(preStop.sleep);
  if (sleepAction) {
    const seconds = sleepAction.seconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
      return { drain: { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: seconds, drainSeconds: 0, drainsConnections: false, description: `sleep action, ${seconds}s` }, findings };
    }
    return { drain: unknownDrain(`sleep action with seconds ${describeValue(seconds)}`), findings };
  }

  const httpGet = asObject(preStop.httpGet);
  if (httpGet) return { drain: readHttpGet(httpGet, context, findings), findings };

  const exec = asObject(preStop.exec);
  if (exec) {
    const command = asArray(exec.command);
    if (command.length === 0 || !command.every((part) => typeof part === 'string' || typeof part === 'number')) {
      return { drain: unknownDrain(`exec ${describeValue(exec.command)}`), findings };
    }
    const extras: ExecExtras = {};
    const drain = readExec(command.map(String), context, findings, envoyDrainTimeSeconds(container), extras, container);
    return { drain, findings, ...extras };
  }
  return { drain: unknownDrain(`preStop ${describeValue(preStop)}`), findings };
}

function readHttpGet(httpGet: Json, context: PreStopContext, findings: Finding[]): DrainModel {
  const path = asString(httpGet.path) ?? '/';
  const port = httpGet.port;
  if (path.startsWith('/healthcheck/fail')) {
    findings.push(notPost(context, 'an httpGet preStop'));
    return { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: `httpGet ${path} (GET, rejected by Envoy admin)` };
  }
  const shutdownManager = readEnvoyGatewayShutdown(path, port, context.siblings) ?? readContourShutdown(path, port, context.siblings);
  if (shutdownManager) return shutdownManager;
  return unknownDrain(`httpGet ${path} on port ${describeValue(port)}`);
}

/**
 * Envoy's `--drain-time-s` from the container's command line: how long a graceful
 * `/drain_listeners` lets listeners accept before it stops them (Envoy's default 600 s).
 * @see https://www.envoyproxy.io/docs/envoy/latest/operations/cli#cmdoption-drain-time-s
 */
function envoyDrainTimeSeconds(container: Json): number {
  const words = [...asArray(container.command), ...asArray(container.args)].filter((word): word is string => typeof word === 'string');
  for (let index = 0; index < words.length; index++) {
    const inline = /^--drain-time-s=(\d+)$/.exec(words[index]);
    if (inline) return Number(inline[1]);
    if (words[index] === '--drain-time-s' && /^\d+$/.test(words[index + 1] ?? '')) return Number(words[index + 1]);
  }
  return 600;
}
