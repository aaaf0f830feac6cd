import { readIngressNginxWaitShutdown } from '../../../lib/read/drain/ingress-nginx';
import { readPreStop } from '../../../lib/read/pre-stop';

const controller = (args: string[]) => ({ name: 'controller', image: 'registry.k8s.io/ingress-nginx/controller:v1.15.1', args: ['/nginx-ingress-controller', ...args], lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } } });
const context = { object: 'Deployment/ingress-nginx/controller', containerName: 'controller', siblings: [] };

describe('ingress-nginx /wait-shutdown', () => {
  test('stops accepting at once with the default --shutdown-grace-period 0, and fails /healthz', () => {
    const reading = readIngressNginxWaitShutdown({ words: ['/wait-shutdown'], container: controller([]) });
    expect(reading).toMatchObject({ keepAcceptingSeconds: 0, finishSeconds: 240, closesIdleConnections: true, readinessFailsOn: '/healthz' });
    expect(reading!.description).toContain('(default)');
  });

  test('keeps accepting for --shutdown-grace-period', () => {
    expect(readIngressNginxWaitShutdown({ words: ['/wait-shutdown'], container: controller(['--shutdown-grace-period=90']) })?.keepAcceptingSeconds).toBe(90);
    expect(readIngressNginxWaitShutdown({ words: ['/wait-shutdown'], container: controller(['--shutdown-grace-period', '45']) })?.keepAcceptingSeconds).toBe(45);
  });

  test('is not read from other commands', () => {
    expect(readIngressNginxWaitShutdown({ words: ['/wait-shutdown', 'now'], container: controller([]) })).toBeUndefined();
    expect(readIngressNginxWaitShutdown({ words: ['sleep', '5'], container: controller([]) })).toBeUndefined();
  });

  test('the preStop reads as a wait of the grace period, not as unknown, with the readiness path', () => {
    const reading = readPreStop(controller(['--shutdown-grace-period=30']), context);
    expect(reading.drain).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 30, drainSeconds: 240 });
    expect(reading.readinessFailsOn).toBe('/healthz');
    expect(reading.findings).toEqual([]);
  });
});
