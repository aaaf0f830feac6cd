import * as fs from 'fs';
import * as path from 'path';
import { checkManifestFiles, checkManifestText, CheckReport, formatText, toJson, verdictOf } from '../../lib/check';
import { Finding } from '../../lib/core/finding';

const fixtures = path.join(__dirname, '..', 'fixtures', 'check');
const fixture = (name: string) => path.join(fixtures, name);

function find(report: CheckReport, rule: string, object?: string): Finding {
  const found = report.findings.filter((finding) => finding.rule === rule && (object === undefined || finding.objects.includes(object)));
  if (found.length !== 1) throw new Error(`expected one ${rule}${object ? ` on ${object}` : ''}, found ${found.length}: ${report.findings.map((each) => `${each.rule} ${each.objects[0]}`).join('; ')}`);
  return found[0];
}

const errorRules = (report: CheckReport) => report.findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.rule} ${finding.objects[0]}`).sort();

describe('the Gloo Edge zero-downtime guide install', () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkManifestFiles([fixture('gloo-edge.yaml')]);
  });

  test('finds the gateway behind the NLB and httpbin behind the Gloo Upstream', () => {
    expect(report.summary).toMatchObject({ objects: 8, gateways: 1, upstreams: 1 });
    expect(report.verdict).toBe('drops-requests');
  });

  test('reports the 5 s sleep against the 21 s detection window, with a fix of at least 31 s', () => {
    const finding = find(report, 'gateway-stops-before-lb-detection');
    expect(finding.objects).toEqual(['Deployment/gloo-system/gateway-proxy', 'Service/gloo-system/gateway-proxy']);
    expect(finding.category).toBe('lb-detection');
    expect(finding.message).toContain('5s');
    // Envoy answers the failing check with 503 at once: 2 × (10 s + 0.5 s jitter), the 6 s timeout is not waited for.
    expect(finding.message).toContain('21s (2 × 10s of failed checks answered with 503 at once, each up to 0.5s late)');
    expect(finding.fix).toContain('at least 31s');
  });

  test('warns, not errs, that the 7 s grace period covers the 5 s preStop but not the margin', () => {
    const finding = find(report, 'grace-period-within-margin');
    expect(finding.severity).toBe('warning');
    expect(finding.fix).toBe('raise terminationGracePeriodSeconds of Deployment/gloo-system/gateway-proxy from 7 to at least 10');
    expect(report.findings.filter((each) => each.rule === 'grace-period-shorter-than-drain')).toEqual([]);
  });

  test('reports the AWS default that resets connections to an unhealthy target as an error with its mechanism', () => {
    const finding = find(report, 'unhealthy-target-connections-reset');
    expect(finding).toMatchObject({ severity: 'error', mechanism: 'keepalive-reset-by-lb' });
    expect(finding.fix).toContain('connection_termination.enabled=false');
  });

  test('reports the readiness probe on the health-check path, which fails while Envoy drains', () => {
    expect(find(report, 'readiness-fails-while-draining').objects[0]).toBe('Deployment/gloo-system/gateway-proxy');
  });

  test('reports the retry policy that lacks reset; refused-stream is not asked of an HTTP/1 upstream', () => {
    const finding = find(report, 'route-does-not-retry-rollout-races');
    expect(finding.message).toContain('VirtualService/gloo-system/httpbin');
    expect(finding.message).toContain('does not retry on reset:');
    expect(finding.mechanism).toBe('race-not-retried');
  });

  test('reports httpbin, which has no preStop while Gloo still routes to it', () => {
    expect(find(report, 'no-prestop').objects).toEqual(['Deployment/default/httpbin']);
    expect(find(report, 'upstream-stops-before-gateways-forget-it').fix).toContain('at least 7s');
  });

  test('has exactly these errors', () => {
    expect(errorRules(report)).toEqual([
      'gateway-stops-before-lb-detection Deployment/gloo-system/gateway-proxy',
      'no-prestop Deployment/default/httpbin',
      'readiness-fails-while-draining Deployment/gloo-system/gateway-proxy',
      'rollout-outruns-discovery Deployment/gloo-system/gateway-proxy',
      'route-does-not-retry-rollout-races ConfigMap/gloo-system/gateway-proxy-envoy-config',
      'unhealthy-target-connections-reset Deployment/gloo-system/gateway-proxy',
      'upstream-stops-before-gateways-forget-it Deployment/default/httpbin',
    ]);
  });

  test('names a mechanism on every error finding, in the JSON too, after the issue-6 fields', () => {
    for (const finding of report.findings.filter((each) => each.severity === 'error')) expect(finding.mechanism).toMatch(/^[a-z]+(-[a-z]+)+$/);
    const json = toJson(report);
    expect(Object.keys(json)).toEqual(['verdict', 'findings', 'summary', 'security']);
    expect(json.security).toBe('ok');
    const reset = json.findings.find((each) => each.rule === 'unhealthy-target-connections-reset')!;
    expect(Object.keys(reset)).toEqual(['rule', 'category', 'severity', 'objects', 'message', 'fix', 'mechanism']);
    expect(json.findings.filter((each) => each.severity === 'warning').every((each) => !('mechanism' in each))).toBe(true);
  });

  test('does not report what the guide got right: admin on loopback, non-root proxy, ignoreHealthOnHostRemoval', () => {
    const rules = report.findings.map((finding) => `${finding.rule} ${finding.objects[0]}`);
    expect(rules).not.toContain('admin-not-on-loopback ConfigMap/gloo-system/gateway-proxy-envoy-config');
    expect(rules).not.toContain('runs-as-root Deployment/gloo-system/gateway-proxy');
    expect(rules.filter((rule) => rule.startsWith('health-checked-host-kept-after-removal'))).toEqual([]);
  });
});

describe('a naive Envoy deployment', () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await checkManifestFiles([fixture('naive-envoy.yaml')]);
  });

  test('drops requests, for every reason it has', () => {
    expect(report.verdict).toBe('drops-requests');
    expect(report.security).toBe('exposed');
    // eTP Cluster: kube-proxy, not the TCP health check, moves new connections off a terminating
    // pod (KEP-1669), and a new pod takes them as soon as it is ready: no blind-check nor minReady error.
    expect(errorRules(report)).toEqual([
      'admin-not-on-loopback ConfigMap/edge/envoy-config',
      'gateway-stops-before-lb-detection Deployment/edge/envoy',
      'no-prestop Deployment/edge/envoy',
      'no-prestop Deployment/shop/orders',
      'route-does-not-retry-rollout-races ConfigMap/edge/envoy-config',
      'single-replica Deployment/edge/envoy',
      'upstream-stops-before-gateways-forget-it Deployment/shop/orders',
    ]);
    expect(report.summary).toMatchObject({ errors: 6, securityErrors: 1 });
  });

  test('with eTP Cluster, asks the gateway to cover kube-proxy propagation (1 s + margin), not the TCP check 3 × 10 s + 10 s', () => {
    const finding = find(report, 'gateway-stops-before-lb-detection');
    expect(finding.message).toContain('about 1s (endpoint propagation, KEP-1669)');
    expect(finding.fix).toContain('at least 6s');
    expect(find(report, 'cluster-traffic-policy').severity).toBe('warning');
  });

  test('warns that the cluster resolves a ClusterIP Service', () => {
    expect(find(report, 'cluster-resolves-cluster-ip').objects).toEqual(['ConfigMap/edge/envoy-config', 'Service/shop/orders']);
  });

  test('sizes the upstream preStop from DNS: 1 + 30 + 5 s + 5 s margin', () => {
    expect(find(report, 'upstream-stops-before-gateways-forget-it').fix).toContain('at least 41s');
  });
});

describe('a careful Envoy deployment', () => {
  test('has no finding at all and the verdict hitless', async () => {
    const report = await checkManifestFiles([fixture('careful-envoy.yaml')]);
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('hitless');
    expect(report.summary).toMatchObject({ gateways: 1, upstreams: 1, errors: 0, warnings: 0 });
  });

  test('warns once the preStop sleep is one second short of the window plus margin', () => {
    const text = fs.readFileSync(fixture('careful-envoy.yaml'), 'utf8').replace('sleep 35', 'sleep 30');
    const report = checkManifestText(text, 'careful-envoy.yaml');
    expect(errorRules(report)).toEqual([]);
    expect(find(report, 'gateway-keep-serving-within-margin').message).toContain('aws/containers-roadmap#470');
    expect(report.verdict).toBe('hitless');
  });

  test('drops requests once the preStop sleep is short of the answered detection window (21 s)', () => {
    const text = fs.readFileSync(fixture('careful-envoy.yaml'), 'utf8').replace('sleep 35', 'sleep 20');
    const report = checkManifestText(text, 'careful-envoy.yaml');
    expect(errorRules(report)).toEqual(['gateway-stops-before-lb-detection Deployment/edge/gateway']);
    expect(find(report, 'gateway-stops-before-lb-detection').mechanism).toBe('lb-sends-to-exited-gateway');
  });
});

describe('a careful Envoy deployment with one detail wrong', () => {
  const careful = () => fs.readFileSync(fixture('careful-envoy.yaml'), 'utf8');

  test('drops requests when the preStop fails the health check on a port admin does not listen on', () => {
    const report = checkManifestText(careful().replace('/dev/tcp/127.0.0.1/9901', '/dev/tcp/127.0.0.1/19000'), 'careful-envoy.yaml');
    expect(report.verdict).toBe('drops-requests');
    // Read as a plain sleep, it also never closes keep-alive connections before Envoy exits.
    expect(errorRules(report)).toEqual(['gateway-does-not-fail-health-check Deployment/edge/gateway', 'healthcheck-fail-wrong-port Deployment/edge/gateway', 'sleep-prestop-cuts-keepalive Deployment/edge/gateway']);
  });

  test('reports admin off loopback when --config-yaml binds it to 0.0.0.0 over a bootstrap that says 127.0.0.1', () => {
    const args = '["-c", "/etc/envoy/envoy.yaml", "--drain-time-s", "30", "--config-yaml", "admin: {address: {socket_address: {address: 0.0.0.0, port_value: 9901}}}"]';
    const report = checkManifestText(careful().replace('["-c", "/etc/envoy/envoy.yaml", "--drain-time-s", "30"]', args), 'careful-envoy.yaml');
    // A security finding is reported apart: it does not make the verdict drops-requests.
    expect(report.verdict).toBe('hitless');
    expect(report.security).toBe('exposed');
    expect(find(report, 'admin-not-on-loopback').message).toContain('0.0.0.0');
    expect(formatText(report)).toMatch(/^security: exposed — 1 security error/m);
  });
});

describe('verdict', () => {
  test('is unknown when there is nothing to judge', () => {
    const report = checkManifestText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 'x.yaml');
    expect(report.verdict).toBe('unknown');
    expect(report.findings).toEqual([]);
  });

  test('is unknown when a drain cannot be read and nothing is an error', () => {
    const unknown: Finding = { rule: 'unknown-drain', category: 'unknown', severity: 'warning', objects: ['Deployment/a/b'], message: '', fix: '' };
    expect(verdictOf([unknown], true)).toBe('unknown');
    expect(verdictOf([{ ...unknown, category: 'capacity' }], true)).toBe('hitless');
    expect(verdictOf([unknown, { ...unknown, severity: 'error' }], true)).toBe('drops-requests');
  });
});

describe('a preStop hitless cannot read', () => {
  test('makes the verdict unknown, not hitless, and is not an error', () => {
    const text = fs.readFileSync(fixture('careful-envoy.yaml'), 'utf8').replace(/sleep:\n\s+seconds: 45/, 'exec:\n                command: [/app/drain]');
    const report = checkManifestText(text, 'careful-envoy.yaml');
    expect(report.findings.map((finding) => finding.rule)).toEqual(['unknown-drain']);
    expect(report.verdict).toBe('unknown');
  });
});
