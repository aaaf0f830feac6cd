import { formatSeconds } from '../finding';
import { PropBoundError } from '../prop-bound-error';

/**
 * The values ELBv2 accepts for a Network Load Balancer's target group, checked before anything
 * is rendered: the AWS Load Balancer Controller passes annotations to the ELBv2 API as they are,
 * and a value out of range surfaces only as a reconcile error in the controller's log, long after
 * `cdk8s synth` or `pulumi up` said all was well.
 */

/** An inclusive range of accepted values, with the unit it is counted in. */
export interface Elbv2Range {
  readonly min: number;
  readonly max: number;
  readonly unit: 'seconds' | 'count' | 'code';
}

/** The ranges of every value hitless sets on an NLB target group. */
export const ELBV2_LIMITS = {
  /**
   * `HealthCheckIntervalSeconds`: 5–300.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
   */
  healthCheckIntervalSeconds: { min: 5, max: 300, unit: 'seconds' },
  /**
   * `HealthCheckTimeoutSeconds`: 2–120 (NLB since November 2022; before, fixed at 6 s for HTTP and 10 s for TCP and HTTPS).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
   * @see https://github.com/aws/aws-cdk/pull/26031
   */
  healthCheckTimeoutSeconds: { min: 2, max: 120, unit: 'seconds' },
  /**
   * `HealthyThresholdCount`: 2–10.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
   */
  healthyThreshold: { min: 2, max: 10, unit: 'count' },
  /**
   * `UnhealthyThresholdCount`: 2–10; NLB no longer requires it to equal the healthy threshold.
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html
   */
  unhealthyThreshold: { min: 2, max: 10, unit: 'count' },
  /**
   * `Matcher.HttpCode` of an NLB HTTP(S) health check: codes 200–599 (default `200-399`).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Matcher.html
   */
  successCode: { min: 200, max: 599, unit: 'code' },
  /**
   * Target group attribute `deregistration_delay.timeout_seconds`: 0–3600 (default 300).
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#target-group-attributes
   */
  deregistrationDelaySeconds: { min: 0, max: 3600, unit: 'seconds' },
  /**
   * Target group attribute `target_health_state.unhealthy.draining_interval_seconds`: 0–360000.
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/#target-group-attributes
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health.html#unhealthy-target-connection-termination
   */
  unhealthyDrainingIntervalSeconds: { min: 0, max: 360000, unit: 'seconds' },
} as const satisfies Record<string, Elbv2Range>;

/**
 * `HealthCheckPath`: 1–1024 characters, starting with `/`.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
 */
export const ELBV2_HEALTH_CHECK_PATH_MAX_LENGTH = 1024;

/** A value ELBv2 would refuse. The message names the prop, the value and what is accepted. */
export class Elbv2LimitError extends PropBoundError {
  /** What ELBv2 accepts, for people (`a whole number between 5s and 300s`): the `bound`. */
  public readonly allowed: string;

  /**
   * @param prop The prop that was set, as the user wrote it.
   * @param value The value received, for people (`3s`).
   * @param allowed What ELBv2 accepts, for people (`a whole number between 5s and 300s`).
   * @param because Who refuses it, and when.
   */
  constructor(prop: string, value: string, allowed: string, because = 'ELBv2 rejects the target group otherwise') {
    super(prop, value, allowed, because);
    this.allowed = allowed;
    this.name = 'Elbv2LimitError';
  }
}

function show(value: number, unit: Elbv2Range['unit']): string {
  return unit === 'seconds' ? formatSeconds(value) : String(value);
}

/**
 * Checks a whole number against an ELBv2 range; returns it. ELBv2 takes whole seconds, so a
 * fraction is refused rather than rounded: rounding would silently move a window of the chain.
 */
export function checkElbv2Range(prop: string, value: number, range: Elbv2Range): number {
  const allowed = `a whole number between ${show(range.min, range.unit)} and ${show(range.max, range.unit)}`;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Elbv2LimitError(prop, show(value, range.unit), allowed);
  }
  return value;
}

/**
 * The health check timeout may not exceed the interval: ELBv2 answers "Health check interval must
 * be greater than the timeout" for ALBs; NLBs accept equal values (the controller's own TCP default
 * is 10 s / 10 s).
 * @see https://github.com/aws/aws-cdk/pull/29075
 * @see https://github.com/aws/aws-cdk/issues/16446
 */
export function checkTimeoutWithinInterval(timeoutProp: string, timeoutSeconds: number, intervalSeconds: number): void {
  if (timeoutSeconds > intervalSeconds) {
    throw new Elbv2LimitError(timeoutProp, formatSeconds(timeoutSeconds), `at most the health check interval (${formatSeconds(intervalSeconds)})`);
  }
}

/**
 * Checks an NLB success-code matcher (`200`, `200,202`, `200-299`): every code within 200–599,
 * ranges ascending. Returns it unchanged.
 */
export function checkSuccessCodes(prop: string, codes: string): string {
  const range = ELBV2_LIMITS.successCode;
  const allowed = `HTTP codes between ${range.min} and ${range.max}, as a list ('200,202') or a range ('200-299')`;
  const parts = codes.split(',');
  for (const part of parts) {
    const match = /^\s*(\d{3})(?:-(\d{3}))?\s*$/.exec(part);
    if (!match) throw new Elbv2LimitError(prop, JSON.stringify(codes), allowed);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (low < range.min || high > range.max || high < low) throw new Elbv2LimitError(prop, JSON.stringify(codes), allowed);
  }
  return codes;
}

/** Checks an HTTP health check path: starts with `/`, at most 1024 characters, no white space. */
export function checkHealthCheckPath(prop: string, path: string): string {
  // White space is not valid in a request target; the health check would never pass.
  if (!path.startsWith('/') || path.length > ELBV2_HEALTH_CHECK_PATH_MAX_LENGTH || /\s/.test(path)) {
    throw new Elbv2LimitError(prop, JSON.stringify(path), `a path starting with '/', without white space, of at most ${ELBV2_HEALTH_CHECK_PATH_MAX_LENGTH} characters`);
  }
  return path;
}
