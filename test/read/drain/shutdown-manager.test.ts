import { findShutdownCommand, mayBePort, sidecarFlagSeconds } from '../../../lib/read/drain/shutdown-manager';

describe('shutdown-manager sidecars', () => {
  test('finds the sidecar command, split from a shell -c string too', () => {
    const plain = { lifecycle: { preStop: { exec: { command: ['/bin/contour', 'envoy', 'shutdown'] } } } };
    const shell = { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', 'contour envoy shutdown --drain-delay 5s'] } } } };
    const isShutdown = (words: string[]) => words.includes('shutdown');
    expect(findShutdownCommand([{ name: 'other' }, plain], isShutdown)).toEqual(['/bin/contour', 'envoy', 'shutdown']);
    expect(findShutdownCommand([shell], isShutdown)).toEqual(['contour', 'envoy', 'shutdown', '--drain-delay', '5s']);
    expect(findShutdownCommand([{ name: 'other' }], isShutdown)).toBeUndefined();
  });

  test('a port may be the manager\'s when it is its number, as text or not, or a name hitless cannot resolve', () => {
    expect([8090, '8090', 'admin'].map((port) => mayBePort(port, 8090))).toEqual([true, true, true]);
    expect([9001, undefined].map((port) => mayBePort(port, 8090))).toEqual([false, false]);
  });

  test('reads a duration flag of the sidecar, and nothing without a sidecar', () => {
    expect(sidecarFlagSeconds(['contour', 'envoy', 'shutdown', '--drain-delay=1m30s'], '--drain-delay')).toBe(90);
    expect(sidecarFlagSeconds(['contour', 'envoy', 'shutdown'], '--drain-delay')).toBeUndefined();
    expect(sidecarFlagSeconds(undefined, '--drain-delay')).toBeUndefined();
  });
});
