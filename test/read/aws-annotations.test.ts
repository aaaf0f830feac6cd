import { Finding } from '../../lib/core/finding';
import { parseAttributes, readAwsLoadBalancer } from '../../lib/read/aws-annotations';

const prefix = 'service.beta.kubernetes.io/aws-load-balancer-';
const read = (annotations: Record<string, string>, policy: 'Cluster' | 'Local' = 'Local', findings: Finding[] = []) => readAwsLoadBalancer('Service/edge/gateway', annotations, policy, undefined, findings);

describe('AWS Load Balancer Controller defaults', () => {
  test('instance targets with externalTrafficPolicy Local: HTTP healthCheckNodePort /healthz, 10 s, 6 s, 2/2', () => {
    expect(read({ [`${prefix}type`]: 'external' })).toMatchObject({
      provider: 'aws-nlb',
      targetType: 'instance',
      healthCheckProtocol: 'HTTP',
      healthCheckPort: 'healthCheckNodePort',
      healthCheckPath: '/healthz',
      healthCheck: { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2 },
      deregistrationLagSeconds: 0,
      deregistrationDelaySeconds: 300,
      unhealthyConnectionTermination: true,
      unhealthyDrainingIntervalSeconds: 0,
    });
  });

  test('otherwise TCP on the traffic port, 10 s, 10 s, 3/3', () => {
    const cluster = read({ [`${prefix}type`]: 'external' }, 'Cluster');
    expect(cluster).toMatchObject({ healthCheckProtocol: 'TCP', healthCheckPort: 'traffic-port', healthCheck: { intervalSeconds: 10, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 } });
    expect(cluster.healthCheckPath).toBeUndefined();
    expect(read({ [`${prefix}type`]: 'external', [`${prefix}nlb-target-type`]: 'ip' })).toMatchObject({ targetType: 'ip', healthCheckProtocol: 'TCP', healthCheck: { unhealthyThreshold: 3 }, deregistrationLagSeconds: 120 });
  });

  test('without AWS annotations the provider is generic', () => {
    expect(read({}).provider).toBe('generic');
    expect(readAwsLoadBalancer('Service/a/b', {}, 'Local', 'service.k8s.aws/nlb', []).provider).toBe('aws-nlb');
  });
});

describe('annotations', () => {
  test('override each default', () => {
    expect(read({
      [`${prefix}type`]: 'external',
      [`${prefix}healthcheck-protocol`]: 'http',
      [`${prefix}healthcheck-port`]: '8080',
      [`${prefix}healthcheck-path`]: '/envoy-hc',
      [`${prefix}healthcheck-interval`]: '5',
      [`${prefix}healthcheck-timeout`]: '2',
      [`${prefix}healthcheck-healthy-threshold`]: '3',
      [`${prefix}healthcheck-unhealthy-threshold`]: '2',
    }, 'Cluster')).toMatchObject({ healthCheckProtocol: 'HTTP', healthCheckPort: '8080', healthCheckPath: '/envoy-hc', healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 3, unhealthyThreshold: 2 } });
  });

  test('read target group attributes', () => {
    expect(read({ [`${prefix}target-group-attributes`]: 'deregistration_delay.timeout_seconds=30, target_health_state.unhealthy.connection_termination.enabled=false,target_health_state.unhealthy.draining_interval_seconds=120,preserve_client_ip.enabled=true,proxy_protocol_v2.enabled=true' }))
      .toMatchObject({ deregistrationDelaySeconds: 30, unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 120, preserveClientIp: true, proxyProtocolV2: true });
    expect(parseAttributes('a=1,,b=, d = x=y')).toEqual({ a: '1', b: '', d: 'x=y' });
    expect(parseAttributes(undefined)).toEqual({});
  });

  test('report values outside the ELBv2 limits and fall back to the default', () => {
    const findings: Finding[] = [];
    const model = read({ [`${prefix}healthcheck-interval`]: '3', [`${prefix}healthcheck-timeout`]: 'six', [`${prefix}target-group-attributes`]: 'deregistration_delay.timeout_seconds=4000' }, 'Local', findings);
    expect(findings.map((finding) => finding.rule)).toEqual(['lb-annotation-out-of-range', 'invalid-lb-annotation', 'lb-annotation-out-of-range']);
    expect(findings[0].message).toContain('5–300');
    expect(model.healthCheck).toMatchObject({ intervalSeconds: 10, timeoutSeconds: 6 });
    expect(model.deregistrationDelaySeconds).toBe(300);
  });
});
