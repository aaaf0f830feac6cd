import { DrainModel } from '../../../lib/core/model';
import { drainTimeline } from '../../../lib/read/drain/timeline';

const drain = (overrides: Partial<DrainModel>): DrainModel => ({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 30, drainSeconds: 20, drainsConnections: true, description: 'd', ...overrides });

describe('drainTimeline', () => {
  test('a failing drain: fails at once, stops accepting after serving, exits after the drain', () => {
    expect(drainTimeline(drain({}), { terminationGracePeriodSeconds: 120 })).toEqual({ failsHealthCheckAt: 0, stopsAcceptingAt: 30, exitsAt: 50, closesIdleConnections: true, description: 'd' });
  });

  test('everything is cut at terminationGracePeriodSeconds', () => {
    expect(drainTimeline(drain({ keepServingSeconds: 60, drainSeconds: 60 }), { terminationGracePeriodSeconds: 45 })).toMatchObject({ stopsAcceptingAt: 45, exitsAt: 45 });
  });

  test('a proxy stop command never fails the health check by itself', () => {
    expect(drainTimeline(drain({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 240 }), { terminationGracePeriodSeconds: 300, appDrainSeconds: 10 })).toEqual({ stopsAcceptingAt: 0, exitsAt: 250, closesIdleConnections: true, description: 'd' });
  });

  test('an unknown drain has no timeline', () => {
    expect(drainTimeline(drain({ mechanism: 'unknown' }), { terminationGracePeriodSeconds: 30 })).toBeUndefined();
  });
});
