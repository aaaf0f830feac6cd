/**
 * The public surface of each entry point, name by name: an addition or removal must change this
 * list, so it is a decision (issue 13). Types count too, so the list comes from the compiler.
 */
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const ENTRY_POINTS = { 'hitless': 'lib/index.ts', 'hitless/cdk8s': 'lib/cdk8s/index.ts', 'hitless/pulumi': 'lib/pulumi/index.ts' } as const;

const EXPECTED: Record<keyof typeof ENTRY_POINTS, string[]> = {
  'hitless': [
    'BudgetError', 'Category', 'Cdk8sValidationContext', 'CheckOptions', 'CheckReport', 'CheckSummary', 'DiscoveryModel', 'Distribution',
    'DrainModel', 'DurationLike', 'Elbv2LimitError', 'EnvoyClusterModel', 'EnvoyConfigParseError', 'EnvoyModel', 'EnvoyRouteModel', 'ErrorClass',
    'ExplainedTimeline', 'FailureCause', 'Finding', 'GatewayBudget', 'GatewayBudgetInput', 'GatewayBudgetView', 'GatewayModel', 'HealthCheckTiming',
    'HitlessPolicyOptions', 'HitlessStackPolicy', 'HitlessValidation', 'HitlessValidationProps', 'LatencySummary', 'LoadBalancerModel', 'LoadProfile',
    'ProbeModel', 'ReadProblem', 'ReadResult', 'RenderTimelineOptions', 'RunsSummary', 'SCENARIOS', 'Scenario', 'ServiceModel', 'Severity',
    'SimulationOptions', 'SimulationResult', 'SourcedObject', 'StackResource', 'TargetType', 'TextOptions', 'Timeline', 'TimelineEvent',
    'TimelineEventKind', 'TimelineFailure', 'TimelineMargin', 'TimelinePod', 'Topology', 'UpstreamBudget', 'UpstreamBudgetInput', 'UpstreamModel',
    'Verdict', 'WorkloadModel', 'checkGateway', 'checkManifestFiles', 'checkManifestText', 'checkReadResult', 'checkTopology', 'checkUpstream',
    'explainGatewayBudget', 'explainGatewayTermination', 'formatJson', 'formatResultText', 'formatRunsText', 'formatText', 'hitlessPolicies',
    'isScenario', 'millis', 'minutes', 'parseDuration', 'readManifestFiles', 'readManifestObjects', 'readManifestText', 'renderTimeline',
    'renderTimelineSvg', 'resultJson', 'runsJson', 'seconds', 'simulate', 'simulateRuns', 'solveGatewayBudget', 'solveUpstreamBudget',
  ],
  'hitless/cdk8s': [
    'BudgetError', 'DrainingService', 'DrainingServiceProps', 'DrainingTimingProps', 'Elbv2LimitError', 'GatewayBudget', 'GatewayDrain',
    'GatewayInFront', 'GatewayWorkload', 'GkeLimitError', 'GkeLoadBalancer', 'GkeLoadBalancerProps', 'GlooEdgeGateway', 'GlooEdgeGatewayProps',
    'GlooEdgeRouteProps', 'HealthCheckedNlb', 'HealthCheckedNlbProps', 'HitlessGateway',
    'HitlessGatewayProps', 'HitlessGatewayRouteProps', 'MadeDraining', 'MakeDrainingProps', 'PlusDeployment',
    'PreStopAction', 'UpstreamBudget',
  ],
  'hitless/pulumi': [
    'AwsNlbArgs', 'BudgetError', 'DEPLOYMENT_TYPE', 'DrainingService', 'DrainingServiceArgs', 'DrainingTransformError', 'DrainingTransformOptions',
    'DurationLike', 'Elbv2LimitError', 'GatewayBudget', 'GatewayDrain', 'GatewayInFront', 'GatewayWorkload', 'GkeLimitError', 'GkeLoadBalancer', 'GkeLoadBalancerArgs', 'HealthCheckedNlb',
    'HealthCheckedNlbArgs', 'HitlessGateway', 'HitlessGatewayArgs', 'HitlessGatewayRoute', 'PreStopAction', 'UpstreamBudget', 'drainDeployment',
    'drainingTransform', 'millis', 'minutes', 'parseDuration', 'registerDrainingTransform', 'seconds',
  ],
};

let exported: Record<string, string[]>;

beforeAll(() => {
  const files = Object.values(ENTRY_POINTS).map((file) => path.join(ROOT, file));
  const program = ts.createProgram(files, { skipLibCheck: true, noEmit: true, types: [], strict: true });
  const checker = program.getTypeChecker();
  exported = Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, file))!)!;
    return [name, checker.getExportsOfModule(module).map((symbol) => symbol.name).sort()];
  }));
}, 180_000);

describe.each(Object.keys(ENTRY_POINTS) as (keyof typeof ENTRY_POINTS)[])('%s', (entry) => {
  test('exports exactly the listed names', () => {
    expect(exported[entry]).toEqual([...EXPECTED[entry]].sort());
  });

  test('exports no class named Duration beside cdk8s\' (durations are any { toMilliseconds() })', () => {
    expect(exported[entry]).not.toContain('Duration');
  });

  test('exports none of the internals: solver plumbing, protos, the event queue, rendering, test builders', () => {
    for (const internal of ['EventQueue', 'Random', 'renderKubeObject', 'whenProgramSettles', 'loadEnvoyProtos', 'GatewayPlan', 'DrainingServicePlan', 'toCdk8sDuration', 'createAwsLoadBalancer']) {
      expect(exported[entry]).not.toContain(internal);
    }
  });
});

test('the runtime values of each entry point are the listed names that are values', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const values = {
    'hitless': Object.keys(require('../../lib/index')),
    'hitless/cdk8s': Object.keys(require('../../lib/cdk8s/index')),
    'hitless/pulumi': Object.keys(require('../../lib/pulumi/index')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  for (const [entry, names] of Object.entries(values)) {
    for (const name of names) expect(EXPECTED[entry as keyof typeof EXPECTED]).toContain(name);
  }
});
