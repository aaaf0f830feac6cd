import { installMocks } from './mocks';
import { byKey, cdk8sManifests, pulumiManifests } from './parity';

const recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const face: typeof import('../../lib/pulumi') = require('../../lib/pulumi');
const { Duration }: typeof import('../../lib/core/duration') = require('../../lib/core/duration');
const { GatewayPlan }: typeof import('../../lib/core/gateway/gateway-plan') = require('../../lib/core/gateway/gateway-plan');
const { buildGkeLoadBalancer }: typeof import('../../lib/core/gke/gke-load-balancer') = require('../../lib/core/gke/gke-load-balancer');
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => recorder.clear());
afterEach(() => recorder.settle());

describe('GkeLoadBalancer (Pulumi)', () => {
  test('solves the gateway as core does and registers the objects of the shape as children', async () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', gke: { shape: 'gateway', negDetachLatency: Duration.seconds(30) } });
    const lb = gateway.gke!;
    await recorder.settle();
    const plan = new GatewayPlan({ name: 'edge', namespace: 'edge' });
    const expected = buildGkeLoadBalancer({ shape: 'gateway', negDetachLatency: Duration.seconds(30) }, plan);
    expect(lb.budget).toEqual(expected.budget);
    expect(lb.model).toEqual(expected.model);
    expect(gateway.budget).toEqual(expected.budget);
    expect(recorder.get('hitless:index:GkeLoadBalancer', 'edge-gke').custom).toBe(false);
    const kinds = pulumiManifests(recorder.resources).map((each) => each.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Gateway', 'HTTPRoute', 'HealthCheckPolicy', 'GCPBackendPolicy']));
    expect(lb.apiObjects).toHaveLength(4);
    expect(recorder.resources.filter((each) => each.type.startsWith('gcp:'))).toHaveLength(0);
  });

  test("puts the NEG and BackendConfig annotations on the gateway's Service", async () => {
    new face.HitlessGateway('edge', { namespace: 'edge', gke: {} });
    await recorder.settle();
    expect(recorder.get('kubernetes:core/v1:Service', 'edge-edge/edge').inputs.metadata.annotations).toEqual({ 'cloud.google.com/neg': '{"ingress":true}', 'cloud.google.com/backend-config': '{"default":"edge"}' });
  });

  test('refuses a bad override naming the prop, the value and the bound', () => {
    expect(() => new face.HitlessGateway('edge', { namespace: 'edge', gke: { healthyThreshold: 0 } })).toThrow(face.GkeLimitError);
    expect(() => new face.HitlessGateway('edge2', { namespace: 'edge', gke: { healthyThreshold: 0 } })).toThrow("'healthyThreshold' (0) must be within 1–10");
  });

  test('refuses a GkeLoadBalancer made after the gateway rendered, and a second load balancer', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', gke: {} });
    expect(() => new face.GkeLoadBalancer('late', { gateway })).toThrow("HitlessGateway 'edge' already has GkeLoadBalancer 'edge-gke' in front; a second, GkeLoadBalancer 'late', is refused");
    const bare = new face.HitlessGateway('bare', { namespace: 'edge' });
    expect(() => new face.GkeLoadBalancer('late', { gateway: bare })).toThrow("GkeLoadBalancer 'late' reached HitlessGateway 'bare' after it rendered its objects");
  });
});

describe('parity with the cdk8s face', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  const { HitlessGateway }: typeof import('../../lib/cdk8s/hitless-gateway') = require('../../lib/cdk8s/hitless-gateway');
  const { GkeLoadBalancer }: typeof import('../../lib/cdk8s/gke-load-balancer') = require('../../lib/cdk8s/gke-load-balancer');
  /* eslint-enable @typescript-eslint/no-require-imports */

  test.each(['ingress', 'gateway', 'l4'] as const)('%s: the same objects', async (shape) => {
    new face.HitlessGateway('edge', { namespace: 'edge', gke: { shape, ...(shape === 'l4' ? {} : { healthCheckInterval: Duration.seconds(4), healthCheckTimeout: Duration.seconds(2) }) } });
    await recorder.settle();
    const expected = cdk8sManifests((chart) => {
      const edge = new HitlessGateway(chart, 'edge', { name: 'edge', namespace: 'edge' });
      new GkeLoadBalancer(chart, 'gke', { gateway: edge, shape, ...(shape === 'l4' ? {} : { healthCheckInterval: cdk8s.Duration.seconds(4), healthCheckTimeout: cdk8s.Duration.seconds(2) }) });
    });
    expect(byKey(pulumiManifests(recorder.resources))).toEqual(byKey(expected));
  });
});
