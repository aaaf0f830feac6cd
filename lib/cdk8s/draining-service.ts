import { ApiObject, Chart, Duration, JsonPatch, Lazy, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { drainingDurations, drainingPatch, DrainingServicePlan, MAX_DRAINING_SERVICE_NAME_LENGTH } from '../core/draining-service';
import type { DrainingServiceFacts, DrainingServiceOptions, DrainingTimingOptions } from '../core/draining-service';
import { UpstreamModel } from '../core/model';
import { PreStopAction } from '../core/pre-stop';
import { UpstreamBudget } from '../core/timing/solver';
import { GatewayInFront, RoutableUpstream } from '../core/upstream-link';
import { toCdk8sDuration } from './duration';

/**
 * Applies JSON patches to the Kubernetes JSON an `ApiObject` finally renders.
 *
 * `ApiObject.addJsonPatch` is not enough for cdk8s-plus-27 workloads: their `KubeDeployment` L1
 * applies the patches and then re-serializes the result through its Kubernetes 1.27 types,
 * which drop fields 1.27 did not have (the preStop `sleep` action) and read int-or-string fields
 * (`maxSurge`) as `{ value }` objects, so a plain `maxSurge: 1` vanishes. Patching the rendered
 * JSON puts exactly the Kubernetes fields hitless solved into the manifest.
 */
function patchRendered(resource: ApiObject, patches: JsonPatch[]): void {
  const render = resource.toJson.bind(resource);
  Object.defineProperty(resource, 'toJson', {
    configurable: true,
    value: () => JsonPatch.apply(render(), ...patches),
  });
}

/**
 * The timing props of a draining workload: core's `DrainingTimingOptions`, declared once
 * there. Times are any duration, such as a cdk8s `Duration`.
 */
export interface DrainingTimingProps extends DrainingTimingOptions {}

/**
 * Props of {@link DrainingService}: core's `DrainingServiceOptions` as they are (times as
 * cdk8s `Duration`s or any duration), with a name derived from the construct.
 */
export interface DrainingServiceProps extends Omit<DrainingServiceOptions, 'name'> {
  /**
   * Name of the Deployment and the ClusterIP Service; the headless Service is `<name>-headless`.
   * A DNS label of at most 54 characters.
   * @default - a unique name derived from the construct path
   */
  readonly name?: string;
}

/**
 * A cdk8s-plus `Deployment` of any major (cdk8s-plus-27 to the newest), seen structurally: a
 * construct with containers and replicas whose API object is an `apps/v1` Deployment. Typed this
 * way so that hitless needs no cdk8s-plus of its own and a project on any major compiles.
 */
export interface PlusDeployment extends IConstruct {
  /** The Deployment's containers (cdk8s-plus `Workload.containers`). */
  readonly containers: readonly unknown[];
  /** Desired replicas (cdk8s-plus `Deployment.replicas`). */
  readonly replicas?: number;
}

/** Props of {@link DrainingService.makeDraining}. */
export interface MakeDrainingProps extends DrainingTimingProps {
  /**
   * The gateways in front of the Deployment's pods.
   * @default - none known: a gateway resolving a headless Service by DNS with Kubernetes' defaults is assumed
   */
  readonly gateways?: GatewayInFront[];
}

/** What {@link DrainingService.makeDraining} set on the Deployment. */
export interface MadeDraining {
  readonly budget: UpstreamBudget;
  readonly preStopAction: PreStopAction;
  readonly preStopDelay: Duration;
  readonly terminationGracePeriod: Duration;
  readonly minReady: Duration;
}

/**
 * A Deployment that never drops a request on rollout, scale-in or node drain, with a ClusterIP
 * Service, a headless Service (for gateways that resolve pods by DNS) and a PodDisruptionBudget.
 *
 * Its preStop, grace period and minReadySeconds are solved from the gateways in front: each
 * gateway that routes to it calls {@link registerGateway}, and the manifests are rendered at
 * synth time from the latest solve. Until one registers, a DNS gateway with Kubernetes' defaults
 * is assumed (30 s CoreDNS TTL, 5 s refresh, 5 s health checks).
 */
export class DrainingService extends Construct implements RoutableUpstream {
  /**
   * Makes an existing cdk8s-plus `Deployment` (any major from 27) draining in place: a preStop sleep on every
   * container, terminationGracePeriodSeconds, a surge-only RollingUpdate and minReadySeconds,
   * solved as for a DrainingService and applied as JSON patches to the rendered manifest. Call it after the Deployment's
   * containers are added. Gateways registered later are not seen: pass them in `props.gateways`.
   * @throws when the Deployment has no readiness probe, fewer than 2 replicas, a preStop hook already, or a timing override can't hold
   */
  public static makeDraining(deployment: PlusDeployment, props: MakeDrainingProps = {}): MadeDraining {
    const resource = ApiObject.of(deployment);
    if (resource.apiVersion !== 'apps/v1' || resource.kind !== 'Deployment') {
      throw new Error(`makeDraining takes a cdk8s-plus Deployment; '${deployment.node.path}' is a ${resource.apiVersion} ${resource.kind}`);
    }
    const { gateways, ...timing } = props;
    const patch = drainingPatch(resource.toJson(), timing, gateways ?? []);
    patchRendered(resource, patch.operations.map((operation) => (operation.op === 'add'
      ? JsonPatch.add(operation.path, operation.value)
      : JsonPatch.replace(operation.path, operation.value))));
    const durations = drainingDurations(patch.budget);
    return {
      budget: patch.budget,
      preStopAction: patch.preStopAction,
      preStopDelay: toCdk8sDuration(durations.preStopDelay),
      terminationGracePeriod: toCdk8sDuration(durations.terminationGracePeriod),
      minReady: toCdk8sDuration(durations.minReady),
    };
  }

  // Set from the plan's facts in the constructor (one assignment, so a new fact reaches both faces).
  public readonly name!: string;
  /** The namespace the objects land in (`default` when neither the props nor the chart say). */
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
  /** The Deployment (`Resource`). */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service `<name>`. */
  public readonly service: ApiObject;
  /** The headless Service `<name>-headless`. */
  public readonly headlessService: ApiObject;
  public readonly podDisruptionBudget: ApiObject;

  private readonly plan: DrainingServicePlan;

  constructor(scope: Construct, id: string, props: DrainingServiceProps) {
    super(scope, id);
    this.plan = new DrainingServicePlan({ ...props, name: props.name ?? Names.toDnsLabel(this, { maxLen: MAX_DRAINING_SERVICE_NAME_LENGTH }) },
      () => Chart.of(this).namespace);
    const facts: DrainingServiceFacts = this.plan.facts;
    Object.assign(this, facts);
    this.appDrainTime = Duration.millis(this.plan.spec.appDrainSeconds * 1000);

    // Only the Deployment's spec depends on the gateways; it is produced at synth time so that a
    // gateway registered after this constructor still sets the preStop.
    const initial = this.plan.objects();
    this.deployment = new ApiObject(this, 'Resource', {
      ...initial.deployment,
      spec: Lazy.any({ produce: () => this.plan.objects().deployment.spec }),
    });
    this.service = new ApiObject(this, 'Service', initial.service);
    this.headlessService = new ApiObject(this, 'HeadlessService', initial.headlessService);
    this.podDisruptionBudget = new ApiObject(this, 'DisruptionBudget', initial.podDisruptionBudget);
  }

  /** The timings as currently solved. */
  public get budget(): UpstreamBudget {
    return this.plan.budget;
  }

  /** The preStop sleep (keeps the pod serving while gateways forget it), as currently solved. */
  public get preStopDelay(): Duration {
    return toCdk8sDuration(drainingDurations(this.plan.budget).preStopDelay);
  }

  /** `terminationGracePeriodSeconds`, as currently solved. */
  public get terminationGracePeriod(): Duration {
    return toCdk8sDuration(drainingDurations(this.plan.budget).terminationGracePeriod);
  }

  /** `minReadySeconds`, as currently solved. */
  public get minReady(): Duration {
    return toCdk8sDuration(drainingDurations(this.plan.budget).minReady);
  }

  /** The gateways registered so far. */
  public get gatewaysInFront(): readonly GatewayInFront[] {
    return this.plan.gatewaysInFront;
  }

  /**
   * Tells the service a gateway discovers its pods this way; the timings are solved again over
   * every registered gateway (the assumed default gateway no longer counts).
   * @throws BudgetError when a value set in the props can no longer hold; the gateway is then not registered
   */
  public registerGateway(gateway: GatewayInFront): void {
    this.plan.registerGateway(gateway);
  }

  /** The core model of the objects as they will be synthesized, built from the plan, for `checkUpstream`. */
  public upstreamModel(): UpstreamModel {
    return this.plan.upstreamModel();
  }
}
