import { promises as fs } from 'fs';
import * as path from 'path';
import { Finding } from '../core/finding';
import { MECHANISMS, MechanismId } from '../core/timing/mechanisms';
import { GatewayModel, Topology, UpstreamModel } from '../core/model';
import { readManifestFiles } from '../read';
import { FailureCause, LoadProfile, ResolvedLoad } from '../simulate/clients';
import { Placement } from '../simulate/kubernetes';
import { Scenario } from '../simulate/scenarios';
import { simulate, SimulationResult } from '../simulate/simulation';
import { renderTimelineSvg } from '../simulate/timeline-svg';
import { CheckOptions, checkReadResult, CheckReport } from './check';

/**
 * `hitless check --witness`: every error finding is a mechanism that drops requests, so the
 * simulator plays the scenario that triggers it on the user's own manifests and shows the first
 * request it drops. A finding no run reproduces is reported as such; a `hitless` verdict says what
 * it was checked against.
 */

/** What the simulator plays to reproduce one mechanism. */
export interface WitnessPlan {
  /** The mechanism played: its scenario, placement and keep-alive come from `MECHANISMS`. */
  readonly mechanism: MechanismId;
  /** Whose rollout triggers it: the gateway's, the upstream's, or whichever workload the finding names first. */
  readonly workload: 'gateway' | 'upstream' | 'named';
  /** What to play: the workload's rolling update or a node drain. */
  readonly scenarios: readonly ('rollout' | 'node-drain')[];
  /** Where the replacement pod lands, in the order tried. */
  readonly placements: readonly Placement[];
  /** Loads to try, in order (the Gloo guide's hey run first). */
  readonly loads: readonly LoadProfile[];
  /** The failure causes that show this mechanism; any failed request counts when unset. */
  readonly causes?: readonly FailureCause[];
  /** The mechanism shows as a rollout that never finishes rather than as failed requests. */
  readonly stalls?: boolean;
}

/** A finding the simulator does not play, with the reason. */
export interface NotSimulated {
  readonly notSimulated: string;
}

/** The Gloo guide's hey run: 4 workers × 10 requests/s, no keep-alive, 1 s timeout. */
export const WITNESS_GUIDE_LOAD: LoadProfile = { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: false };
/** Keep-alive clients with 8 s requests beside them: connections stay open through a drain unless something closes them. */
export const WITNESS_KEEPALIVE_LOAD: LoadProfile = { concurrency: 4, rate: 10, timeoutSeconds: 1, keepAlive: true, longRequests: 20, longDelaySeconds: 8, longTimeoutSeconds: 20 };

const GATEWAY_STOPS: FailureCause[] = ['node-without-endpoint', 'target-gone', 'host-port-not-bound', 'gateway-exit-in-flight', 'load-balancer-fail-open'];
const UPSTREAM_STALE: FailureCause[] = ['upstream-stale-host', 'upstream-stale-host-no-retry', 'upstream-killed-in-flight'];

/** What the simulator knows of each mechanism that `MECHANISMS` does not say: the failure causes that show it. */
interface SimulatedSign {
  readonly causes?: FailureCause[];
  readonly stalls?: boolean;
}

/**
 * The one table from a mechanism to the failures that show it; the scenario, placement and
 * keep-alive of each come from `MECHANISMS`, not from here.
 */
const SIGNS: Record<MechanismId, SimulatedSign> = {
  'lb-sends-to-exited-gateway': { causes: GATEWAY_STOPS },
  'lb-health-check-blind-to-drain': { causes: GATEWAY_STOPS },
  'readiness-fails-before-lb-detection': { causes: ['node-without-endpoint', 'load-balancer-fail-open'] },
  'killed-before-drain-ends': { causes: ['request-outlived-drain', 'gateway-exit-in-flight', 'upstream-killed-in-flight', 'keepalive-not-drained'] },
  'keepalive-reset-by-lb': { causes: ['unhealthy-target-reset'] },
  'keepalive-cut-on-exit': { causes: ['keepalive-not-drained'] },
  'deregistration-cuts-drain': { causes: ['deregistration-delay-cut'] },
  // New targets not yet healthy while the old ones turn unhealthy: the load balancer fails open.
  'rollout-outruns-lb': { causes: ['load-balancer-fail-open'] },
  'upstream-exits-before-discovery': { causes: UPSTREAM_STALE },
  'stale-upstream-not-retried': { causes: UPSTREAM_STALE },
  'race-not-retried': { causes: UPSTREAM_STALE },
  'no-pod-left': {},
  'no-drain': {},
  'rollout-deadlocks': { stalls: true },
  'neg-detach': { causes: ['neg-endpoint-gone'] },
  'neg-detach-connection-draining': { causes: ['neg-detached-in-flight'] },
  'l4-node-health-check': { causes: GATEWAY_STOPS },
};

function planOf(id: MechanismId): WitnessPlan {
  const mechanism = MECHANISMS[id];
  const sign = SIGNS[id];
  return {
    mechanism: id,
    // A gateway mechanism that an upstream's finding names (no preStop, killed before its drain ends) plays the upstream's rollout.
    workload: mechanism.scenario === 'upstream-rollout' ? 'upstream' : 'named',
    scenarios: [mechanism.scenario === 'node-drain' ? 'node-drain' : 'rollout'],
    placements: mechanism.placement === 'any' ? ['new-node', 'same-node'] : [mechanism.placement],
    // Keep-alive mechanisms show only to clients that keep connections; the others show to the guide's run first.
    loads: mechanism.keepAlive ? [WITNESS_KEEPALIVE_LOAD] : [WITNESS_GUIDE_LOAD, WITNESS_KEEPALIVE_LOAD],
    ...(sign.causes ? { causes: sign.causes } : {}),
    ...(sign.stalls ? { stalls: true } : {}),
  };
}

/** The plan for every mechanism, by id. */
export const WITNESS_PLANS: Readonly<Record<MechanismId, WitnessPlan>> = Object.fromEntries(
  (Object.keys(SIGNS) as MechanismId[]).map((id) => [id, planOf(id)])) as Record<MechanismId, WitnessPlan>;

/** Error findings that name no mechanism: by category, what is played (a preStop that cannot run is no drain) or why nothing is. */
const CATEGORY_PLANS: Partial<Record<Finding['category'], WitnessPlan | NotSimulated>> = {
  'no-drain': WITNESS_PLANS['no-drain'],
  'schema': { notSimulated: 'a schema finding: the API server or Envoy rejects the object, so there is no rollout to play' },
  'security': { notSimulated: 'a security finding: it drops no request by itself, so there is nothing to simulate' },
  'unknown': { notSimulated: 'hitless could not read what this depends on, so it cannot play it either' },
};

/** The plan for one finding: by its mechanism id, else by its category. */
export function witnessPlanFor(finding: Finding): WitnessPlan | NotSimulated {
  const mechanism = finding.mechanism;
  if (mechanism !== undefined && mechanism in WITNESS_PLANS) return WITNESS_PLANS[mechanism as MechanismId];
  return CATEGORY_PLANS[finding.category]
    ?? { notSimulated: `the finding names ${mechanism === undefined ? 'no mechanism' : `mechanism ${mechanism}, which the simulator does not know`}, so there is no scenario to play` };
}

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

/** The `witness` fields the JSON output gains: one per error finding, and the sweep behind the verdict. */
export function witnessJson(witnessed: WitnessedReport, relativeTo?: string): { findings: (Witness | undefined)[]; sweep?: WitnessSweep } {
  const shown = (witness: Witness | undefined): Witness | undefined => (witness?.timeline && relativeTo ? { ...witness, timeline: path.relative(relativeTo, witness.timeline) || witness.timeline } : witness);
  return { findings: witnessed.witnesses.map(shown), ...(witnessed.sweep ? { sweep: witnessed.sweep } : {}) };
}

/** Text for the witnesses, after the findings. */
export function formatWitnessText(witnessed: WitnessedReport, relativeTo?: string): string {
  const lines: string[] = ['', 'witnesses (simulated on these manifests):'];
  witnessed.report.findings.forEach((finding, index) => {
    const witness = witnessed.witnesses[index];
    if (!witness) return;
    if (!witness.reproduced) {
      lines.push(`  [${finding.rule}] ${finding.objects[0] ?? ''}: NOT REPRODUCED — ${witness.reason}`);
      return;
    }
    const load = witness.load!;
    const what = witness.rolloutStalled
      ? 'the rollout never finished'
      : `${witness.failed} of ${witness.requests} requests failed; the first ${witness.firstFailure!.afterSeconds}s after the start: ${witness.firstFailure!.cause} (${witness.firstFailure!.errorClass})`;
    lines.push(`  [${finding.rule}] ${finding.objects[0] ?? ''}: ${witness.scenario}, placement ${witness.placement}, seed ${witness.seed}, ` +
      `${load.concurrency} × ${load.rate} req/s${load.keepAlive ? ' keep-alive' : ''}${load.longRequests ? ` + ${load.longRequests} long requests` : ''}: ${what}` +
      (witness.timeline ? `; timeline ${relativeTo ? path.relative(relativeTo, witness.timeline) : witness.timeline}` : ''));
  });
  const s = witnessed.sweep;
  if (s) {
    lines.push(`  verdict checked against ${s.scenarios.join(', ')} × ${s.placements.join(', ')} × ${s.seeds} seeds: ${s.runs} runs, ${s.requests} requests, ${s.failed} failed` +
      (s.unfinished > 0 ? `, ${s.unfinished} rollouts did not finish` : '') + (s.skipped.length > 0 ? ` (not played: ${s.skipped.join('; ')})` : ''));
  }
  return `${lines.join('\n')}\n`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
