import { installMocks, mockArn } from './mocks';

const recorder = installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const face: typeof import('../../lib/pulumi/aws-load-balancer') = require('../../lib/pulumi/aws-load-balancer');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core: typeof import('../../lib/core') = require('../../lib/core');

const model = {
  ...core.assumedLoadBalancer('Service/edge/edge', 'instance'),
  healthCheck: { intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2 },
  healthCheckPort: 'traffic-port',
  healthCheckPath: '/healthz',
  deregistrationDelaySeconds: 40,
  deregistrationConnectionTermination: true,
  unhealthyConnectionTermination: false,
  unhealthyDrainingIntervalSeconds: 30,
  crossZone: true,
  preserveClientIp: true,
  proxyProtocolV2: false,
};

const args = { model, subnetIds: ['subnet-a', 'subnet-b'], vpcId: 'vpc-1', internal: false, listenerPort: 443, targetPort: 30443, healthCheckPort: '32000', healthCheckMatcher: '200' };

beforeEach(() => recorder.clear());

describe('createAwsLoadBalancer', () => {
  test('the target group states every attribute the model gives, none left to provider defaults', async () => {
    face.createAwsLoadBalancer('edge', args, {});
    await recorder.settle();
    const group = recorder.get('aws:lb/targetGroup:TargetGroup', 'edge').inputs;
    expect(group.healthCheck).toEqual({ enabled: true, protocol: 'HTTP', port: '32000', path: '/healthz', matcher: '200', interval: 5, timeout: 3, healthyThreshold: 2, unhealthyThreshold: 2 });
    expect(group).toMatchObject({
      targetType: 'instance',
      protocol: 'TCP',
      port: 30443,
      vpcId: 'vpc-1',
      deregistrationDelay: 40,
      connectionTermination: true,
      targetHealthStates: [{ enableUnhealthyConnectionTermination: false, unhealthyDrainingInterval: 30 }],
      preserveClientIp: 'true',
      proxyProtocolV2: false,
    });
  });

  test('a network load balancer with the model cross-zone setting, and a TCP listener forwarding to the group', async () => {
    face.createAwsLoadBalancer('edge', args, {});
    await recorder.settle();
    expect(recorder.get('aws:lb/loadBalancer:LoadBalancer', 'edge').inputs).toMatchObject({ loadBalancerType: 'network', internal: false, subnets: ['subnet-a', 'subnet-b'], enableCrossZoneLoadBalancing: true });
    const listener = recorder.get('aws:lb/listener:Listener', 'edge').inputs;
    expect(listener).toMatchObject({ port: 443, protocol: 'TCP', loadBalancerArn: mockArn('aws:lb/loadBalancer:LoadBalancer', 'edge') });
    expect(listener.defaultActions).toEqual([{ type: 'forward', targetGroupArn: mockArn('aws:lb/targetGroup:TargetGroup', 'edge') }]);
  });

  test('a TCP health check carries neither path nor matcher, which ELBv2 rejects on TCP', () => {
    const tcp = face.targetGroupArgs({ ...args, model: { ...model, healthCheckProtocol: 'TCP' as const } });
    expect(tcp.healthCheck).toMatchObject({ protocol: 'TCP', path: undefined, matcher: undefined });
  });

  test('host-port targets are instances; IP targets are IPs', () => {
    expect(face.elbTargetType({ ...model, targetType: 'host-port' })).toBe('instance');
    expect(face.elbTargetType({ ...model, targetType: 'ip' })).toBe('ip');
  });

  test('refuses a model that leaves an attribute to the provider default', () => {
    expect(() => face.targetGroupArgs({ ...args, model: { ...model, preserveClientIp: undefined } })).toThrow(/'preserveClientIp' unset/);
  });
});
