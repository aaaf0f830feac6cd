import { readPreStop } from '../../lib/read/pre-stop';
import { adminDrainScript } from '../../lib/core/gateway/drain-script';

const context = { object: 'Deployment/edge/gateway', containerName: 'envoy', siblings: [] };
const exec = (command: unknown[]) => ({ name: 'envoy', lifecycle: { preStop: { exec: { command } } } });
const shell = (script: string, image?: string) => readPreStop(exec(['/bin/sh', '-c', script]), { ...context, image });

describe('sleep', () => {
  test('exec sleep N, /bin/sleep N and sh -c "sleep N" keep serving N seconds without failing the health check', () => {
    for (const command of [['sleep', '20'], ['/bin/sleep', '20'], ['/bin/sh', '-c', 'sleep 20'], ['bash', '-c', 'echo draining; sleep 20']]) {
      expect(readPreStop(exec(command), context).drain).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 20, drainSeconds: 0, drainsConnections: false });
    }
  });

  test('reads GNU sleep suffixes and sums several sleeps', () => {
    expect(shell('sleep 1m').drain.keepServingSeconds).toBe(60);
    expect(shell('sleep 5; sleep 2.5s').drain.keepServingSeconds).toBe(7.5);
  });

  test('reads the native sleep action', () => {
    expect(readPreStop({ lifecycle: { preStop: { sleep: { seconds: 15 } } } }, context).drain).toMatchObject({ mechanism: 'sleep', keepServingSeconds: 15 });
  });

  test('is none without a preStop', () => {
    expect(readPreStop({ name: 'envoy' }, context).drain.mechanism).toBe('none');
  });
});

describe('healthcheck/fail then sleep', () => {
  test('reads the Gloo guide hook: wget --post-data, then sleep 5', () => {
    const reading = shell('wget --post-data "" -O /dev/null 127.0.0.1:19000/healthcheck/fail; sleep 5');
    expect(reading.drain).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 5, drainsConnections: true });
    expect(reading.findings).toEqual([]);
  });

  test('reads curl -X POST and curl -d', () => {
    expect(shell('curl -s -X POST http://127.0.0.1:9901/healthcheck/fail && sleep 30').drain).toMatchObject({ mechanism: 'fail-then-wait', keepServingSeconds: 30 });
    expect(shell('curl -sf -XPOST localhost:9901/healthcheck/fail; sleep 30').drain.mechanism).toBe('fail-then-wait');
    expect(shell("curl -d '' localhost:9901/healthcheck/fail; sleep 30").drain.mechanism).toBe('fail-then-wait');
  });

  test('reads bash /dev/tcp with a POST request line', () => {
    const script = "exec 3<>/dev/tcp/127.0.0.1/9901 && printf 'POST /healthcheck/fail HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3 && sleep 35";
    expect(readPreStop(exec(['/bin/bash', '-c', script]), { ...context, image: 'envoyproxy/envoy:v1.31.2' }).drain).toMatchObject({ mechanism: 'fail-then-wait', keepServingSeconds: 35 });
  });

  test('counts only the sleep after the failure: the load balancer can notice only from then', () => {
    expect(shell('sleep 10; curl -X POST localhost:9901/healthcheck/fail; sleep 20').drain).toMatchObject({ mechanism: 'fail-then-wait', keepServingSeconds: 20 });
  });

  test('reports a GET to healthcheck/fail, which Envoy admin rejects', () => {
    const reading = shell('wget -O- 127.0.0.1:19000/healthcheck/fail; sleep 5');
    expect(reading.findings.map((finding) => finding.rule)).toEqual(['healthcheck-fail-not-post']);
    expect(reading.drain).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 5 });
  });

  test('reports curl in the official Envoy image, which has none; with && the sleep never runs', () => {
    const reading = shell('curl -X POST localhost:9901/healthcheck/fail && sleep 30', 'envoyproxy/envoy:v1.31.2');
    expect(reading.findings.map((finding) => finding.rule)).toEqual(['prestop-tool-missing-from-image']);
    expect(reading.drain).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 0 });
    expect(shell('curl -X POST localhost:9901/healthcheck/fail; sleep 30', 'envoyproxy/envoy:v1.31.2').drain.keepServingSeconds).toBe(30);
  });

  test('reports an exec hook in a distroless image', () => {
    expect(shell('sleep 30', 'envoyproxy/envoy-distroless:v1.31.2').findings.map((finding) => finding.rule)).toEqual(['prestop-exec-without-shell']);
  });
});

describe('shutdown managers', () => {
  test('reads Envoy Gateway: min drain duration served, drain timeout bounds the rest', () => {
    const sidecar = { name: 'shutdown-manager', lifecycle: { preStop: { exec: { command: ['envoy-gateway', 'envoy', 'shutdown', '--drain-timeout', '60s', '--min-drain-duration', '10s', '--exit-at-connections', '0'] } } } };
    const envoy = { name: 'envoy', lifecycle: { preStop: { httpGet: { path: '/shutdown/ready', port: 19002, scheme: 'HTTP' } } } };
    expect(readPreStop(envoy, { ...context, siblings: [sidecar] }).drain).toMatchObject({ mechanism: 'shutdown-manager', failsHealthCheck: true, keepServingSeconds: 10, drainSeconds: 50 });
    const custom = { ...sidecar, lifecycle: { preStop: { exec: { command: ['envoy-gateway', 'envoy', 'shutdown', '--drain-timeout=120s', '--min-drain-duration=40s'] } } } };
    expect(readPreStop(envoy, { ...context, siblings: [custom] }).drain).toMatchObject({ keepServingSeconds: 40, drainSeconds: 80 });
  });

  test('reads Contour: serves only its check delay and drain delay, 0 s by default', () => {
    const envoy = { name: 'envoy', lifecycle: { preStop: { httpGet: { path: '/shutdown', port: 8090 } } } };
    const sidecar = (args: string[]) => ({ name: 'shutdown-manager', lifecycle: { preStop: { exec: { command: ['/bin/contour', 'envoy', 'shutdown', ...args] } } } });
    expect(readPreStop(envoy, { ...context, siblings: [sidecar([])] }).drain).toMatchObject({ mechanism: 'shutdown-manager', keepServingSeconds: 0 });
    expect(readPreStop(envoy, { ...context, siblings: [sidecar(['--check-delay=30s', '--drain-delay', '5s'])] }).drain.keepServingSeconds).toBe(35);
  });
});

describe('anything else is unknown, never a guess', () => {
  test.each([
    ['a script with a variable', ['sh', '-c', 'sleep $DELAY']],
    ['a loop', ['sh', '-c', 'while true; do sleep 1; done']],
    ['a program', ['/app/drain']],
    ['a background job', ['sh', '-c', 'sleep 5 &']],
    ['sleep infinity', ['sleep', 'infinity']],
  ])('%s', (_name, command) => {
    expect(readPreStop(exec(command), context).drain.mechanism).toBe('unknown');
  });

  test('an httpGet to an unknown endpoint', () => {
    expect(readPreStop({ lifecycle: { preStop: { httpGet: { path: '/drain', port: 8080 } } } }, context).drain.mechanism).toBe('unknown');
  });
});

describe("hitless's own admin drain script", () => {
  const script = adminDrainScript({ client: 'bash', adminPort: 9901, keepServingSeconds: 31, drainTimeoutSeconds: 15 });

  test('is read with the timings it was generated with', () => {
    expect(readPreStop(exec(['/bin/bash', '-c', script]), { ...context, image: 'envoyproxy/envoy:v1.35.0' }).drain).toMatchObject({
      mechanism: 'fail-then-wait',
      failsHealthCheck: true,
      keepServingSeconds: 31,
      drainSeconds: 15,
      drainsConnections: true,
    });
  });

  test('is not trusted once edited', () => {
    const edited = script.replace('keep_serving=31', 'keep_serving=3');
    const drain = readPreStop(exec(['/bin/bash', '-c', edited]), { ...context, image: 'envoyproxy/envoy:v1.35.0' }).drain;
    expect(drain.keepServingSeconds === 31).toBe(false);
  });
});

describe('malformed hooks', () => {
  test('an exec command with holes is unknown, not a crash', () => {
    // eslint-disable-next-line no-sparse-arrays
    const command = [, 'sleep', '5'];
    expect(readPreStop({ lifecycle: { preStop: { exec: { command } } } }, context).drain.mechanism).toBe('unknown');
  });
});

describe('/drain_listeners', () => {
  const envoy = (script: string, args: string[] = []) => readPreStop({ name: 'envoy', image: 'envoyproxy/envoy:v1.35.0', args, lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', script] } } } }, context).drain;

  test('without ?graceful stops the listeners at once: serving ends there, the rest is drain', () => {
    expect(envoy('curl -X POST 127.0.0.1:9901/healthcheck/fail; curl -X POST 127.0.0.1:9901/drain_listeners; sleep 40')).toMatchObject({ keepServingSeconds: 0, drainSeconds: 40 });
    expect(envoy('curl -X POST 127.0.0.1:9901/healthcheck/fail; sleep 30; curl -X POST 127.0.0.1:9901/drain_listeners; sleep 10')).toMatchObject({ keepServingSeconds: 30, drainSeconds: 10 });
  });

  test('with ?graceful stops them after --drain-time-s', () => {
    expect(envoy("curl -X POST '127.0.0.1:9901/healthcheck/fail'; curl -X POST '127.0.0.1:9901/drain_listeners?graceful'; sleep 40", ['--drain-time-s', '5'])).toMatchObject({ keepServingSeconds: 5, drainSeconds: 35 });
    expect(envoy("curl -X POST '127.0.0.1:9901/healthcheck/fail'; curl -X POST '127.0.0.1:9901/drain_listeners?graceful'; sleep 40", ['--drain-time-s=60'])).toMatchObject({ keepServingSeconds: 40, drainSeconds: 0 });
  });
});

describe('the port the health check failure is sent to', () => {
  test('is read from the wget or curl URL, with http and https defaults when the URL names none', () => {
    expect(shell('curl -X POST 127.0.0.1:19000/healthcheck/fail; sleep 40').healthCheckFailPort).toBe(19000);
    expect(shell('wget --post-data "" -O /dev/null http://localhost:9901/healthcheck/fail; sleep 5').healthCheckFailPort).toBe(9901);
    expect(shell('curl -X POST http://localhost/healthcheck/fail; sleep 5').healthCheckFailPort).toBe(80);
    expect(shell('curl -k -X POST https://localhost/healthcheck/fail; sleep 5').healthCheckFailPort).toBe(443);
    expect(shell("curl -X POST 'http://[::1]:9902/healthcheck/fail'; sleep 5").healthCheckFailPort).toBe(9902);
  });

  test('is read from bash /dev/tcp/HOST/PORT', () => {
    const script = "exec 3<>/dev/tcp/127.0.0.1/19000 && printf 'POST /healthcheck/fail HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' >&3 && sleep 35";
    expect(readPreStop(exec(['/bin/bash', '-c', script]), context).healthCheckFailPort).toBe(19000);
  });

  test('is the admin port of the generated drain script', () => {
    const script = adminDrainScript({ client: 'bash', keepServingSeconds: 30, drainTimeoutSeconds: 20, adminPort: 19001 });
    const reading = readPreStop(exec(['/bin/bash', '-c', script]), context);
    expect(reading.healthCheckFailPort).toBe(19001);
    expect(reading.drainIfHealthCheckNotFailed).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 50, drainSeconds: 0, drainsConnections: false });
  });

  test('comes with the drain as it is when the POST reaches no admin: every sleep, before and after, without failing the health check', () => {
    const reading = shell('sleep 10; curl -X POST localhost:19000/healthcheck/fail; sleep 20');
    expect(reading.drain).toMatchObject({ failsHealthCheck: true, keepServingSeconds: 20 });
    expect(reading.drainIfHealthCheckNotFailed).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 30, drainSeconds: 0, drainsConnections: false });
  });

  test('is absent when the hook fails no health check, or sends it over a Unix socket', () => {
    expect(shell('sleep 20').healthCheckFailPort).toBeUndefined();
    expect(shell('wget -O- 127.0.0.1:19000/healthcheck/fail; sleep 5').healthCheckFailPort).toBeUndefined();
    expect(shell('curl --unix-socket /tmp/admin.sock -X POST http://localhost/healthcheck/fail; sleep 5').healthCheckFailPort).toBeUndefined();
    expect(shell('curl -X POST localhost:99999/healthcheck/fail; sleep 5').healthCheckFailPort).toBeUndefined();
  });
});

describe('a drain is judged by what will run: interpreter and image', () => {
  const official = 'docker.io/envoyproxy/envoy:v1.35.0';
  const gloo = 'quay.io/solo-io/gloo-envoy-wrapper:1.17.0';
  const options = { adminPort: 9901, keepServingSeconds: 31, drainTimeoutSeconds: 15 };
  const bashScript = adminDrainScript({ client: 'bash', ...options });
  const wgetScript = adminDrainScript({ client: 'wget', ...options });
  const curlScript = adminDrainScript({ client: 'curl', ...options });
  const run = (command: string[], image?: string) => readPreStop(exec(command), { ...context, image });

  test('the generated bash drain run by /bin/sh does not drain: dash has no /dev/tcp and stops at the first admin call', () => {
    for (const sh of ['/bin/sh', 'sh', '/bin/dash', '/bin/ash']) {
      const reading = run([sh, '-c', bashScript], official);
      expect(reading.drain).toMatchObject({ failsHealthCheck: false, keepServingSeconds: 0, drainsConnections: false });
      expect(reading.findings).toEqual([expect.objectContaining({ rule: 'prestop-dev-tcp-without-bash', severity: 'error' })]);
      expect(reading.findings[0].message).toContain('only bash provides');
    }
    expect(run(['/bin/bash', '-c', bashScript], official).findings).toEqual([]);
  });

  test('a hand-written /dev/tcp hook under sh is reported and read as stopping there', () => {
    const reading = shell("sleep 2; exec 3<>/dev/tcp/127.0.0.1/9901; printf 'POST /healthcheck/fail HTTP/1.1\\r\\n\\r\\n' >&3; sleep 30");
    expect(reading.drain).toMatchObject({ failsHealthCheck: false, keepServingSeconds: 2 });
    expect(reading.findings.map((finding) => finding.rule)).toEqual(['prestop-dev-tcp-without-bash']);
  });

  test('the generated wget or curl drain in the official Envoy image never fails the health check: it only waits', () => {
    for (const script of [wgetScript, curlScript]) {
      const reading = run(['/bin/sh', '-c', script], official);
      expect(reading.drain).toMatchObject({ mechanism: 'sleep', failsHealthCheck: false, keepServingSeconds: 46 });
      expect(reading.findings.map((finding) => finding.rule)).toEqual(['prestop-tool-missing-from-image']);
      expect(reading.findings[0].message).toContain('the official Envoy image');
    }
  });

  test('the generated wget drain in Gloo\'s image (BusyBox wget) is a drain', () => {
    const reading = run(['/bin/sh', '-c', wgetScript], gloo);
    expect(reading.drain).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: 31 });
    expect(reading.findings).toEqual([]);
  });

  test('any exec hook in a distroless image cannot start, the generated bash drain included', () => {
    for (const image of ['envoyproxy/envoy:distroless-v1.35.0', 'docker.io/envoyproxy/envoy-distroless:v1.31.2', 'gcr.io/distroless/static:nonroot']) {
      const reading = run(['/bin/bash', '-c', bashScript], image);
      expect(reading.drain).toMatchObject({ failsHealthCheck: false, keepServingSeconds: 0 });
      expect(reading.findings.map((finding) => finding.rule)).toEqual(['prestop-exec-without-shell']);
      expect(reading.findings[0].message).toContain(image);
    }
  });

  test('bash in Gloo\'s image (BusyBox, no bash) cannot start', () => {
    const reading = run(['/bin/bash', '-c', bashScript], gloo);
    expect(reading.findings.map((finding) => finding.rule)).toEqual(['prestop-exec-without-shell']);
    expect(reading.findings[0].message).toContain('no bash');
  });

  test('a hand-written wget hook in Gloo\'s image is read; in the official image it is reported', () => {
    const hook = 'wget --post-data "" -O /dev/null 127.0.0.1:19000/healthcheck/fail; sleep 5';
    expect(shell(hook, gloo).findings).toEqual([]);
    expect(shell(hook, official).findings.map((finding) => finding.rule)).toEqual(['prestop-tool-missing-from-image']);
  });
});
