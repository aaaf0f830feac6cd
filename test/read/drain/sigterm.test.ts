import { readIstioAgent, readTraefik } from '../../../lib/read/drain/sigterm';
import { readPreStop } from '../../../lib/read/pre-stop';

const istio = (env: { name: string; value: string }[] = []) => ({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0', args: ['proxy', 'router', '--domain', 'x'], env });

describe("Istio's pilot-agent", () => {
  test('drains for terminationDrainDuration, 5 s by default', () => {
    expect(readIstioAgent(istio(), {})).toMatchObject({ keepAcceptingSeconds: 5, finishSeconds: 0 });
  });

  test('reads terminationDrainDuration from the pod annotation, PROXY_CONFIG or the env', () => {
    expect(readIstioAgent(istio(), { 'proxy.istio.io/config': 'terminationDrainDuration: 45s\n' })?.keepAcceptingSeconds).toBe(45);
    expect(readIstioAgent(istio([{ name: 'PROXY_CONFIG', value: '{"terminationDrainDuration":"20s"}' }]), {})?.keepAcceptingSeconds).toBe(20);
    expect(readIstioAgent(istio([{ name: 'TERMINATION_DRAIN_DURATION_SECONDS', value: '12' }]), {})?.keepAcceptingSeconds).toBe(12);
  });

  test('with EXIT_ON_ZERO_ACTIVE_CONNECTIONS only MINIMUM_DRAIN_DURATION is sure', () => {
    expect(readIstioAgent(istio([{ name: 'EXIT_ON_ZERO_ACTIVE_CONNECTIONS', value: 'true' }, { name: 'MINIMUM_DRAIN_DURATION', value: '8s' }]), {})?.keepAcceptingSeconds).toBe(8);
  });

  test('is not read from other images', () => {
    expect(readIstioAgent({ image: 'envoyproxy/envoy:v1.31', args: ['proxy', 'router'] }, {})).toBeUndefined();
  });

  test('a gateway with no preStop reads as the agent\'s drain, not as none', () => {
    expect(readPreStop(istio(), { object: 'Deployment/istio-system/ingress', containerName: 'istio-proxy', siblings: [] }).drain).toMatchObject({ mechanism: 'sleep', keepServingSeconds: 5 });
  });
});

describe('Traefik', () => {
  test('accepts for the shortest requestAcceptGraceTimeout of its entry points', () => {
    const container = { image: 'traefik:v3.7', args: ['--entryPoints.web.address=:80', '--entryPoints.websecure.address=:443', '--entryPoints.web.transport.lifeCycle.requestAcceptGraceTimeout=30s', '--entryPoints.websecure.transport.lifeCycle.requestAcceptGraceTimeout=20s'] };
    expect(readTraefik(container)).toMatchObject({ keepAcceptingSeconds: 20, finishSeconds: 10, readinessFailsOn: '/ping' });
  });

  test('defaults to 0: no preStop stays no preStop', () => {
    const container = { name: 'traefik', image: 'traefik:v3.7', args: ['--entryPoints.web.address=:80'] };
    expect(readTraefik(container)?.keepAcceptingSeconds).toBe(0);
    expect(readPreStop(container, { object: 'Deployment/default/traefik', containerName: 'traefik', siblings: [] }).drain.mechanism).toBe('none');
  });
});
