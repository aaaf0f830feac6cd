import { cannotRun, notPost, toolMissing, truncate, unknownDrain } from '../../lib/read/pre-stop-verdicts';

const context = { object: 'Deployment/edge/gateway', containerName: 'envoy', image: 'envoyproxy/envoy-distroless:v1.31.0', siblings: [] };

describe('what the preStop reader concludes of hooks it cannot follow', () => {
  test('an unknown drain keeps nothing serving and quotes the hook on one line, cut to 120 characters', () => {
    const drain = unknownDrain(`sleep $DELAY\n${'x'.repeat(200)}`);
    expect(drain).toMatchObject({ mechanism: 'unknown', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0 });
    expect(drain.description).toHaveLength(120);
    expect(truncate('a\n  b')).toBe('a b');
  });

  test('each finding names the workload and is an error of category no-drain', () => {
    for (const each of [toolMissing(context, 'curl'), cannotRun(context, 'sh -c x', 'why', 'some-rule', 'fix'), notPost(context, 'wget in the preStop')]) {
      expect(each).toMatchObject({ category: 'no-drain', severity: 'error', objects: ['Deployment/edge/gateway'] });
    }
    expect(toolMissing(context, 'curl').message).toContain('calls curl');
  });
});
