import { Finding } from '../core/finding';
import { parseAdminDrainScript } from '../core/gateway/drain-script';
import { ImageTool, knownImage, missingTools } from '../core/gateway/images';
import { DrainModel } from '../core/model';
import { readSigtermDrain, readStopCommand, StopReading, stopDrainModel } from './drain';
import { asArray, asObject, asString, at, describeValue, isObject, Json, parseDurationSeconds } from './fields';

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

/** What reading an exec hook learns beside its drain. */
interface ExecExtras {
  healthCheckFailPort?: number;
  drainIfHealthCheckNotFailed?: DrainModel;
  readinessFailsOn?: string;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);
const SLEEP_BINARIES = new Set(['sleep']);

function basename(command: string): string {
  const parts = command.split('/');
  return parts[parts.length - 1];
}

function none(): DrainModel {
  return { mechanism: 'none', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: 'no preStop hook' };
}

function unknown(description: string): DrainModel {
  return { mechanism: 'unknown', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: truncate(description) };
}

function truncate(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > 120 ? `${single.slice(0, 117)}...` : single;
}

/** Reads the preStop of one container. */
export function readPreStop(container: Json, context: PreStopContext): PreStopReading {
  const findings: Finding[] = [];
  const preStop = at(container, 'lifecycle', 'preStop');
  if (preStop === undefined || preStop === null) {
    // Some proxies drain on SIGTERM by themselves (Istio's pilot-agent, Traefik's accept grace): read from their source.
    const own = readSigtermDrain(container, context.podAnnotations);
    if (own && own.keepAcceptingSeconds > 0) return { drain: stopDrainModel(own), findings, ...(own.readinessFailsOn ? { readinessFailsOn: own.readinessFailsOn } : {}) };
    return { drain: none(), findings };
  }
  if (!isObject(preStop)) return { drain: unknown(`preStop is ${describeValue(preStop)}`), findings };

  const sleepAction = asObject(preStop.sleep);
  if (sleepAction) {
    const seconds = sleepAction.seconds;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
      return { drain: { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: seconds, drainSeconds: 0, drainsConnections: false, description: `sleep action, ${seconds}s` }, findings };
    }
    return { drain: unknown(`sleep action with seconds ${describeValue(seconds)}`), findings };
  }

  const httpGet = asObject(preStop.httpGet);
  if (httpGet) return { drain: readHttpGet(httpGet, context, findings), findings };

  const exec = asObject(preStop.exec);
  if (exec) {
    const command = asArray(exec.command);
    if (command.length === 0 || !command.every((part) => typeof part === 'string' || typeof part === 'number')) {
      return { drain: unknown(`exec ${describeValue(exec.command)}`), findings };
    }
    const extras: ExecExtras = {};
    const drain = readExec(command.map(String), context, findings, envoyDrainTimeSeconds(container), extras, container);
    return { drain, findings, ...extras };
  }
  return { drain: unknown(`preStop ${describeValue(preStop)}`), findings };
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
  return unknown(`httpGet ${path} on port ${describeValue(port)}`);
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

/** One command of a shell script, with how it is joined to the previous one. */
interface Step {
  readonly words: string[];
  readonly text: string;
  /** `;` (or newline), `&&`, `||`, `|`. */
  readonly joiner: string;
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

/** The image tool a program name stands for, when it is one the reader knows. */
function toolOf(program: string): ImageTool | undefined {
  if (program === 'bash') return 'bash';
  if (program === 'sh' || program === 'ash' || program === 'dash') return 'sh';
  if (program === 'sleep' || program === 'wget' || program === 'curl') return program;
  return undefined;
}

function hookCannotStart(context: PreStopContext, script: string, why: string, rule: string, fix: string, findings: Finding[]): DrainModel {
  findings.push(cannotRun(context, script, `${why}: the hook fails at once and the pod stops without draining`, rule, fix));
  return { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: `a preStop that cannot run: ${truncate(script)}` };
}

function readExec(command: string[], context: PreStopContext, findings: Finding[], drainTimeSeconds: number, extras: ExecExtras, container: Json = {}): DrainModel {
  let script: string;
  const first = basename(command[0]);
  // The program that runs the text: the shell named, or (no shell) the command itself.
  const interpreter = SHELLS.has(first) ? first : undefined;
  if (interpreter) {
    const dashC = command.findIndex((word, index) => index > 0 && /^-[a-z]*c$/.test(word));
    if (dashC < 0 || command[dashC + 1] === undefined) return unknown(command.join(' '));
    script = command[dashC + 1];
  } else {
    script = command.map(quoteWord).join(' ');
  }
  // Judged by what will run: the first program must be in the image, whatever the text says.
  const image = knownImage(context.image);
  const firstTool = toolOf(first);
  if (image && (image.tools.length === 0 || (firstTool !== undefined && !image.tools.includes(firstTool)))) {
    const needs = firstTool ?? first;
    return hookCannotStart(context, script, `image ${context.image} is ${image.description}: it has no ${needs}`, 'prestop-exec-without-shell',
      image.tools.length === 0 ? `use the native preStop sleep action, or a shutdown-manager sidecar reached by httpGet, or an image with a shell, for ${context.object}`
        : `run the preStop with ${image.tools.filter((tool) => tool === 'sh' || tool === 'bash').join(' or ')}, which ${context.image} has`, findings);
  }
  const bashOnly = (text: string) => `${text} opens /dev/tcp, which only bash provides: ${interpreter ? `${command[0]} (not bash)` : 'without a shell'} has no /dev/tcp and stops at the first admin call`;
  // hitless's own drain is trusted only when it is exactly what the library generates: an edited script is read like any other.
  const generated = parseAdminDrainScript(script);
  if (generated) {
    if (generated.client === 'bash' && interpreter !== 'bash') {
      return hookCannotStart(context, script, bashOnly('the script'), 'prestop-dev-tcp-without-bash', `run the hitless drain with bash: ["/bin/bash", "-c", script]`, findings);
    }
    // The generated script polls the same port for connections: unanswered, it waits out the whole budget.
    const total = generated.keepServingSeconds + generated.drainTimeoutSeconds;
    const sleepOnly: DrainModel = { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: total, drainSeconds: 0, drainsConnections: false, description: `hitless admin drain (${generated.client}) whose admin calls reach no Envoy: waits ${total}s` };
    if (generated.client !== 'bash' && missingTools(context.image, [generated.client]).length > 0) {
      findings.push(toolMissing(context, generated.client));
      return sleepOnly;
    }
    extras.healthCheckFailPort = generated.adminPort;
    extras.drainIfHealthCheckNotFailed = sleepOnly;
    return {
      mechanism: 'fail-then-wait',
      failsHealthCheck: true,
      keepServingSeconds: generated.keepServingSeconds,
      drainSeconds: generated.drainTimeoutSeconds,
      drainsConnections: true,
      description: `hitless admin drain (${generated.client}): fail the health check, serve ${generated.keepServingSeconds}s, drain up to ${generated.drainTimeoutSeconds}s`,
    };
  }
  const steps = splitScript(script);
  if (steps === undefined) return unknown(script);

  let sleepBefore = 0;
  let sleepAfter = 0;
  let failed = false;
  let drainListeners = false;
  // When a /drain_listeners call stops the listeners, counted like keepServingSeconds: from the failure, or from the start.
  let listenersStopAt = Number.POSITIVE_INFINITY;
  // The same, counted from the start of the hook: for when the health check failure never happens.
  let listenersStopFromStart = Number.POSITIVE_INFINITY;
  let failPort: number | undefined;
  let tcpPort: number | undefined;
  let aborted = false;
  let tcpOpen = false;
  // A proxy's own stop command (lib/read/drain) and the sleeps before it.
  let stop: StopReading | undefined;
  let sleepBeforeStop = 0;
  const notes: string[] = [];
  for (const step of steps) {
    if (aborted) {
      if (step.joiner === '&&' || step.joiner === '|') continue;
      aborted = false;
      if (step.joiner === '||') continue;
    }
    if (step.joiner === '||') continue; // runs only when the previous step failed, which the read assumes it did not
    const words = step.words;
    if (words.length === 0) continue;
    const head = basename(words[0] === 'exec' && words.length > 1 && !/^\d*[<>]/.test(words[1]) ? words[1] : words[0]);
    const args = words[0] === 'exec' && words.length > 1 && !/^\d*[<>]/.test(words[1]) ? words.slice(2) : words.slice(1);
    if (SLEEP_BINARIES.has(head)) {
      const seconds = sleepSeconds(args);
      if (seconds === undefined) return unknown(script);
      if (failed) sleepAfter += seconds;
      else sleepBefore += seconds;
      continue;
    }
    if (step.text.includes('/dev/tcp/')) {
      if (interpreter !== 'bash') {
        // dash, ash and BusyBox sh exit on the failed redirection: nothing after it runs.
        findings.push(cannotRun(context, script, bashOnly('the hook'), 'prestop-dev-tcp-without-bash', 'run the hook with bash, or call the admin with a client the image has'));
        break;
      }
      tcpOpen = true;
      tcpPort = devTcpPort(step.text);
      continue;
    }
    const admin = /\/healthcheck\/fail|\/drain_listeners/.exec(step.text);
    if (admin) {
      const isFail = admin[0] === '/healthcheck/fail';
      let posts: boolean;
      let tool: string;
      if (head === 'wget') {
        tool = 'wget';
        posts = words.some((word, index) => word.startsWith('--post-data') || word.startsWith('--post-file') || /^--method=POST$/i.test(word) || (word === '--method' && /^POST$/i.test(words[index + 1] ?? '')));
      } else if (head === 'curl') {
        tool = 'curl';
        posts = words.some((word, index) => /^-X ?POST$/i.test(word) || (word === '-X' || word === '--request') && /^POST$/i.test(words[index + 1] ?? '') || /^--request=POST$/i.test(word) || /^(-d|--data|--data-raw|--data-binary|--data-urlencode|--json|-F|--form)(=|$)/.test(word) || /^-d./.test(word));
      } else if (tcpOpen && /^(printf|echo)$/.test(head)) {
        tool = 'bash /dev/tcp';
        posts = /POST\s+\/(healthcheck\/fail|drain_listeners)/.test(step.text);
      } else {
        return unknown(script);
      }
      if (!posts) {
        findings.push(notPost(context, `${tool} in the preStop`));
        continue;
      }
      if ((tool === 'wget' || tool === 'curl') && missingTools(context.image, [tool]).length > 0) {
        findings.push(toolMissing(context, tool));
        aborted = true;
        continue;
      }
      if (isFail) {
        if (sleepBefore > 0 && !failed) notes.push(`sleeps ${sleepBefore}s before failing the health check`);
        failed = true;
        failPort ??= tool === 'bash /dev/tcp' ? tcpPort : urlPort(words);
      } else {
        drainListeners = true;
        // Without ?graceful Envoy stops the listeners at once; with it, after --drain-time-s.
        const graceful = /drain_listeners\?[^\s'"]*graceful/.test(step.text);
        const now = failed ? sleepAfter : sleepBefore;
        listenersStopAt = Math.min(listenersStopAt, now + (graceful ? drainTimeSeconds : 0));
        listenersStopFromStart = Math.min(listenersStopFromStart, sleepBefore + sleepAfter + (graceful ? drainTimeSeconds : 0));
      }
      continue;
    }
    if (/^(echo|printf|true|:|cat|read|exec)$/.test(head) || /^\d*[<>]/.test(head)) continue;
    const own = stop || failed ? undefined : readStopCommand(words[0] === 'exec' ? words.slice(1) : words, container);
    if (own) {
      stop = own;
      sleepBeforeStop = sleepBefore;
      continue;
    }
    return unknown(script);
  }
  if (stop) {
    if (stop.readinessFailsOn) extras.readinessFailsOn = stop.readinessFailsOn;
    return stopDrainModel(stop, sleepBeforeStop, sleepBefore - sleepBeforeStop + sleepAfter);
  }
  const description = truncate(script) + (notes.length > 0 ? ` (${notes.join('; ')})` : '');
  if (failed) {
    if (failPort !== undefined) {
      const total = sleepBefore + sleepAfter;
      const serving = Math.min(total, listenersStopFromStart);
      extras.healthCheckFailPort = failPort;
      extras.drainIfHealthCheckNotFailed = { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: serving, drainSeconds: total - serving, drainsConnections: drainListeners, description: `${description} (POST /healthcheck/fail reaches no Envoy admin)` };
    }
    // Counted only from the failure: that is when the load balancer can start to notice.
    const keepServing = Math.min(sleepAfter, listenersStopAt);
    return { mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: keepServing, drainSeconds: sleepAfter - keepServing, drainsConnections: true, description };
  }
  const total = sleepBefore + sleepAfter;
  const keepServing = Math.min(total, listenersStopAt);
  return { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: keepServing, drainSeconds: total - keepServing, drainsConnections: drainListeners, description };
}

function toolMissing(context: PreStopContext, tool: 'wget' | 'curl'): Finding {
  const image = knownImage(context.image);
  const bash = image?.tools.includes('bash');
  return {
    rule: 'prestop-tool-missing-from-image',
    category: 'no-drain',
    severity: 'error',
    objects: [context.object],
    message: `the preStop of container ${context.containerName} in ${context.object} calls ${tool}, but image ${context.image} is ${image?.description ?? 'an image without it'}: the health check never fails.`,
    fix: bash
      ? `fail the health check with bash: exec 3<>/dev/tcp/127.0.0.1/<admin port>; printf 'POST /healthcheck/fail HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0\\r\\n\\r\\n' >&3 (or use an image that has ${tool})`
      : `call the admin with a client ${context.image} has (${image?.tools.filter((each) => each === 'wget' || each === 'curl').join(', ') || 'none: use a shutdown-manager sidecar'})`,
  };
}

function cannotRun(context: PreStopContext, script: string, why: string, rule: string, fix: string): Finding {
  return {
    rule,
    category: 'no-drain',
    severity: 'error',
    objects: [context.object],
    message: `the preStop of container ${context.containerName} in ${context.object} runs "${truncate(script)}", but ${why}.`,
    fix,
  };
}

function notPost(context: PreStopContext, how: string): Finding {
  return {
    rule: 'healthcheck-fail-not-post',
    category: 'no-drain',
    severity: 'error',
    objects: [context.object],
    message: `${how} of ${context.object} calls Envoy admin without POST; Envoy admin rejects GET on mutating endpoints, so the health check never fails and nothing drains.`,
    fix: `send a POST: wget --post-data "" -O /dev/null http://127.0.0.1:<admin port>/healthcheck/fail, or curl -X POST`,
  };
}

/** The port of the `/healthcheck/fail` URL among a wget or curl command's words (80 or 443 when the URL names none). */
function urlPort(words: string[]): number | undefined {
  if (words.some((word) => word.startsWith('--unix-socket') || word.startsWith('--abstract-unix-socket'))) return undefined;
  for (const word of words) {
    const match = /^(?:(https?):\/\/)?(?:\[[0-9a-fA-F:.]*\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/healthcheck\/fail/i.exec(word);
    if (!match) continue;
    if (match[2] !== undefined) return portNumber(match[2]);
    return match[1]?.toLowerCase() === 'https' ? 443 : 80;
  }
  return undefined;
}

/** The port of bash's `/dev/tcp/HOST/PORT` in a step's text. */
function devTcpPort(text: string): number | undefined {
  const match = /\/dev\/tcp\/[^/\s'"]+\/(\d{1,5})(?![\w.-])/.exec(text);
  return match ? portNumber(match[1]) : undefined;
}

function portNumber(text: string): number | undefined {
  const port = Number(text);
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

/** GNU sleep: a sum of numbers with optional s/m/h/d suffixes. */
function sleepSeconds(args: string[]): number | undefined {
  if (args.length === 0) return undefined;
  let total = 0;
  for (const arg of args) {
    const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg);
    if (!match) return undefined;
    const factor = match[2] === 'm' ? 60 : match[2] === 'h' ? 3600 : match[2] === 'd' ? 86400 : 1;
    total += Number(match[1]) * factor;
  }
  return Number.isFinite(total) ? total : undefined;
}

function quoteWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits a POSIX shell script into simple commands; undefined when it uses constructs not read (loops, subshells, variables in sleeps). */
function splitScript(script: string): Step[] | undefined {
  const steps: Step[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let text = '';
  let joiner = ';';
  let quote: '"' | "'" | undefined;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endStep = (next: string) => {
    endWord();
    if (words.length > 0) steps.push({ words, text: text.trim(), joiner });
    words = [];
    text = '';
    joiner = next;
  };
  for (let index = 0; index < script.length; index++) {
    const char = script[index];
    if (quote) {
      text += char;
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && index + 1 < script.length) {
        word += script[++index];
        text += script[index];
      } else word += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
      text += char;
      continue;
    }
    if (char === '\\' && index + 1 < script.length) {
      if (script[index + 1] === '\n') {
        index++;
        continue;
      }
      word += script[++index];
      inWord = true;
      text += char + script[index];
      continue;
    }
    if (char === '#' && !inWord) {
      while (index + 1 < script.length && script[index + 1] !== '\n') index++;
      continue;
    }
    if (char === ';' || char === '\n') {
      endStep(';');
      continue;
    }
    if (char === '&' && script[index + 1] === '&') {
      index++;
      endStep('&&');
      continue;
    }
    if (char === '|' && script[index + 1] === '|') {
      index++;
      endStep('||');
      continue;
    }
    if (char === '|') {
      endStep('|');
      continue;
    }
    if (char === '&' && script[index - 1] !== '>' && script[index - 1] !== '<' && script[index + 1] !== '>') {
      // A background job: its timing is not the hook's.
      return undefined;
    }
    if ('(){}`$'.includes(char)) {
      // Subshells, groups, command substitution and variables hide timing the reader cannot know.
      return undefined;
    }
    if (char === ' ' || char === '\t') {
      endWord();
      text += char;
      continue;
    }
    word += char;
    inWord = true;
    text += char;
  }
  if (quote) return undefined;
  endStep(';');
  return steps;
}

function splitWords(text: string): string[] {
  return splitScript(text)?.flatMap((step) => step.words) ?? [];
}
