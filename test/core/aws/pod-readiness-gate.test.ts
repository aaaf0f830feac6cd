import { POD_READINESS_GATE_LABEL, podReadinessGateNamespaceLabels, readinessGateNamespace } from '../../../lib/core/aws/pod-readiness-gate';
import { validateKubernetesObject } from '../../support/k8s-schema';

describe('pod readiness gate', () => {
  test('is the label the AWS Load Balancer Controller watches', () => {
    expect(POD_READINESS_GATE_LABEL).toBe('elbv2.k8s.aws/pod-readiness-gate-inject');
    expect(podReadinessGateNamespaceLabels()).toEqual({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' });
  });

  test('a Namespace carries it next to its own labels, and is a valid Namespace', () => {
    const namespace = readinessGateNamespace('edge', { team: 'platform' });
    expect(namespace.metadata).toEqual({ name: 'edge', labels: { team: 'platform', 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' } });
    expect(validateKubernetesObject(namespace)).toEqual([]);
  });
});
