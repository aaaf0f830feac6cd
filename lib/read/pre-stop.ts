import { Finding } from '../core/finding';
import { DrainModel } from '../core/model';
import { readSigtermDrain, stopDrainModel } from './drain';
import { asArray, asObject, asString, at, describeValue, isObject, Json, parseDurationSeconds } from './fields';
import { ExecExtras, readExec } from './pre-stop-exec';
import { noDrain, notPost, unknownDrain } from './pre-stop-verdicts';
import { basename, SHELLS, splitWords } from './shell-script';

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

/** Envoy Gateway's `envoy shutdown` defaults. @see https://gateway.envoyproxy.io/latest/tasks/operations/graceful-shutdown */
export const ENVOY_GATEWAY_DEFAULT_DRAIN_TIMEOUT_SECONDS = 60;
export const ENVOY_GATEWAY_DEFAULT_MIN_DRAIN_SECONDS = 10;
export const ENVOY_GATEWAY_SHUTDOWN_PORT = 19002;
export const ENVOY_GATEWAY_SHUTDOWN_READY_PATH = '/shutdown/ready';
/** Contour's shutdown-manager endpoint. @see https://projectcontour.io/docs/main/redeploy-envoy/ */
export const CONTOUR_SHUTDOWN_PORT = 8090;
export const CONTOUR_SHUTDOWN_PATH = '/shutdown';
/** `contour envoy shutdown --check-interval` default (cmd/contour/shutdownmanager.go newShutdownContext). */
export const CONTOUR_CHECK_INTERVAL_SECONDS = 5;

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
  if (path === ENVOY_GATEWAY_SHUTDOWN_READY_PATH && (port === ENVOY_GATEWAY_SHUTDOWN_PORT || port === String(ENVOY_GATEWAY_SHUTDOWN_PORT) || port === undefined || typeof port === 'string')) {
    const sidecar = findShutdownCommand(context.siblings, (words) => words.includes('shutdown') && words.includes('envoy') && !words.some((word) => basename(word) === 'contour'));
    const drainTimeout = flagSeconds(sidecar, '--drain-timeout') ?? ENVOY_GATEWAY_DEFAULT_DRAIN_TIMEOUT_SECONDS;
    const minDrain = flagSeconds(sidecar, '--min-drain-duration') ?? ENVOY_GATEWAY_DEFAULT_MIN_DRAIN_SECONDS;
    // internal/cmd/envoy/shutdown_manager.go: with a delay, drain_listeners?graceful&skip_exit first, /healthcheck/fail after it.
    const failureDelay = flagSeconds(sidecar, '--health-check-failure-delay') ?? 0;
    return {
      ...(failureDelay > 0 ? { failsHealthCheckAfterSeconds: Math.min(failureDelay, drainTimeout) } : {}),
      // Polls every second; exits once past min drain with no connection open, or at the drain timeout.
      endsWhenIdle: { earliestSeconds: Math.min(minDrain, drainTimeout), latestSeconds: drainTimeout, pollSeconds: 1 },
      mechanism: 'shutdown-manager',
      failsHealthCheck: true,
      keepServingSeconds: Math.min(minDrain, drainTimeout),
      drainSeconds: Math.max(0, drainTimeout - minDrain),
      drainsConnections: true,
      description: `Envoy Gateway shutdown manager (fails the health check at ${failureDelay}s; listeners open until exit, between min drain ${minDrain}s and drain timeout ${drainTimeout}s, once no connection is open${sidecar ? '' : '; defaults'})`,
    };
  }
  if (path === CONTOUR_SHUTDOWN_PATH && (port === CONTOUR_SHUTDOWN_PORT || port === String(CONTOUR_SHUTDOWN_PORT) || typeof port === 'string')) {
    const sidecar = findShutdownCommand(context.siblings, (words) => words.includes('shutdown') && words.some((word) => basename(word) === 'contour' || word === 'envoy'));
    const checkDelay = flagSeconds(sidecar, '--check-delay') ?? 0;
    const drainDelay = flagSeconds(sidecar, '--drain-delay') ?? 0;
    // cmd/contour/shutdownmanager.go: sleep --drain-delay, fail the health check, sleep --check-delay,
    // then poll downstream_cx_active every --check-interval (5 s) until it reaches --min-open-connections (0);
    // Envoy's preStop (httpGet /shutdown) waits for that, bounded only by terminationGracePeriodSeconds.
    const checkInterval = flagSeconds(sidecar, '--check-interval') ?? CONTOUR_CHECK_INTERVAL_SECONDS;
    return {
      ...(drainDelay > 0 ? { failsHealthCheckAfterSeconds: drainDelay } : {}),
      endsWhenIdle: { earliestSeconds: checkDelay + drainDelay, pollSeconds: checkInterval },
      mechanism: 'shutdown-manager',
      failsHealthCheck: true,
      keepServingSeconds: checkDelay + drainDelay,
      drainSeconds: 0,
      drainsConnections: true,
      description: `Contour shutdown manager (drain delay ${drainDelay}s, then fails the health check; check delay ${checkDelay}s, then polls every ${checkInterval}s until no connection is open, up to the grace period)`,
    };
  }
  return unknownDrain(`httpGet ${path} on port ${describeValue(port)}`);
}

function findShutdownCommand(siblings: Json[], matches: (words: string[]) => boolean): string[] | undefined {
  for (const sibling of siblings) {
    const command = asArray(at(sibling, 'lifecycle', 'preStop', 'exec', 'command')).filter((word): word is string => typeof word === 'string');
    const words = command.length === 3 && SHELLS.has(basename(command[0])) && command[1] === '-c' ? splitWords(command[2]) : command;
    if (words.length > 0 && matches(words)) return words;
  }
  return undefined;
}

function flagSeconds(words: string[] | undefined, flag: string): number | undefined {
  if (!words) return undefined;
  for (let index = 0; index < words.length; index++) {
    const word = words[index];
    let value: string | undefined;
    if (word === flag) value = words[index + 1];
    else if (word.startsWith(`${flag}=`)) value = word.slice(flag.length + 1);
    if (value !== undefined) {
      const seconds = parseDurationSeconds(/^\d+(\.\d+)?$/.test(value) ? `${value}s` : value);
      if (seconds !== undefined) return seconds;
    }
  }
  return undefined;
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
