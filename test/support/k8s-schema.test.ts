import {
  expectValidKubernetesObjects,
  fieldPath,
  KUBERNETES_SCHEMA_VERSION,
  validateKubernetesObject,
  validateObjectMeta,
} from './k8s-schema';

const labels = { 'app.kubernetes.io/name': 'web' };

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels, annotations: { 'hitless.dev/pre-stop': '26s' } },
    spec: {
      replicas: 2,
      minReadySeconds: 20,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 45,
          securityContext: { runAsNonRoot: true, runAsUser: 65532 },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } },
          ],
          containers: [
            {
              name: 'app',
              image: 'ghcr.io/example/web:1.0.0',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 2, failureThreshold: 1 },
              lifecycle: { preStop: { sleep: { seconds: 30 } } },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: 256 * 1024 * 1024 } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'gateway', annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
  spec: {
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    selector: labels,
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
};

const headlessService = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web-headless' },
  spec: { clusterIP: 'None', publishNotReadyAddresses: false, selector: labels, ports: [{ port: 8080, targetPort: 8080 }] },
};

const podDisruptionBudget = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web' },
  spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
};

const configMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'envoy' },
  data: { 'envoy.yaml': 'admin:\n  address: {socket_address: {address: 127.0.0.1, port_value: 19000}}\n' },
};

const daemonSet = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'gateway' },
  spec: {
    selector: { matchLabels: labels },
    minReadySeconds: 20,
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    template: {
      metadata: { labels },
      spec: {
        serviceAccountName: 'gateway',
        containers: [
          {
            name: 'envoy',
            image: 'envoyproxy/envoy:v1.31.0',
            args: ['-c', '/etc/envoy/envoy.yaml', '--drain-time-s', '20'],
            ports: [{ containerPort: 8080, hostPort: 80 }],
            lifecycle: { preStop: { exec: { command: ['/bin/bash', '-c', 'sleep 26'] } } },
            volumeMounts: [{ name: 'config', mountPath: '/etc/envoy', readOnly: true }],
          },
        ],
        volumes: [{ name: 'config', configMap: { name: 'envoy' } }],
      },
    },
  },
};

const serviceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gateway' }, automountServiceAccountToken: false };

describe('validateKubernetesObject', () => {
  test.each([
    ['Deployment', deployment()],
    ['LoadBalancer Service', service],
    ['headless Service', headlessService],
    ['PodDisruptionBudget', podDisruptionBudget],
    ['ConfigMap', configMap],
    ['DaemonSet', daemonSet],
    ['ServiceAccount', serviceAccount],
  ])('accepts a valid %s', (_name, obj) => {
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  test('names the Kubernetes version of the schemas', () => {
    expect(KUBERNETES_SCHEMA_VERSION).toMatch(/^1\.\d+\.\d+$/);
  });

  test('rejects an unknown field in the pod spec (a typo of terminationGracePeriodSeconds)', () => {
    const broken = deployment();
    broken.spec.template.spec.terminationGracePeriod = 45;
    expect(validateKubernetesObject(broken)).toEqual([
      'spec.template.spec.terminationGracePeriod: unknown field "terminationGracePeriod"',
    ]);
  });

  test('rejects unknown fields at the root, in metadata and inside list items', () => {
    const broken = deployment();
    broken.specs = {};
    broken.metadata.label = labels;
    broken.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(validateKubernetesObject(broken).sort()).toEqual([
      'metadata.label: unknown field "label"',
      'spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"',
      'specs: unknown field "specs"',
    ]);
  });

  test('rejects a boolean maxSurge (int-or-string)', () => {
    const broken = deployment();
    broken.spec.strategy.rollingUpdate.maxSurge = true;
    expect(validateKubernetesObject(broken)).toEqual(['spec.strategy.rollingUpdate.maxSurge: must be string or integer']);
  });

  test('rejects a string where an integer is required', () => {
    const broken = deployment();
    broken.spec.template.spec.terminationGracePeriodSeconds = '45';
    expect(validateKubernetesObject(broken)).toEqual(['spec.template.spec.terminationGracePeriodSeconds: must be integer']);
  });

  test('rejects a container without a name', () => {
    const broken = deployment();
    delete broken.spec.template.spec.containers[0].name;
    expect(validateKubernetesObject(broken)).toEqual(['spec.template.spec.containers[0]: missing required field "name"']);
  });

  test('rejects a value outside an enum', () => {
    const broken = { ...service, spec: { ...service.spec, externalTrafficPolicy: 'Locale' } };
    expect(validateKubernetesObject(broken)).toEqual(['spec.externalTrafficPolicy: must be one of "Cluster", "Local"']);
  });

  test('rejects a non-string label value but accepts any label key', () => {
    const broken = { ...configMap, metadata: { name: 'envoy', labels: { 'any.key/at-all': 'x', replicas: 2 } } };
    expect(validateKubernetesObject(broken)).toEqual(['metadata.labels.replicas: must be string']);
  });

  test('ignores undefined fields, as the serialized manifest does', () => {
    const obj = deployment();
    obj.spec.template.spec.nodeSelector = undefined;
    obj.spec.paused = undefined;
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  test('reports a kind it has no schema for', () => {
    expect(validateKubernetesObject({ apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'x' } })).toEqual([
      expect.stringContaining('no schema for cloud.google.com/v1 BackendConfig'),
    ]);
    expect(validateKubernetesObject({ apiVersion: 'apps/v1', kind: '../../v1/Pod' })).toEqual([
      expect.stringContaining('no schema for apps/v1 ../../v1/Pod'),
    ]);
  });

  test('accepts a kind listed as unchecked', () => {
    const backendConfig = { apiVersion: 'cloud.google.com/v1', kind: 'BackendConfig', metadata: { name: 'x' } };
    expect(validateKubernetesObject(backendConfig, { unchecked: ['cloud.google.com/v1 BackendConfig'] })).toEqual([]);
  });

  test('rejects values that are not Kubernetes objects', () => {
    expect(validateKubernetesObject(null)).toEqual(['(root): must be an object, got null']);
    expect(validateKubernetesObject([deployment()])).toEqual(['(root): must be an object, got an array']);
    expect(validateKubernetesObject({ kind: 'Deployment' })).toEqual(['(root): apiVersion and kind must be strings']);
  });

  test('does not modify the object it validates', () => {
    const obj = deployment();
    const before = JSON.stringify(obj);
    validateKubernetesObject(obj);
    expect(JSON.stringify(obj)).toBe(before);
  });

  test('validates frozen objects', () => {
    const freeze = (value: any): any => {
      if (value && typeof value === 'object') {
        Object.values(value).forEach(freeze);
        Object.freeze(value);
      }
      return value;
    };
    const broken = deployment();
    broken.spec.template.spec.terminationGracePeriod = 1;
    expect(validateKubernetesObject(freeze(broken))).toHaveLength(1);
  });
});

describe('validateObjectMeta', () => {
  test('reports problems under the given prefix', () => {
    expect(validateObjectMeta({ name: 'x', labels: { a: 1 }, nam: 'y' }, 'metadata')).toEqual([
      'metadata.labels.a: must be string',
      'metadata.nam: unknown field "nam"',
    ]);
  });
});

describe('expectValidKubernetesObjects', () => {
  test('passes when every object is valid', () => {
    expect(() => expectValidKubernetesObjects([deployment(), service, podDisruptionBudget, configMap])).not.toThrow();
  });

  test('fails listing every problem with the kind and name of its object', () => {
    const broken = deployment();
    broken.spec.template.spec.terminationGracePeriod = 45;
    const brokenService = { ...service, spec: { ...service.spec, type: 'LoadBalancers' } };
    expect(() => expectValidKubernetesObjects([broken, brokenService, configMap])).toThrow(
      [
        `2 schema problem(s) in 3 object(s) (Kubernetes ${KUBERNETES_SCHEMA_VERSION}):`,
        '  - Deployment/shop/web: spec.template.spec.terminationGracePeriod: unknown field "terminationGracePeriod"',
        '  - Service/gateway: spec.type: must be one of "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ].join('\n'),
    );
  });

  test('fails when given nothing to validate', () => {
    expect(() => expectValidKubernetesObjects([])).toThrow('got no objects');
  });
});

describe('fieldPath', () => {
  test('turns a JSON pointer into a readable path', () => {
    expect(fieldPath('')).toBe('(root)');
    expect(fieldPath('/spec/template/spec/containers/0/name')).toBe('spec.template.spec.containers[0].name');
    expect(fieldPath('/metadata/annotations/service.beta.kubernetes.io~1aws-load-balancer-type')).toBe(
      'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"]',
    );
  });
});
