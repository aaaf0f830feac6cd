import { readinessProbe } from '../../lib/core/probe';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

function podWith(probe: Record<string, unknown>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'app:1', readinessProbe: probe }] } };
}

test('an HTTP readiness probe with quick, non-flapping defaults is valid Kubernetes', () => {
  const probe = readinessProbe({ path: '/ready', port: 8080 });
  expect(probe).toEqual({ httpGet: { path: '/ready', port: 8080 }, initialDelaySeconds: 0, periodSeconds: 2, timeoutSeconds: 2, successThreshold: 1, failureThreshold: 3 });
  expectValidKubernetesObjects([podWith(probe)]);
});

test('options override the defaults; HTTPS is written as a scheme', () => {
  const probe = readinessProbe({ path: '/healthz', port: 'http', periodSeconds: 5, failureThreshold: 2, scheme: 'HTTPS' });
  expect(probe).toMatchObject({ httpGet: { path: '/healthz', port: 'http', scheme: 'HTTPS' }, periodSeconds: 5, failureThreshold: 2 });
  expectValidKubernetesObjects([podWith(probe)]);
});

test('fails on a path that does not start with /', () => {
  expect(() => readinessProbe({ path: 'ready', port: 8080 })).toThrow("the readiness probe path (\"ready\") must start with '/'");
});
