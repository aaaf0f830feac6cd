import { planNlb } from '../../lib/core/aws/nlb';
import { Duration } from '../../lib/core/duration';
import { Finding } from '../../lib/core/finding';
import { GlooEdgeGatewayPlan } from '../../lib/core/gloo/gloo-edge';
import { GatewayModel } from '../../lib/core/model';
import { checkGateway } from '../../lib/core/timing/invariants';
import { RoutableUpstream } from '../../lib/core/upstream-link';
import { readGlooUpstream, readGlooVirtualService } from '../../lib/read/gloo';
import { isGlooHelmValues, readGlooHelmValues, renderGlooHelmValues } from '../../lib/read/gloo-values';
import { validateKubernetesObject } from '../support/k8s-schema';

const orders: RoutableUpstream = {
  serviceObject: 'Service/shop/orders',
  headlessServiceObject: 'Service/shop/orders-headless',
  headlessDnsName: 'orders-headless.shop.svc.cluster.local',
  port: 8080,
  healthCheckPath: '/ready',
  registerGateway: () => undefined,
};

/** Values as a file would hold them: through JSON, as YAML would give them back. */
function asFile(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** The gateway read from the values, with the clusters and routes of the CRs beside them. */
function readBack(plan: GlooEdgeGatewayPlan): { gateway: GatewayModel; findings: Finding[] } {
  const { gateway, findings } = readGlooHelmValues(asFile(plan.helmValues()), 'gloo-values.yaml');
  const clusters = plan.upstreams().map((each) => readGlooUpstream(asFile(each) as any).cluster);
  const routes = readGlooVirtualService(asFile(plan.virtualService()) as any).routes;
  return { gateway: { ...gateway!, envoy: { ...gateway!.envoy!, clusters, routes } }, findings };
}

function errors(findings: Finding[]): string[] {
  return findings.filter((each) => each.severity === 'error').map((each) => `${each.rule}: ${each.message}`);
}

/**
 * The demo values of Gloo Edge's zero-downtime guide (gloo-ee chart), with its NLB annotations.
 * @see https://docs.solo.io/gloo-edge/latest/operations/advanced/zero-downtime-gateway-rollout/
 */
const GUIDE_VALUES = {
  gloo: {
    gatewayProxies: {
      gatewayProxy: {
        kind: { deployment: { replicas: 2 } },
        service: {
          httpPort: 80, httpsFirst: true, httpsPort: 443, type: 'LoadBalancer', externalTrafficPolicy: 'Local',
          extraAnnotations: {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'instance',
            'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'deregistration_delay.timeout_seconds=15,deregistration_delay.connection_termination.enabled=true',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold': '2',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold': '2',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '10',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path': '/envoy-hc',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol': 'HTTPS',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-port': 'traffic-port',
            'service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout': '6',
          },
        },
        antiAffinity: true,
        podTemplate: {
          terminationGracePeriodSeconds: 7,
          gracefulShutdown: { enabled: true, sleepTimeSeconds: 5 },
          probes: true,
          customReadinessProbe: { httpGet: { scheme: 'HTTPS', port: 8443, path: '/envoy-hc' }, failureThreshold: 2, initialDelaySeconds: 5, periodSeconds: 5 },
        },
        gatewaySettings: { customHttpsGateway: { options: { healthCheck: { path: '/envoy-hc' } } } },
      },
    },
  },
};

describe('isGlooHelmValues', () => {
  test('knows a values file of either chart from a Kubernetes object', () => {
    expect(isGlooHelmValues({ gatewayProxies: { gatewayProxy: {} } })).toBe(true);
    expect(isGlooHelmValues(GUIDE_VALUES)).toBe(true);
    expect(isGlooHelmValues({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toBe(false);
    expect(isGlooHelmValues('gatewayProxies')).toBe(false);
  });
});

describe('readGlooHelmValues of the library\'s own values', () => {
  test('reads back the solved timings', () => {
    const plan = new GlooEdgeGatewayPlan();
    plan.addRoute({ prefix: '/', service: orders });
    const { gateway } = readBack(plan);
    expect(gateway.workload.drain).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: plan.sleepTimeSeconds, drainsConnections: true });
    expect(gateway.workload.terminationGracePeriodSeconds).toBe(plan.budget.terminationGracePeriodSeconds);
    expect(gateway.workload.minReadySeconds).toBe(plan.budget.minReadySeconds);
    expect(gateway.workload).toMatchObject({ kind: 'Deployment', replicas: 2, maxSurge: 1, maxUnavailable: 0, onePodPerNode: true, runsAsNonRoot: true, hostNetwork: false });
    expect(gateway.workload.disruptionBudget).toEqual({ object: 'PodDisruptionBudget/gloo-system/gateway-proxy-pdb', maxUnavailable: 1 });
    expect(gateway.envoy).toMatchObject({ adminAddress: '127.0.0.1', healthCheckPath: '/envoy-hc' });
    expect(gateway.services[0]).toMatchObject({ object: 'Service/gloo-system/gateway-proxy', type: 'LoadBalancer', externalTrafficPolicy: 'Local' });
  });

  test('has no error finding, behind the assumed load balancer', () => {
    const plan = new GlooEdgeGatewayPlan();
    plan.addRoute({ prefix: '/orders', service: orders });
    const { gateway, findings } = readBack(plan);
    expect(errors([...findings, ...checkGateway(gateway)])).toEqual([]);
  });

  test('has no error finding behind an NLB of the NLB planner, whose annotations it reads back', () => {
    const plan = new GlooEdgeGatewayPlan();
    plan.addRoute({ prefix: '/orders', service: orders, idempotent: true });
    const nlb = planNlb({ healthCheckInterval: Duration.seconds(5), healthCheckTimeout: Duration.seconds(2) }, plan, (lb) => plan.solveBudget(lb));
    plan.attachLoadBalancer({ model: nlb.model, serviceAnnotations: nlb.serviceAnnotations });
    const { gateway, findings } = readBack(plan);
    expect(gateway.services[0].loadBalancer).toMatchObject({ provider: 'aws-nlb', healthCheck: nlb.model.healthCheck, healthCheckPath: nlb.model.healthCheckPath });
    expect(gateway.workload.drain.keepServingSeconds).toBe(nlb.budget.preStopSeconds);
    expect(errors([...findings, ...checkGateway(gateway)])).toEqual([]);
  });

  test('has no error finding for a DaemonSet on host ports', () => {
    const plan = new GlooEdgeGatewayPlan({ mode: 'daemonset' });
    plan.addRoute({ prefix: '/', service: orders });
    const { gateway, findings } = readBack(plan);
    expect(gateway.workload).toMatchObject({ kind: 'DaemonSet', hostPorts: [8080, 8443], hostNetwork: false, maxSurge: 0, maxUnavailable: 1 });
    expect(errors([...findings, ...checkGateway(gateway)])).toEqual([]);
  });

  test('reads the gloo-ee form as the gloo one', () => {
    const plan = new GlooEdgeGatewayPlan({ enterprise: true });
    expect(readGlooHelmValues(asFile(plan.helmValues()), 'v.yaml').gateway?.workload.drain.keepServingSeconds).toBe(plan.sleepTimeSeconds);
  });
});

describe('readGlooHelmValues of foreign values', () => {
  test("finds what the Gloo guide's values drop behind a 26s detection window", () => {
    const { gateway, findings } = readGlooHelmValues(GUIDE_VALUES, 'guide.yaml');
    const rules = [...findings, ...checkGateway(gateway!)].filter((each) => each.severity === 'error').map((each) => each.rule);
    expect(rules).toEqual(expect.arrayContaining(['gateway-stops-before-lb-detection', 'grace-period-shorter-than-drain', 'readiness-fails-while-draining', 'rollout-outruns-discovery']));
    expect(gateway!.workload.drain.keepServingSeconds).toBe(5);
    expect(gateway!.workload.terminationGracePeriodSeconds).toBe(7);
    expect(gateway!.workload.readiness?.failsWhileDraining).toBe(true);
  });

  test("the chart's defaults: one replica, no preStop, the admin /ready probe off", () => {
    const { gateway } = readGlooHelmValues({ gatewayProxies: { gatewayProxy: {} } }, 'v.yaml');
    const rules = checkGateway(gateway!).filter((each) => each.severity === 'error').map((each) => each.rule);
    expect(rules).toEqual(expect.arrayContaining(['no-prestop', 'single-replica']));
    expect(gateway!.workload.drain.mechanism).toBe('none');
    expect(gateway!.services[0].externalTrafficPolicy).toBe('Cluster');
  });

  test("probes without a custom probe: the chart's admin /ready probe fails as soon as the proxy drains", () => {
    const { gateway } = readGlooHelmValues({ gatewayProxies: { gatewayProxy: { podTemplate: { probes: true, gracefulShutdown: { enabled: true } } } } }, 'v.yaml');
    expect(gateway!.workload.readiness).toMatchObject({ kind: 'exec', failsWhileDraining: true });
    expect(gateway!.workload.drain.keepServingSeconds).toBe(25);
  });

  test('warns when graceful shutdown fails a health check no Gateway exposes', () => {
    const { findings } = readGlooHelmValues({ gatewayProxies: { gatewayProxy: { podTemplate: { gracefulShutdown: { enabled: true } } } } }, 'v.yaml');
    expect(findings.map((each) => each.rule)).toContain('gloo-graceful-shutdown-without-health-check-filter');
  });

  test('a daemonSet kind that keeps the chart default Deployment is an error, and reads as the Deployment it renders', () => {
    const { gateway, findings } = readGlooHelmValues({ gatewayProxies: { gatewayProxy: { kind: { daemonSet: { hostPort: true } } } } }, 'v.yaml');
    expect(findings.map((each) => each.rule)).toContain('gloo-daemonset-ignored');
    expect(gateway!.workload.kind).toBe('Deployment');
  });

  test('a hostPort DaemonSet gets the host network unless told otherwise', () => {
    const { gateway } = readGlooHelmValues({ gatewayProxies: { gatewayProxy: { kind: { deployment: null, daemonSet: { hostPort: true } } } } }, 'v.yaml');
    expect(gateway!.workload).toMatchObject({ kind: 'DaemonSet', hostNetwork: true, hostPorts: [8080, 8443] });
  });

  test('other proxies inherit the default proxy, and disabled ones are skipped', () => {
    const { gateways } = readGlooHelmValues({
      gatewayProxies: {
        gatewayProxy: { podTemplate: { terminationGracePeriodSeconds: 60 } },
        publicGw: { kind: { deployment: { replicas: 3 } } },
        oldGw: { disabled: true },
      },
    }, 'v.yaml');
    expect(gateways.map((each) => [each.workload.name, each.workload.replicas, each.workload.terminationGracePeriodSeconds])).toEqual([['gateway-proxy', 1, 60], ['public-gw', 3, 60]]);
  });

  test('a document without gatewayProxies is reported, not read', () => {
    const { gateway, findings } = readGlooHelmValues({ replicas: 2 }, 'other.yaml');
    expect(gateway).toBeUndefined();
    expect(findings.map((each) => each.rule)).toEqual(['not-gloo-values']);
  });

  test('never throws on nonsense', () => {
    for (const values of [null, 42, 'x', [], { gatewayProxies: 'x' }, { gatewayProxies: { gatewayProxy: { kind: 'x', podTemplate: [] } } }]) {
      expect(() => readGlooHelmValues(values, 'x.yaml')).not.toThrow();
    }
  });
});

describe('renderGlooHelmValues', () => {
  test('renders objects Kubernetes accepts', () => {
    for (const plan of [new GlooEdgeGatewayPlan(), new GlooEdgeGatewayPlan({ mode: 'daemonset' })]) {
      const [proxy] = renderGlooHelmValues(asFile(plan.helmValues()));
      for (const object of [proxy.workload, proxy.service, proxy.podDisruptionBudget].filter((each) => each !== undefined)) {
        expect(validateKubernetesObject(object)).toEqual([]);
      }
    }
  });
});
