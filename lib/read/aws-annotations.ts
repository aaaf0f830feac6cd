import { detectionWindowSeconds } from '../core/timing/windows';
import { Finding } from '../core/finding';
import { LoadBalancerModel, TargetType } from '../core/model';
import { ELBV2_LIMITS } from '../core/aws/elbv2-limits';
import { LOAD_BALANCER_ATTRIBUTES, NLB_ANNOTATIONS, parseAttributeMap, TARGET_GROUP_ATTRIBUTES } from '../core/aws/nlb';
import { DEFAULT_IP_DEREGISTRATION_LAG_SECONDS } from '../core/timing/windows';
import { ALTERNATIVE_TO_ASSUMED, ControllerDecision, ControllerHealthCheck, controllerHealthCheck, controllerName, decideController, LoadBalancerController } from './load-balancer-controller';

/**
 * AWS Load Balancer Controller Service annotations → LoadBalancerModel, with the defaults the
 * controller applies: TCP on the traffic port every 10 s, 10 s timeout, 3/3 thresholds; for
 * instance targets with externalTrafficPolicy Local, HTTP on healthCheckNodePort `/healthz`
 * every 10 s, 6 s timeout, 2/2 (kube-proxy answers there for the node).
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/pkg/service/model_builder.go
 */

const PREFIX = 'service.beta.kubernetes.io/aws-load-balancer-';

/** The annotations hitless emits (lib/core/aws), plus legacy ones it still reads on foreign Services. */
export const AWS_ANNOTATIONS = {
  ...NLB_ANNOTATIONS,
  proxyProtocol: `${PREFIX}proxy-protocol`,
  crossZone: `${PREFIX}cross-zone-load-balancing-enabled`,
} as const;

/** The load balancer class the controller reconciles. */
export const AWS_NLB_LOAD_BALANCER_CLASS = 'service.k8s.aws/nlb';

type Limits = { readonly min: number; readonly max: number };

/** Whether the AWS Load Balancer Controller (or the in-tree NLB provider) makes this Service's load balancer. */
export function isAwsNlbService(annotations: Record<string, string>, loadBalancerClass: string | undefined): boolean {
  const type = annotations[AWS_ANNOTATIONS.type];
  return loadBalancerClass === AWS_NLB_LOAD_BALANCER_CLASS || type === 'external' || type === 'nlb' || type === 'nlb-ip';
}

/** `k1=v1,k2=v2` as the controller parses it; absent → empty. */
export function parseAttributes(text: string | undefined): Record<string, string> {
  return text ? parseAttributeMap(text) : {};
}

/**
 * The load balancer of a `type: LoadBalancer` Service, with the defaults of the controller that
 * makes it (lib/read/load-balancer-controller.ts). When nothing names the controller, the one
 * assumed is reported as a warning in category `unknown` that says which and why.
 */
export function readAwsLoadBalancer(
  object: string,
  annotations: Record<string, string>,
  externalTrafficPolicy: 'Cluster' | 'Local',
  loadBalancerClass: string | undefined,
  findings: Finding[],
): LoadBalancerModel {
  const decision = decideController(annotations, loadBalancerClass);
  // `generic` when the controller is only assumed: its numbers are the assumption's.
  const aws = !decision.assumed && (decision.controller === 'aws-load-balancer-controller' || decision.controller === 'aws-in-tree-nlb');
  const targetType = readTargetType(annotations, decision.controller, findings, object);
  const defaults = controllerHealthCheck(decision.controller, externalTrafficPolicy, targetType);
  const target = readHealthCheckTarget(annotations, defaults, targetType === 'instance' && externalTrafficPolicy === 'Local', findings, object);
  const targetGroup = parseAttributes(annotations[AWS_ANNOTATIONS.targetGroupAttributes]);
  const loadBalancer = parseAttributes(annotations[AWS_ANNOTATIONS.attributes]);
  if (decision.assumed) assumedControllerFinding(annotations, decision, defaults, externalTrafficPolicy, findings, object);
  const number = (key: string, fallback: number, limits: Limits) => annotationNumber(annotations[key], key, fallback, limits, findings, object);
  const attribute = (key: string, fallback: number, limits: Limits) => targetGroupAttribute(targetGroup[key], key, fallback, limits, findings, object);
  const crossZone = loadBalancer[LOAD_BALANCER_ATTRIBUTES.crossZone] ?? annotations[AWS_ANNOTATIONS.crossZone];
  const proxyProtocol = targetGroup[TARGET_GROUP_ATTRIBUTES.proxyProtocolV2] ?? (annotations[AWS_ANNOTATIONS.proxyProtocol] === '*' ? 'true' : undefined);
  return {
    object,
    provider: aws ? 'aws-nlb' : 'generic',
    targetType,
    healthCheck: {
      intervalSeconds: number(AWS_ANNOTATIONS.healthCheckInterval, defaults.intervalSeconds, ELBV2_LIMITS.healthCheckIntervalSeconds),
      timeoutSeconds: number(AWS_ANNOTATIONS.healthCheckTimeout, defaults.timeoutSeconds, ELBV2_LIMITS.healthCheckTimeoutSeconds),
      healthyThreshold: number(AWS_ANNOTATIONS.healthyThreshold, defaults.healthyThreshold, ELBV2_LIMITS.healthyThreshold),
      unhealthyThreshold: number(AWS_ANNOTATIONS.unhealthyThreshold, defaults.unhealthyThreshold, ELBV2_LIMITS.unhealthyThreshold),
    },
    ...target,
    deregistrationLagSeconds: targetType === 'ip' ? DEFAULT_IP_DEREGISTRATION_LAG_SECONDS : 0,
    deregistrationDelaySeconds: attribute(TARGET_GROUP_ATTRIBUTES.deregistrationDelay, 300, ELBV2_LIMITS.deregistrationDelaySeconds),
    deregistrationConnectionTermination: flag(targetGroup[TARGET_GROUP_ATTRIBUTES.deregistrationConnectionTermination], false),
    unhealthyConnectionTermination: flag(targetGroup[TARGET_GROUP_ATTRIBUTES.unhealthyConnectionTermination], true),
    unhealthyDrainingIntervalSeconds: attribute(TARGET_GROUP_ATTRIBUTES.unhealthyDrainingInterval, 0, ELBV2_LIMITS.unhealthyDrainingIntervalSeconds),
    ...(crossZone !== undefined ? { crossZone: flag(crossZone, false) } : {}),
    ...(targetGroup[TARGET_GROUP_ATTRIBUTES.preserveClientIp] !== undefined ? { preserveClientIp: flag(targetGroup[TARGET_GROUP_ATTRIBUTES.preserveClientIp], false) } : {}),
    ...(proxyProtocol !== undefined ? { proxyProtocolV2: flag(proxyProtocol, false) } : {}),
  };
}

/** Only the AWS Load Balancer Controller registers pod IPs; the in-tree providers register nodes. */
function readTargetType(annotations: Record<string, string>, controller: LoadBalancerController, findings: Finding[], object: string): TargetType {
  const rawTarget = annotations[AWS_ANNOTATIONS.targetType]?.trim().toLowerCase();
  const targetType: TargetType = controller === 'aws-load-balancer-controller' && (annotations[AWS_ANNOTATIONS.type] === 'nlb-ip' || rawTarget === 'ip') ? 'ip' : 'instance';
  if (rawTarget !== undefined && rawTarget !== 'ip' && rawTarget !== 'instance') {
    invalidAnnotation(findings, object, AWS_ANNOTATIONS.targetType, rawTarget, 'instance or ip');
  }
  return targetType;
}

/** What the health check probes: protocol, port and (not for TCP) path. */
function readHealthCheckTarget(
  annotations: Record<string, string>, defaults: ControllerHealthCheck, local: boolean, findings: Finding[], object: string,
): Pick<LoadBalancerModel, 'healthCheckProtocol' | 'healthCheckPort' | 'healthCheckPath'> {
  const protocolRaw = annotations[AWS_ANNOTATIONS.healthCheckProtocol]?.trim().toUpperCase();
  const healthCheckProtocol: LoadBalancerModel['healthCheckProtocol'] = protocolRaw === 'HTTP' || protocolRaw === 'HTTPS' || protocolRaw === 'TCP'
    ? protocolRaw
    : defaults.protocol;
  if (protocolRaw !== undefined && protocolRaw !== healthCheckProtocol) invalidAnnotation(findings, object, AWS_ANNOTATIONS.healthCheckProtocol, protocolRaw, 'TCP, HTTP or HTTPS');
  const healthCheckPort = annotations[AWS_ANNOTATIONS.healthCheckPort]?.trim() || defaults.port;
  const healthCheckPath = healthCheckProtocol === 'TCP' ? undefined : annotations[AWS_ANNOTATIONS.healthCheckPath]?.trim() || defaults.path || (local ? '/healthz' : '/');
  return { healthCheckProtocol, healthCheckPort, ...(healthCheckPath !== undefined ? { healthCheckPath } : {}) };
}

/** A whole-number annotation within the ELBv2 limits; the controller's default when absent or refused. */
function annotationNumber(raw: string | undefined, key: string, fallback: number, limits: Limits, findings: Finding[], object: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || !Number.isInteger(value)) {
    invalidAnnotation(findings, object, key, raw, `a whole number from ${limits.min} to ${limits.max}`);
    return fallback;
  }
  if (value < limits.min || value > limits.max) {
    outOfRange(findings, object, key, value, limits);
    // The controller refuses the value and the old health check stays: the default is the best guess.
    return fallback;
  }
  return value;
}

/** A numeric target-group attribute within the ELBv2 limits; the default when absent or refused. */
function targetGroupAttribute(raw: string | undefined, key: string, fallback: number, limits: Limits, findings: Finding[], object: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) {
    invalidAnnotation(findings, object, `${AWS_ANNOTATIONS.targetGroupAttributes} ${key}`, raw, `a number from ${limits.min} to ${limits.max}`);
    return fallback;
  }
  if (value < limits.min || value > limits.max) {
    outOfRange(findings, object, `${AWS_ANNOTATIONS.targetGroupAttributes} ${key}`, value, limits);
    return fallback;
  }
  return value;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value.trim().toLowerCase() === 'true';
}

/** Nothing names the controller and the annotations do not state the whole health check: say which controller is assumed, and what if it is the other. */
function assumedControllerFinding(
  annotations: Record<string, string>, decision: ControllerDecision, defaults: ControllerHealthCheck, externalTrafficPolicy: 'Cluster' | 'Local', findings: Finding[], object: string,
): void {
  const stated = [AWS_ANNOTATIONS.healthCheckInterval, AWS_ANNOTATIONS.healthCheckTimeout, AWS_ANNOTATIONS.healthyThreshold, AWS_ANNOTATIONS.unhealthyThreshold].every((key) => annotations[key] !== undefined);
  if (stated) return;
  const detection = detectionWindowSeconds(defaults);
  const other = controllerHealthCheck(ALTERNATIVE_TO_ASSUMED, externalTrafficPolicy, 'instance');
  const otherDetection = detectionWindowSeconds(other);
  findings.push({
    rule: 'load-balancer-timing-assumed',
    category: 'unknown',
    severity: 'warning',
    objects: [object],
    message: `${object} is of type LoadBalancer and nothing names its controller for certain: ${decision.reason}. hitless assumes ${controllerName(decision.controller)} and its default health check for externalTrafficPolicy ${externalTrafficPolicy}: ${defaults.protocol} on ${defaults.port}${defaults.path ? ` ${defaults.path}` : ''}, every ${defaults.intervalSeconds}s, ${defaults.timeoutSeconds}s timeout, healthy ${defaults.healthyThreshold}, unhealthy ${defaults.unhealthyThreshold} (detection up to ${detection}s; ${defaults.source})${decision.controller === 'aws-load-balancer-controller' ? `, as its webhook (v2.5+) takes Services without loadBalancerClass; if ${controllerName(ALTERNATIVE_TO_ASSUMED)} makes it instead, detection takes up to ${otherDetection}s (${other.unhealthyThreshold} × ${other.intervalSeconds}s + ${other.timeoutSeconds}s timeout)` : ''}.`,
    fix: `name the controller (loadBalancerClass ${AWS_NLB_LOAD_BALANCER_CLASS}, or ${AWS_ANNOTATIONS.type}) and state the health check in annotations on ${object}`,
  });
}

function invalidAnnotation(findings: Finding[], object: string, key: string, value: string, expected: string): void {
  findings.push({
    rule: 'invalid-lb-annotation',
    category: 'schema',
    severity: 'error',
    objects: [object],
    message: `${key} of ${object} is ${JSON.stringify(value.slice(0, 60))}, which is not ${expected}; the AWS Load Balancer Controller rejects it.`,
    fix: `set ${key} to ${expected}`,
  });
}

function outOfRange(findings: Finding[], object: string, key: string, value: number, limits: Limits): void {
  findings.push({
    rule: 'lb-annotation-out-of-range',
    category: 'schema',
    severity: 'error',
    objects: [object],
    message: `${key} of ${object} is ${value}, outside the ELBv2 range ${limits.min}–${limits.max}: the AWS Load Balancer Controller fails to apply it and keeps the old setting.`,
    fix: `set ${key} to a value from ${limits.min} to ${limits.max}`,
  });
}
