import { CheckReport } from '../../lib/check/check';
import { WitnessedReport } from '../../lib/check/witness';
import { formatWitnessText, witnessJson } from '../../lib/check/witness-format';
import { Finding } from '../../lib/core/finding';

const finding = (rule: string, severity: Finding['severity']): Finding => ({ rule, category: 'lb-detection', severity, objects: [`Deployment/edge/${rule}`], message: '', fix: '' });

function witnessed(): WitnessedReport {
  const report = { verdict: 'drops-requests', findings: [finding('stops-early', 'error'), finding('slow', 'warning'), finding('unplayed', 'error')], problems: [] } as unknown as CheckReport;
  return {
    report,
    witnesses: [
      {
        reproduced: true, mechanism: 'lb-sends-to-exited-gateway', scenario: 'gateway-rollout', placement: 'new-node', seed: 2, requests: 400, failed: 7, runs: 3,
        load: { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: false } as any,
        firstFailure: { afterSeconds: 5.5, cause: 'target-gone', errorClass: 'connect-timeout' }, timeline: '/out/witness/01-stops-early.svg',
      },
      undefined,
      { reproduced: false, runs: 0, reason: 'the manifests hold no upstream to roll' },
    ],
    sweep: { scenarios: ['gateway-rollout'], placements: ['new-node'], seeds: 3, runs: 3, requests: 1200, failed: 0, unfinished: 1, skipped: [] },
  };
}

describe('formatWitnessText', () => {
  test('one line per error finding: the run that shows it, or why none did; then the sweep', () => {
    expect(formatWitnessText(witnessed(), '/out').split('\n')).toEqual([
      '',
      'witnesses (simulated on these manifests):',
      '  [stops-early] Deployment/edge/stops-early: gateway-rollout, placement new-node, seed 2, 4 × 10 req/s: 7 of 400 requests failed; the first 5.5s after the start: target-gone (connect-timeout); timeline witness/01-stops-early.svg',
      '  [unplayed] Deployment/edge/unplayed: NOT REPRODUCED — the manifests hold no upstream to roll',
      '  verdict checked against gateway-rollout × new-node × 3 seeds: 3 runs, 1200 requests, 0 failed, 1 rollouts did not finish',
      '',
    ]);
  });
});

describe('witnessJson', () => {
  test('gives the witnesses in the report order, with timelines relative to the directory asked', () => {
    const json = witnessJson(witnessed(), '/out');
    expect(json.findings.map((each) => each?.timeline)).toEqual(['witness/01-stops-early.svg', undefined, undefined]);
    expect(json.findings[1]).toBeUndefined();
    expect(json.sweep?.runs).toBe(3);
  });
});
