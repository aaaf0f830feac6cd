import { Finding } from '../../lib/core/finding';
import { indexObjects } from '../../lib/read/topology-index';

const deployment = (name: string, namespace?: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(namespace ? { namespace } : {}) },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});

describe('the index phase', () => {
  test('files each object by kind, under its Kind/namespace/name, a missing namespace being default', () => {
    const findings: Finding[] = [];
    const index = indexObjects([
      deployment('web'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'envoy', namespace: 'edge' }, data: {} },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } } },
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb', namespace: 'shop' }, spec: { serviceRef: { name: 'web', port: 80 }, targetType: 'ip' } },
    ], findings);
    expect([...index.workloads.keys()]).toEqual(['Deployment/default/web']);
    expect([...index.services.keys()]).toEqual(['Service/shop/web']);
    expect([...index.configMaps.keys()]).toEqual(['ConfigMap/edge/envoy']);
    expect(index.disruptionBudgets).toEqual([{ ref: 'PodDisruptionBudget/default/web', namespace: 'default', selector: { app: 'web' }, maxUnavailable: 1 }]);
    expect(index.bindings).toEqual([{ ref: 'TargetGroupBinding/shop/tgb', service: 'Service/shop/web', targetType: 'ip' }]);
    expect(findings).toEqual([]);
  });

  test('keeps the last of a duplicated workload, as kubectl apply would, and says so', () => {
    const findings: Finding[] = [];
    const index = indexObjects([deployment('web', 'shop'), { ...deployment('web', 'shop'), spec: { ...deployment('web').spec, replicas: 4 } }], findings);
    expect(index.workloads.get('Deployment/shop/web')?.model.replicas).toBe(4);
    expect(findings.map((finding) => finding.rule)).toEqual(['duplicate-object']);
  });

  test('an object a reader throws on is reported by its reference and left out, never hiding the others', () => {
    const findings: Finding[] = [];
    const hostile = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'boom', namespace: 'shop' }, get spec(): never { throw new Error('unreadable'); } };
    const index = indexObjects([hostile, deployment('web')], findings);
    expect(index.workloads.size).toBe(1);
    expect(findings).toEqual([expect.objectContaining({ rule: 'object-not-read', objects: ['Service/shop/boom'] })]);
  });
});
