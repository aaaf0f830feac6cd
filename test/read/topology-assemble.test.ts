import { Finding } from '../../lib/core/finding';
import { uniqueFindings } from '../../lib/read/topology-assemble';
import { readManifestObjects } from '../../lib/read';

const finding = (rule: string, objects: string[], message: string): Finding => ({ rule, category: 'unknown', severity: 'warning', objects, message, fix: 'fix it' });

describe('the assemble phase', () => {
  test('a finding made twice is reported once; findings that differ in rule, objects or message all stay', () => {
    const once = finding('a', ['X/ns/one'], 'm');
    expect(uniqueFindings([once, { ...once }, finding('b', ['X/ns/one'], 'm'), finding('a', ['X/ns/two'], 'm'), finding('a', ['X/ns/one'], 'other')])).toHaveLength(4);
  });

  test('a workload behind a load balancer is a gateway even without Envoy; one behind a ClusterIP only, running no Envoy, is not', () => {
    const workload = (name: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
    });
    const service = (name: string, type: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { type, selector: { app: name }, ports: [{ port: 80 }] } });
    const { topology } = readManifestObjects([workload('front'), service('front', 'NodePort'), workload('inner'), service('inner', 'ClusterIP')]);
    expect(topology.gateways.map((gateway) => gateway.workload.object)).toEqual(['Deployment/shop/front']);
  });
});
