/**
 * `hitless check` on 10,000 objects: 2,000 stacks of a load-balanced Service, an Envoy gateway
 * Deployment, its bootstrap ConfigMap, a headless upstream Service and the upstream Deployment.
 * Goal: ≤ 2 s for read + check from YAML text. Baseline: the `yaml` library parsing the same text
 * into objects (how manifests were read before js-yaml), in the same run.
 */
import { performance } from 'perf_hooks';
import { parseAllDocuments, stringify } from 'yaml';
import { checkReadResult } from '../lib/check';
import { loadManifestText, readManifestObjects, readManifestText } from '../lib/read';

const STACKS = 2000;

function stack(index: number): Record<string, unknown>[] {
  const namespace = `team-${index % 50}`;
  const gateway = `gateway-${index}`;
  const upstream = `orders-${index}`;
  const bootstrap = {
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: 9901 } } },
    static_resources: {
      listeners: [{ name: 'http', address: { socket_address: { address: '0.0.0.0', port_value: 8080 } }, filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        stat_prefix: 'ingress',
        route_config: { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ name: upstream, match: { prefix: '/' }, route: { cluster: upstream, retry_policy: { retry_on: 'connect-failure,refused-stream,reset', num_retries: 2, retry_host_predicate: [{ name: 'envoy.retry_host_predicates.previous_hosts' }] } } }] }] },
        http_filters: [{ name: 'envoy.filters.http.health_check', typed_config: { headers: [{ name: ':path', string_match: { exact: '/envoy-hc' } }] } }, { name: 'envoy.filters.http.router' }],
      } }] }] }],
      clusters: [{ name: upstream, type: 'STRICT_DNS', ignore_health_on_host_removal: true, load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: `${upstream}.${namespace}.svc.cluster.local`, port_value: 8080 } } } }] }] } }],
    },
  };
  const pod = (name: string, preStop: string[], extra: Record<string, unknown> = {}) => ({
    metadata: { labels: { app: name } },
    spec: { terminationGracePeriodSeconds: 60, securityContext: { runAsNonRoot: true, runAsUser: 101 }, containers: [{ name, image: extra.image ?? 'example/app:1', ports: [{ containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 } }, lifecycle: { preStop: { exec: { command: preStop } } } }], ...(extra.volumes ? { volumes: extra.volumes } : {}) },
  });
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: gateway, namespace, annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance' } }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: gateway }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: gateway, namespace }, spec: { replicas: 3, minReadySeconds: 30, selector: { matchLabels: { app: gateway } }, template: pod(gateway, ['/bin/sh', '-c', 'wget --post-data "" -O /dev/null 127.0.0.1:9901/healthcheck/fail; sleep 35'], { image: 'quay.io/solo-io/gloo-envoy-wrapper:1.17.0', volumes: [{ name: 'config', configMap: { name: `${gateway}-envoy` } }] }) } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${gateway}-envoy`, namespace }, data: { 'envoy.yaml': stringify(bootstrap) } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: upstream, namespace }, spec: { clusterIP: 'None', selector: { app: upstream }, ports: [{ port: 8080 }] } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: upstream, namespace }, spec: { replicas: 3, selector: { matchLabels: { app: upstream } }, template: pod(upstream, ['sleep', '45']) } },
  ];
}

function time<T>(run: () => T): { result: T; seconds: number } {
  const start = performance.now();
  const result = run();
  return { result, seconds: (performance.now() - start) / 1000 };
}

const objects = Array.from({ length: STACKS }, (_, index) => stack(index)).flat();
const text = objects.map((object) => stringify(object)).join('---\n');

// Warm up the JIT on a small input so that the figures measure steady work.
checkReadResult(readManifestText(objects.slice(0, 50).map((object) => stringify(object)).join('---\n'), 'warm-up.yaml'));

const GOAL_SECONDS = 2;
const baseline = time(() => parseAllDocuments(text).map((document) => document.toJS()).length);
const loaded = time(() => loadManifestText(text, 'bench.yaml'));
const fromObjects = time(() => checkReadResult(readManifestObjects(objects)));
const fromText = time(() => checkReadResult(readManifestText(text, 'bench.yaml')));

const report = fromText.result;
const line = (name: string, seconds: number) => `${name.padEnd(50)} ${seconds.toFixed(3)} s  (${(seconds / baseline.seconds).toFixed(2)} × baseline)`;
console.log(`${objects.length} objects, ${(text.length / 1e6).toFixed(1)} MB of YAML; ${report.summary.gateways} gateways, ${report.summary.upstreams} upstreams, ${report.findings.length} findings`);
console.log(line('baseline: parse with the yaml library (old reader)', baseline.seconds));
console.log(line('parse as hitless reads it (js-yaml)', loaded.seconds) + `  ${(baseline.seconds / loaded.seconds).toFixed(1)}× faster`);
console.log(line('read + check, objects already parsed', fromObjects.seconds));
console.log(line('read + check, from YAML text (hitless check)', fromText.seconds));
console.log(`goal: hitless check on ${objects.length} objects in ≤ ${GOAL_SECONDS} s: ${fromText.seconds <= GOAL_SECONDS ? 'met' : 'NOT met'} (${fromText.seconds.toFixed(2)} s; the old reader's YAML parse alone took ${baseline.seconds.toFixed(2)} s)`);
if (loaded.result.objects.length !== objects.length || loaded.result.problems.length > 0) {
  console.error(`the YAML text was not read whole: ${loaded.result.objects.length} objects, ${loaded.result.problems.length} problems`);
  process.exitCode = 1;
}
if (report.summary.gateways !== STACKS || report.summary.upstreams !== STACKS) {
  console.error('the generated topology was not read whole');
  process.exitCode = 1;
}
