import { Duration } from '../../../lib/core/duration';
import { GatewayDrain } from '../../../lib/core/gateway/drain';
import { GatewayPlanOptions } from '../../../lib/core/gateway/gateway-options';
import { CONFIG_HASH_ANNOTATION, GatewayPlan } from '../../../lib/core/gateway/gateway-plan';
import { GatewayWorkload } from '../../../lib/core/gateway/workload';
import { assumedLoadBalancer } from '../../../lib/core/load-balancer';
import { LoadBalancerModel } from '../../../lib/core/model';
import { BudgetError } from '../../../lib/core/timing/budget-error';
import { checkGateway } from '../../../lib/core/timing/invariants';
import { GatewayInFront, RoutableUpstream } from '../../../lib/core/upstream-link';
import { readManifestObjects } from '../../../lib/read';
import { expectValidBootstrap } from '../../support/envoy';
import { expectValidKubernetesObjects } from '../../support/k8s-schema';

class FakeUpstream implements RoutableUpstream {
  public readonly registered: GatewayInFront[] = [];
  public readonly serviceObject: string;
  public readonly headlessServiceObject: string;
  public readonly headlessDnsName: string;
  constructor(name: string, namespace = 'shop', public readonly port = 8080, public readonly healthCheckPath = '/ready') {
    this.serviceObject = `Service/${namespace}/${name}`;
    this.headlessServiceObject = `Service/${namespace}/${name}-headless`;
    this.headlessDnsName = `${name}-headless.${namespace}.svc.cluster.local`;
  }
  registerGateway(gateway: GatewayInFront): void {
    this.registered.push(gateway);
  }
}

function plan(overrides: Partial<GatewayPlanOptions> = {}): GatewayPlan {
  return new GatewayPlan({ name: 'edge', namespace: 'ingress', ...overrides });
}

/** An NLB configured the way hitless wants it: it lets connections to an unhealthy target drain. */
function drainingNlb(gateway: GatewayPlan, overrides: Partial<LoadBalancerModel> = {}): LoadBalancerModel {
  return { ...assumedLoadBalancer(gateway.serviceObject), unhealthyConnectionTermination: false, unhealthyDrainingIntervalSeconds: gateway.budget.unhealthyDrainingIntervalSeconds, ...overrides };
}

function container(gateway: GatewayPlan, name = 'envoy'): any {
  return (gateway.objects().workload as any).spec.template.spec.containers.find((each: any) => each.name === name);
}

describe('GatewayPlan defaults', () => {
  const gateway = plan();
  const orders = new FakeUpstream('orders');
  gateway.addRoute({ prefix: '/orders', service: orders, idempotent: true });
  gateway.addRoute({ prefix: '/', service: new FakeUpstream('web', 'shop', 3000, '/healthz') });
  const objects = gateway.objects();

  it('emits valid Kubernetes objects and a valid bootstrap', () => {
    expectValidKubernetesObjects(objects.all);
    expect(objects.all.map((each) => `${each.kind}/${each.metadata.name}`)).toEqual(['ConfigMap/edge-envoy', 'ServiceAccount/edge', 'Deployment/edge', 'Service/edge', 'PodDisruptionBudget/edge']);
    const data = (objects.configMap as any).data;
    expect(Object.keys(data)).toEqual(['envoy.json']);
    expectValidBootstrap(JSON.parse(data['envoy.json']));
    expect(JSON.parse(data['envoy.json'])).toEqual(gateway.bootstrap());
  });

  it('builds its Envoy model from its plan, and lib/read reads the same from the emitted objects', () => {
    const model = gateway.envoyModel();
    expect(model.clusters.map((cluster) => [cluster.name, cluster.service, cluster.discovery.kind])).toEqual([
      [expect.any(String), 'Service/shop/orders-headless', 'dns'],
      [expect.any(String), 'Service/shop/web-headless', 'dns'],
    ]);
    expect(model.routes.map((route) => [route.cluster, route.previousHosts, route.timeoutSeconds])).toEqual([
      [model.clusters[0].name, true, expect.any(Number)],
      [model.clusters[1].name, true, expect.any(Number)],
    ]);
    const read = readManifestObjects(objects.all).topology.gateways[0].envoy;
    // The reader also states what the plan leaves implicit (connect timeout, admin port, filter).
    expect(read).toMatchObject(model);
  });

  it('solves the drain against the assumed NLB: 2 x 10s + 6s + 5s margin of keep-serving', () => {
    expect(gateway.budget.keepServingSeconds).toBe(31);
    expect(gateway.budget.drainTimeoutSeconds).toBe(30);
    expect(gateway.budget.terminationGracePeriodSeconds).toBe(66);
    expect(gateway.budget.minReadySeconds).toBe(25);
    expect(gateway.idleTimeout.toSeconds()).toBe(15);
  });

  it('runs a surge-only Deployment, one pod per node, spread over zones, with a PDB', () => {
    const spec = (objects.workload as any).spec;
    expect(spec.replicas).toBe(2);
    expect(spec.minReadySeconds).toBe(25);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const pod = spec.template.spec;
    const selector = { 'app.kubernetes.io/name': 'edge', 'app.kubernetes.io/component': 'gateway' };
    expect(spec.selector).toEqual({ matchLabels: selector });
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' }]);
    expect(pod.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }]);
    expect((objects.podDisruptionBudget as any).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: selector } });
    expect(pod.terminationGracePeriodSeconds).toBe(66);
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.serviceAccountName).toBe('edge');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('runs Envoy non-root, read-only, without capabilities, with drain flags matching the preStop', () => {
    const envoy = container(gateway);
    expect(envoy.image).toBe('docker.io/envoyproxy/envoy:v1.35.0');
    expect(envoy.command).toEqual(['envoy']);
    expect(envoy.args).toEqual(['--config-path', '/etc/envoy/config/envoy.json', '--drain-time-s', '30', '--drain-strategy', 'immediate', '--disable-hot-restart', '--log-level', 'info']);
    expect(envoy.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(envoy.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(envoy.volumeMounts).toEqual([{ name: 'envoy-config', mountPath: '/etc/envoy/config', readOnly: true }]);
    const pod = (objects.workload as any).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.securityContext.sysctls).toBeUndefined();
  });

  it('drains through the admin API from a bash preStop with the solved timings', () => {
    const command = container(gateway).lifecycle.preStop.exec.command;
    expect(command[0]).toBe('/bin/bash');
    expect(command[1]).toBe('-c');
    expect(command[2]).toMatch(/^keep_serving=31$/m);
    expect(command[2]).toMatch(/^drain_timeout=30$/m);
    expect(command[2]).toMatch(/^admin_port=9901$/m);
  });

  it('probes readiness on the listener, which keeps accepting while the pod drains', () => {
    expect(container(gateway).readinessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 0, periodSeconds: 2, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(gateway.model().workload.readiness?.failsWhileDraining).toBe(false);
  });

  it('exposes a LoadBalancer Service with externalTrafficPolicy Local', () => {
    expect((objects.service as any).spec).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      selector: { 'app.kubernetes.io/name': 'edge', 'app.kubernetes.io/component': 'gateway' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(objects.service.metadata.annotations).toBeUndefined();
  });

  it('tells each routed service, once, how this gateway discovers it', () => {
    gateway.addRoute({ path: '/orders-health', service: orders });
    expect(orders.registered).toEqual([{
      gateway: 'Deployment/ingress/edge',
      discovery: { kind: 'dns', propagationSeconds: 1, dnsTtlSeconds: 30, dnsRefreshSeconds: 5, pushSeconds: 0 },
      activeHealthCheckIntervalSeconds: 5,
    }]);
    expect(gateway.routes.map((route) => route.name)).toEqual(['shop_orders', 'shop_web', 'shop_orders-1']);
    expect((gateway.bootstrap() as any).static_resources.clusters).toHaveLength(2);
  });

  it('finds nothing wrong with itself once a draining NLB is attached', () => {
    const attached = plan();
    attached.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    attached.attachLoadBalancer({ model: drainingNlb(attached), serviceAnnotations: {} });
    expect(checkGateway(attached.model())).toEqual([]);
  });

  it('finds only that the assumed NLB resets connections to an unhealthy target when none is attached (attach HealthCheckedNlb to turn it off)', () => {
    expect(checkGateway(gateway.model()).map((finding) => `${finding.severity} ${finding.rule}`)).toEqual(['error unhealthy-target-connections-reset']);
  });
});

describe('GatewayPlan and its load balancer', () => {
  it('re-solves when a load balancer is attached and annotates its Service', () => {
    const gateway = plan();
    gateway.attachLoadBalancer({
      model: drainingNlb(gateway, { healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 3 } }),
      serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
    });
    // the answered window 1s + 3 × (5s + 0.5s jitter) = 17.5s exceeds 3 × 5s + 2s, + 5s margin
    expect(gateway.budget.keepServingSeconds).toBe(22.5);
    expect(gateway.budget.minReadySeconds).toBe(15);
    const objects = gateway.objects();
    expect(objects.service.metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' });
    expect(container(gateway).lifecycle.preStop.exec.command[2]).toMatch(/^keep_serving=23$/m);
    expect((objects.workload as any).spec.template.spec.terminationGracePeriodSeconds).toBe(58);
    expect(checkGateway(gateway.model())).toEqual([]);
  });

  it('uses a NodePort Service when the load balancer is made outside Kubernetes', () => {
    const gateway = plan();
    gateway.attachLoadBalancer({ model: drainingNlb(gateway), serviceAnnotations: {}, serviceTypeLoadBalancer: false });
    expect((gateway.objects().service as any).spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    expect(checkGateway(gateway.model())).toEqual([]);
  });

  it('throws when a keep-serving override no longer covers the attached load balancer', () => {
    const gateway = plan({ keepServing: Duration.seconds(31) });
    expect(() => gateway.attachLoadBalancer({
      model: drainingNlb(gateway, { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3 } }),
      serviceAnnotations: {},
    })).toThrow(BudgetError);
    expect(() => gateway.attachLoadBalancer({
      model: drainingNlb(gateway, { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3 } }),
      serviceAnnotations: {},
    })).toThrow(/^'keepServing' \(31s\) must be at least the load balancer's detection window \(92.5s\)/);
    // The failed attachment left the gateway as it was.
    expect(gateway.budget.keepServingSeconds).toBe(31);
  });

  it('throws when the attached NLB cuts connections to an unhealthy target before the drain ends', () => {
    const gateway = plan();
    expect(() => gateway.attachLoadBalancer({ model: drainingNlb(gateway, { unhealthyDrainingIntervalSeconds: 10 }), serviceAnnotations: {} }))
      .toThrow(/^'unhealthyDrainingInterval' \(10s\) must be at least the part of the drain after the target may turn unhealthy \(51s\)/);
  });
});

describe('GatewayPlan modes and mechanisms', () => {
  it('runs a DaemonSet with host ports that never surges', () => {
    const gateway = plan({ workload: GatewayWorkload.daemonSet({ hostPort: 80, httpsHostPort: 443 }), tls: { secretName: 'edge-tls' } });
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    const objects = gateway.objects();
    expectValidKubernetesObjects(objects.all);
    expect(objects.all.map((each) => each.kind)).toEqual(['ConfigMap', 'ServiceAccount', 'DaemonSet', 'Service']);
    const spec = (objects.workload as any).spec;
    expect(spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(spec.minReadySeconds).toBe(25);
    expect(spec.template.spec.hostNetwork).toBeUndefined();
    expect(spec.template.spec.affinity).toBeUndefined();
    expect(container(gateway).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP', hostPort: 80 },
      { name: 'https', containerPort: 8443, protocol: 'TCP', hostPort: 443 },
    ]);
    // Host ports are bound by the node, not by the unprivileged container: no capability needed.
    expect(container(gateway).securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(gateway.hostPort).toBe(80);
    expect(gateway.mode).toBe('daemonset');
    expect(gateway.workloadObject).toBe('DaemonSet/ingress/edge');
    gateway.attachLoadBalancer({ model: drainingNlb(gateway), serviceAnnotations: {} });
    expect(checkGateway(gateway.model())).toEqual([]);
  });

  it('joins the host network only when asked, and then resolves cluster DNS', () => {
    const gateway = plan({ workload: GatewayWorkload.daemonSet({ hostNetwork: true }) });
    const pod = (gateway.objects().workload as any).spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
  });

  it('refuses a privileged listener port on the host network, where uid 101 cannot bind it', () => {
    expect(() => plan({ httpPort: 80, workload: GatewayWorkload.daemonSet({ hostNetwork: true }) })).toThrow(/'httpPort' \(80\) must be at least 1024 with hostNetwork/);
    expect(() => plan({ tls: { secretName: 'edge-tls', port: 443 }, workload: GatewayWorkload.daemonSet({ hostNetwork: true }) })).toThrow(/'tls\.port' \(443\) must be at least 1024 with hostNetwork/);
    // Off the host network a pod sysctl lowers the bound, so the port is allowed.
    expect(() => plan({ httpPort: 80, workload: GatewayWorkload.daemonSet() })).not.toThrow();
  });

  it('serves HTTPS from the TLS secret on a second listener', () => {
    const gateway = plan({ tls: { secretName: 'edge-tls' } });
    const objects = gateway.objects();
    expectValidKubernetesObjects(objects.all);
    const pod = (objects.workload as any).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'edge-tls' } });
    expect(container(gateway).volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/envoy/tls', readOnly: true });
    expect((objects.service as any).spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
    ]);
    const bootstrap = gateway.bootstrap() as any;
    expectValidBootstrap(bootstrap);
    expect(bootstrap.static_resources.listeners[1].filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificates)
      .toEqual([{ certificate_chain: { filename: '/etc/envoy/tls/tls.crt' }, private_key: { filename: '/etc/envoy/tls/tls.key' } }]);
  });

  it('adds NET_BIND_SERVICE and lowers the unprivileged port range only for a port below 1024', () => {
    const gateway = plan({ httpPort: 80, adminPort: 9000 });
    expectValidKubernetesObjects(gateway.objects().all);
    expect(container(gateway).securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect((gateway.objects().workload as any).spec.template.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
  });

  it('drains through the Envoy Gateway shutdown manager on admin port 19000', () => {
    const gateway = plan({ drain: GatewayDrain.envoyGatewayShutdownManager(), image: 'docker.io/envoyproxy/envoy:distroless-v1.35.0' });
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    const objects = gateway.objects();
    expectValidKubernetesObjects(objects.all);
    expect(gateway.adminPort).toBe(19000);
    expect((gateway.bootstrap() as any).admin.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 19000 });
    const envoy = container(gateway);
    expect(envoy.lifecycle.preStop).toEqual({ httpGet: { path: '/shutdown/ready', port: 19002 } });
    expect(envoy.args).toContain('--drain-time-s');
    expect(envoy.args[envoy.args.indexOf('--drain-time-s') + 1]).toBe('61');
    const sidecar = container(gateway, 'shutdown-manager');
    expect(sidecar.image).toBe('docker.io/envoyproxy/gateway:v1.5.0');
    expect(sidecar.command).toEqual(['envoy-gateway']);
    expect(sidecar.args).toEqual(['envoy', 'shutdown-manager', '--ready-timeout=66s']);
    expect(sidecar.lifecycle.preStop.exec.command).toEqual(['envoy-gateway', 'envoy', 'shutdown', '--drain-timeout=61s', '--min-drain-duration=31s']);
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(sidecar.volumeMounts).toEqual([{ name: 'shutdown-manager-tmp', mountPath: '/tmp' }]);
    expect(gateway.model().workload.drain).toMatchObject({ mechanism: 'shutdown-manager', keepServingSeconds: 31, drainSeconds: 30 });
    gateway.attachLoadBalancer({ model: drainingNlb(gateway), serviceAnnotations: {} });
    expect(checkGateway(gateway.model())).toEqual([]);
    expect(() => plan({ drain: GatewayDrain.envoyGatewayShutdownManager(), adminPort: 9901 })).toThrow("'adminPort' (9901) must be 19000 with the Envoy Gateway shutdown manager");
  });

  it('uses wget or curl under /bin/sh when the image has them', () => {
    expect(container(plan({ drain: GatewayDrain.wgetAdminScript(), image: 'quay.io/solo-io/gloo-envoy-wrapper:1.17.0' })).lifecycle.preStop.exec.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(container(plan({ drain: GatewayDrain.curlAdminScript(), image: 'registry.example.com/envoy-with-curl:1' })).lifecycle.preStop.exec.command[2]).toContain('curl -fsS');
  });

  it('refuses a drain the image cannot run, naming both', () => {
    expect(() => plan({ drain: GatewayDrain.wgetAdminScript() })).toThrow("'drain' (GatewayDrain.wgetAdminScript()) cannot run in 'image' (docker.io/envoyproxy/envoy:v1.35.0): it needs wget, which the official Envoy image (Ubuntu: bash, no curl, no wget) lacks; use GatewayDrain.bashAdminScript()");
    expect(() => plan({ drain: GatewayDrain.curlAdminScript() })).toThrow("'drain' (GatewayDrain.curlAdminScript()) cannot run in 'image' (docker.io/envoyproxy/envoy:v1.35.0): it needs curl");
    expect(() => plan({ image: 'envoyproxy/envoy:distroless-v1.35.0' })).toThrow("'drain' (GatewayDrain.bashAdminScript()) cannot run in 'image' (envoyproxy/envoy:distroless-v1.35.0): it needs bash and sleep, which a distroless image (no shell, no tools) lacks; use GatewayDrain.envoyGatewayShutdownManager()");
    expect(() => plan({ image: 'quay.io/solo-io/gloo-envoy-wrapper:1.17.0' })).toThrow('use GatewayDrain.wgetAdminScript()');
    expect(() => plan({ drain: GatewayDrain.envoyGatewayShutdownManager(), image: 'envoyproxy/envoy:distroless-v1.35.0' })).not.toThrow();
  });
});

describe('GatewayPlan configuration changes', () => {
  it('rolls the pods when the routes change', () => {
    const gateway = plan();
    const before = (gateway.objects().workload as any).spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION];
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    const after = (gateway.objects().workload as any).spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION];
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(after).not.toBe(before);
  });

  it('refuses a route that a previous one shadows', () => {
    const gateway = plan();
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    expect(() => gateway.addRoute({ prefix: '/', service: new FakeUpstream('other') })).toThrow(`route 'shop_other' matches {"prefix":"/"} like route 'shop_web' before it, and would never be used`);
  });
});

describe('GatewayPlan props', () => {
  it('accepts an override the assumed load balancer refuses until the budget is asked for, since the one attached may accept it', () => {
    const edge = plan({ minReady: Duration.seconds(5) });
    expect(() => edge.objects()).toThrow(/^'minReady' \(5s\)/);
    expect(() => edge.provisionalObjects()).not.toThrow();
    const fast = { ...assumedLoadBalancer('Service/edge/gateway'), healthCheck: { intervalSeconds: 5, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3 } };
    edge.attachLoadBalancer({ model: fast, serviceAnnotations: {} });
    expect(edge.budget.minReadySeconds).toBe(5);
  });

  it('renders provisional objects without the refused override, and still refuses them strictly afterwards', () => {
    const edge = plan({ minReady: Duration.seconds(5) });
    const provisional = edge.provisionalObjects();
    // The derived value, as a plan without the override has it.
    expect((provisional.workload.spec as { minReadySeconds: number }).minReadySeconds).toBe(Math.ceil(plan().budget.minReadySeconds));
    expect(() => edge.objects()).toThrow(/^'minReady' \(5s\)/);
    expect(() => edge.budget).toThrow(/^'minReady' \(5s\)/);
  });

  it('solves the budget behind a load balancer without attaching it', () => {
    const edge = plan();
    const fast = { ...assumedLoadBalancer('Service/edge/gateway'), healthCheck: { intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2 } };
    const before = edge.budget;
    const solved = edge.solveBudget(fast);
    // 2 × 5 s + 2 s + 5 s margin, against 2 × 10 s + 6 s + 5 s for the assumed NLB
    expect(solved.keepServingSeconds).toBe(17);
    expect(edge.budget).toEqual(before);
    expect(edge.loadBalancer).not.toBe(fast);
    edge.attachLoadBalancer({ model: fast, serviceAnnotations: {} });
    expect(edge.budget).toEqual(solved);
  });

  it('refuses, in solveBudget, an override the load balancer breaks, naming prop, value and bound', () => {
    const slow = { ...assumedLoadBalancer('Service/edge/gateway'), healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3 } };
    expect(() => plan({ keepServing: Duration.seconds(60) }).solveBudget(slow)).toThrow(/^'keepServing' \(60s\) must be at least the load balancer's detection window/);
  });

  it('rejects values that break the drain, naming prop, value and bound', () => {
    expect(() => plan({ idleTimeout: Duration.seconds(45) })).toThrow("'idleTimeout' (45s) must be at most 'drainTimeout' (30s)");
    expect(() => plan({ drainTimeout: Duration.seconds(400), idleTimeout: Duration.seconds(360) })).toThrow("'idleTimeout' (6m) must be under 5m50s");
    expect(() => plan({ drainTimeout: Duration.ZERO })).toThrow("'drainTimeout' (0s) must be at least 1s");
    expect(() => plan({ drainTimeout: Duration.millis(1500) })).toThrow("'drainTimeout' (1.5s) must be whole seconds");
    expect(() => plan({ keepServing: Duration.seconds(10) }).budget).toThrow(/^'keepServing' \(10s\) must be at least the load balancer's detection window \(22s\)/);
    expect(() => plan({ terminationGracePeriod: Duration.seconds(60) }).budget).toThrow(/^'terminationGracePeriod' \(60s\) must be at least the whole preStop \(61s\)/);
    expect(() => plan({ minReady: Duration.seconds(5) }).budget).toThrow(/^'minReady' \(5s\) must be at least the load balancer's recovery window less its earliest unhealthy mark \(10s\)/);
    expect(() => plan({ workload: GatewayWorkload.deployment({ replicas: 1 }) })).toThrow("'replicas' (1) must be a whole number, at least 2");
    expect(() => plan({ httpPort: 9901 })).toThrow("'httpPort' (9901), 'tls.port' (none) and 'adminPort' (9901) must all differ");
    expect(() => plan({ name: 'Edge' })).toThrow(`'name' ("Edge") must be a DNS label`);
    expect(() => plan({ healthCheckPath: 'hc' })).toThrow(`'healthCheckPath' ("hc") must start with '/'`);
    expect(() => plan({ workload: GatewayWorkload.daemonSet({ httpsHostPort: 443 }) })).toThrow("'httpsHostPort' (443) needs 'tls'");
  });

  it('derives the idle timeout from the drain timeout', () => {
    expect(plan({ drainTimeout: Duration.seconds(60) }).idleTimeout.toSeconds()).toBe(30);
    expect(plan({ drainTimeout: Duration.seconds(1) }).idleTimeout.toSeconds()).toBe(1);
  });
});

describe('GatewayPlan and PROXY protocol', () => {
  it('reads the PROXY header on every listener when the attached NLB sends it, validated against Envoy\'s protos', () => {
    const gateway = plan({ tls: { secretName: 'edge-tls' } });
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    expect(JSON.stringify(gateway.bootstrap())).not.toContain('proxy_protocol');
    gateway.attachLoadBalancer({ model: drainingNlb(gateway, { proxyProtocolV2: true, healthCheckPort: 'traffic-port', healthCheckPath: gateway.healthCheckPath }), serviceAnnotations: {} });
    const listeners = (gateway.bootstrap() as any).static_resources.listeners;
    expect(listeners).toHaveLength(2);
    for (const listener of listeners) {
      expect(listener.listener_filters).toEqual([{ name: 'envoy.filters.listener.proxy_protocol', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.listener.proxy_protocol.v3.ProxyProtocol' } }]);
    }
    expectValidBootstrap(gateway.bootstrap());
  });

  it('refuses PROXY protocol with a health check on kube-proxy\'s healthCheckNodePort, which cannot read the header', () => {
    const gateway = plan();
    expect(() => gateway.attachLoadBalancer({ model: drainingNlb(gateway, { proxyProtocolV2: true, healthCheckPort: 'healthCheckNodePort' }), serviceAnnotations: {} }))
      .toThrow("'proxyProtocolV2' (true) needs the load balancer's health check on the gateway's own listener, not 'healthCheckNodePort'");
  });
});

describe('GatewayPlan edge hardening', () => {
  it('hardens the edge by default, as Envoy\'s edge guidance asks, in a bootstrap valid against the protos', () => {
    const gateway = plan({ tls: { secretName: 'edge-tls' } });
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    const bootstrap = gateway.bootstrap() as any;
    expect(bootstrap.overload_manager.resource_monitors[0]).toMatchObject({ name: 'envoy.resource_monitors.global_downstream_max_connections', typed_config: { max_active_downstream_connections: '50000' } });
    for (const listener of bootstrap.static_resources.listeners) {
      expect(listener.per_connection_buffer_limit_bytes).toBe(32768);
      const manager = listener.filter_chains[0].filters[0].typed_config;
      expect(manager).toMatchObject({ request_headers_timeout: '10s', http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536, initial_connection_window_size: 1048576 } });
      expect(manager.internal_address_config.cidr_ranges.map((range: any) => range.address_prefix)).toEqual(['127.0.0.1', '::1']);
    }
    expect(bootstrap.static_resources.clusters[0].per_connection_buffer_limit_bytes).toBe(32768);
    expectValidBootstrap(bootstrap);
  });

  it('takes overrides, and refuses out-of-bounds ones naming the prop', () => {
    const gateway = plan({ edgeHardening: { maxDownstreamConnections: 2000, requestHeadersTimeoutSeconds: 5 } });
    gateway.addRoute({ prefix: '/', service: new FakeUpstream('web') });
    expect(JSON.stringify(gateway.bootstrap())).toContain('"max_active_downstream_connections":"2000"');
    expect(() => plan({ edgeHardening: { http2MaxConcurrentStreams: 0 } })).toThrow("'edgeHardening.http2MaxConcurrentStreams' (0)");
  });
});
