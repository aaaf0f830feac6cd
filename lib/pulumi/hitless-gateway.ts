import * as pulumi from '@pulumi/pulumi';
import { Duration } from '../core/duration';
import { EnvoyBootstrap } from '../core/envoy/bootstrap';
import { ResolvedRoute } from '../core/envoy/route';
import { GatewayObjects, GatewayPlan, GatewayPlanOptions, GatewayRouteOptions } from '../core/gateway/gateway-plan';
import { KubeObject } from '../core/kube-object';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../core/load-balancer-link';
import { GatewayModel, LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { gatewayWorkloadSeconds } from '../core/timing/workload-seconds';
import { objectKey, renderKubeObject } from './render';
import { whenProgramSettles } from './settle';

/** A route of {@link HitlessGatewayArgs.routes}: a match, a service, and its retry policy. */
export type HitlessGatewayRoute = GatewayRouteOptions;

/**
 * Props of {@link HitlessGateway}: those of the cdk8s `HitlessGateway`, with core `Duration`s,
 * plus the routes. `name` defaults to the Pulumi resource name.
 */
export interface HitlessGatewayArgs extends Omit<GatewayPlanOptions, 'name'> {
  /**
   * Name of every object (the ConfigMap gets `-envoy`).
   * @default - the Pulumi resource name
   */
  readonly name?: string;
  /**
   * Routes, in match order. Each service learns of this gateway as it is added, and derives its
   * preStop from the gateway's discovery delay. More can be added with {@link HitlessGateway.addRoute}
   * in the same synchronous part of the program.
   * @default - none
   */
  readonly routes?: HitlessGatewayRoute[];
}

/**
 * An Envoy edge gateway that drains without dropping requests: the Pulumi face of core's
 * `GatewayPlan`, with the same objects as the cdk8s face (ConfigMap with the Envoy bootstrap,
 * ServiceAccount, Deployment or DaemonSet, Service, PodDisruptionBudget).
 *
 * **Ordering.** The objects depend on what comes after the constructor: routes (the bootstrap) and
 * the load balancer a `HealthCheckedNlb` attaches (the drain timings, the Service's annotations).
 * So their fields are Outputs that resolve once the program has finished its current synchronous
 * run, like a cdk8s app's synth: give routes in `routes` or through {@link addRoute}, and create the
 * `HealthCheckedNlb`, without an `await` in between. A route or load balancer added later throws.
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
  public readonly configMap: pulumi.CustomResource;
  public readonly serviceAccount: pulumi.CustomResource;
  /** The Deployment or DaemonSet. */
  public readonly workload: pulumi.CustomResource;
  public readonly service: pulumi.CustomResource;
  /** With a Deployment only. */
  public readonly podDisruptionBudget?: pulumi.CustomResource;

  private settled = false;

  constructor(name: string, args: HitlessGatewayArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:HitlessGateway', name, {}, opts);
    const { routes, ...options } = args;
    this.plan = new GatewayPlan({ ...options, name: args.name ?? name });
    this.name = this.plan.name;
    this.namespace = this.plan.namespace;
    this.workloadObject = this.plan.workloadObject;
    this.serviceObject = this.plan.serviceObject;
    this.trafficPort = this.plan.trafficPort;
    this.hostPort = this.plan.hostPort;
    this.healthCheckPath = this.plan.healthCheckPath;
    this.mode = this.plan.mode;
    for (const route of routes ?? []) this.plan.addRoute(route);

    const final = whenProgramSettles(() => {
      this.settled = true;
      return this.plan.objects();
    });
    const initial = this.plan.objects();
    const render = (object: KubeObject) => renderKubeObject(object, { parent: this }, final.then((objects) => sameObject(objects, object)));
    this.configMap = render(initial.configMap);
    this.serviceAccount = render(initial.serviceAccount);
    this.workload = render(initial.workload);
    this.service = render(initial.service);
    this.podDisruptionBudget = initial.podDisruptionBudget ? render(initial.podDisruptionBudget) : undefined;

    this.registerOutputs({
      configMap: this.configMap,
      serviceAccount: this.serviceAccount,
      workload: this.workload,
      service: this.service,
      podDisruptionBudget: this.podDisruptionBudget,
    });
  }

  /** The drain timings, solved against the load balancer attached so far (final once the program settles). */
  public get budget(): GatewayBudget {
    return this.plan.budget;
  }

  /** How long the pod keeps serving after failing its health check. */
  public get keepServing(): Duration {
    return Duration.seconds(gatewayWorkloadSeconds(this.plan.budget).keepServingSeconds);
  }

  /** `terminationGracePeriodSeconds`. */
  public get terminationGracePeriod(): Duration {
    return Duration.seconds(gatewayWorkloadSeconds(this.plan.budget).terminationGracePeriodSeconds);
  }

  /** `minReadySeconds`. */
  public get minReady(): Duration {
    return Duration.seconds(gatewayWorkloadSeconds(this.plan.budget).minReadySeconds);
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
   * Routes requests matching `prefix` or `path` to `service`, and tells the service this gateway
   * is in front.
   * @throws when the program has already settled
   */
  public addRoute(route: HitlessGatewayRoute): ResolvedRoute {
    this.checkOpen(`a route to ${route.service.serviceObject}`);
    return this.plan.addRoute(route);
  }

  /**
   * Puts a load balancer in front; `HealthCheckedNlb` calls it.
   * @throws BudgetError when a timing set in the props no longer holds
   * @throws when the program has already settled
   */
  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    this.checkOpen(`the load balancer ${attachment.model.object}`);
    this.plan.attachLoadBalancer(attachment);
  }

  private checkOpen(what: string): void {
    if (this.settled) {
      throw new Error(
        `${what} reached HitlessGateway '${this.name}' after its objects were rendered: ` +
        'add routes and load balancers in the same synchronous part of the program as the gateway (no await in between)',
      );
    }
  }
}

function sameObject(objects: GatewayObjects, object: KubeObject): KubeObject {
  const found = objects.all.find((each) => objectKey(each) === objectKey(object));
  if (!found) throw new Error(`${objectKey(object)} is no longer among the gateway's objects once the program settled`);
  return found;
}
