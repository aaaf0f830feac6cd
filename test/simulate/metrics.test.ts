import { Metrics, Outcome } from '../../lib/simulate/metrics';

describe('Metrics', () => {
  test('counts outcomes, status codes and errors by class', () => {
    const metrics = new Metrics();
    metrics.record(Outcome.Ok, undefined, 0.5, 0.4, 0);
    metrics.record(Outcome.Reset, 'request-outlived-drain', 1.2, 1.0, 1);
    metrics.record(Outcome.ConnectTimeout, 'target-gone', 2.5, 1.5, -1);
    metrics.record(Outcome.Status503, 'upstream-stale-host', 2.7, 2.6, 0);
    expect(metrics.completed).toBe(4);
    expect(metrics.succeeded).toBe(1);
    expect(metrics.statusCodes()).toEqual({ 200: 1, 503: 1 });
    expect(metrics.errors()).toEqual({ 'connect-timeout': 1, 'reset': 1, '503': 1 });
  });

  test('counts failures per whole second and marks each with its target', () => {
    const metrics = new Metrics();
    metrics.record(Outcome.Ok, undefined, 0.5, 0.4, 0);
    metrics.record(Outcome.Refused, 'target-gone', 2.2, 2.1, 3);
    expect(metrics.okPerSecond).toEqual([1, 0, 0]);
    expect(metrics.failedPerSecond).toEqual([0, 0, 1]);
    expect(metrics.failures).toEqual([{ time: 2.2, errorClass: 'refused', cause: 'target-gone', target: 3 }]);
  });

  test('lists causes most frequent first, a failure without one as a slow request', () => {
    const metrics = new Metrics();
    metrics.record(Outcome.HeaderTimeout, undefined, 1, 0, -1);
    metrics.record(Outcome.Refused, 'target-gone', 1, 0, -1);
    metrics.record(Outcome.Refused, 'target-gone', 1, 0, -1);
    expect(Object.entries(metrics.causes())).toEqual([['target-gone', 2], ['slow-request', 1]]);
  });

  test('summarizes the latency of answered requests only (200 and 503)', () => {
    const metrics = new Metrics();
    for (let index = 1; index <= 2000; index++) metrics.record(Outcome.Ok, undefined, index / 1000, 0, 0);
    metrics.record(Outcome.Status503, 'upstream-stale-host', 10, 5, 0);
    metrics.record(Outcome.ConnectTimeout, 'target-gone', 100, 0, 0);
    const latency = metrics.latency();
    expect(latency.fastest).toBe(0.001);
    expect(latency.slowest).toBe(5);
    expect(latency.p50).toBe(1.001);
  });
});
