import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Finding } from '../../lib/core/finding';
import { findWitness, sweep, WITNESS_PLANS, witnessManifestFiles, witnessPlanFor } from '../../lib/check/witness';
import { glooGuideTopology, safeTopology } from '../simulate/fixtures';

const fixtures = path.join(__dirname, '..', 'fixtures', 'check');

/**
 * Error findings on the repo's fixtures that no simulated run reproduces, each with the reason.
 * Every other error finding must have a witness. The lead decides their severity (issue 11, item 2).
 */
const NOT_REPRODUCED: Record<string, string> = {
  // Security: not a mechanism that drops requests; reported on its own line.
  'naive-envoy.yaml admin-not-on-loopback': 'security, not a timing mechanism',
  // The NLB's recovery window (2 × 10 s) is shorter than its detection window (2 × 10 s + 6 s): the new targets are healthy
  // before the old ones turn unhealthy, so the load balancer never fails open; the gateway's minReadySeconds ≥ R_lb + margin is
  // defence in depth here, not a drop.
  'gloo-edge.yaml rollout-outruns-discovery Deployment/gloo-system/gateway-proxy': 'R_lb < D_lb: no fail-open',
  'naive-envoy.yaml rollout-outruns-discovery Deployment/edge/envoy': 'R_lb < D_lb: no fail-open',
};

const finding = (overrides: Partial<Finding>): Finding => ({ rule: 'x', category: 'lb-detection', severity: 'error', objects: [], message: '', fix: '', ...overrides });

describe('witness plans', () => {
  test('a mechanism id wins over the rule id, and the category is the fallback', () => {
    expect(witnessPlanFor(finding({ rule: 'no-prestop', mechanism: 'admin-not-on-loopback' } as Partial<Finding>))).toEqual(WITNESS_PLANS['admin-not-on-loopback']);
    expect(witnessPlanFor(finding({ rule: 'no-prestop' }))).toEqual(WITNESS_PLANS['no-prestop']);
    expect(witnessPlanFor(finding({ rule: 'never-heard-of', category: 'schema' }))).toHaveProperty('notSimulated');
    expect(witnessPlanFor(finding({ rule: 'never-heard-of', category: 'upstream-propagation' }))).toMatchObject({ workload: 'upstream' });
  });
});

describe('findWitness', () => {
  test("shows the Gloo guide gateway's short preStop dropping requests: scenario, placement, first failure and its cause", () => {
    const topology = glooGuideTopology();
    const witness = findWitness(topology, finding({ rule: 'gateway-stops-before-lb-detection', objects: ['Deployment/gloo-system/gateway-proxy', 'Service/gloo-system/gateway-proxy'] }));
    expect(witness).toMatchObject({ reproduced: true, scenario: 'gateway-rollout', placement: 'new-node', gateway: 'Deployment/gloo-system/gateway-proxy' });
    expect(witness.failed).toBeGreaterThan(0);
    expect(['node-without-endpoint', 'gateway-exit-in-flight', 'load-balancer-fail-open']).toContain(witness.firstFailure!.cause);
    expect(witness.firstFailure!.afterSeconds).toBeGreaterThan(0);
  });

  test('rolls the upstream the finding names, behind the gateway that routes to it', () => {
    const witness = findWitness(glooGuideTopology(), finding({ rule: 'upstream-stops-before-gateways-forget-it', category: 'upstream-propagation', objects: ['Deployment/apps/echo', 'ConfigMap/gloo-system/gateway-proxy-envoy-config'] }));
    expect(witness).toMatchObject({ reproduced: true, scenario: 'upstream-rollout', upstream: 'Deployment/apps/echo' });
  });

  test('a finding on settings that drop nothing is reported as not reproduced, with the runs tried', () => {
    const witness = findWitness(safeTopology(), finding({ rule: 'gateway-stops-before-lb-detection', objects: ['Deployment/edge/gateway'] }), { seeds: 2 });
    expect(witness.reproduced).toBe(false);
    expect(witness.runs).toBeGreaterThan(0);
    expect(witness.reason).toMatch(/runs \(gateway-rollout × new-node, same-node × 2 seeds × 1 load\) dropped no request by node-without-endpoint/);
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
  test.each(['gloo-edge.yaml', 'naive-envoy.yaml', 'careful-envoy.yaml'])('every error finding in %s has a witness or is listed with a reason', async (file) => {
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

describe('limits', () => {
  test('a workload too large to play quickly is not played, and the witness says why', () => {
    const topology = glooGuideTopology({ gateway: { replicas: 100000 } });
    const witness = findWitness(topology, finding({ rule: 'gateway-stops-before-lb-detection', objects: ['Deployment/gloo-system/gateway-proxy'] }));
    expect(witness).toMatchObject({ reproduced: false, runs: 0, reason: expect.stringMatching(/100000 replicas, more than the 200 a witness plays/) });
  });
});
