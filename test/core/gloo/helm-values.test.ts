import { glooGatewayProxyValues, GlooGatewayProxyPlan, glooHelmValues, glooProxyId, glooReadinessProbe } from '../../../lib/core/gloo/helm-values';
import { validateKubernetesObject } from '../../support/k8s-schema';

function plan(overrides: Partial<GlooGatewayProxyPlan> = {}): GlooGatewayProxyPlan {
  return {
    mode: 'deployment', replicas: 3, hostPort: false, sleepTimeSeconds: 46, terminationGracePeriodSeconds: 51, minReadySeconds: 25,
    healthCheckPath: '/envoy-hc', podHttpPort: 8080, podHttpsPort: 8443, serviceHttpPort: 80, serviceHttpsPort: 443,
    serviceType: 'LoadBalancer', externalTrafficPolicy: 'Local', serviceAnnotations: {}, proxyId: 'gateway-proxy', ...overrides,
  };
}

describe('glooProxyId', () => {
  test('is the chart kebabcase of the gatewayProxies key', () => {
    expect(glooProxyId('gatewayProxy')).toBe('gateway-proxy');
    expect(glooProxyId('publicGw2')).toBe('public-gw2');
  });
});

describe('glooGatewayProxyValues', () => {
  test('a Deployment of the given replicas, one per node, surging before it removes', () => {
    const values = glooGatewayProxyValues(plan());
    expect(values.kind).toEqual({ deployment: { replicas: 3 }, daemonSet: null });
    expect((values.affinity as any).podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
      { labelSelector: { matchLabels: { 'gateway-proxy-id': 'gateway-proxy' } }, topologyKey: 'kubernetes.io/hostname' },
    ]);
    expect(values.kubeResourceOverride).toEqual({ spec: { minReadySeconds: 25, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } });
    expect(values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });

  test('the solved timings land in the chart values that carry them', () => {
    const values = glooGatewayProxyValues(plan({ sleepTimeSeconds: 40, terminationGracePeriodSeconds: 45 }));
    expect(values.podTemplate.gracefulShutdown).toEqual({ enabled: true, sleepTimeSeconds: 40 });
    expect(values.podTemplate.terminationGracePeriodSeconds).toBe(45);
  });

  test('the health check filter is on both generated Gateways', () => {
    const values = glooGatewayProxyValues(plan({ healthCheckPath: '/hc' }));
    expect(values.gatewaySettings?.customHttpGateway).toEqual({ options: { healthCheck: { path: '/hc' } } });
    expect(values.gatewaySettings?.customHttpsGateway).toEqual({ options: { healthCheck: { path: '/hc' } } });
  });

  test('the readiness probe keeps passing while the proxy drains', () => {
    const values = glooGatewayProxyValues(plan());
    expect(values.podTemplate.probes).toBe(true);
    const probe = values.podTemplate.customReadinessProbe as any;
    expect(probe.tcpSocket).toEqual({ port: 8080 });
    expect(JSON.stringify(probe)).not.toMatch(/\/ready|envoy-hc/);
  });

  test('a DaemonSet drops the chart default Deployment, binds host ports without the host network and never surges', () => {
    const values = glooGatewayProxyValues(plan({ mode: 'daemonset', hostPort: true }));
    expect(values.kind).toEqual({ deployment: null, daemonSet: { hostPort: true, hostNetwork: false } });
    expect(values.affinity).toBeUndefined();
    expect(values.podDisruptionBudget).toBeUndefined();
    expect(values.kubeResourceOverride).toEqual({ spec: { minReadySeconds: 25, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } });
  });

  test('the Service carries the load balancer annotations and keeps traffic on the node', () => {
    const values = glooGatewayProxyValues(plan({ serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } }));
    expect(values.service).toEqual({ type: 'LoadBalancer', httpPort: 80, httpsPort: 443, externalTrafficPolicy: 'Local', extraAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } });
  });

  test('Envoy admin stays on loopback', () => {
    expect(glooGatewayProxyValues(plan()).loopBackAddress).toBe('127.0.0.1');
  });
});

describe('glooReadinessProbe', () => {
  test('is a valid Kubernetes probe', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', readinessProbe: glooReadinessProbe(8080) }] } };
    expect(validateKubernetesObject(pod)).toEqual([]);
  });
});

describe('glooHelmValues', () => {
  test('nests the proxies under gloo for the gloo-ee chart', () => {
    const proxy = glooGatewayProxyValues(plan());
    expect(glooHelmValues('gatewayProxy', proxy)).toEqual({ gatewayProxies: { gatewayProxy: proxy } });
    expect(glooHelmValues('gatewayProxy', proxy, { enterprise: true })).toEqual({ gloo: { gatewayProxies: { gatewayProxy: proxy } } });
  });
});

describe('glooGatewayProxyValues without HTTPS', () => {
  test('disables the HTTPS Gateway and keeps the health check on the HTTP one', () => {
    const values = glooGatewayProxyValues(plan({ disableHttps: true }));
    expect(values.gatewaySettings).toEqual({ enabled: true, disableHttpsGateway: true, customHttpGateway: { options: { healthCheck: { path: '/envoy-hc' } } } });
  });
});
