import { Topology } from '../../lib/core/model';
import { Cluster, ClusterListener } from '../../lib/simulate/cluster';
import { Random } from '../../lib/simulate/engine';
import { EventKind, EventLoop } from '../../lib/simulate/event-loop';
import { SimPod } from '../../lib/simulate/kubernetes';
import { resolveParameters, SimulationParameters } from '../../lib/simulate/parameters';

/** A cluster of a topology's first gateway and upstream for the subsystem tests, with a listener that records what it is told. */
export interface TestCluster {
  readonly cluster: Cluster;
  readonly loop: EventLoop;
  readonly random: Random;
  readonly params: SimulationParameters;
  /** What the listener was told, in order: `method pod-name` (or `method at`). */
  readonly told: string[];
}

export function testCluster(topology: Topology, overrides: Partial<SimulationParameters> = {}, listener: Partial<ClusterListener> = {}): TestCluster {
  const loop = new EventLoop();
  const random = new Random(1);
  const params = resolveParameters(overrides);
  const cluster = new Cluster(topology.gateways[0].workload, topology.upstreams[0], params, loop, random);
  const told: string[] = [];
  const name = (pod: SimPod): string => pod.name;
  cluster.listen({
    podCreated: (pod) => told.push(`podCreated ${name(pod)}`),
    gatewayStarted: (pod) => told.push(`gatewayStarted ${name(pod)}`),
    readinessGateHolds: () => false,
    upstreamEndpointsChanged: (at) => told.push(`upstreamEndpointsChanged ${at}`),
    podDeleted: (pod) => told.push(`podDeleted ${name(pod)}`),
    openConnections: () => 0,
    upstreamTerminated: (pod) => told.push(`upstreamTerminated ${name(pod)}`),
    podExiting: (pod) => told.push(`podExiting ${name(pod)}`),
    changed: () => told.push('changed'),
    ...listener,
  });
  return { cluster, loop, random, params, told };
}

/** Runs the loop until `end`, recording each event as `kind@time subject`. */
export function drain(loop: EventLoop, end: number, handle: (kind: EventKind, subject: number) => void = () => undefined): string[] {
  const seen: string[] = [];
  loop.run(() => end, (kind, subject) => {
    seen.push(`${EventKind[kind]}@${loop.now} ${subject}`);
    handle(kind, subject);
  });
  return seen;
}
