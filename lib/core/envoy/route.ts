import { EnvoyRouteModel } from '../model';
import { asDuration, Duration, DurationLike } from '../duration';
import { REQUIRED_RETRY_ON } from '../timing/invariants';
import { BudgetError } from '../timing/budget-error';
import { PREVIOUS_HOSTS_PREDICATE_NAME, PREVIOUS_HOSTS_PREDICATE_TYPE } from './type-urls';

/**
 * Envoy's default retry back-off base interval; the builder states it explicitly so the route
 * timeout arithmetic below never depends on a default that could change.
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-max-retries
 */
export const RETRY_BACK_OFF_BASE = Duration.millis(25);

/** Envoy caps each back-off at ten times the base by default; stated explicitly for the same reason. */
export const RETRY_BACK_OFF_MAX = Duration.millis(250);

/** Retries per request unless the route says otherwise: one for the race, one more for a second pod exiting at the same moment (a surge of two). */
export const DEFAULT_NUM_RETRIES = 2;

/** Each try's deadline unless the route says otherwise. */
export const DEFAULT_PER_TRY_TIMEOUT = Duration.seconds(5);

/**
 * How many times Envoy may re-pick a host that the previous_hosts predicate rejects. Three picks
 * find a fresh pod among a handful even when the load balancer keeps landing on tried ones.
 */
export const DEFAULT_HOST_SELECTION_RETRY_MAX_ATTEMPTS = 3;

/** Retry conditions for requests that may safely be sent twice: any 5xx (the app failed, another pod may not). */
const IDEMPOTENT_RETRY_ON = ['5xx'];

/** How a route retries and times out. */
export interface RouteRetryOptions {
  /**
   * Whether requests on this route may be repeated safely (GET, PUT with the same body...). Only
   * then does the route also retry on 5xx answers and `retriableStatusCodes`: retrying a
   * non-idempotent request the upstream already acted on would apply it twice.
   * @default false
   */
  readonly idempotent?: boolean;
  /**
   * `num_retries`: retries after the first try.
   * @default 2
   * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#envoy-v3-api-msg-config-route-v3-retrypolicy
   */
  readonly retries?: number;
  /**
   * `per_try_timeout`: the deadline of each try, so a hung pod costs one try and not the whole request.
   * @default Duration.seconds(5)
   */
  readonly perTryTimeout?: DurationLike;
  /**
   * The route's overall `timeout`. It must leave room for every try and the back-off between
   * them, else Envoy gives up while a retry would still succeed.
   * @default - (retries + 1) × perTryTimeout + the longest back-off
   */
  readonly timeout?: DurationLike;
  /**
   * Further status codes to retry (`retriable-status-codes`); only on idempotent routes.
   * @default - none
   */
  readonly retriableStatusCodes?: number[];
  /**
   * `host_selection_retry_max_attempts`.
   * @default 3
   */
  readonly hostSelectionRetryMaxAttempts?: number;
}

/** One route of the gateway, before it is turned into Envoy JSON. */
export interface EnvoyRouteOptions extends RouteRetryOptions {
  /** Route name (Envoy `Route.name`), used in findings. */
  readonly name: string;
  /** The cluster it sends to. */
  readonly cluster: string;
  /** Match on a path prefix. Exactly one of `prefix` and `path`. */
  readonly prefix?: string;
  /** Match on an exact path. Exactly one of `prefix` and `path`. */
  readonly path?: string;
}

/** A route with every default applied and every bound checked. */
export interface ResolvedRoute {
  readonly name: string;
  readonly cluster: string;
  readonly match: { readonly prefix: string } | { readonly path: string };
  readonly idempotent: boolean;
  readonly retryOn: string[];
  readonly numRetries: number;
  readonly perTryTimeout: Duration;
  readonly timeout: Duration;
  readonly retriableStatusCodes: number[];
  readonly hostSelectionRetryMaxAttempts: number;
}

/**
 * The longest total back-off Envoy can wait across `numRetries` retries: retry k waits up to
 * (2^k − 1) × base, capped at the maximum interval (fully jittered exponential back-off).
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#config-http-filters-router-x-envoy-max-retries
 */
export function maxRetryBackOff(numRetries: number, base: Duration = RETRY_BACK_OFF_BASE, max: Duration = RETRY_BACK_OFF_MAX): Duration {
  let total = Duration.ZERO;
  for (let retry = 1; retry <= numRetries; retry++) {
    const ceiling = base.times(2 ** retry - 1);
    total = total.plus(ceiling.isLongerThan(max) ? max : ceiling);
  }
  return total;
}

/** The shortest route timeout that lets every try run to its own deadline: (retries + 1) × perTryTimeout + back-off. */
export function minimumRouteTimeout(numRetries: number, perTryTimeout: Duration): Duration {
  return perTryTimeout.times(numRetries + 1).plus(maxRetryBackOff(numRetries));
}

function checkPath(prop: string, value: string): void {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    throw new Error(`'${prop}' (${JSON.stringify(value)}) must start with '/'`);
  }
}

/** Applies defaults and checks bounds; errors name the prop, the value and the bound. */
export function resolveRoute(options: EnvoyRouteOptions): ResolvedRoute {
  if ((options.prefix === undefined) === (options.path === undefined)) {
    throw new Error(`route '${options.name}' must set exactly one of 'prefix' and 'path' (got ${options.prefix === undefined ? 'neither' : 'both'})`);
  }
  if (options.prefix !== undefined) checkPath('prefix', options.prefix);
  if (options.path !== undefined) checkPath('path', options.path);
  const idempotent = options.idempotent ?? false;
  const numRetries = options.retries ?? DEFAULT_NUM_RETRIES;
  if (!Number.isInteger(numRetries) || numRetries < 1) {
    throw new Error(`'retries' (${numRetries}) must be a whole number, at least 1: a request that races a pod's exit (connection reset, refused stream) fails unless it is retried on another pod`);
  }
  const perTryTimeout = asDuration(options.perTryTimeout ?? DEFAULT_PER_TRY_TIMEOUT);
  if (perTryTimeout.toMilliseconds() < 1) {
    throw new Error(`'perTryTimeout' (${perTryTimeout}) must be at least 1ms: Envoy reads 0 as no per-try deadline, and a hung pod would take the whole request`);
  }
  const required = minimumRouteTimeout(numRetries, perTryTimeout);
  const timeout = asDuration(options.timeout) ?? required;
  if (timeout.isShorterThan(required)) {
    throw new BudgetError(
      'timeout',
      timeout.toString(),
      `at least (retries + 1) × perTryTimeout + back-off (${required})`,
      `${numRetries + 1} tries of up to ${perTryTimeout} each, with up to ${maxRetryBackOff(numRetries)} of back-off between them, must fit in the route timeout or the last retry is cut short`,
    );
  }
  const codes = options.retriableStatusCodes ?? [];
  if (codes.length > 0 && !idempotent) {
    throw new Error(`'retriableStatusCodes' (${codes.join(', ')}) must be empty unless 'idempotent' is true: an upstream that answered may have acted on the request, and a retry would apply it twice`);
  }
  for (const code of codes) {
    if (!Number.isInteger(code) || code < 100 || code > 599) {
      throw new Error(`'retriableStatusCodes' (${code}) must hold HTTP status codes, 100 to 599`);
    }
  }
  const attempts = options.hostSelectionRetryMaxAttempts ?? DEFAULT_HOST_SELECTION_RETRY_MAX_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new Error(`'hostSelectionRetryMaxAttempts' (${attempts}) must be a whole number, at least 1: the previous_hosts predicate needs at least one re-pick to steer a retry off the failed pod`);
  }
  const retryOn = [...REQUIRED_RETRY_ON, ...(idempotent ? IDEMPOTENT_RETRY_ON : []), ...(codes.length > 0 ? ['retriable-status-codes'] : [])];
  return {
    name: options.name,
    cluster: options.cluster,
    match: options.prefix !== undefined ? { prefix: options.prefix } : { path: options.path! },
    idempotent,
    retryOn,
    numRetries,
    perTryTimeout,
    timeout,
    retriableStatusCodes: codes,
    hostSelectionRetryMaxAttempts: attempts,
  };
}

/**
 * A `config.route.v3.Route` as proto3 JSON. The retry policy covers the races a rollout leaves
 * (a pooled connection the pod just closed, a refused HTTP/2 stream, a pod gone mid-connect) and
 * sends each retry to another host.
 */
export function envoyRoute(route: ResolvedRoute): Record<string, unknown> {
  return {
    name: route.name,
    match: { ...route.match },
    route: {
      cluster: route.cluster,
      timeout: route.timeout.toProtoJson(),
      retry_policy: {
        retry_on: route.retryOn.join(','),
        num_retries: route.numRetries,
        per_try_timeout: route.perTryTimeout.toProtoJson(),
        retry_host_predicate: [{ name: PREVIOUS_HOSTS_PREDICATE_NAME, typed_config: { '@type': PREVIOUS_HOSTS_PREDICATE_TYPE } }],
        host_selection_retry_max_attempts: String(route.hostSelectionRetryMaxAttempts),
        retry_back_off: { base_interval: RETRY_BACK_OFF_BASE.toProtoJson(), max_interval: RETRY_BACK_OFF_MAX.toProtoJson() },
        ...(route.retriableStatusCodes.length > 0 ? { retriable_status_codes: [...route.retriableStatusCodes] } : {}),
      },
    },
  };
}

/** The model of a route {@link envoyRoute} emits: its retries always go to another host. */
export function envoyRouteModel(route: ResolvedRoute): EnvoyRouteModel {
  return {
    name: route.name,
    cluster: route.cluster,
    retryOn: [...route.retryOn],
    // Envoy retries nothing without a retry_on, whatever num_retries says.
    numRetries: route.retryOn.length === 0 ? 0 : route.numRetries,
    previousHosts: true,
    hostSelectionRetryMaxAttempts: route.hostSelectionRetryMaxAttempts,
    perTryTimeoutSeconds: route.perTryTimeout.toSeconds(),
    timeoutSeconds: route.timeout.toSeconds(),
  };
}
