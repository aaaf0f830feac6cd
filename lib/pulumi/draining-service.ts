import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { drainingDurations, DrainingServicePlan } from '../core/draining-service';
import type { DrainingServiceFacts, DrainingServiceOptions } from '../core/draining-service';
import { Duration } from '../core/duration';
import { UpstreamModel } from '../core/model';
import { PreStopAction } from '../core/pre-stop';
import { UpstreamBudget } from '../core/timing/solver';
import { GatewayInFront, RoutableUpstream } from '../core/upstream-link';
import { renderKubeObject } from './render';

/**
 * Props of {@link DrainingService}: core's `DrainingServiceOptions` as they are (the same
 * props as the cdk8s `DrainingService`), with `name` defaulting to the Pulumi resource name.
 */
export interface DrainingServiceArgs extends Omit<DrainingServiceOptions, 'name'> {
  /**
   * Name of the Deployment and the ClusterIP Service; the headless Service is `<name>-headless`.
   * A DNS label of at most 54 characters.
   * @default - the Pulumi resource name
   */
  readonly name?: string;
}

/**
 * A Deployment that never drops a request on rollout, scale-in or node drain, with a ClusterIP
 * Service, a headless Service (for gateways that resolve pods by DNS) and a PodDisruptionBudget:
 * the Pulumi face of core's DrainingService, with the same objects as the cdk8s face.
 *
 * **Gateways and ordering.** Everything is solved and rendered in the constructor, from the props
 * alone: the preStop, grace period and minReadySeconds assume a gateway resolving the headless
 * Service by DNS with Kubernetes' defaults (30 s CoreDNS TTL, 5 s refresh), the slowest common
 * case, which a `HitlessGateway` with its defaults matches exactly. A gateway created later (it
 * takes the service in its `routes`) calls {@link registerGateway}: one these timings already
 * cover is recorded; one they don't cover throws at once, naming both and the prop to set. Nothing
 * depends on when the program's promises settle, so an `await` anywhere changes nothing.
 */
export class DrainingService extends pulumi.ComponentResource implements RoutableUpstream {
  // Set from the plan's facts in the constructor (one assignment, so a new fact reaches both faces).
  public readonly name!: string;
  /** The namespace the objects land in (`default` when the props name none). */
  public readonly namespace!: string;
  public readonly port!: number;
  public readonly healthCheckPath!: string;
  public readonly replicas!: number;
  public readonly maxSurge!: number;
  public readonly preStopAction!: PreStopAction;
  public readonly kubernetesVersion!: string;
  public readonly deploymentObject!: string;
  public readonly serviceObject!: string;
  public readonly headlessServiceObject!: string;
  public readonly headlessDnsName!: string;
  /** The time the application needs after SIGTERM, as set (or its default). */
  public readonly appDrainTime: Duration;
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The ClusterIP Service `<name>`. */
  public readonly service: k8s.core.v1.Service;
  /** The headless Service `<name>-headless`. */
  public readonly headlessService: k8s.core.v1.Service;
  public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  /** The timings the Deployment was rendered with (solved in the constructor). */
  public readonly budget: UpstreamBudget;
  /** The preStop sleep (keeps the pod serving while gateways forget it), as rendered. */
  public readonly preStopDelay: Duration;
  /** `terminationGracePeriodSeconds`, as rendered. */
  public readonly terminationGracePeriod: Duration;
  /** `minReadySeconds`, as rendered. */
  public readonly minReady: Duration;

  private readonly plan: DrainingServicePlan;

  constructor(name: string, args: DrainingServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:DrainingService', name, {}, opts);
    this.plan = new DrainingServicePlan({ ...args, name: args.name ?? name });
    const facts: DrainingServiceFacts = this.plan.facts;
    Object.assign(this, facts);
    this.appDrainTime = Duration.seconds(this.plan.spec.appDrainSeconds);

    const objects = this.plan.objects();
    this.budget = objects.budget;
    ({ preStopDelay: this.preStopDelay, terminationGracePeriod: this.terminationGracePeriod, minReady: this.minReady } = drainingDurations(this.budget));
    const children = { parent: this };
    this.deployment = renderKubeObject(name, objects.deployment, children) as k8s.apps.v1.Deployment;
    this.service = renderKubeObject(name, objects.service, children) as k8s.core.v1.Service;
    this.headlessService = renderKubeObject(name, objects.headlessService, children) as k8s.core.v1.Service;
    this.podDisruptionBudget = renderKubeObject(name, objects.podDisruptionBudget, children) as k8s.policy.v1.PodDisruptionBudget;

    this.registerOutputs({
      deployment: this.deployment,
      service: this.service,
      headlessService: this.headlessService,
      podDisruptionBudget: this.podDisruptionBudget,
      budget: this.budget,
    });
  }

  /** The gateways registered so far. */
  public get gatewaysInFront(): readonly GatewayInFront[] {
    return this.plan.gatewaysInFront;
  }

  /**
   * Tells the service a gateway discovers its pods this way. The Deployment was rendered in the
   * constructor: a gateway its timings cover is recorded, one they don't is refused.
   * @throws BudgetError when a value set in the props can't hold behind this gateway
   * @throws when this gateway needs a longer preStop, grace period or minReadySeconds than the
   * Deployment was rendered with
   */
  public registerGateway(gateway: GatewayInFront): void {
    const needed = this.plan.budgetWith(gateway);
    const short = ([
      ['preStopDelay', 'keepServingSeconds'],
      ['terminationGracePeriod', 'terminationGracePeriodSeconds'],
      ['minReady', 'minReadySeconds'],
    ] as const).filter(([, field]) => needed[field] > this.budget[field]);
    if (short.length > 0) {
      const wants = short.map(([prop, field]) => `'${prop}' ≥ ${Math.ceil(needed[field])}s (rendered ${this.budget[field]}s)`).join(', ');
      throw new Error(
        `gateway ${gateway.gateway} discovers DrainingService '${this.name}' more slowly than the Deployment it rendered allows: ` +
        `it needs ${wants}. Set those props on the DrainingService; it renders in its constructor, before any gateway exists`,
      );
    }
    this.plan.registerGateway(gateway);
  }

  /** The core model of the objects as rendered, built from the plan, for `checkUpstream`. */
  public upstreamModel(): UpstreamModel {
    return this.plan.upstreamModel(this.budget);
  }
}
