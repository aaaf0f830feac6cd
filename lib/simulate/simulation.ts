import { namesObject } from '../core/object-ref';
import { assumedLoadBalancer } from '../core/load-balancer';
import { GatewayModel, LoadBalancerModel, Topology, UpstreamModel, WorkloadModel } from '../core/model';
import { gatewayRolloutWindows, leastDrainSeconds, leastRolloutSeconds, RolloutWindows, upstreamRolloutWindows } from '../core/timing/rollout-time';
import { discoveryDelaySeconds, newConnectionWindowSeconds, recoveryWindowSeconds } from '../core/timing/windows';
import { ERROR_CLASSES, ErrorClass, FailureCause, LoadProfile, ResolvedLoad, resolveLoad } from './clients';
import { EventQueue, Random } from './engine';
import {
  activeHealthCheckFailsAt, applyDiscovery, chooseHost, ClusterView, HostEntry, lastDnsFill, recordHostFailure, retries, retryBackoff, UpstreamRouting,
} from './envoy';
import {
  accepting, alive, desiredHealthy, endpointReady, kubeProxyChoice, newPod, nodeHealthz, Placement, planStop, readinessFailsAt, readinessPassesAt, SimPod, StopPlan,
} from './kubernetes';
import { choosesBackendPerRequest, NEG_DETACH_CUT, negDetach } from './gke';
import { answered, applyHealthCheck, chooseTarget, HealthCheckOutcome, newTarget, nextHealthCheckAt, SimTarget, silent } from './load-balancer';
import { DEFAULT_DAEMONSET_NODES, resolveParameters, SimulationParameters } from './parameters';
import { Scenario } from './scenarios';

/** What to simulate, under what load, with which seed. */
export interface SimulationOptions {
  readonly scenario: Scenario;
  /** Where new pods land. @default 'new-node' */
  readonly placement?: Placement;
  readonly load?: LoadProfile;
  /** @default 1 */
  readonly seed?: number;
  readonly parameters?: Partial<SimulationParameters>;
  /** The gateway to play (`Kind/namespace/name` or name). @default the first gateway */
  readonly gateway?: string;
  /** The upstream to route to and, in `upstream-rollout`, to roll (`Kind/namespace/name` or name). @default the first one the gateway routes to */
  readonly upstream?: string;
}

/** Latency of answered requests (hey counts 200s and 503s alike), in seconds. */
export interface LatencySummary {
  readonly fastest: number;
  readonly slowest: number;
  readonly average: number;
  readonly p10: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
}

/** One pod's life, for the timeline. */
export interface TimelinePod {
  readonly name: string;
  readonly role: 'gateway' | 'upstream';
  readonly revision: 'old' | 'new';
  readonly node: number;
  readonly createdAt: number;
  readonly startedAt: number;
  readonly readyAt: number;
  readonly deletedAt: number;
  /** When the pod's own health check starts failing (`Infinity`: never). */
  readonly failsHealthCheckAt: number;
  readonly stopsAcceptingAt: number;
  readonly exitAt: number;
  readonly killed: boolean;
}

/** One failed request, for the timeline. */
export interface TimelineFailure {
  readonly time: number;
  readonly errorClass: ErrorClass;
  readonly cause?: FailureCause;
  /** Index into `targets` of the load-balancer target the connection went to, when known. */
  readonly target: number;
}

/** What happened when: pods, the load balancer's view of each target, failures, requests per second. */
export interface Timeline {
  readonly endSeconds: number;
  readonly rolloutStartSeconds: number;
  readonly rolloutEndSeconds?: number;
  readonly pods: TimelinePod[];
  readonly targets: { readonly label: string; readonly history: [number, boolean][] }[];
  readonly failures: TimelineFailure[];
  /** Requests answered with 200, per whole second. */
  readonly succeededPerSecond: number[];
  /** Failed requests, per whole second. */
  readonly failedPerSecond: number[];
}

/** What the clients saw in one run. */
export interface SimulationResult {
  readonly scenario: Scenario;
  readonly placement: Placement;
  readonly seed: number;
  readonly gateway: string;
  readonly upstream?: string;
  readonly load: ResolvedLoad;
  readonly requests: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly errors: Partial<Record<ErrorClass, number>>;
  readonly statusCodes: Record<string, number>;
  /** Failed requests by cause (the mechanism, which names the invariant). */
  readonly causes: Partial<Record<FailureCause | 'slow-request', number>>;
  /** From the start of the scenario until every new pod is available and every old one has exited; null when it did not finish in the run. */
  readonly rolloutSeconds: number | null;
  /**
   * The least the rollout could take with every window as short as the chain allows (lib/core/timing/rollout-time.ts),
   * with the simulator's pod start-up time.
   */
  readonly leastRolloutSeconds: number;
  /** Seconds the load ran: as asked, or until the rollout had finished and settled. */
  readonly durationSeconds: number;
  /** Nodes in the simulated cluster. */
  readonly nodes: number;
  /** Requests the clients sent again after a failure (`clientRetries`). */
  readonly clientRetries: number;
  readonly requestsPerSecond: number;
  readonly latency: LatencySummary;
  readonly timeline: Timeline;
}

const enum Kind {
  Send, Complete, SynRetry, EnvoyRetry, LbCheck, LbResult, LbReset, PodStart, PodReady, PodAvailable, PreStopPoll, PodSigterm, PodExit, DnsRefresh, EdsUpdate, ScenarioStart, Evict, DeregistrationCut,
}

const enum Outcome { Ok, Status503, ConnectTimeout, HeaderTimeout, Refused, Reset }

const OUTCOME_CLASS: (ErrorClass | undefined)[] = [undefined, '503', 'connect-timeout', 'header-timeout', 'refused', 'reset'];

interface Worker {
  readonly index: number;
  readonly long: boolean;
  readonly timeout: number;
  readonly interval: number;
  generation: number;
  lastSendAt: number;
  inFlight: boolean;
  /** When the current try began (a client retry starts a new one). */
  startedAt: number;
  /** When the request's first try began, for its latency. */
  requestStartedAt: number;
  clientRetriesLeft: number;
  deadline: number;
  connPod: SimPod | null;
  connTarget: number;
  connOpenedAt: number;
  synTarget: SimTarget | null;
  synFailOpen: boolean;
  synAttempt: number;
  reqPod: SimPod | null;
  reqUpstream: SimPod | null;
  reqEntry: HostEntry | null;
  tries: number;
  /** Hosts tried so far for this request (the first `tries` entries), for previous_hosts. */
  readonly tried: SimPod[];
  outcome: Outcome;
  cause: FailureCause | undefined;
}

interface WorkloadSim {
  readonly model: WorkloadModel;
  readonly role: 'gateway' | 'upstream';
  readonly replicas: number;
  readonly pods: SimPod[];
  revision: 'old' | 'new';
  /** Pods the scenario itself deleted (rolled or evicted): the scenario is over when all have exited. */
  readonly removed: Set<SimPod>;
  counter: number;
}

const LONG_AGO = -3600;

/** Plays one scenario over one topology under one load with one seed. Deterministic: the same inputs give the same result. */
export function simulate(topology: Topology, options: SimulationOptions): SimulationResult {
  return new World(topology, options).run();
}

class World {
  private readonly params: SimulationParameters;
  private readonly load: ResolvedLoad;
  private readonly random: Random;
  private readonly queue = new EventQueue();
  private now = 0;
  private readonly seed: number;
  private readonly placement: Placement;
  private readonly scenario: Scenario;

  private readonly gatewayModel: GatewayModel;
  private readonly upstreamModel?: UpstreamModel;
  private readonly lb: LoadBalancerModel;
  private readonly localTraffic: boolean;
  private readonly routing?: UpstreamRouting;

  private readonly nodes: number;
  private readonly cordoned: boolean[];
  private readonly gatewayPodsByNode: SimPod[][];
  private readonly allPods: SimPod[] = [];
  private readonly stopPlans = new Map<number, StopPlan>();
  private readonly gateway: WorkloadSim;
  private readonly upstream?: WorkloadSim;
  private readonly targets: SimTarget[] = [];
  private readonly targetOfPod = new Map<number, SimTarget>();
  private readonly views = new Map<number, ClusterView>();
  private readonly dnsPhase: number;
  private readonly workers: Worker[] = [];

  private loadEnd: number;
  private readonly untilSettled: boolean;
  private readonly settleSeconds: number;
  private readonly tailSeconds: number;
  private readonly healthCheckSeesDrain: boolean;
  private readonly connectTimeoutSeconds: number;
  private clientRetried = 0;
  private scenarioStart: number;
  private scenarioEnd: number | undefined;
  private scenarioStarted = false;
  private pendingEvictions = 0;

  private requests = 0;
  private succeeded = 0;
  private readonly outcomes = new Array<number>(OUTCOME_CLASS.length).fill(0);
  private readonly causes = new Map<string, number>();
  private latencies = new Float64Array(1024);
  private latencyCount = 0;
  private readonly failures: TimelineFailure[] = [];
  private readonly okPerSecond: number[] = [];
  private readonly failedPerSecond: number[] = [];

  constructor(topology: Topology, options: SimulationOptions) {
    this.params = resolveParameters(options.parameters);
    this.load = resolveLoad(options.load);
    this.seed = options.seed ?? 1;
    this.random = new Random(this.seed);
    this.placement = options.placement ?? 'new-node';
    this.scenario = options.scenario;

    this.gatewayModel = pickGateway(topology, options.gateway);
    const gw = this.gatewayModel.workload;
    const service = this.gatewayModel.services.find((each) => each.loadBalancer);
    this.lb = service?.loadBalancer ?? assumedLoadBalancer(`Service/${gw.namespace}/${gw.name}`, gw.hostPorts.length > 0 && gw.kind === 'DaemonSet' ? 'host-port' : 'instance');
    this.localTraffic = (service?.externalTrafficPolicy ?? 'Local') === 'Local';
    const routed = pickUpstream(topology, this.gatewayModel, options.upstream);
    this.upstreamModel = routed?.upstream;
    this.routing = routed?.routing;
    validate(this.scenario, this.placement, gw, this.upstreamModel, this.routing);

    const daemonSet = gw.kind === 'DaemonSet';
    const wanted = Math.max(1, gw.replicas);
    this.nodes = this.params.clusterNodes ?? (daemonSet ? Math.max(DEFAULT_DAEMONSET_NODES, wanted) : 2 * wanted + 1);
    // A DaemonSet runs one pod on every node.
    const gatewayReplicas = daemonSet ? this.nodes : wanted;
    if (!daemonSet && gw.onePodPerNode && this.nodes < gatewayReplicas) {
      throw new Error(`simulation parameter 'clusterNodes' (${this.nodes}) must be at least the gateway replicas (${gatewayReplicas}): ${gw.object} allows one pod per node`);
    }
    this.cordoned = new Array<boolean>(this.nodes).fill(false);
    this.gatewayPodsByNode = Array.from({ length: this.nodes }, () => []);
    this.gateway = { model: gw, role: 'gateway', replicas: gatewayReplicas, pods: [], revision: 'old', removed: new Set(), counter: 0 };
    if (this.upstreamModel) {
      this.upstream = { model: this.upstreamModel.workload, role: 'upstream', replicas: Math.max(1, this.upstreamModel.workload.replicas), pods: [], revision: 'old', removed: new Set(), counter: 0 };
    }
    const discovery = this.routing?.cluster.discovery;
    this.dnsPhase = discovery && discovery.kind === 'dns' ? this.random.uniform(0, discovery.dnsTtlSeconds) : 0;

    this.untilSettled = this.load.durationSeconds === undefined;
    this.loadEnd = this.load.durationSeconds ?? this.params.maxRunSeconds;
    this.tailSeconds = Math.max(this.load.timeoutSeconds, this.load.longRequests > 0 ? this.load.longTimeoutSeconds : 0) + 1;
    this.settleSeconds = this.settlingSeconds();
    this.scenarioStart = this.params.rolloutStartSeconds;
    this.healthCheckSeesDrain = healthCheckSeesDrain(this.lb, this.gatewayModel);
    this.connectTimeoutSeconds = this.routing?.cluster.connectTimeoutSeconds ?? this.params.envoyConnectTimeoutSeconds;
  }

  /**
   * How long after the rollout's end the load goes on: until the load balancer can have noticed the
   * last old target and taken in the last new one, every gateway has forgotten the last old upstream
   * pod, and a request sent then has timed out.
   */
  private settlingSeconds(): number {
    const lb = newConnectionWindowSeconds(this.lb) + recoveryWindowSeconds(this.lb.healthCheck);
    const discovery = this.routing ? discoveryDelaySeconds(this.routing.cluster.discovery) : 0;
    return Math.max(lb, Number.isFinite(discovery) ? discovery : 0) + this.lb.healthCheck.intervalSeconds + this.load.timeoutSeconds;
  }

  private get end(): number {
    return this.loadEnd + this.tailSeconds;
  }

  public run(): SimulationResult {
    this.setUp();
    const queue = this.queue;
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) {
      if (event.time > this.end) {
        queue.release(event);
        break;
      }
      this.now = event.time;
      this.handle(event.kind, event.subject, event.generation);
      queue.release(event);
    }
    return this.result();
  }

  // ---------------------------------------------------------------- set-up

  private setUp(): void {
    for (let index = 0; index < this.gateway.replicas; index++) this.initialPod(this.gateway, index % this.nodes);
    if (this.upstream) for (let index = 0; index < this.upstream.replicas; index++) this.initialPod(this.upstream, index % this.nodes);

    if (this.lb.targetType === 'ip') {
      for (const pod of this.gateway.pods) this.addIpTarget(pod, true);
    } else {
      for (let node = 0; node < this.nodes; node++) {
        const healthy = this.lb.targetType === 'instance' && !this.localTraffic ? true : this.gatewayPodsByNode[node].length > 0;
        const target = newTarget(this.targets.length, `node-${node}`, healthy, 0, { node });
        if (healthy) target.passes = this.lb.healthCheck.healthyThreshold;
        this.targets.push(target);
        this.queue.push(this.random.uniform(0, this.lb.healthCheck.intervalSeconds), Kind.LbCheck, target.index);
      }
    }
    for (const pod of this.gateway.pods) this.startEnvoy(pod, true);

    const load = this.load;
    const workers = load.concurrency + load.longRequests;
    for (let index = 0; index < workers; index++) {
      const long = index >= load.concurrency;
      const interval = long || load.rate === 0 ? 0 : 1 / load.rate;
      this.workers.push({
        index, long, timeout: long ? load.longTimeoutSeconds : load.timeoutSeconds, interval,
        generation: 0, lastSendAt: -Infinity, inFlight: false, startedAt: 0, requestStartedAt: 0, clientRetriesLeft: 0, deadline: 0,
        connPod: null, connTarget: -1, connOpenedAt: 0, synTarget: null, synFailOpen: false, synAttempt: 0,
        reqPod: null, reqUpstream: null, reqEntry: null, tries: 0, tried: [], outcome: Outcome.Ok, cause: undefined,
      });
      const phase = long ? this.random.uniform(0, Math.max(load.longDelaySeconds, 0.001)) : this.random.uniform(0, interval || 0.001);
      this.queue.push(phase, Kind.Send, index);
    }
    this.queue.push(this.scenarioStart, Kind.ScenarioStart, 0);
  }

  private initialPod(workload: WorkloadSim, node: number): SimPod {
    const pod = this.createPodRecord(workload, node, LONG_AGO);
    pod.startedAt = LONG_AGO;
    pod.containerReadyAt = LONG_AGO;
    pod.readyAt = LONG_AGO;
    pod.availableAt = LONG_AGO;
    return pod;
  }

  private createPodRecord(workload: WorkloadSim, node: number, at: number): SimPod {
    workload.counter++;
    const pod = newPod(this.allPods.length, workload.role, `${workload.model.name}-${workload.revision}-${workload.counter}`, workload.revision, node, at);
    this.allPods.push(pod);
    workload.pods.push(pod);
    if (workload.role === 'gateway') this.gatewayPodsByNode[node].push(pod);
    return pod;
  }

  private addIpTarget(pod: SimPod, healthy: boolean): void {
    const target = newTarget(this.targets.length, pod.name, healthy, this.now, { pod });
    if (healthy) target.passes = this.lb.healthCheck.healthyThreshold;
    this.targets.push(target);
    this.targetOfPod.set(pod.id, target);
    this.queue.push(this.now + this.random.uniform(0, this.lb.healthCheck.intervalSeconds), Kind.LbCheck, target.index);
  }

  /** A gateway pod's Envoy learns the upstream hosts when it starts, then keeps re-resolving. */
  private startEnvoy(pod: SimPod, initial: boolean): void {
    if (!this.routing || !this.upstream) return;
    const view: ClusterView = { hosts: [], roundRobin: this.random.index(16) };
    this.views.set(pod.id, view);
    const discovery = this.routing.cluster.discovery;
    applyDiscovery(view, this.routing.cluster, this.upstream.pods, this.discoveryAsOf(this.now), this.now);
    if (discovery.kind === 'dns') {
      const first = initial ? this.random.uniform(0, discovery.dnsRefreshSeconds) : discovery.dnsRefreshSeconds;
      this.queue.push(this.now + first, Kind.DnsRefresh, pod.id);
    }
  }

  private discoveryAsOf(at: number): number {
    const discovery = this.routing!.cluster.discovery;
    switch (discovery.kind) {
      case 'dns':
        return lastDnsFill(discovery.dnsTtlSeconds, this.dnsPhase, at) - discovery.propagationSeconds;
      case 'eds':
        return at - discovery.propagationSeconds - discovery.pushSeconds;
      case 'static':
        return at;
    }
  }

  private scheduleEdsUpdate(changedAt: number): void {
    const discovery = this.routing?.cluster.discovery;
    if (discovery?.kind !== 'eds' || !Number.isFinite(changedAt)) return;
    this.queue.push(Math.max(this.now, changedAt + discoveryDelaySeconds(discovery)), Kind.EdsUpdate, 0);
  }

  // ---------------------------------------------------------------- events

  private handle(kind: Kind, subject: number, generation: number): void {
    switch (kind) {
      case Kind.Send: return this.send(this.workers[subject]);
      case Kind.Complete: {
        const worker = this.workers[subject];
        if (worker.generation === generation && worker.inFlight) this.finish(worker);
        return;
      }
      case Kind.SynRetry: return this.synRetry(this.workers[subject], generation);
      case Kind.EnvoyRetry: {
        const worker = this.workers[subject];
        if (worker.generation !== generation || !worker.inFlight) return;
        worker.generation++;
        return this.dispatchUpstream(worker, this.now);
      }
      case Kind.LbCheck: return this.healthCheck(this.targets[subject]);
      case Kind.LbResult: return this.healthCheckResult(this.targets[subject], generation === 1);
      case Kind.LbReset: {
        const target = this.targets[subject];
        if (generation === NEG_DETACH_CUT) this.resetConnections(target, 'neg-detached-in-flight');
        else if (!target.healthy && target.epoch === generation) this.resetConnections(target);
        return;
      }
      case Kind.PodStart: return this.podStart(this.allPods[subject]);
      case Kind.PodReady: return this.podContainerReady(this.allPods[subject]);
      case Kind.PodAvailable: return this.reconcileAll();
      case Kind.PreStopPoll: return this.preStopPoll(this.allPods[subject]);
      case Kind.PodSigterm: return this.podSigterm(this.allPods[subject]);
      case Kind.PodExit: return this.podExit(this.allPods[subject]);
      case Kind.DnsRefresh: {
        const pod = this.allPods[subject];
        const view = this.views.get(pod.id);
        if (!view || this.now >= pod.exitAt) return;
        applyDiscovery(view, this.routing!.cluster, this.upstream!.pods, this.discoveryAsOf(this.now), this.now);
        this.queue.push(this.now + this.routing!.cluster.discovery.dnsRefreshSeconds, Kind.DnsRefresh, pod.id);
        return;
      }
      case Kind.EdsUpdate: {
        const asOf = this.discoveryAsOf(this.now);
        for (const view of this.views.values()) applyDiscovery(view, this.routing!.cluster, this.upstream!.pods, asOf, this.now);
        return;
      }
      case Kind.ScenarioStart: return this.startScenario();
      case Kind.Evict: return this.evict(this.allPods[subject]);
      case Kind.DeregistrationCut: return this.resetConnections(this.targets[subject], 'deregistration-delay-cut');
    }
  }

  // ---------------------------------------------------------------- clients

  private send(worker: Worker): void {
    const t = this.now;
    if (t >= this.loadEnd) return;
    worker.lastSendAt = t;
    worker.requestStartedAt = t;
    worker.clientRetriesLeft = this.load.clientRetries;
    this.requests++;
    this.startTry(worker, t);
  }

  /** One try of the worker's request: over its open connection, or a new one through the load balancer. */
  private startTry(worker: Worker, t: number): void {
    worker.generation++;
    worker.inFlight = true;
    worker.startedAt = t;
    worker.deadline = t + worker.timeout;
    worker.tries = 0;
    worker.reqPod = null;
    worker.reqUpstream = null;
    worker.reqEntry = null;
    worker.cause = undefined;
    if (worker.connPod !== null && !choosesBackendPerRequest(this.lb)) {
      this.arrive(worker, t + this.params.networkRoundTripSeconds / 2);
      return;
    }
    const { target, failOpen } = chooseTarget(this.targets, t, this.random);
    worker.synTarget = target ?? null;
    worker.synFailOpen = failOpen;
    worker.synAttempt = 0;
    this.attemptConnect(worker, t);
  }

  /** The client's SYN reaches the target; kube-proxy, a host port or the pod itself decides its fate. */
  private attemptConnect(worker: Worker, t: number): void {
    const target = worker.synTarget;
    const pod = target ? this.podBehind(target, t) : undefined;
    const rtt = this.params.networkRoundTripSeconds;
    const cause = this.connectFailureCause(worker);
    if (pod !== undefined && alive(pod, t)) {
      if (accepting(pod, t)) {
        worker.connPod = pod;
        worker.connTarget = target!.index;
        worker.connOpenedAt = t;
        this.arrive(worker, t + rtt + rtt / 2);
      } else {
        this.conclude(worker, t + rtt, Outcome.Refused, cause);
      }
      return;
    }
    if (pod === undefined && target !== null && this.lb.targetType === 'host-port') {
      // Nothing holds the host port: the node itself answers with a reset.
      this.conclude(worker, t + rtt, Outcome.Refused, cause);
      return;
    }
    // The SYN is dropped; the client sends it again on its retransmission schedule until its timeout.
    worker.outcome = Outcome.ConnectTimeout;
    worker.cause = cause;
    this.queue.push(worker.deadline, Kind.Complete, worker.index, worker.generation);
    const retransmit = this.params.synRetransmitSeconds[worker.synAttempt];
    if (retransmit !== undefined && worker.startedAt + retransmit < worker.deadline) {
      this.queue.push(worker.startedAt + retransmit, Kind.SynRetry, worker.index, worker.generation);
    }
  }

  private synRetry(worker: Worker, generation: number): void {
    if (worker.generation !== generation || !worker.inFlight) return;
    worker.synAttempt++;
    // The pending timeout stands unless this SYN gets through: a new generation replaces it.
    worker.generation++;
    this.attemptConnect(worker, this.now);
  }

  private connectFailureCause(worker: Worker): FailureCause {
    if (worker.synFailOpen) return 'load-balancer-fail-open';
    switch (this.lb.targetType) {
      case 'ip': return this.lb.provider === 'gke' ? 'neg-endpoint-gone' : 'target-gone';
      case 'host-port': return 'host-port-not-bound';
      default: return 'node-without-endpoint';
    }
  }

  /** The pod a new connection to `target` lands on at `t`, as the data path sees it. */
  private podBehind(target: SimTarget, t: number): SimPod | undefined {
    if (target.pod) return target.pod;
    const node = target.node!;
    if (this.lb.targetType === 'host-port') return this.boundPod(node, t);
    const view = t - this.params.kubeProxyPropagationSeconds;
    return kubeProxyChoice(this.localTraffic ? this.gatewayPodsByNode[node] : this.gateway.pods, view, this.random);
  }

  private boundPod(node: number, t: number): SimPod | undefined {
    for (const pod of this.gatewayPodsByNode[node]) if (pod.startedAt <= t && t < pod.exitAt) return pod;
    return undefined;
  }

  /** The request reaches the gateway pod of its connection. */
  private arrive(worker: Worker, t: number): void {
    const pod = worker.connPod!;
    worker.reqPod = pod;
    if (this.routing && this.views.has(pod.id)) {
      this.dispatchUpstream(worker, t);
      return;
    }
    const service = worker.long ? this.load.longDelaySeconds : this.random.around(this.params.gatewayServiceSeconds);
    this.conclude(worker, t + service + this.params.networkRoundTripSeconds / 2, Outcome.Ok, undefined);
  }

  /** One try from the gateway to an upstream host. */
  private dispatchUpstream(worker: Worker, t: number): void {
    const routing = this.routing!;
    const view = this.views.get(worker.reqPod!.id);
    const half = this.params.networkRoundTripSeconds / 2;
    const entry = view ? chooseHost(view, t, worker.tried, worker.tries, routing.route?.previousHosts ?? false, this.params.envoyPanicThresholdPercent) : undefined;
    if (!entry) {
      this.conclude(worker, t + half, Outcome.Status503, 'upstream-stale-host');
      return;
    }
    const pod = entry.pod;
    worker.tried[worker.tries++] = pod;
    if (accepting(pod, t)) {
      entry.consecutiveFailures = 0;
      worker.reqUpstream = pod;
      worker.reqEntry = entry;
      const service = worker.long ? this.load.longDelaySeconds : this.random.around(this.params.upstreamServiceSeconds);
      this.conclude(worker, t + service + half, Outcome.Ok, undefined);
      return;
    }
    recordHostFailure(view!, entry, routing.cluster, t);
    // A pod that still exists refuses at once; one whose address has gone leaves Envoy waiting for connect_timeout.
    const failedAt = alive(pod, t) ? t + this.params.networkRoundTripSeconds : t + this.connectTimeoutSeconds;
    this.tryFailed(worker, failedAt, 'connect-failure');
  }

  private tryFailed(worker: Worker, at: number, condition: 'connect-failure' | 'reset'): void {
    const route = this.routing!.route;
    const retried = retries(route, condition);
    const cause: FailureCause = condition === 'reset' ? 'upstream-killed-in-flight' : retried ? 'upstream-stale-host' : 'upstream-stale-host-no-retry';
    worker.reqUpstream = null;
    worker.reqEntry = null;
    if (retried && worker.tries <= route!.numRetries) {
      const retryAt = at + retryBackoff(this.params.envoyRetryBackoffBaseSeconds, worker.tries, this.random);
      if (retryAt < worker.deadline) {
        worker.outcome = Outcome.HeaderTimeout;
        worker.cause = cause;
        this.queue.push(worker.deadline, Kind.Complete, worker.index, worker.generation);
        this.queue.push(retryAt, Kind.EnvoyRetry, worker.index, worker.generation);
        return;
      }
    }
    this.conclude(worker, at + this.params.networkRoundTripSeconds / 2, Outcome.Status503, cause);
  }

  /** Schedules the request's end: its outcome at `at`, or the client's timeout if that comes first. */
  private conclude(worker: Worker, at: number, outcome: Outcome, cause: FailureCause | undefined): void {
    if (at > worker.deadline) {
      at = worker.deadline;
      if (outcome !== Outcome.ConnectTimeout) outcome = Outcome.HeaderTimeout;
    }
    worker.outcome = outcome;
    worker.cause = cause;
    this.queue.push(at, Kind.Complete, worker.index, worker.generation);
  }

  /** Fails the worker's request now (its connection died), then lets it go on. */
  private abort(worker: Worker, cause: FailureCause): void {
    worker.generation++;
    worker.outcome = Outcome.Reset;
    worker.cause = cause;
    // finish() closes the connection, as for every error.
    this.finish(worker);
  }

  private finish(worker: Worker): void {
    const t = this.now;
    worker.inFlight = false;
    worker.reqUpstream = null;
    worker.reqEntry = null;
    const outcome = worker.outcome;
    if (outcome !== Outcome.Ok && worker.clientRetriesLeft > 0 && t < this.loadEnd) {
      // A client that retries sends the request again on a new connection, through the load balancer.
      worker.clientRetriesLeft--;
      this.clientRetried++;
      worker.connPod = null;
      worker.connTarget = -1;
      this.startTry(worker, t);
      return;
    }
    this.outcomes[outcome]++;
    const second = Math.max(0, Math.floor(t));
    while (this.okPerSecond.length <= second) {
      this.okPerSecond.push(0);
      this.failedPerSecond.push(0);
    }
    if (outcome === Outcome.Ok || outcome === Outcome.Status503) {
      if (this.latencyCount === this.latencies.length) {
        const grown = new Float64Array(this.latencies.length * 2);
        grown.set(this.latencies);
        this.latencies = grown;
      }
      this.latencies[this.latencyCount++] = t - worker.requestStartedAt;
    }
    if (outcome === Outcome.Ok) {
      this.succeeded++;
      this.okPerSecond[second]++;
    } else {
      this.failedPerSecond[second]++;
      const cause = worker.cause ?? 'slow-request';
      this.causes.set(cause, (this.causes.get(cause) ?? 0) + 1);
      const target = worker.connTarget >= 0 && worker.connPod !== null ? worker.connTarget : worker.synTarget?.index ?? -1;
      this.failures.push({ time: t, errorClass: OUTCOME_CLASS[outcome]!, cause: worker.cause, target });
    }
    const pod = worker.connPod;
    if (pod !== null) {
      const answered = outcome === Outcome.Ok || outcome === Outcome.Status503;
      const drainClosed = this.gateway.model.drain.drainsConnections && t >= pod.healthFailsAt;
      if (!answered || !this.load.keepAlive || drainClosed || t >= pod.exitAt) {
        worker.connPod = null;
        worker.connTarget = -1;
      }
    }
    const next = worker.long ? t : Math.max(t, worker.lastSendAt + worker.interval);
    if (next < this.loadEnd) this.queue.push(next, Kind.Send, worker.index);
  }

  // ---------------------------------------------------------------- load balancer

  private healthCheck(target: SimTarget): void {
    const t = this.now;
    if (t >= target.deregisteredAt) return;
    const outcome = this.probe(target, t);
    this.queue.push(t + outcome.after, Kind.LbResult, target.index, outcome.passed ? 1 : 0);
    this.queue.push(nextHealthCheckAt(this.lb, t, this.params.loadBalancerHealthCheckJitterSeconds, this.random), Kind.LbCheck, target.index);
  }

  private probe(target: SimTarget, t: number): HealthCheckOutcome {
    const lb = this.lb;
    if (lb.targetType === 'instance' && lb.healthCheckPort === 'healthCheckNodePort') {
      // kube-proxy answers on healthCheckNodePort: with eTP Local 503 once the node has no ready local
      // endpoint (terminating ones don't count), from t0 on; with eTP Cluster there is no such port and
      // kube-proxy's own health (port 10256) says only that kube-proxy runs.
      if (!this.localTraffic) return answered(true);
      return answered(nodeHealthz(this.gatewayPodsByNode[target.node!], t - this.params.kubeProxyPropagationSeconds));
    }
    const pod = this.podBehind(target, t);
    if (pod === undefined) return lb.targetType === 'host-port' ? answered(false) : silent(lb);
    if (!alive(pod, t)) return silent(lb);
    if (!accepting(pod, t)) return answered(false);
    // Only an HTTP check on Envoy's health-check path sees /healthcheck/fail; a TCP check, or one on
    // another path (say `/`, routed to the upstream), passes while Envoy accepts.
    return answered(lb.healthCheckProtocol === 'TCP' || !this.healthCheckSeesDrain || t < pod.healthFailsAt);
  }

  private healthCheckResult(target: SimTarget, passed: boolean): void {
    if (this.now >= target.deregisteredAt) return;
    const change = applyHealthCheck(target, this.lb, passed, this.now);
    if (change === 'unhealthy') {
      if (this.lb.unhealthyConnectionTermination) {
        this.resetConnections(target);
      } else {
        // Past the draining interval (at once when it is 0, the default) the target leaves
        // unhealthy.draining and its connections are terminated.
        this.queue.push(this.now + this.lb.unhealthyDrainingIntervalSeconds, Kind.LbReset, target.index, target.epoch);
      }
    } else if (change === 'healthy' && target.pod && target.pod.readyAt === Infinity && target.pod.containerReadyAt <= this.now) {
      this.markReady(target.pod);
    }
  }

  private resetConnections(target: SimTarget, cause: FailureCause = 'unhealthy-target-reset'): void {
    for (const worker of this.workers) {
      if (worker.connPod === null || worker.connTarget !== target.index) continue;
      if (worker.inFlight && worker.reqPod === worker.connPod) {
        this.abort(worker, cause);
      } else {
        worker.connPod = null;
        worker.connTarget = -1;
      }
    }
  }

  // ---------------------------------------------------------------- pods

  private createPod(workload: WorkloadSim, node: number): SimPod {
    const pod = this.createPodRecord(workload, node, this.now);
    const portTaken = workload.role === 'gateway' && workload.model.hostPorts.length > 0 && this.gatewayPodsByNode[node].some((each) => each !== pod && each.exitAt > this.now);
    if (portTaken) {
      pod.waitingForPort = true;
    } else {
      this.queue.push(this.now + this.random.around(this.params.podStartupSeconds), Kind.PodStart, pod.id);
    }
    if (workload.role === 'gateway' && this.lb.targetType === 'ip') this.addIpTarget(pod, false);
    return pod;
  }

  private podStart(pod: SimPod): void {
    pod.waitingForPort = false;
    pod.startedAt = this.now;
    const workload = this.workloadOf(pod);
    pod.containerReadyAt = readinessPassesAt(workload.model, this.now, this.random);
    this.queue.push(pod.containerReadyAt, Kind.PodReady, pod.id);
    if (pod.role === 'gateway') this.startEnvoy(pod, false);
  }

  private podContainerReady(pod: SimPod): void {
    if (pod.deletedAt <= this.now) return;
    const target = this.targetOfPod.get(pod.id);
    // IP targets: the pod readiness gate holds the pod unready until its target is healthy.
    if (target && !target.healthy) return;
    this.markReady(pod);
  }

  private markReady(pod: SimPod): void {
    if (pod.deletedAt <= this.now) return;
    const workload = this.workloadOf(pod);
    pod.readyAt = this.now;
    pod.availableAt = this.now + workload.model.minReadySeconds;
    this.queue.push(pod.availableAt, Kind.PodAvailable, pod.id);
    if (pod.role === 'upstream') this.scheduleEdsUpdate(pod.readyAt);
    this.reconcileAll();
  }

  private deletePod(pod: SimPod): void {
    const t = this.now;
    const workload = this.workloadOf(pod);
    const model = workload.model;
    const plan = planStop(model, t, this.params.preStopDeadlineExtensionSeconds);
    this.stopPlans.set(pod.id, plan);
    pod.deletedAt = t;
    pod.healthFailsAt = plan.healthFailsAt;
    pod.notReadyAt = readinessFailsAt(model, t, this.random);
    pod.stopsAcceptingAt = pod.role === 'gateway' ? plan.stopsAcceptingAt : plan.sigtermAt;
    if (plan.endsWhenIdle && plan.preStopEndsAt <= plan.sigtermAt) {
      this.queue.push(plan.endsWhenIdle.firstPollAt, Kind.PreStopPoll, pod.id);
    } else {
      this.signal(pod, plan.sigtermAt, plan.killAt);
    }
    if (pod.role === 'upstream') {
      this.scheduleEdsUpdate(t);
      this.scheduleEdsUpdate(pod.notReadyAt);
    }
    const target = this.targetOfPod.get(pod.id);
    const detach = target ? negDetach(this.lb, t) : undefined;
    if (target && detach) {
      // GKE: health-checked until the NEG detach takes effect; what is still open is cut when connection draining ends.
      target.deregisteredAt = target.stopsReceivingAt = detach.detachAt;
      target.history.push([detach.detachAt, false]);
      this.queue.push(detach.cutAt, Kind.LbReset, target.index, NEG_DETACH_CUT);
    } else if (target) {
      target.deregisteredAt = t + this.params.kubeProxyPropagationSeconds;
      target.stopsReceivingAt = target.deregisteredAt + this.lb.deregistrationLagSeconds;
      target.history.push([target.deregisteredAt, false]);
      // With deregistration_delay.connection_termination the load balancer cuts what is still open when the delay ends.
      if (this.lb.deregistrationConnectionTermination) {
        this.queue.push(target.deregisteredAt + this.lb.deregistrationDelaySeconds, Kind.DeregistrationCut, target.index);
      }
    }
    workload.removed.add(pod);
  }

  /** SIGTERM at `sigtermAt`; the process exits once its app drain is done, or at SIGKILL. */
  private signal(pod: SimPod, sigtermAt: number, killAt: number): void {
    const workload = this.workloadOf(pod);
    const drained = sigtermAt + workload.model.appDrainSeconds;
    pod.sigtermAt = sigtermAt;
    if (pod.role === 'upstream') pod.stopsAcceptingAt = Math.min(pod.stopsAcceptingAt, sigtermAt);
    pod.exitAt = Math.min(drained, killAt);
    pod.killed = drained > killAt;
    this.queue.push(sigtermAt, Kind.PodSigterm, pod.id);
    this.queue.push(pod.exitAt, Kind.PodExit, pod.id);
  }

  /** A shutdown-manager ends preStop once Envoy has no connection left (or its drain time is up). */
  private preStopPoll(pod: SimPod): void {
    const plan = this.stopPlans.get(pod.id)!;
    let open = 0;
    for (const worker of this.workers) if (worker.connPod === pod) open++;
    const pollSeconds = plan.endsWhenIdle?.pollSeconds ?? this.params.shutdownManagerPollSeconds;
    if (open === 0 || this.now + pollSeconds >= plan.preStopEndsAt) {
      const sigtermAt = open === 0 ? this.now : plan.preStopEndsAt;
      pod.stopsAcceptingAt = Math.min(pod.stopsAcceptingAt, sigtermAt);
      this.signal(pod, sigtermAt, plan.killAt);
      return;
    }
    this.queue.push(this.now + pollSeconds, Kind.PreStopPoll, pod.id);
  }

  private podSigterm(pod: SimPod): void {
    if (pod.role !== 'upstream' || !this.routing) return;
    for (const view of this.views.values()) {
      for (const entry of view.hosts) {
        if (entry.pod === pod) entry.unhealthyAt = Math.min(entry.unhealthyAt, activeHealthCheckFailsAt(this.routing.cluster, this.now, this.random));
      }
    }
  }

  private podExit(pod: SimPod): void {
    if (pod.role === 'gateway') {
      for (const worker of this.workers) {
        if (worker.connPod !== pod) continue;
        if (worker.inFlight && worker.reqPod === pod) {
          this.abort(worker, this.exitCause(worker, pod));
        } else {
          worker.connPod = null;
          worker.connTarget = -1;
        }
      }
      this.views.delete(pod.id);
      for (const waiting of this.gatewayPodsByNode[pod.node]) {
        if (waiting.waitingForPort && this.boundPod(pod.node, this.now) === undefined) {
          this.queue.push(this.now + this.random.around(this.params.podStartupSeconds), Kind.PodStart, waiting.id);
          waiting.waitingForPort = false;
          break;
        }
      }
    } else {
      for (const worker of this.workers) {
        if (worker.inFlight && worker.reqUpstream === pod) {
          worker.generation++;
          const view = this.views.get(worker.reqPod!.id);
          if (view && worker.reqEntry) recordHostFailure(view, worker.reqEntry, this.routing!.cluster, this.now);
          this.tryFailed(worker, this.now, 'reset');
        }
      }
    }
    this.reconcileAll();
  }

  /** Why a request still on a gateway pod when it exits failed. */
  private exitCause(worker: Worker, pod: SimPod): FailureCause {
    if (worker.startedAt < pod.deletedAt) return 'request-outlived-drain';
    // A keep-alive connection from before the stop that nothing closed: the client kept sending on it.
    if (worker.connOpenedAt < pod.deletedAt && !this.gateway.model.drain.drainsConnections) return 'keepalive-not-drained';
    return 'gateway-exit-in-flight';
  }

  private workloadOf(pod: SimPod): WorkloadSim {
    return pod.role === 'gateway' ? this.gateway : this.upstream!;
  }

  // ---------------------------------------------------------------- controllers

  private startScenario(): void {
    this.scenarioStarted = true;
    this.scenarioStart = this.now;
    switch (this.scenario) {
      case 'gateway-rollout':
      case 'gateway-daemonset-rollout':
        this.gateway.revision = 'new';
        break;
      case 'upstream-rollout':
        this.upstream!.revision = 'new';
        break;
      case 'node-drain': {
        const node = this.gateway.pods[0].node;
        this.cordoned[node] = true;
        // kubectl drain evicts every pod on the node; DaemonSet pods stay (--ignore-daemonsets).
        const evicted: SimPod[] = [];
        for (const workload of [this.gateway, this.upstream]) {
          if (!workload || workload.model.kind === 'DaemonSet') continue;
          for (const pod of workload.pods) if (pod.node === node && pod.deletedAt === Infinity) evicted.push(pod);
        }
        this.pendingEvictions = evicted.length;
        for (const pod of evicted) this.evict(pod);
        return;
      }
    }
    this.reconcileAll();
  }

  private evict(pod: SimPod): void {
    if (pod.deletedAt <= this.now) return;
    const workload = this.workloadOf(pod);
    const desired = desiredHealthy(workload.model, workload.replicas);
    let healthy = 0;
    for (const each of workload.pods) if (endpointReady(each, this.now)) healthy++;
    if (desired !== undefined && endpointReady(pod, this.now) && healthy - 1 < desired) {
      this.queue.push(this.now + this.params.evictionRetrySeconds, Kind.Evict, pod.id);
      return;
    }
    this.pendingEvictions--;
    this.deletePod(pod);
    this.reconcileAll();
  }

  private reconcileAll(): void {
    this.reconcile(this.gateway);
    if (this.upstream) this.reconcile(this.upstream);
    this.checkScenarioDone();
  }

  private reconcile(workload: WorkloadSim): void {
    if (workload.model.kind === 'DaemonSet') this.reconcileDaemonSet(workload);
    else this.reconcileDeployment(workload);
  }

  /** The Deployment controller: surge new pods up to maxSurge, remove old ones while availability stays above replicas − maxUnavailable. */
  private reconcileDeployment(workload: WorkloadSim): void {
    const t = this.now;
    const replicas = workload.replicas;
    const surge = workload.model.kind === 'StatefulSet' ? 0 : workload.model.maxSurge;
    const unavailable = workload.model.kind === 'StatefulSet' ? 1 : workload.model.maxUnavailable;
    for (let guard = 0; guard < 1000; guard++) {
      const active = workload.pods.filter((pod) => pod.deletedAt === Infinity);
      const current = active.filter((pod) => pod.revision === workload.revision);
      const stale = active.filter((pod) => pod.revision !== workload.revision);
      if (current.length < replicas && active.length < replicas + surge) {
        this.createPod(workload, this.placeNode(workload));
        continue;
      }
      if (stale.length === 0) return;
      const available = active.filter((pod) => pod.availableAt <= t).length;
      const victim = this.pickVictim(workload, stale);
      if (victim.availableAt > t || available - 1 >= replicas - unavailable) {
        this.deletePod(victim);
        continue;
      }
      return;
    }
  }

  /** The ReplicaSet's choice of pod to remove: unavailable first, then the one sharing its node with the most pods of the workload. */
  private pickVictim(workload: WorkloadSim, stale: SimPod[]): SimPod {
    const colocated = (pod: SimPod): number => workload.pods.filter((each) => each.node === pod.node && each.deletedAt === Infinity).length;
    return [...stale].sort((a, b) => Number(a.availableAt <= this.now) - Number(b.availableAt <= this.now) || colocated(b) - colocated(a) || a.id - b.id)[0];
  }

  private placeNode(workload: WorkloadSim): number {
    const t = this.now;
    const occupied = (node: number): number => workload.pods.filter((pod) => pod.node === node && pod.exitAt > t).length;
    const open = [...Array(this.nodes).keys()].filter((node) => !this.cordoned[node]);
    if (this.placement === 'same-node') {
      const stale = workload.pods.filter((pod) => pod.deletedAt === Infinity && pod.revision !== workload.revision && !this.cordoned[pod.node]);
      for (const pod of stale.sort((a, b) => a.id - b.id)) {
        if (!workload.pods.some((each) => each.node === pod.node && each.revision === workload.revision && each.exitAt > t)) return pod.node;
      }
    }
    if (this.placement === 'random') {
      const eligible = workload.model.onePodPerNode ? open.filter((node) => occupied(node) === 0) : open;
      if (eligible.length > 0) return eligible[this.random.index(eligible.length)];
    }
    const empty = open.find((node) => occupied(node) === 0);
    if (empty !== undefined) return empty;
    return open.reduce((best, node) => (occupied(node) < occupied(best) ? node : best), open[0] ?? 0);
  }

  /** The DaemonSet controller: node by node, at most maxUnavailable nodes without an available pod (or maxSurge extra pods). */
  private reconcileDaemonSet(workload: WorkloadSim): void {
    const t = this.now;
    const nodes = [...new Set(workload.pods.map((pod) => pod.node))].sort((a, b) => a - b);
    const onNode = (node: number): SimPod[] => workload.pods.filter((pod) => pod.node === node && pod.exitAt > t);
    let unavailableNodes = 0;
    let surging = 0;
    for (const node of nodes) {
      const pods = onNode(node);
      const current = pods.find((pod) => pod.revision === workload.revision && pod.deletedAt === Infinity);
      if (!pods.some((pod) => pod.deletedAt === Infinity && pod.availableAt <= t)) unavailableNodes++;
      if (current && current.availableAt > t && pods.some((pod) => pod !== current)) surging++;
    }
    for (const node of nodes) {
      const pods = onNode(node);
      const current = pods.find((pod) => pod.revision === workload.revision && pod.deletedAt === Infinity);
      const stale = pods.find((pod) => pod.revision !== workload.revision && pod.deletedAt === Infinity);
      if (!current && pods.length === 0 && !this.cordoned[node]) {
        this.createPod(workload, node);
        continue;
      }
      if (!stale) continue;
      if (workload.model.maxSurge > 0) {
        if (!current && surging < workload.model.maxSurge) {
          this.createPod(workload, node);
          surging++;
        } else if (current && current.availableAt <= t) {
          this.deletePod(stale);
        }
      } else if (!current && unavailableNodes < Math.max(1, workload.model.maxUnavailable)) {
        const wasAvailable = stale.availableAt <= t;
        this.deletePod(stale);
        if (wasAvailable) unavailableNodes++;
      }
    }
  }

  private checkScenarioDone(): void {
    if (!this.scenarioStarted || this.scenarioEnd !== undefined || this.pendingEvictions > 0) return;
    const t = this.now;
    const workloads = this.scenario === 'upstream-rollout' ? [this.upstream!]
      : this.scenario === 'node-drain' ? [this.gateway, ...(this.upstream ? [this.upstream] : [])] : [this.gateway];
    for (const workload of workloads) {
      const active = workload.pods.filter((pod) => pod.deletedAt === Infinity);
      if (active.some((pod) => pod.revision !== workload.revision || pod.availableAt > t)) return;
      if (workload.model.kind !== 'DaemonSet' && active.length < workload.replicas) return;
      for (const pod of workload.removed) if (pod.exitAt > t) return;
    }
    this.scenarioEnd = t;
    if (this.untilSettled) this.loadEnd = Math.min(this.loadEnd, t + this.settleSeconds);
  }

  /** The least rollout time the chain allows for this scenario (lib/core/timing/rollout-time.ts). */
  private leastRolloutSeconds(): number {
    const startup = this.params.podStartupSeconds;
    const gatewayWindows = (): RolloutWindows => gatewayRolloutWindows(this.gateway.model, this.lb, startup);
    const upstreamWindows = (): RolloutWindows | undefined => (this.upstream && this.routing
      ? upstreamRolloutWindows(this.upstream.model, [this.routing.cluster.discovery], startup) : undefined);
    switch (this.scenario) {
      case 'gateway-rollout':
      case 'gateway-daemonset-rollout':
        return round(leastRolloutSeconds({ ...this.gateway.model, replicas: this.gateway.replicas }, gatewayWindows(), this.nodes));
      case 'upstream-rollout':
        return round(leastRolloutSeconds({ ...this.upstream!.model, replicas: this.upstream!.replicas }, upstreamWindows()!));
      case 'node-drain': {
        const windows: RolloutWindows[] = [];
        if (this.gateway.model.kind !== 'DaemonSet') windows.push(gatewayWindows());
        const upstream = upstreamWindows();
        if (upstream && this.upstream!.model.kind !== 'DaemonSet') windows.push(upstream);
        return round(leastDrainSeconds(windows));
      }
    }
  }

  // ---------------------------------------------------------------- result

  private result(): SimulationResult {
    const errors: Partial<Record<ErrorClass, number>> = {};
    OUTCOME_CLASS.forEach((errorClass, outcome) => {
      if (errorClass && this.outcomes[outcome] > 0) errors[errorClass] = this.outcomes[outcome];
    });
    const ordered: Partial<Record<ErrorClass, number>> = {};
    for (const errorClass of ERROR_CLASSES) if (errors[errorClass]) ordered[errorClass] = errors[errorClass];
    const statusCodes: Record<string, number> = {};
    if (this.outcomes[Outcome.Ok] > 0) statusCodes['200'] = this.outcomes[Outcome.Ok];
    if (this.outcomes[Outcome.Status503] > 0) statusCodes['503'] = this.outcomes[Outcome.Status503];
    const completed = this.outcomes.reduce((a, b) => a + b, 0);
    const causes: Partial<Record<FailureCause | 'slow-request', number>> = {};
    for (const [cause, count] of [...this.causes.entries()].sort((a, b) => b[1] - a[1])) causes[cause as FailureCause] = count;
    const rolloutSeconds = this.scenarioEnd === undefined ? null : round(this.scenarioEnd - this.scenarioStart);
    return {
      scenario: this.scenario,
      placement: this.placement,
      seed: this.seed,
      gateway: this.gatewayModel.workload.object,
      upstream: this.upstreamModel?.workload.object,
      load: this.load,
      requests: completed,
      succeeded: this.succeeded,
      failed: completed - this.succeeded,
      errors: ordered,
      statusCodes,
      causes,
      rolloutSeconds,
      leastRolloutSeconds: this.leastRolloutSeconds(),
      durationSeconds: round(this.loadEnd),
      nodes: this.nodes,
      clientRetries: this.clientRetried,
      requestsPerSecond: round(completed / Math.max(this.loadEnd, 1e-9)),
      latency: summarizeLatency(this.latencies.subarray(0, this.latencyCount)),
      timeline: {
        endSeconds: this.loadEnd,
        rolloutStartSeconds: this.scenarioStart,
        rolloutEndSeconds: this.scenarioEnd,
        pods: this.allPods.map((pod) => ({
          name: pod.name, role: pod.role, revision: pod.revision, node: pod.node, createdAt: pod.createdAt, startedAt: pod.startedAt,
          readyAt: pod.readyAt, deletedAt: pod.deletedAt, failsHealthCheckAt: pod.healthFailsAt, stopsAcceptingAt: pod.stopsAcceptingAt, exitAt: pod.exitAt, killed: pod.killed,
        })),
        targets: this.targets.map((target) => ({ label: target.label, history: target.history })),
        failures: this.failures,
        succeededPerSecond: this.okPerSecond,
        failedPerSecond: this.failedPerSecond,
      },
    };
  }
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

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function summarizeLatency(values: Float64Array): LatencySummary {
  if (values.length === 0) return { fastest: 0, slowest: 0, average: 0, p10: 0, p25: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0 };
  // Sorted in place: the buffer is the run's own and is not read again.
  const sorted = values.sort();
  const at = (share: number): number => sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];
  let sum = 0;
  for (const value of sorted) sum += value;
  const r = (value: number): number => Math.round(value * 1e6) / 1e6;
  return {
    fastest: r(sorted[0]), slowest: r(sorted[sorted.length - 1]), average: r(sum / sorted.length),
    p10: r(at(0.1)), p25: r(at(0.25)), p50: r(at(0.5)), p75: r(at(0.75)), p90: r(at(0.9)), p95: r(at(0.95)), p99: r(at(0.99)),
  };
}

function pickGateway(topology: Topology, wanted?: string): GatewayModel {
  if (topology.gateways.length === 0) {
    throw new Error('the manifests hold no gateway: simulate needs an Envoy Deployment or DaemonSet behind a load-balanced Service');
  }
  if (wanted === undefined) return topology.gateways[0];
  const found = topology.gateways.find((gateway) => namesObject(gateway.workload.object, wanted));
  if (!found) throw new Error(`no gateway '${wanted}' (gateways: ${topology.gateways.map((gateway) => gateway.workload.object).join(', ')})`);
  return found;
}

function pickUpstream(topology: Topology, gateway: GatewayModel, wanted?: string): { upstream: UpstreamModel; routing: UpstreamRouting } | undefined {
  const clusters = gateway.envoy?.clusters ?? [];
  const candidates = wanted === undefined ? topology.upstreams : topology.upstreams.filter((upstream) => namesObject(upstream.workload.object, wanted));
  if (wanted !== undefined && candidates.length === 0) {
    throw new Error(`no upstream '${wanted}' (upstreams: ${topology.upstreams.map((upstream) => upstream.workload.object).join(', ') || 'none'})`);
  }
  for (const upstream of candidates) {
    const services = new Set(upstream.services.map((service) => service.object));
    const cluster = clusters.find((each) => each.service !== undefined && services.has(each.service));
    if (!cluster) continue;
    const route = gateway.envoy!.routes.find((each) => each.cluster === cluster.name);
    return { upstream, routing: { cluster, route } };
  }
  if (wanted !== undefined) throw new Error(`the gateway ${gateway.workload.object} has no Envoy cluster routing to ${candidates[0].workload.object}`);
  return undefined;
}

function validate(scenario: Scenario, placement: Placement, gateway: WorkloadModel, upstream: UpstreamModel | undefined, routing: UpstreamRouting | undefined): void {
  if (scenario === 'gateway-daemonset-rollout' && gateway.kind !== 'DaemonSet') {
    throw new Error(`scenario gateway-daemonset-rollout needs a DaemonSet gateway, but ${gateway.object} is a ${gateway.kind}`);
  }
  if (scenario === 'upstream-rollout' && (!upstream || !routing)) {
    throw new Error(`scenario upstream-rollout needs an upstream that the gateway ${gateway.object} routes to (an Envoy cluster resolving one of its Services)`);
  }
  for (const workload of [gateway, upstream?.workload]) {
    if (workload && workload.kind === 'Deployment' && workload.maxSurge === 0 && workload.maxUnavailable === 0) {
      throw new Error(`${workload.object} has maxSurge 0 and maxUnavailable 0: Kubernetes rejects such a Deployment`);
    }
  }
  if (placement === 'same-node' && gateway.kind === 'Deployment' && gateway.onePodPerNode && scenario !== 'upstream-rollout') {
    throw new Error(`placement same-node is impossible: ${gateway.object} requires one pod per node (required pod anti-affinity on kubernetes.io/hostname)`);
  }
}
