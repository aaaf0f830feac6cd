import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { GkeLoadBalancer } from '../../lib/cdk8s/gke-load-balancer';
import { HitlessGateway } from '../../lib/cdk8s/hitless-gateway';
import { checkReadResult } from '../../lib/check/check';
import { GkeLimitError } from '../../lib/core/gke/defaults';
import { readManifestObjects } from '../../lib/read';
import { validateCustomResource } from '../support/crd-schema';
import { validateKubernetesObject } from '../support/k8s-schema';

const GKE_CRDS = path.resolve(__dirname, '../fixtures/crds/gke');
const CUSTOM_GROUPS = ['cloud.google.com', 'networking.gke.io', 'gateway.networking.k8s.io'];

function synth(shape: 'ingress' | 'gateway' | 'l4', extra: Partial<ConstructorParameters<typeof GkeLoadBalancer>[2]> = {}) {
  const chart = Testing.chart();
  const gateway = new HitlessGateway(chart, 'gateway', { name: 'edge', namespace: 'edge' });
  const lb = new GkeLoadBalancer(chart, 'gke', { gateway, shape, ...extra });
  return { lb, gateway, manifests: Testing.synth(chart) };
}

function problems(manifests: any[]): string[] {
  return manifests.flatMap((object) => {
    const custom = CUSTOM_GROUPS.includes(String(object.apiVersion).split('/')[0]);
    return (custom ? validateCustomResource(object, GKE_CRDS) : validateKubernetesObject(object)).map((problem) => `${object.kind}/${object.metadata.name}: ${problem}`);
  });
}

describe('GkeLoadBalancer (cdk8s)', () => {
  test.each(['ingress', 'gateway', 'l4'] as const)('%s: the checker reads back the model the construct solved against', (shape) => {
    const { lb, manifests } = synth(shape);
    expect(readManifestObjects(manifests).topology.gateways[0].services[0].loadBalancer).toEqual(lb.model);
  });

  test.each(['ingress', 'gateway', 'l4'] as const)('%s: every object is valid against its schema or CRD, and hitless check finds nothing to report', (shape) => {
    const { manifests } = synth(shape);
    expect(problems(manifests)).toEqual([]);
    const report = checkReadResult(readManifestObjects(manifests));
    expect(report.findings.filter((finding) => finding.severity === 'error' || finding.category === 'unknown')).toEqual([]);
    expect(report.verdict).toBe('hitless');
  });

  test("ingress: the BackendConfig checks the gateway's health-check path, and the checker reads back the construct's model", () => {
    const { lb, gateway, manifests } = synth('ingress');
    const config = manifests.find((object) => object.kind === 'BackendConfig');
    expect(config.spec.healthCheck.requestPath).toBe(gateway.healthCheckPath);
    expect(config.spec.connectionDraining.drainingTimeoutSec).toBe(lb.connectionDrainingSeconds);
    const read = readManifestObjects(manifests).topology.gateways[0].services[0].loadBalancer;
    expect(read).toEqual(lb.model);
  });

  test("the gateway's workload carries the solved timings: keep serving past the health check, minReadySeconds past the recovery window", () => {
    const { lb, manifests } = synth('gateway');
    const deployment = manifests.find((object) => object.kind === 'Deployment');
    expect(deployment.spec.minReadySeconds).toBe(Math.ceil(lb.budget.minReadySeconds));
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(lb.budget.terminationGracePeriodSeconds);
    expect(lb.budget.keepServingSeconds).toBe(15 + lb.budget.marginSeconds);
  });

  test('refuses a bad override naming the prop, the value and the bound', () => {
    expect(() => synth('ingress', { healthCheckTimeout: Duration.seconds(400) })).toThrow(GkeLimitError);
    expect(() => synth('ingress', { healthCheckTimeout: Duration.seconds(400) })).toThrow("'healthCheckTimeout' (400s) must be within 1s–300s");
    expect(() => synth('gateway', { connectionDrainingTimeout: Duration.seconds(1) })).toThrow(/'connectionDrainingTimeout' \(1s\) must be at least the gateway's drain plus margin/);
  });

  test('explains the termination against the GKE load balancer', () => {
    const { lb } = synth('ingress');
    expect(lb.explainText()).toContain('Deployment/edge/edge');
    expect(lb.explain().margins.every((margin) => margin.ok)).toBe(true);
  });
});
