import * as fs from 'fs';
import * as path from 'path';
import { readManifestText } from '../../lib/read';
import { GKE_KNOBS, GKE_PAIRS, knobFits, negService } from '../../scripts/agree/gke';
import { applySettings, Base, generateVariants, KNOBS, loadBalancerService, parseManifests } from '../../scripts/agree/variants';

// A GKE base made from the NEG fixture: a BackendConfig (5 s checks on Envoy's health-check path,
// connection draining 30 s) and a preStop that keeps serving; the synthesized example is played by
// `npm run agree` (scripts/agree/bases.ts).
const negFixture = fs.readFileSync(path.join(__dirname, '../fixtures/gke/neg-no-drain.yaml'), 'utf8');
const objects = parseManifests(negFixture);
negService(objects)!.metadata.annotations['cloud.google.com/backend-config'] = '{"default":"envoy"}';
const container = objects.find((object) => object.kind === 'Deployment')!.spec.template.spec.containers[0];
container.lifecycle = { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 45'] } } };
objects.push({
  apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'envoy', namespace: 'edge' },
  spec: { healthCheck: { checkIntervalSec: 5, timeoutSec: 5, healthyThreshold: 2, unhealthyThreshold: 2, type: 'HTTP', requestPath: '/envoy-hc' }, connectionDraining: { drainingTimeoutSec: 30 } },
});
const gke: Base = { name: 'gke', description: 'NEG fixture with a BackendConfig', text: objects.map((object) => JSON.stringify(object)).join('\n---\n') };
const variants = generateVariants([gke]);

function loadBalancerOf(knob: string, value: string) {
  const variant = applySettings(gke, [{ knob, value }]);
  if (!variant) throw new Error(`${knob}=${value} does not apply`);
  return readManifestText(variant.text, variant.id).topology.gateways[0].services[0].loadBalancer!;
}

test('every GKE knob and pair turns something on a GKE base', () => {
  const turned = new Set(variants.flatMap((variant) => variant.settings.map((setting) => setting.knob)));
  expect(GKE_KNOBS.filter((knob) => !turned.has(knob.id)).map((knob) => knob.id)).toEqual([]);
  for (const [first, second] of GKE_PAIRS) {
    expect(variants.some((variant) => variant.id === `gke/${first[0].knob}=${first[0].value}+${second[0].knob}=${second[0].value}`)).toBe(true);
  }
});

test('behind NEGs only the GKE knobs and the gateway timings turn; the AWS load-balancer knobs never do', () => {
  const knobs = new Set(variants.flatMap((variant) => variant.settings.map((setting) => setting.knob)));
  expect([...knobs].filter((knob) => !GKE_KNOBS.some((each) => each.id === knob)).sort()).toEqual(['gateway-grace', 'gateway-keep-serving', 'gateway-min-ready', 'gateway-replicas']);
  expect(knobFits('nlb-interval', objects)).toBe(false);
  expect(knobFits('neg-connection-draining', objects)).toBe(true);
  expect(knobFits('neg-connection-draining', [])).toBe(false);
  expect(knobFits('nlb-interval', [])).toBe(true);
  expect(KNOBS.filter((knob) => GKE_KNOBS.includes(knob as never))).toHaveLength(GKE_KNOBS.length);
});

test('the NEG Service counts as the load-balanced Service', () => {
  expect(loadBalancerService(objects)?.metadata.name).toBe('envoy');
});

test('the GKE knobs change what the reader reads', () => {
  expect(loadBalancerOf('neg-connection-draining', '0').gke?.connectionDrainingSeconds).toBe(0);
  expect(loadBalancerOf('neg-connection-draining', '60').gke?.connectionDrainingSeconds).toBe(60);
  expect(loadBalancerOf('neg-health-check-interval', '2').healthCheck).toMatchObject({ intervalSeconds: 2, timeoutSeconds: 2 });
  expect(loadBalancerOf('neg-unhealthy-threshold', '5').healthCheck.unhealthyThreshold).toBe(5);
  expect(loadBalancerOf('neg-healthy-threshold', '5').healthCheck.healthyThreshold).toBe(5);
  expect(loadBalancerOf('neg-health-check-path', '/').healthCheckPath).toBe('/');
  // No BackendConfig: the Ingress defaults (interval and timeout from the httpGet readiness probe, 1 / 2; draining 0).
  const defaults = loadBalancerOf('neg-backend-config', 'none');
  expect(defaults.gke?.connectionDrainingSeconds).toBe(0);
  expect(defaults.healthCheck).toMatchObject({ healthyThreshold: 1, unhealthyThreshold: 2 });
  const bare = applySettings(gke, [{ knob: 'gateway-prestop', value: 'none' }])!;
  expect(readManifestText(bare.text, bare.id).topology.gateways[0].workload.drain.mechanism).toBe('none');
});
