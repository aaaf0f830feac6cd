import { durationSeconds, flagSeconds, stopDrainModel } from '../../../lib/read/drain/stop-command';

describe('durationSeconds', () => {
  test('reads plain seconds and Go durations', () => {
    expect(durationSeconds('90')).toBe(90);
    expect(durationSeconds('1m30s')).toBe(90);
    expect(durationSeconds('500ms')).toBe(0.5);
    expect(durationSeconds('1.5h')).toBe(5400);
  });

  test('refuses what Go would refuse', () => {
    expect(durationSeconds('ten')).toBeUndefined();
    expect(durationSeconds('10 s')).toBeUndefined();
  });
});

describe('flagSeconds', () => {
  test('reads --flag=value, --flag value and short forms', () => {
    expect(flagSeconds(['--a=5s'], ['--a'])).toBe(5);
    expect(flagSeconds(['x', '-w', '7'], ['--wait', '-w'])).toBe(7);
    expect(flagSeconds(['--a', 'soon'], ['--a'])).toBeUndefined();
  });
});

describe('stopDrainModel', () => {
  test('a stop command is a wait to the load balancer: sleeps before it add to the serving time', () => {
    expect(stopDrainModel({ keepAcceptingSeconds: 5, finishSeconds: 10, closesIdleConnections: true, description: 'kong quit' }, 20, 3))
      .toEqual({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 25, drainSeconds: 13, drainsConnections: true, description: 'sleep 20s, then kong quit' });
  });
});
