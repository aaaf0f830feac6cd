import { installMocks } from './mocks';

installMocks();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pulumi: typeof import('@pulumi/pulumi') = require('@pulumi/pulumi');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const face: typeof import('../../lib/pulumi/draining-transform') = require('../../lib/pulumi/draining-transform');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core: typeof import('../../lib/core/draining-service') = require('../../lib/core/draining-service');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const windows: typeof import('../../lib/core/timing/windows') = require('../../lib/core/timing/windows');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Duration }: typeof import('../../lib/core/duration') = require('../../lib/core/duration');

const { drainDeployment, drainingTransform, registerDrainingTransform, DrainingTransformError } = face;

function deployment(overrides: { replicas?: number; containers?: any[]; strategy?: any } = {}): Record<string, any> {
  return {
    metadata: { name: 'orders', namespace: 'shop' },
    spec: {
      replicas: 'replicas' in overrides ? overrides.replicas : 3,
      strategy: overrides.strategy,
      selector: { matchLabels: { app: 'orders' } },
      template: {
        metadata: { labels: { app: 'orders' } },
        spec: {
          containers: overrides.containers ?? [
            { name: 'app', image: 'orders:1', readinessProbe: { httpGet: { path: '/ready', port: 8080 } } },
            { name: 'log-shipper', image: 'shipper:1', lifecycle: { postStart: { exec: { command: ['true'] } } } },
          ],
        },
      },
    },
  };
}

const expected = core.solveDrainingBudget({ appDrainSeconds: 5 }, []);

describe('drainDeployment', () => {
  test('every container sleeps in preStop for the discovery delay core derives', () => {
    const drained = drainDeployment('orders', deployment());
    for (const container of drained.spec.template.spec.containers) {
      expect(container.lifecycle.preStop).toEqual({ sleep: { seconds: expected.keepServingSeconds } });
    }
    expect(drained.spec.template.spec.containers[1].lifecycle.postStart).toBeDefined();
    expect(expected.keepServingSeconds).toBeGreaterThanOrEqual(windows.discoveryDelaySeconds(windows.defaultDnsDiscovery()));
  });

  test('the grace period and minReadySeconds come from core, and rollouts only surge', () => {
    const drained = drainDeployment('orders', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } }));
    expect(drained.spec.template.spec.terminationGracePeriodSeconds).toBe(expected.terminationGracePeriodSeconds);
    expect(drained.spec.minReadySeconds).toBe(Math.ceil(expected.minReadySeconds));
    expect(drained.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('the exec action sleeps with the sleep binary, and older clusters get it by default', () => {
    const exec = { exec: { command: ['sleep', String(expected.keepServingSeconds)] } };
    expect(drainDeployment('orders', deployment(), { preStopAction: 'exec' }).spec.template.spec.containers[0].lifecycle.preStop).toEqual(exec);
    expect(drainDeployment('orders', deployment(), { kubernetesVersion: '1.29' }).spec.template.spec.containers[0].lifecycle.preStop).toEqual(exec);
  });

  test('slower gateways in front lengthen the wait', () => {
    const slow = { gateway: 'Deployment/edge/edge', discovery: windows.defaultDnsDiscovery({ dnsTtlSeconds: 60 }), activeHealthCheckIntervalSeconds: 5 };
    const drained = drainDeployment('orders', deployment(), { gateways: [slow] });
    expect(drained.spec.template.spec.containers[0].lifecycle.preStop.sleep.seconds).toBe(core.solveDrainingBudget({ appDrainSeconds: 5 }, [slow]).keepServingSeconds);
  });

  test('an Output among the inputs reaches the result as the same Output, never serialized', async () => {
    const image = pulumi.output('orders:2');
    const labels = pulumi.output({ app: 'orders', tier: 'web' });
    const props = deployment();
    props.spec.template.spec.containers[0].image = image;
    props.metadata.labels = labels;
    const drained = drainDeployment('orders', props);
    expect(drained.spec.template.spec.containers[0].image).toBe(image);
    expect(drained.metadata.labels).toBe(labels);
    expect(await new Promise((resolve) => drained.spec.template.spec.containers[0].image.apply(resolve))).toBe('orders:2');
    expect(JSON.stringify(drained.spec.template.spec.containers[0].lifecycle)).not.toMatch(/Calling \[toJSON\]/);
    expect(drained.spec.template.spec.containers[0].lifecycle.preStop).toEqual({ sleep: { seconds: expected.keepServingSeconds } });
  });

  test('an Output replica count counts as unset: the patch still applies and keeps the Output', () => {
    const replicas = pulumi.output(3);
    const props = deployment();
    props.spec.replicas = replicas;
    const drained = drainDeployment('orders', props);
    expect(drained.spec.replicas).toBe(replicas);
    expect(drained.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('the inputs given are left unchanged', () => {
    const original = deployment();
    const copy = JSON.parse(JSON.stringify(original));
    drainDeployment('orders', original);
    expect(original).toEqual(copy);
  });

  test.each([
    ['no containers', deployment({ containers: [] }), /no containers/],
    ['no readiness probe', deployment({ containers: [{ name: 'app', image: 'a' }] }), /readinessProbe/],
    ['one replica', deployment({ replicas: 1 }), /'replicas' \(1\) must be at least 2/],
    [
      'a preStop hook already',
      deployment({ containers: [{ name: 'app', image: 'a', readinessProbe: { tcpSocket: { port: 80 } }, lifecycle: { preStop: { httpGet: { path: '/quit', port: 80 } } } }] }),
      /container 'app'.*already has a preStop/,
    ],
  ])('refuses a Deployment with %s, naming the resource', (_why, props, message) => {
    expect(() => drainDeployment('orders-resource', props)).toThrow(DrainingTransformError);
    expect(() => drainDeployment('orders-resource', props)).toThrow(/'orders-resource'/);
    expect(() => drainDeployment('orders-resource', props)).toThrow(message);
  });

  test('refuses a timing option that cannot hold', () => {
    expect(() => drainDeployment('orders', deployment(), { preStopDelay: Duration.seconds(5) })).toThrow(/'preStopDelay' \(5s\) must be at least/);
  });
});

describe('drainingTransform', () => {
  const args = (type: string, props: Record<string, any>) => ({ type, name: 'orders', custom: true, props, opts: { protect: true } });

  test('changes Deployments and keeps their options', async () => {
    const result = await drainingTransform()(args('kubernetes:apps/v1:Deployment', deployment()));
    expect(result?.opts).toEqual({ protect: true });
    expect((result?.props as any).spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  test('leaves other resources, and Deployments not included, alone', async () => {
    expect(await drainingTransform()(args('kubernetes:apps/v1:DaemonSet', deployment()))).toBeUndefined();
    expect(await drainingTransform({ include: (name) => name !== 'orders' })(args('kubernetes:apps/v1:Deployment', deployment()))).toBeUndefined();
  });

  test('registerDrainingTransform registers it with the stack', () => {
    const register = jest.spyOn(pulumi.runtime, 'registerResourceTransform').mockImplementation(() => undefined);
    registerDrainingTransform();
    expect(register).toHaveBeenCalledTimes(1);
    const transform = register.mock.calls[0][0];
    expect(transform(args('kubernetes:core/v1:Service', {}))).toBeUndefined();
  });
});

describe('parity with the cdk8s face', () => {
  test("the transform changes a Deployment exactly as cdk8s' DrainingService.makeDraining does", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdk8s: typeof import('cdk8s') = require('cdk8s');
    const plus: typeof import('cdk8s-plus-27') = require('cdk8s-plus-27');
    const cdk8sFace: typeof import('../../lib/cdk8s/draining-service') = require('../../lib/cdk8s/draining-service');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const synth = (drain: boolean) => {
      const chart = cdk8s.Testing.chart();
      const existing = new plus.Deployment(chart, 'orders', { replicas: 3, metadata: { name: 'orders' } });
      existing.addContainer({ name: 'app', image: 'orders:1', portNumber: 8080, readiness: plus.Probe.fromHttpGet('/ready') });
      if (drain) cdk8sFace.DrainingService.makeDraining(existing, { kubernetesVersion: '1.31' });
      return cdk8s.Testing.synth(chart).find((each: any) => each.kind === 'Deployment');
    };
    const { apiVersion, kind, ...props } = synth(false);
    expect({ apiVersion, kind, ...drainDeployment('orders', props, { kubernetesVersion: '1.31' }) }).toEqual(synth(true));
  });
});
