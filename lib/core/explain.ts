import { describeLoadBalancer } from './describe-load-balancer';
import { ExplainedTimeline, TimelineEvent, TimelineEventKind, TimelineMargin } from './explained-timeline';
import { formatSeconds as s } from './finding';
import { explainGkeTermination } from './gke/explain';
import { assumedLoadBalancer } from './load-balancer';
import { DrainModel, GatewayModel, HealthCheckTiming, LoadBalancerModel, WorkloadModel } from './model';
import { DEFAULT_NAMESPACE, parseObjectRef } from './object-ref';
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
 * Explaining the termination of one gateway pod as a timeline (see explained-timeline.ts). Every
 * number comes from the model and the windows of the timing budget, so that the account a user
 * reads is the arithmetic the solver and the checker use.
 */

// The faces and the package import the timeline's types and its rendering from here.

function loadBalancerOf(gateway: GatewayModel): { model: LoadBalancerModel; assumed: boolean } {
  const found = gateway.services.find((service) => service.loadBalancer !== undefined)?.loadBalancer;
  if (found) return { model: found, assumed: false };
  const service = gateway.services.find((each) => each.type === 'LoadBalancer') ?? gateway.services[0];
  return { model: assumedLoadBalancer(service?.object, gateway.workload.hostPorts.length > 0 ? 'host-port' : 'instance'), assumed: true };
}

/** The facts of one termination every step of the account reads: the model's, and the windows computed from it once. */
interface Termination {
  readonly workload: WorkloadModel;
  readonly drain: DrainModel;
  readonly lb: LoadBalancerModel;
  readonly hc: HealthCheckTiming;
  readonly assumed: boolean;
  readonly marginSeconds: number;
  /** D_lb: the detection window of a check that goes unanswered. */
  readonly detection: number;
  /** The detection window of a check answered with 503. */
  readonly answeredDetection: number;
  readonly policy: 'Local' | 'Cluster';
  /** When the load balancer (or kube-proxy) sends no more new connections. */
  readonly window: number;
  readonly knownDrain: boolean;
  readonly keepServing: number;
  /** When the preStop ends (keep serving, then drain). */
  readonly preStop: number;
  readonly exit: number;
  readonly grace: number;
  readonly idle: DrainModel['endsWhenIdle'];
  /** The earliest the target may be marked unhealthy. */
  readonly earliest: number;
  /** When the load balancer resets the connections still open to the unhealthy target. */
  readonly resetAt: number;
}

function termination(gateway: GatewayModel, marginSeconds: number): Termination {
  const workload = gateway.workload;
  const drain = workload.drain;
  const { model: lb, assumed } = loadBalancerOf(gateway);
  const hc = lb.healthCheck;
  // The same window the checker uses: with eTP Cluster, kube-proxy's propagation rather than D_lb.
  const policy = gateway.services.find((service) => service.loadBalancer !== undefined)?.externalTrafficPolicy ?? 'Local';
  const knownDrain = drain.mechanism !== 'unknown';
  const preStop = knownDrain ? drain.keepServingSeconds + drain.drainSeconds : 0;
  // The reset that matters is the earliest: the target may be marked unhealthy at its first failing checks.
  const earliest = earliestUnhealthySeconds(hc);
  return {
    workload,
    drain,
    lb,
    hc,
    assumed,
    marginSeconds,
    detection: detectionWindowSeconds(hc),
    // Envoy and kube-proxy answer a failing check with 503 at once: the timeout counts only for silence.
    answeredDetection: answeredDetectionWindowSeconds(hc, lb.healthCheckPort),
    policy,
    window: newConnectionWindowSeconds(lb, policy),
    knownDrain,
    keepServing: knownDrain ? drain.keepServingSeconds : 0,
    preStop,
    exit: preStop + workload.appDrainSeconds,
    grace: workload.terminationGracePeriodSeconds,
    idle: knownDrain ? drain.endsWhenIdle : undefined,
    earliest,
    resetAt: lb.unhealthyConnectionTermination ? earliest : earliest + lb.unhealthyDrainingIntervalSeconds,
  };
}

/** Deletion, the failing health check, and the load balancer turning away: the events up to the new-connection window. */
function loadBalancerEvents(t: Termination, notes: string[]): TimelineEvent[] {
  const { drain, lb, hc } = t;
  const events: TimelineEvent[] = [{
    kind: 'deleted',
    atSeconds: 0,
    what: drain.mechanism === 'none' ? 'pod deleted: no preStop, SIGTERM at once' : `pod deleted: preStop starts (${drain.description}); the endpoint turns terminating`,
    why: 't0: the kubelet runs preStop and the EndpointSlice marks the endpoint terminating at about the same moment',
  }];
  if (drain.failsHealthCheck) {
    const failAt = Math.max(0, drain.failsHealthCheckAfterSeconds ?? 0);
    events.push({
      kind: 'fails-health-check',
      atSeconds: failAt,
      what: `the gateway fails its health check${lb.healthCheckPath ? ` (${lb.healthCheckPath} answers 503)` : ''}, and keeps serving`,
      why: failAt > 0 ? `the preStop waits ${s(failAt)} before it fails the health check (${drain.description})` : 'the preStop fails the health check first',
    });
    if (failAt > 0) notes.push(`the health check fails only ${s(failAt)} after t0: the load balancer notices from then on, ${s(failAt + t.answeredDetection)} at the latest.`);
  } else {
    notes.push(`the gateway does not fail its health check when it stops: the load balancer learns of it only from kube-proxy's healthCheckNodePort (instance targets, externalTrafficPolicy Local), from deregistration (IP targets), or when it stops answering.`);
  }
  events.push({
    kind: 'lb-marks-unhealthy',
    atSeconds: t.answeredDetection,
    what: 'the load balancer marks the target unhealthy (at the latest, for a check answered with 503)',
    why: `${lb.healthCheckPort === 'healthCheckNodePort' ? `${s(DEFAULT_PROPAGATION_SECONDS)} for kube-proxy to learn + ` : ''}${hc.unhealthyThreshold} failed checks × (${s(hc.intervalSeconds)} + ${s(HEALTH_CHECK_JITTER_SECONDS)} jitter) = ${s(t.answeredDetection)}; the ${s(hc.timeoutSeconds)} timeout counts only for a check that goes unanswered (${s(t.detection)}), and is kept in the margin`,
  });
  const byKubeProxy = lb.targetType === 'instance' && t.policy === 'Cluster';
  const ipLag = lb.deregistrationLagSeconds > t.detection;
  events.push({
    kind: 'lb-stops-new-connections',
    atSeconds: t.window,
    what: 'the load balancer sends no more new connections',
    why: byKubeProxy ? `externalTrafficPolicy Cluster: every node's kube-proxy stops choosing the terminating pod within about ${s(t.window)} (KEP-1669)` : ipLag ? `IP targets: up to ${s(lb.deregistrationLagSeconds)} after deregistration (measured at least, about, 2 minutes)` : `once the target is unhealthy, at ${s(t.window)}`,
  });
  return events;
}

/** When the gateway stops accepting, and when the load balancer resets what is still open. */
function drainEvents(t: Termination): TimelineEvent[] {
  const { drain, lb, hc, idle } = t;
  const events: TimelineEvent[] = [];
  if (drain.mechanism !== 'none' && t.knownDrain && idle) {
    // A shutdown manager: Envoy keeps its listeners until the drain ends, which waits for open connections.
    events.push({
      kind: 'stops-serving',
      atSeconds: idle.earliestSeconds,
      what: `the earliest the gateway stops accepting: the shutdown manager checks open connections every ${s(idle.pollSeconds)} and ends the drain once none is open`,
      why: `not before ${s(idle.earliestSeconds)}; with connections still open, at ${idle.latestSeconds !== undefined ? s(idle.latestSeconds) : `SIGKILL (${s(t.grace)})`} at the latest`,
    });
  } else if (drain.mechanism !== 'none' && t.knownDrain) {
    events.push({
      kind: 'stops-serving',
      atSeconds: t.keepServing,
      what: drain.drainSeconds > 0 ? 'the gateway stops accepting new connections and drains open ones' : 'the gateway stops accepting new connections',
      why: `the preStop keeps serving for ${s(t.keepServing)}`,
    });
  }
  events.push({
    kind: 'unhealthy-connections-reset',
    atSeconds: t.resetAt,
    what: 'the load balancer resets connections still open to the unhealthy target (at the earliest)',
    why: lb.unhealthyConnectionTermination
      ? `target_health_state.unhealthy.connection_termination is on (AWS default): reset as soon as the target is unhealthy, which may be (${hc.unhealthyThreshold} − 1) × ${s(hc.intervalSeconds)} = ${s(t.earliest)}`
      : `target_health_state.unhealthy.connection_termination is off: after the draining interval of ${s(lb.unhealthyDrainingIntervalSeconds)} from the earliest mark (${s(t.earliest)} + ${s(lb.unhealthyDrainingIntervalSeconds)})`,
  });
  return events;
}

/** The end of the preStop, the exit and the SIGKILL deadline. */
function exitEvents(t: Termination, notes: string[]): TimelineEvent[] {
  const { workload, drain, idle, grace } = t;
  const events: TimelineEvent[] = [];
  if (drain.mechanism !== 'none' && t.knownDrain) {
    events.push({
      kind: 'prestop-ends',
      atSeconds: idle ? idle.latestSeconds ?? grace : t.preStop,
      what: idle ? 'preStop ends at the latest the shutdown manager allows: SIGTERM' : 'preStop ends: SIGTERM',
      why: idle
        ? `as early as ${s(idle.earliestSeconds)} when no connection is open; ${idle.latestSeconds !== undefined ? `the drain timeout ${s(idle.latestSeconds)}` : 'no timeout of its own: the grace period bounds it'}`
        : `${s(t.keepServing)} serving + ${s(drain.drainSeconds)} draining`,
    });
  }
  if (t.knownDrain) {
    events.push({
      kind: 'exits',
      atSeconds: idle ? Math.min(grace, (idle.latestSeconds ?? grace) + workload.appDrainSeconds) : t.exit,
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
  return events;
}

/** The slack between the steps that must come in order, and what the budget asks of each. */
function terminationMargins(t: Termination): TimelineMargin[] {
  const { workload, lb, hc, keepServing, window, preStop, exit, grace, marginSeconds } = t;
  const margins: TimelineMargin[] = [];
  if (t.knownDrain && t.drain.mechanism !== 'none') {
    const requiredKeep = requiredKeepServingSeconds(lb, marginSeconds, t.policy);
    margins.push({
      name: `keeps serving after the load balancer stops sending (${s(keepServing)} − ${s(window)})`,
      seconds: keepServing - window,
      requiredSeconds: requiredKeep - window,
      ok: keepServing >= requiredKeep,
      consequence: `connections the load balancer opens between ${s(Math.min(keepServing, window))} and ${s(window)} find no listener: connect timeouts`,
    });
    if (Math.max(0, preStop - t.earliest) > 0) {
      margins.push({
        name: `open connections live until the drain ends (${s(t.resetAt)} − ${s(preStop)})`,
        seconds: t.resetAt - preStop,
        requiredSeconds: 0,
        ok: t.resetAt >= preStop,
        consequence: 'connections still open are reset, with the requests in flight on them',
      });
    }
  }
  if (t.knownDrain) {
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
  return margins;
}

/** Events at the same moment, in the order they happen. */
const EVENT_ORDER: Record<TimelineEventKind, number> = {
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

/** The termination timeline of one gateway pod, with its margins. */
export function explainGatewayTermination(gateway: GatewayModel, marginSeconds = DEFAULT_MARGIN_SECONDS): ExplainedTimeline {
  const t = termination(gateway, marginSeconds);
  const notes: string[] = [];
  const events = [...loadBalancerEvents(t, notes), ...drainEvents(t), ...exitEvents(t, notes)];
  const margins = terminationMargins(t);
  if (t.assumed) notes.push(`no load balancer is described for ${t.workload.object}: the AWS Load Balancer Controller's defaults are assumed (${describeLoadBalancer(t.lb)}).`);
  events.sort((a, b) => a.atSeconds - b.atSeconds || EVENT_ORDER[a.kind] - EVENT_ORDER[b.kind]);
  return explainGkeTermination({
    gateway: t.workload.object,
    loadBalancer: t.lb.object,
    loadBalancerAssumed: t.assumed,
    loadBalancerSummary: describeLoadBalancer(t.lb),
    events,
    margins,
    notes,
  }, gateway, t.lb, marginSeconds);
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
