import { ErrorClass, FailureCause, ResolvedLoad } from './clients';
import { Placement, SimPod } from './kubernetes';
import { SimTarget } from './load-balancer';
import { LatencySummary, Metrics, TimelineFailure } from './metrics';
import { Scenario } from './scenarios';

/** What one run hands back: the clients' counts, the rollout's times and the timeline, built once the run is over. */

/** One pod's life, for the timeline. */
export interface TimelinePod {
  readonly name: string;
  readonly role: 'gateway' | 'upstream';
  readonly revision: 'old' | 'new';
  readonly node: number;
  readonly createdAt: number;
  readonly startedAt: number;
  readonly readyAt: number;
  readonly deletedAt: number;
  /** When the pod's own health check starts failing (`Infinity`: never). */
  readonly failsHealthCheckAt: number;
  readonly stopsAcceptingAt: number;
  readonly exitAt: number;
  readonly killed: boolean;
}

/** What happened when: pods, the load balancer's view of each target, failures, requests per second. */
export interface Timeline {
  readonly endSeconds: number;
  readonly rolloutStartSeconds: number;
  readonly rolloutEndSeconds?: number;
  readonly pods: TimelinePod[];
  readonly targets: { readonly label: string; readonly history: [number, boolean][] }[];
  readonly failures: TimelineFailure[];
  /** Requests answered with 200, per whole second. */
  readonly succeededPerSecond: number[];
  /** Failed requests, per whole second. */
  readonly failedPerSecond: number[];
}

/** What the clients saw in one run. */
export interface SimulationResult {
  readonly scenario: Scenario;
  readonly placement: Placement;
  readonly seed: number;
  readonly gateway: string;
  readonly upstream?: string;
  readonly load: ResolvedLoad;
  readonly requests: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly errors: Partial<Record<ErrorClass, number>>;
  readonly statusCodes: Record<string, number>;
  /** Failed requests by cause (the mechanism, which names the invariant). */
  readonly causes: Partial<Record<FailureCause | 'slow-request', number>>;
  /** From the start of the scenario until every new pod is available and every old one has exited; null when it did not finish in the run. */
  readonly rolloutSeconds: number | null;
  /**
   * The least the rollout could take with every window as short as the chain allows (lib/core/timing/rollout-time.ts),
   * with the simulator's pod start-up time.
   */
  readonly leastRolloutSeconds: number;
  /** Seconds the load ran: as asked, or until the rollout had finished and settled. */
  readonly durationSeconds: number;
  /** Nodes in the simulated cluster. */
  readonly nodes: number;
  /** Requests the clients sent again after a failure (`clientRetries`). */
  readonly clientRetries: number;
  readonly requestsPerSecond: number;
  readonly latency: LatencySummary;
  readonly timeline: Timeline;
}

/** The finished run's pieces the result is built from. */
export interface FinishedRun extends Pick<SimulationResult, 'scenario' | 'placement' | 'seed' | 'gateway' | 'upstream' | 'load'> {
  readonly metrics: Metrics;
  readonly rolloutStartSeconds: number;
  readonly rolloutEndSeconds: number | undefined;
  readonly leastRolloutSeconds: number;
  readonly loadEndSeconds: number;
  readonly nodes: number;
  readonly pods: readonly SimPod[];
  readonly targets: readonly SimTarget[];
}

export function buildResult(run: FinishedRun): SimulationResult {
  const metrics = run.metrics;
  const completed = metrics.completed;
  return {
    scenario: run.scenario,
    placement: run.placement,
    seed: run.seed,
    gateway: run.gateway,
    upstream: run.upstream,
    load: run.load,
    requests: completed,
    succeeded: metrics.succeeded,
    failed: completed - metrics.succeeded,
    errors: metrics.errors(),
    statusCodes: metrics.statusCodes(),
    causes: metrics.causes(),
    rolloutSeconds: run.rolloutEndSeconds === undefined ? null : round(run.rolloutEndSeconds - run.rolloutStartSeconds),
    leastRolloutSeconds: run.leastRolloutSeconds,
    durationSeconds: round(run.loadEndSeconds),
    nodes: run.nodes,
    clientRetries: metrics.clientRetries,
    requestsPerSecond: round(completed / Math.max(run.loadEndSeconds, 1e-9)),
    latency: metrics.latency(),
    timeline: {
      endSeconds: run.loadEndSeconds,
      rolloutStartSeconds: run.rolloutStartSeconds,
      rolloutEndSeconds: run.rolloutEndSeconds,
      pods: run.pods.map(timelinePod),
      targets: run.targets.map((target) => ({ label: target.label, history: target.history })),
      failures: metrics.failures,
      succeededPerSecond: metrics.okPerSecond,
      failedPerSecond: metrics.failedPerSecond,
    },
  };
}

function timelinePod(pod: SimPod): TimelinePod {
  return {
    name: pod.name, role: pod.role, revision: pod.revision, node: pod.node, createdAt: pod.createdAt, startedAt: pod.startedAt,
    readyAt: pod.readyAt, deletedAt: pod.deletedAt, failsHealthCheckAt: pod.healthFailsAt, stopsAcceptingAt: pod.stopsAcceptingAt, exitAt: pod.exitAt, killed: pod.killed,
  };
}

/** Rounds seconds to the millisecond, as results report them. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
