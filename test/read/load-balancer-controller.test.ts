import { controllerHealthCheck, decideController } from '../../lib/read/load-balancer-controller';

const type = 'service.beta.kubernetes.io/aws-load-balancer-type';

describe('decideController', () => {
  test('reads the AWS Load Balancer Controller from its class, `external` or `nlb-ip`', () => {
    expect(decideController({}, 'service.k8s.aws/nlb')).toMatchObject({ controller: 'aws-load-balancer-controller', assumed: false });
    expect(decideController({ [type]: 'external' }, undefined)).toMatchObject({ controller: 'aws-load-balancer-controller', assumed: false });
    expect(decideController({ [type]: 'nlb-ip' }, undefined)).toMatchObject({ controller: 'aws-load-balancer-controller', assumed: false });
  });

  test('reads the in-tree NLB from `nlb`', () => {
    expect(decideController({ [type]: 'nlb' }, undefined)).toMatchObject({ controller: 'aws-in-tree-nlb', assumed: false });
  });

  test('assumes the AWS Load Balancer Controller when nothing names one, and says why', () => {
    const decision = decideController({ 'service.beta.kubernetes.io/aws-load-balancer-backend-protocol': 'tcp' }, undefined);
    expect(decision).toMatchObject({ controller: 'aws-load-balancer-controller', assumed: true });
    expect(decision.reason).toContain('aws-load-balancer-backend-protocol');
    expect(decideController({}, undefined).reason).toContain('no annotation nor loadBalancerClass');
  });

  test('tells GKE by class or annotation, and an unknown class as unknown', () => {
    expect(decideController({}, 'networking.gke.io/l4-regional-external')).toMatchObject({ controller: 'gke', assumed: false });
    expect(decideController({ 'cloud.google.com/neg': '{}' }, undefined)).toMatchObject({ controller: 'gke', assumed: true });
    expect(decideController({}, 'example.com/lb')).toMatchObject({ controller: 'unknown', assumed: true });
  });
});

describe('controllerHealthCheck', () => {
  const window = (check: ReturnType<typeof controllerHealthCheck>) => check.unhealthyThreshold * check.intervalSeconds + check.timeoutSeconds;

  test('gives each controller its own detection window by traffic policy', () => {
    expect(window(controllerHealthCheck('aws-load-balancer-controller', 'Local', 'instance'))).toBe(26);
    expect(window(controllerHealthCheck('aws-load-balancer-controller', 'Cluster', 'instance'))).toBe(40);
    expect(window(controllerHealthCheck('aws-in-tree-nlb', 'Local', 'instance'))).toBe(30);
    expect(window(controllerHealthCheck('aws-in-tree-nlb', 'Cluster', 'instance'))).toBe(100);
    expect(window(controllerHealthCheck('aws-in-tree-classic', 'Local', 'instance'))).toBe(65);
    expect(window(controllerHealthCheck('gke', 'Local', 'instance'))).toBe(7);
  });

  test('IP targets never use the healthCheckNodePort', () => {
    expect(controllerHealthCheck('aws-load-balancer-controller', 'Local', 'ip')).toMatchObject({ protocol: 'TCP', port: 'traffic-port' });
  });

  test('names its source', () => {
    expect(controllerHealthCheck('aws-in-tree-nlb', 'Local', 'instance').source).toContain('cloud-provider-aws');
  });
});
