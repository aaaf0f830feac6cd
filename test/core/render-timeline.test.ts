import { explainGatewayTermination } from '../../lib/core/explain';
import { renderTimeline } from '../../lib/core/render-timeline';
import { drain, gateway, workload } from '../support/models';

describe('renderTimeline', () => {
  test('prints the bar, every event with its arithmetic, and the margins', () => {
    const text = renderTimeline(explainGatewayTermination(gateway()));
    expect(text).toContain('Deployment/edge/gateway behind Service/edge/gateway');
    expect(text).toMatch(/^\s+\|-+\|/m);
    expect(text).toMatch(/t\+22s\s+├─ the load balancer marks the target unhealthy/);
    expect(text).toContain('1s for kube-proxy to learn + 2 failed checks × (10s + 0.5s jitter) = 22s; the 6s timeout counts only for a check that goes unanswered (26s)');
    expect(text).toMatch(/t\+51s\s+[├└]─ SIGKILL deadline/);
    expect(text).toMatch(/ok\s+keeps serving after the load balancer stops sending \(31s − 22s\): 9s \(needs 9s\)/);
    expect(text).not.toContain('FAIL');
  });

  test('marks failed margins and says what goes wrong', () => {
    const text = renderTimeline(explainGatewayTermination(gateway({ workload: workload({ drain: drain({ keepServingSeconds: 5, drainSeconds: 0 }), terminationGracePeriodSeconds: 7 }) })));
    expect(text).toMatch(/FAIL keeps serving .*: -17s \(needs 9s\)/);
    expect(text).toContain('connect timeouts');
  });

  test('keeps the bar within the width asked for', () => {
    const text = renderTimeline(explainGatewayTermination(gateway()), { width: 30 });
    const bar = text.split('\n').find((line) => /^\s+\|[-|]+$/.test(line));
    expect(bar?.trim().length).toBe(31);
  });
});
