import { installMocks, mockArn } from './mocks';
import { byKey, cdk8sManifests, pulumiManifests } from './parity';

const recorder = installMocks();
/* eslint-disable @typescript-eslint/no-require-imports */
const aws: typeof import('@pulumi/aws') = require('@pulumi/aws');
const face: typeof import('../../lib/pulumi') = require('../../lib/pulumi');
const { GatewayWorkload }: typeof import('../../lib/core/gateway/workload') = require('../../lib/core/gateway/workload');
const { Duration }: typeof import('../../lib/core/duration') = require('../../lib/core/duration');
const { planNlb }: typeof import('../../lib/core/aws/nlb') = require('../../lib/core/aws/nlb');
const { explainGatewayBudget }: typeof import('../../lib/core/explain') = require('../../lib/core/explain');
const { GatewayPlan }: typeof import('../../lib/core/gateway/gateway-plan') = require('../../lib/core/gateway/gateway-plan');
/* eslint-enable @typescript-eslint/no-require-imports */

beforeEach(() => recorder.clear());
afterEach(() => recorder.settle());

const TARGET_GROUP = 'aws:lb/targetGroup:TargetGroup';
const network = { vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'] };

/** The plan core makes for a fresh gateway named edge, for comparison. */
function corePlan(options: Parameters<typeof planNlb>[0]) {
  const plan = new GatewayPlan({ name: 'edge', namespace: 'edge' });
  return planNlb(options, plan, (model) => {
    plan.attachLoadBalancer({ model, serviceAnnotations: {} });
    return plan.budget;
  });
}

describe('HealthCheckedNlb (Pulumi), through the controller', () => {
  test('annotates the gateway Service and re-solves the gateway against the NLB', async () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', nlb: { scheme: 'internet-facing', healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(3) } });
    const nlb = gateway.nlb!;
    await recorder.settle();
    const expected = corePlan({ scheme: 'internet-facing', healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(3) });
    expect(nlb.serviceAnnotations).toEqual(expected.serviceAnnotations);
    expect(recorder.get('kubernetes:core/v1:Service', 'edge-edge/edge').inputs.metadata.annotations).toEqual(expected.serviceAnnotations);
    expect(recorder.get('kubernetes:core/v1:Service', 'edge-edge/edge').inputs.spec.type).toBe('LoadBalancer');
    expect(nlb.budget).toEqual(expected.budget);
    expect(gateway.budget).toEqual(expected.budget);
    expect(recorder.get('hitless:index:HealthCheckedNlb', 'edge-nlb').custom).toBe(false);
    expect(recorder.resources.filter((each) => each.type.startsWith('aws:'))).toHaveLength(0);
    expect(nlb.explain()).toEqual(explainGatewayBudget({ gateway: 'Deployment/edge/edge', loadBalancer: expected.model, budget: expected.budget }));
  });

  test('refuses the readiness-gate namespace without IP targets, naming the prop', () => {
    expect(() => new face.HitlessGateway('edge', { namespace: 'edge', nlb: { readinessGateNamespace: true } as never })).toThrow(/'readinessGateNamespace' \(true\) must be used with targetType 'ip' only/);
  });

  test('emits the labelled namespace with IP targets', async () => {
    new face.HitlessGateway('edge', { namespace: 'edge', nlb: { targetType: 'ip', readinessGateNamespace: true } });
    await recorder.settle();
    expect(recorder.get('kubernetes:core/v1:Namespace', 'edge-nlb-edge').inputs.metadata.labels).toEqual({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
  });
});

describe('HealthCheckedNlb (Pulumi), one per gateway, given before rendering', () => {
  test('a second load balancer on one gateway is refused, naming both', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', nlb: { scheme: 'internet-facing' } });
    expect(() => new face.HealthCheckedNlb('second', { gateway })).toThrow(
      "HitlessGateway 'edge' already has HealthCheckedNlb 'edge-nlb' in front; a second, HealthCheckedNlb 'second', is refused: one gateway Service has one load balancer",
    );
    expect(gateway.nlb!.serviceAnnotations).toEqual(recorderlessAnnotations({ scheme: 'internet-facing' }));
  });

  test('a load balancer made after the gateway rendered is refused at once, saying to use the nlb arg', () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge' });
    expect(() => new face.HealthCheckedNlb('late', { gateway })).toThrow(
      "HealthCheckedNlb 'late' reached HitlessGateway 'edge' after it rendered its objects (in its constructor): give its props in the `nlb` or `gke` arg",
    );
  });
});

/** The annotations core gives a fresh gateway behind an NLB with these options. */
function recorderlessAnnotations(options: Parameters<typeof planNlb>[0]) {
  return corePlan(options).serviceAnnotations;
}

describe('HealthCheckedNlb (Pulumi), made with @pulumi/aws', () => {
  test('a network load balancer, a target group with every attribute from the core model, a listener, all children', async () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', nlb: { scheme: 'internet-facing', aws: network } });
    const nlb = gateway.nlb!;
    await recorder.settle();
    const component = recorder.get('hitless:index:HealthCheckedNlb', 'edge-nlb');
    for (const type of ['aws:lb/loadBalancer:LoadBalancer', TARGET_GROUP, 'aws:lb/listener:Listener']) {
      expect(recorder.get(type, 'edge-nlb').parent).toBe(component.urn);
    }
    const model = nlb.model;
    const group = recorder.get(TARGET_GROUP, 'edge-nlb').inputs;
    expect(group).toMatchObject({
      targetType: 'instance',
      port: 80,
      protocol: 'TCP',
      vpcId: 'vpc-1',
      deregistrationDelay: model.deregistrationDelaySeconds,
      connectionTermination: model.deregistrationConnectionTermination,
      targetHealthStates: [{ enableUnhealthyConnectionTermination: false, unhealthyDrainingInterval: model.unhealthyDrainingIntervalSeconds }],
      preserveClientIp: 'true',
      proxyProtocolV2: false,
      healthCheck: { enabled: true, protocol: 'HTTP', port: 'traffic-port', path: '/envoy-hc', matcher: '200', interval: 10, timeout: 6, healthyThreshold: 2, unhealthyThreshold: 2 },
    });
    expect(model.unhealthyDrainingIntervalSeconds).toBe(gateway.budget.unhealthyDrainingIntervalSeconds);
    expect(model.deregistrationDelaySeconds).toBe(gateway.budget.terminationGracePeriodSeconds);
    expect(recorder.get('aws:lb/loadBalancer:LoadBalancer', 'edge-nlb').inputs).toMatchObject({ loadBalancerType: 'network', internal: false, enableCrossZoneLoadBalancing: true });
  });

  test('binds the gateway Service with a TargetGroupBinding on the real ARN, and the Service gets no annotations', async () => {
    new face.HitlessGateway('edge', { namespace: 'edge', nlb: { aws: network } });
    await recorder.settle();
    const binding = recorder.get('kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding', 'edge-nlb-edge/edge');
    expect(binding.inputs.spec).toEqual({ serviceRef: { name: 'edge', port: 80 }, targetGroupARN: mockArn(TARGET_GROUP, 'edge-nlb'), targetType: 'instance' });
    const service = recorder.get('kubernetes:core/v1:Service', 'edge-edge/edge').inputs;
    expect(service.metadata.annotations).toBeUndefined();
    expect(service.spec.type).toBe('NodePort');
  });

  test('a host-port DaemonSet gateway: the target group on the host port, attached to every Auto Scaling group', async () => {
    const gateway = new face.HitlessGateway('edge', { namespace: 'edge', workload: GatewayWorkload.daemonSet({ hostPort: 30080 }), nlb: { aws: { ...network, autoScalingGroupNames: ['nodes-a', 'nodes-b'] } } });
    const nlb = gateway.nlb!;
    await recorder.settle();
    expect(nlb.model.targetType).toBe('host-port');
    expect(gateway.loadBalancer.targetType).toBe('host-port');
    expect(recorder.get(TARGET_GROUP, 'edge-nlb').inputs).toMatchObject({ targetType: 'instance', port: 30080, healthCheck: { port: 'traffic-port' } });
    const attachments = recorder.ofType('aws:autoscaling/attachment:Attachment').map((each) => each.inputs);
    expect(attachments).toEqual([
      { autoscalingGroupName: 'nodes-a', lbTargetGroupArn: mockArn(TARGET_GROUP, 'edge-nlb') },
      { autoscalingGroupName: 'nodes-b', lbTargetGroupArn: mockArn(TARGET_GROUP, 'edge-nlb') },
    ]);
    expect(recorder.ofType('kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding')).toHaveLength(0);
  });

  test('refuses Auto Scaling groups for a gateway without a host port', () => {
    expect(() => new face.HitlessGateway('edge', { namespace: 'edge', nlb: { aws: { ...network, autoScalingGroupNames: ['nodes'] } } as never })).toThrow(/'aws.autoScalingGroupNames' needs a DaemonSet gateway with a hostPort \(Deployment\/edge\/edge is a deployment without a host port\)/);
  });

  test('refuses TargetGroupBinding ingress rules with Auto Scaling groups, which have no binding', () => {
    const ingress = [{ from: [{ securityGroup: { groupID: 'sg-0123456789abcdef0' } }], ports: [{ port: 80 }] }];
    expect(() => new face.HitlessGateway('edge', { namespace: 'edge', workload: GatewayWorkload.daemonSet({ hostPort: 80 }), nlb: { aws: { ...network, autoScalingGroupNames: ['nodes'], targetGroupBindingIngress: ingress } } as never }))
      .toThrow(/'targetGroupBindingIngress' \(set\)/);
  });

  test('an AWS provider given to the component reaches the AWS resources', async () => {
    const provider = new aws.Provider('eu', { region: 'eu-west-1' });
    new face.HitlessGateway('edge', { namespace: 'edge', nlb: { aws: network } }, { providers: [provider] });
    await recorder.settle();
    const created = recorder.resources.filter((resource) => resource.type.startsWith('aws:lb'));
    expect(created).toHaveLength(3);
    for (const each of created) {
      expect(each.provider).toMatch(/pulumi:providers:aws::eu::/);
    }
  });
});

describe('parity with the cdk8s face', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  const cdk8sFace: typeof import('../../lib/cdk8s') = require('../../lib/cdk8s');
  const { HitlessGateway }: typeof import('../../lib/cdk8s/hitless-gateway') = require('../../lib/cdk8s/hitless-gateway');
  const { HealthCheckedNlb }: typeof import('../../lib/cdk8s/health-checked-nlb') = require('../../lib/cdk8s/health-checked-nlb');
  /* eslint-enable @typescript-eslint/no-require-imports */

  test('controller annotations: the same objects', async () => {
    const orders = new face.DrainingService('orders', { namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
    new face.HitlessGateway('edge', {
      namespace: 'edge',
      routes: [{ prefix: '/', service: orders }],
      nlb: { scheme: 'internet-facing', targetType: 'ip', healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2), readinessGateNamespace: true },
    });
    await recorder.settle();
    const expected = cdk8sManifests((chart) => {
      const twin = new cdk8sFace.DrainingService(chart, 'orders', { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' });
      const edge = new HitlessGateway(chart, 'edge', { name: 'edge', namespace: 'edge' });
      edge.addRoute({ prefix: '/', service: twin });
      new HealthCheckedNlb(chart, 'nlb', { gateway: edge, scheme: 'internet-facing', targetType: 'ip', healthCheckInterval: cdk8s.Duration.seconds(5), healthCheckTimeout: cdk8s.Duration.seconds(2), readinessGateNamespace: true });
    });
    expect(byKey(pulumiManifests(recorder.resources))).toEqual(byKey(expected));
  });

  test('a target group made outside Kubernetes and bound: the same objects as cdk8s given its ARN', async () => {
    new face.HitlessGateway('edge', { namespace: 'edge', nlb: { aws: network } });
    await recorder.settle();
    const expected = cdk8sManifests((chart) => {
      const edge = new HitlessGateway(chart, 'edge', { name: 'edge', namespace: 'edge' });
      new HealthCheckedNlb(chart, 'nlb', { gateway: edge, targetGroupArn: mockArn(TARGET_GROUP, 'edge-nlb') });
    });
    expect(byKey(pulumiManifests(recorder.resources))).toEqual(byKey(expected));
  });
});
