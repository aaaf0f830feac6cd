import { LoadBalancerModel } from '../core/model';
import { gatewayRolloutWindows, leastDrainSeconds, leastRolloutSeconds, RolloutWindows, upstreamRolloutWindows } from '../core/timing/rollout-time';
import { Cluster, WorkloadSim } from './cluster';
import { UpstreamRouting } from './envoy';
import { EventKind, EventLoop } from './event-loop';
import { desiredHealthy, endpointReady, SimPod } from './kubernetes';
import { LoadWindow } from './load-window';
import { SimulationParameters } from './parameters';
import { round } from './simulation-result';
import { Scenario } from './scenarios';

/**
 * The scenario as the operator plays it: a new revision of the gateway or the upstream, or
 * `kubectl drain` of a node (eviction under the PodDisruptionBudget); and when it is done.
 */
export class ScenarioRun {
  /** When the scenario started (its planned start until then). */
  public startSeconds: number;
  /** When every new pod was available and every removed one had exited. */
  public endSeconds: number | undefined;
  private started = false;
  private pendingEvictions = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly cluster: Cluster,
    private readonly loop: EventLoop,
    private readonly params: SimulationParameters,
    private readonly window: LoadWindow,
    /** Lets the controllers act, then checks whether the scenario is done. */
    private readonly reconcile: () => void,
  ) {
    this.startSeconds = params.rolloutStartSeconds;
  }

  public start(): void {
    this.started = true;
    this.startSeconds = this.loop.now;
    switch (this.scenario) {
      case 'gateway-rollout':
      case 'gateway-daemonset-rollout':
        this.cluster.gateway.revision = 'new';
        break;
      case 'upstream-rollout':
        this.cluster.upstream!.revision = 'new';
        break;
      case 'node-drain':
        return this.drainNode(this.cluster.gateway.pods[0].node);
    }
    this.reconcile();
  }

  /** `kubectl drain`: cordons the node and evicts every pod on it; DaemonSet pods stay (--ignore-daemonsets). */
  private drainNode(node: number): void {
    this.cluster.cordoned[node] = true;
    const evicted: SimPod[] = [];
    for (const workload of [this.cluster.gateway, this.cluster.upstream]) {
      if (!workload || workload.model.kind === 'DaemonSet') continue;
      for (const pod of workload.pods) if (pod.node === node && pod.deletedAt === Infinity) evicted.push(pod);
    }
    this.pendingEvictions = evicted.length;
    for (const pod of evicted) this.evict(pod);
  }

  /** The Eviction API: refused (and tried again) while it would break the PodDisruptionBudget. */
  public evict(pod: SimPod): void {
    const now = this.loop.now;
    if (pod.deletedAt <= now) return;
    const workload = this.cluster.workloadOf(pod);
    const desired = desiredHealthy(workload.model, workload.replicas);
    let healthy = 0;
    for (const each of workload.pods) if (endpointReady(each, now)) healthy++;
    if (desired !== undefined && endpointReady(pod, now) && healthy - 1 < desired) {
      this.loop.at(now + this.params.evictionRetrySeconds, EventKind.Evict, pod.id);
      return;
    }
    this.pendingEvictions--;
    this.cluster.deletePod(pod);
    this.reconcile();
  }

  /** Marks the scenario done once the workloads it moves have every new pod available and every removed one gone. */
  public checkDone(): void {
    if (!this.started || this.endSeconds !== undefined || this.pendingEvictions > 0) return;
    const t = this.loop.now;
    for (const workload of this.movedWorkloads()) {
      const active = workload.pods.filter((pod) => pod.deletedAt === Infinity);
      if (active.some((pod) => pod.revision !== workload.revision || pod.availableAt > t)) return;
      if (workload.model.kind !== 'DaemonSet' && active.length < workload.replicas) return;
      for (const pod of workload.removed) if (pod.exitAt > t) return;
    }
    this.endSeconds = t;
    this.window.scenarioDone(t);
  }

  private movedWorkloads(): WorkloadSim[] {
    const { gateway, upstream } = this.cluster;
    switch (this.scenario) {
      case 'upstream-rollout': return [upstream!];
      case 'node-drain': return [gateway, ...(upstream ? [upstream] : [])];
      default: return [gateway];
    }
  }

  /** The least rollout time the chain allows for this scenario (lib/core/timing/rollout-time.ts). */
  public leastRolloutSeconds(loadBalancer: LoadBalancerModel, routing: UpstreamRouting | undefined): number {
    const { gateway, upstream, nodes } = this.cluster;
    const startup = this.params.podStartupSeconds;
    const gatewayWindows = (): RolloutWindows => gatewayRolloutWindows(gateway.model, loadBalancer, startup);
    const upstreamWindows = (): RolloutWindows | undefined => (upstream && routing
      ? upstreamRolloutWindows(upstream.model, [routing.cluster.discovery], startup) : undefined);
    switch (this.scenario) {
      case 'gateway-rollout':
      case 'gateway-daemonset-rollout':
        return round(leastRolloutSeconds({ ...gateway.model, replicas: gateway.replicas }, gatewayWindows(), nodes));
      case 'upstream-rollout':
        return round(leastRolloutSeconds({ ...upstream!.model, replicas: upstream!.replicas }, upstreamWindows()!));
      case 'node-drain': {
        const windows: RolloutWindows[] = [];
        if (gateway.model.kind !== 'DaemonSet') windows.push(gatewayWindows());
        const upstreamRollout = upstreamWindows();
        if (upstreamRollout && upstream!.model.kind !== 'DaemonSet') windows.push(upstreamRollout);
        return round(leastDrainSeconds(windows));
      }
    }
  }
}
