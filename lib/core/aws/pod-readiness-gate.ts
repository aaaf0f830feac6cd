import { KubeObject } from '../kube-object';

/**
 * The namespace label that makes the AWS Load Balancer Controller inject a readiness gate into new
 * pods, so that a pod becomes ready only once its IP target is healthy in the NLB: a rollout then
 * cannot delete an old gateway pod before the new one receives traffic. It works with IP targets
 * only (with instance targets the NLB knows nodes, not pods).
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/
 */
export const POD_READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/** The labels that turn the readiness gate on for a namespace. */
export function podReadinessGateNamespaceLabels(): Record<string, string> {
  return { [POD_READINESS_GATE_LABEL]: 'enabled' };
}

/**
 * A Namespace carrying the readiness-gate label, for apps that own their namespace. A namespace
 * made elsewhere is labelled instead:
 * `kubectl label namespace NAME elbv2.k8s.aws/pod-readiness-gate-inject=enabled`.
 */
export function readinessGateNamespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { ...labels, ...podReadinessGateNamespaceLabels() } },
  };
}
