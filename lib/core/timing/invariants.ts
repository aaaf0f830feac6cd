import { Finding, formatSeconds as s } from '../finding';
import { EnvoyClusterModel, EnvoyModel, EnvoyRouteModel, GatewayModel, LoadBalancerModel, ServiceModel, UpstreamModel, WorkloadModel } from '../model';
import {
  DEFAULT_MARGIN_SECONDS,
  detectionWindowSeconds,
  discoveryDelaySeconds,
  newConnectionWindowSeconds,
  recoveryWindowSeconds,
  requiredGatewayMinReadySeconds,
  requiredGracePeriodSeconds,
  requiredKeepServingSeconds,
  requiredUpstreamKeepServingSeconds,
  requiredUpstreamMinReadySeconds,
} from './windows';
import { checkGkeLoadBalancer } from '../gke/invariants';

/**
 * The invariants of the timing budget (DESIGN.md section 4), one function each, over plain data.
 * They return findings rather than throw, so that the checker can report every one of them on
 * foreign manifests; the constructs turn the same comparisons into errors at construction.
 */

/** Retry conditions that cover the races a rollout leaves: a closed pooled connection, a refused stream, a dead pod. */
export const REQUIRED_RETRY_ON = ['connect-failure', 'refused-stream', 'reset'] as const;

/**
 * Conditions that cover a required one just as well for the races of a rollout: `5xx` includes
 * connect-failure and reset; `reset-before-request` covers a pooled connection closed under a
 * request not yet sent, without repeating one the upstream may have processed.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-retry-on
 */
const RETRY_ON_EQUIVALENTS: Record<string, string[]> = {
  'connect-failure': ['5xx', 'gateway-error'],
  'reset': ['5xx', 'reset-before-request'],
  'refused-stream': [],
};

function preStopSeconds(workload: WorkloadModel): number {
  return workload.drain.keepServingSeconds + workload.drain.drainSeconds;
}

/**
 * lb-detection: a gateway keeps accepting new connections for at least the load balancer's
 * detection window (or IP deregistration lag) after it starts failing its health check.
 */
export function checkLoadBalancerDetection(gateway: WorkloadModel, loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const findings: Finding[] = [];
  const objects = [gateway.object, loadBalancer.object];
  const window = newConnectionWindowSeconds(loadBalancer);
  const required = requiredKeepServingSeconds(loadBalancer, marginSeconds);
  const why = loadBalancer.deregistrationLagSeconds > detectionWindowSeconds(loadBalancer.healthCheck)
    ? `IP targets are still sent new connections for up to ${s(loadBalancer.deregistrationLagSeconds)} after deregistration`
    : `the load balancer needs up to ${s(window)} (${loadBalancer.healthCheck.unhealthyThreshold} × ${s(loadBalancer.healthCheck.intervalSeconds)} + ${s(loadBalancer.healthCheck.timeoutSeconds)} timeout) to stop sending new connections`;
  if (gateway.drain.mechanism === 'unknown') return findings;
  if (gateway.drain.keepServingSeconds < required) {
    findings.push({
      rule: 'gateway-stops-before-lb-detection',
      category: 'lb-detection',
      severity: 'error',
      objects,
      message: `${gateway.object} keeps serving for ${s(gateway.drain.keepServingSeconds)} after it starts to stop, but ${why}; connections opened in between fail.`,
      fix: `make the preStop of ${gateway.object} fail the health check and keep serving for at least ${s(required)} (${s(window)} + ${s(marginSeconds)} margin) before it drains or exits`,
    });
  }
  if (!gateway.drain.failsHealthCheck && loadBalancer.targetType !== 'ip' && loadBalancer.healthCheckPort === 'healthCheckNodePort') {
    findings.push({
      rule: 'gateway-does-not-fail-health-check',
      category: 'lb-detection',
      severity: 'warning',
      objects,
      message: `${gateway.object} does not fail its health check when it stops, so the load balancer learns of it only from kube-proxy's healthCheckNodePort or when it is gone.`,
      fix: `start the preStop of ${gateway.object} with Envoy's admin POST /healthcheck/fail`,
    });
  }
  if (gateway.readiness?.failsWhileDraining) {
    findings.push({
      rule: 'readiness-fails-while-draining',
      category: 'lb-detection',
      severity: 'error',
      objects,
      message: `the readiness probe of ${gateway.object} fails as soon as it drains, so its endpoint stops serving and kube-proxy drops the packets still sent to it during the ${s(window)} the load balancer needs to notice.`,
      fix: `probe a path that keeps answering while Envoy drains (a TCP probe on the listener, or a route that is not the health-check path nor /ready)`,
    });
  }
  return findings;
}

/** keepalive: connections still open when the load balancer marks the target unhealthy are not reset. */
export function checkKeepAlive(gateway: WorkloadModel, loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  if (gateway.drain.mechanism === 'unknown' || gateway.drain.mechanism === 'none') return [];
  const objects = [gateway.object, loadBalancer.object];
  // The target turns unhealthy at D_lb, even where (IP targets) new connections may go on arriving longer.
  const markedUnhealthyAt = detectionWindowSeconds(loadBalancer.healthCheck);
  // Sized for the drain the gateway must have, not a too-short one it has (lb-detection reports that).
  const keepServing = Math.max(gateway.drain.keepServingSeconds, requiredKeepServingSeconds(loadBalancer, marginSeconds));
  const stillOpenFor = Math.max(0, keepServing + gateway.drain.drainSeconds - markedUnhealthyAt);
  if (!loadBalancer.unhealthyConnectionTermination) {
    if (loadBalancer.unhealthyDrainingIntervalSeconds < stillOpenFor) {
      return [{
        rule: 'unhealthy-draining-interval-shorter-than-drain',
        category: 'keepalive',
        severity: 'warning',
        objects,
        message: `connections to an unhealthy target are cut after the draining interval of ${s(loadBalancer.unhealthyDrainingIntervalSeconds)}, but ${gateway.object} may still be finishing them for ${s(stillOpenFor)}.`,
        fix: `set target_health_state.unhealthy.draining_interval_seconds to at least ${Math.ceil(stillOpenFor)}`,
      }];
    }
    return [];
  }
  return [{
    rule: 'unhealthy-target-connections-reset',
    category: 'keepalive',
    severity: gateway.drain.drainsConnections ? 'warning' : 'error',
    objects,
    message: gateway.drain.drainsConnections
      ? `the load balancer resets connections still open when it marks ${gateway.object} unhealthy (${s(markedUnhealthyAt)}); Envoy drain-closes only those that carry a request before then, so idle keep-alive clients get a reset.`
      : `the load balancer resets every connection still open when it marks ${gateway.object} unhealthy (${s(markedUnhealthyAt)}), and nothing closes them first.`,
    fix: `set target_health_state.unhealthy.connection_termination.enabled=false and target_health_state.unhealthy.draining_interval_seconds to at least ${Math.ceil(stillOpenFor)}`,
  }];
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
  return [{
    rule: 'deregistration-cuts-drain',
    category: 'keepalive',
    severity: 'error',
    objects: [gateway.object, loadBalancer.object],
    message: `the load balancer cuts connections to a deregistered IP target after ${s(loadBalancer.deregistrationDelaySeconds)}, but ${gateway.object} serves and drains for ${s(preStop)} after deregistration starts.`,
    fix: `set deregistration_delay.timeout_seconds to at least ${Math.ceil(preStop)}, or deregistration_delay.connection_termination.enabled=false`,
  }];
}

/** grace-period: terminationGracePeriodSeconds covers the whole preStop and the app's drain after SIGTERM. */
export function checkGracePeriod(workload: WorkloadModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  if (workload.drain.mechanism === 'unknown') return [];
  const preStop = preStopSeconds(workload);
  const required = requiredGracePeriodSeconds(preStop, workload.appDrainSeconds, marginSeconds);
  if (workload.terminationGracePeriodSeconds >= required) return [];
  return [{
    rule: 'grace-period-shorter-than-drain',
    category: 'grace-period',
    severity: 'error',
    objects: [workload.object],
    message: `${workload.object} is killed ${s(workload.terminationGracePeriodSeconds)} after it is told to stop, but its preStop takes ${s(preStop)} and the app ${s(workload.appDrainSeconds)} after SIGTERM: in-flight requests are cut.`,
    fix: `raise terminationGracePeriodSeconds of ${workload.object} from ${workload.terminationGracePeriodSeconds} to at least ${required}`,
  }];
}

/** upstream-propagation: an upstream pod keeps serving until every gateway in front has stopped choosing it. */
export function checkUpstreamPropagation(upstream: WorkloadModel, clusters: { gateway: string; cluster: EnvoyClusterModel }[], marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const findings: Finding[] = [];
  if (clusters.length === 0 || upstream.drain.mechanism === 'unknown') return findings;
  const required = requiredUpstreamKeepServingSeconds(clusters.map((each) => each.cluster.discovery), marginSeconds);
  const slowest = clusters.reduce((a, b) => (discoveryDelaySeconds(b.cluster.discovery) > discoveryDelaySeconds(a.cluster.discovery) ? b : a));
  if (upstream.drain.keepServingSeconds < required) {
    const delay = discoveryDelaySeconds(slowest.cluster.discovery);
    findings.push({
      rule: 'upstream-stops-before-gateways-forget-it',
      category: 'upstream-propagation',
      severity: 'error',
      objects: [upstream.object, slowest.gateway],
      message: Number.isFinite(delay)
        ? `${upstream.object} keeps serving for ${s(upstream.drain.keepServingSeconds)} after deletion, but ${slowest.gateway} may choose it for up to ${s(delay)} (cluster ${slowest.cluster.name}: ${describeDiscovery(slowest.cluster)}).`
        : `${slowest.gateway} lists the hosts of cluster ${slowest.cluster.name} statically, so it never stops choosing a deleted pod of ${upstream.object}.`,
      fix: Number.isFinite(delay)
        ? `make the preStop of ${upstream.object} sleep at least ${Math.ceil(required)}s before SIGTERM`
        : `resolve ${slowest.cluster.name} through DNS (STRICT_DNS on a headless Service) or EDS`,
    });
  }
  for (const { gateway, cluster } of clusters) {
    if (cluster.activeHealthCheck && !cluster.ignoreHealthOnHostRemoval) {
      findings.push({
        rule: 'health-checked-host-kept-after-removal',
        category: 'upstream-propagation',
        severity: 'error',
        objects: [gateway, upstream.object],
        message: `cluster ${cluster.name} of ${gateway} health-checks its hosts but lacks ignore_health_on_host_removal, so a deleted pod that still passes health checks keeps receiving requests until it stops answering.`,
        fix: `set ignore_health_on_host_removal: true on cluster ${cluster.name}`,
      });
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

/** retries: a route retries connect-failure, refused-stream and reset, on another host. */
export function checkRetries(gateway: string, route: EnvoyRouteModel): Finding[] {
  const findings: Finding[] = [];
  const missing = REQUIRED_RETRY_ON.filter((condition) => !route.retryOn.includes(condition) && !RETRY_ON_EQUIVALENTS[condition].some((equivalent) => route.retryOn.includes(equivalent)));
  if (missing.length > 0 || route.numRetries < 1) {
    findings.push({
      rule: 'route-does-not-retry-rollout-races',
      category: 'retries',
      severity: 'error',
      objects: [gateway],
      message: `route ${route.name} to ${route.cluster} ${route.numRetries < 1 ? 'never retries' : `does not retry on ${missing.join(', ')}`}: a request that races a pod's exit fails instead of going to another pod.`,
      fix: `retry_policy: retry_on "${REQUIRED_RETRY_ON.join(',')}", num_retries ≥ 1`,
    });
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

/** capacity: enough pods stay up through a rollout and a node drain, and a rollout never outruns the load balancer. */
export function checkCapacity(workload: WorkloadModel, loadBalancer?: LoadBalancerModel, minReadyRequiredSeconds?: number, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const findings: Finding[] = [];
  const objects = [workload.object];
  if (workload.kind !== 'DaemonSet' && workload.replicas < 2) {
    findings.push({ rule: 'single-replica', category: 'capacity', severity: 'error', objects, message: `${workload.object} runs ${workload.replicas} replica: a node drain or eviction leaves no pod to serve.`, fix: `set replicas of ${workload.object} to at least 2` });
  }
  if (workload.kind === 'Deployment' && (workload.maxUnavailable > 0 || workload.maxSurge < 1)) {
    findings.push({ rule: 'rollout-removes-before-adding', category: 'capacity', severity: workload.maxSurge < 1 ? 'error' : 'warning', objects, message: `${workload.object} rolls with maxSurge ${workload.maxSurge} and maxUnavailable ${workload.maxUnavailable}: old pods are removed before new ones are ready.`, fix: `set strategy.rollingUpdate maxUnavailable: 0 and maxSurge: 1 (or more) on ${workload.object}` });
  }
  if (workload.kind !== 'DaemonSet' && !workload.onePodPerNode && !workload.spreadTopologyKeys.includes('kubernetes.io/hostname')) {
    findings.push({ rule: 'not-spread-across-nodes', category: 'capacity', severity: 'warning', objects, message: `${workload.object} is not spread across nodes: one node drain can take all its pods at once.`, fix: `add a topology spread constraint (or pod anti-affinity) on kubernetes.io/hostname to ${workload.object}` });
  }
  if (workload.kind === 'DaemonSet' && workload.maxUnavailable > 1) {
    findings.push({ rule: 'daemonset-rolls-several-nodes', category: 'capacity', severity: 'error', objects, message: `${workload.object} rolls with maxUnavailable ${workload.maxUnavailable}: that many nodes lose their pod at once, and with a load balancer that knows nodes, the ones still healthy may not carry the load, or none is left.`, fix: `set updateStrategy.rollingUpdate maxUnavailable: 1 on ${workload.object}` });
  }
  if (workload.kind !== 'DaemonSet' && workload.disruptionBudget && allowsEveryPodDown(workload.disruptionBudget, workload.replicas)) {
    findings.push({ rule: 'disruption-budget-allows-all', category: 'capacity', severity: 'warning', objects: [workload.object, workload.disruptionBudget.object], message: `the PodDisruptionBudget of ${workload.object} (${describeBudget(workload.disruptionBudget)}) lets a node drain evict all ${workload.replicas} pods together.`, fix: `set maxUnavailable: 1 on ${workload.disruptionBudget.object}` });
  }
  if (workload.kind !== 'DaemonSet' && !workload.disruptionBudget) {
    findings.push({ rule: 'no-disruption-budget', category: 'capacity', severity: 'warning', objects, message: `${workload.object} has no PodDisruptionBudget: a node drain may evict all its pods together.`, fix: `add a PodDisruptionBudget with maxUnavailable: 1 selecting ${workload.object}'s pods` });
  }
  const minReady = loadBalancer ? requiredGatewayMinReadySeconds(loadBalancer, marginSeconds) : minReadyRequiredSeconds;
  if (minReady !== undefined && workload.minReadySeconds < minReady) {
    const reason = loadBalancer
      ? `the load balancer sends to a new target only ${s(recoveryWindowSeconds(loadBalancer.healthCheck))} (${loadBalancer.healthCheck.healthyThreshold} × ${s(loadBalancer.healthCheck.intervalSeconds)}) after it is ready`
      : `the gateways in front learn of a new pod only ${s(minReady - marginSeconds)} after it is ready`;
    findings.push({ rule: 'rollout-outruns-discovery', category: 'capacity', severity: 'error', objects: loadBalancer ? [workload.object, loadBalancer.object] : objects, message: `${workload.object} has minReadySeconds ${workload.minReadySeconds}, but ${reason}: the rollout removes old pods before new ones take traffic.`, fix: `set minReadySeconds of ${workload.object} to at least ${minReady}` });
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
 * path, or kube-proxy's healthCheckNodePort (503 once the node has no ready endpoint), turns.
 */
export function checkHealthCheckTarget(gateway: GatewayModel, loadBalancer: LoadBalancerModel): Finding[] {
  if (loadBalancer.healthCheckPort === 'healthCheckNodePort') return [];
  const objects = [gateway.workload.object, loadBalancer.object];
  const detection = detectionWindowSeconds(loadBalancer.healthCheck);
  if (loadBalancer.healthCheckProtocol === 'TCP') {
    return [{ rule: 'lb-health-check-blind-to-drain', category: 'lb-detection', severity: 'error', objects, message: `the load balancer checks ${gateway.workload.object} over TCP on port ${loadBalancer.healthCheckPort}, which keeps accepting while Envoy drains: the target stays healthy until Envoy exits, and connections sent to it then fail.`, fix: `check over HTTP on Envoy's health-check path${gateway.envoy?.healthCheckPath ? ` (${gateway.envoy.healthCheckPath})` : ''}, which answers 503 as soon as the drain starts` }];
  }
  const envoyPath = gateway.envoy?.healthCheckPath;
  if (envoyPath !== undefined && loadBalancer.healthCheckPath !== undefined && loadBalancer.healthCheckPath.split('?')[0] !== envoyPath) {
    return [{ rule: 'lb-health-check-path-not-drained', category: 'lb-detection', severity: 'error', objects: [...objects, gateway.envoy!.object], message: `the load balancer checks ${loadBalancer.healthCheckPath}, but ${gateway.workload.object} fails only ${envoyPath} when it drains: the target stays healthy until Envoy exits, not ${detection}s after the drain starts.`, fix: `set the load balancer's health-check path to ${envoyPath}` }];
  }
  if (!gateway.workload.drain.failsHealthCheck && gateway.workload.drain.mechanism !== 'unknown') {
    return [{ rule: 'gateway-does-not-fail-health-check', category: 'lb-detection', severity: 'error', objects, message: `${gateway.workload.object} does not fail its health check when it stops, and the load balancer checks the gateway itself (${loadBalancer.healthCheckProtocol} ${loadBalancer.healthCheckPort}${loadBalancer.healthCheckPath ?? ''}): the target stays healthy until Envoy exits, and connections sent to it then fail.`, fix: `start the preStop of ${gateway.workload.object} with Envoy's admin POST /healthcheck/fail` }];
  }
  return [];
}

/** traffic-policy: the load balancer's health check ends in the very pod that will serve. */
export function checkTrafficPolicy(gateway: WorkloadModel, service: ServiceModel): Finding[] {
  const loadBalancer = service.loadBalancer;
  const findings: Finding[] = [];
  const objects = [gateway.object, service.object];
  if (gateway.kind === 'DaemonSet' && gateway.hostPorts.length > 0 && gateway.maxSurge > 0) {
    findings.push({ rule: 'surge-with-host-port', category: 'traffic-policy', severity: 'error', objects: [gateway.object], message: `${gateway.object} uses hostPort ${gateway.hostPorts.join(', ')} and rolls with maxSurge ${gateway.maxSurge}: the surge pod cannot bind the port and the rollout deadlocks.`, fix: `set updateStrategy.rollingUpdate maxSurge: 0 and maxUnavailable: 1 on ${gateway.object}` });
  }
  if (!loadBalancer || loadBalancer.targetType !== 'instance') return findings;
  if (service.externalTrafficPolicy !== 'Local') {
    findings.push({ rule: 'cluster-traffic-policy', category: 'traffic-policy', severity: 'error', objects, message: `${service.object} has externalTrafficPolicy Cluster: the load balancer's health check says nothing about the gateway pod a connection reaches, so a draining pod still receives connections through other nodes.`, fix: `set externalTrafficPolicy: Local on ${service.object}` });
  } else if (gateway.kind === 'Deployment' && !gateway.onePodPerNode) {
    findings.push({ rule: 'several-gateways-per-node', category: 'traffic-policy', severity: 'warning', objects, message: `${gateway.object} may put two gateway pods on one node; the node's health check then stays green while one of them drains, and kube-proxy keeps sending it new connections until its endpoint leaves.`, fix: `add required pod anti-affinity on kubernetes.io/hostname to ${gateway.object}` });
  }
  return findings;
}

/** security: Envoy admin stays on loopback; pods run as non-root; no host network unless asked. */
export function checkSecurity(workload: WorkloadModel, envoy?: EnvoyModel): Finding[] {
  const findings: Finding[] = [];
  if (envoy?.adminAddress !== undefined && !/^(127\.|::1$|localhost$)/.test(envoy.adminAddress)) {
    findings.push({ rule: 'admin-not-on-loopback', category: 'security', severity: 'error', objects: [envoy.object, workload.object], message: `Envoy admin listens on ${envoy.adminAddress}: anyone who reaches the pod can fail its health checks, drain it or shut it down.`, fix: 'bind the admin address to 127.0.0.1' });
  }
  if (workload.runsAsNonRoot === false || workload.runsAsNonRoot === undefined) {
    findings.push({ rule: 'runs-as-root', category: 'security', severity: 'warning', objects: [workload.object], message: `${workload.object} does not require a non-root user.`, fix: `set securityContext.runAsNonRoot: true and a runAsUser on ${workload.object}` });
  }
  if (workload.hostNetwork) {
    findings.push({ rule: 'host-network', category: 'security', severity: 'warning', objects: [workload.object], message: `${workload.object} uses the host network: its ports, admin included, are the node's.`, fix: 'use hostPort for the traffic ports instead of hostNetwork' });
  }
  return findings;
}

/** no-drain: a workload that takes traffic and has no preStop drops requests on every rollout. */
export function checkHasDrain(workload: WorkloadModel): Finding[] {
  if (workload.drain.mechanism === 'none') {
    return [{ rule: 'no-prestop', category: 'no-drain', severity: 'error', objects: [workload.object], message: `${workload.object} has no preStop hook: it stops serving the moment it is deleted, while load balancers and gateways still send it requests.`, fix: `add a preStop hook to ${workload.object} that keeps it serving until it is no longer chosen` }];
  }
  if (workload.drain.mechanism === 'unknown') {
    return [{ rule: 'unknown-drain', category: 'unknown', severity: 'warning', objects: [workload.object], message: `hitless cannot tell what the preStop hook of ${workload.object} does (${workload.drain.description}); its timing is not checked.`, fix: 'use a preStop of the forms hitless reads: sleep, or Envoy admin /healthcheck/fail followed by sleep' }];
  }
  if (!workload.readiness) {
    return [{ rule: 'no-readiness-probe', category: 'no-drain', severity: 'error', objects: [workload.object], message: `${workload.object} has no readiness probe: new pods take traffic before they can serve it.`, fix: `add a readiness probe to ${workload.object}` }];
  }
  return [];
}

/** Every invariant over one gateway. */
export function checkGateway(gateway: GatewayModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const findings: Finding[] = [...checkHasDrain(gateway.workload), ...checkGracePeriod(gateway.workload, marginSeconds), ...checkSecurity(gateway.workload, gateway.envoy)];
  const balanced = gateway.services.filter((service) => service.loadBalancer);
  for (const service of gateway.services) findings.push(...checkTrafficPolicy(gateway.workload, service));
  for (const service of balanced) {
    if (service.loadBalancer!.provider === 'gke') { findings.push(...checkGkeLoadBalancer(gateway, service.loadBalancer!, marginSeconds)); continue; }
    findings.push(...checkLoadBalancerDetection(gateway.workload, service.loadBalancer!, marginSeconds));
    findings.push(...checkHealthCheckTarget(gateway, service.loadBalancer!));
    findings.push(...checkKeepAlive(gateway.workload, service.loadBalancer!, marginSeconds));
    findings.push(...checkDeregistrationDelay(gateway.workload, service.loadBalancer!));
  }
  findings.push(...checkCapacity(gateway.workload, balanced[0]?.loadBalancer, undefined, marginSeconds));
  for (const route of gateway.envoy?.routes ?? []) findings.push(...checkRetries(gateway.envoy!.object, route));
  return findings;
}

/** The clusters of every gateway that send to one upstream's Services. */
export function clustersInFront(upstream: UpstreamModel, gateways: GatewayModel[]): { gateway: string; cluster: EnvoyClusterModel }[] {
  const services = new Set(upstream.services.map((service) => service.object));
  return gateways.flatMap((gateway) => (gateway.envoy?.clusters ?? [])
    .filter((cluster) => cluster.service !== undefined && services.has(cluster.service))
    .map((cluster) => ({ gateway: gateway.envoy!.object, cluster })));
}

/** Every invariant over one upstream, given the gateways in front of it. */
export function checkUpstream(upstream: UpstreamModel, gateways: GatewayModel[], marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const inFront = clustersInFront(upstream, gateways);
  const activeInterval = Math.max(0, ...inFront.map((each) => each.cluster.activeHealthCheck?.intervalSeconds ?? 0));
  const minReady = inFront.length > 0 ? requiredUpstreamMinReadySeconds(inFront.map((each) => each.cluster.discovery), activeInterval, marginSeconds) : undefined;
  return [
    ...checkHasDrain(upstream.workload),
    ...checkGracePeriod(upstream.workload, marginSeconds),
    ...checkUpstreamPropagation(upstream.workload, inFront, marginSeconds),
    ...checkCapacity(upstream.workload, undefined, minReady, marginSeconds),
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
