import { checkManifestRules } from '../../lib/check/manifest-rules';
import { Topology } from '../../lib/core/model';
import { cluster, gateway, upstream } from '../support/models';

const topology = (clusterService: string): Topology => ({
  gateways: [gateway({ envoy: { object: 'ConfigMap/edge/gateway-envoy', clusters: [cluster({ service: clusterService })], routes: [] } })],
  upstreams: [upstream()],
});

describe('checkManifestRules', () => {
  test('warns when a DNS cluster resolves a Service with a cluster IP, naming the bootstrap and the Service', () => {
    const findings = checkManifestRules(topology('Service/shop/orders'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'cluster-resolves-cluster-ip', severity: 'warning', objects: ['ConfigMap/edge/gateway-envoy', 'Service/shop/orders'] });
    expect(findings[0].fix).toContain('headless Service');
  });

  test('says nothing of a cluster that resolves a headless Service', () => {
    expect(checkManifestRules(topology('Service/shop/orders-headless'))).toEqual([]);
  });
});
