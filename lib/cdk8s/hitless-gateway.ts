import { ApiObject, Chart, Duration, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { ActiveHealthCheckOptions, OutlierDetectionOptions } from '../core/envoy/cluster';
import { EnvoyBootstrap } from '../core/envoy/bootstrap';
import { ResolvedRoute } from '../core/envoy/route';
import { GatewayPlanOptions } from '../core/gateway/gateway-options';
import { GatewayPlan } from '../core/gateway/gateway-plan';
import { KubeObject } from '../core/kube-object';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../core/load-balancer-link';
import { GatewayModel, LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { gatewayWorkloadSeconds } from '../core/timing/workload-seconds';
import { RoutableUpstream } from '../core/upstream-link';
import { toCoreDuration } from './duration';

/** Active health checks of the upstream pods, as cdk8s durations. */
export interface HitlessGatewayHealthCheckProps {
  /**
   * Interval; the upstreams' minReadySeconds include one.
   * @default Duration.seconds(5)
   */
  readonly interval?: Duration;
  /** @default Duration.seconds(1) */
  readonly timeout?: Duration;
  /** @default 2 */
  readonly unhealthyThreshold?: number;
  /** @default 1 */
  readonly healthyThreshold?: number;
}

/** Outlier detection of the upstream pods. */
export interface HitlessGatewayOutlierDetectionProps {
  /** @default 5 */
  readonly consecutive5xx?: number;
  /** @default Duration.seconds(30) */
  readonly baseEjectionTime?: Duration;
  /** @default 50 */
  readonly maxEjectionPercent?: number;
}

/**
 * Props of {@link HitlessGateway}: the gateway of {@link GatewayPlanOptions}, with times as cdk8s
 * `Duration`s and a name and namespace derived from the construct.
 */
export interface HitlessGatewayProps
  extends Omit<GatewayPlanOptions, 'name' | 'namespace' | 'drainTimeout' | 'idleTimeout' | 'keepServing' | 'terminationGracePeriod' | 'minReady' | 'dnsRefreshRate' | 'dnsTtl' | 'activeHealthCheck' | 'outlierDetection' | 'connectTimeout'> {
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
  /**
   * How long, after the keep-serving window, the drain waits for connections to close. Whole seconds.
   * @default Duration.seconds(30)
   */
  readonly drainTimeout?: Duration;
  /**
   * Downstream idle timeout; at most the drain timeout, so idle keep-alive connections are closed
   * by Envoy before the pod exits.
   * @default - half the drain timeout
   */
  readonly idleTimeout?: Duration;
  /**
   * How long the pod keeps serving after failing its health check. Whole seconds.
   * @default - derived: the load balancer's detection window plus margin (31s for the assumed NLB)
   */
  readonly keepServing?: Duration;
  /**
   * `terminationGracePeriodSeconds`. Whole seconds.
   * @default - derived: keepServing + drainTimeout + margin
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * `minReadySeconds`. Whole seconds.
   * @default - derived: the load balancer's recovery window plus margin (25s for the assumed NLB)
   */
  readonly minReady?: Duration;
  /**
   * `dns_refresh_rate` of the upstream clusters.
   * @default Duration.seconds(5)
   */
  readonly dnsRefreshRate?: Duration;
  /**
   * The age a cluster DNS answer may have (CoreDNS `ttl`/`cache`).
   * @default Duration.seconds(30)
   */
  readonly dnsTtl?: Duration;
  /** @default - see HitlessGatewayHealthCheckProps */
  readonly activeHealthCheck?: HitlessGatewayHealthCheckProps;
  /** @default - see HitlessGatewayOutlierDetectionProps */
  readonly outlierDetection?: HitlessGatewayOutlierDetectionProps;
  /**
   * Upstream `connect_timeout`.
   * @default Duration.seconds(1)
   */
  readonly connectTimeout?: Duration;
}

/** A route of {@link HitlessGateway.addRoute}. */
export interface HitlessGatewayRouteProps {
  /** Match on a path prefix. Exactly one of `prefix` and `path`. */
  readonly prefix?: string;
  /** Match on an exact path. */
  readonly path?: string;
  /** Where requests go; the service derives its preStop from this gateway. */
  readonly service: RoutableUpstream;
  /**
   * Whether requests may safely be sent twice; only then are 5xx answers retried.
   * @default false
   */
  readonly idempotent?: boolean;
  /**
   * Retries after the first try.
   * @default 2
   */
  readonly retries?: number;
  /** @default Duration.seconds(5) */
  readonly perTryTimeout?: Duration;
  /**
   * Whole-request timeout; must cover every try and the back-off.
   * @default - (retries + 1) × perTryTimeout + back-off
   */
  readonly timeout?: Duration;
  /**
   * Further status codes to retry; idempotent routes only.
   * @default - none
   */
  readonly retriableStatusCodes?: number[];
  /** @default - the cluster name */
  readonly name?: string;
}

function healthCheck(props: HitlessGatewayHealthCheckProps | undefined): ActiveHealthCheckOptions | undefined {
  return props && { interval: toCoreDuration(props.interval), timeout: toCoreDuration(props.timeout), unhealthyThreshold: props.unhealthyThreshold, healthyThreshold: props.healthyThreshold };
}

function outlier(props: HitlessGatewayOutlierDetectionProps | undefined): OutlierDetectionOptions | undefined {
  return props && { consecutive5xx: props.consecutive5xx, baseEjectionTime: toCoreDuration(props.baseEjectionTime), maxEjectionPercent: props.maxEjectionPercent };
}

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
      name: props.name ?? Names.toDnsLabel(this, { maxLen: 57 }),
      namespace: props.namespace ?? Chart.of(this).namespace ?? 'default',
      workload: props.workload,
      drain: props.drain,
      image: props.image,
      edgeHardening: props.edgeHardening,
      httpPort: props.httpPort,
      servicePort: props.servicePort,
      tls: props.tls,
      adminPort: props.adminPort,
      healthCheckPath: props.healthCheckPath,
      drainTimeout: toCoreDuration(props.drainTimeout),
      idleTimeout: toCoreDuration(props.idleTimeout),
      keepServing: toCoreDuration(props.keepServing),
      terminationGracePeriod: toCoreDuration(props.terminationGracePeriod),
      minReady: toCoreDuration(props.minReady),
      dnsRefreshRate: toCoreDuration(props.dnsRefreshRate),
      dnsTtl: toCoreDuration(props.dnsTtl),
      activeHealthCheck: healthCheck(props.activeHealthCheck),
      outlierDetection: outlier(props.outlierDetection),
      connectTimeout: toCoreDuration(props.connectTimeout),
      resources: props.resources,
      labels: props.labels,
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
    this.drainTimeout = Duration.millis(plan.drainTimeout.toMilliseconds());
    this.idleTimeout = Duration.millis(plan.idleTimeout.toMilliseconds());

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
    return this.plan.addRoute({ ...props, perTryTimeout: toCoreDuration(props.perTryTimeout), timeout: toCoreDuration(props.timeout) });
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
