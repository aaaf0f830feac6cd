import { installMocks } from './mocks';

const recorder = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumi: typeof import('@pulumi/pulumi') = require('@pulumi/pulumi');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const k8s: typeof import('@pulumi/kubernetes') = require('@pulumi/kubernetes');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const render: typeof import('../../lib/pulumi/render') = require('../../lib/pulumi/render');

class Holder extends pulumi.ComponentResource {
  constructor(name: string, opts?: import('@pulumi/pulumi').ComponentResourceOptions) {
    super('test:index:Holder', name, {}, opts);
  }
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'orders', namespace: 'shop', labels: { app: 'orders' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', image: 'orders:1' }] } } },
};
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'orders', namespace: 'shop' }, spec: { maxUnavailable: 1 } };
const binding = {
  apiVersion: 'elbv2.k8s.aws/v1beta1',
  kind: 'TargetGroupBinding',
  metadata: { name: 'edge', namespace: 'edge' },
  spec: { serviceRef: { name: 'edge', port: 80 }, targetGroupARN: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/edge/1', targetType: 'instance' },
};

beforeEach(() => recorder.clear());

describe('builtInClass', () => {
  test.each([
    ['apps/v1', 'Deployment', 'kubernetes:apps/v1:Deployment'],
    ['v1', 'Service', 'kubernetes:core/v1:Service'],
    ['v1', 'ConfigMap', 'kubernetes:core/v1:ConfigMap'],
    ['policy/v1', 'PodDisruptionBudget', 'kubernetes:policy/v1:PodDisruptionBudget'],
    ['networking.k8s.io/v1', 'NetworkPolicy', 'kubernetes:networking.k8s.io/v1:NetworkPolicy'],
  ])('finds the typed class of %s %s', async (apiVersion, kind, token) => {
    const typed = render.builtInClass(apiVersion, kind);
    expect(typed).toBeDefined();
    render.renderKubeObject('c', { apiVersion, kind, metadata: { name: 'x' }, spec: {} }, {});
    await recorder.settle();
    expect(recorder.resources.map((each) => each.type)).toEqual([token]);
  });

  test.each([
    ['elbv2.k8s.aws/v1beta1', 'TargetGroupBinding'],
    ['cloud.google.com/v1', 'BackendConfig'],
    ['storage.example.com/v1', 'StorageClass'],
    ['apps/v1', 'NoSuchKind'],
  ])('has no typed class for %s %s', (apiVersion, kind) => {
    expect(render.builtInClass(apiVersion, kind)).toBeUndefined();
  });
});

describe('renderKubeObjects', () => {
  test('creates each object as a child with its own fields, named after the component, then namespace/name', async () => {
    const parent = new Holder('holder');
    render.renderKubeObjects('c', [deployment, service, budget, binding], { parent });
    await recorder.settle();
    const recorded = recorder.get('kubernetes:apps/v1:Deployment', 'c-shop/orders');
    expect(recorded.inputs).toEqual(deployment);
    expect(recorded.parent).toContain('test:index:Holder::holder');
    expect(recorder.get('kubernetes:core/v1:Service', 'c-shop/orders').inputs).toEqual(service);
    expect(recorder.get('kubernetes:policy/v1:PodDisruptionBudget', 'c-shop/orders').inputs).toEqual(budget);
  });

  test('custom resources become CustomResources of their own type token, fields intact', async () => {
    render.renderKubeObjects('c', [binding], {});
    await recorder.settle();
    expect(recorder.get('kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding', 'c-edge/edge').inputs).toEqual(binding);
  });

  test('a provider given to the parent component reaches the objects', async () => {
    const provider = new k8s.Provider('cluster', { kubeconfig: 'mock' });
    const parent = new Holder('with-provider', { providers: [provider] });
    render.renderKubeObjects('c', [service], { parent });
    await recorder.settle();
    expect(recorder.get('kubernetes:core/v1:Service', 'c-shop/orders').provider).toMatch(/pulumi:providers:kubernetes::cluster::/);
  });

  test('a field given as an Output reaches the resource once it resolves', async () => {
    let settle!: (spec: any) => void;
    const later = pulumi.output(new Promise<any>((resolve) => (settle = resolve)));
    render.renderKubeObject('c', { ...deployment, spec: later }, {});
    settle({ ...deployment.spec, replicas: 5 });
    await recorder.settle();
    expect(recorder.get('kubernetes:apps/v1:Deployment', 'c-shop/orders').inputs.spec.replicas).toBe(5);
  });

  test('refuses two objects with the same identity', () => {
    expect(() => render.renderKubeObjects('c', [service, service], {})).toThrow(/two objects are both v1 Service\/shop\/orders/);
  });
});
