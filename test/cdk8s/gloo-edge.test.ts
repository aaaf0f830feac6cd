import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { DrainingService } from '../../lib/cdk8s/draining-service';
import { GlooEdgeGateway, GlooEdgeGatewayProps, GlooEdgeRouteProps } from '../../lib/cdk8s/gloo-edge';
import { GlooEdgeGatewayOptions, GlooEdgeRouteOptions } from '../../lib/core/gloo/gloo-edge';
import { HealthCheckedNlb } from '../../lib/cdk8s/health-checked-nlb';
import { planNlb } from '../../lib/core/aws/nlb';
import { Duration as CoreDuration } from '../../lib/core/duration';
import { discoveryDelaySeconds, requiredUpstreamKeepServingSeconds } from '../../lib/core/timing/windows';
import { BudgetError } from '../../lib/core/timing/budget-error';
import { checkGateway, checkTopology, checkUpstream } from '../../lib/core/timing/invariants';
import { readGlooUpstream, readGlooVirtualService } from '../../lib/read/gloo';
import { readManifestObjects } from '../../lib/read';
import { readGlooHelmValues, renderGlooHelmValues } from '../../lib/read/gloo-values';
import { describeWithCrds, validateCustomResource } from '../support/crd-schema';

function shop(chart: Chart): { gateway: GlooEdgeGateway; orders: DrainingService; catalog: DrainingService } {
  const orders = new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
  const catalog = new DrainingService(chart, 'catalog', { name: 'catalog', namespace: 'shop', image: 'catalog:1', readinessPath: '/healthz', port: 9090 });
  const gateway = new GlooEdgeGateway(chart, 'edge');
  gateway.addRoute({ prefix: '/orders', service: orders });
  gateway.addRoute({ prefix: '/catalog', service: catalog, idempotent: true });
  return { gateway, orders, catalog };
}

/** True only when `A` and `B` are the same set of names. */
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : false;

function glooObjects(manifests: any[]): any[] {
  return manifests.filter((m) => /solo\.io\//.test(m.apiVersion));
}

describe('GlooEdgeGateway', () => {
  test('emits one Upstream per service and one VirtualService', () => {
    const chart = Testing.chart();
    shop(chart);
    const gloo = glooObjects(Testing.synth(chart));
    expect(gloo.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`).sort()).toEqual([
      'Upstream/gloo-system/hitless-shop-catalog-9090',
      'Upstream/gloo-system/hitless-shop-orders-8080',
      'VirtualService/gloo-system/gateway-proxy',
    ]);
  });

  test("tells each service that Gloo's EDS discovers its pods, and the service solves its preStop from it", () => {
    const chart = Testing.chart();
    const { gateway, orders } = shop(chart);
    expect(orders.gatewaysInFront).toEqual([{ gateway: gateway.workloadObject, discovery: expect.objectContaining({ kind: 'eds' }), activeHealthCheckIntervalSeconds: 5 }]);
    expect(orders.budget.discoveryDelaySeconds).toBe(discoveryDelaySeconds(orders.gatewaysInFront[0].discovery));
    expect(orders.budget.keepServingSeconds).toBe(requiredUpstreamKeepServingSeconds([orders.gatewaysInFront[0].discovery]));
  });

  test('a slower Gloo push lengthens the services\' preStop', () => {
    const chart = Testing.chart();
    const orders = new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    new GlooEdgeGateway(chart, 'edge', { discoveryPushDelay: Duration.seconds(12) }).addRoute({ prefix: '/', service: orders });
    expect(orders.budget.discoveryDelaySeconds).toBe(13);
  });

  test('takes every core option by the same name, for the gateway and its routes', () => {
    const gatewayNames: SameKeys<keyof GlooEdgeGatewayProps, keyof GlooEdgeGatewayOptions> = true;
    const routeNames: SameKeys<keyof GlooEdgeRouteProps, keyof GlooEdgeRouteOptions> = true;
    expect([gatewayNames, routeNames]).toEqual([true, true]);
  });

  test('cdk8s durations passed through are named by their length in errors', () => {
    expect(() => new GlooEdgeGateway(Testing.chart(), 'edge', { gracefulShutdownSleep: Duration.millis(46_500) }))
      .toThrow("'gracefulShutdownSleep' (46.5s) must be whole seconds: the chart's sleepTimeSeconds is an integer");
    const chart = Testing.chart();
    const orders = new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    expect(() => new GlooEdgeGateway(chart, 'edge').addRoute({ prefix: '/', service: orders, timeout: Duration.seconds(3) }))
      .toThrow(/^'timeout' \(3s\) must be at least perTryTimeout × \(numRetries \+ 1\) plus back-off \(60\.75s\)/);
  });

  test("the Gloo guide's sleep and grace period throw, naming prop, value and bound", () => {
    expect(() => new GlooEdgeGateway(Testing.chart(), 'edge', { gracefulShutdownSleep: Duration.seconds(5) })).toThrow(BudgetError);
    expect(() => new GlooEdgeGateway(Testing.chart(), 'edge', { gracefulShutdownSleep: Duration.seconds(5) })).toThrow("'gracefulShutdownSleep' (5s) must be at least the load balancer's detection window (22s)");
    expect(() => new GlooEdgeGateway(Testing.chart(), 'edge', { terminationGracePeriod: Duration.seconds(7) })).toThrow("'terminationGracePeriod' (7s) must be at least the whole preStop (46s)");
  });

  test('a route whose service can no longer hold its own override throws', () => {
    const chart = Testing.chart();
    const orders = new DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready', preStopDelay: Duration.seconds(45) });
    const gateway = new GlooEdgeGateway(chart, 'edge', { discoveryPushDelay: Duration.seconds(60) });
    expect(() => gateway.addRoute({ prefix: '/', service: orders })).toThrow("'preStopDelay' (45s) must be at least the gateways' discovery delay (61s)");
    expect(glooObjects(Testing.synth(chart))).toEqual([]);
  });

  test('exposes the solved timings as cdk8s durations', () => {
    const gateway = new GlooEdgeGateway(Testing.chart(), 'edge');
    expect(gateway.gracefulShutdownSleep.toSeconds()).toBe(gateway.budget.preStopSeconds);
    expect(gateway.terminationGracePeriod.toSeconds()).toBe(gateway.budget.terminationGracePeriodSeconds);
    expect(gateway.minReady.toSeconds()).toBe(gateway.budget.minReadySeconds);
  });

  test('the values file reads back to the same gateway, and the whole output has no error finding', () => {
    const chart = Testing.chart();
    const { gateway, orders, catalog } = shop(chart);
    const nlb = planNlb({ healthCheckInterval: CoreDuration.seconds(5), healthCheckTimeout: CoreDuration.seconds(2) }, gateway, (lb) => gateway.solveBudget(lb));
    gateway.attachLoadBalancer({ model: nlb.model, serviceAnnotations: nlb.serviceAnnotations });
    const manifests = Testing.synth(chart);
    const values = parse(gateway.valuesYaml());
    expect(values).toEqual(JSON.parse(JSON.stringify(gateway.helmValues())));

    const read = readGlooHelmValues(values, 'test.gloo-values.yaml');
    const gloo = glooObjects(manifests);
    const model = {
      ...read.gateway!,
      envoy: {
        ...read.gateway!.envoy!,
        clusters: gloo.filter((m) => m.kind === 'Upstream').map((m) => readGlooUpstream(m).cluster),
        routes: gloo.filter((m) => m.kind === 'VirtualService').flatMap((m) => readGlooVirtualService(m).routes),
      },
    };
    const findings = [...read.findings, ...checkGateway(model), ...checkUpstream(orders.upstreamModel(), [model]), ...checkUpstream(catalog.upstreamModel(), [model])];
    expect(findings.filter((each) => each.severity === 'error').map((each) => `${each.rule}: ${each.message}`)).toEqual([]);
    // Gloo routes can't set previous_hosts: the one warning the library's Gloo output keeps.
    expect(new Set(findings.map((each) => each.rule))).toEqual(new Set(['retry-may-pick-same-host']));
  });

  test('HealthCheckedNlb attaches to it: the values carry its annotations and read back with no error finding', () => {
    const chart = Testing.chart();
    const { gateway } = shop(chart);
    const nlb = new HealthCheckedNlb(chart, 'nlb', { gateway, scheme: 'internet-facing', healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2) });
    expect(gateway.loadBalancer).toEqual(nlb.model);
    expect(gateway.budget).toEqual(nlb.budget);
    const values = JSON.parse(JSON.stringify(gateway.helmValues()));
    expect(values.gatewayProxies.gatewayProxy.service.extraAnnotations).toEqual(nlb.serviceAnnotations);
    const read = readGlooHelmValues(values, 'v.yaml');
    expect(read.gateway!.services[0].loadBalancer).toMatchObject({ provider: 'aws-nlb', healthCheck: nlb.model.healthCheck });
    expect([...read.findings, ...checkGateway(read.gateway!)].filter((each) => each.severity === 'error')).toEqual([]);
  });

  test('the manifests and the objects the chart renders from the values read as one topology with no error finding', () => {
    const chart = Testing.chart();
    const { gateway } = shop(chart);
    new HealthCheckedNlb(chart, 'nlb', { gateway });
    const rendered = renderGlooHelmValues(parse(gateway.valuesYaml())).flatMap((proxy) => [proxy.workload, proxy.service, proxy.podDisruptionBudget, proxy.gateway].filter((each) => each !== undefined));
    const { topology, findings } = readManifestObjects([...Testing.synth(chart), ...rendered]);
    expect(topology.gateways.map((each) => each.workload.object)).toEqual([gateway.workloadObject]);
    expect(topology.upstreams).toHaveLength(2);
    const all = [...findings, ...checkTopology(topology)];
    expect(all.filter((each) => each.severity === 'error').map((each) => `${each.rule}: ${each.message}`)).toEqual([]);
  });

  test('writes the values file next to the manifests', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloo-values-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'shop');
      const { gateway } = shop(chart);
      new GlooEdgeGateway(chart, 'internal', { proxyName: 'internalProxy' });
      app.synth();
      const written = GlooEdgeGateway.writeValuesFiles(app);
      expect(written.map((file) => path.basename(file)).sort()).toEqual(['shop.gloo-values.yaml', 'shop.internal-proxy.gloo-values.yaml']);
      expect(parse(fs.readFileSync(path.join(outdir, 'shop.gloo-values.yaml'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(gateway.helmValues())));
      expect(fs.readdirSync(outdir)).toContain('shop.k8s.yaml');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('synth alone writes nothing beside the manifests', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloo-values-'));
    try {
      const app = new App({ outdir });
      shop(new Chart(app, 'shop'));
      app.synth();
      expect(fs.readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describeWithCrds('GlooEdgeGateway against the Gloo CRDs', () => {
  test('every custom resource it emits is valid', () => {
    const chart = Testing.chart();
    shop(chart);
    const gloo = glooObjects(Testing.synth(chart));
    expect(gloo.length).toBeGreaterThan(0);
    for (const object of gloo) expect(validateCustomResource(object)).toEqual([]);
  });
});
