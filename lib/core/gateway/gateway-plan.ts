import { createHash } from 'crypto';
import { asDuration, Duration } from '../duration';
import { envoyClusterModel, resolveCluster, ResolvedCluster } from '../envoy/cluster';
import { ADMIN_ADDRESS, DEFAULT_ADMIN_PORT, EnvoyBootstrap, gatewayBootstrap } from '../envoy/bootstrap';
import { resolveEdgeHardening, ResolvedEdgeHardening } from '../envoy/edge-hardening';
import { DEFAULT_HEALTH_CHECK_PATH } from '../envoy/listener';
import { envoyRouteModel, resolveRoute, ResolvedRoute } from '../envoy/route';
import { objectRef, requireObjectRef } from '../object-ref';
import { KubeObject } from '../kube-object';
import { assumedLoadBalancer } from '../load-balancer';
import { LoadBalancedGateway, LoadBalancerAttachment } from '../load-balancer-link';
import { DiscoveryModel, EnvoyModel, GatewayModel, LoadBalancerModel, ProbeModel, ServiceModel, WorkloadModel } from '../model';
import { restrictedPodSecurityContext, restrictedSecurityContext, unbindablePortsOnHostNetwork, UNPRIVILEGED_PORT_START } from '../pod-security';
import { BudgetError } from '../timing/budget-error';
import { GatewayBudget, solveGatewayBudget } from '../timing/solver';
import { defaultDnsDiscovery } from '../timing/windows';
import { GatewayDrain, RenderedDrain } from './drain';
import { GatewayPlanOptions, GatewayResources, GatewayRouteOptions, GatewayTlsOptions } from './gateway-options';
import { GatewayWorkload } from './workload';
import { checkSecondsAtMost } from '../prop-bounds';

/**
 * The official Envoy image: it runs as uid 101 and has bash (no curl, no wget), which the default
 * drain needs.
 */
export const DEFAULT_ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:v1.35.0';

/** The envoy user of the official image. */
export const ENVOY_USER_ID = 101;

/** Default drain timeout: long enough for a slow request or a streaming response to finish, short enough to keep rollouts brisk. */
export const DEFAULT_DRAIN_TIMEOUT = Duration.seconds(30);

/**
 * An AWS NLB forgets an idle TCP flow after 350 s and resets later packets on it; Envoy must
 * close idle connections before that.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#connection-idle-timeout
 */
export const NLB_IDLE_TIMEOUT = Duration.seconds(350);

/** Annotation on the pod template holding the bootstrap's digest, so a configuration change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'hitless.dev/envoy-config-sha256';

const CONFIG_KEY = 'envoy.json';
const CONFIG_DIR = '/etc/envoy/config';
const TLS_DIR = '/etc/envoy/tls';

/** The Kubernetes objects of a gateway. */
export interface GatewayObjects {
  readonly configMap: KubeObject;
  readonly serviceAccount: KubeObject;
  /** The Deployment or DaemonSet. */
  readonly workload: KubeObject;
  readonly service: KubeObject;
  readonly podDisruptionBudget?: KubeObject;
  /** All of them, in apply order. */
  readonly all: KubeObject[];
}

function checkPort(prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`'${prop}' (${value}) must be a port number, 1 to 65535`);
  return value;
}

function wholeSeconds(prop: string, value: Duration | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value.toMilliseconds() % 1000 !== 0) throw new Error(`'${prop}' (${value}) must be whole seconds: the Kubernetes field takes an integer`);
  return checkSecondsAtMost(prop, value.toSeconds(), String(value));
}

/**
 * An Envoy edge gateway that drains without dropping requests, as plain data: the bootstrap, the
 * Kubernetes objects and the model the checker reads. Both faces (`HitlessGateway` for cdk8s and
 * Pulumi) are thin wrappers of this; they render {@link objects} when they synthesize, so routes
 * added and load balancers attached after construction are included.
 */
export class GatewayPlan implements LoadBalancedGateway {
  public readonly name: string;
  public readonly namespace: string;
  public readonly workloadSpec: GatewayWorkload;
  public readonly drain: GatewayDrain;
  public readonly image: string;
  public readonly edgeHardening: ResolvedEdgeHardening;
  public readonly httpPort: number;
  public readonly servicePort: number;
  public readonly tls?: Required<GatewayTlsOptions>;
  public readonly adminPort: number;
  public readonly healthCheckPath: string;
  public readonly drainTimeout: Duration;
  public readonly idleTimeout: Duration;
  public readonly discovery: DiscoveryModel;
  public readonly labels: Record<string, string>;
  public readonly selector: Record<string, string>;
  public readonly resources: GatewayResources;
  // LoadBalancedGateway
  public readonly workloadObject: string;
  public readonly serviceObject: string;
  public readonly configMapObject: string;
  public readonly trafficPort: number;
  public readonly hostPort?: number;
  public readonly mode: 'deployment' | 'daemonset';

  private readonly options: GatewayPlanOptions;
  private readonly clusterTemplate: Omit<ResolvedCluster, 'name' | 'dnsName' | 'port' | 'healthCheckPath'>;
  private readonly clusters = new Map<string, ResolvedCluster>();
  /** The headless Service each cluster resolves, as the service routed to names it. */
  private readonly clusterServices = new Map<string, string>();
  private readonly routeList: ResolvedRoute[] = [];
  private attachment?: LoadBalancerAttachment;
  private solvedBudget: GatewayBudget;
  /**
   * An override the assumed load balancer refuses. The load balancer attached later may accept it
   * (its bounds differ), so the refusal waits until the budget or the objects are asked for with
   * no load balancer attached.
   */
  private deferredRefusal?: BudgetError;

  constructor(options: GatewayPlanOptions) {
    this.options = options;
    if (!/^[a-z0-9]([-a-z0-9]{0,55}[a-z0-9])?$/.test(options.name ?? '')) {
      throw new Error(`'name' (${JSON.stringify(options.name)}) must be a DNS label of at most 57 characters (the ConfigMap adds '-envoy')`);
    }
    this.name = options.name;
    this.namespace = options.namespace ?? 'default';
    this.workloadSpec = options.workload ?? GatewayWorkload.deployment();
    this.drain = options.drain ?? GatewayDrain.bashAdminScript();
    this.image = options.image ?? DEFAULT_ENVOY_IMAGE;
    this.drain.assertRunsIn(this.image);
    this.edgeHardening = resolveEdgeHardening(options.edgeHardening);
    this.mode = this.workloadSpec.mode;
    this.httpPort = checkPort('httpPort', options.httpPort ?? 8080);
    this.servicePort = checkPort('servicePort', options.servicePort ?? 80);
    this.trafficPort = this.servicePort;
    if (options.tls) {
      if (!options.tls.secretName) throw new Error("'tls.secretName' must name a kubernetes.io/tls Secret");
      this.tls = { secretName: options.tls.secretName, port: checkPort('tls.port', options.tls.port ?? 8443), servicePort: checkPort('tls.servicePort', options.tls.servicePort ?? 443) };
    }
    const required = this.drain.requiredAdminPort;
    if (required !== undefined && options.adminPort !== undefined && options.adminPort !== required) {
      throw new Error(`'adminPort' (${options.adminPort}) must be ${required} with the Envoy Gateway shutdown manager, which reaches the admin API only there`);
    }
    this.adminPort = checkPort('adminPort', options.adminPort ?? required ?? DEFAULT_ADMIN_PORT);
    const listenerPorts = [this.httpPort, ...(this.tls ? [this.tls.port] : [])];
    if (new Set([...listenerPorts, this.adminPort]).size !== listenerPorts.length + 1) {
      throw new Error(`'httpPort' (${this.httpPort}), 'tls.port' (${this.tls?.port ?? 'none'}) and 'adminPort' (${this.adminPort}) must all differ`);
    }
    const unbindable = unbindablePortsOnHostNetwork(listenerPorts, this.workloadSpec.hostNetwork, true);
    if (unbindable.length > 0) {
      const prop = unbindable[0] === this.httpPort ? 'httpPort' : 'tls.port';
      throw new Error(`'${prop}' (${unbindable[0]}) must be at least ${UNPRIVILEGED_PORT_START} with hostNetwork: Envoy runs as uid ${ENVOY_USER_ID}, and on the node's network no sysctl or capability lets it bind a privileged port, so it would crash-loop (use hostPort, or a listener port of ${UNPRIVILEGED_PORT_START} or more)`);
    }
    this.healthCheckPath = options.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH;
    if (!this.healthCheckPath.startsWith('/')) throw new Error(`'healthCheckPath' (${JSON.stringify(this.healthCheckPath)}) must start with '/'`);
    this.drainTimeout = asDuration(options.drainTimeout ?? DEFAULT_DRAIN_TIMEOUT);
    const drainSeconds = wholeSeconds('drainTimeout', this.drainTimeout)!;
    if (drainSeconds < 1) throw new Error(`'drainTimeout' (${this.drainTimeout}) must be at least 1s: connections open when the listeners drain need time to close`);
    this.idleTimeout = asDuration(options.idleTimeout) ?? Duration.seconds(Math.max(1, Math.ceil(drainSeconds / 2)));
    if (this.idleTimeout.toMilliseconds() < 1) throw new Error(`'idleTimeout' (${this.idleTimeout}) must be more than 0s: Envoy reads 0 as no idle timeout`);
    if (this.idleTimeout.isLongerThan(this.drainTimeout)) {
      throw new Error(`'idleTimeout' (${this.idleTimeout}) must be at most 'drainTimeout' (${this.drainTimeout}): a keep-alive connection that goes idle as the drain starts must be closed by Envoy before the pod exits, not cut`);
    }
    if (!this.idleTimeout.isShorterThan(NLB_IDLE_TIMEOUT)) {
      throw new Error(`'idleTimeout' (${this.idleTimeout}) must be under ${NLB_IDLE_TIMEOUT}: an NLB forgets idle flows after that and resets the next packet on them`);
    }
    const probe = resolveCluster({
      name: 'template', dnsName: 'template', port: 1, healthCheckPath: '/',
      dnsRefreshRate: options.dnsRefreshRate, connectTimeout: options.connectTimeout,
      activeHealthCheck: options.activeHealthCheck, outlierDetection: options.outlierDetection,
    });
    this.clusterTemplate = { dnsRefreshRate: probe.dnsRefreshRate, connectTimeout: probe.connectTimeout, healthCheck: probe.healthCheck, outlierDetection: probe.outlierDetection };
    this.discovery = defaultDnsDiscovery({
      dnsRefreshSeconds: probe.dnsRefreshRate.toSeconds(),
      ...(options.dnsTtl ? { dnsTtlSeconds: asDuration(options.dnsTtl).toSeconds() } : {}),
    });
    this.selector = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/component': 'gateway' };
    this.labels = { ...(options.labels ?? {}), ...this.selector };
    this.resources = options.resources ?? { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } };
    this.workloadObject = objectRef(this.workloadSpec.kind, this.namespace, this.name);
    this.serviceObject = objectRef('Service', this.namespace, this.name);
    this.configMapObject = objectRef('ConfigMap', this.namespace, `${this.name}-envoy`);
    const hostPorts = this.workloadSpec.hostPorts;
    if (hostPorts.length > 0) this.hostPort = hostPorts[0];
    if (this.workloadSpec.mode === 'daemonset' && this.workloadSpec.shape.mode === 'daemonset' && this.workloadSpec.shape.httpsHostPort !== undefined && !this.tls) {
      throw new Error(`'httpsHostPort' (${this.workloadSpec.shape.httpsHostPort}) needs 'tls': there is no HTTPS listener to bind it to`);
    }
    const assumed = assumedLoadBalancer(this.serviceObject);
    try {
      this.solvedBudget = this.solve(assumed);
    } catch (error) {
      if (!(error instanceof BudgetError)) throw error;
      this.deferredRefusal = error;
      this.solvedBudget = this.solve(assumed, false);
    }
  }

  /**
   * The budget the objects use. Strict, it throws the assumed load balancer's refusal while none is
   * attached; not strict, it is the budget solved without the overrides that load balancer refuses.
   */
  private budgetFor(strict: boolean): GatewayBudget {
    if (strict && this.deferredRefusal) throw this.deferredRefusal;
    return this.solvedBudget;
  }

  /** The timings of the pods' life, solved against the load balancer in front. */
  public get budget(): GatewayBudget {
    return this.budgetFor(true);
  }

  /**
   * The timings behind `loadBalancer`, as {@link attachLoadBalancer} would solve them; attaches nothing.
   * @throws BudgetError when an override breaks that load balancer's chain
   */
  public solveBudget(loadBalancer: LoadBalancerModel): GatewayBudget {
    return this.solve(loadBalancer);
  }

  /** The load balancer the budget is solved against: the attached one, else the assumed AWS NLB. */
  public get loadBalancer(): LoadBalancerModel {
    return this.attachment?.model ?? assumedLoadBalancer(this.serviceObject);
  }

  /** Routes in match order. */
  public get routes(): readonly ResolvedRoute[] {
    return [...this.routeList];
  }

  /** Interval of the active health checks every cluster runs. */
  public get activeHealthCheckInterval(): Duration {
    return this.clusterTemplate.healthCheck.interval;
  }

  /** Puts a load balancer in front; re-solves the budget, throwing a `BudgetError` when an override no longer holds. */
  public attachLoadBalancer(attachment: LoadBalancerAttachment): void {
    const model = attachment.model;
    if (model.proxyProtocolV2 === true && !/^(traffic-port|\d+)$/.test(model.healthCheckPort)) {
      // The NLB sends the PROXY header on health checks too; kube-proxy's healthCheckNodePort reads plain HTTP.
      throw new Error(`'proxyProtocolV2' (true) needs the load balancer's health check on the gateway's own listener, not '${model.healthCheckPort}': the NLB sends the PROXY header on health checks too, and only Envoy's listener reads it`);
    }
    this.solvedBudget = this.solve(model);
    this.deferredRefusal = undefined;
    this.attachment = attachment;
  }

  /**
   * Routes requests matching `prefix` or `path` to `service`, and tells the service this gateway
   * is in front (its preStop is then derived from this gateway's discovery delay).
   */
  public addRoute(options: GatewayRouteOptions): ResolvedRoute {
    const service = options.service;
    const { namespace, name } = requireObjectRef(service.serviceObject);
    const clusterName = `${namespace}_${name}`;
    let cluster = this.clusters.get(clusterName);
    const firstToService = cluster === undefined;
    if (!cluster) {
      cluster = { ...this.clusterTemplate, name: clusterName, dnsName: service.headlessDnsName, port: service.port, healthCheckPath: service.healthCheckPath };
      // Checks the service's values (port, path) the way user props are checked.
      resolveCluster({ ...cluster, activeHealthCheck: undefined, outlierDetection: undefined });
    }
    const sameCluster = this.routeList.filter((route) => route.cluster === clusterName).length;
    const route = resolveRoute({ ...options, name: options.name ?? (sameCluster === 0 ? clusterName : `${clusterName}-${sameCluster}`), cluster: clusterName });
    const matchKey = JSON.stringify(route.match);
    const shadowing = this.routeList.find((each) => JSON.stringify(each.match) === matchKey);
    if (shadowing) throw new Error(`route '${route.name}' matches ${matchKey} like route '${shadowing.name}' before it, and would never be used`);
    if (this.routeList.some((each) => each.name === route.name)) throw new Error(`route name '${route.name}' is already used`);
    if (firstToService) {
      service.registerGateway({ gateway: this.workloadObject, discovery: this.discovery, activeHealthCheckIntervalSeconds: this.activeHealthCheckInterval.toSeconds() });
      this.clusters.set(clusterName, cluster);
      this.clusterServices.set(clusterName, service.headlessServiceObject);
    }
    this.routeList.push(route);
    return route;
  }

  /** The Envoy bootstrap, as proto3 JSON. */
  public bootstrap(): EnvoyBootstrap {
    return gatewayBootstrap({
      adminPort: this.adminPort,
      healthCheckPath: this.healthCheckPath,
      idleTimeout: this.idleTimeout,
      httpPort: this.httpPort,
      ...(this.tls ? { https: { port: this.tls.port, files: { certificateChain: `${TLS_DIR}/tls.crt`, privateKey: `${TLS_DIR}/tls.key` } } } : {}),
      clusters: [...this.clusters.values()],
      routes: this.routeList,
      // End to end: the load balancer sends the header, so every listener reads it.
      proxyProtocol: this.loadBalancer.proxyProtocolV2 === true,
      edgeHardening: this.edgeHardening,
    });
  }

  /** What the drain mechanism adds to the pod, for the current budget. */
  public renderedDrain(): RenderedDrain {
    return this.drainFor(this.budget);
  }

  /**
   * The objects' identity before the load balancer is known (the cdk8s face renders their contents
   * at synth): solved without the overrides the assumed load balancer refuses.
   * @internal
   */
  public provisionalObjects(): GatewayObjects {
    return this.render(false);
  }

  /**
   * The Kubernetes objects, for the current routes and load balancer.
   * @throws BudgetError when an override breaks the chain of the load balancer in front (the assumed
   * AWS NLB when none was attached)
   */
  public objects(): GatewayObjects {
    return this.render(true);
  }

  private drainFor(budget: GatewayBudget): RenderedDrain {
    return this.drain.render({
      adminPort: this.adminPort,
      keepServingSeconds: Math.ceil(budget.keepServingSeconds),
      drainTimeoutSeconds: budget.drainTimeoutSeconds,
      marginSeconds: budget.marginSeconds,
    });
  }

  /** The objects; `strict`: see {@link budgetFor}. */
  private render(strict: boolean): GatewayObjects {
    const bootstrapText = JSON.stringify(this.bootstrap(), null, 2);
    const budget = this.budgetFor(strict);
    const metadata = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: this.namespace, labels: { ...this.labels }, ...extra });
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(`${this.name}-envoy`), data: { [CONFIG_KEY]: bootstrapText } };
    const serviceAccount: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(this.name), automountServiceAccountToken: false };
    const drain = this.drainFor(budget);
    const template = this.podTemplate(drain, createHash('sha256').update(bootstrapText).digest('hex'), budget);
    const workload: KubeObject = {
      apiVersion: 'apps/v1',
      kind: this.workloadSpec.kind,
      metadata: metadata(this.name),
      spec: this.workloadSpec.spec(this.selector, template, Math.ceil(budget.minReadySeconds)),
    };
    const annotations = this.attachment?.serviceAnnotations;
    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: metadata(this.name, annotations && Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
      spec: {
        // Without a Kubernetes-made load balancer (target group bound from outside), a NodePort
        // still gives instance targets a port, and externalTrafficPolicy Local still applies.
        type: this.attachment?.serviceTypeLoadBalancer === false ? 'NodePort' : 'LoadBalancer',
        // Local: the load balancer's health check reaches the very node (and pod) that serves,
        // and the client address is kept.
        externalTrafficPolicy: 'Local',
        selector: { ...this.selector },
        ports: [
          { name: 'http', port: this.servicePort, targetPort: 'http', protocol: 'TCP' },
          ...(this.tls ? [{ name: 'https', port: this.tls.servicePort, targetPort: 'https', protocol: 'TCP' }] : []),
        ],
      },
    };
    const podDisruptionBudget: KubeObject | undefined = this.mode === 'deployment'
      ? { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: metadata(this.name), spec: { maxUnavailable: 1, selector: { matchLabels: { ...this.selector } } } }
      : undefined;
    return {
      configMap,
      serviceAccount,
      workload,
      service,
      ...(podDisruptionBudget ? { podDisruptionBudget } : {}),
      all: [configMap, serviceAccount, workload, service, ...(podDisruptionBudget ? [podDisruptionBudget] : [])],
    };
  }

  /**
   * The Envoy part of the model, built from the same resolved clusters and routes the bootstrap is
   * (lib/read reads the emitted bootstrap into the same model; a test holds the two equal).
   */
  public envoyModel(): EnvoyModel {
    return {
      object: this.configMapObject,
      adminAddress: ADMIN_ADDRESS,
      healthCheckPath: this.healthCheckPath,
      clusters: [...this.clusters.values()].map((cluster) => envoyClusterModel(cluster, this.discovery, this.clusterServices.get(cluster.name))),
      routes: this.routeList.map(envoyRouteModel),
    };
  }

  /** The gateway as the checker sees it, for `checkGateway`. */
  public model(): GatewayModel {
    const budget = this.budget;
    const drain = this.drainFor(budget);
    const rollout = this.workloadSpec.rollout;
    const workload: WorkloadModel = {
      object: this.workloadObject,
      kind: this.workloadSpec.kind,
      namespace: this.namespace,
      name: this.name,
      podLabels: { ...this.labels },
      replicas: this.workloadSpec.replicas,
      maxSurge: rollout.maxSurge,
      maxUnavailable: rollout.maxUnavailable,
      minReadySeconds: Math.ceil(budget.minReadySeconds),
      terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
      drain: drain.model,
      appDrainSeconds: 0,
      readiness: this.readinessModel(),
      hostPorts: this.workloadSpec.hostPorts,
      hostNetwork: this.workloadSpec.hostNetwork,
      // A DaemonSet runs one pod per node by construction.
      onePodPerNode: true,
      spreadTopologyKeys: this.workloadSpec.spreadTopologyKeys,
      ...(this.mode === 'deployment' ? { disruptionBudget: { object: objectRef('PodDisruptionBudget', this.namespace, this.name), maxUnavailable: 1 } } : {}),
      runsAsNonRoot: true,
    };
    const service: ServiceModel = {
      object: this.serviceObject,
      type: this.attachment?.serviceTypeLoadBalancer === false ? 'NodePort' : 'LoadBalancer',
      headless: false,
      externalTrafficPolicy: 'Local',
      selector: { ...this.selector },
      ports: [{ name: 'http', port: this.servicePort, targetPort: 'http' }, ...(this.tls ? [{ name: 'https', port: this.tls.servicePort, targetPort: 'https' }] : [])],
      loadBalancer: this.loadBalancer,
    };
    return { workload, services: [service], envoy: this.envoyModel() };
  }

  private solve(loadBalancer: LoadBalancerModel, withOverrides = true): GatewayBudget {
    const o: Partial<GatewayPlanOptions> = withOverrides ? this.options : {};
    return solveGatewayBudget({
      loadBalancer,
      drainTimeoutSeconds: this.drainTimeout.toSeconds(),
      keepServingSeconds: wholeSeconds('keepServing', asDuration(o.keepServing)),
      terminationGracePeriodSeconds: wholeSeconds('terminationGracePeriod', asDuration(o.terminationGracePeriod)),
      minReadySeconds: wholeSeconds('minReady', asDuration(o.minReady)),
      // The load balancer's own draining interval is checked only where it matters: when it lets
      // connections to an unhealthy target live instead of resetting them.
      ...(loadBalancer.unhealthyConnectionTermination === false ? { unhealthyDrainingIntervalSeconds: loadBalancer.unhealthyDrainingIntervalSeconds } : {}),
      propNames: { keepServing: 'keepServing', gracePeriod: 'terminationGracePeriod', minReady: 'minReady', unhealthyDrainingInterval: 'unhealthyDrainingInterval' },
    });
  }

  /**
   * Readiness is a TCP probe on the HTTP listener, deliberately not the health-check path nor
   * Envoy's `/ready`: both turn 503 the moment the drain fails the health check. With
   * externalTrafficPolicy Local, a pod whose readiness fails stops being `serving`; kube-proxy then
   * has no endpoint on that node and drops the packets the load balancer still sends during its
   * detection window: clients see connect timeouts. The listener accepts until the very end of the
   * drain, so this probe passes for as long as the pod serves, and fails when Envoy cannot.
   * (The admin API is on loopback: the kubelet could not probe it anyway.)
   */
  private readinessProbe(): Record<string, unknown> {
    const probe = this.readinessModel();
    return {
      tcpSocket: { port: 'http' },
      initialDelaySeconds: probe.initialDelaySeconds,
      periodSeconds: probe.periodSeconds,
      timeoutSeconds: probe.timeoutSeconds,
      successThreshold: probe.successThreshold,
      failureThreshold: probe.failureThreshold,
    };
  }

  private readinessModel(): ProbeModel {
    return { kind: 'tcp', port: 'http', periodSeconds: 2, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, initialDelaySeconds: 0, failsWhileDraining: false };
  }

  private podTemplate(drain: RenderedDrain, configHash: string, budget: GatewayBudget): Record<string, unknown> {
    const listenerPorts = [this.httpPort, ...(this.tls ? [this.tls.port] : [])];
    const lowest = Math.min(...listenerPorts);
    const lowPort = lowest < 1024;
    const hostPorts = this.workloadSpec.shape.mode === 'daemonset' ? this.workloadSpec.shape : undefined;
    const security = restrictedSecurityContext({ runAsUser: ENVOY_USER_ID });
    if (lowPort) {
      // Asked for by policy and honoured by file capabilities; see the sysctl below for the part
      // that works for a non-root process without them.
      security.capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] };
    }
    const podSecurity: Record<string, unknown> = restrictedPodSecurityContext({ runAsUser: ENVOY_USER_ID });
    if (lowPort && !this.workloadSpec.hostNetwork) {
      // Kubernetes grants added capabilities to non-root processes only through file capabilities,
      // which the Envoy binary lacks; lowering the unprivileged port range (a namespaced, safe
      // sysctl) is what lets uid 101 bind the port.
      podSecurity.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(lowest) }];
    }
    const envoy = {
      name: 'envoy',
      image: this.image,
      command: ['envoy'],
      args: ['--config-path', `${CONFIG_DIR}/${CONFIG_KEY}`, ...drain.envoyArgs, '--disable-hot-restart', '--log-level', 'info'],
      ports: [
        { name: 'http', containerPort: this.httpPort, protocol: 'TCP', ...(hostPorts?.hostPort !== undefined ? { hostPort: hostPorts.hostPort } : {}) },
        ...(this.tls ? [{ name: 'https', containerPort: this.tls.port, protocol: 'TCP', ...(hostPorts?.httpsHostPort !== undefined ? { hostPort: hostPorts.httpsHostPort } : {}) }] : []),
      ],
      readinessProbe: this.readinessProbe(),
      lifecycle: { preStop: drain.preStop },
      resources: this.resources,
      securityContext: security,
      volumeMounts: [
        { name: 'envoy-config', mountPath: CONFIG_DIR, readOnly: true },
        ...(this.tls ? [{ name: 'tls', mountPath: TLS_DIR, readOnly: true }] : []),
      ],
    };
    return {
      metadata: { labels: { ...this.labels }, annotations: { [CONFIG_HASH_ANNOTATION]: configHash } },
      spec: {
        serviceAccountName: this.name,
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: budget.terminationGracePeriodSeconds,
        securityContext: podSecurity,
        ...this.workloadSpec.placement(this.selector),
        containers: [envoy, ...drain.sidecars],
        volumes: [
          { name: 'envoy-config', configMap: { name: `${this.name}-envoy` } },
          ...(this.tls ? [{ name: 'tls', secret: { secretName: this.tls.secretName } }] : []),
          ...drain.volumes,
        ],
      },
    };
  }
}
