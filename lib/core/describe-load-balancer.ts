import { formatSeconds as s } from './finding';
import { LoadBalancerModel } from './model';

/** A load balancer's settings in a line, as the explained timeline shows them. */

/** The health check in words: `health check HTTP healthCheckNodePort /healthz every 10s, timeout 6s, unhealthy after 2, healthy after 2`. */
export function describeHealthCheck(lb: LoadBalancerModel): string {
  const hc = lb.healthCheck;
  const check = `${lb.healthCheckProtocol} ${lb.healthCheckPort}${lb.healthCheckPath ? ` ${lb.healthCheckPath}` : ''}`;
  return `health check ${check} every ${s(hc.intervalSeconds)}, timeout ${s(hc.timeoutSeconds)}, unhealthy after ${hc.unhealthyThreshold}, healthy after ${hc.healthyThreshold}`;
}

/** The load balancer, its targets and its health check: `AWS NLB, instance targets; health check …`. */
export function describeLoadBalancer(lb: LoadBalancerModel): string {
  const targets = lb.targetType === 'host-port' ? 'host-port targets' : `${lb.targetType} targets`;
  return `${lb.provider === 'aws-nlb' ? 'AWS NLB' : 'load balancer'}, ${targets}; ${describeHealthCheck(lb)}`;
}
