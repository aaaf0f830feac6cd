import { readKongQuit, readNginxSignal } from '../../../lib/read/drain/kong';
import { readPreStop } from '../../../lib/read/pre-stop';

const proxy = (script: string) => ({ name: 'proxy', image: 'kong:3.4', lifecycle: { preStop: { exec: { command: ['/bin/bash', '-c', script] } } } });
const context = { object: 'Deployment/kong/proxy-kong', containerName: 'proxy', siblings: [] };

describe('kong quit', () => {
  test('with no options: stops accepting at once, forced stop after 10 s', () => {
    expect(readKongQuit({ words: ['kong', 'quit'], container: {} })).toMatchObject({ keepAcceptingSeconds: 0, finishSeconds: 10 });
  });

  test('reads --wait and --timeout (and their short forms; the timeout is at least 1 s)', () => {
    expect(readKongQuit({ words: ['kong', 'quit', '--wait=15', '-t', '30'], container: {} })).toMatchObject({ keepAcceptingSeconds: 15, finishSeconds: 30 });
    expect(readKongQuit({ words: ['kong', 'quit', '-w', '5', '--timeout', '0'], container: {} })).toMatchObject({ keepAcceptingSeconds: 5, finishSeconds: 1 });
  });

  test('is not read from other kong commands', () => {
    expect(readKongQuit({ words: ['kong', 'stop'], container: {} })).toBeUndefined();
  });

  test('a sleep before it counts as serving; the hook is no longer unknown', () => {
    expect(readPreStop(proxy('kong quit'), context).drain).toMatchObject({ mechanism: 'sleep', keepServingSeconds: 0, drainSeconds: 10 });
    expect(readPreStop(proxy('sleep 20 && kong quit --wait 5'), context).drain).toMatchObject({ keepServingSeconds: 25, drainSeconds: 10 });
  });
});

describe('nginx -s', () => {
  test('quit closes the listeners at once and finishes in flight; stop closes everything', () => {
    expect(readNginxSignal({ words: ['nginx', '-s', 'quit'], container: {} })).toMatchObject({ keepAcceptingSeconds: 0, closesIdleConnections: true });
    expect(readNginxSignal({ words: ['/usr/sbin/nginx', '-s', 'stop'], container: {} })).toMatchObject({ keepAcceptingSeconds: 0, closesIdleConnections: false });
    expect(readNginxSignal({ words: ['nginx', '-s', 'reload'], container: {} })).toBeUndefined();
  });

  test('sleep then nginx -s quit is a wait of the sleep', () => {
    const container = { name: 'nginx', image: 'nginx:1.27', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep 30; nginx -s quit'] } } } };
    expect(readPreStop(container, { object: 'Deployment/web/nginx', containerName: 'nginx', siblings: [] }).drain).toMatchObject({ mechanism: 'sleep', keepServingSeconds: 30 });
  });
});
