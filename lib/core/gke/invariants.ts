import { Finding, formatSeconds as s } from '../finding';
import { GatewayModel, LoadBalancerModel } from '../model';
import {
  gkeNewRequestWindowSeconds, gkeWindowEndsBy, requestsInFlightAtDetach, requiredConnectionDrainingSeconds, requiredGkeKeepServingSeconds,
} from '../timing/gke';
import { DEFAULT_MARGIN_SECONDS, detectionWindowSeconds } from '../timing/windows';
import { GkeLoadBalancerModel, isGkeLoadBalancer } from './model';

/**
 * The checker's rules for a gateway behind a GKE load balancer. They replace the AWS rules of
 * lb-detection and keepalive (GKE stops sending on the NEG detach, not only on a failing health
 * check, and cuts connections when connection draining ends, not when a target turns unhealthy),
 * over the same bounds the constructs solve with (lib/core/timing/gke.ts).
 */

/**
 * Whether the load balancer's health check sees the gateway stop: it checks the path the gateway
 * fails when it drains, or the pod is simply gone (no preStop: Envoy exits on SIGTERM, and the
 * check times out). kube-proxy's healthCheckNodePort (l4, eTP Local) turns at once.
 */
export function gkeHealthCheckSeesDrain(gateway: GatewayModel, loadBalancer: LoadBalancerModel): boolean {
  if (loadBalancer.healthCheckPort === 'healthCheckNodePort') return true;
  const drain = gateway.workload.drain;
  if (drain.mechanism === 'none') return true;
  if (loadBalancer.healthCheckProtocol === 'TCP' || !drain.failsHealthCheck) return false;
  const envoyPath = gateway.envoy?.healthCheckPath;
  return envoyPath === undefined || loadBalancer.healthCheckPath === undefined || loadBalancer.healthCheckPath.split('?')[0] === envoyPath;
}

function describeHealthCheck(loadBalancer: GkeLoadBalancerModel): string {
  const hc = loadBalancer.healthCheck;
  const source = { 'controller-default': "the controller's default", 'readiness-probe': 'copied from the readiness probe', 'backend-config': 'from the BackendConfig', 'health-check-policy': 'from the HealthCheckPolicy' }[loadBalancer.gke.healthCheckSource];
  return `${hc.unhealthyThreshold} × ${s(hc.intervalSeconds)} + ${s(hc.timeoutSeconds)} timeout = ${s(detectionWindowSeconds(hc))}, ${source}`;
}

/**
 * lb-detection on GKE: the gateway keeps serving new requests until the NEG detach has taken
 * effect, or the health check has marked it unhealthy if that comes first (mechanism `neg-detach`);
 * l4: until the node health check has turned.
 */
export function checkGkeKeepServing(gateway: GatewayModel, loadBalancer: GkeLoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const workload = gateway.workload;
  if (workload.drain.mechanism === 'unknown') return [];
  const seesDrain = gkeHealthCheckSeesDrain(gateway, loadBalancer);
  const window = gkeNewRequestWindowSeconds(loadBalancer, seesDrain);
  const required = requiredGkeKeepServingSeconds(loadBalancer, seesDrain, marginSeconds);
  if (workload.drain.keepServingSeconds >= required) return [];
  const gke = loadBalancer.gke;
  const why = gke.shape === 'l4'
    ? `the L4 load balancer stops sending to the node only once its health check (${describeHealthCheck(loadBalancer)}) has turned`
    : `the NEG controller detaches the pod's endpoint as soon as it is terminating, and the detach reaches the load balancer only after about ${s(gke.negDetachSeconds)} (negDetachLatency), and ${seesDrain ? `the health check (${describeHealthCheck(loadBalancer)}) marks it unhealthy no sooner than ${s(detectionWindowSeconds(loadBalancer.healthCheck))}` : 'the health check does not see the drain (it checks a path the gateway does not fail)'}; ${gkeWindowEndsBy(loadBalancer, seesDrain) === 'neg-detach' ? 'the detach' : 'the health check'} ends new requests at ${s(window)}`;
  return [{
    rule: gke.shape === 'l4' ? 'gke-stops-before-l4-health-check' : 'gke-stops-before-neg-detach',
    category: 'lb-detection',
    severity: 'error',
    mechanism: gke.shape === 'l4' ? 'l4-node-health-check' : 'neg-detach',
    objects: [workload.object, loadBalancer.object, ...gke.configuredBy],
    message: `${workload.object} keeps serving for ${s(workload.drain.keepServingSeconds)} after it is deleted, but ${why}: requests sent to it in between fail (mechanism: ${gke.shape === 'l4' ? 'l4-node-health-check' : 'neg-detach'}).`,
    fix: `make the preStop of ${workload.object} keep it serving for at least ${s(required)} (${s(window)} + ${s(marginSeconds)} margin)${gke.shape === 'l4' ? '' : ", failing the load balancer's health-check path first so that the health check can end it sooner"}`,
  }];
}

/**
 * keepalive on GKE: requests still in flight when the NEG detach takes effect are cut when
 * connection draining ends, at once by default (mechanism `neg-detach-connection-draining`).
 */
export function checkGkeConnectionDraining(gateway: GatewayModel, loadBalancer: GkeLoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  const workload = gateway.workload;
  if (workload.drain.mechanism === 'unknown' || workload.drain.mechanism === 'none' || loadBalancer.gke.shape === 'l4') return [];
  const preStop = workload.drain.keepServingSeconds + workload.drain.drainSeconds;
  const seesDrain = gkeHealthCheckSeesDrain(gateway, loadBalancer);
  if (!requestsInFlightAtDetach(loadBalancer, preStop, seesDrain)) return [];
  const draining = loadBalancer.gke.connectionDrainingSeconds;
  const required = requiredConnectionDrainingSeconds(workload.drain.drainSeconds, marginSeconds);
  if (draining >= required) return [];
  const where = loadBalancer.gke.shape === 'ingress' ? 'spec.connectionDraining.drainingTimeoutSec of the BackendConfig' : 'spec.default.connectionDraining.drainingTimeoutSec of the GCPBackendPolicy';
  return [{
    rule: 'gke-connection-draining-cuts-requests',
    category: 'keepalive',
    severity: draining === 0 ? 'error' : 'warning',
    ...(draining === 0 ? { mechanism: 'neg-detach-connection-draining' } : {}),
    objects: [workload.object, loadBalancer.object, ...loadBalancer.gke.configuredBy],
    message: draining === 0
      ? `${workload.object} is still serving when its NEG endpoint is detached (${s(loadBalancer.gke.negDetachSeconds)}), and connection draining is 0: the load balancer cuts the requests in flight on it at that moment (mechanism: neg-detach-connection-draining).`
      : `connection draining (${s(draining)}) is shorter than the drain of ${workload.object} (${s(workload.drain.drainSeconds)}) plus margin: requests in flight at the NEG detach that take longer are cut (mechanism: neg-detach-connection-draining).`,
    fix: `set ${where} to at least ${required}`,
  }];
}

/** Every GKE rule over one gateway and one GKE load balancer; nothing for another load balancer. */
export function checkGkeLoadBalancer(gateway: GatewayModel, loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): Finding[] {
  if (!isGkeLoadBalancer(loadBalancer)) return [];
  return [...checkGkeKeepServing(gateway, loadBalancer, marginSeconds), ...checkGkeConnectionDraining(gateway, loadBalancer, marginSeconds)];
}
