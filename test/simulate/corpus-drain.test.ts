import * as path from 'path';
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
