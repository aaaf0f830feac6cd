import { DEFAULT_NAMESPACE, parseObjectRef } from './object-ref';
import { formatSeconds as s } from './finding';
import { explainGkeTermination } from './gke/explain';
import { assumedLoadBalancer } from './load-balancer';
import { GatewayModel, LoadBalancerModel } from './model';
import { GatewayBudget } from './timing/solver';
import {
  DEFAULT_MARGIN_SECONDS,
  answeredDetectionWindowSeconds,
  DEFAULT_PROPAGATION_SECONDS,
  HEALTH_CHECK_JITTER_SECONDS,
  detectionWindowSeconds,
  earliestUnhealthySeconds,
  newConnectionWindowSeconds,
  recoveryWindowSeconds,
  requiredGatewayMinReadySeconds,
  requiredGracePeriodSeconds,
  requiredKeepServingSeconds,
} from './timing/windows';

/**
 * The termination of one gateway pod, told as a timeline: what happens when, counted from t0 (the
 * moment the pod is deleted), and the margin between each step and the one it must come after.
 * Every number comes from the model and the windows of the timing budget, so that the account a
 * user reads is the arithmetic the solver and the checker use.
 */

/** What an event is, for programs (the text is for people). */
export type TimelineEventKind =
  | 'deleted'
  | 'fails-health-check'
  | 'lb-marks-unhealthy'
  | 'lb-stops-new-connections'
  | 'stops-serving'
  | 'unhealthy-connections-reset'
  | 'prestop-ends'
  | 'exits'
  | 'sigkill';

/** One moment of the termination. */
export interface TimelineEvent {
  readonly kind: TimelineEventKind;
  /** Seconds from t0. */
  readonly atSeconds: number;
  /** What happens. */
  readonly what: string;
  /** Why it happens then: the arithmetic. */
  readonly why: string;
}

/** The slack between two events that must come in order. */
export interface TimelineMargin {
  /** What must come first, and what after. */
  readonly name: string;
  /** later − earlier, in seconds; negative when the order breaks. */
  readonly seconds: number;
  /** The margin the budget asks for. */
  readonly requiredSeconds: number;
  readonly ok: boolean;
  /** What goes wrong when it is not ok. */
  readonly consequence: string;
}

/** The explained termination of a gateway pod. */
export interface ExplainedTimeline {
  /** `Kind/namespace/name` of the gateway workload. */
  readonly gateway: string;
  /** `Kind/namespace/name` of the object configuring the load balancer. */
  readonly loadBalancer: string;
  /** Whether no load balancer was described and hitless assumed the AWS controller's defaults. */
  readonly loadBalancerAssumed: boolean;
  /** The load balancer's settings, in a line. */
  readonly loadBalancerSummary: string;
  /** Events in time order. */
  readonly events: TimelineEvent[];
  readonly margins: TimelineMargin[];
  /** What the timeline does not show, or assumes. */
  readonly notes: string[];
}

function loadBalancerOf(gateway: GatewayModel): { model: LoadBalancerModel; assumed: boolean } {
  const found = gateway.services.find((service) => service.loadBalancer !== undefined)?.loadBalancer;
  if (found) return { model: found, assumed: false };
  const service = gateway.services.find((each) => each.type === 'LoadBalancer') ?? gateway.services[0];
  return { model: assumedLoadBalancer(service?.object, gateway.workload.hostPorts.length > 0 ? 'host-port' : 'instance'), assumed: true };
}

function describeLoadBalancer(lb: LoadBalancerModel): string {
  const hc = lb.healthCheck;
  const check = `${lb.healthCheckProtocol} ${lb.healthCheckPort}${lb.healthCheckPath ? ` ${lb.healthCheckPath}` : ''}`;
  const targets = lb.targetType === 'host-port' ? 'host-port targets' : `${lb.targetType} targets`;
  return `${lb.provider === 'aws-nlb' ? 'AWS NLB' : 'load balancer'}, ${targets}; health check ${check} every ${s(hc.intervalSeconds)}, timeout ${s(hc.timeoutSeconds)}, unhealthy after ${hc.unhealthyThreshold}, healthy after ${hc.healthyThreshold}`;
}

/** The termination timeline of one gateway pod, with its margins. */
export function explainGatewayTermination(gateway: GatewayModel, marginSeconds = DEFAULT_MARGIN_SECONDS): ExplainedTimeline {
  const workload = gateway.workload;
  const drain = workload.drain;
  const { model: lb, assumed } = loadBalancerOf(gateway);
  const hc = lb.healthCheck;
  const detection = detectionWindowSeconds(hc);
  // Envoy and kube-proxy answer a failing check with 503 at once: the timeout counts only for silence.
  const answeredDetection = answeredDetectionWindowSeconds(hc, lb.healthCheckPort);
  // The same window the checker uses: with eTP Cluster, kube-proxy's propagation rather than D_lb.
  const policy = gateway.services.find((service) => service.loadBalancer !== undefined)?.externalTrafficPolicy ?? 'Local';
  const window = newConnectionWindowSeconds(lb, policy);
  const byKubeProxy = lb.targetType === 'instance' && policy === 'Cluster';
  const ipLag = lb.deregistrationLagSeconds > detection;
  const events: TimelineEvent[] = [];
  const margins: TimelineMargin[] = [];
  const notes: string[] = [];

  const knownDrain = drain.mechanism !== 'unknown';
  const keepServing = knownDrain ? drain.keepServingSeconds : 0;
  const preStop = knownDrain ? drain.keepServingSeconds + drain.drainSeconds : 0;
  const exit = preStop + workload.appDrainSeconds;
  const grace = workload.terminationGracePeriodSeconds;

  events.push({
    kind: 'deleted',
    atSeconds: 0,
    what: drain.mechanism === 'none' ? 'pod deleted: no preStop, SIGTERM at once' : `pod deleted: preStop starts (${drain.description}); the endpoint turns terminating`,
    why: 't0: the kubelet runs preStop and the EndpointSlice marks the endpoint terminating at about the same moment',
  });
  const failAt = drain.failsHealthCheck ? Math.max(0, drain.failsHealthCheckAfterSeconds ?? 0) : 0;
  const idle = knownDrain ? drain.endsWhenIdle : undefined;
  if (drain.failsHealthCheck) {
    events.push({
      kind: 'fails-health-check',
      atSeconds: failAt,
      what: `the gateway fails its health check${lb.healthCheckPath ? ` (${lb.healthCheckPath} answers 503)` : ''}, and keeps serving`,
      why: failAt > 0 ? `the preStop waits ${s(failAt)} before it fails the health check (${drain.description})` : 'the preStop fails the health check first',
    });
    if (failAt > 0) notes.push(`the health check fails only ${s(failAt)} after t0: the load balancer notices from then on, ${s(failAt + answeredDetection)} at the latest.`);
  } else {
    notes.push(`the gateway does not fail its health check when it stops: the load balancer learns of it only from kube-proxy's healthCheckNodePort (instance targets, externalTrafficPolicy Local), from deregistration (IP targets), or when it stops answering.`);
  }
  events.push({
    kind: 'lb-marks-unhealthy',
    atSeconds: answeredDetection,
    what: 'the load balancer marks the target unhealthy (at the latest, for a check answered with 503)',
    why: `${lb.healthCheckPort === 'healthCheckNodePort' ? `${s(DEFAULT_PROPAGATION_SECONDS)} for kube-proxy to learn + ` : ''}${hc.unhealthyThreshold} failed checks × (${s(hc.intervalSeconds)} + ${s(HEALTH_CHECK_JITTER_SECONDS)} jitter) = ${s(answeredDetection)}; the ${s(hc.timeoutSeconds)} timeout counts only for a check that goes unanswered (${s(detection)}), and is kept in the margin`,
  });
  events.push({
    kind: 'lb-stops-new-connections',
    atSeconds: window,
    what: 'the load balancer sends no more new connections',
    why: byKubeProxy ? `externalTrafficPolicy Cluster: every node's kube-proxy stops choosing the terminating pod within about ${s(window)} (KEP-1669)` : ipLag ? `IP targets: up to ${s(lb.deregistrationLagSeconds)} after deregistration (measured at least, about, 2 minutes)` : `once the target is unhealthy, at ${s(window)}`,
  });
  if (drain.mechanism !== 'none' && knownDrain && idle) {
    // A shutdown manager: Envoy keeps its listeners until the drain ends, which waits for open connections.
    events.push({
      kind: 'stops-serving',
      atSeconds: idle.earliestSeconds,
      what: `the earliest the gateway stops accepting: the shutdown manager checks open connections every ${s(idle.pollSeconds)} and ends the drain once none is open`,
      why: `not before ${s(idle.earliestSeconds)}; with connections still open, at ${idle.latestSeconds !== undefined ? s(idle.latestSeconds) : `SIGKILL (${s(grace)})`} at the latest`,
    });
  } else if (drain.mechanism !== 'none' && knownDrain) {
    events.push({
      kind: 'stops-serving',
      atSeconds: keepServing,
      what: drain.drainSeconds > 0 ? 'the gateway stops accepting new connections and drains open ones' : 'the gateway stops accepting new connections',
      why: `the preStop keeps serving for ${s(keepServing)}`,
    });
  }
  // The reset that matters is the earliest: the target may be marked unhealthy at its first failing checks.
  const earliest = earliestUnhealthySeconds(hc);
  const resetAt = lb.unhealthyConnectionTermination ? earliest : earliest + lb.unhealthyDrainingIntervalSeconds;
  events.push({
    kind: 'unhealthy-connections-reset',
    atSeconds: resetAt,
    what: 'the load balancer resets connections still open to the unhealthy target (at the earliest)',
    why: lb.unhealthyConnectionTermination
      ? `target_health_state.unhealthy.connection_termination is on (AWS default): reset as soon as the target is unhealthy, which may be (${hc.unhealthyThreshold} − 1) × ${s(hc.intervalSeconds)} = ${s(earliest)}`
      : `target_health_state.unhealthy.connection_termination is off: after the draining interval of ${s(lb.unhealthyDrainingIntervalSeconds)} from the earliest mark (${s(earliest)} + ${s(lb.unhealthyDrainingIntervalSeconds)})`,
  });
  if (drain.mechanism !== 'none' && knownDrain) {
    events.push({
      kind: 'prestop-ends',
      atSeconds: idle ? idle.latestSeconds ?? grace : preStop,
      what: idle ? 'preStop ends at the latest the shutdown manager allows: SIGTERM' : 'preStop ends: SIGTERM',
      why: idle
        ? `as early as ${s(idle.earliestSeconds)} when no connection is open; ${idle.latestSeconds !== undefined ? `the drain timeout ${s(idle.latestSeconds)}` : 'no timeout of its own: the grace period bounds it'}`
        : `${s(keepServing)} serving + ${s(drain.drainSeconds)} draining`,
    });
  }
  if (knownDrain) {
    events.push({
      kind: 'exits',
      atSeconds: idle ? Math.min(grace, (idle.latestSeconds ?? grace) + workload.appDrainSeconds) : exit,
      what: workload.appDrainSeconds > 0 ? 'the container exits' : 'Envoy exits (SIGTERM does not drain it)',
      why: workload.appDrainSeconds > 0 ? `${s(workload.appDrainSeconds)} after SIGTERM` : 'at once on SIGTERM',
    });
  } else {
    notes.push(`the preStop of ${workload.object} (${drain.description}) could not be read: no timing is assumed for it.`);
  }
  events.push({
    kind: 'sigkill',
    atSeconds: grace,
    what: 'SIGKILL deadline',
    why: `terminationGracePeriodSeconds ${grace}, counted from t0`,
  });

  if (knownDrain && drain.mechanism !== 'none') {
    const requiredKeep = requiredKeepServingSeconds(lb, marginSeconds, policy);
    margins.push({
      name: `keeps serving after the load balancer stops sending (${s(keepServing)} − ${s(window)})`,
      seconds: keepServing - window,
      requiredSeconds: requiredKeep - window,
      ok: keepServing >= requiredKeep,
      consequence: `connections the load balancer opens between ${s(Math.min(keepServing, window))} and ${s(window)} find no listener: connect timeouts`,
    });
    const openAfterUnhealthy = Math.max(0, preStop - earliest);
    if (openAfterUnhealthy > 0) {
      margins.push({
        name: `open connections live until the drain ends (${s(resetAt)} − ${s(preStop)})`,
        seconds: resetAt - preStop,
        requiredSeconds: 0,
        ok: resetAt >= preStop,
        consequence: 'connections still open are reset, with the requests in flight on them',
      });
    }
  }
  if (knownDrain) {
    const requiredGrace = requiredGracePeriodSeconds(preStop, workload.appDrainSeconds, marginSeconds);
    margins.push({
      name: `exits before SIGKILL (${s(grace)} − ${s(exit)})`,
      seconds: grace - exit,
      requiredSeconds: requiredGrace - exit,
      ok: grace >= requiredGrace,
      consequence: 'the pod is killed mid-drain: requests in flight are cut',
    });
  }
  const recovery = recoveryWindowSeconds(hc);
  const requiredMinReady = requiredGatewayMinReadySeconds(lb, marginSeconds);
  margins.push({
    name: `a new pod receives traffic before the next old one goes (minReadySeconds ${workload.minReadySeconds} − ${s(recovery)})`,
    seconds: workload.minReadySeconds - recovery,
    requiredSeconds: requiredMinReady - recovery,
    ok: workload.minReadySeconds >= requiredMinReady,
    consequence: `the load balancer sends to a new target only after ${hc.healthyThreshold} × ${s(hc.intervalSeconds)} = ${s(recovery)}; a faster rollout shrinks the healthy set`,
  });
  if (assumed) notes.push(`no load balancer is described for ${workload.object}: the AWS Load Balancer Controller's defaults are assumed (${describeLoadBalancer(lb)}).`);

  const order: Record<TimelineEventKind, number> = {
    deleted: 0,
    'fails-health-check': 1,
    'lb-marks-unhealthy': 2,
    'lb-stops-new-connections': 3,
    'stops-serving': 4,
    'unhealthy-connections-reset': 5,
    'prestop-ends': 6,
    exits: 7,
    sigkill: 8,
  };
  events.sort((a, b) => a.atSeconds - b.atSeconds || order[a.kind] - order[b.kind]);
  return explainGkeTermination({
    gateway: workload.object,
    loadBalancer: lb.object,
    loadBalancerAssumed: assumed,
    loadBalancerSummary: describeLoadBalancer(lb),
    events,
    margins,
    notes,
  }, gateway, lb, marginSeconds);
}

/** Options of {@link renderTimeline}. */
export interface RenderTimelineOptions {
  /**
   * Width of the scaled bar, in characters.
   * @default 60
   */
  readonly width?: number;
}

/** The timeline as text: a scaled bar, the events with their arithmetic, the margins. */
export function renderTimeline(timeline: ExplainedTimeline, options: RenderTimelineOptions = {}): string {
  const width = Math.max(20, options.width ?? 60);
  const lines: string[] = [];
  lines.push(`${timeline.gateway} behind ${timeline.loadBalancer}${timeline.loadBalancerAssumed ? ' (assumed)' : ''}`);
  lines.push(`  ${timeline.loadBalancerSummary}`);
  lines.push('');

  const end = Math.max(1, ...timeline.events.map((event) => event.atSeconds));
  const bar = Array.from({ length: width + 1 }, () => '-');
  const marks = [...new Set(timeline.events.map((event) => event.atSeconds))];
  for (const at of marks) bar[Math.round((at / end) * width)] = '|';
  lines.push(`  ${bar.join('')}`);
  let labels = '';
  for (const at of marks) {
    const column = Math.round((at / end) * width);
    const text = s(at);
    // Labels that would overlap the previous one are left to the list below.
    if (column >= labels.length + (labels.length > 0 ? 1 : 0)) labels = labels.padEnd(column) + text;
  }
  lines.push(`  ${labels}`);
  lines.push('');

  const column = Math.max(...timeline.events.map((event) => `t+${s(event.atSeconds)}`.length));
  timeline.events.forEach((event, index) => {
    const branch = index === timeline.events.length - 1 ? '└─' : '├─';
    lines.push(`  ${`t+${s(event.atSeconds)}`.padEnd(column)}  ${branch} ${event.what}`);
    lines.push(`  ${''.padEnd(column)}  ${index === timeline.events.length - 1 ? '  ' : '│ '}   ${event.why}`);
  });
  lines.push('');
  lines.push('  margins:');
  for (const margin of timeline.margins) {
    const mark = margin.ok ? 'ok  ' : 'FAIL';
    lines.push(`    ${mark} ${margin.name}: ${s(margin.seconds)} (needs ${s(margin.requiredSeconds)})`);
    if (!margin.ok) lines.push(`         ${margin.consequence}`);
  }
  for (const note of timeline.notes) lines.push(`  note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** What {@link explainGatewayBudget} reads: a gateway's solved timings and the load balancer in front. */
export interface GatewayBudgetView {
  /** `Kind/namespace/name` of the gateway workload. */
  readonly gateway: string;
  readonly loadBalancer: LoadBalancerModel;
  readonly budget: GatewayBudget;
  /** Whether the gateway's preStop fails its health check before it keeps serving (hitless gateways do). @default true */
  readonly failsHealthCheck?: boolean;
  /** Whether Envoy drain-closes connections while it keeps serving. @default true */
  readonly drainsConnections?: boolean;
}

/**
 * The termination timeline of a gateway as a construct planned it, before any manifest exists:
 * the budget read as the pod it will become (keep serving, then drain, then exit at once).
 */
export function explainGatewayBudget(view: GatewayBudgetView): ExplainedTimeline {
  const budget = view.budget;
  const ref = parseObjectRef(view.gateway);
  const gateway: GatewayModel = {
    workload: {
      object: view.gateway,
      kind: ref?.kind === 'DaemonSet' ? 'DaemonSet' : 'Deployment',
      namespace: ref?.namespace ?? DEFAULT_NAMESPACE,
      name: ref?.name ?? view.gateway,
      podLabels: {},
      replicas: 2,
      maxSurge: 1,
      maxUnavailable: 0,
      minReadySeconds: budget.minReadySeconds,
      terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
      drain: {
        mechanism: 'fail-then-wait',
        failsHealthCheck: view.failsHealthCheck ?? true,
        keepServingSeconds: budget.keepServingSeconds,
        drainSeconds: budget.drainTimeoutSeconds,
        drainsConnections: view.drainsConnections ?? true,
        description: `fail health check, keep serving ${s(budget.keepServingSeconds)}, drain up to ${s(budget.drainTimeoutSeconds)}`,
      },
      appDrainSeconds: 0,
      hostPorts: [],
      hostNetwork: false,
      onePodPerNode: false,
      spreadTopologyKeys: [],
    },
    services: [{ object: view.loadBalancer.object, type: 'LoadBalancer', headless: false, externalTrafficPolicy: 'Local', selector: {}, ports: [], loadBalancer: view.loadBalancer }],
  };
  return explainGatewayTermination(gateway, budget.marginSeconds);
}
