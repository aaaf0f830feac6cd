import { preStopSleepDrain, preStopSleepHandler, resolvePreStopAction, supportsSleepAction } from '../../lib/core/pre-stop';
import { readPreStop } from '../../lib/read';

describe('resolvePreStopAction', () => {
  test.each([
    ['1.28', 'exec'],
    ['1.29', 'exec'],
    ['1.30', 'sleep'],
    ['v1.33.1', 'sleep'],
    ['1.34', 'sleep'],
    ['2.0', 'sleep'],
  ])('Kubernetes %s defaults to %s', (version, action) => {
    expect(resolvePreStopAction(version)).toBe(action);
  });

  test('the user may force exec on any version and sleep from 1.30', () => {
    expect(resolvePreStopAction('1.34', 'exec')).toBe('exec');
    expect(resolvePreStopAction('1.30', 'sleep')).toBe('sleep');
  });

  test('fails when sleep is forced before 1.30, naming both props', () => {
    expect(() => resolvePreStopAction('1.29', 'sleep')).toThrow("'preStopAction' (sleep) must be used with 'kubernetesVersion' at least 1.30 (got 1.29)");
  });

  test('fails on an action it does not know', () => {
    expect(() => resolvePreStopAction('1.30', 'httpGet' as never)).toThrow("'preStopAction' (\"httpGet\") must be 'sleep' or 'exec'");
  });

  test('supportsSleepAction takes text or a parsed version', () => {
    expect(supportsSleepAction('1.29')).toBe(false);
    expect(supportsSleepAction({ major: 1, minor: 30 })).toBe(true);
  });
});

describe('preStopSleepHandler', () => {
  test('native sleep and exec sleep', () => {
    expect(preStopSleepHandler(41, 'sleep')).toEqual({ sleep: { seconds: 41 } });
    expect(preStopSleepHandler(41, 'exec')).toEqual({ exec: { command: ['sleep', '41'] } });
  });

  test('fails on fractional or negative seconds, which neither form accepts', () => {
    expect(() => preStopSleepHandler(1.5, 'sleep')).toThrow('whole number of seconds');
    expect(() => preStopSleepHandler(-1, 'exec')).toThrow('whole number of seconds');
  });

  test('what it writes reads back through lib/read as the model it states', () => {
    for (const action of ['sleep', 'exec'] as const) {
      const container = { name: 'app', image: 'example/app:1', lifecycle: { preStop: preStopSleepHandler(12, action) } };
      const reading = readPreStop(container, { object: 'Deployment/shop/app', containerName: 'app', image: container.image, siblings: [] });
      expect(reading.findings).toEqual([]);
      expect(reading.drain).toEqual(preStopSleepDrain(12, action));
    }
  });
});
