import { Elbv2LimitError } from '../../../lib/core/aws/elbv2-limits';
import {
  LOAD_BALANCER_ATTRIBUTES,
  NLB_ANNOTATIONS,
  NlbOptions,
  TARGET_GROUP_ATTRIBUTES,
  formatAttributeMap,
  nlbLoadBalancerModel,
  parseAttributeMap,
  planNlb,
  resolveNlbOptions,
} from '../../../lib/core/aws/nlb';
import { Duration } from '../../../lib/core/duration';
import { Finding } from '../../../lib/core/finding';
import { LoadBalancerModel } from '../../../lib/core/model';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { checkKeepAlive, checkLoadBalancerDetection, checkGracePeriod } from '../../../lib/core/timing/invariants';
import { solveGatewayBudget } from '../../../lib/core/timing/solver';
import { DEFAULT_IP_DEREGISTRATION_LAG_SECONDS } from '../../../lib/core/timing/windows';
import { readAwsLoadBalancer } from '../../../lib/read/aws-annotations';
import { drain, workload } from '../../support/models';

const GATEWAY = { serviceObject: 'Service/edge/gateway', healthCheckPath: '/envoy-hc' };
const DRAIN_TIMEOUT = 15;
const solve = (loadBalancer: LoadBalancerModel) => solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: DRAIN_TIMEOUT });

function plan(options: NlbOptions = {}) {
  return planNlb(options, GATEWAY, solve);
}

describe('resolveNlbOptions', () => {
  test('defaults to the controller defaults for instance targets with externalTrafficPolicy Local (10 s, 6 s, 2/2), over HTTP', () => {
    const settings = resolveNlbOptions();
    expect(settings).toMatchObject({
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
      preserveClientIp: true,
      proxyProtocolV2: false,
      crossZone: true,
      deregistrationLagSeconds: 0,
    });
  });

  test('IP targets take the worst measured deregistration lag and do not preserve the client IP unless asked', () => {
    const settings = resolveNlbOptions({ targetType: 'ip' });
    expect(settings.deregistrationLagSeconds).toBe(DEFAULT_IP_DEREGISTRATION_LAG_SECONDS);
    expect(settings.preserveClientIp).toBe(false);
    expect(resolveNlbOptions({ targetType: 'ip', ipDeregistrationLag: Duration.minutes(2) }).deregistrationLagSeconds).toBe(120);
  });

  const limits: [string, NlbOptions, RegExp][] = [
    ['healthCheckInterval', { healthCheckInterval: Duration.seconds(4) }, /'healthCheckInterval' \(4s\) must be a whole number between 5s and 300s/],
    ['healthCheckInterval', { healthCheckInterval: Duration.seconds(301) }, /'healthCheckInterval' \(301s\) must be a whole number between 5s and 300s/],
    ['healthCheckTimeout', { healthCheckTimeout: Duration.seconds(1) }, /'healthCheckTimeout' \(1s\) must be a whole number between 2s and 120s/],
    ['healthCheckTimeout', { healthCheckInterval: Duration.minutes(5), healthCheckTimeout: Duration.seconds(121) }, /'healthCheckTimeout' \(121s\) must be a whole number between 2s and 120s/],
    ['healthCheckTimeout', { healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(6) }, /'healthCheckTimeout' \(6s\) must be at most the health check interval \(5s\)/],
    ['healthyThreshold', { healthyThreshold: 1 }, /'healthyThreshold' \(1\) must be a whole number between 2 and 10/],
    ['unhealthyThreshold', { unhealthyThreshold: 11 }, /'unhealthyThreshold' \(11\) must be a whole number between 2 and 10/],
    ['healthCheckSuccessCodes', { healthCheckSuccessCodes: '100-200' }, /'healthCheckSuccessCodes' \("100-200"\) must be HTTP codes between 200 and 599/],
    ['deregistrationDelay', { deregistrationDelay: Duration.seconds(3601) }, /'deregistrationDelay' \(3601s\) must be a whole number between 0s and 3600s/],
    ['unhealthyDrainingInterval', { unhealthyDrainingInterval: Duration.seconds(360001) }, /'unhealthyDrainingInterval' \(360001s\) must be a whole number between 0s and 360000s/],
    ['healthCheckInterval', { healthCheckInterval: Duration.millis(10500) }, /'healthCheckInterval' \(10.5s\) must be a whole number of seconds/],
    ['targetType', { targetType: 'pod' as 'ip' }, /'targetType' \("pod"\) must be one of 'instance', 'ip'/],
    ['healthCheckProtocol', { healthCheckProtocol: 'TCP' as 'HTTP' }, /'healthCheckProtocol' \("TCP"\) must be one of 'HTTP', 'HTTPS'/],
  ];

  test.each(limits)('fails on %s out of range, naming the prop, the value and the range', (prop, options, message) => {
    let caught: unknown;
    try {
      resolveNlbOptions(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Elbv2LimitError);
    expect((caught as Elbv2LimitError).prop).toBe(prop);
    expect((caught as Error).message).toMatch(message);
  });

  test('accepts every bound', () => {
    expect(() => resolveNlbOptions({ healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2), healthyThreshold: 2, unhealthyThreshold: 2 })).not.toThrow();
    expect(() => resolveNlbOptions({ healthCheckInterval: Duration.seconds(300), healthCheckTimeout: Duration.seconds(120), healthyThreshold: 10, unhealthyThreshold: 10 })).not.toThrow();
    expect(() => resolveNlbOptions({ deregistrationDelay: Duration.seconds(3600), unhealthyDrainingInterval: Duration.seconds(360000), healthCheckSuccessCodes: '200-599' })).not.toThrow();
    expect(() => resolveNlbOptions({ deregistrationDelay: Duration.ZERO, unhealthyDrainingInterval: Duration.ZERO })).not.toThrow();
  });
});

describe('planNlb annotations', () => {
  test('renders every annotation of the default NLB, field by field', () => {
    const annotations = plan().serviceAnnotations;
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type']).toBe('instance');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internal');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol']).toBe('HTTP');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-port']).toBe('traffic-port');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-path']).toBe('/envoy-hc');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval']).toBe('10');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout']).toBe('6');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold']).toBe('2');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold']).toBe('2');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-healthcheck-success-codes']).toBe('200');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-attributes']).toBe('load_balancing.cross_zone.enabled=true');
    expect(annotations['service.beta.kubernetes.io/aws-load-balancer-backend-protocol']).toBeUndefined();
    expect(parseAttributeMap(annotations['service.beta.kubernetes.io/aws-load-balancer-target-group-attributes'])).toEqual({
      // grace period: 2 × 10 + 6 = 26 s detection, + 5 s margin = 31 s serving, + 15 s drain = 46 s preStop, + 5 s = 51 s
      'deregistration_delay.timeout_seconds': '51',
      'deregistration_delay.connection_termination.enabled': 'true',
      'preserve_client_ip.enabled': 'true',
      'proxy_protocol_v2.enabled': 'false',
      'target_health_state.unhealthy.connection_termination.enabled': 'false',
      // still open after the earliest unhealthy mark: 46 − (2 − 1) × 10 = 36 s, + 5 s margin
      'target_health_state.unhealthy.draining_interval_seconds': '41',
    });
    expect(Object.keys(annotations).sort()).toEqual(Object.values(NLB_ANNOTATIONS).filter((key) => key !== NLB_ANNOTATIONS.backendProtocol).sort());
  });

  test('renders what the user set', () => {
    const annotations = plan({
      scheme: 'internet-facing',
      targetType: 'ip',
      healthCheckProtocol: 'HTTPS',
      healthCheckInterval: Duration.seconds(5),
      healthCheckTimeout: Duration.seconds(2),
      healthyThreshold: 3,
      unhealthyThreshold: 4,
      healthCheckSuccessCodes: '200-299',
      preserveClientIp: true,
      proxyProtocolV2: true,
      crossZone: false,
      backendProtocol: 'ssl',
      deregistrationDelay: Duration.minutes(10),
      unhealthyDrainingInterval: Duration.minutes(6),
    }).serviceAnnotations;
    expect(annotations[NLB_ANNOTATIONS.scheme]).toBe('internet-facing');
    expect(annotations[NLB_ANNOTATIONS.targetType]).toBe('ip');
    expect(annotations[NLB_ANNOTATIONS.healthCheckProtocol]).toBe('HTTPS');
    expect(annotations[NLB_ANNOTATIONS.healthCheckInterval]).toBe('5');
    expect(annotations[NLB_ANNOTATIONS.healthCheckTimeout]).toBe('2');
    expect(annotations[NLB_ANNOTATIONS.healthyThreshold]).toBe('3');
    expect(annotations[NLB_ANNOTATIONS.unhealthyThreshold]).toBe('4');
    expect(annotations[NLB_ANNOTATIONS.successCodes]).toBe('200-299');
    expect(annotations[NLB_ANNOTATIONS.backendProtocol]).toBe('ssl');
    expect(parseAttributeMap(annotations[NLB_ANNOTATIONS.attributes])).toEqual({ [LOAD_BALANCER_ATTRIBUTES.crossZone]: 'false' });
    const attributes = parseAttributeMap(annotations[NLB_ANNOTATIONS.targetGroupAttributes]);
    expect(attributes[TARGET_GROUP_ATTRIBUTES.deregistrationDelay]).toBe('600');
    expect(attributes[TARGET_GROUP_ATTRIBUTES.unhealthyDrainingInterval]).toBe('360');
    expect(attributes[TARGET_GROUP_ATTRIBUTES.preserveClientIp]).toBe('true');
    expect(attributes[TARGET_GROUP_ATTRIBUTES.proxyProtocolV2]).toBe('true');
  });

  test('attribute maps round-trip through the annotation format', () => {
    const map = { 'a.b': '1', 'c.d': 'true' };
    expect(formatAttributeMap(map)).toBe('a.b=1,c.d=true');
    expect(parseAttributeMap(formatAttributeMap(map))).toEqual(map);
  });
});

describe('planNlb: the chain for several NLB settings', () => {
  const settings: [string, NlbOptions, { detection: number; window: number; keepServing: number; grace: number; minReady: number; draining: number }][] = [
    // ELBv2's own defaults for an HTTP check: every 30 s, 6 s timeout, healthy after 5, unhealthy after 2
    ['AWS API defaults (30 s, 6 s, 5/2)', { healthCheckInterval: Duration.seconds(30), healthCheckTimeout: Duration.seconds(6), healthyThreshold: 5, unhealthyThreshold: 2 }, { detection: 2 * 30 + 6, window: 2 * 30.5, keepServing: 66 + 5, grace: 71 + 15 + 5, minReady: 5 * 30 + 5, draining: 71 + 15 - 30 + 5 }],
    ["the Gloo guide's (10 s, 6 s, 2/2)", { healthCheckInterval: Duration.seconds(10), healthCheckTimeout: Duration.seconds(6), healthyThreshold: 2, unhealthyThreshold: 2 }, { detection: 2 * 10 + 6, window: 2 * 10.5, keepServing: 26 + 5, grace: 31 + 15 + 5, minReady: 2 * 10 + 5, draining: 31 + 15 - 10 + 5 }],
    ['a fast one (5 s, 2 s, 2/2)', { healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2), healthyThreshold: 2, unhealthyThreshold: 2 }, { detection: 2 * 5 + 2, window: 2 * 5.5, keepServing: 12 + 5, grace: 17 + 15 + 5, minReady: 2 * 5 + 5, draining: 17 + 15 - 5 + 5 }],
    ["IP targets with the Gloo guide's checks", { targetType: 'ip' }, { detection: 26, window: 120, keepServing: 120 + 5, grace: 125 + 15 + 5, minReady: 25, draining: 125 + 15 - 10 + 5 }],
  ];

  test.each(settings)('%s', (_name, options, expected) => {
    const { budget, model } = plan(options);
    expect(budget.detectionWindowSeconds).toBe(expected.detection);
    expect(budget.newConnectionWindowSeconds).toBe(expected.window);
    expect(budget.keepServingSeconds).toBe(expected.keepServing);
    expect(budget.terminationGracePeriodSeconds).toBe(expected.grace);
    expect(budget.minReadySeconds).toBe(expected.minReady);
    expect(model.unhealthyDrainingIntervalSeconds).toBe(expected.draining);
    expect(model.deregistrationDelaySeconds).toBe(expected.grace);

    // A gateway that follows the budget passes the invariants the checker applies to the same model.
    const gateway = workload({
      drain: drain({ keepServingSeconds: budget.keepServingSeconds, drainSeconds: budget.drainTimeoutSeconds }),
      terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
      minReadySeconds: budget.minReadySeconds,
    });
    expect([...checkLoadBalancerDetection(gateway, model), ...checkKeepAlive(gateway, model), ...checkGracePeriod(gateway)]).toEqual([]);
  });

  test("the Gloo guide's gateway (serving 5 s, killed at 7 s) breaks the chain its own NLB settings set", () => {
    const { model } = plan({ healthCheckInterval: Duration.seconds(10), healthCheckTimeout: Duration.seconds(6) });
    const gloo = workload({ drain: drain({ keepServingSeconds: 5, drainSeconds: 0 }), terminationGracePeriodSeconds: 7 });
    expect(checkLoadBalancerDetection(gloo, model).map((each) => each.rule)).toContain('gateway-stops-before-lb-detection');
  });

  test('model carries the target type, the health check and the derived attributes', () => {
    const { model } = plan({ targetType: 'ip' });
    expect(model).toMatchObject({
      object: 'Service/edge/gateway',
      provider: 'aws-nlb',
      targetType: 'ip',
      healthCheckProtocol: 'HTTP',
      healthCheckPort: 'traffic-port',
      healthCheckPath: '/envoy-hc',
      deregistrationLagSeconds: DEFAULT_IP_DEREGISTRATION_LAG_SECONDS,
      unhealthyConnectionTermination: false,
      crossZone: true,
      preserveClientIp: false,
      proxyProtocolV2: false,
    });
  });
});

describe('planNlb: overrides that break the chain', () => {
  test('fails when the unhealthy draining interval is shorter than the drain left after the target turns unhealthy', () => {
    expect(() => plan({ unhealthyDrainingInterval: Duration.seconds(10) })).toThrow(BudgetError);
    // 46 s preStop − 10 s earliest mark: the same bound the checker errs below.
    expect(() => plan({ unhealthyDrainingInterval: Duration.seconds(10) })).toThrow(/'unhealthyDrainingInterval' \(10s\) must be at least the part of the gateway's drain after the target may turn unhealthy \(36s\)/);
    expect(() => plan({ unhealthyDrainingInterval: Duration.seconds(36) })).not.toThrow();
  });

  test('refuses unhealthy connection termination: it resets requests in flight when the target turns unhealthy', () => {
    expect(() => plan({ unhealthyConnectionTermination: true, unhealthyDrainingInterval: Duration.ZERO })).toThrow(/'unhealthyConnectionTermination' \(true\) must be false/);
  });

  test('fails when connections are reset at the end of a deregistration delay shorter than the preStop', () => {
    expect(() => plan({ targetType: 'ip', deregistrationDelay: Duration.seconds(30) })).toThrow(/'deregistrationDelay' \(30s\) must be at least the gateway's whole preStop \(140s\)/);
    expect(() => plan({ targetType: 'ip', deregistrationDelay: Duration.seconds(30), deregistrationConnectionTermination: false })).not.toThrow();
    // An instance target (the node) is not deregistered when a gateway pod stops.
    expect(() => plan({ deregistrationDelay: Duration.seconds(30) })).not.toThrow();
  });

  test("passes the gateway solver's own errors through", () => {
    const strict = (loadBalancer: LoadBalancerModel) => solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: 15, keepServingSeconds: 10, propNames: { keepServing: 'preStopDelay' } });
    expect(() => planNlb({}, GATEWAY, strict)).toThrow(/'preStopDelay' \(10s\) must be at least/);
  });

  test('fails on a health check path ELBv2 refuses', () => {
    expect(() => planNlb({}, { ...GATEWAY, healthCheckPath: 'envoy-hc' }, solve)).toThrow(/'healthCheckPath'/);
  });

  test('a provisional model leaves derived attributes at zero until the gateway has solved', () => {
    const model = nlbLoadBalancerModel(resolveNlbOptions(), GATEWAY);
    expect(model.unhealthyDrainingIntervalSeconds).toBe(0);
    expect(model.deregistrationDelaySeconds).toBe(0);
  });
});

describe('planNlb annotations read back', () => {
  // The reader (hitless check, explain, simulate) must see the very load balancer the construct planned.
  test.each<[string, NlbOptions]>([
    ['defaults', {}],
    ['IP targets, fast checks, everything set', { targetType: 'ip', healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2), healthyThreshold: 3, unhealthyThreshold: 4, proxyProtocolV2: true, crossZone: false, preserveClientIp: true }],
  ])('%s: the reader rebuilds the same model from the annotations', (_name, options) => {
    const { model, serviceAnnotations } = plan(options);
    const findings: Finding[] = [];
    const read = readAwsLoadBalancer(model.object, serviceAnnotations, 'Local', undefined, findings);
    expect(findings).toEqual([]);
    expect(read).toEqual(model);
  });
});
