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
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    const lb = new face.GkeLoadBalancer('edge', { gateway, shape: 'gateway', negDetachLatency: Duration.seconds(30) });
    await recorder.settle();
    const plan = new GatewayPlan({ name: 'edge', namespace: 'edge' });
    const expected = buildGkeLoadBalancer({ shape: 'gateway', negDetachLatency: Duration.seconds(30) }, plan);
    expect(lb.budget).toEqual(expected.budget);
    expect(lb.model).toEqual(expected.model);
    expect(gateway.budget).toEqual(expected.budget);
    expect(recorder.get('hitless:index:GkeLoadBalancer', 'edge').custom).toBe(false);
    const kinds = pulumiManifests(recorder.resources).map((each) => each.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Gateway', 'HTTPRoute', 'HealthCheckPolicy', 'GCPBackendPolicy']));
    expect(lb.resources).toHaveLength(4);
    expect(recorder.resources.filter((each) => each.type.startsWith('gcp:'))).toHaveLength(0);
  });

  test("puts the NEG and BackendConfig annotations on the gateway's Service", async () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    new face.GkeLoadBalancer('edge', { gateway });
    await recorder.settle();
    expect(recorder.get('kubernetes:core/v1:Service', 'edge/edge').inputs.metadata.annotations).toEqual({ 'cloud.google.com/neg': '{"ingress":true}', 'cloud.google.com/backend-config': '{"default":"edge"}' });
  });

  test('refuses a bad override naming the prop, the value and the bound', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    expect(() => new face.GkeLoadBalancer('edge', { gateway, healthyThreshold: 0 })).toThrow(face.GkeLimitError);
    expect(() => new face.GkeLoadBalancer('edge', { gateway, healthyThreshold: 0 })).toThrow("'healthyThreshold' (0) must be within 1–10");
  });
});

describe('parity with the cdk8s face', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  const { HitlessGateway }: typeof import('../../lib/cdk8s/hitless-gateway') = require('../../lib/cdk8s/hitless-gateway');
  const { GkeLoadBalancer }: typeof import('../../lib/cdk8s/gke-load-balancer') = require('../../lib/cdk8s/gke-load-balancer');
  /* eslint-enable @typescript-eslint/no-require-imports */

  test.each(['ingress', 'gateway', 'l4'] as const)('%s: the same objects', async (shape) => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    new face.GkeLoadBalancer('edge', { gateway, shape, ...(shape === 'l4' ? {} : { healthCheckInterval: Duration.seconds(4), healthCheckTimeout: Duration.seconds(2) }) });
    await recorder.settle();
    const expected = cdk8sManifests((chart) => {
      const edge = new HitlessGateway(chart, 'edge', { name: 'edge', namespace: 'edge' });
      new GkeLoadBalancer(chart, 'gke', { gateway: edge, shape, ...(shape === 'l4' ? {} : { healthCheckInterval: cdk8s.Duration.seconds(4), healthCheckTimeout: cdk8s.Duration.seconds(2) }) });
    });
    expect(byKey(pulumiManifests(recorder.resources))).toEqual(byKey(expected));
  });
});
