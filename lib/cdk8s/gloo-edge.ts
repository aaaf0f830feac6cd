import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Duration, Lazy, Names } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { GlooEdgeGatewayOptions, GlooEdgeGatewayPlan, GlooEdgeRouteOptions } from '../core/gloo/gloo-edge';
import { DEFAULT_GLOO_PROXY_NAME, GlooHelmValues, glooProxyId } from '../core/gloo/helm-values';
import { GlooUpstreamPlan } from '../core/gloo/upstream';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';

/**
 * Props of {@link GlooEdgeGateway}: the gateway's options as core states them, passed through
 * whole (times as cdk8s `Duration`s, or any `{ toMilliseconds() }`).
 */
export interface GlooEdgeGatewayProps extends GlooEdgeGatewayOptions {}

/** Options of {@link GlooEdgeGateway.addRoute}: a prefix, the service, and its retries. */
export interface GlooEdgeRouteProps extends GlooEdgeRouteOptions {}

/**
 * A Gloo Edge gateway proxy that rolls without dropping requests, for users who install Gloo
 * with its Helm chart. It emits the Gloo `Upstream`s and `VirtualService` of its routes as
 * manifests, and the chart's `gatewayProxies` values as a file to pass to `helm install/upgrade -f`
 * ({@link writeValuesFile}; cdk8s has no post-synth hook for constructs, and a validation hook
 * also runs in `Testing.synth`, so the file is written when the app asks for it).
 *
 * Its timings come from the solver: the preStop sleep from the load balancer's detection
 * window, the grace period from the sleep, `minReadySeconds` from the recovery window; a value
 * set in the props that breaks the chain throws a `BudgetError` naming the prop and the bound.
 * Each service it routes to is told that Gloo discovers its pods over EDS, and re-derives its
 * own preStop.
 */
export class GlooEdgeGateway extends Construct implements LoadBalancedGateway {
  /**
   * Writes the values file of every `GlooEdgeGateway` in `app` next to its manifests; call it
   * after `app.synth()`. Returns the paths written.
   */
  public static writeValuesFiles(app: App, outdir: string = app.outdir): string[] {
    return app.node.findAll().filter((each): each is GlooEdgeGateway => each instanceof GlooEdgeGateway).map((gateway) => gateway.writeValuesFile(outdir));
  }

  public readonly proxyName: string;
  public readonly namespace: string;
  public readonly mode: 'deployment' | 'daemonset';
  public readonly workloadObject: string;
  public readonly serviceObject: string;
  public readonly trafficPort: number;
  public readonly hostPort?: number;
  public readonly healthCheckPath: string;
  /** The VirtualService (`Resource`), once a route is added. */
  public virtualService?: ApiObject;
  private readonly plan: GlooEdgeGatewayPlan;
  private readonly upstreamObjects = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: GlooEdgeGatewayProps = {}) {
    super(scope, id);
    this.plan = new GlooEdgeGatewayPlan(props);
    this.proxyName = this.plan.proxyName;
    this.namespace = this.plan.namespace;
    this.mode = this.plan.mode;
    this.workloadObject = this.plan.workloadObject;
    this.serviceObject = this.plan.serviceObject;
    this.trafficPort = this.plan.trafficPort;
    this.hostPort = this.plan.hostPort;
    this.healthCheckPath = this.plan.healthCheckPath;
  }

  /** The proxy's timings as now solved. */
  public get budget(): GatewayBudget {
    return this.plan.budget;
  }

  /** The load balancer now in front (assumed until one attaches). */
  public get loadBalancer(): LoadBalancerModel {
    return this.plan.loadBalancer;
  }

  /** `podTemplate.gracefulShutdown.sleepTimeSeconds`. */
  public get gracefulShutdownSleep(): Duration {
    return Duration.seconds(this.plan.sleepTimeSeconds);
  }

  /** `podTemplate.terminationGracePeriodSeconds`. */
  public get terminationGracePeriod(): Duration {
    return Duration.seconds(Math.ceil(this.plan.budget.terminationGracePeriodSeconds));
  }

  /** `minReadySeconds`. */
  public get minReady(): Duration {
    return Duration.seconds(Math.ceil(this.plan.budget.minReadySeconds));
  }

  /**
   * The proxy's timings behind `loadBalancer`, without attaching it (a `GatewayBudgetSolver` for `planNlb`).
   * @throws BudgetError when a value set in the props can't hold behind it
   */
  public solveBudget(loadBalancer: LoadBalancerModel): GatewayBudget {
    return this.plan.solveBudget(loadBalancer);
  }

  /**
   * Puts a load balancer in front; the timings are solved again against it.
   * @throws BudgetError when a value set in the props can't hold against it; nothing is attached then
   */
  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    this.plan.attachLoadBalancer(attachment);
  }

  /**
   * Routes `prefix` to a service: adds its Upstream (once per service) and a route with
   * retries, and registers this proxy with the service (Gloo EDS discovery).
   * @throws BudgetError when the service can no longer hold a value its user set, or the route's timeout can't cover its retries
   */
  public addRoute(props: GlooEdgeRouteProps): GlooUpstreamPlan {
    const { upstream } = this.plan.addRoute(props);
    if (!this.upstreamObjects.has(upstream.name)) {
      const [object] = this.plan.upstreams().filter((each) => each.metadata.name === upstream.name);
      this.upstreamObjects.set(upstream.name, new ApiObject(this, `Upstream-${upstream.name}`, object));
    }
    if (!this.virtualService) {
      const initial = this.plan.virtualService()!;
      this.virtualService = new ApiObject(this, 'Resource', { ...initial, spec: Lazy.any({ produce: () => this.plan.virtualService()!.spec }) });
    }
    return upstream;
  }

  /** The Helm values as data. */
  public helmValues(): GlooHelmValues {
    return this.plan.helmValues();
  }

  /** The Helm values file's text. */
  public valuesYaml(): string {
    return `# Gloo Edge Helm values written by hitless for ${this.node.path}: pass with helm install/upgrade -f.\n# The timings are solved from the load balancer in front; change them through the construct, not here.\n${stringify(this.helmValues(), { lineWidth: 0, aliasDuplicateObjects: false })}`;
  }

  /**
   * The values file's name: `<chart>.gloo-values.yaml`, or `<chart>.<proxy>.gloo-values.yaml`
   * for a proxy other than the chart's default `gatewayProxy`.
   */
  public valuesFileName(): string {
    const chart = Names.toDnsLabel(Chart.of(this));
    return this.proxyName === DEFAULT_GLOO_PROXY_NAME ? `${chart}.gloo-values.yaml` : `${chart}.${glooProxyId(this.proxyName)}.gloo-values.yaml`;
  }

  /** Writes the values file into `outdir` (the app's, by default) and returns its path. */
  public writeValuesFile(outdir: string = App.of(this).outdir): string {
    fs.mkdirSync(outdir, { recursive: true });
    const file = path.join(outdir, this.valuesFileName());
    fs.writeFileSync(file, this.valuesYaml());
    return file;
  }
}
