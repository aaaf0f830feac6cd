import * as fs from 'fs';
import * as path from 'path';
import { readManifestObjects, readManifestText } from '../../lib/read';

const BAD = fs.readFileSync(path.join(__dirname, '../fixtures/gke/neg-no-drain.yaml'), 'utf8');

function service(namespace: string, name: string, annotations: Record<string, string>, spec: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, annotations }, spec: { type: 'ClusterIP', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec } };
}

function deployment(namespace: string, name: string, readinessProbe?: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.31.2', ...(readinessProbe ? { readinessProbe } : {}) }] } } },
  };
}

function loadBalancerOf(objects: unknown[]) {
  const result = readManifestObjects(objects);
  return { lb: result.topology.gateways[0]?.services.find((each) => each.loadBalancer)?.loadBalancer, findings: result.findings };
}

describe('reading GKE load balancers', () => {
  test("a Service with NEGs and no BackendConfig gets the Ingress controller's defaults, path and timing from the httpGet readiness probe", () => {
    const topology = readManifestText(BAD, 'neg-no-drain.yaml').topology;
    const model = topology.gateways[0].services[0].loadBalancer!;
    expect(model.provider).toBe('gke');
    expect(model.targetType).toBe('ip');
    expect(model.healthCheck).toEqual({ intervalSeconds: 10, timeoutSeconds: 2, healthyThreshold: 1, unhealthyThreshold: 2 });
    expect(model.healthCheckPath).toBe('/ready-not-admin');
    expect(model.gke).toMatchObject({ shape: 'ingress', negDetachSeconds: 40, connectionDrainingSeconds: 0, healthCheckSource: 'readiness-probe' });
  });

  test('without an httpGet readiness probe the Ingress health check is 15 s / 15 s / 1 / 2 on /', () => {
    const { lb } = loadBalancerOf([service('edge', 'gw', { 'cloud.google.com/neg': '{"ingress": true}' }), deployment('edge', 'gw', { tcpSocket: { port: 8080 } })]);
    expect(lb?.healthCheck).toEqual({ intervalSeconds: 15, timeoutSeconds: 15, healthyThreshold: 1, unhealthyThreshold: 2 });
    expect(lb?.healthCheckPath).toBe('/');
    expect(lb?.gke?.healthCheckSource).toBe('controller-default');
  });

  test('a BackendConfig named by the Service sets the health check and connection draining', () => {
    const config = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'gw-hc', namespace: 'edge' }, spec: { healthCheck: { checkIntervalSec: 5, timeoutSec: 3, unhealthyThreshold: 3, requestPath: '/envoy-hc' }, connectionDraining: { drainingTimeoutSec: 30 } } };
    const { lb } = loadBalancerOf([service('edge', 'gw', { 'cloud.google.com/neg': '{"ingress": true}', 'cloud.google.com/backend-config': '{"ports": {"80": "gw-hc"}}' }), deployment('edge', 'gw'), config]);
    expect(lb?.healthCheck).toEqual({ intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 1, unhealthyThreshold: 3 });
    expect(lb?.healthCheckPath).toBe('/envoy-hc');
    expect(lb?.gke).toMatchObject({ connectionDrainingSeconds: 30, healthCheckSource: 'backend-config', configuredBy: ['BackendConfig/edge/gw-hc'] });
  });

  test('a BackendConfig that is not in the input is reported, and the defaults assumed', () => {
    const { lb, findings } = loadBalancerOf([service('edge', 'gw', { 'cloud.google.com/neg': '{"ingress": true}', 'cloud.google.com/backend-config': '{"default": "missing"}' }), deployment('edge', 'gw')]);
    expect(lb?.gke?.healthCheckSource).toBe('controller-default');
    expect(findings.map((finding) => finding.rule)).toContain('gke-backend-config-not-found');
  });

  test('a drainingTimeoutSec out of range is a schema finding naming the BackendConfig', () => {
    const config = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'gw', namespace: 'edge' }, spec: { connectionDraining: { drainingTimeoutSec: 4000 } } };
    const { findings } = loadBalancerOf([service('edge', 'gw', { 'cloud.google.com/neg': '{"ingress": true}', 'cloud.google.com/backend-config': '{"default": "gw"}' }), deployment('edge', 'gw'), config]);
    expect(findings.find((finding) => finding.rule === 'invalid-field')?.objects).toEqual(['BackendConfig/edge/gw']);
  });

  test('a Service behind a gce Ingress uses NEGs even without the annotation', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'edge', annotations: { 'kubernetes.io/ingress.class': 'gce' } }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gw', port: { number: 80 } } } }] } }] } };
    expect(loadBalancerOf([service('edge', 'gw', {}), deployment('edge', 'gw'), ingress]).lb?.gke?.shape).toBe('ingress');
  });

  test("a Service routed by a GKE Gateway's HTTPRoute takes the HealthCheckPolicy and GCPBackendPolicy on it, else 5/5/2/2", () => {
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'external', namespace: 'edge' }, spec: { gatewayClassName: 'gke-l7-global-external-managed', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } };
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'gw', namespace: 'edge' }, spec: { parentRefs: [{ name: 'external' }], rules: [{ backendRefs: [{ name: 'gw', port: 80 }] }] } };
    const bare = loadBalancerOf([service('edge', 'gw', {}), deployment('edge', 'gw'), gateway, route]).lb;
    expect(bare?.gke?.shape).toBe('gateway');
    expect(bare?.healthCheck).toEqual({ intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 });
    const hcp = { apiVersion: 'networking.gke.io/v1', kind: 'HealthCheckPolicy', metadata: { name: 'gw', namespace: 'edge' }, spec: { default: { checkIntervalSec: 3, unhealthyThreshold: 3, config: { type: 'HTTP', httpHealthCheck: { requestPath: '/envoy-hc' } } }, targetRef: { group: '', kind: 'Service', name: 'gw' } } };
    const gbp = { apiVersion: 'networking.gke.io/v1', kind: 'GCPBackendPolicy', metadata: { name: 'gw', namespace: 'edge' }, spec: { default: { connectionDraining: { drainingTimeoutSec: 45 } }, targetRef: { group: '', kind: 'Service', name: 'gw' } } };
    const lb = loadBalancerOf([service('edge', 'gw', {}), deployment('edge', 'gw'), gateway, route, hcp, gbp]).lb;
    expect(lb?.healthCheck).toEqual({ intervalSeconds: 3, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 });
    expect(lb?.healthCheckPath).toBe('/envoy-hc');
    expect(lb?.gke).toMatchObject({ connectionDrainingSeconds: 45, configuredBy: ['HealthCheckPolicy/edge/gw', 'GCPBackendPolicy/edge/gw'] });
  });

  test('an L4 passthrough Service checks kube-proxy: healthCheckNodePort 3/1/1/2 with Local, port 10256 8/1/1/3 with Cluster', () => {
    const local = loadBalancerOf([service('edge', 'gw', { 'cloud.google.com/l4-rbs': 'enabled' }, { type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), deployment('edge', 'gw')]).lb;
    expect(local).toMatchObject({ provider: 'gke', targetType: 'instance', healthCheckPort: 'healthCheckNodePort', healthCheck: { intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 } });
    const cluster = loadBalancerOf([service('edge', 'gw', { 'networking.gke.io/load-balancer-type': 'Internal' }, { type: 'LoadBalancer' }), deployment('edge', 'gw')]).lb;
    expect(cluster).toMatchObject({ healthCheckPort: '10256', healthCheck: { intervalSeconds: 8, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 3 } });
  });

  test('an unannotated LoadBalancer Service is left to the other readers', () => {
    expect(loadBalancerOf([service('edge', 'gw', {}, { type: 'LoadBalancer' }), deployment('edge', 'gw')]).lb?.provider).not.toBe('gke');
  });
});
