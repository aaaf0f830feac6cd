import * as pulumi from '@pulumi/pulumi';
import { ExplainedTimeline } from '../core/explained-timeline';
import { renderTimeline } from '../core/render-timeline';
import { GkeShape } from '../core/gke/defaults';
import { BuiltGkeLoadBalancer, GkeLoadBalancerOptions, buildGkeLoadBalancer } from '../core/gke/gke-load-balancer';
import { LoadBalancedGateway } from '../core/load-balancer-link';
import { LoadBalancerModel } from '../core/model';
import { GatewayBudget } from '../core/timing/solver';
import { claimLoadBalancer } from './load-balancer-claim';
import { renderKubeObject } from './render';

/** Arguments of {@link GkeLoadBalancer}: the options of {@link GkeLoadBalancerOptions} and the gateway. */
export interface GkeLoadBalancerArgs extends GkeLoadBalancerOptions {
  /** The gateway the load balancer fronts; its timings are solved again against it. */
  readonly gateway: LoadBalancedGateway;
}

/**
 * A GKE load balancer in front of a hitless gateway (Ingress with NEGs and a BackendConfig, GKE
 * Gateway with HealthCheckPolicy and GCPBackendPolicy, or L4 passthrough), as Kubernetes objects
 * made with `@pulumi/kubernetes`: GKE's controllers make the Google Cloud resources from them, so
 * no `@pulumi/gcp` resource is needed. Timings as the cdk8s face's `GkeLoadBalancer`: one solver.
 *
 * The gateway renders its objects in its constructor, so make this from the gateway's `gke` arg
 * (a child named `<gateway>-gke`); made afterwards, it is refused.
 */
export class GkeLoadBalancer extends pulumi.ComponentResource {
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
  /** The objects of the shape (BackendConfig and Ingress; Gateway, HTTPRoute and the policies; none for l4), as Pulumi resources. */
  public readonly apiObjects: pulumi.CustomResource[];
  private readonly built: BuiltGkeLoadBalancer;

  constructor(name: string, args: GkeLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:GkeLoadBalancer', name, {}, opts);
    const { gateway, ...options } = args;
    claimLoadBalancer(gateway, `GkeLoadBalancer '${name}'`);
    this.built = buildGkeLoadBalancer(options, gateway);
    this.shape = this.built.shape;
    this.model = this.built.model;
    this.budget = this.built.budget;
    this.serviceAnnotations = this.built.serviceAnnotations;
    this.connectionDrainingSeconds = this.built.connectionDrainingSeconds;
    this.apiObjects = this.built.objects.map((object) => renderKubeObject(name, object, { parent: this }));
    this.registerOutputs({ apiObjects: this.apiObjects });
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
