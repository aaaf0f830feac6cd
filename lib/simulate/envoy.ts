import { EnvoyClusterModel, EnvoyRouteModel } from '../core/model';
import { Random } from './engine';
import { endpointReady, SimPod } from './kubernetes';

/** One upstream host as one gateway pod's Envoy knows it. */
export interface HostEntry {
  readonly pod: SimPod;
  /** Whether the last discovery answer listed it. */
  inDiscovery: boolean;
  /** Active health checking marks it unhealthy from here on. */
  unhealthyAt: number;
  /** Outlier detection keeps it out until here. */
  ejectedUntil: number;
  consecutiveFailures: number;
  ejections: number;
}

/** One gateway pod's view of the upstream cluster it routes to. */
export interface ClusterView {
  hosts: HostEntry[];
  roundRobin: number;
}

/** The cluster and route a gateway uses to reach the upstream, with the retry policy resolved. */
export interface UpstreamRouting {
  readonly cluster: EnvoyClusterModel;
  readonly route?: EnvoyRouteModel;
}

/** CoreDNS's cache as one shared entry refilled every TTL from `phase` on: the answer at `at` is as old as the last fill. */
export function lastDnsFill(ttlSeconds: number, phase: number, at: number): number {
  if (ttlSeconds <= 0) return at;
  return phase + Math.floor((at - phase) / ttlSeconds) * ttlSeconds;
}

/**
 * Brings a view up to date with a discovery answer: the pods whose endpoints were ready as of
 * `asOf`. A host the answer drops leaves the view at once, unless active health checks are on
 * without `ignore_health_on_host_removal` and it still passes them: then it stays until it fails.
 */
export function applyDiscovery(view: ClusterView, cluster: EnvoyClusterModel, upstreamPods: readonly SimPod[], asOf: number, at: number): void {
  const keepHealthy = cluster.activeHealthCheck !== undefined && !cluster.ignoreHealthOnHostRemoval;
  for (const entry of view.hosts) entry.inDiscovery = false;
  for (const pod of upstreamPods) {
    if (!endpointReady(pod, asOf)) continue;
    const entry = view.hosts.find((each) => each.pod === pod);
    if (entry) {
      entry.inDiscovery = true;
    } else {
      // Envoy health-checks a new host at once; it joins healthy if it answers.
      view.hosts.push({ pod, inDiscovery: true, unhealthyAt: pod.sigtermAt <= at ? at : Infinity, ejectedUntil: 0, consecutiveFailures: 0, ejections: 0 });
    }
  }
  view.hosts = view.hosts.filter((entry) => entry.inDiscovery || (keepHealthy && at < entry.unhealthyAt));
}

function usable(entry: HostEntry, at: number): boolean {
  return at < entry.unhealthyAt && at >= entry.ejectedUntil;
}

/**
 * Picks a host for one try, round robin over the healthy hosts (all hosts when fewer than the panic
 * threshold are healthy), skipping the hosts already tried when the route uses previous_hosts.
 */
export function chooseHost(view: ClusterView, at: number, tried: readonly SimPod[], triedCount: number, avoidTried: boolean, panicPercent: number): HostEntry | undefined {
  const hosts = view.hosts;
  if (hosts.length === 0) return undefined;
  let healthy = 0;
  for (const entry of hosts) if (usable(entry, at)) healthy++;
  const panic = healthy * 100 < panicPercent * hosts.length;
  // First without the hosts already tried (previous_hosts), then, if that leaves none, with them.
  for (let pass = avoidTried && triedCount > 0 ? 0 : 1; pass < 2; pass++) {
    let count = 0;
    for (const entry of hosts) if (eligible(entry, at, panic, pass === 0, tried, triedCount)) count++;
    if (count === 0) continue;
    let pick = view.roundRobin++ % count;
    for (const entry of hosts) if (eligible(entry, at, panic, pass === 0, tried, triedCount) && pick-- === 0) return entry;
  }
  return undefined;
}

function eligible(entry: HostEntry, at: number, panic: boolean, avoid: boolean, tried: readonly SimPod[], triedCount: number): boolean {
  if (!panic && !usable(entry, at)) return false;
  if (avoid) for (let index = 0; index < triedCount; index++) if (tried[index] === entry.pod) return false;
  return true;
}

/** Outlier detection: counts a failed try against the host and ejects it at the threshold, within max_ejection_percent. */
export function recordHostFailure(view: ClusterView, entry: HostEntry, cluster: EnvoyClusterModel, at: number): void {
  const outlier = cluster.outlierDetection;
  entry.consecutiveFailures++;
  if (!outlier || entry.consecutiveFailures < outlier.consecutive5xx || at < entry.ejectedUntil) return;
  let ejected = 0;
  for (const each of view.hosts) if (at < each.ejectedUntil) ejected++;
  // Envoy ejects at least one host whatever max_ejection_percent says.
  const allowed = Math.max(1, Math.floor((outlier.maxEjectionPercent * view.hosts.length) / 100));
  if (ejected >= allowed) return;
  entry.ejections++;
  entry.consecutiveFailures = 0;
  entry.ejectedUntil = at + outlier.baseEjectionSeconds * entry.ejections;
}

/**
 * Whether the route retries a try that failed this way, as Envoy's `RetryStateImpl::wouldRetryFromReset`
 * decides: a connection that never opened (refused, or no answer within connect_timeout) is retried by
 * `connect-failure`, `reset-before-request`, `reset`, `5xx` and `gateway-error`; a connection reset after
 * the request went out only by `reset`, `5xx` and `gateway-error`. `refused-stream` is an HTTP/2 stream
 * refusal, which the simulator's HTTP/1 upstreams never send.
 * @see https://github.com/envoyproxy/envoy/blob/main/source/common/router/retry_state_impl.cc
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
export function retries(route: EnvoyRouteModel | undefined, condition: 'connect-failure' | 'reset'): boolean {
  if (!route || route.numRetries < 1) return false;
  const on = route.retryOn;
  if (on.includes('reset') || on.includes('5xx') || on.includes('gateway-error')) return true;
  return condition === 'connect-failure' && (on.includes('connect-failure') || on.includes('reset-before-request'));
}

/** Envoy's jittered exponential back-off before retry number `retry` (1-based). */
export function retryBackoff(baseSeconds: number, retry: number, random: Random): number {
  return random.uniform(0, (2 ** retry - 1) * baseSeconds);
}

/** When a gateway's active health checks find a host that stopped answering at `stoppedAt` unhealthy. */
export function activeHealthCheckFailsAt(cluster: EnvoyClusterModel, stoppedAt: number, random: Random): number {
  const check = cluster.activeHealthCheck;
  if (!check) return Infinity;
  return stoppedAt + random.uniform(0, check.intervalSeconds) + (Math.max(1, check.unhealthyThreshold) - 1) * check.intervalSeconds;
}
