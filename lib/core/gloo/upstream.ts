import { requireObjectRef } from '../object-ref';
import { asDuration, Duration, DurationLike } from '../duration';
import { KubeObject } from '../kube-object';
import { DiscoveryModel, HealthCheckTiming } from '../model';
import { DEFAULT_PROPAGATION_SECONDS } from '../timing/windows';
import { HITLESS_HEALTH_CHECK_DEFAULTS, HITLESS_OUTLIER_DETECTION_DEFAULTS } from '../envoy/defaults';
import { RoutableUpstream } from '../upstream-link';

/** The namespace Gloo Edge is installed in and reads its Upstreams and VirtualServices from by default. */
export const GLOO_SYSTEM_NAMESPACE = 'gloo-system';

/**
 * How long Gloo takes, after the Endpoints of a Service change, to have pushed the new host set
 * to every gateway proxy: its Kubernetes EDS watcher reacts to each informer event, re-lists the
 * ready addresses and the translator sends a new xDS snapshot. There is no debounce in the
 * watcher itself; the translation loop takes longer on installs with many Upstreams, so this
 * is a documented parameter rather than a constant of nature.
 * @see https://github.com/solo-io/gloo/blob/main/projects/gloo/pkg/plugins/kubernetes/eds.go
 */
export const DEFAULT_GLOO_PUSH_SECONDS = 2;

/**
 * The discovery a Gloo gateway proxy has of a Kubernetes Upstream (`spec.kube`): Gloo watches
 * the Service's Endpoints (ready addresses only) and pushes them over EDS.
 */
export function glooEdsDiscovery(pushDelay: Duration = Duration.seconds(DEFAULT_GLOO_PUSH_SECONDS)): DiscoveryModel {
  return { kind: 'eds', propagationSeconds: DEFAULT_PROPAGATION_SECONDS, dnsTtlSeconds: 0, dnsRefreshSeconds: 0, pushSeconds: pushDelay.toSeconds() };
}

/** Active health checks a Gloo Upstream runs on each pod. */
export interface GlooHealthCheckProps {
  /**
   * Time between checks; also used as `noTrafficInterval`, so that an idle cluster notices a new pod as quickly.
   * @default Duration.seconds(5)
   */
  readonly interval?: DurationLike;
  /** @default Duration.seconds(1) */
  readonly timeout?: DurationLike;
  /** @default 1 */
  readonly healthyThreshold?: number;
  /** @default 2 */
  readonly unhealthyThreshold?: number;
}

/** Passive health checks (outlier detection) on a Gloo Upstream. */
export interface GlooOutlierDetectionProps {
  /** @default 5 */
  readonly consecutive5xx?: number;
  /** @default Duration.seconds(10) */
  readonly interval?: DurationLike;
  /** @default Duration.seconds(30) */
  readonly baseEjectionTime?: DurationLike;
  /**
   * Kept below 100 so that outlier detection can never eject every pod of a small service.
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/** Props of {@link glooUpstream}. */
export interface GlooUpstreamProps {
  /** The service to route to: its ClusterIP Service, port and readiness path. */
  readonly service: Pick<RoutableUpstream, 'serviceObject' | 'port' | 'healthCheckPath'>;
  /**
   * Name of the Upstream. Gloo's own discovery names Upstreams `<namespace>-<service>-<port>`;
   * the prefix keeps this one apart from a discovered twin.
   * @default `hitless-<namespace>-<service>-<port>`
   */
  readonly name?: string;
  /**
   * Namespace of the Upstream; Gloo must watch it.
   * @default 'gloo-system'
   */
  readonly namespace?: string;
  readonly healthCheck?: GlooHealthCheckProps;
  readonly outlierDetection?: GlooOutlierDetectionProps;
}

/** What a Gloo Upstream resolves to, with every default applied. */
export interface GlooUpstreamPlan {
  readonly name: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly serviceNamespace: string;
  readonly servicePort: number;
  readonly healthCheckPath: string;
  readonly healthCheck: HealthCheckTiming;
  readonly outlierDetection: { readonly consecutive5xx: number; readonly intervalSeconds: number; readonly baseEjectionSeconds: number; readonly maxEjectionPercent: number };
}

function positiveInteger(prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`'${prop}' (${value}) must be a whole number of at least 1`);
  return value;
}

/** Applies the defaults of {@link GlooUpstreamProps}. */
export function planGlooUpstream(props: GlooUpstreamProps): GlooUpstreamPlan {
  const service = requireObjectRef(props.service.serviceObject);
  const hc = props.healthCheck ?? {};
  const od = props.outlierDetection ?? {};
  const interval = asDuration(hc.interval ?? HITLESS_HEALTH_CHECK_DEFAULTS.interval);
  const timeout = asDuration(hc.timeout ?? HITLESS_HEALTH_CHECK_DEFAULTS.timeout);
  if (!timeout.isShorterThan(interval)) {
    throw new Error(`'healthCheck.timeout' (${timeout}) must be shorter than 'healthCheck.interval' (${interval}): a check still running when the next is due is counted as failed`);
  }
  const maxEjectionPercent = od.maxEjectionPercent ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.maxEjectionPercent;
  if (maxEjectionPercent < 0 || maxEjectionPercent > 100) throw new Error(`'outlierDetection.maxEjectionPercent' (${maxEjectionPercent}) must be between 0 and 100`);
  return {
    name: props.name ?? `hitless-${service.namespace}-${service.name}-${props.service.port}`,
    namespace: props.namespace ?? GLOO_SYSTEM_NAMESPACE,
    serviceName: service.name,
    serviceNamespace: service.namespace,
    servicePort: props.service.port,
    healthCheckPath: props.service.healthCheckPath,
    healthCheck: {
      intervalSeconds: interval.toSeconds(),
      timeoutSeconds: timeout.toSeconds(),
      healthyThreshold: positiveInteger('healthCheck.healthyThreshold', hc.healthyThreshold ?? HITLESS_HEALTH_CHECK_DEFAULTS.healthyThreshold),
      unhealthyThreshold: positiveInteger('healthCheck.unhealthyThreshold', hc.unhealthyThreshold ?? HITLESS_HEALTH_CHECK_DEFAULTS.unhealthyThreshold),
    },
    outlierDetection: {
      consecutive5xx: positiveInteger('outlierDetection.consecutive5xx', od.consecutive5xx ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.consecutive5xx),
      intervalSeconds: asDuration(od.interval ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.interval).toSeconds(),
      baseEjectionSeconds: asDuration(od.baseEjectionTime ?? HITLESS_OUTLIER_DETECTION_DEFAULTS.baseEjectionTime).toSeconds(),
      maxEjectionPercent,
    },
  };
}

/** Seconds in the protobuf JSON form Gloo's CRDs take (`"5s"`, `"0.500s"`). */
function protoSeconds(seconds: number): string {
  return Duration.millis(Math.round(seconds * 1000)).toProtoJson();
}

/**
 * A Gloo `Upstream` (gloo.solo.io/v1) for a Kubernetes Service: Gloo discovers its pods over
 * EDS, health-checks each one, ejects those that fail requests, and drops a pod as soon as it
 * leaves the Endpoints even while it still passes health checks (`ignoreHealthOnHostRemoval`):
 * a pod in its preStop sleep still does.
 * @see https://docs.solo.io/gloo-edge/latest/reference/api/github.com/solo-io/gloo/projects/gloo/api/v1/upstream.proto.sk/
 * @see https://docs.solo.io/gloo-edge/latest/operations/advanced/zero-downtime-gateway-rollout/
 */
export function glooUpstream(plan: GlooUpstreamPlan): KubeObject {
  return {
    apiVersion: 'gloo.solo.io/v1',
    kind: 'Upstream',
    metadata: { name: plan.name, namespace: plan.namespace, labels: { 'app.kubernetes.io/managed-by': 'hitless' } },
    spec: {
      kube: { serviceName: plan.serviceName, serviceNamespace: plan.serviceNamespace, servicePort: plan.servicePort },
      healthChecks: [
        {
          httpHealthCheck: { path: plan.healthCheckPath },
          interval: protoSeconds(plan.healthCheck.intervalSeconds),
          noTrafficInterval: protoSeconds(plan.healthCheck.intervalSeconds),
          timeout: protoSeconds(plan.healthCheck.timeoutSeconds),
          healthyThreshold: plan.healthCheck.healthyThreshold,
          unhealthyThreshold: plan.healthCheck.unhealthyThreshold,
        },
      ],
      outlierDetection: {
        consecutive5xx: plan.outlierDetection.consecutive5xx,
        interval: protoSeconds(plan.outlierDetection.intervalSeconds),
        baseEjectionTime: protoSeconds(plan.outlierDetection.baseEjectionSeconds),
        maxEjectionPercent: plan.outlierDetection.maxEjectionPercent,
      },
      ignoreHealthOnHostRemoval: true,
    },
  };
}
