import { attachNlb } from '../../../lib/core/aws/attach-nlb';
import { NLB_ANNOTATIONS, TARGET_GROUP_ATTRIBUTES, parseAttributeMap } from '../../../lib/core/aws/nlb';
import { Duration } from '../../../lib/core/duration';
import { explainGatewayTermination } from '../../../lib/core/explain';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { GatewayWorkload } from '../../../lib/core/gateway/workload';
import { checkGracePeriod, checkKeepAlive, checkLoadBalancerDetection } from '../../../lib/core/timing/invariants';
import { readManifestObjects } from '../../../lib/read';
import { recordingGateway } from '../../support/recording-gateway';

describe('attachNlb', () => {
  test('attaches once: the attributes derived from the budget the gateway solves for the health checks', () => {
    const { gateway, attachments } = recordingGateway({ drainTimeout: Duration.seconds(20) });
    const plan = attachNlb({}, gateway);
    expect(attachments).toHaveLength(1);
    expect(attachments[0].model).toBe(plan.model);
    expect(attachments[0].serviceAnnotations).toBe(plan.serviceAnnotations);
    expect(gateway.loadBalancer).toBe(plan.model);
    // 26 s detection + 5 s margin + 20 s drain = 51 s preStop
    expect(plan.budget.preStopSeconds).toBe(51);
    expect(plan.budget).toEqual(gateway.budget);
    // from the earliest unhealthy mark, (2 − 1) × 10 s
    expect(plan.model.unhealthyDrainingIntervalSeconds).toBe(51 - 10 + 5);
  });

  test('plans with the gateway\'s overrides: one that the NLB breaks is refused and nothing is attached', () => {
    const { gateway, attachments } = recordingGateway({ keepServing: Duration.seconds(20) });
    expect(() => attachNlb({}, gateway)).toThrow(/^'keepServing' \(20s\) must be at least the load balancer's detection window \(21s\)/);
    expect(attachments).toEqual([]);
  });

  test('a bound target group names the binding and leaves the Service plain', () => {
    const { gateway, attachments } = recordingGateway();
    const plan = attachNlb({}, gateway, { targetGroupBinding: 'TargetGroupBinding/edge/gateway' });
    expect(plan.model.object).toBe('TargetGroupBinding/edge/gateway');
    expect(plan.serviceAnnotations).toEqual({});
    expect(attachments.map((each) => each.serviceTypeLoadBalancer)).toEqual([false]);
    expect((gateway.objects().service.spec as { type: string }).type).toBe('NodePort');
  });

  test('a host-port target group names the target group with targetType host-port, after solving as instance targets', () => {
    const { gateway, attachments } = recordingGateway({ workload: GatewayWorkload.daemonSet({ hostPort: 8080 }) });
    const solved: string[] = [];
    const solve = gateway.solveBudget.bind(gateway);
    jest.spyOn(gateway, 'solveBudget').mockImplementation((loadBalancer) => {
      solved.push(loadBalancer.targetType);
      return solve(loadBalancer);
    });
    const plan = attachNlb({}, gateway, { hostPortTargetGroup: 'TargetGroup/edge/gateway' });
    expect(plan.model).toMatchObject({ object: 'TargetGroup/edge/gateway', targetType: 'host-port' });
    expect(solved).toEqual(['instance']);
    expect(plan.serviceAnnotations).toEqual({});
    expect(attachments.map((each) => each.serviceTypeLoadBalancer)).toEqual([false]);
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
