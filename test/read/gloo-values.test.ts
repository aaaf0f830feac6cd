import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { planNlb } from '../../lib/core/aws/nlb';
import { Duration } from '../../lib/core/duration';
import { Finding } from '../../lib/core/finding';
import { GlooEdgeGatewayPlan } from '../../lib/core/gloo/gloo-edge';
import { GatewayModel } from '../../lib/core/model';
import { checkGateway } from '../../lib/core/timing/invariants';
import { RoutableUpstream } from '../../lib/core/upstream-link';
import { readGlooUpstream, readGlooVirtualService } from '../../lib/read/gloo';
import { readManifestFiles, readManifestObjects, readManifestText } from '../../lib/read';
import { expandGlooHelmValues, isGlooHelmValues, readGlooHelmValues, renderGlooHelmValues } from '../../lib/read/gloo-values';
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

  test("behind the assumed load balancer, has no error: AWS's default unhealthy-target connection termination is only assumed, so it is a warning", () => {
    const plan = new GlooEdgeGatewayPlan();
    plan.addRoute({ prefix: '/orders', service: orders });
    const { gateway, findings } = readBack(plan);
    expect(errors([...findings, ...checkGateway(gateway)])).toEqual([]);
    expect(checkGateway(gateway).find((each) => each.rule === 'unhealthy-target-connections-reset')?.severity).toBe('warning');
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

  test('has no error finding for a DaemonSet on host ports (the assumed load balancer\'s connection termination is a warning)', () => {
    const plan = new GlooEdgeGatewayPlan({ mode: 'daemonset' });
    plan.addRoute({ prefix: '/', service: orders });
    const { gateway, findings } = readBack(plan);
    expect(gateway.workload).toMatchObject({ kind: 'DaemonSet', hostPorts: [8080, 8443], hostNetwork: false, maxSurge: 0, maxUnavailable: 1 });
    expect(errors([...findings, ...checkGateway(gateway)])).toEqual([]);
    expect(checkGateway(gateway).find((each) => each.rule === 'unhealthy-target-connections-reset')?.severity).toBe('warning');
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
    // The 7 s grace period covers the 5 s sleep: a margin warning, not an error.
    expect(rules).toEqual(expect.arrayContaining(['gateway-stops-before-lb-detection', 'readiness-fails-while-draining', 'rollout-outruns-discovery', 'unhealthy-target-connections-reset']));
    expect(rules).not.toContain('grace-period-shorter-than-drain');
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

describe('Gloo Edge values read as manifests', () => {
  /** A plan routing to orders, its values file and its custom resources as `cdk8s synth` and writeValuesFiles write them. */
  function shop(): { plan: GlooEdgeGatewayPlan; values: string; resources: string } {
    const plan = new GlooEdgeGatewayPlan();
    plan.addRoute({ prefix: '/orders', service: orders });
    return { plan, values: stringify(plan.helmValues()), resources: [...plan.upstreams(), plan.virtualService()].map((each) => stringify(each)).join('---\n') };
  }

  function expectSolvedGateway(plan: GlooEdgeGatewayPlan, gateways: GatewayModel[]): void {
    expect(gateways).toHaveLength(1);
    const [gateway] = gateways;
    expect(gateway.workload.object).toBe('Deployment/gloo-system/gateway-proxy');
    expect(gateway.workload.drain).toMatchObject({ mechanism: 'fail-then-wait', failsHealthCheck: true, keepServingSeconds: plan.sleepTimeSeconds, drainsConnections: true });
    expect(gateway.workload.terminationGracePeriodSeconds).toBe(plan.budget.terminationGracePeriodSeconds);
    expect(gateway.workload.minReadySeconds).toBe(plan.budget.minReadySeconds);
    expect(gateway.workload.disruptionBudget).toEqual({ object: 'PodDisruptionBudget/gloo-system/gateway-proxy-pdb', maxUnavailable: 1 });
    expect(gateway.services.map((each) => each.object)).toEqual(['Service/gloo-system/gateway-proxy']);
    expect(gateway.envoy).toMatchObject({ object: 'Deployment/gloo-system/gateway-proxy', adminAddress: '127.0.0.1', healthCheckPath: '/envoy-hc' });
    // The clusters and routes come from the Upstreams and the VirtualService beside the values.
    expect(gateway.envoy!.clusters.map((each) => each.name)).toEqual(plan.upstreams().map((each) => readGlooUpstream(asFile(each) as any).cluster.name));
    expect(gateway.envoy!.clusters[0]).toMatchObject({ service: orders.serviceObject, ignoreHealthOnHostRemoval: true });
    expect(gateway.envoy!.routes.map((each) => each.cluster)).toEqual(gateway.envoy!.clusters.map((each) => each.name));
  }

  test('a values file beside the custom resources in a directory gives the gateway, with the drain it was solved for', async () => {
    const { plan, values, resources } = shop();
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-gloo-values-'));
    try {
      fs.writeFileSync(path.join(directory, 'shop.gloo-values.yaml'), values);
      fs.writeFileSync(path.join(directory, 'shop.k8s.yaml'), resources);
      const read = await readManifestFiles([directory]);
      expect(read.problems).toEqual([]);
      expectSolvedGateway(plan, read.topology.gateways);
      expect(errors(read.findings)).toEqual([]);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  test('values and custom resources in one text read as they do from files', () => {
    const { plan, values, resources } = shop();
    const read = readManifestText(`${values}---\n${resources}`, 'all.yaml');
    expectSolvedGateway(plan, read.topology.gateways);
    expect(read.topology).toEqual(readManifestText(`${resources}---\n${values}`, 'all.yaml').topology);
  });

  test('values among parsed objects read as they do from text', () => {
    const { plan } = shop();
    const read = readManifestObjects(asFile([plan.helmValues(), ...plan.upstreams(), plan.virtualService()]) as unknown[]);
    expectSolvedGateway(plan, read.topology.gateways);
  });

  test('a health check filter set only on the HTTPS Gateway is read, as the guide sets it', () => {
    const [gateway] = readManifestText(stringify(GUIDE_VALUES), 'guide.yaml').topology.gateways;
    expect(gateway.envoy?.healthCheckPath).toBe('/envoy-hc');
    expect(gateway.workload.readiness?.failsWhileDraining).toBe(true);
    expect(gateway.workload.drain.keepServingSeconds).toBe(5);
    expect(gateway.services[0].loadBalancer).toMatchObject({ provider: 'aws-nlb', healthCheckPath: '/envoy-hc' });
    expect(gateway).toEqual(readGlooHelmValues(GUIDE_VALUES, 'guide.yaml').gateway);
  });

  test("the values' own findings are kept, and those of the rendered objects are not doubled", () => {
    const values = {
      gatewayProxies: {
        gatewayProxy: {
          kind: { daemonSet: { hostPort: true } },
          podTemplate: { gracefulShutdown: { enabled: true } },
          service: { extraAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': 'often' } },
        },
      },
    };
    const fromValues = readGlooHelmValues(values, 'v.yaml').findings.map((each) => each.rule);
    expect(fromValues).toEqual(expect.arrayContaining(['gloo-daemonset-ignored', 'gloo-graceful-shutdown-without-health-check-filter', 'invalid-lb-annotation']));
    const rules = readManifestText(stringify(values), 'v.yaml').findings.map((each) => each.rule);
    for (const rule of fromValues) expect(rules.filter((each) => each === rule)).toHaveLength(1);
  });

  test('the admin address is read from loopBackAddress, so an exposed admin is found', () => {
    const [gateway] = readManifestObjects([{ gatewayProxies: { gatewayProxy: { loopBackAddress: '0.0.0.0' } } }]).topology.gateways;
    expect(gateway.envoy?.adminAddress).toBe('0.0.0.0');
    expect(checkGateway(gateway).map((each) => each.rule)).toContain('admin-not-on-loopback');
  });

  test('each rendered object is named after the file and the proxy, and other objects pass through in order', () => {
    const other = { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, source: 'a.yaml (document 1)' };
    const values = { object: { gatewayProxies: { gatewayProxy: {}, publicGw: { podDisruptionBudget: { maxUnavailable: 1 } } } }, source: 'v.yaml' };
    const expanded = expandGlooHelmValues([other, values]);
    expect(expanded.objects[0]).toBe(other);
    expect(expanded.objects.slice(1).map((each) => [each.source, `${String(each.object.kind)}/${String((each.object.metadata as any).name)}`])).toEqual([
      ['v.yaml (gatewayProxies.gatewayProxy)', 'Deployment/gateway-proxy'],
      ['v.yaml (gatewayProxies.gatewayProxy)', 'Service/gateway-proxy'],
      ['v.yaml (gatewayProxies.gatewayProxy)', 'Gateway/gateway-proxy'],
      ['v.yaml (gatewayProxies.gatewayProxy)', 'Gateway/gateway-proxy-ssl'],
      ['v.yaml (gatewayProxies.publicGw)', 'Deployment/public-gw'],
      ['v.yaml (gatewayProxies.publicGw)', 'Service/public-gw'],
      ['v.yaml (gatewayProxies.publicGw)', 'PodDisruptionBudget/public-gw-pdb'],
      ['v.yaml (gatewayProxies.publicGw)', 'Gateway/public-gw'],
      ['v.yaml (gatewayProxies.publicGw)', 'Gateway/public-gw-ssl'],
    ]);
    expect(expanded.adminAddresses).toEqual(new Map([['Deployment/gloo-system/gateway-proxy', '127.0.0.1'], ['Deployment/gloo-system/public-gw', '127.0.0.1']]));
  });

  test('input without values is passed through untouched', () => {
    const objects = [{ object: { kind: 'A' }, source: 'a.yaml' }];
    expect(expandGlooHelmValues(objects).objects).toBe(objects);
  });
});
