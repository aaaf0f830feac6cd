import { promises as fs } from 'fs';
import * as path from 'path';
import { Finding } from '../core/finding';
import { GatewayModel, Topology, UpstreamModel } from '../core/model';
import { readManifestFiles } from '../read';
import { FailureCause, LoadProfile, ResolvedLoad } from '../simulate/clients';
import { Placement } from '../simulate/kubernetes';
import { Scenario } from '../simulate/scenarios';
import { simulate, SimulationResult } from '../simulate/simulation';
import { renderTimelineSvg } from '../simulate/timeline-svg';
import { CheckOptions, checkReadResult, CheckReport } from './check';
import { WITNESS_GUIDE_LOAD, WitnessPlan, witnessPlanFor } from './witness-plans';

/**
 * `hitless check --witness`: every error finding is a mechanism that drops requests, so the
 * simulator plays the scenario that triggers it (witness-plans.ts) on the user's own manifests and
 * shows the first request it drops. A finding no run reproduces is reported as such; a `hitless`
 * verdict says what it was checked against.
 */

/** One simulated run that shows a finding, or the runs that could not. */
export interface Witness {
  readonly reproduced: boolean;
  /** The mechanism played (`MECHANISMS`). */
  readonly mechanism?: string;
  readonly scenario?: Scenario;
  readonly placement?: Placement;
  readonly seed?: number;
  readonly gateway?: string;
  readonly upstream?: string;
  readonly load?: ResolvedLoad;
  readonly requests?: number;
  readonly failed?: number;
  /** The first failed request that shows the mechanism: seconds after the scenario started, the cause and what the client saw. */
  readonly firstFailure?: { readonly afterSeconds: number; readonly cause: string; readonly errorClass: string };
  /** The mechanism shows as a rollout that never finishes. */
  readonly rolloutStalled?: boolean;
  /** The timeline picture written for it (with `witnessDir`). */
  readonly timeline?: string;
  /** Runs played to look for it. */
  readonly runs: number;
  /** Why it was not reproduced (or not played). */
  readonly reason?: string;
}

/** What a verdict was checked against: every scenario × placement × seed that applies, and what they dropped. */
export interface WitnessSweep {
  readonly scenarios: Scenario[];
  readonly placements: Placement[];
  readonly seeds: number;
  readonly runs: number;
  readonly requests: number;
  readonly failed: number;
  /** Runs whose rollout did not finish. */
  readonly unfinished: number;
  /** Combinations that could not be played, with why (e.g. same-node with one pod per node). */
  readonly skipped: string[];
}

export interface WitnessOptions {
  /** Seeds per scenario and placement. @default 3 */
  readonly seeds?: number;
  /** Where to write each witness's timeline SVG. */
  readonly witnessDir?: string;
}

export interface WitnessedReport {
  readonly report: CheckReport;
  /** One per finding, in the report's order; undefined for warnings. */
  readonly witnesses: (Witness | undefined)[];
  readonly sweep?: WitnessSweep;
}

/** Workloads larger than this are not played: the simulator keeps every pod and target, and `check` must stay quick. */
const MAX_WITNESS_REPLICAS = 200;

/** A witness run never waits for a stalled rollout longer than this. */
const WITNESS_MAX_RUN_SECONDS = 900;
const PLACEMENTS_TRIED: readonly Placement[] = ['new-node', 'same-node'];

function gatewayNamed(topology: Topology, objects: readonly string[]): GatewayModel | undefined {
  return topology.gateways.find((each) => objects.includes(each.workload.object)
    || (each.envoy !== undefined && objects.includes(each.envoy.object))
    || each.services.some((service) => objects.includes(service.object) || (service.loadBalancer !== undefined && objects.includes(service.loadBalancer.object))));
}

function upstreamNamed(topology: Topology, objects: readonly string[]): UpstreamModel | undefined {
  return topology.upstreams.find((each) => objects.includes(each.workload.object));
}

/** The gateway in front of an upstream: the first whose Envoy clusters resolve one of its Services. */
function gatewayInFront(topology: Topology, upstream: UpstreamModel): GatewayModel | undefined {
  const services = new Set(upstream.services.map((service) => service.object));
  return topology.gateways.find((each) => (each.envoy?.clusters ?? []).some((cluster) => cluster.service !== undefined && services.has(cluster.service)));
}

interface Attempt {
  readonly scenario: Scenario;
  readonly causes?: readonly FailureCause[];
  readonly gateway: GatewayModel;
  readonly upstream?: UpstreamModel;
}

function attemptsFor(topology: Topology, finding: Finding, plan: WitnessPlan): Attempt[] | string {
  const namedUpstream = upstreamNamed(topology, finding.objects);
  const namedGateway = gatewayNamed(topology, finding.objects);
  const firstIsUpstream = namedUpstream !== undefined && finding.objects[0] === namedUpstream.workload.object;
  const role = plan.workload === 'named' ? (firstIsUpstream || !namedGateway ? 'upstream' : 'gateway') : plan.workload;
  const attempts: Attempt[] = [];
  if (role === 'gateway') {
    const gw = namedGateway ?? (namedUpstream ? gatewayInFront(topology, namedUpstream) : topology.gateways[0]);
    if (!gw) return 'the manifests hold no gateway to roll';
    for (const each of plan.scenarios) {
      attempts.push({ scenario: each === 'node-drain' ? 'node-drain' : gw.workload.kind === 'DaemonSet' ? 'gateway-daemonset-rollout' : 'gateway-rollout', gateway: gw, causes: plan.causes });
    }
  } else {
    const upstream = namedUpstream ?? (namedGateway ? topology.upstreams.find((each) => gatewayInFront(topology, each) === namedGateway) : topology.upstreams[0]);
    if (!upstream) return 'the manifests hold no upstream to roll';
    const gw = namedGateway ?? gatewayInFront(topology, upstream);
    if (!gw) return `no gateway in the manifests routes to ${upstream.workload.object}, so its rollout cannot be played`;
    for (const each of plan.scenarios) {
      attempts.push({ scenario: each === 'node-drain' ? 'node-drain' : 'upstream-rollout', gateway: gw, upstream, causes: plan.causes });
    }
  }
  return attempts;
}

function run(topology: Topology, attempt: Attempt, placement: Placement, seed: number, load: LoadProfile, stalls: boolean): SimulationResult | string {
  for (const workload of [attempt.gateway.workload, attempt.upstream?.workload]) {
    if (workload && workload.replicas > MAX_WITNESS_REPLICAS) return `${workload.object} has ${workload.replicas} replicas, more than the ${MAX_WITNESS_REPLICAS} a witness plays`;
  }
  try {
    return simulate(topology, {
      scenario: attempt.scenario,
      placement,
      seed,
      // A stalled rollout shows within a few minutes; there is no need to wait for the cap.
      load: stalls ? { ...load, durationSeconds: 300 } : load,
      gateway: attempt.gateway.workload.object,
      upstream: attempt.upstream?.workload.object,
      parameters: { maxRunSeconds: WITNESS_MAX_RUN_SECONDS },
    });
  } catch (error) {
    return (error as Error).message;
  }
}

/** Looks for a run that drops requests the way `finding` says; the first one found is the witness. */
export function findWitness(topology: Topology, finding: Finding, options: WitnessOptions = {}): Witness & { readonly result?: SimulationResult } {
  const plan = witnessPlanFor(finding);
  if ('notSimulated' in plan) return { reproduced: false, runs: 0, reason: plan.notSimulated };
  const attempts = attemptsFor(topology, finding, plan);
  if (typeof attempts === 'string') return { reproduced: false, mechanism: plan.mechanism, runs: 0, reason: attempts };
  const seeds = options.seeds ?? 3;
  let runs = 0;
  const problems = new Set<string>();
  const otherCauses = new Set<string>();
  for (const load of plan.loads) {
    for (const attempt of attempts) {
      for (const placement of plan.placements) {
        for (let seed = 1; seed <= seeds; seed++) {
          const result = run(topology, attempt, placement, seed, load, plan.stalls === true);
          if (typeof result === 'string') {
            problems.add(result);
            break;
          }
          runs++;
          const causes = attempt.causes;
          const shows = result.timeline.failures.find((failure) => causes === undefined || (failure.cause !== undefined && causes.includes(failure.cause)));
          for (const failure of result.timeline.failures) if (failure !== shows && failure.cause) otherCauses.add(failure.cause);
          const stalled = plan.stalls === true && result.rolloutSeconds === null;
          if (shows || stalled) {
            return {
              reproduced: true,
              mechanism: plan.mechanism,
              scenario: result.scenario,
              placement: result.placement,
              seed: result.seed,
              gateway: result.gateway,
              upstream: result.upstream,
              load: result.load,
              requests: result.requests,
              failed: result.failed,
              ...(shows ? { firstFailure: { afterSeconds: round(shows.time - result.timeline.rolloutStartSeconds), cause: shows.cause ?? 'slow-request', errorClass: shows.errorClass } } : {}),
              ...(stalled ? { rolloutStalled: true } : {}),
              runs,
              result,
            };
          }
        }
      }
    }
  }
  const tried = `${runs} runs (${plan.mechanism}: ${[...new Set(attempts.map((each) => each.scenario))].join(', ')} × ${plan.placements.join(', ')} × ${seeds} seeds × ${plan.loads.length} load${plan.loads.length === 1 ? '' : 's'})`;
  const reason = runs === 0
    ? `no run could be played: ${[...problems].join('; ')}`
    : `${tried} dropped no request${attempts[0].causes ? ` by ${attempts[0].causes.join(' or ')}` : ''}${otherCauses.size > 0 ? ` (other causes seen: ${[...otherCauses].join(', ')})` : ''}${problems.size > 0 ? `; not played: ${[...problems].join('; ')}` : ''}`;
  return { reproduced: false, mechanism: plan.mechanism, runs, reason };
}

/** Every scenario × placement × seed that applies to the first gateway: what a `hitless` verdict rests on. */
export function sweep(topology: Topology, options: WitnessOptions = {}): WitnessSweep | undefined {
  const gw = topology.gateways[0];
  if (!gw) return undefined;
  const seeds = options.seeds ?? 3;
  const scenarios: Scenario[] = [gw.workload.kind === 'DaemonSet' ? 'gateway-daemonset-rollout' : 'gateway-rollout'];
  if (topology.upstreams.some((each) => gatewayInFront(topology, each) === gw)) scenarios.push('upstream-rollout');
  scenarios.push('node-drain');
  let runs = 0;
  let requests = 0;
  let failed = 0;
  let unfinished = 0;
  const skipped: string[] = [];
  for (const scenario of scenarios) {
    for (const placement of PLACEMENTS_TRIED) {
      for (let seed = 1; seed <= seeds; seed++) {
        const result = run(topology, { scenario, gateway: gw }, placement, seed, WITNESS_GUIDE_LOAD, false);
        if (typeof result === 'string') {
          skipped.push(`${scenario} ${placement}: ${result}`);
          break;
        }
        runs++;
        requests += result.requests;
        failed += result.failed;
        if (result.rolloutSeconds === null) unfinished++;
      }
    }
  }
  return { scenarios, placements: [...PLACEMENTS_TRIED], seeds, runs, requests, failed, unfinished, skipped };
}

/** Checks the topology, then finds a witness for every error finding and, for the verdict, runs the sweep. */
export async function witnessReport(topology: Topology, report: CheckReport, options: WitnessOptions = {}): Promise<WitnessedReport> {
  const witnesses: (Witness | undefined)[] = [];
  for (const [index, finding] of report.findings.entries()) {
    if (finding.severity !== 'error') {
      witnesses.push(undefined);
      continue;
    }
    const { result, ...witness } = findWitness(topology, finding, options);
    if (result && options.witnessDir) {
      await fs.mkdir(options.witnessDir, { recursive: true });
      const file = path.join(options.witnessDir, `${String(index + 1).padStart(2, '0')}-${finding.rule}.svg`);
      await fs.writeFile(file, renderTimelineSvg(result));
      witnesses.push({ ...witness, timeline: file });
    } else {
      witnesses.push(witness);
    }
  }
  return { report, witnesses, sweep: report.verdict === 'drops-requests' ? undefined : sweep(topology, options) };
}

/** Reads, checks and witnesses files, directories and `-`. */
export async function witnessManifestFiles(paths: string[], readStdin?: () => Promise<string>, options: CheckOptions & WitnessOptions = {}): Promise<WitnessedReport> {
  const read = await readManifestFiles(paths, readStdin);
  const report = checkReadResult(read, options);
  if (report.problems.length > 0) return { report, witnesses: report.findings.map(() => undefined) };
  return witnessReport(read.topology, report, options);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
