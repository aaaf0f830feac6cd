import { LoadBalancerModel } from './model';
import { DEFAULT_IP_DEREGISTRATION_LAG_SECONDS } from './timing/windows';

/**
 * The load balancer hitless assumes when none is described: an AWS NLB made by the AWS Load
 * Balancer Controller for a Service with instance targets and externalTrafficPolicy Local, whose
 * health check defaults to HTTP on healthCheckNodePort `/healthz`, every 10 s, 6 s timeout, 2/2.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
 */
export function assumedLoadBalancer(object = 'LoadBalancer/unknown/assumed', targetType: LoadBalancerModel['targetType'] = 'instance'): LoadBalancerModel {
  return {
    object,
    provider: 'aws-nlb',
    targetType,
    healthCheck: { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2 },
    healthCheckProtocol: 'HTTP',
    healthCheckPort: targetType === 'instance' ? 'healthCheckNodePort' : 'traffic-port',
    healthCheckPath: '/healthz',
    deregistrationLagSeconds: targetType === 'ip' ? DEFAULT_IP_DEREGISTRATION_LAG_SECONDS : 0,
    deregistrationDelaySeconds: 300,
    deregistrationConnectionTermination: false,
    unhealthyConnectionTermination: true,
    unhealthyDrainingIntervalSeconds: 0,
  };
}
