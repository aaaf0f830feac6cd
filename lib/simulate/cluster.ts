import { UpstreamModel, WorkloadModel } from '../core/model';
import { Random } from './engine';
import { EventKind, EventLoop } from './event-loop';
import { newPod, planStop, readinessFailsAt, readinessPassesAt, SimPod, StopPlan } from './kubernetes';
import { DEFAULT_DAEMONSET_NODES, SimulationParameters } from './parameters';

/**
 * The cluster's nodes and pods, and each pod's life as the kubelet plays it: start, readiness,
 * deletion, preStop, SIGTERM, exit. What others do about a pod (register it, route to it, cut its
 * connections) they do when the cluster tells its {@link ClusterListener}.
 */

/** One workload the run plays (the gateway, or the upstream behind it) and its pods. */
export interface WorkloadSim {
  readonly model: WorkloadModel;
  readonly role: 'gateway' | 'upstream';
  readonly replicas: number;
  readonly pods: SimPod[];
  revision: 'old' | 'new';
  /** Pods the scenario itself deleted (rolled or evicted): the scenario is over when all have exited. */
  readonly removed: Set<SimPod>;
  counter: number;
}

/** What the rest of the world does when a pod's life moves on. */
export interface ClusterListener {
  /** A pod was created now. */
  podCreated(pod: SimPod): void;
  /** A gateway pod's container started now: its Envoy starts. */
  gatewayStarted(pod: SimPod): void;
  /** Whether a readiness gate still holds a pod whose readiness probe passes. */
  readinessGateHolds(pod: SimPod): boolean;
  /** An upstream pod's readiness changes at `at` (discovery picks it up later). */
  upstreamEndpointsChanged(at: number): void;
  /** A pod was deleted now (after its stop is planned). */
  podDeleted(pod: SimPod): void;
  /** Connections open to a gateway pod now. */
  openConnections(pod: SimPod): number;
  /** An upstream pod got SIGTERM now. */
  upstreamTerminated(pod: SimPod): void;
  /** A pod's process exits now. */
  podExiting(pod: SimPod): void;
  /** Pods changed in a way the controllers act on. */
  changed(): void;
}

const LONG_AGO = -3600;

export class Cluster {
  public readonly nodes: number;
  public readonly cordoned: boolean[];
  /** Gateway pods by node: what kube-proxy routes to with externalTrafficPolicy Local, and what holds a host port. */
  public readonly gatewayPodsByNode: SimPod[][];
  public readonly allPods: SimPod[] = [];
  public readonly gateway: WorkloadSim;
  public readonly upstream?: WorkloadSim;
  private readonly stopPlans = new Map<number, StopPlan>();
  private listener!: ClusterListener;

  constructor(gateway: WorkloadModel, upstream: UpstreamModel | undefined, private readonly params: SimulationParameters, private readonly loop: EventLoop, private readonly random: Random) {
    const daemonSet = gateway.kind === 'DaemonSet';
    const wanted = Math.max(1, gateway.replicas);
    this.nodes = params.clusterNodes ?? (daemonSet ? Math.max(DEFAULT_DAEMONSET_NODES, wanted) : 2 * wanted + 1);
    // A DaemonSet runs one pod on every node.
    const gatewayReplicas = daemonSet ? this.nodes : wanted;
    if (!daemonSet && gateway.onePodPerNode && this.nodes < gatewayReplicas) {
      throw new Error(`simulation parameter 'clusterNodes' (${this.nodes}) must be at least the gateway replicas (${gatewayReplicas}): ${gateway.object} allows one pod per node`);
    }
    this.cordoned = new Array<boolean>(this.nodes).fill(false);
    this.gatewayPodsByNode = Array.from({ length: this.nodes }, () => []);
    this.gateway = { model: gateway, role: 'gateway', replicas: gatewayReplicas, pods: [], revision: 'old', removed: new Set(), counter: 0 };
    if (upstream) {
      this.upstream = { model: upstream.workload, role: 'upstream', replicas: Math.max(1, upstream.workload.replicas), pods: [], revision: 'old', removed: new Set(), counter: 0 };
    }
  }

  /** Who hears of pod changes; set once, before the run. */
  public listen(listener: ClusterListener): void {
    this.listener = listener;
  }

  /** The pods running when the run starts, spread over the nodes, ready long ago. */
  public placeInitialPods(): void {
    for (let index = 0; index < this.gateway.replicas; index++) this.initialPod(this.gateway, index % this.nodes);
    if (this.upstream) for (let index = 0; index < this.upstream.replicas; index++) this.initialPod(this.upstream, index % this.nodes);
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

  public workloadOf(pod: SimPod): WorkloadSim {
    return pod.role === 'gateway' ? this.gateway : this.upstream!;
  }

  /** The gateway pod holding the node's host port at `at`: started and not yet exited. */
  public hostPortHolder(node: number, at: number): SimPod | undefined {
    for (const pod of this.gatewayPodsByNode[node]) if (pod.startedAt <= at && at < pod.exitAt) return pod;
    return undefined;
  }

  /** A new pod of the workload's current revision on `node`; it starts once the node's host port is free. */
  public createPod(workload: WorkloadSim, node: number): SimPod {
    const now = this.loop.now;
    const pod = this.createPodRecord(workload, node, now);
    const portTaken = workload.role === 'gateway' && workload.model.hostPorts.length > 0 && this.gatewayPodsByNode[node].some((each) => each !== pod && each.exitAt > now);
    if (portTaken) {
      pod.waitingForPort = true;
    } else {
      this.loop.at(now + this.random.around(this.params.podStartupSeconds), EventKind.PodStart, pod.id);
    }
    this.listener.podCreated(pod);
    return pod;
  }

  public podStart(pod: SimPod): void {
    const now = this.loop.now;
    pod.waitingForPort = false;
    pod.startedAt = now;
    const workload = this.workloadOf(pod);
    pod.containerReadyAt = readinessPassesAt(workload.model, now, this.random);
    this.loop.at(pod.containerReadyAt, EventKind.PodReady, pod.id);
    if (pod.role === 'gateway') this.listener.gatewayStarted(pod);
  }

  public podContainerReady(pod: SimPod): void {
    if (pod.deletedAt <= this.loop.now) return;
    if (this.listener.readinessGateHolds(pod)) return;
    this.markReady(pod);
  }

  public markReady(pod: SimPod): void {
    const now = this.loop.now;
    if (pod.deletedAt <= now) return;
    const workload = this.workloadOf(pod);
    pod.readyAt = now;
    pod.availableAt = now + workload.model.minReadySeconds;
    this.loop.at(pod.availableAt, EventKind.PodAvailable, pod.id);
    if (pod.role === 'upstream') this.listener.upstreamEndpointsChanged(pod.readyAt);
    this.listener.changed();
  }

  /** Deletes the pod now: plans its stop (preStop, SIGTERM, SIGKILL) and tells the listener. */
  public deletePod(pod: SimPod): void {
    const t = this.loop.now;
    const workload = this.workloadOf(pod);
    const model = workload.model;
    const plan = planStop(model, t, this.params.preStopDeadlineExtensionSeconds);
    this.stopPlans.set(pod.id, plan);
    pod.deletedAt = t;
    pod.healthFailsAt = plan.healthFailsAt;
    pod.notReadyAt = readinessFailsAt(model, t, this.random);
    pod.stopsAcceptingAt = pod.role === 'gateway' ? plan.stopsAcceptingAt : plan.sigtermAt;
    if (plan.endsWhenIdle && plan.preStopEndsAt <= plan.sigtermAt) {
      this.loop.at(plan.endsWhenIdle.firstPollAt, EventKind.PreStopPoll, pod.id);
    } else {
      this.signal(pod, plan.sigtermAt, plan.killAt);
    }
    if (pod.role === 'upstream') {
      this.listener.upstreamEndpointsChanged(t);
      this.listener.upstreamEndpointsChanged(pod.notReadyAt);
    }
    this.listener.podDeleted(pod);
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
    this.loop.at(sigtermAt, EventKind.PodSigterm, pod.id);
    this.loop.at(pod.exitAt, EventKind.PodExit, pod.id);
  }

  /** A shutdown-manager ends preStop once Envoy has no connection left (or its drain time is up). */
  public preStopPoll(pod: SimPod): void {
    const now = this.loop.now;
    const plan = this.stopPlans.get(pod.id)!;
    const open = this.listener.openConnections(pod);
    const pollSeconds = plan.endsWhenIdle?.pollSeconds ?? this.params.shutdownManagerPollSeconds;
    if (open === 0 || now + pollSeconds >= plan.preStopEndsAt) {
      const sigtermAt = open === 0 ? now : plan.preStopEndsAt;
      pod.stopsAcceptingAt = Math.min(pod.stopsAcceptingAt, sigtermAt);
      this.signal(pod, sigtermAt, plan.killAt);
      return;
    }
    this.loop.at(now + pollSeconds, EventKind.PreStopPoll, pod.id);
  }

  public podSigterm(pod: SimPod): void {
    if (pod.role === 'upstream') this.listener.upstreamTerminated(pod);
  }

  public podExit(pod: SimPod): void {
    this.listener.podExiting(pod);
    if (pod.role === 'gateway') this.startPodWaitingForPort(pod.node);
    this.listener.changed();
  }

  /** The node's host port is free again: the first pod waiting for it starts. */
  private startPodWaitingForPort(node: number): void {
    const now = this.loop.now;
    for (const waiting of this.gatewayPodsByNode[node]) {
      if (waiting.waitingForPort && this.hostPortHolder(node, now) === undefined) {
        this.loop.at(now + this.random.around(this.params.podStartupSeconds), EventKind.PodStart, waiting.id);
        waiting.waitingForPort = false;
        break;
      }
    }
  }
}
