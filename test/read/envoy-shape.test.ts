import { readManifestText } from '../../lib/read';
import { envoyShapeFindings } from '../../lib/read/envoy-shape';

describe('envoyShapeFindings', () => {
  test('a health_checks map is a schema error naming the cluster, never dropped in silence', () => {
    const bootstrap = { static_resources: { clusters: [{ name: 'orders', health_checks: { timeout: '1s', interval: '5s' } }] } };
    const findings = envoyShapeFindings(bootstrap, 'ConfigMap/edge/envoy');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'envoy-field-not-a-list', category: 'schema', severity: 'error', objects: ['ConfigMap/edge/envoy'] });
    expect(findings[0].message).toContain('static_resources.clusters[0](orders).health_checks');
    expect(findings[0].message).toContain('a map');
  });

  test('lists are fine', () => {
    expect(envoyShapeFindings({ static_resources: { clusters: [{ name: 'a', health_checks: [{ timeout: '1s' }] }], listeners: [] } }, 'x')).toEqual([]);
  });

  test('check reports it from a ConfigMap mounted by a gateway', () => {
    const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: envoy, namespace: edge}
data:
  envoy.yaml: |
    admin: {address: {socket_address: {address: 127.0.0.1, port_value: 9901}}}
    static_resources:
      clusters:
      - name: orders
        type: STRICT_DNS
        health_checks: {timeout: 1s, interval: 5s, unhealthy_threshold: 2, healthy_threshold: 2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: envoy, namespace: edge}
spec:
  selector: {matchLabels: {app: envoy}}
  template:
    metadata: {labels: {app: envoy}}
    spec:
      containers:
      - {name: envoy, image: envoyproxy/envoy:v1.31.0, args: [-c, /etc/envoy/envoy.yaml]}
      volumes:
      - {name: config, configMap: {name: envoy}}
`;
    const { findings } = readManifestText(manifest, 'm.yaml');
    expect(findings.filter((finding) => finding.rule === 'envoy-field-not-a-list').map((finding) => finding.objects)).toEqual([['ConfigMap/edge/envoy']]);
  });
});
