import { FailureCause, ResolvedLoad } from './clients';
import { Random } from './engine';
import { chooseHost, HostEntry, retries, retryBackoff, UpstreamRouting } from './envoy';
import { EventKind, EventLoop } from './event-loop';
import { choosesBackendPerRequest } from './gke';
import { accepting, alive, SimPod } from './kubernetes';
import { LoadBalancer, SimTarget } from './load-balancer';
import { LoadWindow } from './load-window';
import { Metrics, Outcome } from './metrics';
import { SimulationParameters } from './parameters';
import { UpstreamViews } from './upstream-views';

/**
 * The clients, like hey: workers each with one request in flight, sent through the load balancer
 * to a gateway pod (on a kept-alive connection or a new one) and on to an upstream host, with
 * SYN retransmission, Envoy's retries, client retries and timeouts; each request's end goes to
 * the {@link Metrics}.
 */

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

/** What the workers need of the rest of the run. */
export interface ClientSurroundings {
  readonly loop: EventLoop;
  readonly random: Random;
  readonly params: SimulationParameters;
  readonly load: ResolvedLoad;
  readonly window: LoadWindow;
  readonly loadBalancer: LoadBalancer;
  readonly views: UpstreamViews;
  readonly routing: UpstreamRouting | undefined;
  readonly metrics: Metrics;
  /** Whether the gateway's drain closes kept-alive connections (Envoy's drain closes them after a response). */
  readonly gatewayDrainsConnections: boolean;
}

export class ClientWorkers {
  private readonly workers: Worker[] = [];
  private readonly loop: EventLoop;
  private readonly random: Random;
  private readonly params: SimulationParameters;
  private readonly load: ResolvedLoad;
  private readonly lb: LoadBalancer;
  private readonly connectTimeoutSeconds: number;

  constructor(private readonly surroundings: ClientSurroundings) {
    this.loop = surroundings.loop;
    this.random = surroundings.random;
    this.params = surroundings.params;
    this.load = surroundings.load;
    this.lb = surroundings.loadBalancer;
    this.connectTimeoutSeconds = surroundings.routing?.cluster.connectTimeoutSeconds ?? surroundings.params.envoyConnectTimeoutSeconds;
  }

  /** The workers, each sending its first request at a random phase of its interval. */
  public start(): void {
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
      this.loop.at(phase, EventKind.Send, index);
    }
  }

  /** The worker sends its next request now (none once the load has ended). */
  public send(index: number): void {
    const worker = this.workers[index];
    const t = this.loop.now;
    if (t >= this.surroundings.window.loadEndSeconds) return;
    worker.lastSendAt = t;
    worker.requestStartedAt = t;
    worker.clientRetriesLeft = this.load.clientRetries;
    this.startTry(worker, t);
  }

  /** The worker's request ends now, as concluded, if that is still the request's current end. */
  public complete(index: number, generation: number): void {
    const worker = this.workers[index];
    if (worker.generation === generation && worker.inFlight) this.finish(worker);
  }

  /** The client's SYN is retransmitted now, if the connection attempt still waits. */
  public synRetry(index: number, generation: number): void {
    const worker = this.workers[index];
    if (worker.generation !== generation || !worker.inFlight) return;
    worker.synAttempt++;
    // The pending timeout stands unless this SYN gets through: a new generation replaces it.
    worker.generation++;
    this.attemptConnect(worker, this.loop.now);
  }

  /** Envoy retries the request now, if it still waits. */
  public envoyRetry(index: number, generation: number): void {
    const worker = this.workers[index];
    if (worker.generation !== generation || !worker.inFlight) return;
    worker.generation++;
    this.dispatchUpstream(worker, this.loop.now);
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
    if (worker.connPod !== null && !choosesBackendPerRequest(this.lb.model)) {
      this.arrive(worker, t + this.params.networkRoundTripSeconds / 2);
      return;
    }
    const { target, failOpen } = this.lb.choose(t);
    worker.synTarget = target ?? null;
    worker.synFailOpen = failOpen;
    worker.synAttempt = 0;
    this.attemptConnect(worker, t);
  }

  /** The client's SYN reaches the target; kube-proxy, a host port or the pod itself decides its fate. */
  private attemptConnect(worker: Worker, t: number): void {
    const target = worker.synTarget;
    const pod = target ? this.lb.podBehind(target, t) : undefined;
    const rtt = this.params.networkRoundTripSeconds;
    const cause = this.lb.connectFailureCause(worker.synFailOpen);
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
    if (pod === undefined && target !== null && this.lb.model.targetType === 'host-port') {
      // Nothing holds the host port: the node itself answers with a reset.
      this.conclude(worker, t + rtt, Outcome.Refused, cause);
      return;
    }
    // The SYN is dropped; the client sends it again on its retransmission schedule until its timeout.
    worker.outcome = Outcome.ConnectTimeout;
    worker.cause = cause;
    this.loop.at(worker.deadline, EventKind.Complete, worker.index, worker.generation);
    const retransmit = this.params.synRetransmitSeconds[worker.synAttempt];
    if (retransmit !== undefined && worker.startedAt + retransmit < worker.deadline) {
      this.loop.at(worker.startedAt + retransmit, EventKind.SynRetry, worker.index, worker.generation);
    }
  }

  /** The request reaches the gateway pod of its connection. */
  private arrive(worker: Worker, t: number): void {
    const pod = worker.connPod!;
    worker.reqPod = pod;
    if (this.surroundings.routing && this.surroundings.views.viewOf(pod) !== undefined) {
      this.dispatchUpstream(worker, t);
      return;
    }
    const service = worker.long ? this.load.longDelaySeconds : this.random.around(this.params.gatewayServiceSeconds);
    this.conclude(worker, t + service + this.params.networkRoundTripSeconds / 2, Outcome.Ok, undefined);
  }

  /** One try from the gateway to an upstream host. */
  private dispatchUpstream(worker: Worker, t: number): void {
    const routing = this.surroundings.routing!;
    const view = this.surroundings.views.viewOf(worker.reqPod!);
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
    this.surroundings.views.recordFailure(worker.reqPod!, entry, t);
    // A pod that still exists refuses at once; one whose address has gone leaves Envoy waiting for connect_timeout.
    const failedAt = alive(pod, t) ? t + this.params.networkRoundTripSeconds : t + this.connectTimeoutSeconds;
    this.tryFailed(worker, failedAt, 'connect-failure');
  }

  /** An upstream try failed at `at`: Envoy retries it if its route says so and time is left, else answers 503. */
  private tryFailed(worker: Worker, at: number, condition: 'connect-failure' | 'reset'): void {
    const route = this.surroundings.routing!.route;
    const retried = retries(route, condition);
    const cause: FailureCause = condition === 'reset' ? 'upstream-killed-in-flight' : retried ? 'upstream-stale-host' : 'upstream-stale-host-no-retry';
    worker.reqUpstream = null;
    worker.reqEntry = null;
    if (retried && worker.tries <= route!.numRetries) {
      const retryAt = at + retryBackoff(this.params.envoyRetryBackoffBaseSeconds, worker.tries, this.random);
      if (retryAt < worker.deadline) {
        worker.outcome = Outcome.HeaderTimeout;
        worker.cause = cause;
        this.loop.at(worker.deadline, EventKind.Complete, worker.index, worker.generation);
        this.loop.at(retryAt, EventKind.EnvoyRetry, worker.index, worker.generation);
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
    this.loop.at(at, EventKind.Complete, worker.index, worker.generation);
  }

  /** Fails the worker's request now (its connection died), then lets it go on. */
  private abort(worker: Worker, cause: FailureCause): void {
    worker.generation++;
    worker.outcome = Outcome.Reset;
    worker.cause = cause;
    // finish() closes the connection, as for every error.
    this.finish(worker);
  }

  /** The request ends now: sent again on a client retry, else counted; the connection kept or closed; the next request scheduled. */
  private finish(worker: Worker): void {
    const t = this.loop.now;
    const loadEnd = this.surroundings.window.loadEndSeconds;
    worker.inFlight = false;
    worker.reqUpstream = null;
    worker.reqEntry = null;
    const outcome = worker.outcome;
    if (outcome !== Outcome.Ok && worker.clientRetriesLeft > 0 && t < loadEnd) {
      // A client that retries sends the request again on a new connection, through the load balancer.
      worker.clientRetriesLeft--;
      this.surroundings.metrics.clientRetries++;
      this.closeConnection(worker);
      this.startTry(worker, t);
      return;
    }
    const target = worker.connTarget >= 0 && worker.connPod !== null ? worker.connTarget : worker.synTarget?.index ?? -1;
    this.surroundings.metrics.record(outcome, worker.cause, t, worker.requestStartedAt, target);
    const pod = worker.connPod;
    if (pod !== null) {
      const answered = outcome === Outcome.Ok || outcome === Outcome.Status503;
      const drainClosed = this.surroundings.gatewayDrainsConnections && t >= pod.healthFailsAt;
      if (!answered || !this.load.keepAlive || drainClosed || t >= pod.exitAt) this.closeConnection(worker);
    }
    const next = worker.long ? t : Math.max(t, worker.lastSendAt + worker.interval);
    if (next < loadEnd) this.loop.at(next, EventKind.Send, worker.index);
  }

  private closeConnection(worker: Worker): void {
    worker.connPod = null;
    worker.connTarget = -1;
  }

  /** The load balancer cuts every connection through `target`: a request on one fails with a reset. */
  public connectionsCut(target: SimTarget, cause: FailureCause): void {
    for (const worker of this.workers) {
      if (worker.connPod === null || worker.connTarget !== target.index) continue;
      if (worker.inFlight && worker.reqPod === worker.connPod) this.abort(worker, cause);
      else this.closeConnection(worker);
    }
  }

  /** Connections open to the gateway pod now. */
  public connectionsTo(pod: SimPod): number {
    let open = 0;
    for (const worker of this.workers) if (worker.connPod === pod) open++;
    return open;
  }

  /** A gateway pod's process exits now: its connections close, and a request still on one fails. */
  public gatewayExiting(pod: SimPod): void {
    for (const worker of this.workers) {
      if (worker.connPod !== pod) continue;
      if (worker.inFlight && worker.reqPod === pod) this.abort(worker, this.exitCause(worker, pod));
      else this.closeConnection(worker);
    }
  }

  /** Why a request still on a gateway pod when it exits failed. */
  private exitCause(worker: Worker, pod: SimPod): FailureCause {
    if (worker.startedAt < pod.deletedAt) return 'request-outlived-drain';
    // A keep-alive connection from before the stop that nothing closed: the client kept sending on it.
    if (worker.connOpenedAt < pod.deletedAt && !this.surroundings.gatewayDrainsConnections) return 'keepalive-not-drained';
    return 'gateway-exit-in-flight';
  }

  /** An upstream pod's process exits now: a try in flight on it fails with a reset, which Envoy may retry. */
  public upstreamExiting(pod: SimPod): void {
    const now = this.loop.now;
    for (const worker of this.workers) {
      if (worker.inFlight && worker.reqUpstream === pod) {
        worker.generation++;
        if (worker.reqEntry) this.surroundings.views.recordFailure(worker.reqPod!, worker.reqEntry, now);
        this.tryFailed(worker, now, 'reset');
      }
    }
  }
}
