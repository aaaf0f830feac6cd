import { Finding } from '../../lib/core/finding';
import { WorkloadModel } from '../../lib/core/model';
import { indexObjects } from '../../lib/read/topology-index';
import { linkServices, withDisruptionBudget } from '../../lib/read/topology-link';

const labelled = (kind: string, name: string, namespace: string, app: string) => ({
  apiVersion: 'apps/v1', kind, metadata: { name, namespace },
  spec: { selector: { matchLabels: { app } }, template: { metadata: { labels: { app, tier: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] } } },
});
const service = (name: string, namespace: string, selector: Record<string, string>, type = 'ClusterIP') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type, selector, ports: [{ port: 80 }] } });

describe('the link phase', () => {
  test('a Service selects the workloads of its own namespace whose pod labels match its whole selector', () => {
    const findings: Finding[] = [];
    const index = indexObjects([
      labelled('Deployment', 'web', 'shop', 'web'),
      labelled('Deployment', 'web', 'other', 'web'),
      labelled('Deployment', 'api', 'shop', 'api'),
      service('web', 'shop', { app: 'web', tier: 'web' }),
    ], findings);
    const links = linkServices(index, findings);
    expect(links.selectedBy.get('Service/shop/web')?.map((reading) => reading.model.object)).toEqual(['Deployment/shop/web']);
    expect(links.servicesOf.get('Deployment/shop/web')?.map((each) => each.object)).toEqual(['Service/shop/web']);
    expect(links.servicesOf.has('Deployment/other/web')).toBe(false);
    expect(findings).toEqual([]);
  });

  test('a load-balanced Service that selects nothing is reported; a TargetGroupBinding gives its Service an assumed load balancer', () => {
    const findings: Finding[] = [];
    const index = indexObjects([
      service('lonely', 'shop', { app: 'nobody' }, 'LoadBalancer'),
      labelled('Deployment', 'web', 'shop', 'web'),
      service('web', 'shop', { app: 'web' }),
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'tgb', namespace: 'shop' }, spec: { serviceRef: { name: 'web', port: 80 } } },
      { apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding', metadata: { name: 'stray', namespace: 'shop' }, spec: { serviceRef: { name: 'gone', port: 80 } } },
    ], findings);
    const links = linkServices(index, findings);
    expect(links.serviceModels.get('Service/shop/web')?.loadBalancer?.object).toBe('TargetGroupBinding/shop/tgb');
    expect(findings.map((finding) => finding.rule)).toEqual(expect.arrayContaining(['target-group-timing-assumed', 'binding-service-not-found', 'service-selects-nothing']));
  });

  test('a workload gets the first PodDisruptionBudget of its namespace that selects its pods', () => {
    const model = { object: 'Deployment/shop/web', namespace: 'shop', podLabels: { app: 'web' } } as unknown as WorkloadModel;
    const budgets = [
      { ref: 'PodDisruptionBudget/other/web', namespace: 'other', selector: { app: 'web' }, maxUnavailable: 1 },
      { ref: 'PodDisruptionBudget/shop/web', namespace: 'shop', selector: { app: 'web' }, minAvailable: '50%' },
    ];
    expect(withDisruptionBudget(model, budgets).disruptionBudget).toEqual({ object: 'PodDisruptionBudget/shop/web', minAvailable: '50%' });
    expect(withDisruptionBudget(model, [])).toBe(model);
  });
});
