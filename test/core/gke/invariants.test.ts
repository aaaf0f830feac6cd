import * as fs from 'fs';
import * as path from 'path';
import { checkManifestText } from '../../../lib/check/check';
import { buildGkeLoadBalancer } from '../../../lib/core/gke/gke-load-balancer';
import { checkGkeConnectionDraining, checkGkeKeepServing, gkeHealthCheckSeesDrain } from '../../../lib/core/gke/invariants';
import { gkeLoadBalancerModel } from '../../../lib/core/gke/model';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { GatewayModel } from '../../../lib/core/model';
import { checkGateway } from '../../../lib/core/timing/invariants';

const BAD = fs.readFileSync(path.join(__dirname, '../../fixtures/gke/neg-no-drain.yaml'), 'utf8');

function gatewayBehind(shape: 'ingress' | 'gateway' | 'l4' = 'ingress'): GatewayModel {
  const plan = new GatewayPlan({ name: 'gateway', namespace: 'edge' });
  buildGkeLoadBalancer({ shape }, plan);
  return plan.model();
}

function withDrain(gateway: GatewayModel, drain: Partial<GatewayModel['workload']['drain']>): GatewayModel {
  return { ...gateway, workload: { ...gateway.workload, drain: { ...gateway.workload.drain, ...drain } } };
}

const asGke = (lb: ReturnType<typeof gkeLoadBalancerModel>) => lb as typeof lb & { gke: NonNullable<typeof lb.gke> };

describe('check: a Service with NEGs, no BackendConfig and no preStop', () => {
  const report = checkManifestText(BAD, 'neg-no-drain.yaml');

  test('drops requests: the gateway exits before the NEG detach, mechanism named', () => {
    expect(report.verdict).toBe('drops-requests');
    const finding = report.findings.find((each) => each.rule === 'gke-stops-before-neg-detach');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toMatch(/mechanism: neg-detach/);
    // Health check from the probe: 2 × 10 s + 2 s = 22 s < 40 s detach; a pod that is gone fails it.
    expect(finding?.fix).toMatch(/at least 27s \(22s \+ 5s margin\)/);
  });

  test('no AWS rule speaks about this load balancer', () => {
    expect(report.findings.map((each) => each.rule)).not.toContain('unhealthy-target-connections-reset');
    expect(report.findings.map((each) => each.rule)).not.toContain('load-balancer-timing-assumed');
  });
});

describe('GKE rules over a constructed gateway', () => {
  test.each(['ingress', 'gateway', 'l4'] as const)('a gateway behind a GKE %s load balancer has no error', (shape) => {
    expect(checkGateway(gatewayBehind(shape)).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  test('connection draining 0 with requests in flight at the detach is an error', () => {
    const lb = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'ingress', healthCheck: { intervalSeconds: 15, timeoutSeconds: 15, healthyThreshold: 1, unhealthyThreshold: 2 } });
    const gateway = withDrain(gatewayBehind(), { keepServingSeconds: 45, drainSeconds: 15 });
    const findings = checkGkeConnectionDraining(gateway, asGke(lb));
    expect(findings.map((each) => [each.rule, each.severity])).toEqual([['gke-connection-draining-cuts-requests', 'error']]);
    expect(findings[0].fix).toMatch(/drainingTimeoutSec of the BackendConfig to at least 20/);
  });

  test('connection draining does not matter when the health check stops new requests before the detach', () => {
    const lb = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'ingress', healthCheckPath: gatewayBehind().envoy!.healthCheckPath, healthCheck: { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 } });
    expect(checkGkeConnectionDraining(withDrain(gatewayBehind(), { keepServingSeconds: 45, drainSeconds: 15 }), asGke(lb))).toEqual([]);
  });

  test('a health check on a path the gateway does not fail leaves only the detach: keep serving 45 s', () => {
    const lb = gkeLoadBalancerModel({ object: 'Service/edge/gateway', shape: 'ingress', healthCheckPath: '/', healthCheck: { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 } });
    const gateway = withDrain(gatewayBehind(), { keepServingSeconds: 20 });
    expect(gkeHealthCheckSeesDrain(gateway, lb)).toBe(false);
    expect(checkGkeKeepServing(gateway, asGke(lb))[0]?.fix).toMatch(/at least 45s \(40s \+ 5s margin\)/);
  });
});
