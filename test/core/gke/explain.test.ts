import * as fs from 'fs';
import * as path from 'path';
import { explainGatewayTermination } from '../../../lib/core/explain';
import { renderTimeline } from '../../../lib/core/render-timeline';
import { buildGkeLoadBalancer } from '../../../lib/core/gke/gke-load-balancer';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { readManifestText } from '../../../lib/read';

const BAD = fs.readFileSync(path.join(__dirname, '../../fixtures/gke/neg-no-drain.yaml'), 'utf8');

describe('explain behind a GKE load balancer', () => {
  test('tells the NEG detach and connection draining instead of the AWS mechanisms, every margin held', () => {
    const plan = new GatewayPlan({ name: 'gateway', namespace: 'edge' });
    const built = buildGkeLoadBalancer({}, plan);
    const timeline = built.explain();
    expect(timeline.loadBalancerSummary).toMatch(/^GKE Ingress with NEGs; .*NEG detach 40s \(assumed; negDetachLatency\); connection draining \d+s/);
    const stops = timeline.events.find((event) => event.kind === 'lb-stops-new-connections');
    expect(stops?.atSeconds).toBe(15);
    expect(stops?.why).toMatch(/health check has failed the endpoint \(15s\), before the NEG detach \(40s\)/);
    expect(timeline.events.find((event) => event.kind === 'unhealthy-connections-reset')?.atSeconds).toBe(40 + built.connectionDrainingSeconds);
    expect(timeline.margins.every((margin) => margin.ok)).toBe(true);
    expect(renderTimeline(timeline)).not.toMatch(/target_health_state|deregistration/);
  });

  test('for the bare NEG Service it shows the detach ending new requests after the pod is gone', () => {
    const gateway = readManifestText(BAD, 'neg-no-drain.yaml').topology.gateways[0];
    const timeline = explainGatewayTermination(gateway);
    expect(timeline.loadBalancerSummary).toMatch(/readiness-probe/);
    expect(timeline.events.find((event) => event.kind === 'lb-stops-new-connections')?.atSeconds).toBe(22);
    expect(timeline.events.find((event) => event.kind === 'exits')?.atSeconds).toBe(0);
  });
});
