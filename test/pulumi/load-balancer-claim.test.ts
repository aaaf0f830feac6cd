import { installMocks } from './mocks';

const recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const face: typeof import('../../lib/pulumi') = require('../../lib/pulumi');
const { claimLoadBalancer }: typeof import('../../lib/pulumi/load-balancer-claim') = require('../../lib/pulumi/load-balancer-claim');
const { GatewayPlan }: typeof import('../../lib/core/gateway/gateway-plan') = require('../../lib/core/gateway/gateway-plan');
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => recorder.clear());
afterEach(() => recorder.settle());

describe('claimLoadBalancer', () => {
  test("fails on a second claim of a Pulumi gateway's load balancer, naming both owners", () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', nlb: {} });
    expect(() => claimLoadBalancer(gateway, "GkeLoadBalancer 'late'")).toThrow("HitlessGateway 'edge' already has HealthCheckedNlb 'edge-nlb' in front; a second, GkeLoadBalancer 'late', is refused");
  });

  test('fails on a claim after the Pulumi gateway rendered, naming the owner', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    expect(() => claimLoadBalancer(gateway, "HealthCheckedNlb 'late'")).toThrow(/^HealthCheckedNlb 'late' reached HitlessGateway 'edge' after it rendered its objects/);
  });

  test('leaves a gateway without a load balancer slot (a core plan) as it was', () => {
    const plan = new GatewayPlan({ name: 'edge', namespace: 'edge' });
    const before = plan.loadBalancer;
    expect(() => claimLoadBalancer(plan, "HealthCheckedNlb 'one'")).not.toThrow();
    expect(() => claimLoadBalancer(plan, "HealthCheckedNlb 'two'")).not.toThrow();
    expect(plan.loadBalancer).toEqual(before);
  });
});
