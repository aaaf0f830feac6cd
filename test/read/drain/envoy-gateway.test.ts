import { readEnvoyGatewayShutdown } from '../../../lib/read/drain/envoy-gateway';

const sidecar = (command: string[]) => ({ name: 'shutdown-manager', lifecycle: { preStop: { exec: { command } } } });

describe('Envoy Gateway shutdown manager', () => {
  test('serves the min drain duration, then drains until the drain timeout, exiting early once idle', () => {
    const drain = readEnvoyGatewayShutdown('/shutdown/ready', 19002, [sidecar(['envoy-gateway', 'envoy', 'shutdown', '--drain-timeout', '90s', '--min-drain-duration=15s'])]);
    expect(drain).toMatchObject({ mechanism: 'shutdown-manager', failsHealthCheck: true, keepServingSeconds: 15, drainSeconds: 75, endsWhenIdle: { earliestSeconds: 15, latestSeconds: 90, pollSeconds: 1 } });
    expect(drain).not.toHaveProperty('failsHealthCheckAfterSeconds');
  });

  test('without a sidecar to read, takes Envoy Gateway\'s defaults (60 s timeout, 10 s min drain) and says so', () => {
    const drain = readEnvoyGatewayShutdown('/shutdown/ready', undefined, []);
    expect(drain).toMatchObject({ keepServingSeconds: 10, drainSeconds: 50 });
    expect(drain?.description).toContain('defaults');
  });

  test('a health-check failure delay fails the check later, never after the drain timeout', () => {
    const drain = readEnvoyGatewayShutdown('/shutdown/ready', 19002, [sidecar(['sh', '-c', 'envoy-gateway envoy shutdown --drain-timeout 20s --health-check-failure-delay 30s'])]);
    expect(drain?.failsHealthCheckAfterSeconds).toBe(20);
  });

  test('is not read from another path or port', () => {
    expect(readEnvoyGatewayShutdown('/shutdown', 19002, [])).toBeUndefined();
    expect(readEnvoyGatewayShutdown('/shutdown/ready', 8090, [])).toBeUndefined();
  });
});
