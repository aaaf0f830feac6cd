import { GatewayModel, LoadBalancerModel } from '../core/model';
import { FailureCause } from './clients';
import { Random } from './engine';
import { EventKind, EventLoop } from './event-loop';
import { NEG_DETACH_CUT, negDetach } from './gke';
import { NodeDataPath } from './kube-proxy';
import { alive, accepting, SimPod } from './kubernetes';
import { SimulationParameters } from './parameters';

/**
 * The cloud load balancer (AWS NLB, GKE): its targets, their health checks (detection and
 * recovery), the choice of target for a new connection (fail-open when none is healthy),
 * deregistration with its lag and delay, the NEG detach, and the cutting of connections.
 */

/**
 * One load-balancer target: a node (instance targets, host port) or a pod (IP targets), with the
 * health state the load balancer keeps for it.
 */
export interface SimTarget {
  readonly index: number;
  readonly label: string;
  /** The node behind an instance or host-port target. */
  readonly node?: number;
  /** The pod behind an IP target. */
  readonly pod?: SimPod;
  healthy: boolean;
  passes: number;
  failures: number;
  /** Bumped on every turn to unhealthy, so that a delayed reset only hits the turn it was meant for. */
  epoch: number;
  /** IP targets: deregistration asked for at this time (health checks stop). */
  deregisteredAt: number;
  /** IP targets: the data plane stops opening connections to it at this time (deregistration lag). */
  stopsReceivingAt: number;
  /** Health as the timeline shows it: `[time, healthy]` at every change. */
  readonly history: [number, boolean][];
}

export function newTarget(index: number, label: string, healthy: boolean, at: number, where: { node?: number; pod?: SimPod }): SimTarget {
  return {
    index, label, node: where.node, pod: where.pod, healthy, passes: 0, failures: 0, epoch: 0,
    deregisteredAt: Infinity, stopsReceivingAt: Infinity, history: [[at, healthy]],
  };
}

/** Whether the load balancer opens a new connection to `target` at `at` when it has healthy targets to choose from. */
export function receivesNewConnections(target: SimTarget, at: number): boolean {
  return target.healthy && at < target.stopsReceivingAt;
}

/** Whether the target is still registered at `at` (fail-open spreads over these). */
export function registered(target: SimTarget, at: number): boolean {
  return at < target.stopsReceivingAt;
}

/** The result of one health check sent to a target. */
export interface HealthCheckOutcome {
  readonly passed: boolean;
  /** Seconds until the load balancer has the answer: quick for an answer, the check timeout for silence. */
  readonly after: number;
}

const QUICK_ANSWER_SECONDS = 0.002;

export function answered(passed: boolean): HealthCheckOutcome {
  return { passed, after: QUICK_ANSWER_SECONDS };
}

export function silent(loadBalancer: LoadBalancerModel): HealthCheckOutcome {
  return { passed: false, after: loadBalancer.healthCheck.timeoutSeconds };
}

/**
 * Applies one health-check result. Returns `'healthy'` or `'unhealthy'` when the target changes
 * state, else `undefined`. A target turns after `healthyThreshold` consecutive passes or
 * `unhealthyThreshold` consecutive failures.
 */
export function applyHealthCheck(target: SimTarget, loadBalancer: LoadBalancerModel, passed: boolean, at: number): 'healthy' | 'unhealthy' | undefined {
  if (passed) {
    target.failures = 0;
    target.passes++;
    if (!target.healthy && target.passes >= loadBalancer.healthCheck.healthyThreshold) {
      target.healthy = true;
      target.history.push([at, true]);
      return 'healthy';
    }
  } else {
    target.passes = 0;
    target.failures++;
    if (target.healthy && target.failures >= loadBalancer.healthCheck.unhealthyThreshold) {
      target.healthy = false;
      target.epoch++;
      target.history.push([at, false]);
      return 'unhealthy';
    }
  }
  return undefined;
}

/** The next health check's time: one interval on, give or take the jitter. */
export function nextHealthCheckAt(loadBalancer: LoadBalancerModel, at: number, jitterSeconds: number, random: Random): number {
  return at + loadBalancer.healthCheck.intervalSeconds + (jitterSeconds > 0 ? random.uniform(-jitterSeconds, jitterSeconds) : 0);
}

/**
 * Picks the target of a new connection (a flow hash, uniform over the candidates): a healthy
 * target; with none healthy, the load balancer fails open over every registered target.
 */
export function chooseTarget(targets: readonly SimTarget[], at: number, random: Random): { target?: SimTarget; failOpen: boolean } {
  let healthy = 0;
  for (const target of targets) if (receivesNewConnections(target, at)) healthy++;
  if (healthy > 0) {
    let pick = random.index(healthy);
    for (const target of targets) if (receivesNewConnections(target, at) && pick-- === 0) return { target, failOpen: false };
  }
  let all = 0;
  for (const target of targets) if (registered(target, at)) all++;
  if (all === 0) return { failOpen: true };
  let pick = random.index(all);
  for (const target of targets) if (registered(target, at) && pick-- === 0) return { target, failOpen: true };
  return { failOpen: true };
}

/**
 * Whether the load balancer's health check sees Envoy's `/healthcheck/fail`: only an HTTP(S) check on
 * the path of Envoy's health-check filter does (the same reading as the checker's lb-detection rule;
 * an unknown path on either side is taken as matching).
 */
export function healthCheckSeesDrain(loadBalancer: LoadBalancerModel, gateway: GatewayModel): boolean {
  if (loadBalancer.healthCheckProtocol === 'TCP') return false;
  const envoyPath = gateway.envoy?.healthCheckPath;
  if (envoyPath === undefined || loadBalancer.healthCheckPath === undefined) return true;
  return loadBalancer.healthCheckPath.split('?')[0] === envoyPath;
}

/** What the rest of the world does when the load balancer acts on a target. */
export interface LoadBalancerListener {
  /** The target of a pod whose readiness gate waits on it turned healthy now. */
  targetTurnedHealthy(pod: SimPod): void;
  /** The load balancer cuts the connections open through `target` now. */
  connectionsCut(target: SimTarget, cause: FailureCause): void;
}

export class LoadBalancer {
  public readonly targets: SimTarget[] = [];
  private readonly targetOfPod = new Map<number, SimTarget>();
  private readonly seesDrain: boolean;
  private listener!: LoadBalancerListener;

  constructor(
    public readonly model: LoadBalancerModel,
    gateway: GatewayModel,
    /** externalTrafficPolicy Local on the gateway's Service. */
    private readonly localTraffic: boolean,
    private readonly dataPath: NodeDataPath,
    private readonly loop: EventLoop,
    private readonly random: Random,
    private readonly params: SimulationParameters,
  ) {
    this.seesDrain = healthCheckSeesDrain(model, gateway);
  }

  /** Who hears of health turns and cut connections; set once, before the run. */
  public listen(listener: LoadBalancerListener): void {
    this.listener = listener;
  }

  /** The targets when the run starts: one per gateway pod (IP targets) or one per node, healthy where something serves. */
  public registerInitialTargets(gatewayPods: readonly SimPod[], gatewayPodsByNode: readonly (readonly SimPod[])[]): void {
    if (this.model.targetType === 'ip') {
      for (const pod of gatewayPods) this.addIpTarget(pod, true);
      return;
    }
    for (let node = 0; node < gatewayPodsByNode.length; node++) {
      const healthy = this.model.targetType === 'instance' && !this.localTraffic ? true : gatewayPodsByNode[node].length > 0;
      const target = newTarget(this.targets.length, `node-${node}`, healthy, 0, { node });
      if (healthy) target.passes = this.model.healthCheck.healthyThreshold;
      this.targets.push(target);
      this.loop.at(this.random.uniform(0, this.model.healthCheck.intervalSeconds), EventKind.LbCheck, target.index);
    }
  }

  private addIpTarget(pod: SimPod, healthy: boolean): void {
    const now = this.loop.now;
    const target = newTarget(this.targets.length, pod.name, healthy, now, { pod });
    if (healthy) target.passes = this.model.healthCheck.healthyThreshold;
    this.targets.push(target);
    this.targetOfPod.set(pod.id, target);
    this.loop.at(now + this.random.uniform(0, this.model.healthCheck.intervalSeconds), EventKind.LbCheck, target.index);
  }

  /** A new gateway pod: with IP targets it is registered, unhealthy until its health checks pass. */
  public gatewayPodCreated(pod: SimPod): void {
    if (this.model.targetType === 'ip') this.addIpTarget(pod, false);
  }

  /** IP targets: the pod readiness gate holds the pod unready until its target is healthy. */
  public readinessGateHolds(pod: SimPod): boolean {
    const target = this.targetOfPod.get(pod.id);
    return target !== undefined && !target.healthy;
  }

  /** The target of a new connection at `t`, and whether the load balancer failed open to pick it. */
  public choose(t: number): { target?: SimTarget; failOpen: boolean } {
    return chooseTarget(this.targets, t, this.random);
  }

  /** The pod a new connection to `target` lands on at `t`, as the data path sees it. */
  public podBehind(target: SimTarget, t: number): SimPod | undefined {
    if (target.pod) return target.pod;
    return this.dataPath.podOnNode(target.node!, t);
  }

  /** Why a connection the load balancer sent nowhere useful failed. */
  public connectFailureCause(failOpen: boolean): FailureCause {
    if (failOpen) return 'load-balancer-fail-open';
    switch (this.model.targetType) {
      case 'ip': return this.model.provider === 'gke' ? 'neg-endpoint-gone' : 'target-gone';
      case 'host-port': return 'host-port-not-bound';
      default: return 'node-without-endpoint';
    }
  }

  /** One health check sent now; its result comes back later, and the next check is scheduled. */
  public healthCheck(target: SimTarget): void {
    const t = this.loop.now;
    if (t >= target.deregisteredAt) return;
    const outcome = this.probe(target, t);
    this.loop.at(t + outcome.after, EventKind.LbResult, target.index, outcome.passed ? 1 : 0);
    this.loop.at(nextHealthCheckAt(this.model, t, this.params.loadBalancerHealthCheckJitterSeconds, this.random), EventKind.LbCheck, target.index);
  }

  private probe(target: SimTarget, t: number): HealthCheckOutcome {
    const lb = this.model;
    if (lb.targetType === 'instance' && lb.healthCheckPort === 'healthCheckNodePort') {
      return answered(this.dataPath.healthCheckNodePortPasses(target.node!, t));
    }
    const pod = this.podBehind(target, t);
    if (pod === undefined) return lb.targetType === 'host-port' ? answered(false) : silent(lb);
    if (!alive(pod, t)) return silent(lb);
    if (!accepting(pod, t)) return answered(false);
    // Only an HTTP check on Envoy's health-check path sees /healthcheck/fail; a TCP check, or one on
    // another path (say `/`, routed to the upstream), passes while Envoy accepts.
    return answered(lb.healthCheckProtocol === 'TCP' || !this.seesDrain || t < pod.healthFailsAt);
  }

  public healthCheckResult(target: SimTarget, passed: boolean): void {
    const now = this.loop.now;
    if (now >= target.deregisteredAt) return;
    const change = applyHealthCheck(target, this.model, passed, now);
    if (change === 'unhealthy') {
      if (this.model.unhealthyConnectionTermination) {
        this.listener.connectionsCut(target, 'unhealthy-target-reset');
      } else {
        // Past the draining interval (at once when it is 0, the default) the target leaves
        // unhealthy.draining and its connections are terminated.
        this.loop.at(now + this.model.unhealthyDrainingIntervalSeconds, EventKind.LbReset, target.index, target.epoch);
      }
    } else if (change === 'healthy' && target.pod && target.pod.readyAt === Infinity && target.pod.containerReadyAt <= now) {
      this.listener.targetTurnedHealthy(target.pod);
    }
  }

  /** A scheduled cut: a NEG detach's, or the end of an unhealthy target's draining interval if it is still that turn. */
  public scheduledReset(target: SimTarget, generation: number): void {
    if (generation === NEG_DETACH_CUT) this.listener.connectionsCut(target, 'neg-detached-in-flight');
    else if (!target.healthy && target.epoch === generation) this.listener.connectionsCut(target, 'unhealthy-target-reset');
  }

  /** The deregistration delay ended with connection termination on. */
  public deregistrationCut(target: SimTarget): void {
    this.listener.connectionsCut(target, 'deregistration-delay-cut');
  }

  /** A gateway pod was deleted now: its IP target is deregistered (or, on GKE, its NEG endpoint detached). */
  public podDeleted(pod: SimPod): void {
    const t = this.loop.now;
    const target = this.targetOfPod.get(pod.id);
    if (!target) return;
    const detach = negDetach(this.model, t);
    if (detach) {
      // GKE: health-checked until the NEG detach takes effect; what is still open is cut when connection draining ends.
      target.deregisteredAt = target.stopsReceivingAt = detach.detachAt;
      target.history.push([detach.detachAt, false]);
      this.loop.at(detach.cutAt, EventKind.LbReset, target.index, NEG_DETACH_CUT);
      return;
    }
    target.deregisteredAt = t + this.params.kubeProxyPropagationSeconds;
    target.stopsReceivingAt = target.deregisteredAt + this.model.deregistrationLagSeconds;
    target.history.push([target.deregisteredAt, false]);
    // With deregistration_delay.connection_termination the load balancer cuts what is still open when the delay ends.
    if (this.model.deregistrationConnectionTermination) {
      this.loop.at(target.deregisteredAt + this.model.deregistrationDelaySeconds, EventKind.DeregistrationCut, target.index);
    }
  }
}
