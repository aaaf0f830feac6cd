import { describeHealthCheck, describeLoadBalancer } from '../../lib/core/describe-load-balancer';
import { loadBalancer } from '../support/models';

describe('describeLoadBalancer', () => {
  test('names the provider, the targets and the health check with its timings', () => {
    const lb = loadBalancer({ healthCheckProtocol: 'HTTP', healthCheckPort: 'healthCheckNodePort', healthCheckPath: '/healthz' });
    expect(describeLoadBalancer(lb)).toBe(`AWS NLB, ${lb.targetType} targets; ${describeHealthCheck(lb)}`);
    expect(describeHealthCheck(lb)).toBe(
      `health check HTTP healthCheckNodePort /healthz every ${lb.healthCheck.intervalSeconds}s, timeout ${lb.healthCheck.timeoutSeconds}s, unhealthy after ${lb.healthCheck.unhealthyThreshold}, healthy after ${lb.healthCheck.healthyThreshold}`,
    );
  });

  test('a TCP check has no path, and host-port targets are named so', () => {
    const lb = loadBalancer({ healthCheckProtocol: 'TCP', healthCheckPort: 'traffic-port', healthCheckPath: undefined, targetType: 'host-port' });
    expect(describeLoadBalancer(lb)).toMatch(/^AWS NLB, host-port targets; health check TCP traffic-port every /);
  });
});
