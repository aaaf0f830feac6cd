import { drainingPatch, drainingServiceRefs } from '../../../lib/core/draining-service';
import { Duration } from '../../../lib/core/duration';
import { Finding } from '../../../lib/core/finding';
import { checkUpstream } from '../../../lib/core/timing/invariants';
import { defaultDnsDiscovery } from '../../../lib/core/timing/windows';
import { readWorkload, selects } from '../../../lib/read';
import { expectValidKubernetesObjects } from '../../support/k8s-schema';
import { edsDiscovery, gatewayPair } from './support';

describe('drainingPatch on an existing Deployment', () => {
  const existing = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'legacy', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'legacy' } },
      template: {
        metadata: { labels: { app: 'legacy' } },
        spec: {
          containers: [
            { name: 'app', image: 'legacy:1', readinessProbe: { httpGet: { path: '/ready', port: 8080 } }, lifecycle: { postStart: { exec: { command: ['true'] } } }, securityContext: { runAsNonRoot: true } },
            { name: 'sidecar', image: 'sidecar:1', securityContext: { runAsNonRoot: true } },
          ],
        },
      },
    },
  };

  function apply(doc: any, operations: { path: string; value: unknown }[]): any {
    const copy = JSON.parse(JSON.stringify(doc));
    for (const { path, value } of operations) {
      const keys = path.split('/').slice(1);
      const last = keys.pop()!;
      const parent = keys.reduce((node, key) => node[key], copy);
      parent[last] = value;
    }
    return copy;
  }

  test('adds preStop to every container, keeps other hooks, and leaves no findings', () => {
    const patch = drainingPatch(existing, { kubernetesVersion: '1.29' });
    const patched = apply(existing, patch.operations);
    const containers = patched.spec.template.spec.containers;
    expect(containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['true'] } }, preStop: { exec: { command: ['sleep', '41'] } } });
    expect(containers[1].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '41'] } } });
    expect(patched.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(patched.spec.minReadySeconds).toBe(patch.budget.minReadySeconds);
    expect(patched.spec.template.spec.terminationGracePeriodSeconds).toBe(patch.budget.terminationGracePeriodSeconds);
    expectValidKubernetesObjects([patched]);
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'legacy', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'legacy' } } } };
    // The patched Deployment is the user's manifest: lib/read reads it, as `hitless check` would.
    const findings: Finding[] = [];
    const read = readWorkload(patched, findings)!.model;
    expect(findings).toEqual([]);
    expect(selects(pdb.spec.selector.matchLabels, read.podLabels)).toBe(true);
    const disruptionBudget = { object: 'PodDisruptionBudget/shop/legacy', maxUnavailable: pdb.spec.maxUnavailable };
    const workload = { ...read, appDrainSeconds: 5, disruptionBudget, spreadTopologyKeys: ['kubernetes.io/hostname'] };
    const { model } = gatewayPair('gw', defaultDnsDiscovery(), 5, drainingServiceRefs('legacy', 'shop'));
    const services = [{ object: 'Service/shop/legacy-headless', type: 'ClusterIP' as const, headless: true, externalTrafficPolicy: 'Cluster' as const, selector: { app: 'legacy' }, ports: [{ port: 8080 }] }];
    expect(checkUpstream({ workload, services }, [model])).toEqual([]);
  });

  test('fails when the Deployment has no readiness probe', () => {
    const noProbe = apply(existing, [{ path: '/spec/template/spec/containers/0/readinessProbe', value: undefined }]);
    expect(() => drainingPatch(noProbe)).toThrow("'readinessProbe' (none) must be set on the serving container: Deployment 'legacy' cannot drain");
  });

  test('fails when the Deployment runs 1 replica; 2 pass', () => {
    expect(() => drainingPatch(apply(existing, [{ path: '/spec/replicas', value: 1 }]))).toThrow("'replicas' (1) must be at least 2");
    expect(() => drainingPatch(apply(existing, [{ path: '/spec/replicas', value: 2 }]))).not.toThrow();
  });

  test('fails when a container already has a preStop hook', () => {
    const hooked = apply(existing, [{ path: '/spec/template/spec/containers/1/lifecycle', value: { preStop: { exec: { command: ['sh', '-c', 'kill 1'] } } } }]);
    expect(() => drainingPatch(hooked)).toThrow("container 'sidecar' of Deployment 'legacy' already has a preStop hook");
  });

  test('checks timing overrides against the gateways given', () => {
    const eds = gatewayPair('eds-gw', edsDiscovery, 5);
    expect(drainingPatch(existing, { preStopDelay: Duration.seconds(2) }, [eds.inFront]).budget.keepServingSeconds).toBe(2);
    expect(() => drainingPatch(existing, { preStopDelay: Duration.seconds(1) }, [eds.inFront])).toThrow("'preStopDelay' (1s) must be at least the gateways' discovery delay (2s)");
  });
});
