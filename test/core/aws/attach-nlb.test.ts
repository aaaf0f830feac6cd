import { attachNlb } from '../../../lib/core/aws/attach-nlb';
import { NLB_ANNOTATIONS, TARGET_GROUP_ATTRIBUTES, parseAttributeMap } from '../../../lib/core/aws/nlb';
import { Duration } from '../../../lib/core/duration';
import { explainGatewayTermination } from '../../../lib/core/explain';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../../../lib/core/load-balancer-link';
import { checkGracePeriod, checkKeepAlive, checkLoadBalancerDetection } from '../../../lib/core/timing/invariants';
import { readManifestObjects } from '../../../lib/read';

function bareGateway(attachments: LoadBalancerAttachment[]): LoadBalancedGateway {
  return {
    workloadObject: 'Deployment/edge/gateway',
    serviceObject: 'Service/edge/gateway',
    trafficPort: 80,
    healthCheckPath: '/envoy-hc',
    mode: 'deployment',
    attachLoadBalancer: (attachment: LoadBalancerAttachment) => attachments.push(attachment),
  } as unknown as LoadBalancedGateway; // a gateway made before `budget` joined the contract: attachNlb falls back to its own solve
}

describe('attachNlb', () => {
  test('attaches twice: the health checks first, then the attributes derived from the budget', () => {
    const attachments: LoadBalancerAttachment[] = [];
    const plan = attachNlb({}, bareGateway(attachments), { fallbackDrainTimeoutSeconds: 20 });
    expect(attachments).toHaveLength(2);
    expect(attachments[0].serviceAnnotations).toEqual({});
    expect(attachments[1].model).toBe(plan.model);
    expect(attachments[1].serviceAnnotations).toBe(plan.serviceAnnotations);
    // 26 s detection + 5 s margin + 20 s drain = 51 s preStop
    expect(plan.budget.preStopSeconds).toBe(51);
    // from the earliest unhealthy mark, (2 − 1) × 10 s
    expect(plan.model.unhealthyDrainingIntervalSeconds).toBe(51 - 10 + 5);
  });

  test('a bound target group names the binding and leaves the Service plain', () => {
    const attachments: LoadBalancerAttachment[] = [];
    const plan = attachNlb({}, bareGateway(attachments), { targetGroupBinding: 'TargetGroupBinding/edge/gateway' });
    expect(plan.model.object).toBe('TargetGroupBinding/edge/gateway');
    expect(plan.serviceAnnotations).toEqual({});
    expect(attachments.every((each) => each.serviceTypeLoadBalancer === false)).toBe(true);
  });

  test('a host-port target group names the target group with targetType host-port, after solving as instance targets', () => {
    const attachments: LoadBalancerAttachment[] = [];
    const plan = attachNlb({}, bareGateway(attachments), { hostPortTargetGroup: 'TargetGroup/edge/gateway' });
    expect(plan.model).toMatchObject({ object: 'TargetGroup/edge/gateway', targetType: 'host-port' });
    expect(attachments[0].model.targetType).toBe('instance');
    expect(plan.serviceAnnotations).toEqual({});
    expect(attachments.every((each) => each.serviceTypeLoadBalancer === false)).toBe(true);
  });
});

describe('attachNlb in front of a GatewayPlan (the hitless gateway, core face)', () => {
  function gatewayWith(options: Parameters<typeof attachNlb>[0]) {
    const gateway = new GatewayPlan({ name: 'gateway', namespace: 'edge' });
    const plan = attachNlb(options, gateway);
    return { gateway, plan };
  }

  test("the gateway's Service carries the annotations, field by field, and its budget drives the attributes", () => {
    const { gateway, plan } = gatewayWith({ scheme: 'internet-facing', healthCheckInterval: Duration.seconds(10), healthCheckTimeout: Duration.seconds(6) });
    const service = gateway.objects().service as unknown as { metadata: { annotations?: Record<string, string> }; spec: { type: string; externalTrafficPolicy: string } };
    const annotations = service.metadata.annotations ?? {};
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.externalTrafficPolicy).toBe('Local');
    expect(annotations[NLB_ANNOTATIONS.type]).toBe('external');
    expect(annotations[NLB_ANNOTATIONS.targetType]).toBe('instance');
    expect(annotations[NLB_ANNOTATIONS.scheme]).toBe('internet-facing');
    expect(annotations[NLB_ANNOTATIONS.healthCheckProtocol]).toBe('HTTP');
    expect(annotations[NLB_ANNOTATIONS.healthCheckPort]).toBe('traffic-port');
    expect(annotations[NLB_ANNOTATIONS.healthCheckPath]).toBe(gateway.healthCheckPath);
    expect(annotations[NLB_ANNOTATIONS.healthCheckInterval]).toBe('10');
    expect(annotations[NLB_ANNOTATIONS.healthCheckTimeout]).toBe('6');
    expect(annotations[NLB_ANNOTATIONS.healthyThreshold]).toBe('2');
    expect(annotations[NLB_ANNOTATIONS.unhealthyThreshold]).toBe('2');
    expect(annotations[NLB_ANNOTATIONS.successCodes]).toBe('200');
    const attributes = parseAttributeMap(annotations[NLB_ANNOTATIONS.targetGroupAttributes]);
    expect(attributes[TARGET_GROUP_ATTRIBUTES.unhealthyConnectionTermination]).toBe('false');
    expect(attributes[TARGET_GROUP_ATTRIBUTES.unhealthyDrainingInterval]).toBe(String(gateway.budget.unhealthyDrainingIntervalSeconds));
    expect(attributes[TARGET_GROUP_ATTRIBUTES.deregistrationDelay]).toBe(String(gateway.budget.terminationGracePeriodSeconds));
    expect(plan.budget).toEqual(gateway.budget);
  });

  test.each([
    ["the Gloo guide's checks", {}],
    ['fast checks', { healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2) }],
    ['IP targets', { targetType: 'ip' as const }],
  ])('with %s, the manifests read back hold the chain and explain shows every margin ok', (_name, options) => {
    const { gateway } = gatewayWith(options);
    const read = readManifestObjects(gateway.objects().all);
    const [model] = read.topology.gateways;
    expect(model).toBeDefined();
    const lb = model.services.find((service) => service.loadBalancer)?.loadBalancer;
    expect(lb).toBeDefined();
    expect([...checkLoadBalancerDetection(model.workload, lb!), ...checkKeepAlive(model.workload, lb!), ...checkGracePeriod(model.workload)]).toEqual([]);
    const timeline = explainGatewayTermination(model);
    expect(timeline.loadBalancerAssumed).toBe(false);
    expect(timeline.margins.filter((margin) => !margin.ok)).toEqual([]);
  });
});
