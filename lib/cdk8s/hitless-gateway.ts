import { ApiObject, Chart, Duration, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { EnvoyBootstrap } from '../core/envoy/bootstrap';
import { ResolvedRoute } from '../core/envoy/route';
import { gatewayDurations } from '../core/gateway/gateway-durations';
import { GatewayPlanOptions, GatewayRouteOptions } from '../core/gateway/gateway-options';
import { GatewayPlan } from '../core/gateway/gateway-plan';
import { KubeObject } from '../core/kube-object';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../core/load-balancer-link';
import { GatewayModel, LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { toCdk8sDuration } from './duration';

/**
 * Props of {@link HitlessGateway}: the gateway's options as core states them (times are any
 * `{ toMilliseconds() }`, so cdk8s `Duration`s), with a name and namespace derived from the
 * construct. They are passed through whole: an option core gains reaches the gateway here too.
 */
export interface HitlessGatewayProps extends Omit<GatewayPlanOptions, 'name' | 'namespace'> {
  /**
   * Name of the workload, Service and ServiceAccount (the ConfigMap adds `-envoy`). A DNS label
   * of at most 57 characters.
   * @default - a unique name derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of every object.
   * @default - the chart's namespace, else `default`
   */
  readonly namespace?: string;
}

/** A route of {@link HitlessGateway.addRoute}: a match, a service, and its retry policy. */
export interface HitlessGatewayRouteProps extends GatewayRouteOptions {}

/**
 * An Envoy edge gateway that never drops a request when its pods roll, restart or drain, and that
 * routes to `DrainingService`s with health-checked, retried routes.
 *
 * Its drain (keep-serving window, grace period, minReadySeconds) is solved against the load
 * balancer in front, an assumed AWS NLB until `HealthCheckedNlb` calls
 * {@link attachLoadBalancer}. The manifests are rendered at synth time, so routes added and load
 * balancers attached after construction are in them.
 */
export class HitlessGateway extends Construct implements LoadBalancedGateway {
  /** The framework-free gateway this construct renders. */
  public readonly plan: GatewayPlan;
  public readonly name: string;
  public readonly namespace: string;
  public readonly mode: 'deployment' | 'daemonset';
  public readonly workloadObject: string;
  public readonly serviceObject: string;
  public readonly trafficPort: number;
  public readonly hostPort?: number;
  public readonly healthCheckPath: string;
  public readonly httpPort: number;
  public readonly adminPort: number;
  public readonly image: string;
  public readonly drainTimeout: Duration;
  public readonly idleTimeout: Duration;
  /** The Deployment or DaemonSet (`Resource`). */
  public readonly workload: ApiObject;
  public readonly configMap: ApiObject;
  public readonly service: ApiObject;
  public readonly serviceAccount: ApiObject;
  /** Deployment mode only. */
  public readonly podDisruptionBudget?: ApiObject;

  constructor(scope: Construct, id: string, props: HitlessGatewayProps = {}) {
    super(scope, id);
    this.plan = new GatewayPlan({
      ...props,
      name: props.name ?? Names.toDnsLabel(this, { maxLen: 57 }),
      namespace: props.namespace ?? Chart.of(this).namespace ?? 'default',
    });
    const plan = this.plan;
    this.name = plan.name;
    this.namespace = plan.namespace;
    this.mode = plan.mode;
    this.workloadObject = plan.workloadObject;
    this.serviceObject = plan.serviceObject;
    this.trafficPort = plan.trafficPort;
    this.hostPort = plan.hostPort;
    this.healthCheckPath = plan.healthCheckPath;
    this.httpPort = plan.httpPort;
    this.adminPort = plan.adminPort;
    this.image = plan.image;
    this.drainTimeout = toCdk8sDuration(plan.drainTimeout);
    this.idleTimeout = toCdk8sDuration(plan.idleTimeout);

    // Which objects exist is fixed by the props; what they hold depends on the routes and the load
    // balancer, so everything but their identity is produced at synth time.
    const initial = plan.provisionalObjects();
    const render = (id: string, pick: (objects: ReturnType<GatewayPlan['objects']>) => KubeObject | undefined, object: KubeObject) => {
      const lazy: Record<string, unknown> = {};
      for (const key of Object.keys(object)) {
        if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
        lazy[key] = Lazy.any({ produce: () => pick(plan.objects())?.[key] });
      }
      return new ApiObject(this, id, { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata, ...lazy });
    };
    this.configMap = render('ConfigMap', (objects) => objects.configMap, initial.configMap);
    this.serviceAccount = render('ServiceAccount', (objects) => objects.serviceAccount, initial.serviceAccount);
    this.workload = render('Resource', (objects) => objects.workload, initial.workload);
    this.service = render('Service', (objects) => objects.service, initial.service);
    if (initial.podDisruptionBudget) {
      this.podDisruptionBudget = render('DisruptionBudget', (objects) => objects.podDisruptionBudget, initial.podDisruptionBudget);
    }
  }

  /** The drain and rollout timings as currently solved. */
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
    return toCdk8sDuration(gatewayDurations(this.plan.budget).keepServing);
  }

  /** `terminationGracePeriodSeconds`. */
  public get terminationGracePeriod(): Duration {
    return toCdk8sDuration(gatewayDurations(this.plan.budget).terminationGracePeriod);
  }

  /** `minReadySeconds`. */
  public get minReady(): Duration {
    return toCdk8sDuration(gatewayDurations(this.plan.budget).minReady);
  }

  /** The load balancer the timings are solved against. */
  public get loadBalancer(): LoadBalancerModel {
    return this.plan.loadBalancer;
  }

  /** Routes, in match order. */
  public get routes(): readonly ResolvedRoute[] {
    return this.plan.routes;
  }

  /**
   * Sends requests matching `prefix` (or `path`) to `service`, retrying the races a rollout
   * leaves, and registers this gateway with the service so its preStop covers this gateway's
   * discovery delay.
   * @throws when a prop is out of bounds, or the service's own overrides can no longer hold
   */
  public addRoute(props: HitlessGatewayRouteProps): ResolvedRoute {
    return this.plan.addRoute(props);
  }

  /**
   * Puts a load balancer in front: re-solves the drain against it and adds its annotations to
   * the Service.
   * @throws BudgetError when a timing set in the props no longer covers it; nothing changes then
   */
  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    this.plan.attachLoadBalancer(attachment);
    for (const [key, value] of Object.entries(attachment.serviceAnnotations)) {
      this.service.metadata.addAnnotation(key, value);
    }
  }

  /** The Envoy bootstrap as it will be synthesized. */
  public bootstrap(): EnvoyBootstrap {
    return this.plan.bootstrap();
  }

  /** The core model of the gateway as it will be synthesized, for `checkGateway`. */
  public gatewayModel(): GatewayModel {
    return this.plan.model();
  }
}
