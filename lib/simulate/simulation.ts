import { objectRef } from '../core/object-ref';
import { assumedLoadBalancer } from '../core/load-balancer';
import { Topology } from '../core/model';
import { ClientWorkers } from './client-workers';
import { FailureCause, LoadProfile, resolveLoad } from './clients';
import { pickGateway, pickUpstream, validatePlay } from './choose-workloads';
import { Cluster, ClusterListener } from './cluster';
import { WorkloadControllers } from './controllers';
import { Random } from './engine';
import { EventKind, EventLoop } from './event-loop';
import { NodeDataPath } from './kube-proxy';
import { Placement, SimPod } from './kubernetes';
import { LoadBalancer, LoadBalancerListener, SimTarget } from './load-balancer';
import { LoadWindow } from './load-window';
import { Metrics } from './metrics';
import { resolveParameters, SimulationParameters } from './parameters';
import { ScenarioRun } from './scenario-run';
import { Scenario } from './scenarios';
import { buildResult, SimulationResult } from './simulation-result';
import { UpstreamViews } from './upstream-views';

export { healthCheckSeesDrain } from './load-balancer';
export type { LatencySummary, TimelineFailure } from './metrics';
export type { SimulationResult, Timeline, TimelinePod } from './simulation-result';

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

/** Plays one scenario over one topology under one load with one seed. Deterministic: the same inputs give the same result. */
export function simulate(topology: Topology, options: SimulationOptions): SimulationResult {
  return new Simulation(topology, options).run();
}

/**
 * One run: the subsystems around the event loop, and the glue between them. Each event goes to
 * the subsystem it belongs to; what one subsystem does to another passes through here, in the
 * order the run depends on (the same seed must give the same run).
 */
class Simulation implements ClusterListener, LoadBalancerListener {
  private readonly loop = new EventLoop();
  private readonly metrics = new Metrics();
  private readonly cluster: Cluster;
  private readonly views: UpstreamViews;
  private readonly window: LoadWindow;
  private readonly loadBalancer: LoadBalancer;
  private readonly clients: ClientWorkers;
  private readonly controllers: WorkloadControllers;
  private readonly scenarioRun: ScenarioRun;
  private readonly finish: () => SimulationResult;

  constructor(topology: Topology, options: SimulationOptions) {
    const params = resolveParameters(options.parameters);
    const load = resolveLoad(options.load);
    const seed = options.seed ?? 1;
    const random = new Random(seed);
    const placement = options.placement ?? 'new-node';
    const scenario = options.scenario;

    const gatewayModel = pickGateway(topology, options.gateway);
    const gw = gatewayModel.workload;
    const service = gatewayModel.services.find((each) => each.loadBalancer);
    const lb = service?.loadBalancer ?? assumedLoadBalancer(objectRef('Service', gw.namespace, gw.name), gw.hostPorts.length > 0 && gw.kind === 'DaemonSet' ? 'host-port' : 'instance');
    const localTraffic = (service?.externalTrafficPolicy ?? 'Local') === 'Local';
    const routed = pickUpstream(topology, gatewayModel, options.upstream);
    const routing = routed?.routing;
    validatePlay(scenario, placement, gw, routed?.upstream, routing);

    const loop = this.loop;
    this.cluster = new Cluster(gw, routed?.upstream, params, loop, random);
    this.views = new UpstreamViews(routing, this.cluster.upstream?.pods, loop, random);
    this.window = new LoadWindow(load, params, lb, routing);
    const dataPath = new NodeDataPath(this.cluster, lb, localTraffic, params.kubeProxyPropagationSeconds, random);
    this.loadBalancer = new LoadBalancer(lb, gatewayModel, localTraffic, dataPath, loop, random, params);
    this.clients = new ClientWorkers({
      loop, random, params, load, window: this.window, loadBalancer: this.loadBalancer, views: this.views, routing, metrics: this.metrics,
      gatewayDrainsConnections: gw.drain.drainsConnections,
    });
    this.controllers = new WorkloadControllers(this.cluster, loop, random, placement);
    this.scenarioRun = new ScenarioRun(scenario, this.cluster, loop, params, this.window, () => this.changed());
    this.cluster.listen(this);
    this.loadBalancer.listen(this);
    this.finish = () => buildResult({
      scenario, placement, seed, load, gateway: gw.object, upstream: routed?.upstream.workload.object, metrics: this.metrics,
      rolloutStartSeconds: this.scenarioRun.startSeconds, rolloutEndSeconds: this.scenarioRun.endSeconds,
      leastRolloutSeconds: this.scenarioRun.leastRolloutSeconds(lb, routing),
      loadEndSeconds: this.window.loadEndSeconds, nodes: this.cluster.nodes, pods: this.cluster.allPods, targets: this.loadBalancer.targets,
    });
  }

  public run(): SimulationResult {
    this.setUp();
    this.loop.run(() => this.window.runEndSeconds, (kind, subject, generation) => this.handle(kind, subject, generation));
    return this.finish();
  }

  /** The cluster as it runs before the scenario, the load balancer's targets, every Envoy's view, the clients; then the scenario's start. */
  private setUp(): void {
    const cluster = this.cluster;
    cluster.placeInitialPods();
    this.loadBalancer.registerInitialTargets(cluster.gateway.pods, cluster.gatewayPodsByNode);
    for (const pod of cluster.gateway.pods) this.views.start(pod, true);
    this.clients.start();
    this.loop.at(this.scenarioRun.startSeconds, EventKind.ScenarioStart, 0);
  }

  private handle(kind: EventKind, subject: number, generation: number): void {
    const pods = this.cluster.allPods;
    const targets = this.loadBalancer.targets;
    switch (kind) {
      case EventKind.Send: return this.clients.send(subject);
      case EventKind.Complete: return this.clients.complete(subject, generation);
      case EventKind.SynRetry: return this.clients.synRetry(subject, generation);
      case EventKind.EnvoyRetry: return this.clients.envoyRetry(subject, generation);
      case EventKind.LbCheck: return this.loadBalancer.healthCheck(targets[subject]);
      case EventKind.LbResult: return this.loadBalancer.healthCheckResult(targets[subject], generation === 1);
      case EventKind.LbReset: return this.loadBalancer.scheduledReset(targets[subject], generation);
      case EventKind.DeregistrationCut: return this.loadBalancer.deregistrationCut(targets[subject]);
      case EventKind.PodStart: return this.cluster.podStart(pods[subject]);
      case EventKind.PodReady: return this.cluster.podContainerReady(pods[subject]);
      case EventKind.PodAvailable: return this.changed();
      case EventKind.PreStopPoll: return this.cluster.preStopPoll(pods[subject]);
      case EventKind.PodSigterm: return this.cluster.podSigterm(pods[subject]);
      case EventKind.PodExit: return this.cluster.podExit(pods[subject]);
      case EventKind.DnsRefresh: return this.views.dnsRefresh(pods[subject]);
      case EventKind.EdsUpdate: return this.views.edsUpdate();
      case EventKind.ScenarioStart: return this.scenarioRun.start();
      case EventKind.Evict: return this.scenarioRun.evict(pods[subject]);
    }
  }

  // The cluster tells of pods.

  public podCreated(pod: SimPod): void {
    if (pod.role === 'gateway') this.loadBalancer.gatewayPodCreated(pod);
  }

  public gatewayStarted(pod: SimPod): void {
    this.views.start(pod, false);
  }

  public readinessGateHolds(pod: SimPod): boolean {
    return this.loadBalancer.readinessGateHolds(pod);
  }

  public upstreamEndpointsChanged(at: number): void {
    this.views.scheduleEdsUpdate(at);
  }

  public podDeleted(pod: SimPod): void {
    this.loadBalancer.podDeleted(pod);
  }

  public openConnections(pod: SimPod): number {
    return this.clients.connectionsTo(pod);
  }

  public upstreamTerminated(pod: SimPod): void {
    this.views.upstreamTerminated(pod);
  }

  public podExiting(pod: SimPod): void {
    if (pod.role === 'gateway') {
      this.clients.gatewayExiting(pod);
      this.views.forget(pod);
    } else {
      this.clients.upstreamExiting(pod);
    }
  }

  /** The controllers act on the change, then the scenario may be done. */
  public changed(): void {
    this.controllers.reconcileAll();
    this.scenarioRun.checkDone();
  }

  // The load balancer tells of targets.

  public targetTurnedHealthy(pod: SimPod): void {
    this.cluster.markReady(pod);
  }

  public connectionsCut(target: SimTarget, cause: FailureCause): void {
    this.clients.connectionsCut(target, cause);
  }
}
