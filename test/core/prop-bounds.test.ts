import { resolveDrainingServiceOptions } from '../../lib/core/draining-service';
import { Duration } from '../../lib/core/duration';
import { adminDrainScript } from '../../lib/core/gateway/drain-script';
import { GatewayDrain } from '../../lib/core/gateway/drain';
import { GatewayPlan } from '../../lib/core/gateway/gateway-plan';
import { GatewayWorkload } from '../../lib/core/gateway/workload';
import { checkReplicasAtMost, checkSecondsAtMost, MAX_PROP_SECONDS, MAX_REPLICAS } from '../../lib/core/prop-bounds';

const SERVICE = { name: 'orders', namespace: 'shop', image: 'orders:1', readinessPath: '/ready' };

describe('upper bounds on props', () => {
  test('a bound is inclusive, and the error names the prop, the value and the bound', () => {
    expect(checkSecondsAtMost('keepServing', MAX_PROP_SECONDS)).toBe(MAX_PROP_SECONDS);
    expect(() => checkSecondsAtMost('keepServing', MAX_PROP_SECONDS + 1)).toThrow(`'keepServing' (86401s) must be at most 86400s`);
    expect(checkReplicasAtMost('replicas', MAX_REPLICAS)).toBe(MAX_REPLICAS);
    expect(() => checkReplicasAtMost('replicas', 1_000_000)).toThrow(`'replicas' (1000000) must be at most 5000`);
  });

  test('a poll interval of 1e21 s never reaches the drain script', () => {
    expect(() => GatewayDrain.bashAdminScript({ pollInterval: Duration.seconds(1e21) })).toThrow(/'pollInterval' \(1e\+21s\) must be at most 86400s/);
    expect(() => adminDrainScript({ client: 'bash', keepServingSeconds: 30, drainTimeoutSeconds: 30, pollSeconds: 1e21, adminPort: 9901 })).toThrow(/'pollSeconds' \(1e\+21s\) must be at most 86400s/);
    expect(() => adminDrainScript({ client: 'bash', keepServingSeconds: 1e21, drainTimeoutSeconds: 30, adminPort: 9901 })).toThrow(/'keepServingSeconds' \(1e\+21s\) must be at most/);
  });

  test('gateway durations and replicas beyond the bounds are refused', () => {
    expect(() => new GatewayPlan({ name: 'edge', namespace: 'ingress', keepServing: Duration.seconds(1e9) })).toThrow(/'keepServing' \([^)]*\) must be at most 86400s/);
    expect(() => new GatewayPlan({ name: 'edge', namespace: 'ingress', drainTimeout: Duration.seconds(1e9) })).toThrow(/'drainTimeout' \([^)]*\) must be at most 86400s/);
    expect(() => GatewayWorkload.deployment({ replicas: 1_000_000 })).toThrow(`'replicas' (1000000) must be at most 5000`);
  });

  test('upstream durations and replicas beyond the bounds are refused', () => {
    expect(() => resolveDrainingServiceOptions({ ...SERVICE, replicas: 2_000_000 })).toThrow(`'replicas' (2000000) must be at most 5000`);
    expect(() => resolveDrainingServiceOptions({ ...SERVICE, preStopDelay: Duration.seconds(1e21) })).toThrow(/'preStopDelay' \(1e\+21s\) must be at most 86400s/);
    expect(() => resolveDrainingServiceOptions({ ...SERVICE, appDrainTime: Duration.minutes(60 * 25) })).toThrow(/'appDrainTime' \(90000s\) must be at most 86400s/);
  });
});
