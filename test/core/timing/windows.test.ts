import { assumedLoadBalancer } from '../../../lib/core/load-balancer';
import {
  answeredDetectionWindowSeconds,
  defaultDnsDiscovery,
  detectionWindowSeconds,
  discoveryDelaySeconds,
  newConnectionWindowSeconds,
  recoveryWindowSeconds,
  requiredGatewayMinReadySeconds,
  requiredGracePeriodSeconds,
  requiredKeepServingSeconds,
  requiredUnhealthyDrainingIntervalSeconds,
  requiredUpstreamKeepServingSeconds,
  readinessStopsServingSeconds,
  earliestUnhealthySeconds,
  DEFAULT_IP_DEREGISTRATION_LAG_SECONDS,
} from '../../../lib/core/timing/windows';

const glooGuideHealthCheck = { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 2 };

describe('load balancer windows', () => {
  test('detection window of the Gloo guide NLB is 26s', () => {
    expect(detectionWindowSeconds(glooGuideHealthCheck)).toBe(26);
  });

  test('recovery window is healthy threshold times interval', () => {
    expect(recoveryWindowSeconds(glooGuideHealthCheck)).toBe(20);
    expect(recoveryWindowSeconds({ ...glooGuideHealthCheck, healthyThreshold: 5, intervalSeconds: 30 })).toBe(150);
  });

  test('IP targets stay open to new connections for the deregistration lag when it is longer', () => {
    // An answered check (kube-proxy's 503 on healthCheckNodePort, 1 s after it learns) turns the target in
    // 2 × (10 s + 0.5 s jitter); the 6 s timeout does not count.
    expect(newConnectionWindowSeconds(assumedLoadBalancer('Service/x/y', 'instance'))).toBe(22);
    expect(newConnectionWindowSeconds(assumedLoadBalancer('Service/x/y', 'ip'))).toBe(120);
  });

  test('IP deregistration lag is the measured "at least / about 2 minutes", not 5', () => {
    expect(DEFAULT_IP_DEREGISTRATION_LAG_SECONDS).toBe(120);
  });

  test('with eTP Cluster and instance targets, new connections stop within kube-proxy propagation', () => {
    expect(newConnectionWindowSeconds(assumedLoadBalancer(), 'Cluster')).toBe(1);
    expect(requiredKeepServingSeconds(assumedLoadBalancer(), 5, 'Cluster')).toBe(6);
    expect(newConnectionWindowSeconds(assumedLoadBalancer('Service/x/y', 'ip'), 'Cluster')).toBe(120);
  });

  test('a target may be marked unhealthy as early as (unhealthyThreshold − 1) × interval', () => {
    expect(earliestUnhealthySeconds(glooGuideHealthCheck)).toBe(10);
    expect(earliestUnhealthySeconds({ ...glooGuideHealthCheck, unhealthyThreshold: 3, intervalSeconds: 5 })).toBe(10);
  });

  test('the unhealthy draining interval covers the preStop from the earliest mark; margin 0 is the bound that drops', () => {
    expect(requiredUnhealthyDrainingIntervalSeconds(assumedLoadBalancer(), 46, 0)).toBe(36);
    expect(requiredUnhealthyDrainingIntervalSeconds(assumedLoadBalancer(), 46)).toBe(41);
    expect(requiredUnhealthyDrainingIntervalSeconds(assumedLoadBalancer(), 5, 0)).toBe(0);
  });

  test('a readiness probe that fails while draining stops the endpoint serving after (failureThreshold − 1) × period + propagation', () => {
    const probe = { kind: 'http' as const, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 0, failsWhileDraining: true };
    expect(readinessStopsServingSeconds(probe)).toBe(21);
  });

  test('a gateway drops below threshold × interval, and the derived keep-serving adds the timeout and the margin', () => {
    expect(requiredKeepServingSeconds(assumedLoadBalancer())).toBe(31);
    expect(requiredKeepServingSeconds(assumedLoadBalancer(), 0)).toBe(22);
    expect(answeredDetectionWindowSeconds(assumedLoadBalancer().healthCheck)).toBe(21);
  });

  test('minReadySeconds of a gateway derives the recovery window plus margin, and drops only below recovery less the earliest unhealthy mark', () => {
    expect(requiredGatewayMinReadySeconds(assumedLoadBalancer())).toBe(25);
    // R_lb 2 × 10 s, old target unhealthy as soon as (2 − 1) × 10 s after deletion.
    expect(requiredGatewayMinReadySeconds(assumedLoadBalancer(), 0)).toBe(10);
    const slow = { ...assumedLoadBalancer(), healthCheck: { intervalSeconds: 10, timeoutSeconds: 6, healthyThreshold: 2, unhealthyThreshold: 3 } };
    expect(requiredGatewayMinReadySeconds(slow, 0)).toBe(0);
  });

  test('grace period covers preStop, app drain and margin, rounded up', () => {
    expect(requiredGracePeriodSeconds(31, 0)).toBe(36);
    expect(requiredGracePeriodSeconds(40.5, 5, 5)).toBe(51);
  });
});

describe('discovery windows', () => {
  test('DNS discovery sums propagation, TTL and refresh', () => {
    expect(discoveryDelaySeconds(defaultDnsDiscovery())).toBe(36);
    expect(discoveryDelaySeconds(defaultDnsDiscovery({ dnsTtlSeconds: 5 }))).toBe(11);
  });

  test('EDS discovery sums propagation and push', () => {
    expect(discoveryDelaySeconds({ kind: 'eds', propagationSeconds: 1, pushSeconds: 2, dnsTtlSeconds: 0, dnsRefreshSeconds: 0 })).toBe(3);
  });

  test('static hosts are never forgotten', () => {
    expect(discoveryDelaySeconds({ kind: 'static', propagationSeconds: 0, pushSeconds: 0, dnsTtlSeconds: 0, dnsRefreshSeconds: 0 })).toBe(Number.POSITIVE_INFINITY);
  });

  test('an upstream keeps serving for the slowest gateway in front', () => {
    const fast = { kind: 'eds' as const, propagationSeconds: 1, pushSeconds: 1, dnsTtlSeconds: 0, dnsRefreshSeconds: 0 };
    expect(requiredUpstreamKeepServingSeconds([fast, defaultDnsDiscovery()])).toBe(41);
    expect(requiredUpstreamKeepServingSeconds([])).toBe(5);
  });

});
