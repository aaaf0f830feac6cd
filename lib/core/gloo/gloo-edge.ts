import { asDuration, Duration, DurationLike } from '../duration';
import { objectRef } from '../object-ref';
import { KubeObject } from '../kube-object';
import { assumedLoadBalancer } from '../load-balancer';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../load-balancer-link';
import { DiscoveryModel, LoadBalancerModel } from '../model';
import { BudgetError } from '../timing/budget-error';
import { GatewayBudget, solveGatewayBudget } from '../timing/solver';
import { DEFAULT_MARGIN_SECONDS } from '../timing/windows';
import { RoutableUpstream } from '../upstream-link';
import {
  DEFAULT_GLOO_PROXY_NAME,
  GLOO_DEFAULT_PORTS,
  glooGatewayProxyValues,
  GlooGatewayProxyValues,
  glooHelmValues,
  GlooHelmValues,
  glooProxyId,
} from './helm-values';
import { DEFAULT_GLOO_PUSH_SECONDS, glooEdsDiscovery, GlooHealthCheckProps, GlooOutlierDetectionProps, glooUpstream, GlooUpstreamPlan, GLOO_SYSTEM_NAMESPACE, planGlooUpstream } from './upstream';
import { GlooRoutePlan, GlooRouteProps, glooVirtualService, planGlooRoute } from './virtual-service';

/**
 * The names the Gloo faces give the values the solver bounds. Gloo's preStop is a single sleep
 * after `/healthcheck/fail`, so the keep-serving bound applies to the whole sleep.
 */
export const GLOO_PROP_NAMES = { keepServing: 'gracefulShutdownSleep', gracePeriod: 'terminationGracePeriod', minReady: 'minReady' } as const;

/**
 * Options of a Gloo Edge gateway: the props of its face, passed through whole (times as any
 * `{ toMilliseconds() }`, such as a cdk8s `Duration`).
 */
export interface GlooEdgeGatewayOptions {
  /**
   * Key under `gatewayProxies` in the values file; the proxy's Deployment is its kebab case
   * (`gateway-proxy`).
   * @default 'gatewayProxy'
   * @see https://docs.solo.io/gloo-edge/latest/reference/helm_chart_values/open_source_helm_chart_values/
   */
  readonly proxyName?: string;
  /**
   * Namespace Gloo is installed in (`helm install -n`); the Upstreams and VirtualService go there too.
   * @default 'gloo-system'
   */
  readonly namespace?: string;
  /**
   * `deployment`: replicas held one per node (required anti-affinity) behind externalTrafficPolicy Local.
   * `daemonset`: one proxy per node (`kind.daemonSet`), on host ports unless `hostPort` is false.
   * @default 'deployment'
   */
  readonly mode?: 'deployment' | 'daemonset';
  /**
   * `kind.deployment.replicas`; at least 2, so that a node drain always leaves one. The cluster
   * needs one node more than this for a rollout to surge a pod (one proxy per node).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * DaemonSet only: bind the HTTP and HTTPS ports on the node (`kind.daemonSet.hostPort`, with
   * `hostNetwork: false`).
   * @default true
   */
  readonly hostPort?: boolean;
  /**
   * Path of Envoy's health check filter on the generated Gateways; it answers 503 once preStop
   * has called `/healthcheck/fail` (`gatewaySettings.customHttpGateway.options.healthCheck.path`
   * and the HTTPS twin). Point the load balancer's health check here.
   * @default '/envoy-hc'
   * @see https://docs.solo.io/gloo-edge/latest/guides/traffic_management/request_processing/health_checks/
   */
  readonly healthCheckPath?: string;
  /**
   * After the load balancer has stopped sending new connections, how long the proxy goes on
   * serving those it has before it exits; added to the sleep.
   * @default Duration.seconds(15)
   */
  readonly drainTimeout?: DurationLike;
  /**
   * `podTemplate.gracefulShutdown.sleepTimeSeconds`: how long preStop sleeps after failing the
   * health check. Envoy serves, and accepts new connections, the whole time. Whole seconds.
   * @default - derived: the load balancer's detection window + margin + drainTimeout (46s behind the assumed NLB)
   */
  readonly gracefulShutdownSleep?: DurationLike;
  /**
   * `podTemplate.terminationGracePeriodSeconds`. Rounded up to whole seconds.
   * @default - derived: gracefulShutdownSleep + margin
   */
  readonly terminationGracePeriod?: DurationLike;
  /**
   * `minReadySeconds` of the proxy's Deployment or DaemonSet (through `kubeResourceOverride`).
   * Rounded up to whole seconds.
   * @default - derived: the load balancer's recovery window + margin
   */
  readonly minReady?: DurationLike;
  /**
   * Slack added to every derived window.
   * @default Duration.seconds(5)
   */
  readonly margin?: DurationLike;
  /**
   * How long Gloo takes to push an Endpoints change to the proxies over EDS (watch event,
   * translation, xDS push); upstream pods keep serving this long plus margin after deletion.
   * Raise it on large installs where Gloo's translation loop is slow.
   * @default Duration.seconds(2)
   */
  readonly discoveryPushDelay?: DurationLike;
  /** Active health checks of every Upstream. */
  readonly upstreamHealthCheck?: GlooHealthCheckProps;
  /** Outlier detection of every Upstream. */
  readonly upstreamOutlierDetection?: GlooOutlierDetectionProps;
  /**
   * Leave out the HTTPS listener and Service port (`gatewaySettings.disableHttpsGateway`). A
   * load balancer that checks the traffic port with one protocol can only check one of the two
   * (the AWS Load Balancer Controller applies one health-check protocol to the target groups of
   * both ports).
   * @default false
   */
  readonly disableHttps?: boolean;
  /**
   * Host names of the VirtualService.
   * @default ['*']
   */
  readonly domains?: string[];
  /**
   * Nest the values under `gloo:` for the `gloo-ee` chart.
   * @default false
   */
  readonly enterprise?: boolean;
  /**
   * The load balancer in front, until one attaches (`HealthCheckedNlb`).
   * @default assumedLoadBalancer() on the proxy's Service: an NLB with instance targets and the
   * AWS Load Balancer Controller's health-check defaults
   */
  readonly loadBalancer?: LoadBalancerModel;
}

/** One route, as the faces take it: a prefix, the service, and the retries of {@link GlooRouteProps}. */
export interface GlooEdgeRouteOptions extends Omit<GlooRouteProps, 'upstream'> {
  /** The service to send to (a `DrainingService`, of either face). */
  readonly service: RoutableUpstream;
}

/**
 * A Gloo Edge gateway proxy and its routes, without any framework: both faces hold one and
 * render what it builds. It solves the proxy's timings from the load balancer in front (and
 * again when one attaches), registers itself with each service it routes to so that the
 * service re-derives its own preStop from Gloo's EDS, and builds the Upstreams, the
 * VirtualService and the Helm values.
 */
export class GlooEdgeGatewayPlan implements LoadBalancedGateway {
  public readonly proxyName: string;
  public readonly namespace: string;
  public readonly mode: 'deployment' | 'daemonset';
  public readonly replicas: number;
  public readonly hostPort?: number;
  public readonly healthCheckPath: string;
  public readonly trafficPort: number = GLOO_DEFAULT_PORTS.serviceHttp;
  public readonly workloadObject: string;
  public readonly serviceObject: string;
  /** `Gateway/<namespace>/<proxy>`: the Gateway the chart generates; its routes are the VirtualServices'. */
  public readonly gatewayObject: string;
  /** How this gateway discovers the pods of the services it routes to. */
  public readonly discovery: DiscoveryModel;
  public readonly drainTimeout: Duration;
  private readonly options: GlooEdgeGatewayOptions;
  private attachedLoadBalancer: LoadBalancerModel;
  private serviceAnnotations: Record<string, string> = {};
  private serviceTypeLoadBalancer = true;
  private solved: GatewayBudget;
  private readonly upstreamPlans = new Map<string, GlooUpstreamPlan>();
  private readonly routePlans: GlooRoutePlan[] = [];

  constructor(options: GlooEdgeGatewayOptions = {}) {
    this.options = options;
    this.proxyName = options.proxyName ?? DEFAULT_GLOO_PROXY_NAME;
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(this.proxyName)) throw new Error(`'proxyName' (${this.proxyName}) must be a camelCase Helm key of letters and digits`);
    this.namespace = options.namespace ?? GLOO_SYSTEM_NAMESPACE;
    this.mode = options.mode ?? 'deployment';
    this.replicas = options.replicas ?? 2;
    if (this.mode === 'deployment' && (!Number.isInteger(this.replicas) || this.replicas < 2)) {
      throw new BudgetError('replicas', String(this.replicas), 'at least 2', 'a node drain or an eviction of the only proxy leaves nothing to serve');
    }
    if (this.mode === 'daemonset' && (options.hostPort ?? true)) this.hostPort = GLOO_DEFAULT_PORTS.podHttp;
    this.healthCheckPath = options.healthCheckPath ?? '/envoy-hc';
    if (!this.healthCheckPath.startsWith('/')) throw new Error(`'healthCheckPath' (${this.healthCheckPath}) must start with '/'`);
    this.drainTimeout = asDuration(options.drainTimeout) ?? Duration.seconds(15);
    const id = glooProxyId(this.proxyName);
    this.workloadObject = objectRef(this.mode === 'deployment' ? 'Deployment' : 'DaemonSet', this.namespace, id);
    this.serviceObject = objectRef('Service', this.namespace, id);
    this.gatewayObject = objectRef('Gateway', this.namespace, id);
    this.discovery = glooEdsDiscovery(asDuration(options.discoveryPushDelay) ?? Duration.seconds(DEFAULT_GLOO_PUSH_SECONDS));
    this.attachedLoadBalancer = options.loadBalancer ?? assumedLoadBalancer(this.serviceObject);
    this.solved = this.solve(this.attachedLoadBalancer);
  }

  /** The proxy's timings, against the load balancer now in front. */
  public get budget(): GatewayBudget {
    return this.solved;
  }

  /** The load balancer now in front (assumed until one attaches). */
  public get loadBalancer(): LoadBalancerModel {
    return this.attachedLoadBalancer;
  }

  /** `podTemplate.gracefulShutdown.sleepTimeSeconds`. */
  public get sleepTimeSeconds(): number {
    return this.solved.preStopSeconds;
  }

  /**
   * The proxy's timings behind `loadBalancer`, without attaching it: what a load balancer
   * construct asks before it derives its own attributes (`GatewayBudgetSolver`).
   * @throws BudgetError when a value set in the options can't hold behind it
   */
  public solveBudget(loadBalancer: LoadBalancerModel): GatewayBudget {
    return this.solve(loadBalancer);
  }

  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    // Solve first: a load balancer the proxy's settings can't serve must leave nothing half attached.
    this.solved = this.solve(attachment.model);
    this.attachedLoadBalancer = attachment.model;
    this.serviceAnnotations = { ...attachment.serviceAnnotations };
    this.serviceTypeLoadBalancer = attachment.serviceTypeLoadBalancer ?? true;
  }

  /**
   * Routes `prefix` to `service` and tells the service that this proxy discovers its pods
   * through Gloo's EDS (the service re-derives its preStop, and throws if a value its user set
   * can no longer hold). Returns the Upstream's plan.
   */
  public addRoute(route: GlooEdgeRouteOptions): { upstream: GlooUpstreamPlan; route: GlooRoutePlan } {
    let upstream = this.upstreamPlans.get(route.service.serviceObject);
    const fresh = upstream === undefined;
    upstream ??= planGlooUpstream({ service: route.service, namespace: this.namespace, healthCheck: this.options.upstreamHealthCheck, outlierDetection: this.options.upstreamOutlierDetection });
    const plan = planGlooRoute({
      prefix: route.prefix,
      upstream: { name: upstream.name, namespace: upstream.namespace },
      idempotent: route.idempotent,
      numRetries: route.numRetries,
      perTryTimeout: route.perTryTimeout,
      timeout: route.timeout,
    });
    if (this.routePlans.some((each) => each.prefix === plan.prefix)) throw new Error(`'prefix' (${plan.prefix}) is routed already`);
    if (fresh) {
      route.service.registerGateway({ gateway: this.workloadObject, discovery: this.discovery, activeHealthCheckIntervalSeconds: upstream.healthCheck.intervalSeconds });
      this.upstreamPlans.set(route.service.serviceObject, upstream);
    }
    this.routePlans.push(plan);
    return { upstream, route: plan };
  }

  /** The Upstreams, one per service routed to. */
  public upstreams(): KubeObject[] {
    return [...this.upstreamPlans.values()].map(glooUpstream);
  }

  /** The VirtualService holding every route; undefined while there is none. */
  public virtualService(name: string = glooProxyId(this.proxyName)): KubeObject | undefined {
    if (this.routePlans.length === 0) return undefined;
    return glooVirtualService({ name, namespace: this.namespace, domains: this.options.domains, routes: this.routePlans });
  }

  /** `gatewayProxies.<proxyName>`. */
  public proxyValues(): GlooGatewayProxyValues {
    const budget = this.solved;
    const loadBalancer = this.attachedLoadBalancer;
    return glooGatewayProxyValues({
      mode: this.mode,
      replicas: this.replicas,
      hostPort: this.hostPort !== undefined,
      sleepTimeSeconds: budget.preStopSeconds,
      terminationGracePeriodSeconds: Math.ceil(budget.terminationGracePeriodSeconds),
      minReadySeconds: Math.ceil(budget.minReadySeconds),
      healthCheckPath: this.healthCheckPath,
      podHttpPort: GLOO_DEFAULT_PORTS.podHttp,
      podHttpsPort: GLOO_DEFAULT_PORTS.podHttps,
      serviceHttpPort: GLOO_DEFAULT_PORTS.serviceHttp,
      serviceHttpsPort: GLOO_DEFAULT_PORTS.serviceHttps,
      serviceType: this.serviceTypeLoadBalancer ? 'LoadBalancer' : 'NodePort',
      // Cluster would let the load balancer's health check of one node vouch for proxies on others.
      externalTrafficPolicy: loadBalancer.targetType === 'ip' ? 'Cluster' : 'Local',
      serviceAnnotations: this.serviceAnnotations,
      proxyId: glooProxyId(this.proxyName),
      disableHttps: this.options.disableHttps ?? false,
    });
  }

  /** The whole values file for `helm install/upgrade -f`. */
  public helmValues(): GlooHelmValues {
    return glooHelmValues(this.proxyName, this.proxyValues(), { enterprise: this.options.enterprise });
  }

  /**
   * Gloo's preStop is one sleep after `/healthcheck/fail`, during which Envoy both accepts new
   * connections and drain-closes the ones it has. So the solver sees the whole sleep as keep
   * serving (no separate drain step): first it derives the sleep (detection window + margin +
   * drainTimeout, whole seconds), then checks that sleep and the user's other values against
   * the chain, exactly as the checker will read them back.
   */
  private solve(loadBalancer: LoadBalancerModel): GatewayBudget {
    const options = this.options;
    const marginSeconds = asDuration(options.margin)?.toSeconds() ?? DEFAULT_MARGIN_SECONDS;
    let sleep = asDuration(options.gracefulShutdownSleep)?.toSeconds();
    if (sleep === undefined) {
      const derived = solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: this.drainTimeout.toSeconds(), marginSeconds, propNames: GLOO_PROP_NAMES });
      sleep = Math.ceil(derived.preStopSeconds);
    } else if (!Number.isInteger(sleep)) {
      throw new Error(`'gracefulShutdownSleep' (${asDuration(options.gracefulShutdownSleep)}) must be whole seconds: the chart's sleepTimeSeconds is an integer`);
    }
    return solveGatewayBudget({
      loadBalancer,
      drainTimeoutSeconds: 0,
      marginSeconds,
      keepServingSeconds: sleep,
      terminationGracePeriodSeconds: asDuration(options.terminationGracePeriod)?.toWholeSeconds(),
      minReadySeconds: asDuration(options.minReady)?.toWholeSeconds(),
      propNames: GLOO_PROP_NAMES,
    });
  }
}
