import { Finding } from '../../lib/core/finding';
import { ExecExtras, readExec } from '../../lib/read/pre-stop-exec';

const context = { object: 'Deployment/edge/gateway', containerName: 'envoy', image: 'registry.example.com/edge/proxy:1.0', siblings: [] };
const read = (command: string[], drainTimeSeconds = 600) => {
  const findings: Finding[] = [];
  const extras: ExecExtras = {};
  const drain = readExec(command, context, findings, drainTimeSeconds, extras);
  return { drain, findings, extras };
};

describe('reading an exec preStop', () => {
  test('a POST to /healthcheck/fail then a sleep: fails the health check and serves for the sleep; the port is kept for the topology', () => {
    const { drain, extras, findings } = read(['/bin/sh', '-c', 'wget --post-data "" -O /dev/null http://127.0.0.1:9901/healthcheck/fail; sleep 20']);
    expect(drain).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 20 });
    expect(extras.healthCheckFailPort).toBe(9901);
    expect(extras.drainIfHealthCheckNotFailed).toMatchObject({ mechanism: 'sleep', keepServingSeconds: 20 });
    expect(findings).toEqual([]);
  });

  test('a graceful /drain_listeners stops the listeners after --drain-time-s, counted from the failure', () => {
    const { drain } = read(['/bin/sh', '-c', 'curl -X POST http://127.0.0.1:9901/healthcheck/fail; sleep 5; curl -X POST "http://127.0.0.1:9901/drain_listeners?graceful"; sleep 30'], 10);
    expect(drain).toMatchObject({ mechanism: 'fail-then-wait', keepServingSeconds: 15, drainSeconds: 20 });
  });

  test('/dev/tcp under sh stops the hook at that line and is reported', () => {
    const { drain, findings } = read(['/bin/sh', '-c', 'sleep 3; exec 3<>/dev/tcp/127.0.0.1/9901; sleep 10']);
    expect(drain).toMatchObject({ mechanism: 'sleep', keepServingSeconds: 3 });
    expect(findings.map((finding) => finding.rule)).toEqual(['prestop-dev-tcp-without-bash']);
  });

  test('a step it cannot read makes the whole hook unknown, never a guess', () => {
    expect(read(['/bin/sh', '-c', 'sleep 5; ./custom-drain']).drain.mechanism).toBe('unknown');
    expect(read(['/bin/sh', '-c', 'sleep $DELAY']).drain.mechanism).toBe('unknown');
    expect(read(['/bin/sh']).drain.mechanism).toBe('unknown');
  });
});
