import type { Policies } from '@pulumi/policy';
import { hitlessPolicies, StackResource } from '../../lib/plugins/pulumi-policy';

const deployment: StackResource = {
  type: 'kubernetes:apps/v1:Deployment',
  urn: 'urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::envoy',
  props: {
    metadata: { name: 'envoy', namespace: 'edge' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'envoy' } },
      template: { metadata: { labels: { app: 'envoy' } }, spec: { containers: [{ name: 'envoy', image: 'envoyproxy/envoy:v1.31.0' }] } },
    },
  },
};
const service: StackResource = {
  type: 'kubernetes:core/v1:Service',
  urn: 'urn:pulumi:dev::shop::kubernetes:core/v1:Service::envoy',
  props: { metadata: { name: 'envoy', namespace: 'edge' }, spec: { type: 'LoadBalancer', selector: { app: 'envoy' }, ports: [{ port: 80, targetPort: 8080 }] } },
};

function run(resources: StackResource[]) {
  const [errors, warnings] = hitlessPolicies();
  const reported: { policy: string; message: string; urn?: string }[] = [];
  for (const policy of [errors, warnings]) {
    policy.validateStack({ resources }, (message, urn) => reported.push({ policy: policy.name, message, urn }));
  }
  return reported;
}

describe('hitlessPolicies', () => {
  test('are policies of @pulumi/policy, as a PolicyPack takes them', () => {
    // A compile-time check against the real type; the PolicyPack itself serves gRPC, so it is not built here.
    const policies: Policies = hitlessPolicies();
    expect(policies.map((policy) => policy.name)).toEqual(['hitless-drops-requests', 'hitless-may-drop-requests']);
  });

  test('reports findings that drop requests against the resource URN, as mandatory', () => {
    const reported = run([deployment, service, { type: 'aws:s3/bucket:Bucket', urn: 'urn:bucket', props: {} }]);
    const noPreStop = reported.find((each) => each.message.startsWith('[no-prestop]'));
    expect(noPreStop).toEqual(expect.objectContaining({ policy: 'hitless-drops-requests', urn: deployment.urn }));
    expect(noPreStop!.message).toContain('Fix: ');
    expect(hitlessPolicies()[0].enforcementLevel).toBe('mandatory');
    expect(hitlessPolicies()[1].enforcementLevel).toBe('advisory');
  });

  test('derives apiVersion and kind from the Pulumi type token', () => {
    const reported = run([deployment]);
    expect(reported.some((each) => each.urn === deployment.urn)).toBe(true);
  });

  test('reports nothing for a stack without Kubernetes resources', () => {
    expect(run([{ type: 'aws:s3/bucket:Bucket', urn: 'urn:bucket', props: {} }])).toEqual([]);
  });
});
