import { checkManifestText } from '../../lib/check/check';
import { mergeByMechanism } from '../../lib/check/merge-findings';
import { Finding } from '../../lib/core/finding';

const finding = (service: string, extra: Partial<Finding> = {}): Finding => ({
  rule: 'gateway-stops-before-lb-detection',
  category: 'lb-detection',
  severity: 'error',
  objects: ['Deployment/edge/envoy', service],
  message: `Deployment/edge/envoy keeps serving for 0s, but ${service} needs 26s`,
  fix: 'sleep longer',
  ...extra,
});

describe('mergeByMechanism', () => {
  test('merges one hazard reported once per Service into one naming every Service', () => {
    const merged = mergeByMechanism([finding('Service/edge/public'), finding('Service/edge/internal')]);
    expect(merged).toHaveLength(1);
    expect(merged[0].objects).toEqual(['Deployment/edge/envoy', 'Service/edge/public', 'Service/edge/internal']);
    expect(merged[0].message).toBe('Deployment/edge/envoy keeps serving for 0s, but Service/edge/public and Service/edge/internal needs 26s');
  });

  test('keeps findings apart when their numbers, rules or workloads differ', () => {
    expect(mergeByMechanism([finding('Service/edge/a'), finding('Service/edge/b', { message: 'Deployment/edge/envoy keeps serving for 0s, but Service/edge/b needs 65s' })])).toHaveLength(2);
    expect(mergeByMechanism([finding('Service/edge/a'), finding('Service/edge/b', { rule: 'other' })])).toHaveLength(2);
    expect(mergeByMechanism([finding('Service/edge/a'), finding('Service/edge/b', { objects: ['Deployment/edge/other', 'Service/edge/b'] })])).toHaveLength(2);
  });

  test('check reports a gateway hazard once when two Services select the same pods', () => {
    const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: edge, annotations: {service.beta.kubernetes.io/aws-load-balancer-type: external}}\nspec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: envoy}, ports: [{port: 80}]}\n`;
    const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: envoy, namespace: edge}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: envoy}}\n  template:\n    metadata: {labels: {app: envoy}}\n    spec:\n      containers:\n      - {name: envoy, image: envoyproxy/envoy:v1.31.0, lifecycle: {preStop: {sleep: {seconds: 5}}}}\n';
    const report = checkManifestText(`${service('public')}---\n${service('internal')}---\n${deployment}`, 'm.yaml');
    const detection = report.findings.filter((each) => each.rule === 'gateway-stops-before-lb-detection');
    expect(detection).toHaveLength(1);
    expect(detection[0].objects).toEqual(expect.arrayContaining(['Deployment/edge/envoy', 'Service/edge/public', 'Service/edge/internal']));
  });
});
