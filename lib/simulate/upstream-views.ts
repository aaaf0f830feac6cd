import { discoveryDelaySeconds } from '../core/timing/windows';
import { Random } from './engine';
import { activeHealthCheckFailsAt, applyDiscovery, ClusterView, HostEntry, lastDnsFill, recordHostFailure, UpstreamRouting } from './envoy';
import { EventKind, EventLoop } from './event-loop';
import { SimPod } from './kubernetes';

/**
 * Each gateway pod's Envoy view of the upstream's hosts: learnt when Envoy starts, then kept up by
 * its discovery (DNS re-resolution against CoreDNS's cache, EDS pushes, or static), marked by
 * active health checks and outlier detection.
 */
export class UpstreamViews {
  private readonly views = new Map<number, ClusterView>();
  /** Where CoreDNS's cache cycle stands when the run starts. */
  private readonly dnsPhase: number;

  constructor(
    private readonly routing: UpstreamRouting | undefined,
    private readonly upstreamPods: readonly SimPod[] | undefined,
    private readonly loop: EventLoop,
    private readonly random: Random,
  ) {
    const discovery = routing?.cluster.discovery;
    this.dnsPhase = discovery && discovery.kind === 'dns' ? random.uniform(0, discovery.dnsTtlSeconds) : 0;
  }

  /** The view of the gateway pod's Envoy; undefined when it routes to no upstream or has exited. */
  public viewOf(gatewayPod: SimPod): ClusterView | undefined {
    return this.views.get(gatewayPod.id);
  }

  /** A gateway pod's Envoy learns the upstream hosts when it starts, then keeps re-resolving. */
  public start(pod: SimPod, initial: boolean): void {
    if (!this.routing || !this.upstreamPods) return;
    const now = this.loop.now;
    const view: ClusterView = { hosts: [], roundRobin: this.random.index(16) };
    this.views.set(pod.id, view);
    const discovery = this.routing.cluster.discovery;
    applyDiscovery(view, this.routing.cluster, this.upstreamPods, this.discoveryAsOf(now), now);
    if (discovery.kind === 'dns') {
      const first = initial ? this.random.uniform(0, discovery.dnsRefreshSeconds) : discovery.dnsRefreshSeconds;
      this.loop.at(now + first, EventKind.DnsRefresh, pod.id);
    }
  }

  /** The gateway pod has exited: its Envoy's view goes with it. */
  public forget(pod: SimPod): void {
    this.views.delete(pod.id);
  }

  /** The time of the endpoints the discovery hands Envoy at `at`. */
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

  /** The gateway pod's Envoy re-resolves the upstream's name now, and again one refresh on. */
  public dnsRefresh(pod: SimPod): void {
    const now = this.loop.now;
    const view = this.views.get(pod.id);
    if (!view || now >= pod.exitAt) return;
    applyDiscovery(view, this.routing!.cluster, this.upstreamPods!, this.discoveryAsOf(now), now);
    this.loop.at(now + this.routing!.cluster.discovery.dnsRefreshSeconds, EventKind.DnsRefresh, pod.id);
  }

  /** The upstream's endpoints changed at `changedAt`: with EDS, every Envoy hears of it one discovery delay later. */
  public scheduleEdsUpdate(changedAt: number): void {
    const discovery = this.routing?.cluster.discovery;
    if (discovery?.kind !== 'eds' || !Number.isFinite(changedAt)) return;
    this.loop.at(Math.max(this.loop.now, changedAt + discoveryDelaySeconds(discovery)), EventKind.EdsUpdate, 0);
  }

  /** An EDS push reaches every Envoy now. */
  public edsUpdate(): void {
    const now = this.loop.now;
    const asOf = this.discoveryAsOf(now);
    for (const view of this.views.values()) applyDiscovery(view, this.routing!.cluster, this.upstreamPods!, asOf, now);
  }

  /** An upstream pod got SIGTERM: Envoy's active health checks will find it failing. */
  public upstreamTerminated(pod: SimPod): void {
    if (!this.routing) return;
    const now = this.loop.now;
    for (const view of this.views.values()) {
      for (const entry of view.hosts) {
        if (entry.pod === pod) entry.unhealthyAt = Math.min(entry.unhealthyAt, activeHealthCheckFailsAt(this.routing.cluster, now, this.random));
      }
    }
  }

  /** Outlier detection counts a failed try from `gatewayPod` to `entry`'s host. */
  public recordFailure(gatewayPod: SimPod, entry: HostEntry, at: number): void {
    const view = this.views.get(gatewayPod.id);
    if (view) recordHostFailure(view, entry, this.routing!.cluster, at);
  }
}
