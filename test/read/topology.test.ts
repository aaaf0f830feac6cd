import * as fs from 'fs';
import * as path from 'path';
import { readManifestFiles, readManifestText } from '../../lib/read';

const fixtures = path.join(__dirname, '..', 'fixtures', 'check');
const rules = (findings: { rule: string }[]) => findings.map((finding) => finding.rule);

describe('following references', () => {
  test('the careful install: NLB → gateway → bootstrap ConfigMap → headless Service → orders', async () => {
    const { topology, findings, objectCount } = await readManifestFiles([path.join(fixtures, 'careful-envoy.yaml')]);
    expect(objectCount).toBe(8);
    expect(findings).toEqual([]);
    const [gateway] = topology.gateways;
    expect(gateway.workload.object).toBe('Deployment/edge/gateway');
    expect(gateway.workload.drain).toMatchObject({ mechanism: 'fail-then-wait', keepServingSeconds: 35 });
    expect(gateway.workload.disruptionBudget?.object).toBe('PodDisruptionBudget/edge/gateway');
    expect(gateway.services[0].loadBalancer).toMatchObject({ provider: 'aws-nlb', healthCheckPath: '/envoy-hc', unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 60 });
    expect(gateway.envoy).toMatchObject({ object: 'ConfigMap/edge/gateway-envoy', adminAddress: '127.0.0.1', healthCheckPath: '/envoy-hc' });
    expect(gateway.envoy!.clusters[0]).toMatchObject({ name: 'orders', service: 'Service/shop/orders-headless', ignoreHealthOnHostRemoval: true, discovery: { kind: 'dns', dnsRefreshSeconds: 5 }, activeHealthCheck: { intervalSeconds: 5, timeoutSeconds: 1, path: '/ready' } });
    expect(gateway.envoy!.routes[0]).toMatchObject({ cluster: 'orders', retryOn: ['connect-failure', 'refused-stream', 'reset'], numRetries: 2, previousHosts: true, hostSelectionRetryMaxAttempts: 3, perTryTimeoutSeconds: 5, timeoutSeconds: 16 });
    expect(topology.upstreams.map((upstream) => upstream.workload.object)).toEqual(['Deployment/shop/orders']);
    expect(topology.upstreams[0].services.map((service) => service.object).sort()).toEqual(['Service/shop/orders', 'Service/shop/orders-headless']);
  });

  test('Gloo: Upstream and VirtualService become the proxy\'s clusters and routes, over EDS; the xDS cluster is not an upstream', async () => {
    const { topology } = await readManifestFiles([path.join(fixtures, 'gloo-edge.yaml')]);
    const [gateway] = topology.gateways;
    expect(gateway.envoy!.clusters).toHaveLength(1);
    expect(gateway.envoy!.clusters[0]).toMatchObject({ name: 'default-httpbin-8000_gloo-system', service: 'Service/default/httpbin', discovery: { kind: 'eds' }, ignoreHealthOnHostRemoval: true, activeHealthCheck: { intervalSeconds: 2, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 } });
    expect(gateway.envoy!.routes[0]).toMatchObject({ cluster: 'default-httpbin-8000_gloo-system', retryOn: ['connect-failure'], numRetries: 10, perTryTimeoutSeconds: 5 });
    expect(gateway.envoy!.healthCheckPath).toBe('/envoy-hc');
    expect(gateway.workload.readiness?.failsWhileDraining).toBe(true);
  });

  test('reports an Envoy whose ConfigMap is not in the input, and a cluster whose Service is not', () => {
    const text = fs.readFileSync(path.join(fixtures, 'careful-envoy.yaml'), 'utf8').split('\n---\n');
    const withoutConfigMap = text.filter((document) => !document.includes('kind: ConfigMap')).join('\n---\n');
    expect(rules(readManifestText(withoutConfigMap, 'x.yaml').findings)).toEqual(['envoy-config-not-found']);
    const withoutHeadless = text.filter((document) => !document.includes('name: orders-headless\n')).join('\n---\n');
    expect(rules(readManifestText(withoutHeadless, 'x.yaml').findings)).toEqual(['upstream-service-not-found']);
  });

  test('a TargetGroupBinding puts an assumed load balancer in front of its Service, and says so', () => {
    const text = `
apiVersion: v1
kind: Service
metadata: {name: gateway, namespace: edge}
spec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: gateway}, ports: [{port: 80}]}
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: TargetGroupBinding
metadata: {name: gateway, namespace: edge}
spec: {serviceRef: {name: gateway, port: 80}, targetGroupARN: "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/g/1", targetType: instance}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gateway, namespace: edge}
spec:
  selector: {matchLabels: {app: gateway}}
  template:
    metadata: {labels: {app: gateway}}
    spec: {containers: [{name: app, image: app}]}
`;
    const { topology, findings } = readManifestText(text, 'tgb.yaml');
    expect(topology.gateways[0].services[0].loadBalancer).toMatchObject({ object: 'TargetGroupBinding/edge/gateway', targetType: 'instance' });
    expect(rules(findings)).toEqual(['target-group-timing-assumed']);
  });

  test('a load-balanced Service that selects nothing, and a duplicate object, are reported', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: edge}\nspec: {type: LoadBalancer, selector: {app: nothing}}\n';
    const { findings } = readManifestText(`${service}---\n${service}`, 'x.yaml');
    expect(rules(findings).sort()).toEqual(['duplicate-object', 'load-balancer-timing-assumed', 'service-selects-nothing']);
  });

  test('a finding made twice (the same object read twice) is reported once', () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: lb, namespace: edge}\nspec: {type: LoadBalancer, selector: {app: nothing}}\n';
    const { findings } = readManifestText(`${service}---\n${service}---\n${service}`, 'x.yaml');
    expect(rules(findings).filter((rule) => rule === 'load-balancer-timing-assumed')).toHaveLength(1);
  });

  test('objects it does not know are kept and ignored', () => {
    const result = readManifestText('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {replicas: many}\n', 'w.yaml');
    expect(result).toMatchObject({ objectCount: 1, findings: [], topology: { gateways: [], upstreams: [] } });
    expect(result.skipped).toBeUndefined();
  });

  test('documents that are not Kubernetes objects (package.json, construct-metadata.json) are listed as skipped, not counted', () => {
    const packageJson = readManifestText('{"name": "app", "version": "1.0.0", "dependencies": {"cdk8s": "^2"}}', 'package.json');
    expect(packageJson).toMatchObject({ objectCount: 0, skipped: [{ source: 'package.json', reason: 'not a Kubernetes object (no apiVersion nor kind)' }] });
    const metadata = readManifestText('{"version": "1.0.0", "resources": {"Chart/Deployment": {"path": "Chart/Deployment"}}}', 'dist/construct-metadata.json');
    expect(metadata.objectCount).toBe(0);
    expect(metadata.skipped?.map((each) => each.source)).toEqual(['dist/construct-metadata.json']);
    const mixed = readManifestText('kind: Service\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n', 'm.yaml');
    expect(mixed).toMatchObject({ objectCount: 1, skipped: [{ source: 'm.yaml (document 1)', reason: 'not a Kubernetes object (no apiVersion)' }] });
  });
});

describe('the Envoy admin the preStop talks to', () => {
  const careful = () => fs.readFileSync(path.join(fixtures, 'careful-envoy.yaml'), 'utf8');
  const curlHook = (port: number) => careful().replace(/exec 3<>\/dev\/tcp[\s\S]*?sleep 35/, `curl -X POST 127.0.0.1:${port}/healthcheck/fail; sleep 40`).replace('envoyproxy/envoy:v1.31.2', 'example.com/envoy-with-curl:v1.31.2');

  test('reports a POST to /healthcheck/fail on a port that is not the admin port, and the drain no longer fails the health check', () => {
    const { topology, findings } = readManifestText(curlHook(19000), 'x.yaml');
    expect(rules(findings)).toEqual(['healthcheck-fail-wrong-port']);
    const [finding] = findings;
    expect(finding).toMatchObject({ category: 'no-drain', severity: 'error', objects: ['Deployment/edge/gateway', 'ConfigMap/edge/gateway-envoy'] });
    expect(finding.message).toContain('port 19000');
    expect(finding.message).toContain('port 9901');
    expect(finding.fix).toContain('127.0.0.1:9901');
    expect(topology.gateways[0].workload.drain).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 40 });
  });

  test('says nothing when the port is the admin port', () => {
    const { topology, findings } = readManifestText(curlHook(9901), 'x.yaml');
    expect(findings).toEqual([]);
    expect(topology.gateways[0].workload.drain).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 40 });
  });

  test('reads the bash /dev/tcp port the same way', () => {
    const { findings } = readManifestText(careful().replace('/dev/tcp/127.0.0.1/9901', '/dev/tcp/127.0.0.1/19000'), 'x.yaml');
    expect(rules(findings)).toEqual(['healthcheck-fail-wrong-port']);
  });

  test('a bootstrap with no admin: the drain reaches nothing, and is read as its waits alone', () => {
    const { topology, findings } = readManifestText(careful().replace('    admin:\n      address:\n        socket_address: { address: 127.0.0.1, port_value: 9901 }\n', ''), 'x.yaml');
    expect(rules(findings)).toEqual(['envoy-admin-missing']);
    expect(findings[0]).toMatchObject({ severity: 'error', category: 'no-drain' });
    expect(topology.gateways[0].workload.drain).toMatchObject({ failsHealthCheck: false });
  });

  test('a bootstrap Envoy would reject is an error, with the validator\'s own words', () => {
    for (const [bad, said] of [['"-5s"', 'must be greater than'], ['"PT5S"', 'invalid duration'], ['"5"', 'invalid duration'], ['"1e9s"', 'invalid duration'], ['{seconds: "NaN"}', 'expected a duration string']]) {
      const text = careful().replace(/dns_refresh_rate: [^\n]+/, `dns_refresh_rate: ${bad}`);
      const { findings } = readManifestText(text, 'x.yaml');
      const rejected = findings.filter((finding) => finding.rule === 'envoy-bootstrap-rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ severity: 'error', objects: ['ConfigMap/edge/gateway-envoy'] });
      expect(rejected[0].message).toContain(said);
    }
    const huge = readManifestText(careful().replace('port_value: 9901', 'port_value: 9007199254740992'), 'x.yaml');
    expect(rules(huge.findings)).toContain('envoy-bootstrap-rejected');
  });

  test('follows --config-yaml, which Envoy merges over the bootstrap: its admin address and port win', () => {
    const args = '["-c", "/etc/envoy/envoy.yaml", "--drain-time-s", "30", "--config-yaml", "admin: {address: {socket_address: {address: 0.0.0.0, port_value: 19000}}}"]';
    const { topology, findings } = readManifestText(careful().replace('["-c", "/etc/envoy/envoy.yaml", "--drain-time-s", "30"]', args), 'x.yaml');
    expect(topology.gateways[0].envoy).toMatchObject({ adminAddress: '0.0.0.0', adminPort: 19000 });
    // The hook still talks to 9901, where nothing listens now.
    expect(rules(findings)).toEqual(['healthcheck-fail-wrong-port']);
  });

  test('reads --config-yaml=X too, and reports one that is not YAML without throwing', () => {
    const inline = careful().replace('"--drain-time-s", "30"]', '"--drain-time-s", "30", "--config-yaml=admin: {address: {socket_address: {address: 0.0.0.0}}}"]');
    const read = readManifestText(inline, 'x.yaml');
    expect(read.topology.gateways[0].envoy).toMatchObject({ adminAddress: '0.0.0.0', adminPort: 9901 });
    expect(read.findings).toEqual([]);
    const broken = careful().replace('"--drain-time-s", "30"]', '"--drain-time-s", "30", "--config-yaml", "admin: {address: ["]');
    expect(rules(readManifestText(broken, 'x.yaml').findings)).toEqual(['envoy-config-yaml-unreadable']);
  });
});
