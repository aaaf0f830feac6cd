import * as pulumi from '@pulumi/pulumi';
import { Duration } from '../core/duration';
import { EnvoyBootstrap } from '../core/envoy/bootstrap';
import { ResolvedRoute } from '../core/envoy/route';
import { gatewayDurations } from '../core/gateway/gateway-durations';
import { GatewayPlanOptions, GatewayRouteOptions } from '../core/gateway/gateway-options';
import { GatewayPlan } from '../core/gateway/gateway-plan';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../core/load-balancer-link';
import { GatewayModel, LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { GkeLoadBalancer, GkeLoadBalancerArgs } from './gke-load-balancer';
import { HealthCheckedNlb, HealthCheckedNlbArgs } from './health-checked-nlb';
import { renderKubeObject } from './render';

/** A route of {@link HitlessGatewayArgs.routes}: a match, a service, and its retry policy. */
export type HitlessGatewayRoute = GatewayRouteOptions;

/**
 * Args of {@link HitlessGateway}: the gateway's options as core states them (the cdk8s face's
 * props too), plus the routes and the load balancer in front, which the Pulumi face needs before
 * it renders. `name` defaults to the Pulumi resource name.
 */
export interface HitlessGatewayArgs extends Omit<GatewayPlanOptions, 'name'> {
  /**
   * Name of every object (the ConfigMap gets `-envoy`).
   * @default - the Pulumi resource name
   */
  readonly name?: string;
  /**
   * Routes, in match order. Each service learns of this gateway as it is added (and refuses it at
   * once if its rendered preStop doesn't cover this gateway's discovery delay).
   * @default - none
   */
  readonly routes?: HitlessGatewayRoute[];
  /**
   * An AWS NLB in front, made here (a `HealthCheckedNlb` child named `<name>-nlb`) so that the
   * gateway's drain, grace period, minReadySeconds and Service annotations are solved against it
   * before anything is rendered.
   * @default - no load balancer: the timings assume the AWS Load Balancer Controller's NLB defaults
   */
  readonly nlb?: Omit<HealthCheckedNlbArgs, 'gateway'>;
  /**
   * A GKE load balancer in front (Ingress with NEGs, GKE Gateway or L4), made here (a
   * `GkeLoadBalancer` child named `<name>-gke`) so that the gateway's timings are solved against it
   * before anything is rendered. At most one of `nlb` and `gke`.
   * @default - none
   */
  readonly gke?: Omit<GkeLoadBalancerArgs, 'gateway'>;
}

/**
 * An Envoy edge gateway that drains without dropping requests: the Pulumi face of core's
 * `GatewayPlan`, with the same objects as the cdk8s face (ConfigMap with the Envoy bootstrap,
 * ServiceAccount, Deployment or DaemonSet, Service, PodDisruptionBudget).
 *
 * **Ordering.** Everything is solved and rendered in the constructor from the args: the routes and
 * the NLB (`nlb`) are given there. Nothing waits for the program to settle, so an `await` before or
 * after changes nothing; a route or load balancer offered after construction throws at once.
 */
export class HitlessGateway extends pulumi.ComponentResource implements LoadBalancedGateway {
  /** The core plan the objects come from. */
  public readonly plan: GatewayPlan;
  public readonly name: string;
  public readonly namespace: string;
  public readonly workloadObject: string;
  public readonly serviceObject: string;
  public readonly trafficPort: number;
  public readonly hostPort?: number;
  public readonly healthCheckPath: string;
  public readonly mode: 'deployment' | 'daemonset';
  public readonly httpPort: number;
  public readonly adminPort: number;
  public readonly image: string;
  public readonly drainTimeout: Duration;
  public readonly idleTimeout: Duration;
  public readonly configMap: pulumi.CustomResource;
  public readonly serviceAccount: pulumi.CustomResource;
  /** The Deployment or DaemonSet. */
  public readonly workload: pulumi.CustomResource;
  public readonly service: pulumi.CustomResource;
  /** With a Deployment only. */
  public readonly podDisruptionBudget?: pulumi.CustomResource;
  /** The NLB made from `nlb`. */
  public readonly nlb?: HealthCheckedNlb;
  /** The GKE load balancer made from `gke`. */
  public readonly gke?: GkeLoadBalancer;

  private rendered = false;
  private loadBalancerOwner?: string;

  constructor(name: string, args: HitlessGatewayArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:HitlessGateway', name, {}, opts);
    const { routes, nlb, gke, ...options } = args;
    this.plan = new GatewayPlan({ ...options, name: args.name ?? name });
    this.name = this.plan.name;
    this.namespace = this.plan.namespace;
    this.workloadObject = this.plan.workloadObject;
    this.serviceObject = this.plan.serviceObject;
    this.trafficPort = this.plan.trafficPort;
    this.hostPort = this.plan.hostPort;
    this.healthCheckPath = this.plan.healthCheckPath;
    this.mode = this.plan.mode;
    this.httpPort = this.plan.httpPort;
    this.adminPort = this.plan.adminPort;
    this.image = this.plan.image;
    this.drainTimeout = this.plan.drainTimeout;
    this.idleTimeout = this.plan.idleTimeout;
    for (const route of routes ?? []) this.plan.addRoute(route);
    if (nlb) {
      this.nlb = new HealthCheckedNlb(`${name}-nlb`, { ...nlb, gateway: this }, { parent: this });
    }
    if (gke) {
      this.gke = new GkeLoadBalancer(`${name}-gke`, { ...gke, gateway: this }, { parent: this });
    }

    const objects = this.plan.objects();
    this.rendered = true;
    const render = (object: Parameters<typeof renderKubeObject>[1]) => renderKubeObject(name, object, { parent: this });
    this.configMap = render(objects.configMap);
    this.serviceAccount = render(objects.serviceAccount);
    this.workload = render(objects.workload);
    this.service = render(objects.service);
    this.podDisruptionBudget = objects.podDisruptionBudget ? render(objects.podDisruptionBudget) : undefined;

    this.registerOutputs({
      configMap: this.configMap,
      serviceAccount: this.serviceAccount,
      workload: this.workload,
      service: this.service,
      podDisruptionBudget: this.podDisruptionBudget,
    });
  }

  /** The drain timings the objects were rendered with. */
  public get budget(): GatewayBudget {
    return this.plan.budget;
  }

  /**
   * The timings behind `loadBalancer`, without attaching it (what a load balancer plans with).
   * @throws BudgetError when a timing set here can't hold behind it
   */
  public solveBudget(loadBalancer: LoadBalancerModel): GatewayBudget {
    return this.plan.solveBudget(loadBalancer);
  }

  /** How long the pod keeps serving after failing its health check. */
  public get keepServing(): Duration {
    return gatewayDurations(this.plan.budget).keepServing;
  }

  /** `terminationGracePeriodSeconds`. */
  public get terminationGracePeriod(): Duration {
    return gatewayDurations(this.plan.budget).terminationGracePeriod;
  }

  /** `minReadySeconds`. */
  public get minReady(): Duration {
    return gatewayDurations(this.plan.budget).minReady;
  }

  /** Routes, in match order. */
  public get routes(): readonly ResolvedRoute[] {
    return this.plan.routes;
  }

  /** The Envoy bootstrap as it will be rendered. */
  public bootstrap(): EnvoyBootstrap {
    return this.plan.bootstrap();
  }

  /** The core model of the gateway as it will be rendered, for `checkGateway`. */
  public gatewayModel(): GatewayModel {
    return this.plan.model();
  }

  /** The load balancer the budget is solved against so far: the attached one, else the assumed AWS NLB. */
  public get loadBalancer(): LoadBalancerModel {
    return this.plan.loadBalancer;
  }

  /**
   * Routes are given in `routes`: the bootstrap is rendered in the constructor.
   * @throws always after construction, naming the gateway and the service
   */
  public addRoute(route: HitlessGatewayRoute): ResolvedRoute {
    this.checkOpen(`a route to ${route.service.serviceObject}`, 'give it in the `routes` arg');
    return this.plan.addRoute(route);
  }

  /**
   * Records the one load balancer in front; `HealthCheckedNlb` calls {@link claimLoadBalancer} and
   * then this, from inside the constructor when made from `nlb`.
   * @throws BudgetError when a timing set in the args no longer holds
   * @throws after construction: the objects are rendered
   */
  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    this.checkOpen(`the load balancer ${attachment.model.object}`, 'give its props in the `nlb` arg');
    this.plan.attachLoadBalancer(attachment);
  }

  /**
   * Claims the gateway's one load balancer slot for `owner` (a `HealthCheckedNlb`'s name): one
   * Service has one load balancer, and a second would silently override the first's annotations.
   * @throws when another load balancer is already in front, naming both
   * @internal
   */
  public claimLoadBalancer(owner: string): void {
    if (this.loadBalancerOwner !== undefined) {
      throw new Error(`HitlessGateway '${this.name}' already has ${this.loadBalancerOwner} in front; a second, ${owner}, is refused: one gateway Service has one load balancer`);
    }
    this.checkOpen(owner, 'give its props in the `nlb` or `gke` arg');
    this.loadBalancerOwner = owner;
  }

  private checkOpen(what: string, instead: string): void {
    if (this.rendered) {
      throw new Error(`${what} reached HitlessGateway '${this.name}' after it rendered its objects (in its constructor): ${instead}`);
    }
  }
}
