import { assumedLoadBalancer } from '../../../lib/core/load-balancer';
import { gatewayRolloutWindows, leastDrainSeconds, leastReadySeconds, leastRolloutSeconds, upstreamRolloutWindows } from '../../../lib/core/timing/rollout-time';
import { defaultDnsDiscovery, recoveryWindowSeconds, detectionWindowSeconds } from '../../../lib/core/timing/windows';

const windows = { readySeconds: 4, minReadySeconds: 10, stopSeconds: 30 };

describe('leastRolloutSeconds', () => {
  test('a Deployment replaces maxSurge + maxUnavailable pods per wave, then waits for the last old pod to stop', () => {
    expect(leastRolloutSeconds({ kind: 'Deployment', replicas: 3, maxSurge: 1, maxUnavailable: 0, hostPorts: [] }, windows)).toBe(3 * 14 + 30);
    expect(leastRolloutSeconds({ kind: 'Deployment', replicas: 4, maxSurge: 2, maxUnavailable: 0, hostPorts: [] }, windows)).toBe(2 * 14 + 30);
  });

  test('a DaemonSet with maxUnavailable stops the old pod before the new one starts, node by node', () => {
    expect(leastRolloutSeconds({ kind: 'DaemonSet', replicas: 1, maxSurge: 0, maxUnavailable: 1, hostPorts: [8080] }, windows, 3)).toBe(3 * (30 + 14));
    expect(leastRolloutSeconds({ kind: 'DaemonSet', replicas: 1, maxSurge: 1, maxUnavailable: 0, hostPorts: [] }, windows, 3)).toBe(3 * 14 + 30);
  });

  test('a node drain takes the longer of the evicted pods stopping and their replacements getting ready', () => {
    expect(leastDrainSeconds([windows, { readySeconds: 50, minReadySeconds: 0, stopSeconds: 5 }])).toBe(50);
  });
});

describe('windows at their least', () => {
  test('ready: start-up, the probe initial delay and its extra successes', () => {
    expect(leastReadySeconds({ readiness: { kind: 'http', periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 2, initialDelaySeconds: 1, failsWhileDraining: false } }, 3)).toBe(3 + 1 + 2);
    expect(leastReadySeconds({}, 3)).toBe(3);
  });

  test('a gateway waits out the recovery window and keeps serving through the detection window, each plus the margin', () => {
    const lb = assumedLoadBalancer('Service/edge/gateway');
    const gateway = { drain: { drainSeconds: 10 }, readiness: undefined } as unknown as Parameters<typeof gatewayRolloutWindows>[0];
    expect(gatewayRolloutWindows(gateway, lb, 3, 5)).toEqual({ readySeconds: 3, minReadySeconds: recoveryWindowSeconds(lb.healthCheck) + 5, stopSeconds: detectionWindowSeconds(lb.healthCheck) + 5 + 10 });
  });

  test('an upstream needs no minReadySeconds, and keeps serving past the discovery delay, then drains', () => {
    const upstream = { appDrainSeconds: 15, readiness: undefined } as unknown as Parameters<typeof upstreamRolloutWindows>[0];
    expect(upstreamRolloutWindows(upstream, [defaultDnsDiscovery()], 3, 5)).toEqual({ readySeconds: 3, minReadySeconds: 0, stopSeconds: 1 + 30 + 5 + 5 + 15 });
  });
});
