import { Duration as Cdk8sDuration } from 'cdk8s';
import { Duration } from '../../../lib/core/duration';
import { GatewayDrain } from '../../../lib/core/gateway/drain';
import { parseAdminDrainScript } from '../../../lib/core/gateway/drain-script';

const context = { adminPort: 9901, keepServingSeconds: 31, drainTimeoutSeconds: 30, marginSeconds: 5 };

describe('GatewayDrain', () => {
  it('runs the bash admin script from preStop, with Envoy draining for the drain timeout', () => {
    const rendered = GatewayDrain.bashAdminScript().render(context);
    const [shell, flag, script] = (rendered.preStop as any).exec.command;
    expect([shell, flag]).toEqual(['/bin/bash', '-c']);
    expect(parseAdminDrainScript(script)).toMatchObject({ client: 'bash', adminPort: 9901, keepServingSeconds: 31, drainTimeoutSeconds: 30, pollSeconds: 1 });
    expect(rendered.envoyArgs).toEqual(['--drain-time-s', '30', '--drain-strategy', 'immediate']);
    expect(rendered.sidecars).toEqual([]);
    expect(rendered.model).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 31, drainSeconds: 30, drainsConnections: true });
  });

  it('names a cdk8s poll interval it refuses by its length', () => {
    expect(() => GatewayDrain.bashAdminScript({ pollInterval: Cdk8sDuration.millis(1_500) })).toThrow("'pollInterval' (1.5s) must be a whole number of seconds, at least 1s");
  });

  it('takes a poll interval in whole seconds', () => {
    const script = (GatewayDrain.curlAdminScript({ pollInterval: Duration.seconds(3) }).render(context).preStop as any).exec.command[2];
    expect(parseAdminDrainScript(script)).toMatchObject({ client: 'curl', pollSeconds: 3 });
    expect(() => GatewayDrain.wgetAdminScript({ pollInterval: Duration.millis(500) })).toThrow("'pollInterval' (500ms) must be a whole number of seconds");
  });

  it('reaches the Envoy Gateway shutdown manager by httpGet, on its fixed ports', () => {
    const drain = GatewayDrain.envoyGatewayShutdownManager({ image: 'registry.example/gateway:v1.4.0' });
    expect(drain.requiredAdminPort).toBe(19000);
    const rendered = drain.render({ ...context, adminPort: 19000 });
    expect(rendered.preStop).toEqual({ httpGet: { path: '/shutdown/ready', port: 19002 } });
    expect(rendered.sidecars).toHaveLength(1);
    expect(rendered.sidecars[0]).toMatchObject({ name: 'shutdown-manager', image: 'registry.example/gateway:v1.4.0' });
    expect(rendered.volumes).toEqual([{ name: 'shutdown-manager-tmp', emptyDir: {} }]);
    expect(rendered.envoyArgs).toEqual(['--drain-time-s', '61', '--drain-strategy', 'immediate']);
    expect(rendered.model).toMatchObject({ mechanism: 'shutdown-manager', keepServingSeconds: 31, drainSeconds: 30 });
    expect(GatewayDrain.bashAdminScript().requiredAdminPort).toBeUndefined();
  });
});
