import { buildDrainingService, BuiltDrainingService, DrainingServiceOptions } from '../../../lib/core/draining-service';
import { Duration } from '../../../lib/core/duration';
import { DEFAULT_MARGIN_SECONDS } from '../../../lib/core/timing/windows';
import { expectValidKubernetesObjects } from '../../support/k8s-schema';
import { base, container, objects, podSpec } from './support';

describe('prop rules: each fires, naming prop, value and bound, and its boundary passes', () => {
  test.each([
    ['replicas', { replicas: 1 }, "'replicas' (1) must be at least 2: "],
    ['replicas (fraction)', { replicas: 2.5 }, "'replicas' (2.5) must be a whole number"],
    ['maxSurge', { maxSurge: 0 }, "'maxSurge' (0) must be at least 1: "],
    ['readinessPath (empty)', { readinessPath: '' }, `'readinessPath' ("") must be an HTTP path such as '/ready': a service without a readiness probe cannot drain`],
    ['readinessPath (relative)', { readinessPath: 'ready' }, `'readinessPath' ("ready") must be an absolute HTTP path starting with '/'`],
    ['port (low)', { port: 0 }, "'port' (0) must be a whole number from 1 to 65535"],
    ['port (high)', { port: 65536 }, "'port' (65536) must be a whole number from 1 to 65535"],
    ['name (too long)', { name: 'a'.repeat(55) }, `'name' ("${'a'.repeat(55)}") must be a DNS label of at most 54 characters`],
    ['name (not a DNS label)', { name: 'Orders' }, `'name' ("Orders") must be a DNS label`],
    ['image', { image: '' }, `'image' ("") must be a container image reference`],
    ['preStopDelay', { preStopDelay: Duration.seconds(35) }, "'preStopDelay' (35s) must be at least the gateways' discovery delay (36s)"],
    ['terminationGracePeriod', { terminationGracePeriod: Duration.seconds(45) }, "'terminationGracePeriod' (45s) must be at least the preStop plus the app drain time (46s)"],
    ['preStopAction sleep on 1.29', { kubernetesVersion: '1.29', preStopAction: 'sleep' as const }, "'preStopAction' (sleep) must be used with 'kubernetesVersion' at least 1.30 (got 1.29)"],
    ['kubernetesVersion', { kubernetesVersion: 'latest' }, `'kubernetesVersion' ("latest") must be a Kubernetes version`],
  ])('%s fires', (_rule, overrides, message) => {
    expect(() => buildDrainingService({ ...base, ...overrides })).toThrow(message);
  });

  test('readinessPath missing fires', () => {
    const { readinessPath: _omitted, ...withoutPath } = base;
    expect(() => buildDrainingService(withoutPath as DrainingServiceOptions)).toThrow("'readinessPath' (undefined) must be an HTTP path such as '/ready'");
  });

  test.each([
    ['replicas', { replicas: 2 }, (b: BuiltDrainingService) => expect((b.deployment as any).spec.replicas).toBe(2)],
    ['maxSurge', { maxSurge: 1 }, (b: BuiltDrainingService) => expect((b.deployment as any).spec.strategy.rollingUpdate.maxSurge).toBe(1)],
    ['port (low)', { port: 1 }, (b: BuiltDrainingService) => expect(container(b).ports[0].containerPort).toBe(1)],
    ['port (high)', { port: 65535 }, (b: BuiltDrainingService) => expect(container(b).ports[0].containerPort).toBe(65535)],
    ['name (54 characters)', { name: 'a'.repeat(54) }, (b: BuiltDrainingService) => expect(b.headlessService.metadata.name).toHaveLength(63)],
    ['preStopDelay', { preStopDelay: Duration.seconds(36) }, (b: BuiltDrainingService) => expect(container(b).lifecycle.preStop.sleep.seconds).toBe(36)],
    ['preStopDelay (rounded up onto the bound)', { preStopDelay: Duration.millis(35_500) }, (b: BuiltDrainingService) => expect(container(b).lifecycle.preStop.sleep.seconds).toBe(36)],
    ['terminationGracePeriod', { terminationGracePeriod: Duration.seconds(46) }, (b: BuiltDrainingService) => expect(podSpec(b).terminationGracePeriodSeconds).toBe(46)],
    ['minReady (any, taken as given)', { minReady: Duration.seconds(7) }, (b: BuiltDrainingService) => expect((b.deployment as any).spec.minReadySeconds).toBe(7)],
    ['preStopAction sleep on 1.30', { kubernetesVersion: '1.30', preStopAction: 'sleep' as const }, (b: BuiltDrainingService) => expect(container(b).lifecycle.preStop).toEqual({ sleep: { seconds: 41 } })],
  ])('%s boundary passes', (_rule, overrides, check) => {
    const built = buildDrainingService({ ...base, ...overrides });
    check(built);
    expectValidKubernetesObjects(objects(built));
  });

  test('a longer preStopDelay lengthens the derived grace period', () => {
    const built = buildDrainingService({ ...base, preStopDelay: Duration.seconds(60), appDrainTime: Duration.seconds(10) });
    expect(podSpec(built).terminationGracePeriodSeconds).toBe(60 + 10 + DEFAULT_MARGIN_SECONDS);
  });

  test('a grace period too short for a longer preStopDelay names the new bound', () => {
    expect(() => buildDrainingService({ ...base, preStopDelay: Duration.seconds(60), terminationGracePeriod: Duration.seconds(60) }))
      .toThrow("'terminationGracePeriod' (60s) must be at least the preStop plus the app drain time (65s)");
  });
});
