import { renderTimelineSvg, simulate } from '../../lib/simulate';
import { glooGuideTopology, GUIDE_LOAD } from './fixtures';

describe('renderTimelineSvg', () => {
  const result = simulate(glooGuideTopology(), { scenario: 'gateway-rollout', placement: 'new-node', load: { ...GUIDE_LOAD, durationSeconds: 95 }, seed: 1 });
  const svg = renderTimelineSvg(result);

  test('is one well-formed SVG document', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const opened = (svg.match(/<(rect|line|text|tspan|title|svg)\b/g) ?? []).length;
    const closed = (svg.match(/<\/(rect|line|text|tspan|title|svg)>|\/>/g) ?? []).length;
    expect(closed).toBe(opened);
  });

  test('has a lane per pod and per load-balancer target, each failure as a mark, a legend and a time axis', () => {
    for (const pod of result.timeline.pods) expect(svg).toContain(`>${pod.name}<`);
    for (const target of result.timeline.targets) expect(svg).toContain(`>${target.label}<`);
    const marks = svg.match(/stroke="#d62728" stroke-width="1.5"/g) ?? [];
    // Each failure appears on its target's lane and on the failed-requests lane.
    expect(marks.length).toBe(2 * result.failed);
    for (const legend of ['pod ready, serving', 'draining: no new connections', 'target unhealthy', 'failed: connect-timeout']) expect(svg).toContain(legend);
    expect(svg).toContain('>0 s<');
    expect(svg).toContain('>90 s<');
    expect(svg).toContain('rollout starts');
  });

  test('escapes names', () => {
    const odd = { ...result, gateway: 'Deployment/a/<b&c>' };
    expect(renderTimelineSvg(odd)).toContain('Deployment/a/&lt;b&amp;c&gt;');
  });
});
