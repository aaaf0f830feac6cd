/**
 * `hitless`: the framework-free API — check, read, simulate and explain manifests; the models
 * they share; the errors the library throws; the cdk8s validation plugin and the Pulumi policy
 * pack (both declare the few types they use, so neither loads a framework).
 *
 * The constructs live in `hitless/cdk8s` and `hitless/pulumi`, so this entry point loads no
 * cdk8s, constructs or Pulumi. Every name is listed: an addition here is a decision, and
 * test/package/exports.test.ts lists the surface.
 * @packageDocumentation
 */

// Check: manifests → findings.
export { checkManifestFiles, checkManifestText, checkReadResult } from './check/check';
export type { CheckOptions, CheckReport, CheckSummary, Verdict } from './check/check';
export { formatJson, formatText } from './check/format';
export type { TextOptions } from './check/format';
export { checkGateway, checkTopology, checkUpstream } from './core/timing/invariants';

// Read: manifests → topology.
export { readManifestFiles, readManifestObjects, readManifestText } from './read/index';
export type { ReadProblem, ReadResult, SourcedObject } from './read/index';

// Simulate: topology + load + scenario → request outcomes and a timeline.
export { simulate } from './simulate/simulation';
export type { LatencySummary, SimulationOptions, SimulationResult, Timeline, TimelineFailure, TimelinePod } from './simulate/simulation';
export { formatResultText, formatRunsText, resultJson, runsJson, simulateRuns } from './simulate/report';
export type { Distribution, RunsSummary } from './simulate/report';
export { isScenario, SCENARIOS } from './simulate/scenarios';
export type { Scenario } from './simulate/scenarios';
export type { ErrorClass, FailureCause, LoadProfile } from './simulate/clients';
export { renderTimelineSvg } from './simulate/timeline-svg';

// Explain: one gateway pod's termination, step by step.
export { explainGatewayBudget, explainGatewayTermination } from './core/explain';
export type { GatewayBudgetView } from './core/explain';
export type { ExplainedTimeline, TimelineEvent, TimelineEventKind, TimelineMargin } from './core/explained-timeline';
export { renderTimeline } from './core/render-timeline';
export type { RenderTimelineOptions } from './core/render-timeline';

// Models the checker, the simulator and the solver share.
export type {
  DiscoveryModel, DrainModel, EnvoyClusterModel, EnvoyModel, EnvoyRouteModel, GatewayModel, HealthCheckTiming, LoadBalancerModel,
  ProbeModel, ServiceModel, TargetType, Topology, UpstreamModel, WorkloadModel,
} from './core/model';
export type { Category, Finding, Severity } from './core/finding';
export { solveGatewayBudget, solveUpstreamBudget } from './core/timing/solver';
export type { GatewayBudget, GatewayBudgetInput, UpstreamBudget, UpstreamBudgetInput } from './core/timing/solver';

// Durations: any `{ toMilliseconds() }` (cdk8s' Duration included) is accepted; these make one without cdk8s.
export { millis, minutes, parseDuration, seconds } from './core/duration';
export type { DurationLike } from './core/duration';

// Errors.
export { BudgetError } from './core/timing/budget-error';
export { Elbv2LimitError } from './core/aws/elbv2-limits';
export { EnvoyConfigParseError } from './read/find-envoy-configs';

// Plugins for the tools users already run (`cdk8s synth`, `pulumi preview --policy-pack`).
export { HitlessValidation } from './plugins/cdk8s-validation';
export type { Cdk8sValidationContext, HitlessValidationProps } from './plugins/cdk8s-validation';
export { hitlessPolicies } from './plugins/pulumi-policy';
export type { HitlessPolicyOptions, HitlessStackPolicy, StackResource } from './plugins/pulumi-policy';
