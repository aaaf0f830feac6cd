import { asDuration, Duration, DurationLike } from '../duration';
import { KubeObject } from '../kube-object';
import { BudgetError } from '../timing/budget-error';
import { REQUIRED_RETRY_ON } from '../timing/invariants';
import { GLOO_SYSTEM_NAMESPACE } from './upstream';

/**
 * Envoy's retry back-off: base interval 25 ms, capped at 10 × base. Each retry waits at most the
 * cap, so a route timeout covers `numRetries` of them.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
const MAX_RETRY_BACK_OFF = Duration.millis(250);

/** One route of a Gloo VirtualService to an Upstream. */
export interface GlooRouteProps {
  /** Path prefix the route matches. */
  readonly prefix: string;
  /** The Gloo Upstream the route sends to. */
  readonly upstream: { readonly name: string; readonly namespace: string };
  /**
   * Whether requests on this route may be sent twice. Only then does the route also retry on
   * 5xx; a reset or refused connection is retried either way, since the request never reached
   * the application (or, for `reset`, was cut by a pod exiting).
   * @default false
   */
  readonly idempotent?: boolean;
  /**
   * Retries per request. Gloo's retry policy has no `retry_host_predicate` (previous_hosts), so a
   * retry may pick the same exiting pod again; three attempts make it unlikely that every one
   * does under round-robin.
   * @default 3
   */
  readonly numRetries?: number;
  /**
   * Time each attempt may take.
   * @default Duration.seconds(15)
   */
  readonly perTryTimeout?: DurationLike;
  /**
   * Time the whole request may take, every attempt included.
   * @default perTryTimeout × (numRetries + 1) + the longest back-off between attempts
   */
  readonly timeout?: DurationLike;
}

/** A route with every default applied. */
export interface GlooRoutePlan {
  readonly prefix: string;
  readonly upstream: { readonly name: string; readonly namespace: string };
  readonly retryOn: string[];
  readonly numRetries: number;
  readonly perTryTimeout: Duration;
  readonly timeout: Duration;
}

/** The shortest route timeout that lets every retry run to its per-try timeout. */
export function timeoutCoveringRetries(perTryTimeout: Duration, numRetries: number): Duration {
  return perTryTimeout.times(numRetries + 1).plus(MAX_RETRY_BACK_OFF.times(numRetries));
}

/** Applies the defaults of {@link GlooRouteProps} and checks the retry budget. */
export function planGlooRoute(props: GlooRouteProps): GlooRoutePlan {
  if (!props.prefix.startsWith('/')) throw new Error(`'prefix' (${props.prefix}) must start with '/'`);
  const numRetries = props.numRetries ?? 3;
  if (!Number.isInteger(numRetries) || numRetries < 1) {
    throw new BudgetError('numRetries', String(numRetries), 'a whole number of at least 1', 'a request that races a pod leaving must be retried on another pod');
  }
  const perTryTimeout = asDuration(props.perTryTimeout ?? Duration.seconds(15));
  if (perTryTimeout.toMilliseconds() === 0) throw new Error(`'perTryTimeout' (${perTryTimeout}) must be longer than zero`);
  const covering = timeoutCoveringRetries(perTryTimeout, numRetries);
  if (props.timeout !== undefined && asDuration(props.timeout).isShorterThan(covering)) {
    throw new BudgetError(
      'timeout',
      asDuration(props.timeout).toString(),
      `at least perTryTimeout × (numRetries + 1) plus back-off (${covering})`,
      `the route gives up before its ${numRetries} retries of ${perTryTimeout} each have run, so the retries that absorb a rollout never happen`,
    );
  }
  return {
    prefix: props.prefix,
    upstream: props.upstream,
    retryOn: [...REQUIRED_RETRY_ON, ...(props.idempotent ? ['5xx'] : [])],
    numRetries,
    perTryTimeout,
    timeout: asDuration(props.timeout) ?? covering,
  };
}

/** Props of {@link glooVirtualService}. */
export interface GlooVirtualServiceProps {
  readonly name: string;
  /** @default 'gloo-system' */
  readonly namespace?: string;
  /**
   * Host names the virtual host answers.
   * @default ['*']
   */
  readonly domains?: string[];
  readonly routes: GlooRoutePlan[];
}

/**
 * A Gloo `VirtualService` (gateway.solo.io/v1) whose routes retry what a rollout leaves behind:
 * connect failures (a pod gone), refused streams and resets (a pooled connection the pod just
 * closed). Gloo's `RetryPolicy` has no retry host predicate field, so none is written.
 * @see https://docs.solo.io/gloo-edge/latest/reference/api/github.com/solo-io/gloo/projects/gloo/api/v1/options/retries/retries.proto.sk/
 * @see https://github.com/solo-io/gloo/blob/main/projects/gloo/pkg/plugins/basicroute/plugin.go
 */
export function glooVirtualService(props: GlooVirtualServiceProps): KubeObject {
  return {
    apiVersion: 'gateway.solo.io/v1',
    kind: 'VirtualService',
    metadata: { name: props.name, namespace: props.namespace ?? GLOO_SYSTEM_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'hitless' } },
    spec: {
      virtualHost: {
        domains: props.domains ?? ['*'],
        // Longest prefix first: Gloo matches routes in order.
        routes: [...props.routes]
          .sort((a, b) => b.prefix.length - a.prefix.length)
          .map((route) => ({
            matchers: [{ prefix: route.prefix }],
            routeAction: { single: { upstream: { name: route.upstream.name, namespace: route.upstream.namespace } } },
            options: {
              timeout: route.timeout.toProtoJson(),
              retries: { retryOn: route.retryOn.join(','), numRetries: route.numRetries, perTryTimeout: route.perTryTimeout.toProtoJson() },
            },
          })),
      },
    },
  };
}
