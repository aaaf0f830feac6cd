import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { main } from '../../lib/cli/explain';
import { CliIo } from '../../lib/cli/io';
import { planNlb } from '../../lib/core/aws/nlb';
import { Duration } from '../../lib/core/duration';
import { ExplainedTimeline } from '../../lib/core/explained-timeline';
import { solveGatewayBudget } from '../../lib/core/timing/solver';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-explain-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), readStdin: async () => stdin, isTty: false, cwd: dir };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A gateway Deployment whose preStop fails the health check then sleeps, behind an NLB Service annotated by planNlb. */
function manifests(name: string, sleepSeconds: number, interval: number, timeout: number): string {
  const plan = planNlb(
    { healthCheckInterval: Duration.seconds(interval), healthCheckTimeout: Duration.seconds(timeout) },
    { serviceObject: `Service/edge/${name}`, healthCheckPath: '/envoy-hc' },
    (loadBalancer) => solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: 15 }),
  );
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'edge' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: sleepSeconds + 5,
          containers: [{
            name: 'envoy',
            image: 'envoyproxy/envoy:v1.31.0',
            lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `wget --post-data "" -O /dev/null 127.0.0.1:19000/healthcheck/fail; sleep ${sleepSeconds}`] } } },
          }],
        },
      },
    },
  };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'edge', annotations: plan.serviceAnnotations },
    spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  };
  return `${stringify(deployment)}---\n${stringify(service)}`;
}

describe('hitless explain', () => {
  test('prints the timeline of each gateway in a synthesized directory', async () => {
    const out = path.join(dir, 'dist');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'edge.k8s.yaml'), manifests('gateway', 46, 10, 6));
    const result = await run([out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Deployment/edge/gateway behind Service/edge/gateway');
    // read back from the annotations: 2 × 10 s; Envoy answers 503, so the 6 s timeout is margin (26 s)
    expect(result.stdout).toContain('2 failed checks × (10s + 0.5s jitter)');
    expect(result.stdout).toContain('the 6s timeout counts only for a check that goes unanswered (26s)');
    expect(result.stdout).toMatch(/t\+2[12]s\s+├─ the load balancer marks the target unhealthy/);
    expect(result.stdout).toMatch(/SIGKILL deadline/);
    expect(result.stdout).toContain('margins:');
  });

  test('--json gives the timelines as data, and --gateway picks one', async () => {
    const out = path.join(dir, 'two');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'a.yaml'), manifests('slow', 46, 10, 6));
    fs.writeFileSync(path.join(out, 'b.yaml'), manifests('fast', 40, 5, 2));
    const all = await run([out, '--json']);
    expect(all.code).toBe(0);
    const timelines = JSON.parse(all.stdout) as ExplainedTimeline[];
    expect(timelines.map((timeline) => timeline.gateway).sort()).toEqual(['Deployment/edge/fast', 'Deployment/edge/slow']);
    const fast = await run([out, '--json', '--gateway', 'fast']);
    const [only] = JSON.parse(fast.stdout) as ExplainedTimeline[];
    expect(only.gateway).toBe('Deployment/edge/fast');
    expect(only.events.find((event) => event.kind === 'lb-marks-unhealthy')?.atSeconds).toBeCloseTo(2 * (5 + 0.5), 0);
  });

  test('reads standard input with -', async () => {
    const result = await run(['-'], manifests('gateway', 46, 10, 6));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Deployment/edge/gateway');
  });

  test('exits 2 on a path that cannot be read', async () => {
    const result = await run([path.join(dir, 'missing')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing');
  });

  test('exits 2 on YAML that does not parse', async () => {
    const result = await run(['-'], 'kind: [unclosed');
    expect(result.code).toBe(2);
  });

  test('exits 2 on an empty input', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const result = await run([empty]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no Kubernetes objects/);
  });

  test('exits 2 when no gateway is found, as simulate does', async () => {
    const configMap = stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'edge' }, data: {} });
    const result = await run(['-'], configMap);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no gateway/);
  });

  test('exits 2 on bad usage and prints help on --help', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['--frobnicate', 'x'])).code).toBe(2);
    expect((await run(['x', '--width', '3'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: hitless explain/);
  });
});
