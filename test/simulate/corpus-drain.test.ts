import * as path from 'path';
import { checkManifestFiles } from '../../lib/check/check';
import { findWitness } from '../../lib/check/witness';
import { explainGatewayTermination } from '../../lib/core/explain';
import { readManifestFiles } from '../../lib/read';
import { drainTimeline } from '../../lib/read/drain/timeline';
import { simulate } from '../../lib/simulate';
import { corpusCases, CORPUS_DIR } from '../corpus/expectations';
import { GUIDE_LOAD } from './fixtures';

/**
 * `check`, `explain` and `simulate` tell one drain timeline (issue 12): on every gateway of the
 * real-world corpus, the simulated old pod fails its health check, stops accepting and exits when
 * drainTimeline says, and explain's events say the same.
 */

const cases = corpusCases();

describe('the simulator plays each corpus gateway drain from its drain timeline', () => {
  test.each(cases)('%s', async (name) => {
    const { topology } = await readManifestFiles([path.join(CORPUS_DIR, `${name}.yaml`)]);
    for (const gateway of topology.gateways) {
      const workload = gateway.workload;
      const timeline = drainTimeline(workload.drain, { terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds, appDrainSeconds: workload.appDrainSeconds });
      if (!timeline) {
        expect(workload.drain.mechanism).toBe('unknown');
        continue;
      }
      const events = explainGatewayTermination(gateway).events;
      const explained = (kind: string) => events.find((event) => event.kind === kind)?.atSeconds;
      const grace = workload.terminationGracePeriodSeconds;
      const result = simulate(topology, {
        scenario: 'gateway-rollout',
        gateway: workload.object,
        load: { ...GUIDE_LOAD, durationSeconds: grace + 120 },
        seed: 1,
        parameters: { maxRunSeconds: grace * 4 + 600 },
      });
      const old = result.timeline.pods.filter((pod) => pod.role === 'gateway' && pod.revision === 'old' && Number.isFinite(pod.deletedAt));
      expect(old.length).toBeGreaterThan(0);
      for (const pod of old) {
        const at = (time: number) => time - pod.deletedAt;
        const label = `${name} ${pod.name}`;
        // Health check: when the drain fails it, never otherwise.
        expect({ label, failsHealthCheckAt: timeline.failsHealthCheckAt === undefined ? Infinity : at(pod.failsHealthCheckAt) })
          .toEqual({ label, failsHealthCheckAt: timeline.failsHealthCheckAt === undefined ? Infinity : expect.closeTo(timeline.failsHealthCheckAt, 6) });
        expect(explained('fails-health-check')).toBe(timeline.failsHealthCheckAt);
        if (timeline.stopsAcceptingBy === undefined) {
          expect({ label, stopsAcceptingAt: at(pod.stopsAcceptingAt), exitsAt: at(pod.exitAt) })
            .toEqual({ label, stopsAcceptingAt: expect.closeTo(timeline.stopsAcceptingAt, 6), exitsAt: expect.closeTo(timeline.exitsAt, 6) });
        } else {
          // A shutdown manager ends the drain at a poll once no connection is open: between the earliest and the latest.
          expect(at(pod.stopsAcceptingAt)).toBeGreaterThanOrEqual(timeline.stopsAcceptingAt - 1e-6);
          expect(at(pod.stopsAcceptingAt)).toBeLessThanOrEqual(timeline.stopsAcceptingBy + 1e-6);
          expect(at(pod.exitAt)).toBeGreaterThanOrEqual(at(pod.stopsAcceptingAt) - 1e-6);
          expect(at(pod.exitAt)).toBeLessThanOrEqual(timeline.exitsAt + 1e-6);
        }
        if (workload.drain.mechanism !== 'none') expect(Math.min(explained('stops-serving')!, grace)).toBe(timeline.stopsAcceptingAt);
        expect(Math.min(explained('exits')!, grace)).toBe(timeline.exitsAt);
      }
    }
  });
});

describe('listeners closed while the load balancer still sends: the main hazard of ingress-nginx and Kong', () => {
  // ingress-nginx's /wait-shutdown with --shutdown-grace-period 0 (PR #5855) and `kong quit` with
  // --wait 0 close the listeners at once, while the load balancer keeps sending until it notices.
  test.each(['ingress-nginx-aws-nlb', 'ingress-nginx-aws-nlb-tls', 'ingress-nginx-cloud', 'kong-dbless'])('%s: the finding simulates to dropped requests (a witness)', async (name) => {
    const file = path.join(CORPUS_DIR, `${name}.yaml`);
    const { topology } = await readManifestFiles([file]);
    const report = await checkManifestFiles([file]);
    const finding = report.findings.find((each) => each.rule === 'gateway-stops-before-lb-detection');
    expect(finding?.severity).toBe('error');
    const witness = findWitness(topology, finding!, { seeds: 1 });
    expect({ name, reproduced: witness.reproduced, scenario: witness.scenario }).toEqual({ name, reproduced: true, scenario: 'gateway-rollout' });
    expect(witness.failed).toBeGreaterThan(0);
    // The first drop is a connection the closed listener refused, not some other mechanism.
    expect(witness.firstFailure?.errorClass).toBe('refused');
  });
});
