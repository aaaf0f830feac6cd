import { checkGkeRange, controllerDefaultHealthCheck, GKE_LIMITS, GkeLimitError } from '../../../lib/core/gke/defaults';

describe("GKE's defaults per controller", () => {
  test('Ingress with NEGs: 15 s / 15 s / 1 / 2 (ingress-gce DefaultNEGHealthCheck)', () => {
    expect(controllerDefaultHealthCheck('ingress')).toEqual({ intervalSeconds: 15, timeoutSeconds: 15, healthyThreshold: 1, unhealthyThreshold: 2 });
  });

  test('Gateway: 5 s / 5 s / 2 / 2 (HealthCheckPolicy CRD)', () => {
    expect(controllerDefaultHealthCheck('gateway')).toEqual({ intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2 });
  });

  test('L4: 3 s / 1 s / 1 / 2 with externalTrafficPolicy Local, 8 s / 1 s / 1 / 3 with Cluster (ingress-gce healthchecksl4.go)', () => {
    expect(controllerDefaultHealthCheck('l4', 'Local')).toEqual({ intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 2 });
    expect(controllerDefaultHealthCheck('l4', 'Cluster')).toEqual({ intervalSeconds: 8, timeoutSeconds: 1, healthyThreshold: 1, unhealthyThreshold: 3 });
  });
});

describe('checkGkeRange', () => {
  test('passes values within the range and refuses others naming prop, value and bound', () => {
    expect(checkGkeRange('connectionDrainingTimeout', 0, GKE_LIMITS.connectionDrainingSeconds)).toBe(0);
    expect(checkGkeRange('connectionDrainingTimeout', 3600, GKE_LIMITS.connectionDrainingSeconds)).toBe(3600);
    expect(() => checkGkeRange('connectionDrainingTimeout', 3601, GKE_LIMITS.connectionDrainingSeconds)).toThrow("'connectionDrainingTimeout' (3601s) must be within 0s–3600s");
    expect(() => checkGkeRange('healthyThreshold', 0, GKE_LIMITS.healthyThreshold)).toThrow(GkeLimitError);
    expect(() => checkGkeRange('healthyThreshold', 1.5, GKE_LIMITS.healthyThreshold)).toThrow("'healthyThreshold' (1.5) must be a whole number within 1–10");
  });

  test('the ranges are those of the HealthCheckPolicy and GCPBackendPolicy CRDs', () => {
    expect(GKE_LIMITS.healthCheckIntervalSeconds).toMatchObject({ min: 1, max: 300 });
    expect(GKE_LIMITS.healthCheckTimeoutSeconds).toMatchObject({ min: 1, max: 300 });
    expect(GKE_LIMITS.unhealthyThreshold).toMatchObject({ min: 1, max: 10 });
    expect(GKE_LIMITS.connectionDrainingSeconds).toMatchObject({ min: 0, max: 3600 });
  });
});
