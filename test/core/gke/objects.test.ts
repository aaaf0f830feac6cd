import * as path from 'path';
import { backendConfig, gcpBackendPolicy, gkeGateway, gkeHttpRoute, gkeIngress, healthCheckPolicy, l4ServiceAnnotations, negServiceAnnotations } from '../../../lib/core/gke/objects';
import { validateCustomResource } from '../../support/crd-schema';
import { expectValidKubernetesObjects } from '../../support/k8s-schema';

const GKE_CRDS = path.resolve(__dirname, '../../fixtures/crds/gke');
const target = { name: 'edge', namespace: 'edge' };
const settings = { intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2, requestPath: '/envoy-hc' };

describe('GKE object builders', () => {
  test('BackendConfig is valid against its CRD and carries the health check and draining', () => {
    const object = backendConfig(target, settings, 20) as any;
    expect(validateCustomResource(object, GKE_CRDS)).toEqual([]);
    expect(object.spec).toEqual({ healthCheck: { type: 'HTTP', requestPath: '/envoy-hc', checkIntervalSec: 5, timeoutSec: 3, healthyThreshold: 2, unhealthyThreshold: 2 }, connectionDraining: { drainingTimeoutSec: 20 } });
  });

  test('a field the CRD lacks is caught by the CRD validation (the schema is not a rubber stamp)', () => {
    const object = backendConfig(target, settings, 20) as any;
    expect(validateCustomResource({ ...object, spec: { ...object.spec, connectionDraining: { drainingTimeout: 20 } } }, GKE_CRDS)).not.toEqual([]);
    const policy = gcpBackendPolicy(target, 'edge', 20) as any;
    expect(validateCustomResource({ ...policy, spec: { ...policy.spec, default: { connectionDraining: { drainingTimeoutSec: 4000 } } } }, GKE_CRDS)).not.toEqual([]);
  });

  test('HealthCheckPolicy, GCPBackendPolicy, Gateway and HTTPRoute are valid against their CRDs', () => {
    for (const object of [healthCheckPolicy(target, 'edge', settings), gcpBackendPolicy(target, 'edge', 20), gkeGateway(target, 'gke-l7-global-external-managed', 80), gkeHttpRoute(target, 'edge', 'edge', 80)]) {
      expect(validateCustomResource(object, GKE_CRDS)).toEqual([]);
    }
  });

  test('the Ingress is a valid Kubernetes object of class gce sending to the Service', () => {
    const ingress = gkeIngress(target, 'edge', 80, 'gce-internal') as any;
    expectValidKubernetesObjects([ingress]);
    expect(ingress.metadata.annotations['kubernetes.io/ingress.class']).toBe('gce-internal');
    expect(ingress.spec.defaultBackend.service).toEqual({ name: 'edge', port: { number: 80 } });
  });

  test('Service annotations for NEGs with a BackendConfig, and for L4', () => {
    expect(negServiceAnnotations()).toEqual({ 'cloud.google.com/neg': '{"ingress":true}' });
    expect(JSON.parse(negServiceAnnotations('edge')['cloud.google.com/backend-config'])).toEqual({ default: 'edge' });
    expect(l4ServiceAnnotations(false)).toEqual({ 'cloud.google.com/l4-rbs': 'enabled' });
  });
});
