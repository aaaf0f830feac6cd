/** The options a gateway is built from: what both faces' props and args extend. */
import { DurationLike } from '../duration';
import { ActiveHealthCheckOptions, OutlierDetectionOptions } from '../envoy/cluster';
import { EdgeHardeningOptions } from '../envoy/edge-hardening';
import { RouteRetryOptions } from '../envoy/route';
import { RoutableUpstream } from '../upstream-link';
import { GatewayDrain } from './drain';
import { GatewayWorkload } from './workload';

/** Serve HTTPS from a Kubernetes TLS Secret. */
export interface GatewayTlsOptions {
  /** A `kubernetes.io/tls` Secret (keys `tls.crt`, `tls.key`) in the gateway's namespace. */
  readonly secretName: string;
  /** @default 8443 */
  readonly port?: number;
  /** @default 443 */
  readonly servicePort?: number;
}

/** Container resources, as Kubernetes quantities. */
export interface GatewayResources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

/**
 * Everything a gateway is built from; each prop is optional but `name`. Both faces take these
 * (times as any `{ toMilliseconds() }`: a cdk8s `Duration`, or `seconds(30)` outside cdk8s).
 */
export interface GatewayPlanOptions {
  /** Name of every object (the ConfigMap gets `-envoy`). */
  readonly name: string;
  /** @default 'default' */
  readonly namespace?: string;
  /**
   * How the pods run.
   * @default GatewayWorkload.deployment({ replicas: 2 })
   */
  readonly workload?: GatewayWorkload;
  /**
   * How the pods drain.
   * @default GatewayDrain.bashAdminScript()
   */
  readonly drain?: GatewayDrain;
  /**
   * Envoy image.
   * @default 'docker.io/envoyproxy/envoy:v1.35.0'
   */
  readonly image?: string;
  /**
   * The limits Envoy's edge guidance asks of an internet-facing proxy, each overridable: a global
   * downstream connection limit (overload manager), 32 KiB connection buffers, HTTP/2 stream and
   * window limits, a deadline for request headers, and only loopback counted as internal.
   * @default - the edge guidance's values
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/best_practices/edge
   */
  readonly edgeHardening?: EdgeHardeningOptions;
  /**
   * Container port of the HTTP listener; below 1024 the container gets NET_BIND_SERVICE.
   * @default 8080
   */
  readonly httpPort?: number;
  /**
   * Service port clients connect to.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Serve HTTPS too, from a `kubernetes.io/tls` Secret.
   * @default - HTTP only
   */
  readonly tls?: GatewayTlsOptions;
  /**
   * Envoy admin port, on 127.0.0.1 only.
   * @default 9901 (19000 with the Envoy Gateway shutdown manager, which needs it)
   */
  readonly adminPort?: number;
  /**
   * Path Envoy's health check filter answers: 200, then 503 once the pod drains. Point the load
   * balancer's health check here.
   * @default '/envoy-hc'
   * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/health_check_filter
   */
  readonly healthCheckPath?: string;
  /**
   * How long, after the keep-serving window, the drain waits for open connections to close.
   * Whole seconds, at least 1.
   * @default Duration.seconds(30)
   */
  readonly drainTimeout?: DurationLike;
  /**
   * Downstream `idle_timeout`. A keep-alive connection that carries no request is closed by Envoy
   * only when it has been idle this long (the drain closes connections only as requests pass),
   * so it must not exceed the drain timeout: a connection that goes idle as the drain starts is
   * then closed cleanly by Envoy before the pod exits, instead of cut. Under 350 s, the NLB's
   * idle timeout.
   * @default - half the drain timeout (15s), leaving the other half for requests in flight
   */
  readonly idleTimeout?: DurationLike;
  /**
   * How long the pod keeps serving after failing its health check, so that the load balancer
   * has stopped sending before the listeners drain. Whole seconds.
   * @default - derived: the load balancer's detection window plus margin (31s behind the assumed NLB)
   */
  readonly keepServing?: DurationLike;
  /**
   * `terminationGracePeriodSeconds`. Whole seconds.
   * @default - derived: keepServing + drainTimeout + margin
   */
  readonly terminationGracePeriod?: DurationLike;
  /**
   * `minReadySeconds`. Whole seconds.
   * @default - derived: the load balancer's recovery window plus margin (25s behind the assumed NLB)
   */
  readonly minReady?: DurationLike;
  /**
   * `dns_refresh_rate` of the upstream clusters.
   * @default Duration.seconds(5)
   */
  readonly dnsRefreshRate?: DurationLike;
  /**
   * Age a cluster DNS answer may have (CoreDNS `ttl` and `cache`): part of the time a deleted
   * upstream pod may still be chosen.
   * @default Duration.seconds(30)
   * @see https://github.com/kubernetes/kubernetes/issues/76238
   */
  readonly dnsTtl?: DurationLike;
  /**
   * Active health checks of the upstream pods; the upstreams' minReadySeconds include one interval.
   * @default - see ActiveHealthCheckOptions
   */
  readonly activeHealthCheck?: ActiveHealthCheckOptions;
  /**
   * Outlier detection of the upstream pods.
   * @default - see OutlierDetectionOptions
   */
  readonly outlierDetection?: OutlierDetectionOptions;
  /**
   * Upstream `connect_timeout`.
   * @default Duration.seconds(1)
   */
  readonly connectTimeout?: DurationLike;
  /** @default - requests 250m CPU and 256Mi, limit 512Mi memory */
  readonly resources?: GatewayResources;
  /**
   * Extra labels on every object and pod.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** A route, as `addRoute` takes it. */
export interface GatewayRouteOptions extends RouteRetryOptions {
  /** Match on a path prefix. Exactly one of `prefix` and `path`. */
  readonly prefix?: string;
  /** Match on an exact path. */
  readonly path?: string;
  /** The service to send to; it learns of this gateway and derives its preStop from it. */
  readonly service: RoutableUpstream;
  /** @default - the cluster name, with a number after the first route to it */
  readonly name?: string;
}
