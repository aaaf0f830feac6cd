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

  test('without a controller named the provider is generic, and the assumption is reported with the Classic ELB alternative', () => {
    const findings: Finding[] = [];
    expect(read({}, 'Local', findings)).toMatchObject({ provider: 'generic', healthCheck: { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2 } });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'load-balancer-timing-assumed', category: 'unknown', severity: 'warning', objects: ['Service/edge/gateway'] });
    expect(findings[0].message).toContain('the AWS Load Balancer Controller');
    expect(findings[0].message).toContain('up to 26s');
    expect(findings[0].message).toContain('in-tree AWS provider (Classic ELB)');
    expect(findings[0].message).toContain('up to 65s (6 × 10s + 5s timeout)');
  });

  test('a controller named by annotation or class is not reported as assumed', () => {
    for (const [annotations, lbClass] of [[{ [`${prefix}type`]: 'external' }, undefined], [{ [`${prefix}type`]: 'nlb' }, undefined], [{}, 'service.k8s.aws/nlb']] as const) {
      const findings: Finding[] = [];
      readAwsLoadBalancer('Service/a/b', { ...annotations }, 'Local', lbClass, findings);
      expect(findings).toEqual([]);
    }
  });

  test('stating every health-check timing leaves nothing assumed', () => {
    const findings: Finding[] = [];
    read({ [`${prefix}healthcheck-interval`]: '5', [`${prefix}healthcheck-timeout`]: '2', [`${prefix}healthcheck-healthy-threshold`]: '2', [`${prefix}healthcheck-unhealthy-threshold`]: '2' }, 'Local', findings);
    expect(findings).toEqual([]);
  });

  test('without AWS annotations the provider is generic', () => {
    expect(read({}).provider).toBe('generic');
    expect(readAwsLoadBalancer('Service/a/b', {}, 'Local', 'service.k8s.aws/nlb', []).provider).toBe('aws-nlb');
  });
});

describe('in-tree AWS NLB defaults (aws-load-balancer-type: nlb)', () => {
  test('externalTrafficPolicy Local: HTTP healthCheckNodePort /healthz, 10 s, 10 s, 2/2', () => {
    expect(read({ [`${prefix}type`]: 'nlb' })).toMatchObject({ provider: 'aws-nlb', targetType: 'instance', healthCheckProtocol: 'HTTP', healthCheckPort: 'healthCheckNodePort', healthCheckPath: '/healthz', healthCheck: { intervalSeconds: 10, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 2 } });
  });

  test('externalTrafficPolicy Cluster: TCP on the traffic port, 30 s, 10 s, 3/3', () => {
    expect(read({ [`${prefix}type`]: 'nlb' }, 'Cluster')).toMatchObject({ healthCheckProtocol: 'TCP', healthCheckPort: 'traffic-port', healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 3, unhealthyThreshold: 3 } });
  });

  test('ignores nlb-target-type ip, which only the AWS Load Balancer Controller honours', () => {
    expect(read({ [`${prefix}type`]: 'nlb', [`${prefix}nlb-target-type`]: 'ip' }).targetType).toBe('instance');
  });
});

describe('GKE defaults', () => {
  test('a GKE L4 annotation names GKE\'s L4 controller for certain, and its health check', () => {
    const findings: Finding[] = [];
    expect(read({ 'cloud.google.com/l4-rbs': 'enabled' }, 'Local', findings).healthCheck).toEqual({ intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 });
    expect(findings).toEqual([]);
    expect(read({ 'cloud.google.com/l4-rbs': 'enabled' }, 'Cluster').healthCheck).toEqual({ intervalSeconds: 8, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 3 });
  });

  test('another GKE annotation means GKE\'s L4 health check, reported as assumed', () => {
    const findings: Finding[] = [];
    expect(read({ 'cloud.google.com/neg': '{"exposed_ports":{"80":{}}}' }, 'Local', findings).healthCheck).toEqual({ intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 });
    expect(findings[0].message).toContain("GKE's L4 load balancer controller");
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
    const model = read({ [`${prefix}type`]: 'external', [`${prefix}healthcheck-interval`]: '3', [`${prefix}healthcheck-timeout`]: 'six', [`${prefix}target-group-attributes`]: 'deregistration_delay.timeout_seconds=4000' }, 'Local', findings);
    expect(findings.map((finding) => finding.rule)).toEqual(['lb-annotation-out-of-range', 'invalid-lb-annotation', 'lb-annotation-out-of-range']);
    expect(findings[0].message).toContain('5–300');
    expect(model.healthCheck).toMatchObject({ intervalSeconds: 10, timeoutSeconds: 6 });
    expect(model.deregistrationDelaySeconds).toBe(300);
  });
});
