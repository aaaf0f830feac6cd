import {
  BuiltDrainingService,
  DrainingServiceOptions,
  DrainingServiceSpec,
  drainingServiceObjects,
  drainingServiceRefs,
  resolveDrainingServiceOptions,
  solveDrainingBudget,
} from './draining-service';
import { PreStopAction } from './pre-stop';
import { UpstreamBudget } from './timing/solver';
import { GatewayInFront } from './upstream-link';

/**
 * A DrainingService as both faces hold it: the resolved spec, the gateways registered in front,
 * the budget solved over them, and the objects under that budget. A face adds only how it renders
 * (a cdk8s `Lazy`, a Pulumi Output) and when registering must stop.
 */
export class DrainingServicePlan {
  public readonly spec: DrainingServiceSpec;
  public readonly name: string;
  /** The namespace the objects land in: the props', else the face's default (a chart's), else `default`. */
  public readonly namespace: string;
  public readonly port: number;
  /** The readiness path, which the gateways' health checks use too. */
  public readonly healthCheckPath: string;
  public readonly replicas: number;
  public readonly maxSurge: number;
  public readonly preStopAction: PreStopAction;
  public readonly kubernetesVersion: string;
  public readonly appDrainSeconds: number;
  public readonly deploymentObject: string;
  public readonly serviceObject: string;
  public readonly headlessServiceObject: string;
  public readonly headlessDnsName: string;

  private readonly gateways: GatewayInFront[] = [];
  private solved: UpstreamBudget;
  private built?: BuiltDrainingService;

  /**
   * @param options the props, times as core `Duration`s, `name` resolved
   * @param defaultNamespace the face's namespace for objects whose props name none (a cdk8s chart's); asked only then
   * @throws when a prop is out of bounds (see `resolveDrainingServiceOptions`)
   */
  constructor(options: DrainingServiceOptions, defaultNamespace?: () => string | undefined) {
    this.spec = resolveDrainingServiceOptions(options);
    this.solved = solveDrainingBudget(this.spec, this.gateways);
    this.name = this.spec.name;
    this.namespace = options.namespace ?? defaultNamespace?.() ?? 'default';
    this.port = this.spec.port;
    this.healthCheckPath = this.spec.readinessPath;
    this.replicas = this.spec.replicas;
    this.maxSurge = this.spec.maxSurge;
    this.preStopAction = this.spec.preStopAction;
    this.kubernetesVersion = this.spec.kubernetesVersion;
    this.appDrainSeconds = this.spec.appDrainSeconds;
    const refs = drainingServiceRefs(this.name, this.namespace);
    this.deploymentObject = refs.deploymentObject;
    this.serviceObject = refs.serviceObject;
    this.headlessServiceObject = refs.headlessServiceObject;
    this.headlessDnsName = refs.headlessDnsName;
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

  /** The Kubernetes objects under the budget as currently solved. */
  public objects(): BuiltDrainingService {
    if (!this.built) {
      this.built = { ...drainingServiceObjects(this.spec, this.solved), budget: this.solved, preStopAction: this.spec.preStopAction };
    }
    return this.built;
  }
}
