import * as path from 'path';
import { Duration } from '../../../lib/core/duration';
import { GkeLimitError } from '../../../lib/core/gke/defaults';
import { buildGkeLoadBalancer, GkeLoadBalancerOptions } from '../../../lib/core/gke/gke-load-balancer';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { checkGateway } from '../../../lib/core/timing/invariants';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { validateCustomResource } from '../../support/crd-schema';
import { expectValidKubernetesObjects } from '../../support/k8s-schema';

const GKE_CRDS = path.resolve(__dirname, '../../fixtures/crds/gke');

function build(options: GkeLoadBalancerOptions = {}, gateway = new GatewayPlan({ name: 'gateway', namespace: 'edge' })) {
  const built = buildGkeLoadBalancer(options, gateway);
  return { built, gateway };
}

function validate(objects: readonly { apiVersion: string; kind: string }[]): void {
  const custom = objects.filter((object) => !['networking.k8s.io/v1', 'v1', 'apps/v1', 'policy/v1'].includes(object.apiVersion));
  for (const object of custom) expect(validateCustomResource(object, GKE_CRDS)).toEqual([]);
  const builtIn = objects.filter((object) => !custom.includes(object));
  if (builtIn.length > 0) expectValidKubernetesObjects(builtIn);
}

describe('buildGkeLoadBalancer, Ingress with NEGs and a BackendConfig (the default shape)', () => {
  test("keeps the gateway serving until the health check has failed it, sooner than the NEG detach, plus margin", () => {
    const { built, gateway } = build();
    // 5 s × 2 + 5 s = 15 s < 40 s detach: the health check ends new requests.
    expect(built.budget.keepServingSeconds).toBe(15 + built.budget.marginSeconds);
    expect(gateway.budget).toBe(built.budget);
    expect(built.model.gke?.negDetachSeconds).toBe(40);
  });

  test('keeps serving until the NEG detach when the health check is slower than the detach', () => {
    const { built } = build({ healthCheckInterval: Duration.seconds(30), healthCheckTimeout: Duration.seconds(10), negDetachLatency: Duration.seconds(20) });
    expect(built.budget.keepServingSeconds).toBe(20 + built.budget.marginSeconds);
  });

  test("sets connection draining to the gateway's drain plus margin, in the BackendConfig", () => {
    const { built } = build();
    expect(built.connectionDrainingSeconds).toBe(Math.ceil(built.budget.drainTimeoutSeconds + built.budget.marginSeconds));
    const config = built.objects.find((object) => object.kind === 'BackendConfig') as any;
    expect(config.spec.connectionDraining.drainingTimeoutSec).toBe(built.connectionDrainingSeconds);
    expect(config.spec.healthCheck).toMatchObject({ requestPath: gateway().healthCheckPath, checkIntervalSec: 5, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 2 });
  });

  test("annotates the gateway's Service for NEGs and the BackendConfig, and emits a Service of type NodePort", () => {
    const { built, gateway: plan } = build();
    expect(built.serviceAnnotations).toEqual({ 'cloud.google.com/neg': '{"ingress":true}', 'cloud.google.com/backend-config': '{"default":"gateway"}' });
    const service = plan.objects().service as any;
    expect(service.metadata.annotations['cloud.google.com/neg']).toBe('{"ingress":true}');
    expect(service.spec.type).toBe('NodePort');
  });

  test('emits objects valid against the BackendConfig CRD and the Kubernetes schema', () => {
    const { built, gateway: plan } = build();
    expect(built.objects.map((object) => object.kind)).toEqual(['BackendConfig', 'Ingress']);
    validate([...built.objects, ...plan.objects().all]);
  });

  test('the gateway behind it checks clean', () => {
    const { gateway: plan } = build();
    expect(checkGateway(plan.model()).filter((finding) => finding.severity === 'error')).toEqual([]);
  });

  test('refuses connection draining shorter than the drain, naming prop, value and bound', () => {
    expect(() => build({ connectionDrainingTimeout: Duration.seconds(3) })).toThrow(BudgetError);
    const drain = gateway().budget.drainTimeoutSeconds;
    expect(() => build({ connectionDrainingTimeout: Duration.seconds(3) })).toThrow(`'connectionDrainingTimeout' (3s) must be at least the gateway's drain plus margin (${drain + 5}s)`);
  });

  test('refuses values out of the Compute Engine ranges, naming prop, value and bound', () => {
    expect(() => build({ healthCheckInterval: Duration.seconds(301) })).toThrow("'healthCheckInterval' (301s) must be within 1s–300s");
    expect(() => build({ unhealthyThreshold: 11 })).toThrow("'unhealthyThreshold' (11) must be within 1–10");
    expect(() => build({ healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(6) })).toThrow(GkeLimitError);
    expect(() => build({ connectionDrainingTimeout: Duration.seconds(3601) })).toThrow("'connectionDrainingTimeout' (3601s) must be within 0s–3600s");
    expect(() => build({ negDetachLatency: Duration.millis(1500) })).toThrow(/'negDetachLatency' \(1.5s\) must be a whole number/);
  });

  test("refuses a keepServing override shorter than the new-request window, naming the gateway's prop", () => {
    // Health check 2 × 30 s + 10 s = 70 s, detach 60 s: new requests until 60 s, so a keepServing
    // under 60 s drops them (refused); 60–65 s is within the margin (derived: 65 s).
    const plan = new GatewayPlan({ name: 'gateway', namespace: 'edge', keepServing: Duration.seconds(40) } as any);
    expect(() => build({ healthCheckInterval: Duration.seconds(30), healthCheckTimeout: Duration.seconds(10), negDetachLatency: Duration.seconds(60) }, plan)).toThrow("'keepServing' (40s) must be at least the NEG detach latency (60s): the GKE Ingress (Service/edge/gateway) sends the pod new requests through its NEG until the detach of its endpoint has propagated, 60s after the pod starts terminating, and its health check (2 × 30s + 10s timeout = 70s) fails it no sooner; the derived value adds 5s margin");
  });
});

describe('buildGkeLoadBalancer, GKE Gateway with HealthCheckPolicy and GCPBackendPolicy', () => {
  test('emits a Gateway, an HTTPRoute and both policies on the Service, valid against their CRDs', () => {
    const { built, gateway: plan } = build({ shape: 'gateway' });
    expect(built.objects.map((object) => object.kind)).toEqual(['Gateway', 'HTTPRoute', 'HealthCheckPolicy', 'GCPBackendPolicy']);
    const policy = built.objects.find((object) => object.kind === 'HealthCheckPolicy') as any;
    expect(policy.spec.targetRef).toEqual({ group: '', kind: 'Service', name: 'gateway' });
    expect(policy.spec.default.config.httpHealthCheck.requestPath).toBe(plan.healthCheckPath);
    expect(built.serviceAnnotations).toEqual({});
    validate([...built.objects, ...plan.objects().all]);
  });

  test('names the policies in the model', () => {
    const { built } = build({ shape: 'gateway' });
    expect(built.model.gke?.configuredBy).toEqual(['HealthCheckPolicy/edge/gateway', 'GCPBackendPolicy/edge/gateway']);
  });

  test('refuses an Ingress class on a Gateway', () => {
    expect(() => build({ shape: 'gateway', ingressClass: 'gce' })).toThrow("'ingressClass' (gce) must be used with shape 'ingress' only");
  });
});

describe('buildGkeLoadBalancer, L4 passthrough LoadBalancer Service', () => {
  test("solves against GKE's node health check (3 s / 1 s / 1 / 2 on healthCheckNodePort)", () => {
    const { built, gateway: plan } = build({ shape: 'l4' });
    expect(built.model.healthCheck).toEqual({ intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 });
    expect(built.model.healthCheckPort).toBe('healthCheckNodePort');
    expect(built.budget.keepServingSeconds).toBe(7 + built.budget.marginSeconds);
    expect(built.objects).toEqual([]);
    const service = plan.objects().service as any;
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.metadata.annotations).toEqual({ 'cloud.google.com/l4-rbs': 'enabled' });
    validate(plan.objects().all);
  });

  test('refuses health-check, detach and draining overrides GKE does not take', () => {
    expect(() => build({ shape: 'l4', healthCheckInterval: Duration.seconds(5) })).toThrow("'healthCheckInterval' (set) must be left unset with shape 'l4'");
    expect(() => build({ shape: 'l4', negDetachLatency: Duration.seconds(5) })).toThrow("'negDetachLatency' (5s) must be left unset with shape 'l4'");
  });

  test('an internal one is annotated as such', () => {
    expect(build({ shape: 'l4', internal: true }).built.serviceAnnotations).toEqual({ 'networking.gke.io/load-balancer-type': 'Internal' });
  });
});

function gateway(): GatewayPlan {
  return new GatewayPlan({ name: 'gateway', namespace: 'edge' });
}
