import { gkeLoadBalancerModel, isGkeLoadBalancer } from '../../../lib/core/gke/model';
import { assumedLoadBalancer } from '../../../lib/core/load-balancer';

const hc = { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 };

describe('gkeLoadBalancerModel', () => {
  test('a NEG shape is an IP target whose lag is the NEG detach and whose deregistration delay is connection draining', () => {
    const model = gkeLoadBalancerModel({ object: 'Service/edge/gw', shape: 'gateway', healthCheck: hc, connectionDrainingSeconds: 20 });
    expect(model).toMatchObject({ provider: 'gke', targetType: 'ip', healthCheckPort: 'traffic-port', healthCheckPath: '/', deregistrationLagSeconds: 40, deregistrationDelaySeconds: 20, deregistrationConnectionTermination: true, unhealthyConnectionTermination: false });
    expect(model.gke).toEqual({ shape: 'gateway', negDetachSeconds: 40, connectionDrainingSeconds: 20, healthCheckSource: 'controller-default', configuredBy: [] });
  });

  test('l4 is a node target checked on kube-proxy, with no detach', () => {
    expect(gkeLoadBalancerModel({ object: 'Service/edge/gw', shape: 'l4', healthCheck: hc })).toMatchObject({ targetType: 'instance', healthCheckPort: 'healthCheckNodePort', healthCheckPath: '/healthz', deregistrationLagSeconds: 0, gke: { negDetachSeconds: 0, externalTrafficPolicy: 'Local' } });
    expect(gkeLoadBalancerModel({ object: 'Service/edge/gw', shape: 'l4', externalTrafficPolicy: 'Cluster', healthCheck: hc }).healthCheckPort).toBe('10256');
  });

  test('isGkeLoadBalancer tells GKE models from AWS ones', () => {
    expect(isGkeLoadBalancer(gkeLoadBalancerModel({ object: 'Service/edge/gw', shape: 'ingress', healthCheck: hc }))).toBe(true);
    expect(isGkeLoadBalancer(assumedLoadBalancer())).toBe(false);
  });
});
