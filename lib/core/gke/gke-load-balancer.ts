import { asDuration, DurationLike } from '../duration';
import { explainGatewayBudget } from '../explain';
import { ExplainedTimeline } from '../explained-timeline';
import { KubeObject } from '../kube-object';
import { attachPlannedLoadBalancer, LoadBalancedGateway } from '../load-balancer-link';
import { HealthCheckTiming, LoadBalancerModel } from '../model';
import { objectRef, requireObjectRef } from '../object-ref';
import { solveConnectionDrainingSeconds } from '../timing/gke';
import { GatewayBudget } from '../timing/solver';
import {
  checkGkeRange, controllerDefaultHealthCheck, GKE_LIMITS, GkeLimitError, GkeShape, DEFAULT_NEG_DETACH_SECONDS, HITLESS_GKE_HEALTH_CHECK,
} from './defaults';
import { gkeLoadBalancerModel } from './model';
import {
  backendConfig, gcpBackendPolicy, gkeGateway, gkeHttpRoute, gkeIngress, healthCheckPolicy, l4ServiceAnnotations, negServiceAnnotations,
} from './objects';

/** Options of {@link buildGkeLoadBalancer}. */
export interface GkeLoadBalancerOptions {
  /**
   * Which GKE load balancer fronts the gateway:
   * - `ingress`: an Ingress (class `gce`) with NEGs and a BackendConfig;
   * - `gateway`: a GKE Gateway with an HTTPRoute, a HealthCheckPolicy and a GCPBackendPolicy;
   * - `l4`: an L4 passthrough LoadBalancer Service (`GCE_VM_IP` NEGs: nodes are the members).
   * @default 'ingress'
   */
  readonly shape?: GkeShape;
  /**
   * How long after a pod starts terminating the load balancer may still send it new requests
   * through its NEG (NEG shapes). Undocumented; measure it on your cluster.
   * @default Duration.seconds(40) - Google's support article's example (`sleep 40`)
   * @see https://github.com/kubernetes/ingress-gce/issues/1574
   */
  readonly negDetachLatency?: DurationLike;
  /**
   * Time between health checks (1–300 s, whole seconds; NEG shapes only: GKE sets the L4 ones).
   * @default Duration.seconds(5)
   * @see https://cloud.google.com/load-balancing/docs/health-check-concepts
   */
  readonly healthCheckInterval?: DurationLike;
  /**
   * Health check timeout (1–300 s, at most the interval).
   * @default Duration.seconds(5)
   */
  readonly healthCheckTimeout?: DurationLike;
  /**
   * Passing checks before an endpoint receives traffic (1–10).
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Failing checks before an endpoint stops receiving traffic (1–10).
   * @default 2
   */
  readonly unhealthyThreshold?: number;
  /**
   * `connectionDraining.drainingTimeoutSec` (0–3600 s): how long requests in flight on a detached
   * endpoint may go on (NEG shapes).
   * @default - the gateway's drain timeout plus margin
   * @see https://cloud.google.com/load-balancing/docs/enabling-connection-draining
   */
  readonly connectionDrainingTimeout?: DurationLike;
  /**
   * Ingress class (`ingress` shape).
   * @default 'gce'
   */
  readonly ingressClass?: 'gce' | 'gce-internal';
  /**
   * GatewayClass of the Gateway (`gateway` shape).
   * @default 'gke-l7-global-external-managed'
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/gateway-api#gatewayclass
   */
  readonly gatewayClassName?: string;
  /**
   * Port of the Gateway's HTTP listener (`gateway` shape).
   * @default 80
   */
  readonly listenerPort?: number;
  /**
   * An internal passthrough load balancer instead of an external one (`l4` shape).
   * @default false
   */
  readonly internal?: boolean;
}

/** What both faces render for a GKE load balancer in front of a gateway. */
export interface BuiltGkeLoadBalancer {
  readonly shape: GkeShape;
  /** The load balancer as the gateway, `hitless check` and `hitless simulate` see it. */
  readonly model: LoadBalancerModel;
  /** The gateway's timings behind it. */
  readonly budget: GatewayBudget;
  /** Annotations put on the gateway's Service. */
  readonly serviceAnnotations: Record<string, string>;
  /** `connectionDraining.drainingTimeoutSec` as set (0 for `l4`, which has no detach). */
  readonly connectionDrainingSeconds: number;
  /** BackendConfig, HealthCheckPolicy, GCPBackendPolicy, Ingress, Gateway, HTTPRoute: those of the shape. */
  readonly objects: KubeObject[];
  /** The termination of one gateway pod behind this load balancer, step by step, with the margins. */
  explain(): ExplainedTimeline;
}

/** A duration option in seconds; `checkGkeRange` then refuses what is not whole. */
function secondsOf(value: DurationLike | undefined): number | undefined {
  return value === undefined ? undefined : asDuration(value).toSeconds();
}

function resolveHealthCheck(options: GkeLoadBalancerOptions, shape: GkeShape): HealthCheckTiming {
  const set = options.healthCheckInterval ?? options.healthCheckTimeout ?? options.healthyThreshold ?? options.unhealthyThreshold;
  if (shape === 'l4') {
    if (set !== undefined) {
      const prop = options.healthCheckInterval ? 'healthCheckInterval' : options.healthCheckTimeout ? 'healthCheckTimeout' : options.healthyThreshold !== undefined ? 'healthyThreshold' : 'unhealthyThreshold';
      throw new GkeLimitError(prop, 'set', "left unset with shape 'l4'", 'GKE makes the L4 health checks itself (kube-proxy health on every node, 3 s / 1 s / 1 / 2 with externalTrafficPolicy Local) and overwrites changes');
    }
    return controllerDefaultHealthCheck('l4', 'Local');
  }
  const interval = checkGkeRange('healthCheckInterval', secondsOf(options.healthCheckInterval) ?? HITLESS_GKE_HEALTH_CHECK.intervalSeconds, GKE_LIMITS.healthCheckIntervalSeconds);
  const timeout = checkGkeRange('healthCheckTimeout', secondsOf(options.healthCheckTimeout) ?? Math.min(HITLESS_GKE_HEALTH_CHECK.timeoutSeconds, interval), GKE_LIMITS.healthCheckTimeoutSeconds);
  if (timeout > interval) throw new GkeLimitError('healthCheckTimeout', `${timeout}s`, `at most healthCheckInterval (${interval}s)`, 'Compute Engine refuses a health check whose timeout is longer than its interval');
  return {
    intervalSeconds: interval,
    timeoutSeconds: timeout,
    healthyThreshold: checkGkeRange('healthyThreshold', options.healthyThreshold ?? HITLESS_GKE_HEALTH_CHECK.healthyThreshold, GKE_LIMITS.healthyThreshold),
    unhealthyThreshold: checkGkeRange('unhealthyThreshold', options.unhealthyThreshold ?? HITLESS_GKE_HEALTH_CHECK.unhealthyThreshold, GKE_LIMITS.unhealthyThreshold),
  };
}

/**
 * Checks the options that only some shapes take, and the listener port.
 * @throws GkeLimitError naming the prop set for a shape that has no such setting
 */
function checkShapeOptions(options: GkeLoadBalancerOptions, shape: GkeShape): void {
  if (shape === 'l4') {
    for (const [prop, value] of [['negDetachLatency', options.negDetachLatency], ['connectionDrainingTimeout', options.connectionDrainingTimeout]] as const) {
      if (value !== undefined) throw new GkeLimitError(prop, `${asDuration(value).toSeconds()}s`, "left unset with shape 'l4'", 'an L4 passthrough load balancer has nodes as members: no pod is detached, and nothing drains on detach');
    }
  }
  if (shape !== 'ingress' && options.ingressClass !== undefined) throw new GkeLimitError('ingressClass', options.ingressClass, "used with shape 'ingress' only", 'only an Ingress has a class');
  if (shape !== 'gateway' && (options.gatewayClassName !== undefined || options.listenerPort !== undefined)) {
    throw new GkeLimitError(options.gatewayClassName !== undefined ? 'gatewayClassName' : 'listenerPort', String(options.gatewayClassName ?? options.listenerPort), "used with shape 'gateway' only", 'only a Gateway has a class and listeners');
  }
  if (shape !== 'l4' && options.internal !== undefined) throw new GkeLimitError('internal', String(options.internal), "used with shape 'l4' only", "an internal Ingress or Gateway is chosen by its class ('gce-internal', 'gke-l7-rilb')");
  const listenerPort = options.listenerPort ?? 80;
  if (!Number.isInteger(listenerPort) || listenerPort < 1 || listenerPort > 65535) throw new GkeLimitError('listenerPort', String(listenerPort), 'a port number within 1–65535', 'it is a TCP port');
}

/** The objects of the shape: BackendConfig and Ingress; Gateway, HTTPRoute and the two policies; none for `l4`. */
function shapeObjects(options: GkeLoadBalancerOptions, shape: GkeShape, gateway: LoadBalancedGateway, healthCheck: HealthCheckTiming, draining: number): KubeObject[] {
  const { namespace, name } = requireObjectRef(gateway.serviceObject);
  const target = { name, namespace };
  const settings = { ...healthCheck, requestPath: gateway.healthCheckPath };
  if (shape === 'ingress') {
    return [backendConfig(target, settings, draining), gkeIngress(target, name, gateway.trafficPort, options.ingressClass ?? 'gce')];
  }
  if (shape === 'gateway') {
    return [
      gkeGateway(target, options.gatewayClassName ?? 'gke-l7-global-external-managed', options.listenerPort ?? 80),
      gkeHttpRoute(target, name, name, gateway.trafficPort),
      healthCheckPolicy(target, name, settings),
      gcpBackendPolicy(target, name, draining),
    ];
  }
  return [];
}

/**
 * A GKE load balancer in front of a hitless gateway, as both faces' `GkeLoadBalancer` build it:
 * checks the options (Compute Engine's ranges, and that they fit the shape), derives connection
 * draining from the gateway's drain behind this load balancer (asked of the gateway's pure
 * solver: it keeps serving until the NEG detach or the health check has stopped new requests,
 * plus margin), attaches the load balancer once, and builds the objects of the shape.
 * @throws GkeLimitError for a value GKE refuses; BudgetError for one that breaks the chain
 */
export function buildGkeLoadBalancer(options: GkeLoadBalancerOptions, gateway: LoadBalancedGateway): BuiltGkeLoadBalancer {
  const shape = options.shape ?? 'ingress';
  const healthCheck = resolveHealthCheck(options, shape);
  const neg = shape !== 'l4';
  checkShapeOptions(options, shape);
  const detach = neg ? checkGkeRange('negDetachLatency', secondsOf(options.negDetachLatency) ?? DEFAULT_NEG_DETACH_SECONDS, GKE_LIMITS.negDetachSeconds, 'it is a length of time, in whole seconds') : 0;
  const drainingOverride = options.connectionDrainingTimeout !== undefined
    ? checkGkeRange('connectionDrainingTimeout', asDuration(options.connectionDrainingTimeout).toSeconds(), GKE_LIMITS.connectionDrainingSeconds)
    : undefined;

  const { namespace, name } = requireObjectRef(gateway.serviceObject);
  const configuredBy = shape === 'ingress' ? [objectRef('BackendConfig', namespace, name)] : shape === 'gateway' ? [objectRef('HealthCheckPolicy', namespace, name), objectRef('GCPBackendPolicy', namespace, name)] : [];
  const modelWith = (drainingSeconds: number): LoadBalancerModel => gkeLoadBalancerModel({
    object: gateway.serviceObject,
    shape,
    healthCheck,
    ...(neg ? { healthCheckPath: gateway.healthCheckPath } : {}),
    negDetachSeconds: detach,
    connectionDrainingSeconds: drainingSeconds,
    healthCheckSource: shape === 'ingress' ? 'backend-config' : shape === 'gateway' ? 'health-check-policy' : 'controller-default',
    configuredBy,
  });
  const serviceAnnotations = shape === 'ingress' ? negServiceAnnotations(name) : shape === 'l4' ? l4ServiceAnnotations(options.internal ?? false) : {};
  const { planned, budget } = attachPlannedLoadBalancer(gateway, (solveBudget) => {
    // Connection draining follows the gateway's drain behind this load balancer.
    const drain = solveBudget(modelWith(drainingOverride ?? 0));
    const draining = neg ? solveConnectionDrainingSeconds(drain.drainTimeoutSeconds, drainingOverride, 'connectionDrainingTimeout', drain.marginSeconds) : 0;
    checkGkeRange('connectionDrainingTimeout', draining, GKE_LIMITS.connectionDrainingSeconds, "the gateway's drain is longer than GKE's longest connection draining; shorten the drain");
    return { draining, attachment: { model: modelWith(draining), serviceAnnotations, serviceTypeLoadBalancer: shape === 'l4' } };
  });
  const model = planned.attachment.model;
  return {
    shape,
    model,
    budget,
    serviceAnnotations,
    connectionDrainingSeconds: planned.draining,
    objects: shapeObjects(options, shape, gateway, healthCheck, planned.draining),
    explain: () => explainGatewayBudget({ gateway: gateway.workloadObject, loadBalancer: model, budget }),
  };
}
