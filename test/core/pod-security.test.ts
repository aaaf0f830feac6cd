import { restrictedPodSecurityContext, restrictedSecurityContext } from '../../lib/core/pod-security';
import { expectValidKubernetesObjects } from '../support/k8s-schema';

test('the restricted contexts meet the restricted Pod Security Standard and are valid Kubernetes', () => {
  const container = restrictedSecurityContext();
  expect(container).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } });
  expect(container.runAsUser).toBe(65532);
  const pod = restrictedPodSecurityContext();
  expect(pod).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
  expectValidKubernetesObjects([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { securityContext: pod, containers: [{ name: 'app', image: 'app:1', securityContext: container }] } }]);
});

test('options: another user, a writable root filesystem', () => {
  expect(restrictedSecurityContext({ runAsUser: 101, readOnlyRootFilesystem: false })).toMatchObject({ runAsUser: 101, runAsGroup: 101, readOnlyRootFilesystem: false });
});

test('fails on user 0, which is root', () => {
  expect(() => restrictedSecurityContext({ runAsUser: 0 })).toThrow("'runAsUser' (0) must be a positive user id");
});
