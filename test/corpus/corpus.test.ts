import * as fs from 'fs';
import * as path from 'path';
import { checkManifestFiles } from '../../lib/check/check';
import { explainGatewayTermination } from '../../lib/core/explain';
import { readManifestFiles } from '../../lib/read';
import { drainTimeline } from '../../lib/read/drain/timeline';
import { corpusCases, CORPUS_DIR, matches, measure, Measurement, readExpectation } from './expectations';

/**
 * Runs `hitless check` on every manifest of the corpus and holds it to what an expert says
 * (`<name>.expect.yaml`). Entries marked `pendingOn` are reported, not failed, until the branch
 * they wait for has merged; everything else must hold exactly.
 */

const cases = corpusCases();
const measurements: Measurement[] = [];

describe('the real-world corpus', () => {
  test('holds at least 12 manifests, each with its provenance header', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    for (const name of cases) {
      const text = fs.readFileSync(path.join(CORPUS_DIR, `${name}.yaml`), 'utf8');
      const head = text.slice(0, text.indexOf('\n---'));
      expect(head).toMatch(/^# source: https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//m);
      expect(head).toMatch(/^# repo: \S+ {2}path: .+ {2}commit: [0-9a-f]{40}$/m);
      expect(head).toMatch(/^# (trimmed|untrimmed):/m);
    }
  });

  describe.each(cases)('%s', (name) => {
    test('check answers as the expert expects (pending entries aside)', async () => {
      const expectation = readExpectation(name);
      const report = await checkManifestFiles([path.join(CORPUS_DIR, `${name}.yaml`)]);
      expect(report.problems).toEqual([]);
      const measurement = measure(expectation, report);
      measurements.push(measurement);
      const failing = measurement.deviations.filter((deviation) => deviation.pendingOn === undefined).map((deviation) => deviation.text);
      expect(failing).toEqual([]);
    });
  });

  test.each(cases)('%s: explain tells the drain timeline the simulator is given', async (name) => {
    const { topology } = await readManifestFiles([path.join(CORPUS_DIR, `${name}.yaml`)]);
    for (const gateway of topology.gateways) {
      const { drain, terminationGracePeriodSeconds, appDrainSeconds } = gateway.workload;
      const timeline = drainTimeline(drain, { terminationGracePeriodSeconds, appDrainSeconds });
      const events = explainGatewayTermination(gateway).events;
      const at = (kind: string) => events.find((event) => event.kind === kind)?.atSeconds;
      if (!timeline) {
        expect(drain.mechanism).toBe('unknown');
        continue;
      }
      expect(at('fails-health-check')).toBe(timeline.failsHealthCheckAt);
      if (drain.mechanism !== 'none') expect(Math.min(at('stops-serving')!, terminationGracePeriodSeconds)).toBe(timeline.stopsAcceptingAt);
      expect(Math.min(at('exits')!, terminationGracePeriodSeconds)).toBe(timeline.exitsAt);
    }
  });

  test('the expectation matcher tells a finding by rule, objects, severity and text', () => {
    const finding = { rule: 'a', category: 'lb-detection' as const, severity: 'error' as const, objects: ['X/n/x', 'Y/n/y'], message: 'waits 30s', fix: '' };
    const base = { mechanism: 'm', source: 's' };
    expect(matches(finding, { ...base, rule: ['b', 'a'], objects: ['Y/n/y'], severity: 'error', messageIncludes: '30s' })).toBe(true);
    expect(matches(finding, { ...base, rule: 'a', severity: 'warning' })).toBe(false);
    expect(matches(finding, { ...base, rule: 'a', objects: ['Z/n/z'] })).toBe(false);
    expect(matches(finding, { ...base, rule: 'a', messageIncludes: '26s' })).toBe(false);
  });

  afterAll(() => {
    if (measurements.length === 0) return;
    const total = (key: 'findings' | 'errors' | 'falseFindings' | 'falseErrors' | 'mainHazardsMissed') => measurements.reduce((sum, each) => sum + each[key], 0);
    const lines = measurements.map((each) => {
      const pending = each.deviations.filter((deviation) => deviation.pendingOn !== undefined);
      return [
        `${each.name}: ${each.findings} findings (${each.errors} errors), ${each.falseFindings} false (${each.falseErrors} errors), ${each.mainHazardsMissed} main hazards missed`,
        ...pending.map((deviation) => `    pending on ${deviation.pendingOn}: ${deviation.text}`),
        ...each.nowHolding.map((text) => `    now holds, remove pendingOn: ${text}`),
      ].join('\n');
    });
    const errors = total('errors');
    // eslint-disable-next-line no-console
    console.log([
      `corpus: ${measurements.length} manifests, ${total('findings')} findings, ${total('falseFindings')} false; ${errors} errors, ${total('falseErrors')} false (${errors > 0 ? ((100 * total('falseErrors')) / errors).toFixed(1) : '0'} %); main hazards missed: ${total('mainHazardsMissed')}`,
      ...lines,
    ].join('\n'));
  });
});
