import { Finding, formatSeconds as s } from '../finding';
import { EnvoyClusterModel, EnvoyModel, EnvoyRouteModel, GatewayModel, LoadBalancerModel, ServiceModel, UpstreamModel, WorkloadModel } from '../model';
import { unbindablePortsOnHostNetwork, UNPRIVILEGED_PORT_START } from '../pod-security';
import { MechanismId } from './mechanisms';
import {
  DEFAULT_MARGIN_SECONDS,
  DEFAULT_PROPAGATION_SECONDS,
  detectionWindowSeconds,
  HEALTH_CHECK_JITTER_SECONDS,
  discoveryDelaySeconds,
  earliestUnhealthySeconds,
  ExternalTrafficPolicy,
  newConnectionWindowSeconds,
  readinessStopsServingSeconds,
  recoveryWindowSeconds,
  requiredGatewayMinReadySeconds,
  requiredGracePeriodSeconds,
  requiredKeepServingSeconds,
  requiredUnhealthyDrainingIntervalSeconds,
  requiredUpstreamKeepServingSeconds,
} from './windows';
import { checkGkeLoadBalancer } from '../gke/invariants';

/**
 * The invariants of the timing budget (DESIGN.md section 4), one function each, over plain data.
 * They return findings rather than throw, so that the checker can report every one of them on
 * foreign manifests; the solver refuses the same values through the same window functions.
 *
 * Severity: an error is a mechanism of {@link MECHANISMS} dropping requests with the numbers
 * configured (the bound with margin 0); a value between that bound and the bound plus the margin
 * is a warning naming what the margin is for.
 */

/**
 * The retry conditions hitless's routes emit. Of these, a route must cover `connect-failure` and
 * `reset` (see {@link requiredRetryOn}); `refused-stream` matters only on HTTP/2 upstreams.
 */
export const REQUIRED_RETRY_ON = ['connect-failure', 'refused-stream', 'reset'] as const;

/**
 * Conditions that cover a required one for the races of a rollout. In Envoy's
 * `RetryStateImpl::wouldRetryFromReset`, `reset`, `5xx` and `gateway-error` retry every upstream
 * reset but overflow, connection failures included; `reset-before-request` covers a pooled
 * connection closed under a request not yet sent.
 * @see https://github.com/envoyproxy/envoy/blob/main/source/common/router/retry_state_impl.cc
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
const RETRY_ON_EQUIVALENTS: Record<string, string[]> = {
  'connect-failure': ['reset', '5xx', 'gateway-error'],
  'reset': ['5xx', 'gateway-error', 'reset-before-request'],
  'refused-stream': ['reset', '5xx', 'gateway-error'],
};

/** What a route to `cluster` must retry on: resets and connect failures, and refused streams on an HTTP/2 upstream. */
export function requiredRetryOn(cluster?: EnvoyClusterModel): string[] {
  return cluster?.http2 ? ['connect-failure', 'refused-stream', 'reset'] : ['connect-failure', 'reset'];
}

function preStopSeconds(workload: WorkloadModel): number {
  return workload.drain.keepServingSeconds + workload.drain.drainSeconds;
}

/** Instance targets behind externalTrafficPolicy Cluster: kube-proxy, not the load balancer, decides which pod a connection reaches. */
function kubeProxyDecides(loadBalancer: LoadBalancerModel, externalTrafficPolicy: ExternalTrafficPolicy): boolean {
  return loadBalancer.targetType === 'instance' && externalTrafficPolicy === 'Cluster';
}

function error(mechanism: MechanismId, finding: Omit<Finding, 'severity' | 'mechanism'>): Finding {
  return { ...finding, severity: 'error', mechanism };
}

const MARGIN_SOURCE = 'an NLB\'s distributed health checkers and data-plane lag (aws/containers-roadmap#470)';

function describeKeepServing(window: number, required: number, marginSeconds: number, byKubeProxy: boolean): string {
  const timeout = required - window - marginSeconds;
  return byKubeProxy || timeout <= 0
    ? `${s(window)} + ${s(marginSeconds)} margin`
    : `${s(window)} + ${s(timeout)} health-check timeout + ${s(marginSeconds)} margin`;
}

/**
 * lb-detection: a gateway keeps accepting new connections for as long as they may arrive after it
 * starts to stop: the load balancer's detection window (or IP deregistration lag), or with
 * externalTrafficPolicy Cluster kube-proxy's propagation. The detection starts at once whether the
 * gateway fails its own health check or the load balancer checks kube-proxy's healthCheckNodePort,
 * which answers 503 once the node has only terminating endpoints (KEP-1669).
 */
export function checkLoadBalancerDetection(gateway: WorkloadModel, loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS, externalTrafficPolicy: ExternalTrafficPolicy = 'Local'): Finding[] {
  const findings: Finding[] = [];
  if (gateway.drain.mechanism === 'unknown') return findings;
  const objects = [gateway.object, loadBalancer.object];
  const window = newConnectionWindowSeconds(loadBalancer, externalTrafficPolicy);
  const required = requiredKeepServingSeconds(loadBalancer, marginSeconds, externalTrafficPolicy);
  const byKubeProxy = kubeProxyDecides(loadBalancer, externalTrafficPolicy);
  const why = byKubeProxy
    ? `with externalTrafficPolicy Cluster every node's kube-proxy may send it new connections for about ${s(window)} (endpoint propagation, KEP-1669)`
    : loadBalancer.deregistrationLagSeconds > detectionWindowSeconds(loadBalancer.healthCheck)
      ? `IP targets are still sent new connections for up to ${s(loadBalancer.deregistrationLagSeconds)} after deregistration`
      : `the load balancer needs up to ${s(window)} (${loadBalancer.healthCheckPort === 'healthCheckNodePort' ? `${s(DEFAULT_PROPAGATION_SECONDS)} for kube-proxy to learn + ` : ''}${loadBalancer.healthCheck.unhealthyThreshold} × ${s(loadBalancer.healthCheck.intervalSeconds)} of failed checks answered with 503 at once, each up to ${s(HEALTH_CHECK_JITTER_SECONDS)} late) to stop sending new connections`;
  const keepServing = gateway.drain.keepServingSeconds;
  if (keepServing < window) {
    findings.push(error('lb-sends-to-exited-gateway', {
      rule: 'gateway-stops-before-lb-detection',
      category: 'lb-detection',
      objects,
      message: `${gateway.object} keeps serving for ${s(keepServing)} after it starts to stop, but ${why}; connections opened in between fail.`,
      fix: `make the preStop of ${gateway.object} ${byKubeProxy ? '' : 'fail the health check and '}keep serving for at least ${s(required)} (${describeKeepServing(window, required, marginSeconds, byKubeProxy)}) before it drains or exits`,
    }));
  } else if (keepServing < required) {
    findings.push({
      rule: 'gateway-keep-serving-within-margin',
      category: 'lb-detection',
      severity: 'warning',
      objects,
      message: `${gateway.object} keeps serving for ${s(keepServing)} after it starts to stop: enough for the ${s(window)} in which ${byKubeProxy ? 'kube-proxy' : 'the load balancer'} may still send it new connections, but not for the ${s(required)} kept (${describeKeepServing(window, required, marginSeconds, byKubeProxy)}) for ${byKubeProxy ? 'kube-proxy sync lag' : `checks that go unanswered and ${MARGIN_SOURCE}`}.`,
      fix: `make the preStop of ${gateway.object} keep serving for at least ${s(required)}`,
    });
  }
  const readiness = gateway.readiness;
  // Only where kube-proxy stands between the load balancer and the pod, and only on its node: a
  // pod that is not serving leaves kube-proxy nowhere to send what the load balancer still sends.
  if (readiness?.failsWhileDraining && gateway.drain.failsHealthCheck && loadBalancer.targetType === 'instance' && externalTrafficPolicy === 'Local') {
    const stopsServing = readinessStopsServingSeconds(readiness);
    const readinessText = `the readiness probe of ${gateway.object} fails once it drains, and after ${readiness.failureThreshold} × ${s(readiness.periodSeconds)} failures (as soon as ${s(stopsServing)}, with ${s(DEFAULT_PROPAGATION_SECONDS)} endpoint propagation) kube-proxy has no serving endpoint on its node`;
    const fix = `probe a path that keeps answering while Envoy drains (a TCP probe on the listener), or let the probe fail only after ${s(window + marginSeconds)} (periodSeconds × failureThreshold)`;
    if (stopsServing < window) {
      findings.push(error('readiness-fails-before-lb-detection', {
        rule: 'readiness-fails-while-draining',
        category: 'lb-detection',
        objects,
        message: `${readinessText}, while the load balancer may send to the node for ${s(window)}: those packets are dropped.`,
        fix,
      }));
    } else if (stopsServing < window + marginSeconds) {
      findings.push({
        rule: 'readiness-fails-within-margin',
        category: 'lb-detection',
        severity: 'warning',
        objects,
        message: `${readinessText}; that is after the load balancer's ${s(window)}, but within the ${s(marginSeconds)} margin kept for ${MARGIN_SOURCE}.`,
        fix,
      });
    }
  }
  return findings;
}

/**
 * keepalive: connections still open when the load balancer marks the target unhealthy are not
 * reset while the gateway could still finish them. With instance targets behind
 * externalTrafficPolicy Cluster the node never turns unhealthy for one pod's drain: nothing to check.
 */
export function checkKeepAlive(gateway: WorkloadModel, loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS, externalTrafficPolicy: ExternalTrafficPolicy = 'Local'): Finding[] {
  if (gateway.drain.mechanism === 'unknown' || gateway.drain.mechanism === 'none') return [];
  if (kubeProxyDecides(loadBalancer, externalTrafficPolicy)) return [];
  const objects = [gateway.object, loadBalancer.object];
  const earliest = earliestUnhealthySeconds(loadBalancer.healthCheck);
  const preStop = preStopSeconds(gateway);
  if (loadBalancer.unhealthyConnectionTermination) {
    // New connections arrive until the target is marked unhealthy, so some always carry a request then.
    const finding = {
      rule: 'unhealthy-target-connections-reset',
      category: 'keepalive' as const,
      objects,
      message: `the load balancer resets every connection still open when it marks ${gateway.object} unhealthy (${s(earliest)}–${s(detectionWindowSeconds(loadBalancer.healthCheck))} after the drain starts), yet sends it new connections until then: requests in flight on them are cut${gateway.drain.drainsConnections ? ' (Envoy drain-closes a connection only once a response passes through it)' : ''}.`,
      fix: `set target_health_state.unhealthy.connection_termination.enabled=false and target_health_state.unhealthy.draining_interval_seconds to at least ${requiredUnhealthyDrainingIntervalSeconds(loadBalancer, preStop, marginSeconds)}`,
    };
    // A `generic` load balancer is one whose controller nothing names: termination is then the
    // assumed AWS default, not a fact of these manifests (the assumption is reported apart).
    if (loadBalancer.provider === 'generic') {
      return [{ ...finding, severity: 'warning', message: `if the load balancer is an AWS NLB with its default attributes, ${finding.message}` }];
    }
    return [error('keepalive-reset-by-lb', finding)];
  }
  const drops = requiredUnhealthyDrainingIntervalSeconds(loadBalancer, preStop, 0);
  const safe = requiredUnhealthyDrainingIntervalSeconds(loadBalancer, preStop, marginSeconds);
  const interval = loadBalancer.unhealthyDrainingIntervalSeconds;
  if (interval >= safe) return [];
  const message = `connections to an unhealthy target are reset after the draining interval of ${s(interval)}; the load balancer may mark ${gateway.object} unhealthy as soon as ${s(earliest)} after its drain starts ((${loadBalancer.healthCheck.unhealthyThreshold} − 1) × ${s(loadBalancer.healthCheck.intervalSeconds)}), and it finishes connections until its preStop ends at ${s(preStop)}`;
  const fix = `set target_health_state.unhealthy.draining_interval_seconds to at least ${safe}`;
  if (interval < drops) {
    return [error('keepalive-reset-by-lb', { rule: 'unhealthy-draining-interval-shorter-than-drain', category: 'keepalive', objects, message: `${message}: requests in flight then are cut.`, fix })];
  }
  return [{ rule: 'unhealthy-draining-interval-within-margin', category: 'keepalive', severity: 'warning', objects, message: `${message}: covered, but not with the ${s(marginSeconds)} margin kept for ${MARGIN_SOURCE}.`, fix }];
}

/**
 * keepalive: a preStop that only sleeps never closes keep-alive connections (nothing fails the
 * health check nor drains), and Envoy exits at once on SIGTERM (envoy#7841): the requests clients
 * keep sending on their open connections are cut at the end of the sleep.
 */
export function checkKeepAliveCutOnExit(gateway: WorkloadModel): Finding[] {
  if (gateway.drain.mechanism !== 'sleep' || gateway.drain.drainsConnections) return [];
  return [error('keepalive-cut-on-exit', {
    rule: 'sleep-prestop-cuts-keepalive',
    category: 'keepalive',
    objects: [gateway.object],
    message: `the preStop of ${gateway.object} only sleeps (${gateway.drain.description}): it never closes keep-alive connections, and Envoy exits at once on SIGTERM, so requests that keep-alive clients send on them are cut when the sleep ends.`,
    fix: `start the preStop of ${gateway.object} with Envoy's admin POST /healthcheck/fail (which drain-closes connections: Connection: close, GOAWAY), then sleep`,
  })];
}

/**
 * keepalive: an IP target is deregistered when its pod starts terminating; with
 * `deregistration_delay.connection_termination` on, the load balancer cuts its connections when the
 * delay ends, so the delay must outlast the gateway's whole preStop.
 */
export function checkDeregistrationDelay(gateway: WorkloadModel, loadBalancer: LoadBalancerModel): Finding[] {
  if (loadBalancer.targetType !== 'ip' || !loadBalancer.deregistrationConnectionTermination) return [];
  if (gateway.drain.mechanism === 'unknown' || gateway.drain.mechanism === 'none') return [];
  const preStop = preStopSeconds(gateway);
  if (loadBalancer.deregistrationDelaySeconds >= preStop) return [];
  return [error('deregistration-cuts-drain', {
    rule: 'deregistration-cuts-drain',
    category: 'keepalive',
    objects: [gateway.object, loadBalancer.object],
    message: `the load balancer cuts connections to a deregistered IP target after ${s(loadBalancer.deregistrationDelaySeconds)}, but ${gateway.object} serves and drains for ${s(preStop)} after deregistration starts.`,
    fix: `set deregistration_delay.timeout_seconds to at least ${Math.ceil(preStop)}, or deregistration_delay.connection_termination.enabled=false`,
  })];
}

/** grace-period: terminationGracePeriodSeconds covers the whole preStop and the app's drain after SIGTERM. */
export function checkGracePeriod(workload: WorkloadModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  if (workload.drain.mechanism === 'unknown') return [];
  const preStop = preStopSeconds(workload);
  const drops = requiredGracePeriodSeconds(preStop, workload.appDrainSeconds, 0);
  const required = requiredGracePeriodSeconds(preStop, workload.appDrainSeconds, marginSeconds);
  const grace = workload.terminationGracePeriodSeconds;
  if (grace >= required) return [];
  const fix = `raise terminationGracePeriodSeconds of ${workload.object} from ${grace} to at least ${required}`;
  if (grace < drops) {
    return [error('killed-before-drain-ends', {
      rule: 'grace-period-shorter-than-drain',
      category: 'grace-period',
      objects: [workload.object],
      message: `${workload.object} is killed ${s(grace)} after it is told to stop, but its preStop takes ${s(preStop)} and the app ${s(workload.appDrainSeconds)} after SIGTERM: in-flight requests are cut.`,
      fix,
    })];
  }
  return [{
    rule: 'grace-period-within-margin',
    category: 'grace-period',
    severity: 'warning',
    objects: [workload.object],
    message: `${workload.object} is killed ${s(grace)} after it is told to stop: enough for its preStop (${s(preStop)}) and app drain (${s(workload.appDrainSeconds)}), but not for the ${s(marginSeconds)} margin kept for the kubelet's own delays in starting the hook and sending signals.`,
    fix,
  }];
}

/** A gateway's cluster in front of an upstream, with the gateway's routes to it. */
export interface ClusterInFront {
  /** `Kind/namespace/name` of the gateway's Envoy configuration. */
  readonly gateway: string;
  readonly cluster: EnvoyClusterModel;
  /** The gateway's routes to this cluster (empty when unknown). */
  readonly routes?: EnvoyRouteModel[];
}

/** Whether a route retries the races of an upstream's exit on another host. */
function retriesOnAnotherHost(route: EnvoyRouteModel, cluster: EnvoyClusterModel): boolean {
  return route.numRetries >= 1 && route.previousHosts && missingRetryOn(route, cluster).length === 0;
}

/** upstream-propagation: an upstream pod keeps serving until every gateway in front has stopped choosing it. */
export function checkUpstreamPropagation(upstream: WorkloadModel, clusters: ClusterInFront[], marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const findings: Finding[] = [];
  if (clusters.length === 0 || upstream.drain.mechanism === 'unknown') return findings;
  const drops = requiredUpstreamKeepServingSeconds(clusters.map((each) => each.cluster.discovery), 0);
  const required = requiredUpstreamKeepServingSeconds(clusters.map((each) => each.cluster.discovery), marginSeconds);
  const slowest = clusters.reduce((a, b) => (discoveryDelaySeconds(b.cluster.discovery) > discoveryDelaySeconds(a.cluster.discovery) ? b : a));
  const keepServing = upstream.drain.keepServingSeconds;
  const delay = discoveryDelaySeconds(slowest.cluster.discovery);
  if (keepServing < drops) {
    findings.push(error('upstream-exits-before-discovery', {
      rule: 'upstream-stops-before-gateways-forget-it',
      category: 'upstream-propagation',
      objects: [upstream.object, slowest.gateway],
      message: Number.isFinite(delay)
        ? `${upstream.object} keeps serving for ${s(keepServing)} after deletion, but ${slowest.gateway} may choose it for up to ${s(delay)} (cluster ${slowest.cluster.name}: ${describeDiscovery(slowest.cluster)}).`
        : `${slowest.gateway} lists the hosts of cluster ${slowest.cluster.name} statically, so it never stops choosing a deleted pod of ${upstream.object}.`,
      fix: Number.isFinite(delay)
        ? `make the preStop of ${upstream.object} sleep at least ${Math.ceil(required)}s before SIGTERM`
        : `resolve ${slowest.cluster.name} through DNS (STRICT_DNS on a headless Service) or EDS`,
    }));
  } else if (keepServing < required) {
    findings.push({
      rule: 'upstream-keep-serving-within-margin',
      category: 'upstream-propagation',
      severity: 'warning',
      objects: [upstream.object, slowest.gateway],
      message: `${upstream.object} keeps serving for ${s(keepServing)} after deletion: enough for ${slowest.gateway}'s ${s(delay)} discovery delay (${describeDiscovery(slowest.cluster)}), but not for the ${s(marginSeconds)} margin kept for a slow DNS or control-plane push.`,
      fix: `make the preStop of ${upstream.object} sleep at least ${Math.ceil(required)}s before SIGTERM`,
    });
  }
  for (const { gateway, cluster, routes } of clusters) {
    if (!cluster.activeHealthCheck || cluster.ignoreHealthOnHostRemoval) continue;
    // A kept host goes on answering until the pod exits; then connections fail, and a route that
    // retries on another host carries the request, until the active health check removes the host.
    const covered = (routes ?? []).length > 0 && routes!.every((route) => retriesOnAnotherHost(route, cluster));
    const message = `cluster ${cluster.name} of ${gateway} health-checks its hosts but lacks ignore_health_on_host_removal, so a deleted pod of ${upstream.object} that still passes health checks is kept after it leaves discovery, until it stops answering`;
    const fix = `set ignore_health_on_host_removal: true on cluster ${cluster.name}`;
    if (covered) {
      findings.push({ rule: 'health-checked-host-kept-after-removal', category: 'upstream-propagation', severity: 'warning', objects: [gateway, upstream.object], message: `${message}; the routes to it retry on another host (previous_hosts), so requests sent after the pod goes are retried, not dropped.`, fix });
    } else {
      findings.push(error('stale-upstream-not-retried', { rule: 'health-checked-host-kept-after-removal', category: 'upstream-propagation', objects: [gateway, upstream.object], message: `${message}, and not every route to it retries on another host: requests sent to it after it exits fail.`, fix }));
    }
  }
  return findings;
}

function describeDiscovery(cluster: EnvoyClusterModel): string {
  const d = cluster.discovery;
  if (d.kind === 'dns') return `${s(d.propagationSeconds)} propagation + ${s(d.dnsTtlSeconds)} DNS TTL + ${s(d.dnsRefreshSeconds)} dns_refresh_rate`;
  if (d.kind === 'eds') return `${s(d.propagationSeconds)} propagation + ${s(d.pushSeconds)} control-plane push`;
  return 'static hosts';
}

function missingRetryOn(route: EnvoyRouteModel, cluster?: EnvoyClusterModel): string[] {
  return requiredRetryOn(cluster).filter((condition) => !route.retryOn.includes(condition) && !RETRY_ON_EQUIVALENTS[condition].some((equivalent) => route.retryOn.includes(equivalent)));
}

/**
 * retries: a route retries resets and connect failures (and refused streams on HTTP/2), on another
 * host. A route to a cluster whose hosts are all loopback (the pod's own Envoy admin) has no
 * rollout race to retry.
 */
export function checkRetries(gateway: string, route: EnvoyRouteModel, cluster?: EnvoyClusterModel): Finding[] {
  const findings: Finding[] = [];
  if (cluster?.loopback) return findings;
  const missing = missingRetryOn(route, cluster);
  if (missing.length > 0 || route.numRetries < 1) {
    findings.push(error('race-not-retried', {
      rule: 'route-does-not-retry-rollout-races',
      category: 'retries',
      objects: [gateway],
      message: `route ${route.name} to ${route.cluster} ${route.numRetries < 1 ? 'never retries' : `does not retry on ${missing.join(', ')}`}: a request that races a pod's exit fails instead of going to another pod.`,
      fix: `retry_policy: retry_on "${requiredRetryOn(cluster).join(',')}" (or "5xx"), num_retries ≥ 1`,
    }));
  }
  if (!route.previousHosts && route.numRetries >= 1) {
    findings.push({
      rule: 'retry-may-pick-same-host',
      category: 'retries',
      severity: 'warning',
      objects: [gateway],
      message: `route ${route.name} retries without the previous_hosts predicate, so a retry may go to the very pod that is exiting.`,
      fix: 'add retry_host_predicate envoy.retry_host_predicates.previous_hosts and host_selection_retry_max_attempts ≥ 3',
    });
  }
  return findings;
}

/**
 * capacity: enough pods stay up through a rollout and a node drain, and a gateway rollout never
 * outruns the load balancer. Upstreams need no minReadySeconds: with their preStop covering the
 * gateways' discovery delay, every answer a gateway holds lists only pods that still serve.
 */
export function checkCapacity(workload: WorkloadModel, loadBalancer?: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS, externalTrafficPolicy: ExternalTrafficPolicy = 'Local'): Finding[] {
  const findings: Finding[] = [];
  const objects = [workload.object];
  if (workload.kind !== 'DaemonSet' && workload.replicas < 2) {
    findings.push(error('no-pod-left', { rule: 'single-replica', category: 'capacity', objects, message: `${workload.object} runs ${workload.replicas} replica: a node drain or eviction leaves no pod to serve.`, fix: `set replicas of ${workload.object} to at least 2` }));
  }
  if (workload.kind === 'Deployment' && (workload.maxUnavailable > 0 || workload.maxSurge < 1)) {
    const fix = `set strategy.rollingUpdate maxUnavailable: 0 and maxSurge: 1 (or more) on ${workload.object}`;
    if (workload.replicas >= 2 && workload.maxUnavailable >= workload.replicas) {
      findings.push(error('no-pod-left', { rule: 'rollout-removes-before-adding', category: 'capacity', objects, message: `${workload.object} rolls with maxSurge ${workload.maxSurge} and maxUnavailable ${workload.maxUnavailable} of ${workload.replicas} replicas: every old pod is removed at once, before any new one is ready.`, fix }));
    } else {
      findings.push({ rule: 'rollout-removes-before-adding', category: 'capacity', severity: 'warning', objects, message: `${workload.object} rolls with maxSurge ${workload.maxSurge} and maxUnavailable ${workload.maxUnavailable}: old pods are removed before new ones are ready, so the others carry the load meanwhile (the old pods still serve through their preStop).`, fix });
    }
  }
  if (workload.kind !== 'DaemonSet' && !workload.onePodPerNode && !workload.spreadTopologyKeys.includes('kubernetes.io/hostname')) {
    findings.push({ rule: 'not-spread-across-nodes', category: 'capacity', severity: 'warning', objects, message: `${workload.object} is not spread across nodes: one node drain can take all its pods at once.`, fix: `add a topology spread constraint (or pod anti-affinity) on kubernetes.io/hostname to ${workload.object}` });
  }
  if (workload.kind === 'DaemonSet' && workload.maxUnavailable > 1) {
    findings.push({ rule: 'daemonset-rolls-several-nodes', category: 'capacity', severity: 'warning', objects, message: `${workload.object} rolls with maxUnavailable ${workload.maxUnavailable}: that many nodes lose their pod at once, and with a load balancer that knows nodes, the ones still healthy must carry the load.`, fix: `set updateStrategy.rollingUpdate maxUnavailable: 1 on ${workload.object}` });
  }
  if (workload.kind !== 'DaemonSet' && workload.disruptionBudget && allowsEveryPodDown(workload.disruptionBudget, workload.replicas)) {
    findings.push({ rule: 'disruption-budget-allows-all', category: 'capacity', severity: 'warning', objects: [workload.object, workload.disruptionBudget.object], message: `the PodDisruptionBudget of ${workload.object} (${describeBudget(workload.disruptionBudget)}) lets a node drain evict all ${workload.replicas} pods together.`, fix: `set maxUnavailable: 1 on ${workload.disruptionBudget.object}` });
  }
  if (workload.kind !== 'DaemonSet' && !workload.disruptionBudget) {
    findings.push({ rule: 'no-disruption-budget', category: 'capacity', severity: 'warning', objects, message: `${workload.object} has no PodDisruptionBudget: a node drain may evict all its pods together.`, fix: `add a PodDisruptionBudget with maxUnavailable: 1 selecting ${workload.object}'s pods` });
  }
  // With externalTrafficPolicy Cluster every node forwards to a new pod as soon as it is ready.
  if (loadBalancer && !kubeProxyDecides(loadBalancer, externalTrafficPolicy)) {
    const hc = loadBalancer.healthCheck;
    const recovery = recoveryWindowSeconds(hc);
    const drops = requiredGatewayMinReadySeconds(loadBalancer, 0);
    const required = requiredGatewayMinReadySeconds(loadBalancer, marginSeconds);
    const reason = `the load balancer sends to a new target only ${s(recovery)} (${hc.healthyThreshold} × ${s(hc.intervalSeconds)}) after it is ready, and may mark the old one it replaces unhealthy ${s(earliestUnhealthySeconds(hc))} ((${hc.unhealthyThreshold} − 1) × ${s(hc.intervalSeconds)}) after its deletion`;
    const fix = `set minReadySeconds of ${workload.object} to at least ${required}`;
    if (workload.minReadySeconds < drops) {
      findings.push(error('rollout-outruns-lb', { rule: 'rollout-outruns-discovery', category: 'capacity', objects: [workload.object, loadBalancer.object], message: `${workload.object} has minReadySeconds ${workload.minReadySeconds}, but ${reason}: the rollout can leave no healthy target, and the load balancer then fails open onto nodes without a gateway.`, fix }));
    } else if (workload.minReadySeconds < required) {
      const covered = drops === 0 && loadBalancer.provider === 'gke'
        ? 'the pod readiness gate holds each new pod unready until the load balancer\'s health check passes'
        : `each new target turns healthy (${s(recovery)}) before the old one it replaces can turn unhealthy (${s(workload.minReadySeconds)} + ${s(earliestUnhealthySeconds(hc))}), so some target stays healthy`;
      findings.push({ rule: 'min-ready-within-margin', category: 'capacity', severity: 'warning', objects: [workload.object, loadBalancer.object], message: `${workload.object} has minReadySeconds ${workload.minReadySeconds}: ${covered}; but the rollout moves on before the load balancer's recovery window of ${s(recovery)} plus the ${s(marginSeconds)} margin kept for ${MARGIN_SOURCE}, so the healthy set shrinks while it runs.`, fix });
    }
  }
  return findings;
}

function budgetCount(value: number | string, replicas: number): number {
  if (typeof value === 'number') return value;
  const percent = Number(value.replace('%', ''));
  return Number.isFinite(percent) ? Math.ceil((percent / 100) * replicas) : Number.NaN;
}

function allowsEveryPodDown(budget: NonNullable<WorkloadModel['disruptionBudget']>, replicas: number): boolean {
  if (budget.maxUnavailable !== undefined) return budgetCount(budget.maxUnavailable, replicas) >= replicas;
  if (budget.minAvailable !== undefined) return budgetCount(budget.minAvailable, replicas) <= 0;
  return false;
}

function describeBudget(budget: NonNullable<WorkloadModel['disruptionBudget']>): string {
  return budget.maxUnavailable !== undefined ? `maxUnavailable ${budget.maxUnavailable}` : `minAvailable ${budget.minAvailable}`;
}

/**
 * lb-detection: the load balancer's health check sees the gateway fail. A TCP check on the
 * traffic port keeps passing while Envoy drains (its listeners accept until the end), and so does
 * an HTTP check on a path other than Envoy's health-check path; only the health-check filter's
 * path, or kube-proxy's healthCheckNodePort (503 once the node has only terminating endpoints, from
 * t0, with or without /healthcheck/fail), turns. Instance targets behind externalTrafficPolicy
 * Cluster need none of it: kube-proxy moves new connections off the pod.
 */
export function checkHealthCheckTarget(gateway: GatewayModel, loadBalancer: LoadBalancerModel, externalTrafficPolicy: ExternalTrafficPolicy = 'Local'): Finding[] {
  if (loadBalancer.healthCheckPort === 'healthCheckNodePort' || kubeProxyDecides(loadBalancer, externalTrafficPolicy)) return [];
  const objects = [gateway.workload.object, loadBalancer.object];
  const detection = detectionWindowSeconds(loadBalancer.healthCheck);
  if (loadBalancer.healthCheckProtocol === 'TCP') {
    return [error('lb-health-check-blind-to-drain', { rule: 'lb-health-check-blind-to-drain', category: 'lb-detection', objects, message: `the load balancer checks ${gateway.workload.object} over TCP on port ${loadBalancer.healthCheckPort}, which keeps accepting while Envoy drains: the target stays healthy until Envoy exits, and connections sent to it then fail.`, fix: `check over HTTP on Envoy's health-check path${gateway.envoy?.healthCheckPath ? ` (${gateway.envoy.healthCheckPath})` : ''}, which answers 503 as soon as the drain starts` })];
  }
  const envoyPath = gateway.envoy?.healthCheckPath;
  if (gateway.envoy?.healthCheckFilter === false && loadBalancer.healthCheckPath !== undefined) {
    return [error('lb-health-check-blind-to-drain', { rule: 'no-health-check-filter', category: 'lb-detection', objects: [...objects, gateway.envoy.object], message: `the load balancer checks ${loadBalancer.healthCheckPath} on ${gateway.workload.object}, but ${gateway.envoy.object} has no health check filter: /healthcheck/fail changes no answer, so the target stays healthy until Envoy exits, and connections sent to it then fail.`, fix: `add the envoy.filters.http.health_check filter (pass_through_mode false) on ${loadBalancer.healthCheckPath} to the gateway's HTTP connection manager` })];
  }
  if (envoyPath !== undefined && loadBalancer.healthCheckPath !== undefined && loadBalancer.healthCheckPath.split('?')[0] !== envoyPath) {
    return [error('lb-health-check-blind-to-drain', { rule: 'lb-health-check-path-not-drained', category: 'lb-detection', objects: [...objects, gateway.envoy!.object], message: `the load balancer checks ${loadBalancer.healthCheckPath}, but ${gateway.workload.object} fails only ${envoyPath} when it drains: the target stays healthy until Envoy exits, not ${detection}s after the drain starts.`, fix: `set the load balancer's health-check path to ${envoyPath}` })];
  }
  if (!gateway.workload.drain.failsHealthCheck && gateway.workload.drain.mechanism !== 'unknown' && gateway.workload.drain.mechanism !== 'none') {
    return [error('lb-health-check-blind-to-drain', { rule: 'gateway-does-not-fail-health-check', category: 'lb-detection', objects, message: `${gateway.workload.object} does not fail its health check when it stops, and the load balancer checks the gateway itself (${loadBalancer.healthCheckProtocol} ${loadBalancer.healthCheckPort}${loadBalancer.healthCheckPath ?? ''}): the target stays healthy until Envoy exits, and connections sent to it then fail.`, fix: `start the preStop of ${gateway.workload.object} with Envoy's admin POST /healthcheck/fail` })];
  }
  return [];
}

/**
 * traffic-policy: how the load balancer's connections reach the gateway pods. Two gateway pods on
 * one node behind externalTrafficPolicy Local are safe: kube-proxy sends new connections to the
 * node's other, ready pod (KEP-1669).
 */
export function checkTrafficPolicy(gateway: WorkloadModel, service: ServiceModel): Finding[] {
  const loadBalancer = service.loadBalancer;
  const findings: Finding[] = [];
  const objects = [gateway.object, service.object];
  if (gateway.kind === 'DaemonSet' && gateway.hostPorts.length > 0 && gateway.maxSurge > 0) {
    findings.push(error('rollout-deadlocks', { rule: 'surge-with-host-port', category: 'traffic-policy', objects: [gateway.object], message: `${gateway.object} uses hostPort ${gateway.hostPorts.join(', ')} and rolls with maxSurge ${gateway.maxSurge}: the surge pod cannot bind the port and the rollout deadlocks.`, fix: `set updateStrategy.rollingUpdate maxSurge: 0 and maxUnavailable: 1 on ${gateway.object}` }));
  }
  if (!loadBalancer || loadBalancer.targetType !== 'instance') return findings;
  if (service.externalTrafficPolicy !== 'Local') {
    findings.push({ rule: 'cluster-traffic-policy', category: 'traffic-policy', severity: 'warning', objects, message: `${service.object} has externalTrafficPolicy Cluster: kube-proxy on every node moves new connections off a terminating gateway pod within about ${s(DEFAULT_PROPAGATION_SECONDS)} (KEP-1669), so rollouts hold; but every connection takes a second hop through another node, the client's address is lost, and the load balancer's health check says nothing about the pods.`, fix: `set externalTrafficPolicy: Local on ${service.object}, with a preStop that keeps serving through the load balancer's detection window` });
  }
  return findings;
}

/**
 * security: Envoy admin stays on loopback; pods run as non-root; no host network unless asked.
 * These findings are about who can reach the pod, not about dropped requests: the checker reports
 * them apart and they never make the verdict `drops-requests`.
 */
export function checkSecurity(workload: WorkloadModel, envoy?: EnvoyModel): Finding[] {
  const findings: Finding[] = [];
  if (envoy?.adminAddress !== undefined && !/^(127\.|::1$|localhost$)/.test(envoy.adminAddress)) {
    findings.push({ rule: 'admin-not-on-loopback', category: 'security', severity: 'error', objects: [envoy.object, workload.object], message: `Envoy admin listens on ${envoy.adminAddress}: anyone who reaches the pod can fail its health checks, drain it or shut it down.`, fix: 'bind the admin address to 127.0.0.1' });
  }
  if (workload.runsAsNonRoot === false || workload.runsAsNonRoot === undefined) {
    findings.push({ rule: 'runs-as-root', category: 'security', severity: 'warning', objects: [workload.object], message: `${workload.object} does not require a non-root user.`, fix: `set securityContext.runAsNonRoot: true and a runAsUser on ${workload.object}` });
  }
  const unbindable = unbindablePortsOnHostNetwork(workload.containerPorts ?? [], workload.hostNetwork, workload.runsAsNonRoot);
  if (unbindable.length > 0) {
    // Not a security finding: the pod never starts, so the rollout that replaces a node's gateway with it leaves the node without one.
    findings.push({ rule: 'privileged-port-on-host-network', category: 'capacity', severity: 'error', objects: [workload.object], message: `${workload.object} runs as non-root on the host network and listens on port ${unbindable.join(', ')}, below ${UNPRIVILEGED_PORT_START}: on the node's network no sysctl or added capability lets a non-root process bind it, so the container exits and crash-loops.`, fix: `use hostPort instead of hostNetwork, or listen on port ${UNPRIVILEGED_PORT_START} or above` });
  }
  if (workload.hostNetwork) {
    findings.push({ rule: 'host-network', category: 'security', severity: 'warning', objects: [workload.object], message: `${workload.object} uses the host network: its ports, admin included, are the node's.`, fix: 'use hostPort for the traffic ports instead of hostNetwork' });
  }
  return findings;
}

/** no-drain: a workload that takes traffic and has no preStop drops requests on every rollout. */
export function checkHasDrain(workload: WorkloadModel): Finding[] {
  if (workload.drain.mechanism === 'none') {
    return [error('no-drain', { rule: 'no-prestop', category: 'no-drain', objects: [workload.object], message: `${workload.object} has no preStop hook: it stops serving the moment it is deleted, while load balancers and gateways still send it requests.`, fix: `add a preStop hook to ${workload.object} that keeps it serving until it is no longer chosen` })];
  }
  if (workload.drain.mechanism === 'unknown') {
    return [{ rule: 'unknown-drain', category: 'unknown', severity: 'warning', objects: [workload.object], message: `hitless cannot tell what the preStop hook of ${workload.object} does (${workload.drain.description}); its timing is not checked.`, fix: 'use a preStop of the forms hitless reads: sleep, or Envoy admin /healthcheck/fail followed by sleep' }];
  }
  if (!workload.readiness) {
    // Kubernetes counts a container with no readiness probe ready once it runs: a new pod may take
    // requests before it listens, which connect-failure retries on another host absorb.
    return [{ rule: 'no-readiness-probe', category: 'no-drain', severity: 'warning', objects: [workload.object], message: `${workload.object} has no readiness probe: a new pod counts as ready as soon as its container runs, and may be sent requests before it listens (retries on connect-failure absorb them).`, fix: `add a readiness probe to ${workload.object}` }];
  }
  return [];
}

/** Every invariant over one gateway. */
export function checkGateway(gateway: GatewayModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const findings: Finding[] = [...checkHasDrain(gateway.workload), ...checkGracePeriod(gateway.workload, marginSeconds), ...checkSecurity(gateway.workload, gateway.envoy)];
  const balanced = gateway.services.filter((service) => service.loadBalancer);
  for (const service of gateway.services) findings.push(...checkTrafficPolicy(gateway.workload, service));
  for (const service of balanced) {
    const policy = service.externalTrafficPolicy;
    if (service.loadBalancer!.provider === 'gke') { findings.push(...checkGkeLoadBalancer(gateway, service.loadBalancer!, marginSeconds)); continue; }
    findings.push(...checkLoadBalancerDetection(gateway.workload, service.loadBalancer!, marginSeconds, policy));
    findings.push(...checkHealthCheckTarget(gateway, service.loadBalancer!, policy));
    findings.push(...checkKeepAlive(gateway.workload, service.loadBalancer!, marginSeconds, policy));
    findings.push(...checkDeregistrationDelay(gateway.workload, service.loadBalancer!));
  }
  if (gateway.envoy) findings.push(...checkKeepAliveCutOnExit(gateway.workload));
  findings.push(...checkCapacity(gateway.workload, balanced[0]?.loadBalancer, marginSeconds, balanced[0]?.externalTrafficPolicy));
  const clusters = new Map((gateway.envoy?.clusters ?? []).map((cluster) => [cluster.name, cluster]));
  for (const route of gateway.envoy?.routes ?? []) findings.push(...checkRetries(gateway.envoy!.object, route, clusters.get(route.cluster)));
  return findings;
}

/** The clusters of every gateway that send to one upstream's Services, with the routes to each. */
export function clustersInFront(upstream: UpstreamModel, gateways: GatewayModel[]): ClusterInFront[] {
  const services = new Set(upstream.services.map((service) => service.object));
  return gateways.flatMap((gateway) => (gateway.envoy?.clusters ?? [])
    .filter((cluster) => cluster.service !== undefined && services.has(cluster.service))
    .map((cluster) => ({ gateway: gateway.envoy!.object, cluster, routes: gateway.envoy!.routes.filter((route) => route.cluster === cluster.name) })));
}

/** Every invariant over one upstream, given the gateways in front of it. */
export function checkUpstream(upstream: UpstreamModel, gateways: GatewayModel[], marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const inFront = clustersInFront(upstream, gateways);
  return [
    ...checkHasDrain(upstream.workload),
    ...checkGracePeriod(upstream.workload, marginSeconds),
    ...checkUpstreamPropagation(upstream.workload, inFront, marginSeconds),
    ...checkCapacity(upstream.workload, undefined, marginSeconds),
    ...checkSecurity(upstream.workload),
  ];
}

/**
 * Every invariant over a whole topology. Each upstream is handed only the gateways whose clusters
 * point at its Services, found through an index, so that a large install is not checked in
 * gateways × upstreams time.
 */
export function checkTopology(topology: { gateways: GatewayModel[]; upstreams: UpstreamModel[] }, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const gatewaysByService = new Map<string, Set<GatewayModel>>();
  for (const gateway of topology.gateways) {
    for (const cluster of gateway.envoy?.clusters ?? []) {
      if (cluster.service === undefined) continue;
      const gateways = gatewaysByService.get(cluster.service) ?? new Set<GatewayModel>();
      gateways.add(gateway);
      gatewaysByService.set(cluster.service, gateways);
    }
  }
  const findings = topology.gateways.flatMap((gateway) => checkGateway(gateway, marginSeconds));
  for (const upstream of topology.upstreams) {
    const inFront = new Set<GatewayModel>();
    for (const service of upstream.services) for (const gateway of gatewaysByService.get(service.object) ?? []) inFront.add(gateway);
    findings.push(...checkUpstream(upstream, topology.gateways.filter((gateway) => inFront.has(gateway)), marginSeconds));
  }
  return findings;
}
