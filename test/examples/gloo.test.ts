import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { checkManifestFiles, CheckReport } from '../../lib/check';
import { KubeObject } from '../../lib/core/kube-object';
import { LoadBalancerModel } from '../../lib/core/model';
import { DEFAULT_MARGIN_SECONDS, requiredGatewayMinReadySeconds, requiredGracePeriodSeconds, requiredKeepServingSeconds } from '../../lib/core/timing/windows';
import { readGlooHelmValues, renderGlooHelmValues } from '../../lib/read/gloo-values';
import { describeWithCrds, validateCustomResource } from '../support/crd-schema';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

/**
 * Runs `cdk8s synth` on examples/gloo for real (the CLI, cdk8s.yaml, ts-node with type checking;
 * 'hitless' resolves to dist/, so the library must be compiled first) and reads back the
 * manifests and the Helm values file it wrote. About 5 s, most of it ts-node and the CLI starting.
 */
const root = path.resolve(__dirname, '../..');
const exampleDir = path.join(root, 'examples/gloo');
const CUSTOM_RESOURCE_GROUPS = ['gloo.solo.io', 'gateway.solo.io'];
/** The example's `GlooEdgeGateway` leaves drainTimeout at its default. */
const DRAIN_TIMEOUT_SECONDS = 15;
let outdir: string;
let manifests: KubeObject[];
let values: any;
let report: CheckReport;

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
    throw new Error('dist/index.js is missing: the example imports the compiled package; run `npx tsc --build` (or the compile task) first');
  }
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-example-gloo-'));
  const cli = path.join(root, 'node_modules/.bin/cdk8s');
  // The CLI hands --output to the app as CDK8S_OUTDIR, which App.outdir and writeValuesFiles follow.
  const result = spawnSync(cli, ['synth', '--no-check-upgrade', '--output', outdir], { cwd: exampleDir, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(`cdk8s synth failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  manifests = parseAllDocuments(fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8')).map((doc) => doc.toJS() as KubeObject).filter(Boolean);
  values = parseAllDocuments(fs.readFileSync(path.join(outdir, 'shop.gloo-values.yaml'), 'utf8'))[0].toJS();
  report = await checkManifestFiles([outdir]);
}, 120_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

function isCustomResource(object: KubeObject): boolean {
  return CUSTOM_RESOURCE_GROUPS.includes(object.apiVersion.split('/')[0]);
}

function find(kind: string, name: string): any {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`the example has no ${kind} ${name}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found;
}

function proxy(): any {
  return values.gatewayProxies.gatewayProxy;
}

/** The NLB in front, as the reader reads it back from the values' Service annotations. */
function loadBalancer(): LoadBalancerModel {
  const gateway = readGlooHelmValues(values, 'shop.gloo-values.yaml').gateway;
  const model = gateway?.services[0]?.loadBalancer;
  if (!model) throw new Error('the values file gives no load balancer in front of the proxy');
  return model;
}

test('synth writes the manifests and, beside them, the Gloo values file', () => {
  expect(fs.readdirSync(outdir).sort()).toEqual(['shop.gloo-values.yaml', 'shop.k8s.yaml']);
});

test('the services land in namespace shop, and Gloo\'s custom resources where Gloo runs', () => {
  for (const manifest of manifests) expect(manifest.metadata.namespace).toBe(isCustomResource(manifest) ? 'gloo-system' : 'shop');
  expect(manifests.filter(isCustomResource).map((m) => `${m.kind}/${m.metadata.name}`).sort())
    .toEqual(['Upstream/hitless-shop-catalog-8080', 'Upstream/hitless-shop-orders-8080', 'VirtualService/gateway-proxy']);
});

test('every Kubernetes object is valid, those the chart renders from the values included', () => {
  const rendered = renderGlooHelmValues(values).flatMap((each) => [each.workload, each.service, each.podDisruptionBudget].filter((object) => object !== undefined));
  expect(rendered.map((object) => object.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget']);
  expectValidKubernetesObjects([...manifests.filter((m) => !isCustomResource(m)), ...rendered]);
});

describe.each([
  ['orders', '/ready'],
  ['catalog', '/healthz/ready'],
])('the Upstream of %s', (name, readinessPath) => {
  const upstream = () => find('Upstream', `hitless-shop-${name}-8080`);

  test('points at the service\'s ClusterIP Service and port, for Gloo to discover its pods over EDS', () => {
    expect(upstream().spec.kube).toEqual({ serviceName: name, serviceNamespace: 'shop', servicePort: 8080 });
    expect(find('Service', name).spec.ports[0].port).toBe(8080);
  });

  test('health-checks every pod on its readiness path, idle routes as often', () => {
    expect(upstream().spec.healthChecks).toEqual([{
      healthyThreshold: 1,
      unhealthyThreshold: 2,
      interval: '5s',
      noTrafficInterval: '5s',
      timeout: '1s',
      httpHealthCheck: { path: readinessPath },
    }]);
    expect(find('Deployment', name).spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe(readinessPath);
  });

  test('keeps a removed pod until its health check fails, and ejects outliers', () => {
    expect(upstream().spec.ignoreHealthOnHostRemoval).toBe(true);
    expect(upstream().spec.outlierDetection).toEqual({ consecutive5xx: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 });
  });
});

describe('the VirtualService', () => {
  const routes = () => find('VirtualService', 'gateway-proxy').spec.virtualHost.routes as any[];
  const route = (prefix: string) => {
    const found = routes().find((each) => each.matchers[0].prefix === prefix);
    if (!found) throw new Error(`no route for ${prefix}`);
    return found;
  };

  test('answers every host and routes each prefix to its Upstream', () => {
    expect(find('VirtualService', 'gateway-proxy').spec.virtualHost.domains).toEqual(['*']);
    expect(routes().map((each) => [each.matchers, each.routeAction])).toEqual(expect.arrayContaining([
      [[{ prefix: '/orders' }], { single: { upstream: { name: 'hitless-shop-orders-8080', namespace: 'gloo-system' } } }],
      [[{ prefix: '/catalog' }], { single: { upstream: { name: 'hitless-shop-catalog-8080', namespace: 'gloo-system' } } }],
    ]));
    expect(routes()).toHaveLength(2);
  });

  test('retries connection failures and resets, and 5xx only on the idempotent route', () => {
    expect(route('/orders').options.retries.retryOn.split(',')).toEqual(['connect-failure', 'refused-stream', 'reset']);
    expect(route('/catalog').options.retries.retryOn.split(',')).toEqual(['connect-failure', 'refused-stream', 'reset', '5xx']);
  });

  test('each route\'s timeout covers every try', () => {
    for (const each of routes()) {
      const { numRetries, perTryTimeout } = each.options.retries;
      expect(numRetries).toBe(3);
      expect(perTryTimeout).toBe('15s');
      expect(parseFloat(each.options.timeout)).toBeGreaterThan(parseFloat(perTryTimeout) * (numRetries + 1));
    }
  });
});

describeWithCrds('the custom resources against Gloo\'s CRDs', () => {
  test('every Upstream and the VirtualService is valid', () => {
    const resources = manifests.filter(isCustomResource);
    expect(resources).toHaveLength(3);
    for (const resource of resources) expect({ object: `${resource.kind}/${resource.metadata.name}`, problems: validateCustomResource(resource) }).toEqual({ object: `${resource.kind}/${resource.metadata.name}`, problems: [] });
  });
});

describe('the values file', () => {
  test('runs three proxies, one per node, behind externalTrafficPolicy Local, HTTP only', () => {
    expect(proxy().kind).toEqual({ deployment: { replicas: 3 }, daemonSet: null });
    expect(proxy().affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: { matchLabels: { 'gateway-proxy-id': 'gateway-proxy' } }, topologyKey: 'kubernetes.io/hostname' }]);
    expect(proxy().service).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
    expect(proxy().gatewaySettings).toEqual({ enabled: true, disableHttpsGateway: true, customHttpGateway: { options: { healthCheck: { path: '/envoy-hc' } } } });
    expect(proxy().podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(proxy().loopBackAddress).toBe('127.0.0.1');
  });

  test('the NLB checks Envoy\'s health check filter on the traffic port, every 5s with a 2s timeout', () => {
    expect(loadBalancer()).toMatchObject({ provider: 'aws-nlb', targetType: 'instance', healthCheck: { intervalSeconds: 5, timeoutSeconds: 2 }, healthCheckPath: '/envoy-hc' });
    expect(proxy().service.extraAnnotations).toMatchObject({ 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-port': 'traffic-port', 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path': '/envoy-hc' });
  });

  test('graceful shutdown sleeps through the NLB\'s detection window and the drain, and the grace period covers the sleep', () => {
    const sleep = requiredKeepServingSeconds(loadBalancer()) + DRAIN_TIMEOUT_SECONDS;
    expect(proxy().podTemplate.gracefulShutdown).toEqual({ enabled: true, sleepTimeSeconds: sleep });
    expect(proxy().podTemplate.terminationGracePeriodSeconds).toBe(requiredGracePeriodSeconds(sleep, 0));
    expect(proxy().podTemplate.terminationGracePeriodSeconds).toBe(sleep + DEFAULT_MARGIN_SECONDS);
  });

  test('the proxy rolls surge-only and waits for the NLB to find each new pod', () => {
    expect(proxy().kubeResourceOverride.spec).toEqual({
      minReadySeconds: requiredGatewayMinReadySeconds(loadBalancer()),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
  });
});

describe('hitless check of the output directory', () => {
  test('reads the values as the gateway in front of both services', () => {
    expect(report.problems).toEqual([]);
    expect(report.summary).toMatchObject({ gateways: 1, upstreams: 2 });
  });

  test('finds no error, and only the warning Gloo keeps by design: a retry may pick the same host', () => {
    expect(report.findings.filter((each) => each.severity === 'error')).toEqual([]);
    expect([...new Set(report.findings.map((each) => `${each.severity} ${each.rule}`))]).toEqual(['warning retry-may-pick-same-host']);
    expect(report.verdict).toBe('hitless');
  });
});
