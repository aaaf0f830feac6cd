import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ExplainedTimeline } from '../core/explained-timeline';
import { renderTimeline } from '../core/render-timeline';
import { GkeShape } from '../core/gke/defaults';
import { BuiltGkeLoadBalancer, GkeLoadBalancerOptions, buildGkeLoadBalancer } from '../core/gke/gke-load-balancer';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';

/**
 * Props of {@link GkeLoadBalancer}: the options of core's `GkeLoadBalancerOptions` (times as cdk8s
 * `Duration`s or any `DurationLike`), and the gateway.
 */
export interface GkeLoadBalancerProps extends GkeLoadBalancerOptions {
  /** The gateway the load balancer fronts; its timings are solved again against it. */
  readonly gateway: LoadBalancedGateway;
}

/**
 * A GKE load balancer in front of a hitless gateway, with container-native load balancing: an
 * Ingress with NEGs and a BackendConfig, a GKE Gateway with a HealthCheckPolicy and a
 * GCPBackendPolicy, or an L4 passthrough LoadBalancer Service.
 *
 * GKE stops sending to a pod when the NEG controller's detach takes effect, whatever its readiness,
 * or sooner when the health check fails it: the gateway keeps serving for the shorter of the two
 * plus margin, then drains; connection draining covers the drain, so that requests in flight at
 * the detach are not cut; minReadySeconds covers the health check's recovery window.
 */
export class GkeLoadBalancer extends Construct {
  /** Which GKE load balancer fronts the gateway: Ingress, GKE Gateway or L4 passthrough. */
  public readonly shape: GkeShape;
  /** The load balancer as the gateway, `hitless check` and `hitless simulate` see it. */
  public readonly model: LoadBalancerModel;
  /** The gateway's timings behind it. */
  public readonly budget: GatewayBudget;
  /** The annotations put on the gateway's Service. */
  public readonly serviceAnnotations: Record<string, string>;
  /** `connectionDraining.drainingTimeoutSec` as set. */
  public readonly connectionDrainingSeconds: number;
  /** The objects of the shape (BackendConfig and Ingress; Gateway, HTTPRoute and the policies; none for l4). */
  public readonly apiObjects: ApiObject[];
  private readonly built: BuiltGkeLoadBalancer;

  constructor(scope: Construct, id: string, props: GkeLoadBalancerProps) {
    super(scope, id);
    const { gateway, ...options } = props;
    this.built = buildGkeLoadBalancer(options, gateway);
    this.shape = this.built.shape;
    this.model = this.built.model;
    this.budget = this.built.budget;
    this.serviceAnnotations = this.built.serviceAnnotations;
    this.connectionDrainingSeconds = this.built.connectionDrainingSeconds;
    this.apiObjects = this.built.objects.map((object) => new ApiObject(this, object.kind, object));
  }

  /** The termination of one gateway pod behind this load balancer, step by step, with the margins. */
  public explain(): ExplainedTimeline {
    return this.built.explain();
  }

  /** {@link explain} as text. */
  public explainText(): string {
    return renderTimeline(this.explain());
  }
}
