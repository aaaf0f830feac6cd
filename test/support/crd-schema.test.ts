import {
  CRD_DIRECTORY,
  crdSchemasAvailable,
  customResourceKindKnown,
  customResourceKinds,
  describeWithCrds,
  validateCustomResource,
} from './crd-schema';
import { validateKubernetesObject } from './k8s-schema';

const MISSING_DIRECTORY = `${CRD_DIRECTORY}-that-does-not-exist`;

function targetGroupBinding(): any {
  return {
    apiVersion: 'elbv2.k8s.aws/v1beta1',
    kind: 'TargetGroupBinding',
    metadata: { name: 'gateway', namespace: 'gateway' },
    spec: {
      serviceRef: { name: 'gateway', port: 80 },
      targetGroupARN: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/gateway/0123456789abcdef',
      targetType: 'instance',
      networking: { ingress: [{ from: [{ securityGroup: { groupID: 'sg-0123' } }], ports: [{ port: 'http', protocol: 'TCP' }] }] },
    },
  };
}

function upstream(): any {
  return {
    apiVersion: 'gloo.solo.io/v1',
    kind: 'Upstream',
    metadata: { name: 'shop-web-8080', namespace: 'gloo-system' },
    spec: {
      kube: { serviceName: 'web', serviceNamespace: 'shop', servicePort: 8080 },
      ignoreHealthOnHostRemoval: true,
      healthChecks: [
        {
          timeout: '1s',
          interval: '2s',
          unhealthyThreshold: 2,
          healthyThreshold: 1,
          httpHealthCheck: { path: '/ready' },
        },
      ],
      outlierDetection: { consecutive5xx: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 10 },
      connectionConfig: { connectTimeout: '1s', tcpKeepalive: { keepaliveTime: '60s', keepaliveInterval: '10s', keepaliveProbes: 3 } },
    },
  };
}

function virtualService(): any {
  return {
    apiVersion: 'gateway.solo.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'shop', namespace: 'gloo-system' },
    spec: {
      virtualHost: {
        domains: ['shop.example.com'],
        routes: [
          {
            matchers: [{ prefix: '/' }],
            routeAction: { single: { upstream: { name: 'shop-web-8080', namespace: 'gloo-system' } } },
            options: {
              timeout: '15s',
              retries: {
                retryOn: 'connect-failure,refused-stream,reset',
                numRetries: 2,
                perTryTimeout: '5s',
                retryBackOff: { baseInterval: '0.025s', maxInterval: '0.25s' },
              },
            },
          },
        ],
      },
    },
  };
}

describe('crdSchemasAvailable', () => {
  test('is false when the directory does not exist', () => {
    expect(crdSchemasAvailable(MISSING_DIRECTORY)).toBe(false);
  });
});

describe('customResourceKindKnown', () => {
  test('falls back to the project CRD groups when the CRDs are absent', () => {
    expect(customResourceKindKnown('elbv2.k8s.aws/v1beta1', 'TargetGroupBinding', MISSING_DIRECTORY)).toBe(true);
    expect(customResourceKindKnown('gloo.solo.io/v1', 'Upstream', MISSING_DIRECTORY)).toBe(true);
    expect(customResourceKindKnown('cloud.google.com/v1', 'BackendConfig', MISSING_DIRECTORY)).toBe(false);
  });
});

describe('validateCustomResource without CRDs', () => {
  test('throws, pointing at describeWithCrds', () => {
    expect(() => validateCustomResource(targetGroupBinding(), MISSING_DIRECTORY)).toThrow('describeWithCrds');
  });
});

describe('describeWithCrds', () => {
  test('skips, naming the reason, when the CRDs are absent', () => {
    const skip = jest.spyOn(describe, 'skip').mockImplementation((() => undefined) as any);
    const body = (): void => undefined;
    try {
      describeWithCrds('TargetGroupBinding', body, MISSING_DIRECTORY);
      expect(skip).toHaveBeenCalledWith('TargetGroupBinding (skipped: ../shared/crds not found)', body);
    } finally {
      skip.mockRestore();
    }
  });
});

describeWithCrds('validateCustomResource', () => {
  test('knows the kinds of the shared CRDs', () => {
    expect(customResourceKinds()).toEqual([
      'elbv2.k8s.aws/v1alpha1 TargetGroupBinding',
      'elbv2.k8s.aws/v1beta1 TargetGroupBinding',
      'gateway.solo.io/v1 VirtualService',
      'gloo.solo.io/v1 Upstream',
    ]);
  });

  test.each([
    ['TargetGroupBinding', targetGroupBinding()],
    ['Upstream with health checks, outlier detection and ignoreHealthOnHostRemoval', upstream()],
    ['VirtualService with retries', virtualService()],
  ])('accepts a valid %s', (_name, obj) => {
    expect(validateCustomResource(obj)).toEqual([]);
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  test('accepts a TargetGroupBinding port given by name (int-or-string)', () => {
    const obj = targetGroupBinding();
    obj.spec.serviceRef.port = 'http';
    expect(validateCustomResource(obj)).toEqual([]);
  });

  test('rejects a TargetGroupBinding without serviceRef.port, with an unknown target type and an unknown field', () => {
    const obj = targetGroupBinding();
    delete obj.spec.serviceRef.port;
    obj.spec.targetType = 'pod';
    obj.spec.targetGroupArn = obj.spec.targetGroupARN;
    expect(validateCustomResource(obj).sort()).toEqual([
      'spec.serviceRef: missing required field "port"',
      'spec.targetGroupArn: unknown field "targetGroupArn"',
      'spec.targetType: must be one of "instance", "ip"',
    ]);
  });

  test('rejects a boolean service port (int-or-string)', () => {
    const obj = targetGroupBinding();
    obj.spec.serviceRef.port = true;
    expect(validateCustomResource(obj)).toEqual(['spec.serviceRef.port: must be integer or string']);
  });

  test('rejects an Upstream with mistyped and misnamed health check fields', () => {
    const obj = upstream();
    obj.spec.healthChecks[0].unhealthyThreshold = '2';
    obj.spec.healthChecks[0].healthCheckInterval = '2s';
    obj.spec.outlierDetection.consecutive5xx = -1;
    expect(validateCustomResource(obj).sort()).toEqual([
      'spec.healthChecks[0].healthCheckInterval: unknown field "healthCheckInterval"',
      'spec.healthChecks[0].unhealthyThreshold: must be integer',
      'spec.outlierDetection.consecutive5xx: must be >= 0',
    ]);
  });

  test('accepts null where the CRD says nullable', () => {
    const obj = upstream();
    obj.spec.ignoreHealthOnHostRemoval = null;
    expect(validateCustomResource(obj)).toEqual([]);
  });

  test('rejects a VirtualService retry policy with fields Gloo does not have', () => {
    const obj = virtualService();
    obj.spec.virtualHost.routes[0].options.retries.retryHostPredicate = [{ name: 'envoy.retry_host_predicates.previous_hosts' }];
    obj.spec.virtualHost.routes[0].options.retries.numRetries = 'two';
    expect(validateCustomResource(obj).sort()).toEqual([
      'spec.virtualHost.routes[0].options.retries.numRetries: must be integer',
      'spec.virtualHost.routes[0].options.retries.retryHostPredicate: unknown field "retryHostPredicate"',
    ]);
  });

  test('keeps fields under x-kubernetes-preserve-unknown-fields', () => {
    const obj = upstream();
    obj.spec.healthChecks[0] = {
      timeout: '1s',
      interval: '2s',
      unhealthyThreshold: 2,
      healthyThreshold: 1,
      customHealthCheck: { name: 'envoy.health_checkers.redis', config: { anything: { goes: [1, 'two'] } } },
    };
    obj.status = { statuses: { 'gloo-system': { state: 'Accepted', whatever: true } } };
    expect(validateCustomResource(obj)).toEqual([]);
  });

  test('checks metadata as ObjectMeta and requires apiVersion and kind to name a CRD', () => {
    const obj = upstream();
    obj.metadata.labels = { replicas: 2 };
    expect(validateCustomResource(obj)).toEqual(['metadata.labels.replicas: must be string']);
    expect(validateCustomResource({ ...upstream(), apiVersion: 'gloo.solo.io/v2' })).toEqual([
      expect.stringContaining('no CRD defines gloo.solo.io/v2 Upstream'),
    ]);
  });

  test('rejects an unknown field at the root', () => {
    expect(validateCustomResource({ ...virtualService(), specs: {} })).toEqual(['specs: unknown field "specs"']);
  });
});
