import { Duration, Testing } from 'cdk8s';
import { GlooEdgeGateway } from '../../lib/cdk8s/gloo-edge';
import { HealthCheckedNlb } from '../../lib/cdk8s/health-checked-nlb';
import { Elbv2LimitError } from '../../lib/core/aws/elbv2-limits';
import { NLB_ANNOTATIONS, TARGET_GROUP_ATTRIBUTES, parseAttributeMap } from '../../lib/core/aws/nlb';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../../lib/core/load-balancer-link';
import { LoadBalancerModel } from '../../lib/core/model';
import { BudgetError } from '../../lib/core/timing/budget-error';
import { GatewayBudget, solveGatewayBudget } from '../../lib/core/timing/solver';
import { DEFAULT_IP_DEREGISTRATION_LAG_SECONDS } from '../../lib/core/timing/windows';
import { describeWithCrds, validateCustomResource } from '../support/crd-schema';
import { validateKubernetesObject } from '../support/k8s-schema';

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/edge-gateway/73e2d6bc24d8a067';

/** A gateway that solves as the contract says: on every attachment, with its own drain timeout and overrides. */
class FakeGateway implements LoadBalancedGateway {
  public readonly workloadObject = 'Deployment/edge/gateway';
  public readonly serviceObject = 'Service/edge/gateway';
  public readonly trafficPort = 80;
  public readonly healthCheckPath = '/envoy-hc';
  public readonly mode = 'deployment' as const;
  public readonly attachments: LoadBalancerAttachment[] = [];
  public budget: GatewayBudget;

  constructor(private readonly overrides: { drainTimeoutSeconds?: number; keepServingSeconds?: number } = {}) {
    this.budget = this.solve({ ...placeholderModel });
  }

  public solveBudget(loadBalancer: LoadBalancerModel): GatewayBudget {
    return this.solve(loadBalancer);
  }

  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    this.budget = this.solve(attachment.model);
    this.attachments.push(attachment);
  }

  private solve(loadBalancer: LoadBalancerModel): GatewayBudget {
    return solveGatewayBudget({ loadBalancer, drainTimeoutSeconds: this.overrides.drainTimeoutSeconds ?? 20, keepServingSeconds: this.overrides.keepServingSeconds, propNames: { keepServing: 'keepServing' } });
  }
}

/** What the fake assumes before an NLB attaches: a fast check, so that overrides are judged only against the NLB. */
const placeholderModel: LoadBalancerModel = {
  object: 'Service/edge/gateway',
  provider: 'aws-nlb',
  targetType: 'instance',
  healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 },
  healthCheckProtocol: 'HTTP',
  healthCheckPort: 'traffic-port',
  deregistrationLagSeconds: 0,
  deregistrationDelaySeconds: 300,
  deregistrationConnectionTermination: false,
  unhealthyConnectionTermination: true,
  unhealthyDrainingIntervalSeconds: 0,
};

describe('HealthCheckedNlb with a gateway that reports its budget', () => {
  test('attaches the final model and annotations to the gateway, and the budget is the gateway’s own', () => {
    const chart = Testing.chart();
    const gateway = new FakeGateway();
    const nlb = new HealthCheckedNlb(chart, 'nlb', { gateway, scheme: 'internet-facing' });
    expect(gateway.attachments).toHaveLength(1);
    const last = gateway.attachments.at(-1)!;
    expect(last.model).toBe(nlb.model);
    expect(last.serviceAnnotations).toEqual(nlb.serviceAnnotations);
    expect(last.serviceTypeLoadBalancer).toBe(true);
    expect(nlb.budget).toEqual(gateway.budget);
    // 2 × 10 + 6 = 26 s, + 5 s margin, + the gateway's 20 s drain
    expect(nlb.budget.keepServingSeconds).toBe(31);
    expect(nlb.budget.preStopSeconds).toBe(51);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('renders the annotations field by field', () => {
    const chart = Testing.chart();
    const nlb = new HealthCheckedNlb(chart, 'nlb', {
      gateway: new FakeGateway(),
      scheme: 'internet-facing',
      healthCheckInterval: Duration.seconds(5),
      healthCheckTimeout: Duration.seconds(2),
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    });
    const a = nlb.serviceAnnotations;
    expect(a['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('external');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-nlb-target-type']).toBe('instance');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internet-facing');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol']).toBe('HTTP');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-port']).toBe('traffic-port');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-path']).toBe('/envoy-hc');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval']).toBe('5');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout']).toBe('2');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold']).toBe('3');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold']).toBe('2');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-healthcheck-success-codes']).toBe('200');
    expect(a['service.beta.kubernetes.io/aws-load-balancer-attributes']).toBe('load_balancing.cross_zone.enabled=true');
    // 2 × 5 + 2 = 12 s detection, + 5 s = 17 s serving, + 20 s drain = 37 s preStop, grace 42 s
    expect(parseAttributeMap(a['service.beta.kubernetes.io/aws-load-balancer-target-group-attributes'])).toEqual({
      'deregistration_delay.timeout_seconds': '42',
      'deregistration_delay.connection_termination.enabled': 'true',
      'preserve_client_ip.enabled': 'true',
      'proxy_protocol_v2.enabled': 'false',
      'target_health_state.unhealthy.connection_termination.enabled': 'false',
      // from the earliest unhealthy mark, (2 − 1) × 5 s
      'target_health_state.unhealthy.draining_interval_seconds': String(37 - 5 + 5),
    });
  });

  test('IP targets: the gateway keeps serving through the deregistration lag, and the namespace gets the readiness gate', () => {
    const chart = Testing.chart();
    const gateway = new FakeGateway();
    const nlb = new HealthCheckedNlb(chart, 'nlb', { gateway, targetType: 'ip', readinessGateNamespace: true });
    expect(nlb.model.deregistrationLagSeconds).toBe(DEFAULT_IP_DEREGISTRATION_LAG_SECONDS);
    expect(gateway.budget.keepServingSeconds).toBe(DEFAULT_IP_DEREGISTRATION_LAG_SECONDS + 5);
    expect(nlb.serviceAnnotations[NLB_ANNOTATIONS.targetType]).toBe('ip');
    expect(parseAttributeMap(nlb.serviceAnnotations[NLB_ANNOTATIONS.targetGroupAttributes])[TARGET_GROUP_ATTRIBUTES.preserveClientIp]).toBe('false');
    const [namespace] = Testing.synth(chart);
    expect(namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge', labels: { 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } } });
    expect(validateKubernetesObject(namespace)).toEqual([]);
  });

  test('fails on the readiness gate with instance targets', () => {
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway(), readinessGateNamespace: true })).toThrow(/'readinessGateNamespace' .* must be used with targetType 'ip' only/);
  });

  test('fails early on a value ELBv2 refuses, naming the prop, the value and the range', () => {
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway(), healthCheckInterval: Duration.seconds(3) })).toThrow(Elbv2LimitError);
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway(), healthCheckInterval: Duration.seconds(3) })).toThrow(/'healthCheckInterval' \(3s\) must be a whole number between 5s and 300s/);
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway(), unhealthyThreshold: 20 })).toThrow(/'unhealthyThreshold' \(20\) must be a whole number between 2 and 10/);
  });

  test("fails when the gateway's own setting can't hold behind this NLB (the gateway's solver speaks)", () => {
    const gateway = new FakeGateway({ keepServingSeconds: 20 });
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway })).toThrow(BudgetError);
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway })).toThrow(/'keepServing' \(20s\) must be at least the load balancer's detection window \(21s\): .* 2 × 10s \(\+ jitter\) = 21s/);
    // a faster health check lets the same gateway through: 2 × 5 + 2 + 5 = 17 s
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway, healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2) })).not.toThrow();
  });

  test('fails when a draining interval set by hand is shorter than the drain it must cover', () => {
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway(), unhealthyDrainingInterval: Duration.seconds(5) })).toThrow(/'unhealthyDrainingInterval' \(5s\) must be at least/);
  });

  test('explains the termination with the numbers it solved', () => {
    const nlb = new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway() });
    const timeline = nlb.explain();
    // 2 × (10 s + 0.5 s jitter) for a check Envoy answers with 503; the derived keep-serving is D_lb (26 s) + 5 s.
    expect(timeline.events.find((event) => event.kind === 'lb-stops-new-connections')?.atSeconds).toBe(21);
    expect(timeline.events.find((event) => event.kind === 'stops-serving')?.atSeconds).toBe(31);
    expect(timeline.events.find((event) => event.kind === 'sigkill')?.atSeconds).toBe(nlb.budget.terminationGracePeriodSeconds);
    expect(timeline.margins.every((margin) => margin.ok)).toBe(true);
    expect(nlb.explainText()).toContain('Deployment/edge/gateway behind Service/edge/gateway');
  });
});

describe('HealthCheckedNlb with a target group made outside Kubernetes', () => {
  test('emits a TargetGroupBinding and leaves the Service without annotations', () => {
    const chart = Testing.chart();
    const gateway = new FakeGateway();
    const nlb = new HealthCheckedNlb(chart, 'nlb', { gateway, targetGroupArn: ARN });
    expect(nlb.targetGroupBinding?.node.id).toBe('TargetGroupBinding');
    expect(nlb.serviceAnnotations).toEqual({});
    const last = gateway.attachments.at(-1)!;
    expect(last.serviceTypeLoadBalancer).toBe(false);
    expect(last.serviceAnnotations).toEqual({});
    expect(last.model.object).toBe('TargetGroupBinding/edge/gateway');
    expect(Testing.synth(chart)).toEqual([
      {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name: 'gateway', namespace: 'edge' },
        spec: { serviceRef: { name: 'gateway', port: 80 }, targetGroupARN: ARN, targetType: 'instance' },
      },
    ]);
  });

  test('fails on ingress rules without a target group ARN', () => {
    expect(() => new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: new FakeGateway(), targetGroupBindingIngress: [{ from: [{ cidr: '10.0.0.0/16' }], ports: [] }] })).toThrow(/'targetGroupBindingIngress'/);
  });
});

describeWithCrds('HealthCheckedNlb TargetGroupBinding against the CRD', () => {
  test('is valid, with and without networking', () => {
    for (const targetGroupBindingIngress of [undefined, [{ from: [{ securityGroupId: 'sg-0123456789abcdef0' }], ports: [{ port: 8080 }] }]]) {
      const chart = Testing.chart();
      new HealthCheckedNlb(chart, 'nlb', { gateway: new FakeGateway(), targetGroupArn: ARN, targetType: 'ip', targetGroupBindingIngress });
      for (const object of Testing.synth(chart)) expect(validateCustomResource(object)).toEqual([]);
    }
  });
});

describe('HealthCheckedNlb in front of a GlooEdgeGateway (a real LoadBalancedGateway)', () => {
  test("puts the annotations on the proxy's Service, and the target group attributes follow the proxy's own budget", () => {
    const chart = Testing.chart();
    const gateway = new GlooEdgeGateway(chart, 'gloo');
    const nlb = new HealthCheckedNlb(chart, 'nlb', { gateway, scheme: 'internet-facing' });
    const values = gateway.helmValues() as { gatewayProxies: Record<string, { service?: { type?: string; extraAnnotations?: Record<string, string> }; podTemplate?: { gracefulShutdown?: { sleepTimeSeconds?: number } } }> };
    const proxy = Object.values(values.gatewayProxies)[0];
    expect(proxy.service?.type).toBe('LoadBalancer');
    const annotations = proxy.service?.extraAnnotations ?? {};
    expect(annotations).toEqual(nlb.serviceAnnotations);
    expect(annotations[NLB_ANNOTATIONS.type]).toBe('external');
    expect(annotations[NLB_ANNOTATIONS.scheme]).toBe('internet-facing');
    expect(annotations[NLB_ANNOTATIONS.healthCheckPath]).toBe(gateway.healthCheckPath);
    expect(annotations[NLB_ANNOTATIONS.healthCheckPort]).toBe('traffic-port');
    expect(annotations[NLB_ANNOTATIONS.healthCheckInterval]).toBe('10');
    expect(annotations[NLB_ANNOTATIONS.healthCheckTimeout]).toBe('6');
    const attributes = parseAttributeMap(annotations[NLB_ANNOTATIONS.targetGroupAttributes]);
    expect(attributes[TARGET_GROUP_ATTRIBUTES.unhealthyDrainingInterval]).toBe(String(gateway.budget.unhealthyDrainingIntervalSeconds));
    expect(attributes[TARGET_GROUP_ATTRIBUTES.deregistrationDelay]).toBe(String(gateway.budget.terminationGracePeriodSeconds));
    expect(nlb.budget).toEqual(gateway.budget);
    // The proxy's sleep covers the NLB's detection window (2 × 10 + 6) and the margin.
    expect(proxy.podTemplate?.gracefulShutdown?.sleepTimeSeconds).toBeGreaterThanOrEqual(26 + 5);
  });

  test('a faster NLB shortens the proxy’s sleep', () => {
    const slow = new GlooEdgeGateway(Testing.chart(), 'gloo');
    new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: slow });
    const fast = new GlooEdgeGateway(Testing.chart(), 'gloo');
    new HealthCheckedNlb(Testing.chart(), 'nlb', { gateway: fast, healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2) });
    expect(slow.budget.keepServingSeconds - fast.budget.keepServingSeconds).toBe(26 - 12);
  });
});
