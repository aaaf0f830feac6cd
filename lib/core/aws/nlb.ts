import { BudgetError } from '../timing/budget-error';
import { asDuration, Duration, DurationLike } from '../duration';
import { formatSeconds as s } from '../finding';
import { GatewayBudgetSolver } from '../load-balancer-link';
import { LoadBalancerModel } from '../model';
import { GatewayBudget } from '../timing/solver';
import { DEFAULT_IP_DEREGISTRATION_LAG_SECONDS, earliestUnhealthySeconds, requiredUnhealthyDrainingIntervalSeconds } from '../timing/windows';
import { ELBV2_LIMITS, Elbv2LimitError, checkElbv2Range, checkHealthCheckPath, checkSuccessCodes, checkTimeoutWithinInterval } from './elbv2-limits';

/**
 * An AWS Network Load Balancer made by the AWS Load Balancer Controller from a Service's
 * annotations: the options a user sets, their validation against ELBv2's limits, the
 * `LoadBalancerModel` the gateway solves its drain against, and the annotations themselves.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
 */

const PREFIX = 'service.beta.kubernetes.io/aws-load-balancer-';

/**
 * The Service annotations of the AWS Load Balancer Controller that hitless sets.
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
 */
export const NLB_ANNOTATIONS = {
  /** `external`: the AWS Load Balancer Controller (not the legacy in-tree provider) makes the NLB. */
  type: `${PREFIX}type`,
  targetType: `${PREFIX}nlb-target-type`,
  scheme: `${PREFIX}scheme`,
  healthCheckProtocol: `${PREFIX}healthcheck-protocol`,
  healthCheckPort: `${PREFIX}healthcheck-port`,
  healthCheckPath: `${PREFIX}healthcheck-path`,
  healthCheckInterval: `${PREFIX}healthcheck-interval`,
  healthCheckTimeout: `${PREFIX}healthcheck-timeout`,
  healthyThreshold: `${PREFIX}healthcheck-healthy-threshold`,
  unhealthyThreshold: `${PREFIX}healthcheck-unhealthy-threshold`,
  successCodes: `${PREFIX}healthcheck-success-codes`,
  /** Comma-separated `key=value` target group attributes. */
  targetGroupAttributes: `${PREFIX}target-group-attributes`,
  /** Comma-separated `key=value` load balancer attributes. */
  attributes: `${PREFIX}attributes`,
  backendProtocol: `${PREFIX}backend-protocol`,
} as const;

/**
 * Target group attribute keys.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#target-group-attributes
 */
export const TARGET_GROUP_ATTRIBUTES = {
  deregistrationDelay: 'deregistration_delay.timeout_seconds',
  deregistrationConnectionTermination: 'deregistration_delay.connection_termination.enabled',
  preserveClientIp: 'preserve_client_ip.enabled',
  proxyProtocolV2: 'proxy_protocol_v2.enabled',
  unhealthyConnectionTermination: 'target_health_state.unhealthy.connection_termination.enabled',
  unhealthyDrainingInterval: 'target_health_state.unhealthy.draining_interval_seconds',
} as const;

/**
 * Load balancer attribute keys.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html
 */
export const LOAD_BALANCER_ATTRIBUTES = {
  crossZone: 'load_balancing.cross_zone.enabled',
} as const;

/** The NLB's settings, as a user gives them (plain data; times as core `Duration`s). */
export interface NlbOptions {
  /**
   * Whether the NLB gets public addresses.
   * @default 'internal' (the controller's own default: nothing is exposed unless asked)
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#lb-scheme
   */
  readonly scheme?: 'internal' | 'internet-facing';
  /**
   * `instance`: the targets are the nodes, reached on the Service's NodePort; with
   * externalTrafficPolicy Local kube-proxy forwards only to the gateway pod on that node.
   * `ip`: the targets are the pod IPs; the NLB has been measured to go on sending new connections
   * for minutes after a pod's deregistration, so the gateway's drain grows to match.
   * @default 'instance'
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#nlb-target-type
   */
  readonly targetType?: 'instance' | 'ip';
  /**
   * Protocol of the health check. Only HTTP(S) can see the gateway fail its health check while it
   * still accepts connections; a TCP check would see it healthy until it closes its listener.
   * @default 'HTTP'
   */
  readonly healthCheckProtocol?: 'HTTP' | 'HTTPS';
  /**
   * Time between health checks (5–300 s, whole seconds).
   * @default 10s (the controller's default for instance targets with externalTrafficPolicy Local)
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
   */
  readonly healthCheckInterval?: DurationLike;
  /**
   * Time without an answer after which a health check fails (2–120 s, at most the interval).
   * @default 6s
   */
  readonly healthCheckTimeout?: DurationLike;
  /**
   * Consecutive passing checks before a target receives traffic (2–10).
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failed checks before a target stops receiving new connections (2–10).
   * @default 2
   */
  readonly unhealthyThreshold?: number;
  /**
   * HTTP codes that count as healthy (200–599). Envoy's health check filter answers 200, then 503
   * once the gateway drains; only 200 is healthy, so a misrouted check (a 404) fails too.
   * @default '200'
   */
  readonly healthCheckSuccessCodes?: string;
  /**
   * `deregistration_delay.timeout_seconds` (0–3600 s): how long a deregistered target keeps its
   * open connections.
   * @default the gateway's terminationGracePeriodSeconds: connections live as long as the pod may
   */
  readonly deregistrationDelay?: DurationLike;
  /**
   * `deregistration_delay.connection_termination.enabled`: reset connections still open when the
   * deregistration delay ends. By then the pod is gone, and a reset tells a client at once what a
   * silently dropped connection would tell it only after a timeout.
   * @default true
   */
  readonly deregistrationConnectionTermination?: boolean;
  /**
   * `target_health_state.unhealthy.connection_termination.enabled`. AWS's default (true) resets
   * every connection still open when a target turns unhealthy, including keep-alive connections
   * Envoy is still draining, and requests in flight on them; hitless turns it off and sets a
   * draining interval that covers the drain. `true` is refused (BudgetError).
   * @default false
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health.html#unhealthy-target-connection-termination
   */
  readonly unhealthyConnectionTermination?: boolean;
  /**
   * `target_health_state.unhealthy.draining_interval_seconds` (0–360000 s): how long connections to
   * an unhealthy target live when unhealthy connection termination is off.
   * @default derived: the gateway's preStop less the earliest the NLB may mark it unhealthy ((unhealthyThreshold − 1) × interval), plus margin
   */
  readonly unhealthyDrainingInterval?: DurationLike;
  /**
   * `preserve_client_ip.enabled`: the gateway sees the client's address.
   * @default true for instance targets, false for IP targets (the controller's defaults)
   */
  readonly preserveClientIp?: boolean;
  /**
   * `proxy_protocol_v2.enabled`. The gateway's listeners must then expect the PROXY header.
   * @default false
   */
  readonly proxyProtocolV2?: boolean;
  /**
   * `load_balancing.cross_zone.enabled`. With it off, a zone whose gateway pods are all rolling at
   * once has no healthy target, and the NLB drops that zone's address from DNS while clients still
   * hold it.
   * @default true
   */
  readonly crossZone?: boolean;
  /**
   * `backend-protocol`: `ssl` for TLS between the NLB and the gateway on TLS listeners.
   * @default not set (`tcp`)
   */
  readonly backendProtocol?: 'tcp' | 'ssl';
  /**
   * For IP targets, how long the NLB may go on sending new connections after deregistration.
   * @default 120s (measured: at least 2 minutes whatever the deregistration delay; longer lags are covered by the margin)
   * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/issues/2366
   */
  readonly ipDeregistrationLag?: DurationLike;
}

/** Validated settings, defaults applied, in whole seconds. */
export interface NlbSettings {
  readonly scheme: 'internal' | 'internet-facing';
  readonly targetType: 'instance' | 'ip';
  readonly healthCheckProtocol: 'HTTP' | 'HTTPS';
  readonly healthCheckIntervalSeconds: number;
  readonly healthCheckTimeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly successCodes: string;
  /** Undefined: derived from the gateway's budget. */
  readonly deregistrationDelaySeconds?: number;
  readonly deregistrationConnectionTermination: boolean;
  readonly unhealthyConnectionTermination: boolean;
  /** Undefined: derived from the gateway's budget. */
  readonly unhealthyDrainingIntervalSeconds?: number;
  readonly preserveClientIp: boolean;
  readonly proxyProtocolV2: boolean;
  readonly crossZone: boolean;
  readonly backendProtocol?: 'tcp' | 'ssl';
  readonly deregistrationLagSeconds: number;
}

/** The defaults, for documentation and tests. */
export const NLB_DEFAULTS = {
  scheme: 'internal',
  targetType: 'instance',
  healthCheckProtocol: 'HTTP',
  healthCheckIntervalSeconds: 10,
  healthCheckTimeoutSeconds: 6,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  successCodes: '200',
  deregistrationConnectionTermination: true,
  unhealthyConnectionTermination: false,
  proxyProtocolV2: false,
  crossZone: true,
} as const;

function seconds(prop: string, value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  const secs = value.toSeconds();
  // Checked here rather than rounded: ELBv2 takes whole seconds and rounding would move a window.
  if (!Number.isInteger(secs)) throw new Elbv2LimitError(prop, value.toString(), 'a whole number of seconds', 'ELBv2 counts these settings in whole seconds');
  return secs;
}

function oneOf<T extends string>(prop: string, value: T | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) throw new Elbv2LimitError(prop, JSON.stringify(value), `one of ${allowed.map((each) => `'${each}'`).join(', ')}`, 'the AWS Load Balancer Controller accepts no other');
  return value;
}

/** Applies the defaults and checks every value against ELBv2's limits, naming the prop, the value and the range. */
export function resolveNlbOptions(options: NlbOptions = {}): NlbSettings {
  const targetType = oneOf('targetType', options.targetType, ['instance', 'ip'], NLB_DEFAULTS.targetType);
  const interval = checkElbv2Range('healthCheckInterval', seconds('healthCheckInterval', asDuration(options.healthCheckInterval)) ?? NLB_DEFAULTS.healthCheckIntervalSeconds, ELBV2_LIMITS.healthCheckIntervalSeconds);
  const timeout = checkElbv2Range('healthCheckTimeout', seconds('healthCheckTimeout', asDuration(options.healthCheckTimeout)) ?? NLB_DEFAULTS.healthCheckTimeoutSeconds, ELBV2_LIMITS.healthCheckTimeoutSeconds);
  checkTimeoutWithinInterval('healthCheckTimeout', timeout, interval);
  const deregistrationDelay = seconds('deregistrationDelay', asDuration(options.deregistrationDelay));
  const drainingInterval = seconds('unhealthyDrainingInterval', asDuration(options.unhealthyDrainingInterval));
  return {
    scheme: oneOf('scheme', options.scheme, ['internal', 'internet-facing'], NLB_DEFAULTS.scheme),
    targetType,
    healthCheckProtocol: oneOf('healthCheckProtocol', options.healthCheckProtocol, ['HTTP', 'HTTPS'], NLB_DEFAULTS.healthCheckProtocol),
    healthCheckIntervalSeconds: interval,
    healthCheckTimeoutSeconds: timeout,
    healthyThreshold: checkElbv2Range('healthyThreshold', options.healthyThreshold ?? NLB_DEFAULTS.healthyThreshold, ELBV2_LIMITS.healthyThreshold),
    unhealthyThreshold: checkElbv2Range('unhealthyThreshold', options.unhealthyThreshold ?? NLB_DEFAULTS.unhealthyThreshold, ELBV2_LIMITS.unhealthyThreshold),
    successCodes: checkSuccessCodes('healthCheckSuccessCodes', options.healthCheckSuccessCodes ?? NLB_DEFAULTS.successCodes),
    deregistrationDelaySeconds: deregistrationDelay === undefined ? undefined : checkElbv2Range('deregistrationDelay', deregistrationDelay, ELBV2_LIMITS.deregistrationDelaySeconds),
    deregistrationConnectionTermination: options.deregistrationConnectionTermination ?? NLB_DEFAULTS.deregistrationConnectionTermination,
    unhealthyConnectionTermination: options.unhealthyConnectionTermination ?? NLB_DEFAULTS.unhealthyConnectionTermination,
    unhealthyDrainingIntervalSeconds: drainingInterval === undefined ? undefined : checkElbv2Range('unhealthyDrainingInterval', drainingInterval, ELBV2_LIMITS.unhealthyDrainingIntervalSeconds),
    preserveClientIp: options.preserveClientIp ?? targetType === 'instance',
    proxyProtocolV2: options.proxyProtocolV2 ?? NLB_DEFAULTS.proxyProtocolV2,
    crossZone: options.crossZone ?? NLB_DEFAULTS.crossZone,
    backendProtocol: options.backendProtocol === undefined ? undefined : oneOf<'tcp' | 'ssl'>('backendProtocol', options.backendProtocol, ['tcp', 'ssl'], 'tcp'),
    deregistrationLagSeconds: targetType === 'ip' ? (asDuration(options.ipDeregistrationLag)?.toSeconds() ?? DEFAULT_IP_DEREGISTRATION_LAG_SECONDS) : 0,
  };
}

/** What the NLB needs to know of the gateway it fronts (a subset of `LoadBalancedGateway`). */
export interface NlbGatewayTarget {
  /** `Service/namespace/name` of the gateway's Service, the object that configures the NLB. */
  readonly serviceObject: string;
  /** Path of Envoy's health check filter: 200 while serving, 503 from the moment it drains. */
  readonly healthCheckPath: string;
}

/** Everything the NLB construct renders, and the budget it was derived from. */
export interface NlbPlan {
  readonly settings: NlbSettings;
  /** The load balancer as the gateway, the checker and the simulator see it. */
  readonly model: LoadBalancerModel;
  /** Annotations for the gateway's Service. */
  readonly serviceAnnotations: Record<string, string>;
  /** The gateway's timings behind this NLB. */
  readonly budget: GatewayBudget;
}

/**
 * The load balancer model for settings whose derived attributes are known (or, before the gateway
 * has solved, taken as 0: the health checks and target type alone decide the gateway's windows).
 */
export function nlbLoadBalancerModel(settings: NlbSettings, gateway: NlbGatewayTarget, derived: { deregistrationDelaySeconds?: number; unhealthyDrainingIntervalSeconds?: number } = {}): LoadBalancerModel {
  return {
    object: gateway.serviceObject,
    provider: 'aws-nlb',
    targetType: settings.targetType,
    healthCheck: {
      intervalSeconds: settings.healthCheckIntervalSeconds,
      timeoutSeconds: settings.healthCheckTimeoutSeconds,
      healthyThreshold: settings.healthyThreshold,
      unhealthyThreshold: settings.unhealthyThreshold,
    },
    healthCheckProtocol: settings.healthCheckProtocol,
    // The traffic port is the path the traffic takes: in instance mode the NodePort, where kube-proxy
    // (externalTrafficPolicy Local) forwards to this node's gateway pod and nowhere else.
    healthCheckPort: 'traffic-port',
    healthCheckPath: checkHealthCheckPath('healthCheckPath', gateway.healthCheckPath),
    deregistrationLagSeconds: settings.deregistrationLagSeconds,
    deregistrationDelaySeconds: derived.deregistrationDelaySeconds ?? settings.deregistrationDelaySeconds ?? 0,
    deregistrationConnectionTermination: settings.deregistrationConnectionTermination,
    unhealthyConnectionTermination: settings.unhealthyConnectionTermination,
    unhealthyDrainingIntervalSeconds: derived.unhealthyDrainingIntervalSeconds ?? settings.unhealthyDrainingIntervalSeconds ?? 0,
    crossZone: settings.crossZone,
    preserveClientIp: settings.preserveClientIp,
    proxyProtocolV2: settings.proxyProtocolV2,
  };
}

/**
 * Validates the options, asks the gateway's pure solver for its timings behind this NLB, and derives
 * the attributes that depend on them: the unhealthy-target draining interval (covers the part of
 * the drain after the target turns unhealthy) and the deregistration delay (the grace period).
 * Throws `Elbv2LimitError` for a value ELBv2 refuses and `BudgetError` for one that breaks the chain.
 */
export function planNlb(options: NlbOptions, gateway: NlbGatewayTarget, solve: GatewayBudgetSolver): NlbPlan {
  const settings = resolveNlbOptions(options);
  // The provisional model states AWS's default (connections to an unhealthy target are reset), so
  // that no gateway judges a draining interval that is derived only from its answer.
  const budget = solve({ ...nlbLoadBalancerModel(settings, gateway), unhealthyConnectionTermination: true });

  const provisional = nlbLoadBalancerModel(settings, gateway);
  if (settings.unhealthyConnectionTermination) {
    // The same mechanism the checker reports as `unhealthy-target-connections-reset` (hitless's
    // gateways run behind externalTrafficPolicy Local, where the target does turn unhealthy).
    throw new BudgetError(
      'unhealthyConnectionTermination',
      'true',
      'false',
      `the NLB sends the gateway new connections until it marks the target unhealthy (${s(budget.detectionWindowSeconds)} at the latest), then resets every connection still open, cutting the requests in flight on them`,
    );
  }
  const drainingBound = requiredUnhealthyDrainingIntervalSeconds(provisional, budget.preStopSeconds, 0);
  let drainingInterval = settings.unhealthyDrainingIntervalSeconds ?? budget.unhealthyDrainingIntervalSeconds;
  if (!settings.unhealthyConnectionTermination && drainingInterval < drainingBound) {
    throw new BudgetError(
      'unhealthyDrainingInterval',
      s(drainingInterval),
      `at least the part of the gateway's drain after the target may turn unhealthy (${s(drainingBound)})`,
      `the NLB may mark the target unhealthy as soon as ${s(earliestUnhealthySeconds(provisional.healthCheck))} after it starts failing its health check, and the gateway finishes open connections until ${s(budget.preStopSeconds)}; connections still open when the interval ends are reset`,
    );
  }
  drainingInterval = checkElbv2Range('unhealthyDrainingInterval', drainingInterval, ELBV2_LIMITS.unhealthyDrainingIntervalSeconds);

  const deregistrationDelay = settings.deregistrationDelaySeconds ?? budget.terminationGracePeriodSeconds;
  // Only an IP target is deregistered when its pod starts terminating (the checker's
  // deregistration-cuts-drain); an instance target (the node) stays registered through a rollout.
  if (settings.deregistrationConnectionTermination && provisional.targetType === 'ip' && deregistrationDelay < budget.preStopSeconds) {
    throw new BudgetError(
      'deregistrationDelay',
      s(deregistrationDelay),
      `at least the gateway's whole preStop (${s(budget.preStopSeconds)}) while deregistrationConnectionTermination is on`,
      `a deregistered target's connections are reset when the delay ends, and the gateway is still finishing them until its preStop ends`,
    );
  }
  checkElbv2Range('deregistrationDelay', deregistrationDelay, ELBV2_LIMITS.deregistrationDelaySeconds);

  const model = nlbLoadBalancerModel(settings, gateway, { deregistrationDelaySeconds: deregistrationDelay, unhealthyDrainingIntervalSeconds: drainingInterval });
  return { settings, model, serviceAnnotations: nlbServiceAnnotations(model, settings), budget };
}

/** `key=value` pairs joined as the controller's string-map annotations expect them. */
export function formatAttributeMap(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Parses a string-map annotation (`a=1,b=2`); the inverse of {@link formatAttributeMap}. */
export function parseAttributeMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const trimmed = pair.trim();
    if (trimmed === '') continue;
    const at = trimmed.indexOf('=');
    if (at < 0) out[trimmed] = '';
    else out[trimmed.slice(0, at).trim()] = trimmed.slice(at + 1).trim();
  }
  return out;
}

/** The target group attributes of a model, every one stated (the controller's defaults differ by version). */
export function targetGroupAttributes(model: LoadBalancerModel): Record<string, string> {
  return {
    [TARGET_GROUP_ATTRIBUTES.deregistrationDelay]: String(model.deregistrationDelaySeconds),
    [TARGET_GROUP_ATTRIBUTES.deregistrationConnectionTermination]: String(model.deregistrationConnectionTermination),
    [TARGET_GROUP_ATTRIBUTES.preserveClientIp]: String(model.preserveClientIp ?? model.targetType !== 'ip'),
    [TARGET_GROUP_ATTRIBUTES.proxyProtocolV2]: String(model.proxyProtocolV2 ?? false),
    [TARGET_GROUP_ATTRIBUTES.unhealthyConnectionTermination]: String(model.unhealthyConnectionTermination),
    [TARGET_GROUP_ATTRIBUTES.unhealthyDrainingInterval]: String(model.unhealthyDrainingIntervalSeconds),
  };
}

/** The Service annotations that make the AWS Load Balancer Controller build exactly this NLB. */
export function nlbServiceAnnotations(model: LoadBalancerModel, settings: Pick<NlbSettings, 'scheme' | 'successCodes' | 'backendProtocol'>): Record<string, string> {
  if (model.targetType === 'host-port') {
    throw new Elbv2LimitError('targetType', 'host-port', `'instance' or 'ip'`, 'the AWS Load Balancer Controller registers nodes (on the NodePort) or pods; a host-port target group is made outside Kubernetes and bound with a TargetGroupBinding');
  }
  const annotations: Record<string, string> = {
    [NLB_ANNOTATIONS.type]: 'external',
    [NLB_ANNOTATIONS.targetType]: model.targetType,
    [NLB_ANNOTATIONS.scheme]: settings.scheme,
    [NLB_ANNOTATIONS.healthCheckProtocol]: model.healthCheckProtocol,
    [NLB_ANNOTATIONS.healthCheckPort]: model.healthCheckPort,
    [NLB_ANNOTATIONS.healthCheckInterval]: String(model.healthCheck.intervalSeconds),
    [NLB_ANNOTATIONS.healthCheckTimeout]: String(model.healthCheck.timeoutSeconds),
    [NLB_ANNOTATIONS.healthyThreshold]: String(model.healthCheck.healthyThreshold),
    [NLB_ANNOTATIONS.unhealthyThreshold]: String(model.healthCheck.unhealthyThreshold),
    [NLB_ANNOTATIONS.targetGroupAttributes]: formatAttributeMap(targetGroupAttributes(model)),
    [NLB_ANNOTATIONS.attributes]: formatAttributeMap({ [LOAD_BALANCER_ATTRIBUTES.crossZone]: String(model.crossZone ?? false) }),
  };
  if (model.healthCheckProtocol !== 'TCP') {
    annotations[NLB_ANNOTATIONS.healthCheckPath] = model.healthCheckPath ?? '/';
    annotations[NLB_ANNOTATIONS.successCodes] = settings.successCodes;
  }
  if (settings.backendProtocol !== undefined) annotations[NLB_ANNOTATIONS.backendProtocol] = settings.backendProtocol;
  return annotations;
}
