import { explainGatewayTermination } from '../../lib/core/explain';
import { TimelineEventKind } from '../../lib/core/explained-timeline';
import { drain, gateway, lbService, loadBalancer, workload } from '../support/models';

function at(timeline: ReturnType<typeof explainGatewayTermination>, kind: TimelineEventKind): number | undefined {
  return timeline.events.find((event) => event.kind === kind)?.atSeconds;
}

describe('explainGatewayTermination', () => {
  test('places every step of a budgeted gateway behind the Gloo guide NLB (10 s, 6 s, 2/2)', () => {
    const timeline = explainGatewayTermination(gateway());
    expect(timeline.gateway).toBe('Deployment/edge/gateway');
    expect(timeline.loadBalancer).toBe('Service/edge/gateway');
    expect(timeline.loadBalancerAssumed).toBe(false);
    expect(at(timeline, 'deleted')).toBe(0);
    expect(at(timeline, 'fails-health-check')).toBe(0);
    // kube-proxy's healthCheckNodePort answers 503 once it learns (1 s), then 2 × (10 s + 0.5 s jitter); the 6 s timeout is for silence.
    expect(at(timeline, 'lb-marks-unhealthy')).toBe(1 + 2 * 10.5);
    expect(at(timeline, 'lb-stops-new-connections')).toBe(22);
    expect(at(timeline, 'stops-serving')).toBe(31);
    expect(at(timeline, 'prestop-ends')).toBe(31 + 15);
    expect(at(timeline, 'exits')).toBe(46);
    expect(at(timeline, 'sigkill')).toBe(51);
    // draining interval 41 s in the fixture, counted from the earliest the target may turn unhealthy: (2 − 1) × 10 s
    expect(at(timeline, 'unhealthy-connections-reset')).toBe(10 + 41);
    expect(timeline.margins.every((margin) => margin.ok)).toBe(true);
    expect(timeline.margins.map((margin) => margin.seconds)).toEqual([31 - 22, 51 - 46, 51 - 46, 25 - 20]);
  });

  test('events are in time order', () => {
    const times = explainGatewayTermination(gateway()).events.map((event) => event.atSeconds);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test("shows where the Gloo guide's gateway breaks: it stops at 5 s, the NLB sends until 22 s, SIGKILL at 7 s", () => {
    const gloo = gateway({
      workload: workload({ drain: drain({ keepServingSeconds: 5, drainSeconds: 0 }), terminationGracePeriodSeconds: 7 }),
      services: [lbService({ loadBalancer: loadBalancer({ unhealthyConnectionTermination: true, unhealthyDrainingIntervalSeconds: 0 }) })],
    });
    const timeline = explainGatewayTermination(gloo);
    const serving = timeline.margins[0];
    expect(serving.ok).toBe(false);
    expect(serving.seconds).toBe(5 - 22);
    expect(serving.consequence).toMatch(/between 5s and 22s/);
    const grace = timeline.margins.find((margin) => margin.name.startsWith('exits before SIGKILL'));
    expect(grace).toMatchObject({ ok: false, seconds: 7 - 5, requiredSeconds: 5 });
    // connection termination on: the reset comes with the earliest unhealthy mark
    expect(at(timeline, 'unhealthy-connections-reset')).toBe(10);
  });

  test('IP targets: new connections arrive until the deregistration lag ends, not just D_lb', () => {
    const lb = loadBalancer({ targetType: 'ip', deregistrationLagSeconds: 120, healthCheckPort: 'traffic-port' });
    const timeline = explainGatewayTermination(gateway({ services: [lbService({ loadBalancer: lb })] }));
    expect(at(timeline, 'lb-marks-unhealthy')).toBe(21);
    expect(at(timeline, 'lb-stops-new-connections')).toBe(120);
    expect(timeline.events.find((event) => event.kind === 'lb-stops-new-connections')?.why).toMatch(/after deregistration/);
    expect(timeline.margins[0]).toMatchObject({ ok: false, seconds: 31 - 120 });
  });

  test('eTP Cluster: new connections stop within kube-proxy propagation, as the checker counts', () => {
    const timeline = explainGatewayTermination(gateway({ services: [lbService({ externalTrafficPolicy: 'Cluster' })] }));
    expect(at(timeline, 'lb-stops-new-connections')).toBe(1);
    expect(timeline.margins[0]).toMatchObject({ ok: true, seconds: 31 - 1, requiredSeconds: 5 });
  });

  test('a connection reset before the drain ends shows as a failed margin', () => {
    const lb = loadBalancer({ unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: 5 });
    const timeline = explainGatewayTermination(gateway({ services: [lbService({ loadBalancer: lb })] }));
    const reset = timeline.margins.find((margin) => margin.name.startsWith('open connections'));
    expect(reset).toMatchObject({ ok: false, seconds: 10 + 5 - 46 });
  });

  test('assumes the controller defaults when no load balancer is described, and says so', () => {
    const timeline = explainGatewayTermination(gateway({ services: [lbService({ loadBalancer: undefined })] }));
    expect(timeline.loadBalancerAssumed).toBe(true);
    expect(at(timeline, 'lb-marks-unhealthy')).toBe(22);
    expect(timeline.notes.join('\n')).toMatch(/assumed/);
  });

  test('a gateway without preStop gets SIGTERM at t0 and exits at once', () => {
    const timeline = explainGatewayTermination(gateway({ workload: workload({ drain: drain({ mechanism: 'none', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0 }) }) }));
    expect(at(timeline, 'exits')).toBe(0);
    expect(at(timeline, 'stops-serving')).toBeUndefined();
    expect(at(timeline, 'fails-health-check')).toBeUndefined();
    expect(timeline.notes.join('\n')).toMatch(/does not fail its health check/);
  });

  test('an unreadable preStop is noted and no timing is invented for it', () => {
    const timeline = explainGatewayTermination(gateway({ workload: workload({ drain: drain({ mechanism: 'unknown', description: 'exec /bin/custom' }) }) }));
    expect(at(timeline, 'exits')).toBeUndefined();
    expect(timeline.margins.map((margin) => margin.name)).toEqual([expect.stringMatching(/minReadySeconds/)]);
    expect(timeline.notes.join('\n')).toMatch(/exec \/bin\/custom/);
  });

  test('a rollout faster than the recovery window shows as a failed margin', () => {
    const timeline = explainGatewayTermination(gateway({ workload: workload({ minReadySeconds: 10 }) }));
    expect(timeline.margins.at(-1)).toMatchObject({ ok: false, seconds: 10 - 20, requiredSeconds: 5 });
  });
});

describe('explainGatewayTermination of shutdown managers', () => {
  test("Contour's: fails after --drain-delay, accepts until no connection is open (polled every 5 s), bounded only by the grace period", () => {
    const contour = gateway({ workload: workload({ terminationGracePeriodSeconds: 300, drain: drain({ mechanism: 'shutdown-manager', keepServingSeconds: 15, drainSeconds: 0, failsHealthCheckAfterSeconds: 10, endsWhenIdle: { earliestSeconds: 15, pollSeconds: 5 } }) }) });
    const timeline = explainGatewayTermination(contour);
    expect(at(timeline, 'fails-health-check')).toBe(10);
    expect(at(timeline, 'stops-serving')).toBe(15);
    expect(timeline.events.find((event) => event.kind === 'stops-serving')!.what).toContain('every 5s');
    expect(at(timeline, 'prestop-ends')).toBe(300);
    expect(timeline.notes.join(' ')).toContain('only 10s after t0');
  });

  test("Envoy Gateway's: listeners open until exit, between min drain and drain timeout", () => {
    const envoyGateway = gateway({ workload: workload({ terminationGracePeriodSeconds: 360, drain: drain({ mechanism: 'shutdown-manager', keepServingSeconds: 10, drainSeconds: 50, endsWhenIdle: { earliestSeconds: 10, latestSeconds: 60, pollSeconds: 1 } }) }) });
    const timeline = explainGatewayTermination(envoyGateway);
    expect(at(timeline, 'fails-health-check')).toBe(0);
    expect(at(timeline, 'stops-serving')).toBe(10);
    expect(at(timeline, 'prestop-ends')).toBe(60);
    expect(at(timeline, 'exits')).toBe(60);
    expect(timeline.events.find((event) => event.kind === 'stops-serving')!.why).toContain('at 60s at the latest');
  });
});
