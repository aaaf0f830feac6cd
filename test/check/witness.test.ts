import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Finding } from '../../lib/core/finding';
import { findWitness, sweep, witnessManifestFiles } from '../../lib/check/witness';
import { glooGuideTopology, safeTopology } from '../simulate/fixtures';

const fixtures = path.join(__dirname, '..', 'fixtures');

/**
 * Error findings on the repo's fixtures that no simulated run reproduces, each with the reason.
 * Every other error finding must have a witness. The lead decides their severity (issue 11, item 2).
 */
const NOT_REPRODUCED: Record<string, string> = {
  // Security: not a mechanism that drops requests; reported on its own line, never simulated.
  'check/naive-envoy.yaml admin-not-on-loopback': 'security, not a timing mechanism',
  // The NLB's recovery window (2 × 10 s) is shorter than its detection window (2 × 10 s + 6 s): the new targets are healthy
  // before the old ones turn unhealthy, so the load balancer never fails open; the gateway's minReadySeconds ≥ R_lb + margin is
  // defence in depth here, not a drop.
  'check/gloo-edge.yaml rollout-outruns-discovery Deployment/gloo-system/gateway-proxy': 'R_lb < D_lb: no fail-open',
  // GKE's default health check (15 s, 15 s timeout, 1/2): R_lb 15 s < D_lb 45 s, the same as above.
  'gke/neg-no-drain.yaml rollout-outruns-discovery Deployment/edge/envoy': 'R_lb < D_lb: no fail-open',
  // Masked by an earlier mechanism: the guide's gateway exits 5-7 s after its drain starts, before the NLB can mark it
  // unhealthy (10 s at the earliest), so the connections the reset would cut have already been cut by the exit
  // (gateway-exit-in-flight, the witness of gateway-stops-before-lb-detection). Once that is fixed the reset shows (test below).
  'check/gloo-edge.yaml unhealthy-target-connections-reset': 'masked: the gateway exits before the earliest unhealthy mark',
};

const finding = (overrides: Partial<Finding>): Finding => ({ rule: 'x', category: 'lb-detection', severity: 'error', objects: [], message: '', fix: '', ...overrides });

describe('findWitness', () => {
  test("shows the Gloo guide gateway's short preStop dropping requests: scenario, placement, first failure and its cause", () => {
    const topology = glooGuideTopology();
    const witness = findWitness(topology, finding({ rule: 'gateway-stops-before-lb-detection', mechanism: 'lb-sends-to-exited-gateway', objects: ['Deployment/gloo-system/gateway-proxy', 'Service/gloo-system/gateway-proxy'] }));
    expect(witness).toMatchObject({ reproduced: true, mechanism: 'lb-sends-to-exited-gateway', scenario: 'gateway-rollout', placement: 'new-node', gateway: 'Deployment/gloo-system/gateway-proxy' });
    expect(witness.failed).toBeGreaterThan(0);
    expect(['node-without-endpoint', 'gateway-exit-in-flight', 'load-balancer-fail-open']).toContain(witness.firstFailure!.cause);
    expect(witness.firstFailure!.afterSeconds).toBeGreaterThan(0);
  });

  test('rolls the upstream the finding names, behind the gateway that routes to it', () => {
    const witness = findWitness(glooGuideTopology(), finding({ rule: 'upstream-stops-before-gateways-forget-it', mechanism: 'upstream-exits-before-discovery', category: 'upstream-propagation', objects: ['Deployment/apps/echo', 'ConfigMap/gloo-system/gateway-proxy-envoy-config'] }));
    expect(witness).toMatchObject({ reproduced: true, scenario: 'upstream-rollout', upstream: 'Deployment/apps/echo' });
  });

  test('a finding on settings that drop nothing is reported as not reproduced, with the runs tried', () => {
    const witness = findWitness(safeTopology(), finding({ rule: 'gateway-stops-before-lb-detection', mechanism: 'lb-sends-to-exited-gateway', objects: ['Deployment/edge/gateway'] }), { seeds: 2 });
    expect(witness.reproduced).toBe(false);
    expect(witness.runs).toBeGreaterThan(0);
    expect(witness.reason).toMatch(/4 runs \(lb-sends-to-exited-gateway: gateway-rollout × new-node × 2 seeds × 2 loads\) dropped no request by node-without-endpoint/);
  });

  test('a security finding is not played', () => {
    expect(findWitness(safeTopology(), finding({ rule: 'admin-not-on-loopback', category: 'security' }))).toEqual({ reproduced: false, runs: 0, reason: expect.stringMatching(/security/) });
  });
});

describe('sweep', () => {
  test('says what a verdict without errors rests on: scenarios × placements × seeds, requests, failures', () => {
    const result = sweep(safeTopology(), { seeds: 2 })!;
    expect(result.scenarios).toEqual(['gateway-rollout', 'upstream-rollout', 'node-drain']);
    expect(result.runs).toBeGreaterThanOrEqual(6);
    expect(result.requests).toBeGreaterThan(result.runs * 1000);
    expect(result.failed).toBe(0);
    expect(result.unfinished).toBe(0);
    // One gateway per node: same-node cannot be played for the gateway's own rollout.
    expect(result.skipped.some((text) => text.startsWith('gateway-rollout same-node'))).toBe(true);
  });
});

describe('the fixtures', () => {
  test.each(['check/gloo-edge.yaml', 'check/naive-envoy.yaml', 'check/careful-envoy.yaml', 'gke/neg-no-drain.yaml'])('every error finding in %s has a witness or is listed with a reason', async (file) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-witness-'));
    try {
      const witnessed = await witnessManifestFiles([path.join(fixtures, file)], undefined, { witnessDir: dir });
      const unexplained: string[] = [];
      witnessed.report.findings.forEach((each, index) => {
        const witness = witnessed.witnesses[index];
        if (each.severity !== 'error') {
          expect(witness).toBeUndefined();
          return;
        }
        const keys = [`${file} ${each.rule}`, `${file} ${each.rule} ${each.objects[0]}`];
        const listed = keys.some((key) => NOT_REPRODUCED[key] !== undefined);
        if (witness!.reproduced) {
          expect(listed).toBe(false);
          expect(fs.readFileSync(witness!.timeline!, 'utf8')).toMatch(/^<svg/);
        } else if (!listed) {
          unexplained.push(`${each.rule} ${each.objects[0]}: ${witness!.reason}`);
        }
      });
      expect(unexplained).toEqual([]);
      if (witnessed.report.verdict !== 'drops-requests') expect(witnessed.sweep!.failed).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a masked mechanism', () => {
  test("the reset the Gloo guide's gateway hides by exiting early drops requests once the gateway keeps serving past detection", () => {
    const guide = glooGuideTopology().gateways[0].workload;
    const fixed = glooGuideTopology({ gateway: { terminationGracePeriodSeconds: 60, drain: { ...guide.drain, keepServingSeconds: 31, drainSeconds: 10 } } });
    const witness = findWitness(fixed, finding({ rule: 'unhealthy-target-connections-reset', category: 'keepalive', mechanism: 'keepalive-reset-by-lb', objects: ['Deployment/gloo-system/gateway-proxy'] }));
    expect(witness).toMatchObject({ reproduced: true, mechanism: 'keepalive-reset-by-lb', placement: 'new-node', firstFailure: { cause: 'unhealthy-target-reset' } });
  });
});

describe('limits', () => {
  test('a workload too large to play quickly is not played, and the witness says why', () => {
    const topology = glooGuideTopology({ gateway: { replicas: 100000 } });
    const witness = findWitness(topology, finding({ rule: 'gateway-stops-before-lb-detection', mechanism: 'lb-sends-to-exited-gateway', objects: ['Deployment/gloo-system/gateway-proxy'] }));
    expect(witness).toMatchObject({ reproduced: false, runs: 0, reason: expect.stringMatching(/100000 replicas, more than the 200 a witness plays/) });
  });
});
