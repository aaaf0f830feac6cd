/** An exec preStop hook read into a drain: sleeps, Envoy admin calls (wget, curl, bash /dev/tcp), hitless's own drain and proxies' stop commands. */
import { Finding } from '../core/finding';
import { AdminDrainScriptOptions, parseAdminDrainScript } from '../core/gateway/drain-script';
import { ImageTool, knownImage, missingTools } from '../core/gateway/images';
import { DrainModel } from '../core/model';
import { readStopCommand, StopReading, stopDrainModel } from './drain';
import { Json } from './fields';
import type { PreStopContext } from './pre-stop';
import { cannotRun, notPost, toolMissing, truncate, unknownDrain } from './pre-stop-verdicts';
import { basename, quoteWord, SHELLS, ShellStep, splitScript } from './shell-script';

/** What reading an exec hook learns beside its drain. */
export interface ExecExtras {
  healthCheckFailPort?: number;
  drainIfHealthCheckNotFailed?: DrainModel;
  readinessFailsOn?: string;
}

/** An exec hook being read, with what its reading needs. */
interface ExecHook {
  readonly command: string[];
  readonly context: PreStopContext;
  readonly findings: Finding[];
  /** Envoy's `--drain-time-s`, how long a graceful `/drain_listeners` keeps accepting. */
  readonly drainTimeSeconds: number;
  readonly container: Json;
  readonly script: string;
  /** The shell that runs the script; undefined when the command runs without one. */
  readonly interpreter?: string;
}

const SLEEP_BINARIES = new Set(['sleep']);

/** Reads an exec hook's command into a drain; what it learns beside goes to `extras`. */
export function readExec(command: string[], context: PreStopContext, findings: Finding[], drainTimeSeconds: number, extras: ExecExtras, container: Json = {}): DrainModel {
  const run = execScript(command);
  if (!run) return unknownDrain(command.join(' '));
  const hook: ExecHook = { command, context, findings, drainTimeSeconds, container, ...run };
  const cannotStart = programMissingFromImage(hook);
  if (cannotStart) return cannotStart;
  // hitless's own drain is trusted only when it is exactly what the library generates: an edited script is read like any other.
  const generated = parseAdminDrainScript(hook.script);
  if (generated) return readGeneratedDrain(generated, hook, extras);
  const steps = splitScript(hook.script);
  if (steps === undefined) return unknownDrain(hook.script);
  return readScriptSteps(steps, hook, extras);
}

/** The text a hook runs and the program that runs it: the shell named with its `-c` script, or (no shell) the command itself. */
function execScript(command: string[]): { script: string; interpreter?: string } | undefined {
  const first = basename(command[0]);
  if (!SHELLS.has(first)) return { script: command.map(quoteWord).join(' ') };
  const dashC = command.findIndex((word, index) => index > 0 && /^-[a-z]*c$/.test(word));
  if (dashC < 0 || command[dashC + 1] === undefined) return undefined;
  return { script: command[dashC + 1], interpreter: first };
}

/** The image tool a program name stands for, when it is one the reader knows. */
function toolOf(program: string): ImageTool | undefined {
  if (program === 'bash') return 'bash';
  if (program === 'sh' || program === 'ash' || program === 'dash') return 'sh';
  if (program === 'sleep' || program === 'wget' || program === 'curl') return program;
  return undefined;
}

/** Judged by what will run: the first program must be in the image, whatever the text says. */
function programMissingFromImage(hook: ExecHook): DrainModel | undefined {
  const { context } = hook;
  const first = basename(hook.command[0]);
  const image = knownImage(context.image);
  const firstTool = toolOf(first);
  if (!image || !(image.tools.length === 0 || (firstTool !== undefined && !image.tools.includes(firstTool)))) return undefined;
  return hookCannotStart(hook, `image ${context.image} is ${image.description}: it has no ${firstTool ?? first}`, 'prestop-exec-without-shell',
    image.tools.length === 0 ? `use the native preStop sleep action, or a shutdown-manager sidecar reached by httpGet, or an image with a shell, for ${context.object}`
      : `run the preStop with ${image.tools.filter((tool) => tool === 'sh' || tool === 'bash').join(' or ')}, which ${context.image} has`);
}

function hookCannotStart(hook: ExecHook, why: string, rule: string, fix: string): DrainModel {
  hook.findings.push(cannotRun(hook.context, hook.script, `${why}: the hook fails at once and the pod stops without draining`, rule, fix));
  return { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: `a preStop that cannot run: ${truncate(hook.script)}` };
}

function bashOnly(hook: ExecHook, text: string): string {
  return `${text} opens /dev/tcp, which only bash provides: ${hook.interpreter ? `${hook.command[0]} (not bash)` : 'without a shell'} has no /dev/tcp and stops at the first admin call`;
}

/** hitless's generated admin drain, run by a shell and image that can run it. */
function readGeneratedDrain(generated: AdminDrainScriptOptions, hook: ExecHook, extras: ExecExtras): DrainModel {
  if (generated.client === 'bash' && hook.interpreter !== 'bash') {
    return hookCannotStart(hook, bashOnly(hook, 'the script'), 'prestop-dev-tcp-without-bash', `run the hitless drain with bash: ["/bin/bash", "-c", script]`);
  }
  // The generated script polls the same port for connections: unanswered, it waits out the whole budget.
  const total = generated.keepServingSeconds + generated.drainTimeoutSeconds;
  const sleepOnly: DrainModel = { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: total, drainSeconds: 0, drainsConnections: false, description: `hitless admin drain (${generated.client}) whose admin calls reach no Envoy: waits ${total}s` };
  if (generated.client !== 'bash' && missingTools(hook.context.image, [generated.client]).length > 0) {
    hook.findings.push(toolMissing(hook.context, generated.client));
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

/** What the steps of a script amount to, as read so far. */
interface ScriptWalk {
  sleepBefore: number;
  sleepAfter: number;
  failed: boolean;
  drainListeners: boolean;
  /** When a /drain_listeners call stops the listeners, counted like keepServingSeconds: from the failure, or from the start. */
  listenersStopAt: number;
  /** The same, counted from the start of the hook: for when the health check failure never happens. */
  listenersStopFromStart: number;
  failPort?: number;
  tcpPort?: number;
  /** A command failed: what is joined to it by `&&` or `|` does not run. */
  aborted: boolean;
  tcpOpen: boolean;
  /** A proxy's own stop command (lib/read/drain) and the sleeps before it. */
  stop?: StopReading;
  sleepBeforeStop: number;
  notes: string[];
}

/** After a step: read the next one, stop reading (nothing after it runs), or give up (a step not understood). */
type StepOutcome = 'next' | 'stop' | 'unknown';

function readScriptSteps(steps: readonly ShellStep[], hook: ExecHook, extras: ExecExtras): DrainModel {
  const walk: ScriptWalk = {
    sleepBefore: 0, sleepAfter: 0, failed: false, drainListeners: false, listenersStopAt: Number.POSITIVE_INFINITY, listenersStopFromStart: Number.POSITIVE_INFINITY,
    aborted: false, tcpOpen: false, sleepBeforeStop: 0, notes: [],
  };
  for (const step of steps) {
    const outcome = readStep(step, walk, hook);
    if (outcome === 'unknown') return unknownDrain(hook.script);
    if (outcome === 'stop') break;
  }
  return scriptDrain(walk, hook.script, extras);
}

function readStep(step: ShellStep, walk: ScriptWalk, hook: ExecHook): StepOutcome {
  if (walk.aborted) {
    if (step.joiner === '&&' || step.joiner === '|') return 'next';
    walk.aborted = false;
    if (step.joiner === '||') return 'next';
  }
  if (step.joiner === '||') return 'next'; // runs only when the previous step failed, which the read assumes it did not
  const words = step.words;
  if (words.length === 0) return 'next';
  const execs = words[0] === 'exec' && words.length > 1 && !/^\d*[<>]/.test(words[1]);
  const head = basename(execs ? words[1] : words[0]);
  if (SLEEP_BINARIES.has(head)) return readSleep(execs ? words.slice(2) : words.slice(1), walk);
  if (step.text.includes('/dev/tcp/')) return openDevTcp(step, walk, hook);
  const admin = /\/healthcheck\/fail|\/drain_listeners/.exec(step.text);
  if (admin) return readAdminCall(step, head, admin[0] === '/healthcheck/fail', walk, hook);
  if (/^(echo|printf|true|:|cat|read|exec)$/.test(head) || /^\d*[<>]/.test(head)) return 'next';
  const own = walk.stop || walk.failed ? undefined : readStopCommand(words[0] === 'exec' ? words.slice(1) : words, hook.container);
  if (!own) return 'unknown';
  walk.stop = own;
  walk.sleepBeforeStop = walk.sleepBefore;
  return 'next';
}

function readSleep(args: string[], walk: ScriptWalk): StepOutcome {
  const seconds = sleepSeconds(args);
  if (seconds === undefined) return 'unknown';
  if (walk.failed) walk.sleepAfter += seconds;
  else walk.sleepBefore += seconds;
  return 'next';
}

function openDevTcp(step: ShellStep, walk: ScriptWalk, hook: ExecHook): StepOutcome {
  if (hook.interpreter !== 'bash') {
    // dash, ash and BusyBox sh exit on the failed redirection: nothing after it runs.
    hook.findings.push(cannotRun(hook.context, hook.script, bashOnly(hook, 'the hook'), 'prestop-dev-tcp-without-bash', 'run the hook with bash, or call the admin with a client the image has'));
    return 'stop';
  }
  walk.tcpOpen = true;
  walk.tcpPort = devTcpPort(step.text);
  return 'next';
}

/** A call to Envoy admin's `/healthcheck/fail` or `/drain_listeners`. */
function readAdminCall(step: ShellStep, head: string, isFail: boolean, walk: ScriptWalk, hook: ExecHook): StepOutcome {
  const call = adminClient(head, step, walk.tcpOpen);
  if (!call) return 'unknown';
  if (!call.posts) {
    hook.findings.push(notPost(hook.context, `${call.tool} in the preStop`));
    return 'next';
  }
  if ((call.tool === 'wget' || call.tool === 'curl') && missingTools(hook.context.image, [call.tool]).length > 0) {
    hook.findings.push(toolMissing(hook.context, call.tool));
    walk.aborted = true;
    return 'next';
  }
  if (isFail) {
    if (walk.sleepBefore > 0 && !walk.failed) walk.notes.push(`sleeps ${walk.sleepBefore}s before failing the health check`);
    walk.failed = true;
    walk.failPort ??= call.tool === 'bash /dev/tcp' ? walk.tcpPort : urlPort(step.words);
    return 'next';
  }
  walk.drainListeners = true;
  // Without ?graceful Envoy stops the listeners at once; with it, after --drain-time-s.
  const graceful = /drain_listeners\?[^\s'"]*graceful/.test(step.text) ? hook.drainTimeSeconds : 0;
  walk.listenersStopAt = Math.min(walk.listenersStopAt, (walk.failed ? walk.sleepAfter : walk.sleepBefore) + graceful);
  walk.listenersStopFromStart = Math.min(walk.listenersStopFromStart, walk.sleepBefore + walk.sleepAfter + graceful);
  return 'next';
}

/** The admin client a step runs, and whether it POSTs (Envoy admin rejects GET on mutating endpoints). */
function adminClient(head: string, step: ShellStep, tcpOpen: boolean): { tool: 'wget' | 'curl' | 'bash /dev/tcp'; posts: boolean } | undefined {
  const words = step.words;
  if (head === 'wget') {
    return { tool: 'wget', posts: words.some((word, index) => word.startsWith('--post-data') || word.startsWith('--post-file') || /^--method=POST$/i.test(word) || (word === '--method' && /^POST$/i.test(words[index + 1] ?? ''))) };
  }
  if (head === 'curl') {
    return { tool: 'curl', posts: words.some((word, index) => /^-X ?POST$/i.test(word) || (word === '-X' || word === '--request') && /^POST$/i.test(words[index + 1] ?? '') || /^--request=POST$/i.test(word) || /^(-d|--data|--data-raw|--data-binary|--data-urlencode|--json|-F|--form)(=|$)/.test(word) || /^-d./.test(word)) };
  }
  if (tcpOpen && /^(printf|echo)$/.test(head)) return { tool: 'bash /dev/tcp', posts: /POST\s+\/(healthcheck\/fail|drain_listeners)/.test(step.text) };
  return undefined;
}

/** The drain the steps read amount to. */
function scriptDrain(walk: ScriptWalk, script: string, extras: ExecExtras): DrainModel {
  if (walk.stop) {
    if (walk.stop.readinessFailsOn) extras.readinessFailsOn = walk.stop.readinessFailsOn;
    return stopDrainModel(walk.stop, walk.sleepBeforeStop, walk.sleepBefore - walk.sleepBeforeStop + walk.sleepAfter);
  }
  const description = truncate(script) + (walk.notes.length > 0 ? ` (${walk.notes.join('; ')})` : '');
  const total = walk.sleepBefore + walk.sleepAfter;
  if (!walk.failed) {
    const keepServing = Math.min(total, walk.listenersStopAt);
    return { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: keepServing, drainSeconds: total - keepServing, drainsConnections: walk.drainListeners, description };
  }
  if (walk.failPort !== undefined) {
    const serving = Math.min(total, walk.listenersStopFromStart);
    extras.healthCheckFailPort = walk.failPort;
    extras.drainIfHealthCheckNotFailed = { mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: serving, drainSeconds: total - serving, drainsConnections: walk.drainListeners, description: `${description} (POST /healthcheck/fail reaches no Envoy admin)` };
  }
  // Counted only from the failure: that is when the load balancer can start to notice.
  const keepServing = Math.min(walk.sleepAfter, walk.listenersStopAt);
  return { mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: keepServing, drainSeconds: walk.sleepAfter - keepServing, drainsConnections: true, description };
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
