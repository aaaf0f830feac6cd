import { Cluster, WorkloadSim } from './cluster';
import { Random } from './engine';
import { EventLoop } from './event-loop';
import { Placement, SimPod } from './kubernetes';

/**
 * The workload controllers: the Deployment (and StatefulSet) rollout with maxSurge and
 * maxUnavailable, the ReplicaSet's choice of pod to remove, the scheduler's placement, and the
 * DaemonSet's node-by-node rollout.
 */
export class WorkloadControllers {
  constructor(private readonly cluster: Cluster, private readonly loop: EventLoop, private readonly random: Random, private readonly placement: Placement) {}

  /** Brings every workload one step closer to its desired state, as far as the rollout allows now. */
  public reconcileAll(): void {
    this.reconcile(this.cluster.gateway);
    if (this.cluster.upstream) this.reconcile(this.cluster.upstream);
  }

  private reconcile(workload: WorkloadSim): void {
    if (workload.model.kind === 'DaemonSet') this.reconcileDaemonSet(workload);
    else this.reconcileDeployment(workload);
  }

  /** The Deployment controller: surge new pods up to maxSurge, remove old ones while availability stays above replicas − maxUnavailable. */
  private reconcileDeployment(workload: WorkloadSim): void {
    const t = this.loop.now;
    const replicas = workload.replicas;
    const surge = workload.model.kind === 'StatefulSet' ? 0 : workload.model.maxSurge;
    const unavailable = workload.model.kind === 'StatefulSet' ? 1 : workload.model.maxUnavailable;
    for (let guard = 0; guard < 1000; guard++) {
      const active = workload.pods.filter((pod) => pod.deletedAt === Infinity);
      const current = active.filter((pod) => pod.revision === workload.revision);
      const stale = active.filter((pod) => pod.revision !== workload.revision);
      if (current.length < replicas && active.length < replicas + surge) {
        this.cluster.createPod(workload, this.placeNode(workload));
        continue;
      }
      if (stale.length === 0) return;
      const available = active.filter((pod) => pod.availableAt <= t).length;
      const victim = this.pickVictim(workload, stale);
      if (victim.availableAt > t || available - 1 >= replicas - unavailable) {
        this.cluster.deletePod(victim);
        continue;
      }
      return;
    }
  }

  /** The ReplicaSet's choice of pod to remove: unavailable first, then the one sharing its node with the most pods of the workload. */
  private pickVictim(workload: WorkloadSim, stale: SimPod[]): SimPod {
    const now = this.loop.now;
    const colocated = (pod: SimPod): number => workload.pods.filter((each) => each.node === pod.node && each.deletedAt === Infinity).length;
    return [...stale].sort((a, b) => Number(a.availableAt <= now) - Number(b.availableAt <= now) || colocated(b) - colocated(a) || a.id - b.id)[0];
  }

  /** The scheduler: the node a new pod of the workload lands on, by the run's placement. */
  private placeNode(workload: WorkloadSim): number {
    const t = this.loop.now;
    const cordoned = this.cluster.cordoned;
    const occupied = (node: number): number => workload.pods.filter((pod) => pod.node === node && pod.exitAt > t).length;
    const open = [...Array(this.cluster.nodes).keys()].filter((node) => !cordoned[node]);
    if (this.placement === 'same-node') {
      const stale = workload.pods.filter((pod) => pod.deletedAt === Infinity && pod.revision !== workload.revision && !cordoned[pod.node]);
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
    const t = this.loop.now;
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
      if (!current && pods.length === 0 && !this.cluster.cordoned[node]) {
        this.cluster.createPod(workload, node);
        continue;
      }
      if (!stale) continue;
      if (workload.model.maxSurge > 0) {
        if (!current && surging < workload.model.maxSurge) {
          this.cluster.createPod(workload, node);
          surging++;
        } else if (current && current.availableAt <= t) {
          this.cluster.deletePod(stale);
        }
      } else if (!current && unavailableNodes < Math.max(1, workload.model.maxUnavailable)) {
        const wasAvailable = stale.availableAt <= t;
        this.cluster.deletePod(stale);
        if (wasAvailable) unavailableNodes++;
      }
    }
  }
}
