import { preStopSleepHandler, readPreStopSleepSeconds, resolvePreStopAction, supportsSleepAction } from '../../lib/core/pre-stop';

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

  test('what it writes reads back', () => {
    expect(readPreStopSleepSeconds(preStopSleepHandler(12, 'sleep'))).toBe(12);
    expect(readPreStopSleepSeconds(preStopSleepHandler(12, 'exec'))).toBe(12);
    expect(readPreStopSleepSeconds({ exec: { command: ['/bin/sh', '-c', 'sleep 15'] } })).toBe(15);
  });

  test('anything else reads as unknown', () => {
    expect(readPreStopSleepSeconds({ exec: { command: ['sh', '-c', 'sleep 5; kill 1'] } })).toBeUndefined();
    expect(readPreStopSleepSeconds({ httpGet: { path: '/drain', port: 8080 } })).toBeUndefined();
    expect(readPreStopSleepSeconds(undefined)).toBeUndefined();
  });
});
