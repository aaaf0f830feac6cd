import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DrainingServiceOptions } from '../core/draining-service';
import { DrainingServicePlan } from '../core/draining-service-plan';
import { Duration } from '../core/duration';
import { PreStopAction } from '../core/pre-stop';
import { UpstreamBudget } from '../core/timing/solver';
import { GatewayInFront, RoutableUpstream } from '../core/upstream-link';
import { renderKubeObject } from './render';
import { whenProgramSettles } from './settle';

/**
 * Props of {@link DrainingService}: those of the cdk8s `DrainingService`, with core `Duration`s.
 * `name` defaults to the Pulumi resource name.
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
 * **Gateways and ordering.** The preStop, grace period and minReadySeconds are solved from the
 * gateways in front, but a gateway is created after the services it routes to (it takes them in
 * its `routes`). So the Deployment's `spec` is an Output that resolves once the program has
 * finished its current synchronous run (the next turn of Node's event loop): every
 * `HitlessGateway` constructed by then, in either order, has called {@link registerGateway}, just
 * as every `addRoute` in a cdk8s app has run before synth. Create a service and the gateways that
 * route to it without an `await` in between; a gateway that registers later throws, naming both.
 * Until a gateway registers, a DNS gateway with Kubernetes' defaults is assumed.
 */
export class DrainingService extends pulumi.ComponentResource implements RoutableUpstream {
  public readonly name: string;
  /** The namespace the objects land in (`default` when the props name none). */
  public readonly namespace: string;
  public readonly port: number;
  public readonly healthCheckPath: string;
  public readonly replicas: number;
  public readonly maxSurge: number;
  public readonly preStopAction: PreStopAction;
  public readonly kubernetesVersion: string;
  public readonly appDrainTime: Duration;
  public readonly deploymentObject: string;
  public readonly serviceObject: string;
  public readonly headlessServiceObject: string;
  public readonly headlessDnsName: string;
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The ClusterIP Service `<name>`. */
  public readonly service: k8s.core.v1.Service;
  /** The headless Service `<name>-headless`. */
  public readonly headlessService: k8s.core.v1.Service;
  public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  /** The timings, solved over every gateway registered before the program settled. */
  public readonly budget: pulumi.Output<UpstreamBudget>;

  private readonly plan: DrainingServicePlan;
  private settled = false;

  constructor(name: string, args: DrainingServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('hitless:index:DrainingService', name, {}, opts);
    this.plan = new DrainingServicePlan({ ...args, name: args.name ?? name });
    this.name = this.plan.name;
    this.namespace = this.plan.namespace;
    this.port = this.plan.port;
    this.healthCheckPath = this.plan.healthCheckPath;
    this.replicas = this.plan.replicas;
    this.maxSurge = this.plan.maxSurge;
    this.preStopAction = this.plan.preStopAction;
    this.kubernetesVersion = this.plan.kubernetesVersion;
    this.appDrainTime = Duration.seconds(this.plan.appDrainSeconds);
    this.deploymentObject = this.plan.deploymentObject;
    this.serviceObject = this.plan.serviceObject;
    this.headlessServiceObject = this.plan.headlessServiceObject;
    this.headlessDnsName = this.plan.headlessDnsName;

    const final = whenProgramSettles(() => {
      this.settled = true;
      return this.plan.objects();
    });
    this.budget = pulumi.output(final.then((objects) => objects.budget));
    // Only the Deployment's spec depends on the gateways; everything else is known now.
    const initial = this.plan.objects();
    const children = { parent: this };
    this.deployment = renderKubeObject(
      { ...initial.deployment, spec: pulumi.output(final.then((objects) => objects.deployment.spec)) },
      children,
    ) as k8s.apps.v1.Deployment;
    this.service = renderKubeObject(initial.service, children) as k8s.core.v1.Service;
    this.headlessService = renderKubeObject(initial.headlessService, children) as k8s.core.v1.Service;
    this.podDisruptionBudget = renderKubeObject(initial.podDisruptionBudget, children) as k8s.policy.v1.PodDisruptionBudget;

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
   * Tells the service a gateway discovers its pods this way; the timings are solved again over
   * every registered gateway. `HitlessGateway` calls it for each of its routes.
   * @throws BudgetError when a value set in the props can no longer hold; the gateway is then not registered
   * @throws when the program has already settled and the Deployment's spec is fixed
   */
  public registerGateway(gateway: GatewayInFront): void {
    if (this.settled) {
      throw new Error(
        `gateway ${gateway.gateway} routes to DrainingService '${this.name}' after its Deployment was rendered: ` +
        'create the gateway in the same synchronous part of the program as the service (no await between them), so its discovery delay reaches the preStop',
      );
    }
    this.plan.registerGateway(gateway);
  }
}
