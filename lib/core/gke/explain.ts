import { describeHealthCheck } from '../describe-load-balancer';
import type { ExplainedTimeline, TimelineEvent, TimelineMargin } from '../explained-timeline';
import { formatSeconds as s } from '../finding';
import { GatewayModel, LoadBalancerModel } from '../model';
import { gkeNewRequestWindowSeconds, gkeWindowEndsBy, requestsInFlightAtDetach, requiredConnectionDrainingSeconds } from '../timing/gke';
import { DEFAULT_MARGIN_SECONDS, detectionWindowSeconds } from '../timing/windows';
import { gkeHealthCheckSeesDrain } from './invariants';
import { isGkeLoadBalancer } from './model';

const SHAPE_NAMES = { 'ingress': 'GKE Ingress with NEGs', 'gateway': 'GKE Gateway with NEGs', 'l4': 'GKE L4 passthrough load balancer (GCE_VM_IP NEGs)' } as const;

/**
 * The termination timeline told for a GKE load balancer: the general account (explain.ts) with
 * GKE's mechanisms in place of the AWS ones: the NEG detach and connection draining instead of
 * deregistration and unhealthy-target resets. Other load balancers pass through unchanged.
 */
export function explainGkeTermination(timeline: ExplainedTimeline, gateway: GatewayModel, loadBalancer: LoadBalancerModel, marginSeconds = DEFAULT_MARGIN_SECONDS): ExplainedTimeline {
  if (!isGkeLoadBalancer(loadBalancer)) return timeline;
  const gke = loadBalancer.gke;
  const seesDrain = gkeHealthCheckSeesDrain(gateway, loadBalancer);
  const window = gkeNewRequestWindowSeconds(loadBalancer, seesDrain);
  const detection = detectionWindowSeconds(loadBalancer.healthCheck);
  const drain = gateway.workload.drain;
  const preStop = drain.keepServingSeconds + drain.drainSeconds;
  const events: TimelineEvent[] = [];
  for (const event of timeline.events) {
    if (event.kind === 'unhealthy-connections-reset') continue;
    if (event.kind === 'lb-stops-new-connections') {
      events.push({
        ...event,
        atSeconds: window,
        what: 'the load balancer sends no more new requests',
        why: gke.shape === 'l4'
          ? (gke.externalTrafficPolicy === 'Cluster' ? 'kube-proxy on every node stops choosing the terminating endpoint' : `the node health check on healthCheckNodePort has failed (${s(detection)})`)
          : gkeWindowEndsBy(loadBalancer, seesDrain) === 'neg-detach'
            ? `the NEG detach has taken effect (${s(gke.negDetachSeconds)}, negDetachLatency)${seesDrain ? `, before the health check (${s(detection)})` : '; the health check does not see the drain'}`
            : `the health check has failed the endpoint (${s(detection)}), before the NEG detach (${s(gke.negDetachSeconds)})`,
      });
      continue;
    }
    events.push(event);
  }
  if (gke.shape !== 'l4') {
    events.push({
      kind: 'unhealthy-connections-reset',
      atSeconds: gke.negDetachSeconds + gke.connectionDrainingSeconds,
      what: 'connection draining ends: the load balancer cuts what is still open on the detached endpoint',
      why: `NEG detach at ${s(gke.negDetachSeconds)} + connection draining ${s(gke.connectionDrainingSeconds)}`,
    });
  }
  events.sort((a, b) => a.atSeconds - b.atSeconds);
  const margins: TimelineMargin[] = timeline.margins.filter((margin) => !margin.name.startsWith('open connections live'));
  if (gke.shape !== 'l4' && requestsInFlightAtDetach(loadBalancer, preStop, seesDrain)) {
    const required = requiredConnectionDrainingSeconds(drain.drainSeconds, marginSeconds);
    margins.push({
      name: `connection draining covers the drain (${s(gke.connectionDrainingSeconds)} − ${s(drain.drainSeconds)})`,
      seconds: gke.connectionDrainingSeconds - drain.drainSeconds,
      requiredSeconds: required - drain.drainSeconds,
      ok: gke.connectionDrainingSeconds >= required,
      consequence: 'requests in flight at the NEG detach are cut when connection draining ends',
    });
  }
  return {
    ...timeline,
    loadBalancerSummary: `${SHAPE_NAMES[gke.shape]}; ${describeHealthCheck(loadBalancer)} (${gke.healthCheckSource})${gke.shape === 'l4' ? '' : `; NEG detach ${s(gke.negDetachSeconds)} (assumed; negDetachLatency); connection draining ${s(gke.connectionDrainingSeconds)}`}`,
    events,
    margins,
  };
}
