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

  test("a shutdown manager's drain: fails after its delay, accepts at least until its earliest end, exits by its timeout or SIGKILL", () => {
    const envoyGateway = drain({ mechanism: 'shutdown-manager', keepServingSeconds: 10, drainSeconds: 50, failsHealthCheckAfterSeconds: 3, endsWhenIdle: { earliestSeconds: 10, latestSeconds: 60, pollSeconds: 1 } });
    expect(drainTimeline(envoyGateway, { terminationGracePeriodSeconds: 360 })).toMatchObject({ failsHealthCheckAt: 3, stopsAcceptingAt: 10, stopsAcceptingBy: 60, exitsAt: 60 });
    const contour = drain({ mechanism: 'shutdown-manager', keepServingSeconds: 0, drainSeconds: 0, endsWhenIdle: { earliestSeconds: 0, pollSeconds: 5 } });
    expect(drainTimeline(contour, { terminationGracePeriodSeconds: 300 })).toMatchObject({ failsHealthCheckAt: 0, stopsAcceptingAt: 0, stopsAcceptingBy: 300, exitsAt: 300 });
  });

  test('an unknown drain has no timeline', () => {
    expect(drainTimeline(drain({ mechanism: 'unknown' }), { terminationGracePeriodSeconds: 30 })).toBeUndefined();
  });
});
