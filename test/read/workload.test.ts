import { Finding } from '../../lib/core/finding';
import { readWorkload } from '../../lib/read/workload';

function deployment(spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }], ...podSpec } }, ...spec },
  };
}

const read = (object: Record<string, unknown>, findings: Finding[] = []) => readWorkload(object, findings)!.model;

describe('Kubernetes defaults', () => {
  test('replicas 1, 25 % surge and unavailable, grace 30 s, minReady 0', () => {
    expect(read(deployment())).toMatchObject({ object: 'Deployment/shop/web', replicas: 1, maxSurge: 1, maxUnavailable: 0, terminationGracePeriodSeconds: 30, minReadySeconds: 0 });
  });

  test('percentages resolve as Kubernetes does: surge rounds up, unavailable rounds down', () => {
    expect(read(deployment({ replicas: 10 }))).toMatchObject({ maxSurge: 3, maxUnavailable: 2 });
    expect(read(deployment({ replicas: 3, strategy: { rollingUpdate: { maxSurge: '50%', maxUnavailable: '50%' } } }))).toMatchObject({ maxSurge: 2, maxUnavailable: 1 });
  });

  test('Recreate takes every pod down first', () => {
    expect(read(deployment({ replicas: 4, strategy: { type: 'Recreate' } }))).toMatchObject({ maxSurge: 0, maxUnavailable: 4 });
  });

  test('a DaemonSet rolls one node at a time, without surge, by default', () => {
    const daemonSet = { ...deployment(), kind: 'DaemonSet' };
    expect(read(daemonSet)).toMatchObject({ kind: 'DaemonSet', maxSurge: 0, maxUnavailable: 1 });
  });
});

describe('pod template', () => {
  test('reads host ports, anti-affinity, spread, non-root and the readiness probe', () => {
    const model = read(deployment({}, {
      securityContext: { runAsUser: 1000 },
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } },
      topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 }],
      containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080, hostPort: 80 }], readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 2 } }],
    }));
    expect(model).toMatchObject({ hostPorts: [80], containerPorts: [8080], onePodPerNode: true, runsAsNonRoot: true });
    expect(model.spreadTopologyKeys.sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    expect(model.readiness).toMatchObject({ kind: 'http', path: '/ready', periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3 });
  });

  test('a container that runs as root makes the pod run as root', () => {
    const model = read(deployment({}, { securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', image: 'a', securityContext: { runAsUser: 0 } }] }));
    expect(model.runsAsNonRoot).toBe(false);
  });

  test('reads the drain of the Envoy container, not of a sidecar', () => {
    const reading = readWorkload(deployment({}, { containers: [
      { name: 'sidecar', image: 'busybox', ports: [{ containerPort: 9000 }], lifecycle: { preStop: { exec: { command: ['sleep', '1'] } } } },
      { name: 'envoy', image: 'envoyproxy/envoy:v1.31.2', lifecycle: { preStop: { exec: { command: ['sleep', '40'] } } } },
    ] }), [])!;
    expect(reading.runsEnvoy).toBe(true);
    expect(reading.model.drain.keepServingSeconds).toBe(40);
  });
});

describe('fields of the wrong type', () => {
  test('are reported, named with the object and field, and read as absent', () => {
    const findings: Finding[] = [];
    const model = read(deployment({ replicas: 'three', strategy: { rollingUpdate: { maxSurge: true } } }, { terminationGracePeriodSeconds: '-1' }), findings);
    expect(model).toMatchObject({ replicas: 1, maxSurge: 1, terminationGracePeriodSeconds: 30 });
    expect(findings.map((finding) => finding.rule)).toEqual(['invalid-field', 'invalid-field', 'invalid-field']);
    expect(findings[0]).toMatchObject({ category: 'schema', severity: 'error', objects: ['Deployment/shop/web'] });
    expect(findings[0].message).toContain('spec.replicas of Deployment/shop/web is "three"');
  });

  test('maxSurge 0 with maxUnavailable 0 is reported: the API server rejects it', () => {
    const findings: Finding[] = [];
    read(deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), findings);
    expect(findings.map((finding) => finding.rule)).toEqual(['rollout-cannot-progress']);
  });
});

describe('app drain time', () => {
  test('is read from the hitless annotation, and is 0 where nothing states it', () => {
    const annotated = { ...deployment(), metadata: { name: 'orders', namespace: 'shop', annotations: { 'hitless.dev/app-drain-seconds': '15' } } };
    expect(read(annotated).appDrainSeconds).toBe(15);
    expect(read(deployment()).appDrainSeconds).toBe(0);
    const garbled = { ...deployment(), metadata: { name: 'orders', annotations: { 'hitless.dev/app-drain-seconds': 'soon' } } };
    expect(read(garbled).appDrainSeconds).toBe(0);
  });
});
