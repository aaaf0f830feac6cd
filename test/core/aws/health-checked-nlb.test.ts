import { Elbv2LimitError } from '../../../lib/core/aws/elbv2-limits';
import { HealthCheckedNlbOptions, buildHealthCheckedNlb } from '../../../lib/core/aws/health-checked-nlb';
import { NLB_ANNOTATIONS } from '../../../lib/core/aws/nlb';
import { POD_READINESS_GATE_LABEL } from '../../../lib/core/aws/pod-readiness-gate';
import { Duration } from '../../../lib/core/duration';
import { GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { GatewayWorkload } from '../../../lib/core/gateway/workload';
import { LoadBalancedGateway } from '../../../lib/core/load-balancer-link';

import { recordingGateway } from '../../support/recording-gateway';

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/edge/0123456789abcdef';

function daemonSetGateway(hostPort?: number): GatewayPlan {
  return new GatewayPlan({ name: 'edge', namespace: 'ingress', workload: GatewayWorkload.daemonSet({ hostPort }) });
}

function build(options: HealthCheckedNlbOptions, gateway: LoadBalancedGateway = new GatewayPlan({ name: 'gateway', namespace: 'edge' })) {
  return buildHealthCheckedNlb(options, gateway);
}

describe('buildHealthCheckedNlb through the controller annotations (the default binding)', () => {
  test("puts the annotations on the gateway's Service and names the Service in the model", () => {
    const gateway = new GatewayPlan({ name: 'gateway', namespace: 'edge' });
    const built = build({ scheme: 'internet-facing' }, gateway);
    expect(built.model.object).toBe('Service/edge/gateway');
    expect(built.serviceAnnotations[NLB_ANNOTATIONS.scheme]).toBe('internet-facing');
    expect(gateway.loadBalancer).toBe(built.model);
    expect(built.budget).toBe(gateway.budget);
    expect(built.targetGroupBinding).toBeUndefined();
    expect(built.namespace).toBeUndefined();
  });

  test("attaches once, the final model, and the budget is the gateway's own behind it", () => {
    const { gateway, attachments } = recordingGateway({ drainTimeout: Duration.seconds(30) });
    const built = build({}, gateway);
    expect(attachments).toHaveLength(1);
    expect(attachments[0].model).toBe(built.model);
    expect(attachments[0].serviceAnnotations).toBe(built.serviceAnnotations);
    expect(attachments[0].serviceTypeLoadBalancer).toBe(true);
    const detection = built.settings.healthCheckIntervalSeconds * built.settings.unhealthyThreshold + built.settings.healthCheckTimeoutSeconds;
    expect(built.budget.preStopSeconds).toBe(detection + built.budget.marginSeconds + 30);
    expect(built.budget).toEqual(gateway.solveBudget(built.model));
  });

  test('a refused option attaches nothing: the gateway keeps the load balancer it had', () => {
    const { gateway, attachments } = recordingGateway();
    expect(() => build({ unhealthyConnectionTermination: true }, gateway)).toThrow(/^'unhealthyConnectionTermination' \(true\) must be false/);
    expect(attachments).toEqual([]);
    expect(gateway.loadBalancer.object).toBe('Service/edge/gateway');
    expect(gateway.loadBalancer.unhealthyConnectionTermination).toBe(true);
  });

  test('explains the termination with the budget it solved', () => {
    const built = build({});
    const timeline = built.explain();
    expect(timeline.events.find((event) => event.kind === 'sigkill')?.atSeconds).toBe(built.budget.terminationGracePeriodSeconds);
    expect(timeline.margins.every((margin) => margin.ok)).toBe(true);
  });
});

describe('buildHealthCheckedNlb readiness-gate Namespace', () => {
  test("fails for instance targets, naming the prop, the value and the target type it needs", () => {
    expect(() => build({ readinessGateNamespace: true })).toThrow(Elbv2LimitError);
    expect(() => build({ readinessGateNamespace: true, targetType: 'instance' })).toThrow(/^'readinessGateNamespace' \(true\) must be used with targetType 'ip' only/);
  });

  test("builds the gateway's Namespace, labelled, for IP targets", () => {
    const built = build({ readinessGateNamespace: true, targetType: 'ip' });
    expect(built.namespace).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge', labels: { [POD_READINESS_GATE_LABEL]: 'enabled' } } });
  });

  test("a gateway made without a namespace gets the Namespace 'default'", () => {
    expect(build({ readinessGateNamespace: true, targetType: 'ip' }, new GatewayPlan({ name: 'gateway' })).namespace?.metadata.name).toBe('default');
  });
});

describe('buildHealthCheckedNlb with a TargetGroupBinding', () => {
  test('names the binding in the model, leaves the Service plain, and builds the binding for an ARN', () => {
    const { gateway, attachments } = recordingGateway();
    const built = build({ binding: 'target-group-binding', targetType: 'ip' }, gateway);
    expect(built.model.object).toBe('TargetGroupBinding/edge/gateway');
    expect(built.serviceAnnotations).toEqual({});
    expect(attachments.map((each) => each.serviceTypeLoadBalancer)).toEqual([false]);
    expect(built.targetGroupBinding?.object).toBeUndefined();
    const object = built.targetGroupBinding!.forArn(ARN);
    expect(object).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'gateway', namespace: 'edge' },
      spec: { serviceRef: { name: 'gateway', port: 80 }, targetGroupARN: ARN, targetType: 'ip' },
    });
  });

  test('the identity, known before the ARN, is the identity of the object built for the ARN', () => {
    const built = build({ binding: 'target-group-binding' });
    const { spec, ...identity } = built.targetGroupBinding!.forArn(ARN);
    expect(spec).toBeDefined();
    expect(built.targetGroupBinding!.identity).toEqual(identity);
  });

  test('an ARN known now is checked first and the object built whole', () => {
    const built = build({ binding: 'target-group-binding', targetGroupArn: ARN, targetGroupBindingIngress: [{ from: [{ cidr: '10.0.0.0/16' }], ports: [] }] });
    expect(built.targetGroupBinding!.object).toEqual(built.targetGroupBinding!.forArn(ARN));
    expect((built.targetGroupBinding!.object!.spec as { networking: unknown }).networking).toEqual({ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [] }] });
  });

  test('fails on a malformed ARN, naming targetGroupArn, before the gateway is touched', () => {
    const { gateway, attachments } = recordingGateway();
    expect(() => build({ binding: 'target-group-binding', targetGroupArn: 'arn:aws:s3:::bucket' }, gateway)).toThrow(/^'targetGroupArn' \("arn:aws:s3:::bucket"\) must be a target group ARN/);
    expect(attachments).toEqual([]);
    const built = build({ binding: 'target-group-binding' });
    expect(() => built.targetGroupBinding!.forArn('arn:aws:s3:::bucket')).toThrow(/^'targetGroupArn' \("arn:aws:s3:::bucket"\) must be a target group ARN/);
  });

  test('fails on an ARN for another binding', () => {
    expect(() => build({ targetGroupArn: ARN })).toThrow(/^'targetGroupArn' \(".*"\) must be used with binding 'target-group-binding' only/);
  });

  test('fails on ingress rules for another binding, naming the prop that chooses the binding', () => {
    const ingress = [{ from: [{ cidr: '10.0.0.0/16' }], ports: [] }];
    expect(() => build({ targetGroupBindingIngress: ingress })).toThrow(/^'targetGroupBindingIngress' \(set\) must be used with binding 'target-group-binding' only/);
    expect(() => build({ targetGroupBindingIngress: ingress, bindingProp: 'targetGroupArn' })).toThrow(/^'targetGroupBindingIngress' \(set\) must be used with targetGroupArn only/);
    expect(() => build({ targetGroupBindingIngress: ingress, binding: 'target-group-binding' })).not.toThrow();
  });
});

describe('buildHealthCheckedNlb with host-port targets', () => {
  test("names the target group in a host-port model and leaves the Service plain", () => {
    const gateway = daemonSetGateway(80);
    const built = build({ binding: 'host-port' }, gateway);
    expect(built.model.object).toBe('TargetGroup/ingress/edge');
    expect(built.model.targetType).toBe('host-port');
    expect(built.settings.targetType).toBe('instance');
    expect(built.serviceAnnotations).toEqual({});
    expect(gateway.loadBalancer).toBe(built.model);
    expect(built.targetGroupBinding).toBeUndefined();
  });

  test('fails for a Deployment gateway or a DaemonSet without a host port, naming the workload', () => {
    expect(() => build({ binding: 'host-port' })).toThrow(/^binding 'host-port' needs a DaemonSet gateway with a hostPort \(Deployment\/edge\/gateway is a deployment without a host port\)/);
    expect(() => build({ binding: 'host-port', bindingProp: 'aws.autoScalingGroupNames' }, daemonSetGateway())).toThrow(/^'aws.autoScalingGroupNames' needs a DaemonSet gateway with a hostPort \(DaemonSet\/ingress\/edge is a daemonset without a host port\)/);
  });

  test('fails for IP targets, naming targetType, its value and the one allowed', () => {
    expect(() => build({ binding: 'host-port', targetType: 'ip' }, daemonSetGateway(80))).toThrow(/^'targetType' \(ip\) must be 'instance' with binding 'host-port'/);
    expect(() => build({ binding: 'host-port', targetType: 'instance' }, daemonSetGateway(80))).not.toThrow();
  });
});

describe('buildHealthCheckedNlb limits', () => {
  test("fails on a value ELBv2 refuses, at the bound, and passes at the bound", () => {
    expect(() => build({ healthCheckInterval: Duration.seconds(4) })).toThrow(/^'healthCheckInterval' \(4s\) must be a whole number between 5s and 300s/);
    expect(() => build({ healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2) })).not.toThrow();
  });
});
