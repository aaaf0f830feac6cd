import * as fs from 'fs';
import * as path from 'path';
import { readManifestText } from '../../lib/read';
import {
  applySettings, Base, baseVariant, everyNth, filterVariants, gatewayWorkload, generateVariants, KNOBS, knobOf, PAIRS, parseManifests, sampleVariants, upstreamWorkloads,
} from '../../scripts/agree/variants';
import { GKE_KNOBS, GKE_PAIRS } from '../../scripts/agree/gke';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

// The two fixture bases; the cdk8s example (synthesized) is covered by test/agree/agree.test.ts.
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/check', name), 'utf8');
const edge: Base = { name: 'edge', description: 'careful Envoy edge', text: fixture('careful-envoy.yaml') };
const gloo: Base = { name: 'gloo-guide', description: "Gloo guide's settings", text: fixture('gloo-edge.yaml') };
const variants = generateVariants([edge, gloo]);
// The GKE knobs turn only behind NEGs: test/agree/gke.test.ts covers them.
const AWS_KNOBS = KNOBS.filter((knob) => !GKE_KNOBS.includes(knob));
const AWS_PAIRS = PAIRS.filter((pair) => !GKE_PAIRS.includes(pair));

function topologyOf(base: Base, knob: string, value: string) {
  const variant = applySettings(base, [{ knob, value }]);
  if (!variant) throw new Error(`${knob}=${value} does not apply to ${base.name}`);
  return readManifestText(variant.text, variant.id).topology;
}

test('generation is deterministic: the same ids and texts every time', () => {
  const again = generateVariants([edge, gloo]);
  expect(again.map((variant) => variant.id)).toEqual(variants.map((variant) => variant.id));
  expect(again.map((variant) => variant.text)).toEqual(variants.map((variant) => variant.text));
});

test('variant ids are unique and name the base and every setting', () => {
  expect(new Set(variants.map((variant) => variant.id)).size).toBe(variants.length);
  for (const variant of variants) {
    expect(variant.id.startsWith(`${variant.base}/`)).toBe(true);
    for (const setting of variant.settings) expect(variant.id).toContain(`${setting.knob}=${setting.value}`);
  }
});

test('each base starts its variants, unchanged, and pairs change two knobs', () => {
  expect(variants[0]).toEqual(baseVariant(edge));
  expect(variants.filter((variant) => variant.settings.length === 0).map((variant) => variant.id)).toEqual(['edge/base', 'gloo-guide/base']);
  expect(variants.some((variant) => variant.settings.length === 2)).toBe(true);
  expect(variants.every((variant) => variant.settings.length <= 2)).toBe(true);
});

test('a knob at the value the base already has gives no variant', () => {
  expect(applySettings(edge, [{ knob: 'external-traffic-policy', value: 'Local' }])).toBeUndefined();
  expect(applySettings(edge, [{ knob: 'gateway-keep-serving', value: '35' }])).toBeUndefined();
});

test('a knob with nothing to change in the base gives no variant', () => {
  // The Gloo guide's routes are Gloo CRs and its discovery is EDS: no STRICT_DNS cluster to tune.
  expect(applySettings(gloo, [{ knob: 'dns-refresh', value: '1s' }])).toBeUndefined();
  expect(applySettings(edge, [{ knob: 'gateway-anti-affinity', value: 'none' }])).toBeDefined();
  expect(applySettings(gloo, [{ knob: 'gateway-anti-affinity', value: 'none' }])).toBeUndefined();
});

test('every pair spec names known knobs and gives variants on a fixture base', () => {
  for (const [first, second] of AWS_PAIRS) {
    for (const setting of [...first, ...second]) expect(() => knobOf(setting.knob)).not.toThrow();
    const id = `${first[0].knob}=${first[0].value}+${second[0].knob}=${second[0].value}`;
    expect(variants.some((variant) => variant.id.endsWith(`/${id}`))).toBe(true);
  }
  expect(() => knobOf('no-such-knob')).toThrow(/no knob 'no-such-knob'/);
});

test.each([
  ['gateway-keep-serving', '20', (t: any) => t.gateways[0].workload.drain.keepServingSeconds, 20],
  ['gateway-grace', '90', (t: any) => t.gateways[0].workload.terminationGracePeriodSeconds, 90],
  ['nlb-interval', '30', (t: any) => t.gateways[0].services[0].loadBalancer.healthCheck.intervalSeconds, 30],
  ['nlb-timeout', '2', (t: any) => t.gateways[0].services[0].loadBalancer.healthCheck.timeoutSeconds, 2],
  ['nlb-unhealthy-threshold', '5', (t: any) => t.gateways[0].services[0].loadBalancer.healthCheck.unhealthyThreshold, 5],
  ['nlb-healthy-threshold', '10', (t: any) => t.gateways[0].services[0].loadBalancer.healthCheck.healthyThreshold, 10],
  ['nlb-health-check', 'node-port-healthz', (t: any) => t.gateways[0].services[0].loadBalancer.healthCheckPath, '/healthz'],
  ['nlb-target-type', 'ip', (t: any) => t.gateways[0].services[0].loadBalancer.targetType, 'ip'],
  ['deregistration-delay', '10', (t: any) => t.gateways[0].services[0].loadBalancer.deregistrationDelaySeconds, 10],
  ['unhealthy-termination', 'true', (t: any) => t.gateways[0].services[0].loadBalancer.unhealthyConnectionTermination, true],
  ['unhealthy-draining', '120', (t: any) => t.gateways[0].services[0].loadBalancer.unhealthyDrainingIntervalSeconds, 120],
  ['external-traffic-policy', 'Cluster', (t: any) => t.gateways[0].services[0].externalTrafficPolicy, 'Cluster'],
  ['gateway-min-ready', '5', (t: any) => t.gateways[0].workload.minReadySeconds, 5],
  ['gateway-strategy', '0/1', (t: any) => [t.gateways[0].workload.maxSurge, t.gateways[0].workload.maxUnavailable], [0, 1]],
  ['gateway-replicas', '6', (t: any) => t.gateways[0].workload.replicas, 6],
  ['gateway-kind', 'daemonset-hostport', (t: any) => [t.gateways[0].workload.kind, t.gateways[0].workload.hostPorts], ['DaemonSet', [8080]]],
  ['gateway-anti-affinity', 'none', (t: any) => t.gateways[0].workload.onePodPerNode, false],
  ['gateway-readiness', 'http-health-check', (t: any) => t.gateways[0].workload.readiness.kind, 'http'],
  ['gateway-readiness-timing', '10x3', (t: any) => [t.gateways[0].workload.readiness.periodSeconds, t.gateways[0].workload.readiness.failureThreshold], [10, 3]],
  ['gateway-admin', '0.0.0.0', (t: any) => t.gateways[0].envoy.adminAddress, '0.0.0.0'],
  ['retry-on', 'reset', (t: any) => t.gateways[0].envoy.routes[0].retryOn, ['reset']],
  ['retry-host-predicate', 'none', (t: any) => t.gateways[0].envoy.routes[0].previousHosts, false],
  ['dns-refresh', '30s', (t: any) => t.gateways[0].envoy.clusters[0].discovery.dnsRefreshSeconds, 30],
  ['ignore-health-on-host-removal', 'false', (t: any) => t.gateways[0].envoy.clusters[0].ignoreHealthOnHostRemoval, false],
  ['active-health-checks', 'none', (t: any) => t.gateways[0].envoy.clusters[0].activeHealthCheck, undefined],
  ['upstream-prestop', '15', (t: any) => t.upstreams[0].workload.drain.keepServingSeconds, 15],
  ['upstream-grace', '120', (t: any) => t.upstreams[0].workload.terminationGracePeriodSeconds, 120],
  ['app-drain', '30', (t: any) => t.upstreams[0].workload.appDrainSeconds, 30],
  ['upstream-min-ready', '5', (t: any) => t.upstreams[0].workload.minReadySeconds, 5],
  ['upstream-strategy', '0/1', (t: any) => [t.upstreams[0].workload.maxSurge, t.upstreams[0].workload.maxUnavailable], [0, 1]],
  ['upstream-replicas', '5', (t: any) => t.upstreams[0].workload.replicas, 5],
  ['upstream-readiness', 'none', (t: any) => t.upstreams[0].workload.readiness, undefined],
  ['disruption-budget', 'none', (t: any) => t.gateways[0].workload.disruptionBudget, undefined],
])('the edge base with %s=%s reads back as set', (knob, value, read, expected) => {
  expect(read(topologyOf(edge, knob, value))).toEqual(expected);
});

test('the gateway keep-serving knob edits the Gloo guide\'s `healthcheck/fail; sleep 5` in place', () => {
  const variant = applySettings(gloo, [{ knob: 'gateway-keep-serving', value: '28' }])!;
  const command = gatewayWorkload(parseManifests(variant.text))!.spec.template.spec.containers[0].lifecycle.preStop.exec.command;
  expect(command[command.length - 1]).toBe('wget --post-data "" -O /dev/null 127.0.0.1:19000/healthcheck/fail; sleep 28');
  expect(readManifestText(variant.text, variant.id).topology.gateways[0].workload.drain).toMatchObject({ failsHealthCheck: true, keepServingSeconds: 28 });
});

test('retry knobs reach Gloo VirtualService routes', () => {
  const variant = applySettings(gloo, [{ knob: 'retry-on', value: 'connect-failure,reset' }])!;
  expect(readManifestText(variant.text, variant.id).topology.gateways[0].envoy!.routes[0].retryOn).toEqual(['connect-failure', 'reset']);
  const none = applySettings(gloo, [{ knob: 'retry-on', value: 'none' }])!;
  const options = parseManifests(none.text).find((object) => object.kind === 'VirtualService')!.spec.virtualHost.routes[0].options;
  expect(options.retries).toBeUndefined();
});

test('an upstream without a preStop gets an exec sleep', () => {
  const variant = applySettings(gloo, [{ knob: 'upstream-prestop', value: '30' }])!;
  expect(upstreamWorkloads(parseManifests(variant.text))[0].spec.template.spec.containers[0].lifecycle.preStop).toEqual({ exec: { command: ['/bin/sh', '-c', 'sleep 30'] } });
});

test('long requests change only the load, not the manifests', () => {
  const variant = applySettings(edge, [{ knob: 'long-requests', value: '10' }])!;
  expect(variant.text).toBe(baseVariant(edge).text);
  expect(variant.load).toEqual({ longRequests: 2, longDelaySeconds: 10, longTimeoutSeconds: 20 });
});

test('every variant of the fixture bases is valid Kubernetes', () => {
  // Each distinct object once: most variants share most objects with their base. Gloo's Upstream and
  // VirtualService are checked against their CRDs where ../shared/crds exists; its Gateway CRD is not there.
  const distinct = new Map<string, unknown>();
  for (const variant of variants) for (const object of parseManifests(variant.text)) distinct.set(JSON.stringify(object), object);
  expect(distinct.size).toBeGreaterThan(variants.length / 2);
  expectValidKubernetesObjects([...distinct.values()], { unchecked: ['gateway.solo.io/v1 Gateway'] });
});

test('every knob has values and turns at least one setting of the two fixture bases, except those only the example has', () => {
  const turned = new Set(variants.flatMap((variant) => variant.settings.map((setting) => setting.knob)));
  for (const knob of AWS_KNOBS) {
    expect(knob.values.length).toBeGreaterThan(0);
    expect(turned.has(knob.id)).toBe(true);
  }
});

test('filter keeps the ids holding every part; everyNth spreads N picks over the list', () => {
  const filtered = filterVariants(variants, 'edge/,nlb-');
  expect(filtered.length).toBeGreaterThan(5);
  expect(filtered.every((variant) => variant.id.startsWith('edge/') && variant.id.includes('nlb-'))).toBe(true);
  expect(filterVariants(variants, undefined)).toHaveLength(variants.length);
  const picked = everyNth(variants, 10);
  expect(picked).toHaveLength(10);
  expect(picked[0]).toBe(variants[0]);
  expect(new Set(picked.map((variant) => variant.base))).toEqual(new Set(['edge', 'gloo-guide']));
  expect(everyNth(variants, variants.length + 5)).toHaveLength(variants.length);
});

test('the fixed sample covers every knob, includes each base, and is the same every time', () => {
  const sample = sampleVariants(variants, ['edge']);
  expect(sample.map((variant) => variant.id)).toEqual(sampleVariants([...variants], ['edge']).map((variant) => variant.id));
  expect(sample.length).toBeGreaterThanOrEqual(20);
  expect(sample.length).toBeLessThanOrEqual(36);
  expect(sample.filter((variant) => variant.settings.length === 0)).toHaveLength(2);
  const covered = new Set(sample.flatMap((variant) => variant.settings.map((setting) => setting.knob)));
  expect([...AWS_KNOBS.map((knob) => knob.id)].filter((id) => !covered.has(id))).toEqual([]);
});
