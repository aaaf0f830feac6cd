import { Finding } from '../core/finding';
import { objectRef } from '../core/object-ref';
import { DEFAULT_GLOO_PROXY_NAME, GLOO_ADMIN_PORT, GLOO_DEFAULT_PORTS, glooProxyId } from '../core/gloo/helm-values';
import { GLOO_SYSTEM_NAMESPACE } from '../core/gloo/upstream';
import { GatewayModel } from '../core/model';
import { asArray, asObject, asString, at, isObject, Json } from './fields';
import type { SourcedObject } from './load';
import { readService } from './service';
import { probeFailsWhileDraining, readWorkload } from './workload';

/**
 * Gloo Edge Helm values (`gatewayProxies`, or `gloo.gatewayProxies` for `gloo-ee`) → the
 * objects the chart renders from them, as far as hitless reads them, and from those the
 * gateway model. Rendering first means the Deployment, Service and Gateway go through the very
 * readers that read any other manifest; nothing of the chart is interpreted twice.
 *
 * What each value renders to follows the chart's templates; where the values are silent, the
 * chart's defaults apply (`values-template.yaml`: one replica, no probes, graceful shutdown off
 * with a 25 s sleep, Service LoadBalancer 80/443 → 8080/8443, runUnprivileged, admin on
 * 127.0.0.1:19000).
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/7-gateway-proxy-deployment.yaml
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/8-gateway-proxy-service.yaml
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/8-gateway-proxy-pod-disruption-budget.yaml
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/templates/_8-default-gateways.tpl
 * @see https://github.com/solo-io/gloo/blob/main/install/helm/gloo/values-template.yaml
 */

/** The chart's defaults for `gatewayProxies.gatewayProxy`, the part hitless reads. */
const CHART_DEFAULTS: Json = {
  kind: { deployment: { replicas: 1 } },
  podTemplate: {
    probes: false,
    httpPort: GLOO_DEFAULT_PORTS.podHttp,
    httpsPort: GLOO_DEFAULT_PORTS.podHttps,
    runAsUser: 10101,
    runUnprivileged: true,
    gracefulShutdown: { enabled: false, sleepTimeSeconds: 25 },
    customReadinessProbe: {},
  },
  gatewaySettings: { enabled: true },
  service: { type: 'LoadBalancer', httpPort: GLOO_DEFAULT_PORTS.serviceHttp, httpsPort: GLOO_DEFAULT_PORTS.serviceHttps },
  loopBackAddress: '127.0.0.1',
};

/** The image the chart runs; only its name matters here (it marks the container as Gloo's Envoy). */
const GLOO_ENVOY_IMAGE = 'quay.io/solo-io/gloo-envoy-wrapper';

/** The `gatewayProxies` map of a values document, if it is one. */
function gatewayProxiesOf(values: unknown): Json | undefined {
  return asObject(at(values, 'gatewayProxies')) ?? asObject(at(values, 'gloo', 'gatewayProxies'));
}

/** Whether a YAML document is a Gloo Edge Helm values file (top-level `gatewayProxies`, or under `gloo:`), not a Kubernetes object. */
export function isGlooHelmValues(document: unknown): boolean {
  return isObject(document) && document.kind === undefined && document.apiVersion === undefined && gatewayProxiesOf(document) !== undefined;
}

/** Helm's merge of values over defaults: maps merge deeply, `null` deletes, anything else replaces. */
function mergeValues(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(base[key], value);
  }
  return merged;
}

/** Helm's `mergeOverwrite` of a `kubeResourceOverride` over a rendered object (null kept as null, as sprig does). */
function mergeOverwrite(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(over)) merged[key] = mergeOverwrite(base[key], value);
  return merged;
}

function nonEmpty(value: unknown): Json | undefined {
  const object = asObject(value);
  return object && Object.keys(object).length > 0 ? object : undefined;
}

/** The objects the chart renders for one gateway proxy, each as hitless reads it. */
export interface RenderedGlooProxy {
  /** The `gatewayProxies` key. */
  readonly proxyName: string;
  readonly workload: Json;
  readonly service?: Json;
  readonly podDisruptionBudget?: Json;
  /** The HTTP Gateway (gateway.solo.io/v1), which carries the health check filter path. */
  readonly gateway?: Json;
  /** The HTTPS Gateway (`<proxy>-ssl`), from `customHttpsGateway`. */
  readonly httpsGateway?: Json;
  /** The path of Envoy's health check filter on the generated Gateways, if any. */
  readonly healthCheckPath?: string;
  /** Where Envoy's admin listens (`loopBackAddress`). */
  readonly adminAddress: string;
}

/** Renders, as the chart does, every enabled proxy of a values document. */
export function renderGlooHelmValues(values: unknown): RenderedGlooProxy[] {
  const proxies = gatewayProxiesOf(values);
  if (!proxies) return [];
  const defaultProxy = mergeValues(CHART_DEFAULTS, proxies[DEFAULT_GLOO_PROXY_NAME]);
  const rendered: RenderedGlooProxy[] = [];
  for (const [proxyName, own] of Object.entries(proxies)) {
    if (!isObject(own)) continue;
    // The chart renders each proxy over the default one's values.
    const spec = asObject(proxyName === DEFAULT_GLOO_PROXY_NAME ? defaultProxy : mergeValues(defaultProxy, own)) ?? {};
    if (spec.disabled === true) continue;
    rendered.push(renderProxy(proxyName, spec));
  }
  return rendered;
}

/** What every object the chart renders for one proxy is made from. */
interface ProxyShape {
  readonly proxyName: string;
  readonly spec: Json;
  readonly id: string;
  readonly namespace: string;
  /** A Deployment (else a DaemonSet). */
  readonly deployment: boolean;
  /** A DaemonSet that binds host ports. */
  readonly hostPort: boolean;
  readonly httpPort: unknown;
  readonly httpsPort: unknown;
  /** Where Envoy's admin listens (`loopBackAddress`). */
  readonly loopBack: string;
  readonly gatewaySettings: Json;
}

function proxyShape(proxyName: string, spec: Json): ProxyShape {
  const kind = asObject(spec.kind) ?? {};
  const workloadType = asString(kind.workloadType);
  const deployment = workloadType !== undefined ? workloadType === 'Deployment' : isObject(kind.deployment);
  const podTemplate = asObject(spec.podTemplate) ?? {};
  return {
    proxyName,
    spec,
    id: glooProxyId(proxyName),
    namespace: asString(spec.namespace) ?? GLOO_SYSTEM_NAMESPACE,
    deployment,
    hostPort: !deployment && at(kind, 'daemonSet', 'hostPort') === true,
    httpPort: podTemplate.httpPort ?? GLOO_DEFAULT_PORTS.podHttp,
    httpsPort: podTemplate.httpsPort ?? GLOO_DEFAULT_PORTS.podHttps,
    loopBack: asString(spec.loopBackAddress) ?? '127.0.0.1',
    gatewaySettings: asObject(spec.gatewaySettings) ?? {},
  };
}

function renderProxy(proxyName: string, spec: Json): RenderedGlooProxy {
  const shape = proxyShape(proxyName, spec);
  const { gatewaySettings } = shape;
  const healthCheckPath = asString(at(gatewaySettings, 'customHttpGateway', 'options', 'healthCheck', 'path'))
    ?? asString(at(gatewaySettings, 'customHttpsGateway', 'options', 'healthCheck', 'path'));
  const service = renderProxyService(shape);
  const podDisruptionBudget = renderProxyDisruptionBudget(shape);
  const generated = gatewaySettings.enabled !== false && gatewaySettings.disableGeneratedGateways !== true;
  const gateway = generated && gatewaySettings.disableHttpGateway !== true ? renderProxyGateway(shape, false) : undefined;
  // Rendered too, so that a health check filter set only on the HTTPS side is still read.
  const httpsGateway = generated && gatewaySettings.disableHttpsGateway !== true ? renderProxyGateway(shape, true) : undefined;
  return {
    proxyName,
    adminAddress: shape.loopBack,
    workload: renderProxyWorkload(shape),
    ...(service ? { service } : {}),
    ...(podDisruptionBudget ? { podDisruptionBudget } : {}),
    ...(gateway ? { gateway } : {}),
    ...(httpsGateway ? { httpsGateway } : {}),
    ...(healthCheckPath !== undefined ? { healthCheckPath } : {}),
  };
}

/** The gateway-proxy Deployment or DaemonSet, with its `kubeResourceOverride` merged over it. */
function renderProxyWorkload(shape: ProxyShape): Json {
  const { spec, id } = shape;
  const replicas = at(spec, 'kind', 'deployment', 'replicas');
  const rendered: Json = {
    apiVersion: 'apps/v1',
    kind: shape.deployment ? 'Deployment' : 'DaemonSet',
    metadata: { name: id, namespace: shape.namespace, labels: { app: 'gloo', gloo: 'gateway-proxy', 'gateway-proxy-id': id } },
    spec: {
      ...(shape.deployment && replicas !== undefined ? { replicas } : {}),
      selector: { matchLabels: { 'gloo': 'gateway-proxy', 'gateway-proxy-id': id } },
      template: { metadata: { labels: { 'gloo': 'gateway-proxy', 'gateway-proxy-id': id, 'gateway-proxy': 'live' } }, spec: renderProxyPodSpec(shape) },
    },
  };
  return asObject(mergeOverwrite(rendered, asObject(spec.kubeResourceOverride) ?? {})) ?? rendered;
}

function renderProxyPodSpec(shape: ProxyShape): Json {
  const { spec } = shape;
  const podTemplate = asObject(spec.podTemplate) ?? {};
  const podSpec: Json = { containers: [renderProxyContainer(shape, podTemplate)] };
  if (shape.deployment) {
    const preferred = spec.antiAffinity === true
      ? { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { gloo: 'gateway-proxy' } }, topologyKey: 'kubernetes.io/hostname' } }] } }
      : {};
    const affinity = { ...preferred, ...(asObject(spec.affinity) ?? {}) };
    if (Object.keys(affinity).length > 0) podSpec.affinity = affinity;
    if (asArray(spec.topologySpreadConstraints).length > 0) podSpec.topologySpreadConstraints = spec.topologySpreadConstraints;
  }
  if (shape.hostPort) podSpec.hostNetwork = String(at(spec, 'kind', 'daemonSet', 'hostNetwork')) !== 'false';
  if (podTemplate.terminationGracePeriodSeconds !== undefined && podTemplate.terminationGracePeriodSeconds !== null) {
    podSpec.terminationGracePeriodSeconds = podTemplate.terminationGracePeriodSeconds;
  }
  return podSpec;
}

function renderProxyContainer(shape: ProxyShape, podTemplate: Json): Json {
  const { httpPort, httpsPort, hostPort, loopBack } = shape;
  const gracefulShutdown = asObject(podTemplate.gracefulShutdown) ?? {};
  const container: Json = {
    name: shape.id,
    image: GLOO_ENVOY_IMAGE,
    ports: [
      { containerPort: httpPort, name: 'http', protocol: 'TCP', ...(hostPort ? { hostPort: httpPort } : {}) },
      { containerPort: httpsPort, name: 'https', protocol: 'TCP', ...(hostPort ? { hostPort: httpsPort } : {}) },
    ],
    // The chart applies its defaults only when no security context is given.
    securityContext: nonEmpty(podTemplate.glooContainerSecurityContext) ?? { runAsNonRoot: podTemplate.runUnprivileged === true, runAsUser: podTemplate.runAsUser ?? 10101 },
  };
  if (gracefulShutdown.enabled === true) {
    container.lifecycle = { preStop: { exec: { command: ['/bin/sh', '-c', `wget --post-data "" -O /dev/null ${loopBack}:${GLOO_ADMIN_PORT}/healthcheck/fail; sleep ${String(gracefulShutdown.sleepTimeSeconds)}`] } } };
  }
  if (podTemplate.probes === true) {
    container.readinessProbe = nonEmpty(podTemplate.customReadinessProbe)
      ?? { exec: { command: ['wget', '-O', '/dev/null', `${loopBack}:${GLOO_ADMIN_PORT}/ready`] }, initialDelaySeconds: 3, periodSeconds: 10, failureThreshold: 3 };
  }
  return container;
}

/** The proxy's Service; none when both its HTTP and HTTPS gateways are disabled (it would have no port). */
function renderProxyService(shape: ProxyShape): Json | undefined {
  const { gatewaySettings, id } = shape;
  const serviceValues = asObject(shape.spec.service) ?? {};
  const servicePorts = [
    ...(gatewaySettings.disableHttpGateway === true ? [] : [{ port: serviceValues.httpPort ?? GLOO_DEFAULT_PORTS.serviceHttp, targetPort: shape.httpPort, protocol: 'TCP', name: 'http' }]),
    ...(gatewaySettings.disableHttpsGateway === true ? [] : [{ port: serviceValues.httpsPort ?? GLOO_DEFAULT_PORTS.serviceHttps, targetPort: shape.httpsPort, protocol: 'TCP', name: 'https' }]),
  ];
  if (servicePorts.length === 0) return undefined;
  const annotations = asObject(serviceValues.extraAnnotations);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: glooProxyId(asString(serviceValues.name) ?? shape.proxyName), namespace: shape.namespace, labels: { app: 'gloo', gloo: 'gateway-proxy', 'gateway-proxy-id': id }, ...(annotations ? { annotations } : {}) },
    spec: {
      ...(serviceValues.externalTrafficPolicy !== undefined ? { externalTrafficPolicy: serviceValues.externalTrafficPolicy } : {}),
      ports: servicePorts,
      selector: { 'gateway-proxy-id': id, 'gateway-proxy': 'live' },
      type: asString(serviceValues.type) ?? 'LoadBalancer',
    },
  };
}

function renderProxyDisruptionBudget(shape: ProxyShape): Json | undefined {
  const budget = asObject(shape.spec.podDisruptionBudget);
  if (!shape.deployment || !budget || !(budget.minAvailable || budget.maxUnavailable)) return undefined;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${shape.id}-pdb`, namespace: shape.namespace },
    spec: { ...(budget.minAvailable ? { minAvailable: budget.minAvailable } : {}), ...(budget.maxUnavailable ? { maxUnavailable: budget.maxUnavailable } : {}), selector: { matchLabels: { 'gateway-proxy-id': shape.id } } },
  };
}

/** A generated Gateway (gateway.solo.io/v1): the HTTP one, or the HTTPS one (`<proxy>-ssl`). */
function renderProxyGateway(shape: ProxyShape, ssl: boolean): Json {
  return {
    apiVersion: 'gateway.solo.io/v1',
    kind: 'Gateway',
    metadata: { name: ssl ? `${shape.id}-ssl` : shape.id, namespace: shape.namespace },
    spec: { bindPort: ssl ? shape.httpsPort : shape.httpPort, httpGateway: asObject(shape.gatewaySettings[ssl ? 'customHttpsGateway' : 'customHttpGateway']) ?? {}, ssl, proxyNames: [shape.id] },
  };
}

/** What {@link readGlooHelmValues} found. */
export interface GlooHelmValuesReading {
  /** The default proxy (`gatewayProxy`), or the only one. */
  readonly gateway?: GatewayModel;
  /** Every enabled proxy. */
  readonly gateways: GatewayModel[];
  readonly findings: Finding[];
}

/**
 * Reads a Gloo Edge Helm values document into gateway models: the proxy's workload, its
 * Service (and load balancer, from `service.extraAnnotations`), and an Envoy model with the
 * admin address and health-check path but no clusters or routes, which come from the Gloo
 * Upstreams and VirtualServices read beside it. Never throws.
 */
export function readGlooHelmValues(values: unknown, source: string): GlooHelmValuesReading {
  const findings: Finding[] = [];
  const gateways: GatewayModel[] = [];
  if (!gatewayProxiesOf(values)) {
    findings.push({ rule: 'not-gloo-values', category: 'unknown', severity: 'warning', objects: [source], message: `${source} has no gatewayProxies (nor gloo.gatewayProxies): it is not a Gloo Edge values file.`, fix: 'pass the values file given to helm install/upgrade of the gloo or gloo-ee chart' });
    return { gateways, findings };
  }
  const proxies = gatewayProxiesOf(values) ?? {};
  for (const [proxyName, own] of Object.entries(proxies)) {
    const kind = asObject(at(own, 'kind'));
    // Helm merges the user's kind over the chart's `kind.deployment.replicas: 1`, and the template tests deployment first.
    if (kind && isObject(kind.daemonSet) && kind.deployment === undefined && kind.workloadType === undefined) {
      findings.push({
        rule: 'gloo-daemonset-ignored',
        category: 'schema',
        severity: 'error',
        objects: [objectRef('Deployment', asString(at(own, 'namespace')) ?? GLOO_SYSTEM_NAMESPACE, glooProxyId(proxyName))],
        message: `${source}: gatewayProxies.${proxyName}.kind sets daemonSet but leaves the chart's default kind.deployment in place, so the chart renders a Deployment and the DaemonSet settings (hostPort) are ignored.`,
        fix: `set gatewayProxies.${proxyName}.kind.deployment: null (or kind.workloadType: DaemonSet on charts that have it)`,
      });
    }
  }
  for (const proxy of renderGlooHelmValues(values)) {
    const reading = readWorkload(proxy.workload, findings);
    if (!reading) continue;
    let workload = reading.model;
    if (proxy.podDisruptionBudget) {
      const spec = asObject(proxy.podDisruptionBudget.spec) ?? {};
      const minAvailable = spec.minAvailable as number | string | undefined;
      const maxUnavailable = spec.maxUnavailable as number | string | undefined;
      workload = { ...workload, disruptionBudget: { object: objectRef('PodDisruptionBudget', workload.namespace, `${workload.name}-pdb`), ...(minAvailable !== undefined ? { minAvailable } : {}), ...(maxUnavailable !== undefined ? { maxUnavailable } : {}) } };
    }
    if (workload.readiness && probeFailsWhileDraining(reading.readinessTarget, proxy.healthCheckPath)) {
      workload = { ...workload, readiness: { ...workload.readiness, failsWhileDraining: true } };
    }
    const where = `${source}: gatewayProxies.${proxy.proxyName}`;
    if (workload.drain.mechanism === 'fail-then-wait' && proxy.healthCheckPath === undefined) {
      findings.push({
        rule: 'gloo-graceful-shutdown-without-health-check-filter',
        category: 'lb-detection',
        severity: 'warning',
        objects: [workload.object],
        message: `${where} enables gracefulShutdown, which fails Envoy's health check, but no generated Gateway has a health check filter, so no load balancer can see the proxy fail; it learns only from kube-proxy's healthCheckNodePort or when the pod is gone.`,
        fix: `set gatewaySettings.customHttpGateway.options.healthCheck.path (and customHttpsGateway) to a path such as /envoy-hc, and point the load balancer's health check at it`,
      });
    }
    const service = proxy.service ? readService(proxy.service, findings)?.model : undefined;
    gateways.push({
      workload,
      services: service ? [service] : [],
      envoy: {
        object: workload.object,
        adminAddress: proxy.adminAddress,
        ...(proxy.healthCheckPath !== undefined ? { healthCheckPath: proxy.healthCheckPath } : {}),
        clusters: [],
        routes: [],
      },
    });
  }
  const gateway = gateways.find((each) => each.workload.name === glooProxyId(DEFAULT_GLOO_PROXY_NAME)) ?? (gateways.length === 1 ? gateways[0] : undefined);
  return { ...(gateway ? { gateway } : {}), gateways, findings };
}

/**
 * The rules only {@link readGlooHelmValues} knows; its other findings (of the workload and the
 * Service) come again when the rendered objects are read as any manifest is.
 */
const VALUES_ONLY_RULES: ReadonlySet<string> = new Set(['not-gloo-values', 'gloo-daemonset-ignored', 'gloo-graceful-shutdown-without-health-check-filter']);

/** What {@link expandGlooHelmValues} makes of the objects read. */
export interface ExpandedGlooHelmValues {
  /** The input, each values document replaced by the objects the chart renders from it. */
  readonly objects: SourcedObject[];
  /** The findings about the values themselves (not about the rendered objects). */
  readonly findings: Finding[];
  /**
   * Envoy's admin address (`loopBackAddress`) of each rendered proxy, by workload reference: the
   * chart puts it in a bootstrap ConfigMap that is not rendered here.
   */
  readonly adminAddresses: ReadonlyMap<string, string>;
}

/**
 * Replaces each Gloo Edge Helm values document among `objects` by the gateway-proxy Deployment
 * (or DaemonSet), Service, PodDisruptionBudget and Gateways the chart renders from it, so a values
 * file read beside Gloo's Upstreams and VirtualServices gives the gateway in front of them.
 */
export function expandGlooHelmValues(objects: SourcedObject[]): ExpandedGlooHelmValues {
  if (!objects.some((each) => isGlooHelmValues(each.object))) return { objects, findings: [], adminAddresses: new Map() };
  const expanded: SourcedObject[] = [];
  const findings: Finding[] = [];
  const adminAddresses = new Map<string, string>();
  for (const each of objects) {
    if (!isGlooHelmValues(each.object)) {
      expanded.push(each);
      continue;
    }
    try {
      const rendered: SourcedObject[] = [];
      for (const proxy of renderGlooHelmValues(each.object)) {
        const source = `${each.source} (gatewayProxies.${proxy.proxyName})`;
        for (const object of [proxy.workload, proxy.service, proxy.podDisruptionBudget, proxy.gateway, proxy.httpsGateway]) {
          if (object !== undefined) rendered.push({ object, source });
        }
      }
      const reading = readGlooHelmValues(each.object, each.source);
      expanded.push(...rendered);
      findings.push(...reading.findings.filter((finding) => VALUES_ONLY_RULES.has(finding.rule)));
      for (const gateway of reading.gateways) {
        if (gateway.envoy?.adminAddress !== undefined) adminAddresses.set(gateway.workload.object, gateway.envoy.adminAddress);
      }
    } catch (error) {
      // A reader bug on one values file must not hide the other objects.
      findings.push({ rule: 'object-not-read', category: 'unknown', severity: 'warning', objects: [each.source], message: `hitless could not read the Gloo Edge values in ${each.source} (${error instanceof Error ? error.message : String(error)}); the gateway proxies they render are left out of the check.`, fix: 'report this values file to hitless' });
    }
  }
  return { objects: expanded, findings, adminAddresses };
}
