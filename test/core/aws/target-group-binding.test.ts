import { Elbv2LimitError } from '../../../lib/core/aws/elbv2-limits';
import { checkTargetGroupArn, targetGroupBinding } from '../../../lib/core/aws/target-group-binding';
import { describeWithCrds, validateCustomResource } from '../../support/crd-schema';

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/edge-gateway/73e2d6bc24d8a067';

describe('targetGroupBinding', () => {
  test('binds the Service port to the target group', () => {
    const tgb = targetGroupBinding({ name: 'gateway', namespace: 'edge', targetGroupArn: ARN, serviceName: 'gateway', servicePort: 80, targetType: 'instance' });
    expect(tgb).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'gateway', namespace: 'edge' },
      spec: { serviceRef: { name: 'gateway', port: 80 }, targetGroupARN: ARN, targetType: 'instance' },
    });
  });

  test('leaves the target type to the webhook when not given', () => {
    const spec = targetGroupBinding({ name: 'gateway', targetGroupArn: ARN, serviceName: 'gateway', servicePort: 'http' }).spec as Record<string, unknown>;
    expect(spec.targetType).toBeUndefined();
    expect(spec.serviceRef).toEqual({ name: 'gateway', port: 'http' });
  });

  test('renders networking ingress rules', () => {
    const spec = targetGroupBinding({
      name: 'gateway',
      targetGroupArn: ARN,
      serviceName: 'gateway',
      servicePort: 80,
      ingress: [{ from: [{ securityGroupId: 'sg-0123456789abcdef0' }, { cidr: '10.0.0.0/16' }], ports: [{ port: 8080 }] }],
    }).spec as Record<string, unknown>;
    expect(spec.networking).toEqual({
      ingress: [{ from: [{ securityGroup: { groupID: 'sg-0123456789abcdef0' } }, { ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('fails on a peer with both a CIDR and a security group', () => {
    expect(() => targetGroupBinding({ name: 'g', targetGroupArn: ARN, serviceName: 'g', servicePort: 80, ingress: [{ from: [{ cidr: '10.0.0.0/8', securityGroupId: 'sg-1' }], ports: [] }] })).toThrow(/exactly one of cidr and securityGroupId/);
  });

  test.each([
    ['a load balancer ARN', 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/edge/73e2d6bc24d8a067'],
    ['a name', 'edge-gateway'],
    ['a short account', 'arn:aws:elasticloadbalancing:eu-west-1:1234:targetgroup/edge/73e2d6bc24d8a067'],
  ])('fails on %s instead of a target group ARN, naming the prop', (_what, arn) => {
    expect(() => checkTargetGroupArn('targetGroupArn', arn)).toThrow(Elbv2LimitError);
    expect(() => targetGroupBinding({ name: 'g', targetGroupArn: arn, serviceName: 'g', servicePort: 80 })).toThrow(/'targetGroupArn'/);
  });

  test('accepts ARNs of other partitions', () => {
    expect(checkTargetGroupArn('targetGroupArn', 'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:targetgroup/edge/73e2d6bc24d8a067')).toBeDefined();
    expect(checkTargetGroupArn('targetGroupArn', 'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/edge/73e2d6bc24d8a067')).toBeDefined();
  });
});

describeWithCrds('targetGroupBinding against the TargetGroupBinding CRD', () => {
  test('a minimal binding is valid', () => {
    expect(validateCustomResource(targetGroupBinding({ name: 'gateway', namespace: 'edge', targetGroupArn: ARN, serviceName: 'gateway', servicePort: 80 }))).toEqual([]);
  });

  test('a binding with target type, labels and networking is valid', () => {
    const tgb = targetGroupBinding({
      name: 'gateway',
      namespace: 'edge',
      labels: { app: 'gateway' },
      targetGroupArn: ARN,
      serviceName: 'gateway',
      servicePort: 'http',
      targetType: 'ip',
      ingress: [{ from: [{ securityGroupId: 'sg-0123456789abcdef0' }, { cidr: '10.0.0.0/16' }], ports: [{ port: 8080, protocol: 'TCP' }, {}] }],
    });
    expect(validateCustomResource(tgb)).toEqual([]);
  });

  test('the validator catches a misspelt field (the check is not vacuous)', () => {
    const tgb = targetGroupBinding({ name: 'gateway', targetGroupArn: ARN, serviceName: 'gateway', servicePort: 80 });
    const broken = { ...tgb, spec: { ...(tgb.spec as object), targetGroupArn: ARN } };
    expect(validateCustomResource(broken).join('\n')).toMatch(/targetGroupArn/);
  });
});
