import { readContourShutdown } from '../../../lib/read/drain/contour';

const sidecar = (args: string[]) => ({ name: 'shutdown-manager', lifecycle: { preStop: { exec: { command: ['/bin/contour', 'envoy', 'shutdown', ...args] } } } });

describe('Contour shutdown manager', () => {
  test('serves its drain delay before failing the health check, then its check delay, then polls until idle', () => {
    const drain = readContourShutdown('/shutdown', 8090, [sidecar(['--drain-delay', '5s', '--check-delay=30s', '--check-interval', '2s'])]);
    expect(drain).toMatchObject({ mechanism: 'shutdown-manager', failsHealthCheckAfterSeconds: 5, keepServingSeconds: 35, drainSeconds: 0, endsWhenIdle: { earliestSeconds: 35, pollSeconds: 2 } });
  });

  test('by default serves nothing and polls every 5 s, as cmd/contour/shutdownmanager.go does', () => {
    const drain = readContourShutdown('/shutdown', 8090, [sidecar([])]);
    expect(drain).toMatchObject({ keepServingSeconds: 0, endsWhenIdle: { earliestSeconds: 0, pollSeconds: 5 } });
    expect(drain).not.toHaveProperty('failsHealthCheckAfterSeconds');
  });

  test('a named port may be the shutdown manager\'s; another number is not', () => {
    expect(readContourShutdown('/shutdown', 'shutdown', [])).toBeDefined();
    expect(readContourShutdown('/shutdown', 9001, [])).toBeUndefined();
    expect(readContourShutdown('/shutdown', undefined, [])).toBeUndefined();
  });
});
