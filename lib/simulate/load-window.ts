import { LoadBalancerModel } from '../core/model';
import { discoveryDelaySeconds, newConnectionWindowSeconds, recoveryWindowSeconds } from '../core/timing/windows';
import { ResolvedLoad } from './clients';
import { UpstreamRouting } from './envoy';
import { SimulationParameters } from './parameters';

/**
 * How long the load runs: as asked, or until the rollout has finished and settled; the run goes
 * on a little past the load's end so that requests still in flight end.
 */
export class LoadWindow {
  /** The clients send no request from here on. */
  private loadEnd: number;
  private readonly untilSettled: boolean;
  private readonly settleSeconds: number;
  private readonly tailSeconds: number;

  constructor(load: ResolvedLoad, params: SimulationParameters, loadBalancer: LoadBalancerModel, routing: UpstreamRouting | undefined) {
    this.untilSettled = load.durationSeconds === undefined;
    this.loadEnd = load.durationSeconds ?? params.maxRunSeconds;
    this.tailSeconds = Math.max(load.timeoutSeconds, load.longRequests > 0 ? load.longTimeoutSeconds : 0) + 1;
    this.settleSeconds = settlingSeconds(load, loadBalancer, routing);
  }

  public get loadEndSeconds(): number {
    return this.loadEnd;
  }

  /** When the run stops: the load's end and a request timeout more. */
  public get runEndSeconds(): number {
    return this.loadEnd + this.tailSeconds;
  }

  /** The scenario is done at `at`: a load without a set duration ends once it has settled. */
  public scenarioDone(at: number): void {
    if (this.untilSettled) this.loadEnd = Math.min(this.loadEnd, at + this.settleSeconds);
  }
}

/**
 * How long after the rollout's end the load goes on: until the load balancer can have noticed the
 * last old target and taken in the last new one, every gateway has forgotten the last old upstream
 * pod, and a request sent then has timed out.
 */
function settlingSeconds(load: ResolvedLoad, loadBalancer: LoadBalancerModel, routing: UpstreamRouting | undefined): number {
  const lb = newConnectionWindowSeconds(loadBalancer) + recoveryWindowSeconds(loadBalancer.healthCheck);
  const discovery = routing ? discoveryDelaySeconds(routing.cluster.discovery) : 0;
  return Math.max(lb, Number.isFinite(discovery) ? discovery : 0) + loadBalancer.healthCheck.intervalSeconds + load.timeoutSeconds;
}
