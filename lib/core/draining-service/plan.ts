import { UpstreamModel } from '../model';
import { DEFAULT_NAMESPACE } from '../object-ref';
import { PreStopAction } from '../pre-stop';
import { UpstreamBudget } from '../timing/solver';
import { GatewayInFront } from '../upstream-link';
import { solveDrainingBudget } from './budget';
import { drainingServiceUpstreamModel } from './model';
import { BuiltDrainingService, drainingServiceObjects } from './objects';
import { DrainingServiceOptions } from './options';
import { DrainingServiceRefs, drainingServiceRefs } from './refs';
import { DrainingServiceSpec, resolveDrainingServiceOptions } from './resolved-options';

/** A DrainingService as both faces hold it: spec, gateways in front, solved budget, objects and model. */

/** What a DrainingService states about itself: both faces expose these as their own members. */
export interface DrainingServiceFacts extends DrainingServiceRefs {
  readonly name: string;
  /** The namespace the objects land in: the props', else the face's default (a chart's), else `default`. */
  readonly namespace: string;
  readonly port: number;
  /** The readiness path, which the gateways' health checks use too. */
  readonly healthCheckPath: string;
  readonly replicas: number;
  readonly maxSurge: number;
  readonly preStopAction: PreStopAction;
  readonly kubernetesVersion: string;
}

/**
 * A DrainingService as both faces hold it: the resolved spec, the gateways registered in front,
 * the budget solved over them, the objects under that budget and their model. A face adds only
 * how it renders (a cdk8s `Lazy`, a Pulumi Output) and when registering must stop.
 */
export class DrainingServicePlan {
  public readonly spec: DrainingServiceSpec;
  public readonly facts: DrainingServiceFacts;

  private readonly gateways: GatewayInFront[] = [];
  private solved: UpstreamBudget;
  private built?: BuiltDrainingService;

  /**
   * @param options the props, `name` resolved
   * @param defaultNamespace the face's namespace for objects whose props name none (a cdk8s chart's); asked only then
   * @throws when a prop is out of bounds (see `resolveDrainingServiceOptions`)
   */
  constructor(options: DrainingServiceOptions, defaultNamespace?: () => string | undefined) {
    this.spec = resolveDrainingServiceOptions(options);
    this.solved = solveDrainingBudget(this.spec, this.gateways);
    const namespace = options.namespace ?? defaultNamespace?.() ?? DEFAULT_NAMESPACE;
    const { name, port, readinessPath, replicas, maxSurge, preStopAction, kubernetesVersion } = this.spec;
    this.facts = {
      name, namespace, port, healthCheckPath: readinessPath, replicas, maxSurge, preStopAction, kubernetesVersion,
      ...drainingServiceRefs(name, namespace),
    };
  }

  /** The timings as currently solved (over the registered gateways, or the assumed default gateway). */
  public get budget(): UpstreamBudget {
    return this.solved;
  }

  /** The gateways registered so far. */
  public get gatewaysInFront(): readonly GatewayInFront[] {
    return [...this.gateways];
  }

  /**
   * Solves the timings again over every registered gateway and this one (the assumed default
   * gateway no longer counts).
   * @throws BudgetError when a value set in the props can no longer hold; the gateway is then not registered
   */
  public registerGateway(gateway: GatewayInFront): void {
    this.solved = solveDrainingBudget(this.spec, [...this.gateways, gateway]);
    this.gateways.push(gateway);
    this.built = undefined;
  }

  /** What this plan's budget asks of the gateways in front, were they these (the registered ones are not counted twice). */
  public budgetWith(gateway: GatewayInFront): UpstreamBudget {
    return solveDrainingBudget(this.spec, [...this.gateways, gateway]);
  }

  /** The Kubernetes objects under the budget as currently solved. */
  public objects(): BuiltDrainingService {
    if (!this.built) {
      this.built = { ...drainingServiceObjects(this.spec, this.solved), budget: this.solved, preStopAction: this.spec.preStopAction };
    }
    return this.built;
  }

  /** The model of the objects under `budget` (the current solve unless a face rendered another), built from this plan. */
  public upstreamModel(budget: UpstreamBudget = this.solved): UpstreamModel {
    return drainingServiceUpstreamModel(this.spec, budget, this.facts.namespace);
  }
}
