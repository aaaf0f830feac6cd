import { Finding, objectRef } from '../core/finding';
import { assumedLoadBalancer } from '../core/load-balancer';
import { EnvoyClusterModel, EnvoyModel, EnvoyRouteModel, GatewayModel, ServiceModel, Topology, UpstreamModel, WorkloadModel } from '../core/model';
import { asObject, asString, at, isObject, Json, stringMap } from './fields';
import { configPathArgument, loadedConfig } from './config-path';
import { bootstrapKey, bootstrapsInConfigMap, isEnvoyBootstrap, proxyProtocolListeners, readConfigYaml, readEnvoyBootstrap, serviceHostRef, withAdminOverride } from './envoy-bootstrap';
import { envoyShapeFindings } from './envoy-shape';
import { proxyProtocolFindings } from './proxy-protocol';
import { expandGlooHelmValues } from './gloo-values';
import { applyGkeLoadBalancers, isGkeObject } from './gke';
import { glooKubeCluster, isGlooGateway, isGlooUpstream, isGlooVirtualService, readGlooGatewayHealthCheckPath, readGlooUpstream, readGlooVirtualService } from './gloo';
import { ReadProblem, SourcedObject } from './load';
import { readService, selects, ServiceReading } from './service';
import { probeFailsWhileDraining, readWorkload, WorkloadReading } from './workload';

/**
 * Follows the references between objects to build the Topology: load-balanced Services → the
 * workloads they select (gateways) → the Envoy bootstrap mounted into those pods, or Gloo Edge
 * Upstreams and VirtualServices → the Services the clusters resolve → their workloads (upstreams);
 * PodDisruptionBudgets and TargetGroupBindings on the way. What cannot be followed is reported as
 * a warning in category `unknown`, never guessed.
 */

/** What reading manifests gives: the topology, the findings made while reading, and how many objects were read. */
export interface ReadResult {
  readonly topology: Topology;
  /** Problems found while reading (schema errors, unreadable hooks, references that lead nowhere). */
  readonly findings: Finding[];
  readonly objectCount: number;
  /** Documents that are not Kubernetes objects (a package.json, a construct-metadata.json): listed, not counted. */
  readonly skipped?: SkippedDocument[];
  /** Input that could not be read at all (missing files, syntax errors); a CLI exits 2 on these. */
  readonly problems: ReadProblem[];
}

/** A document left out because it is not a Kubernetes object. */
export interface SkippedDocument {
  /** The file (and document) it came from. */
  readonly source: string;
  readonly reason: string;
}

/** Whether a parsed document is a Kubernetes object: a string apiVersion and kind. */
export function isKubernetesObject(object: Json): boolean {
  return typeof object.apiVersion === 'string' && object.apiVersion !== '' && typeof object.kind === 'string' && object.kind !== '';
}

interface Disruption {
  readonly ref: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

/** Builds a topology from objects already parsed (Gloo Edge Helm values among them). Never throws. */
export function buildTopology(input: SourcedObject[], problems: ReadProblem[] = []): ReadResult {
  // Gloo Edge Helm values stand for the objects the chart renders from them; read those instead.
  const { objects: expanded, findings: valuesFindings, adminAddresses: glooAdminAddresses } = expandGlooHelmValues(input);
  const skipped: SkippedDocument[] = expanded.filter((each) => !isKubernetesObject(each.object))
    .map((each) => ({ source: each.source, reason: `not a Kubernetes object (${typeof each.object.kind === 'string' ? 'no apiVersion' : typeof each.object.apiVersion === 'string' ? 'no kind' : 'no apiVersion nor kind'})` }));
  const objects = expanded.filter((each) => isKubernetesObject(each.object));
  const findings: Finding[] = [...valuesFindings];
  const workloads = new Map<string, WorkloadReading>();
  const services = new Map<string, ServiceReading>();
  const configMaps = new Map<string, Json>();
  const disruptions: Disruption[] = [];
  const glooUpstreams: ReturnType<typeof readGlooUpstream>[] = [];
  const glooVirtualServices: ReturnType<typeof readGlooVirtualService>[] = [];
  let glooHealthCheckPath: string | undefined;
  const bindings: { ref: string; namespace: string; service: string; targetType: 'instance' | 'ip' }[] = [];
  const gkeObjects: Json[] = [];

  for (const { object } of objects) {
    try {
      readOne(object);
    } catch (error) {
      // A reader bug on one object must not hide the others; report it as such.
      const ref = refOf(object);
      findings.push({ rule: 'object-not-read', category: 'unknown', severity: 'warning', objects: [ref], message: `hitless could not read ${ref} (${error instanceof Error ? error.message : String(error)}); it is left out of the check.`, fix: 'report this manifest to hitless' });
    }
  }

  function readOne(object: Json): void {
    const kind = object.kind;
    if (typeof kind !== 'string') return;
    const workload = readWorkload(object, findings);
    if (workload) {
      noteDuplicate(workloads.has(workload.model.object), workload.model.object);
      workloads.set(workload.model.object, workload);
      return;
    }
    const service = readService(object, findings);
    if (service) {
      noteDuplicate(services.has(service.model.object), service.model.object);
      services.set(service.model.object, service);
      return;
    }
    const metadata = asObject(object.metadata) ?? {};
    const name = asString(metadata.name);
    const namespace = asString(metadata.namespace) ?? 'default';
    if (kind === 'ConfigMap' && name) {
      configMaps.set(`${namespace}/${name}`, object);
    } else if (kind === 'PodDisruptionBudget' && name) {
      const spec = asObject(object.spec) ?? {};
      const pick = (value: unknown) => (typeof value === 'number' || typeof value === 'string' ? value : undefined);
      disruptions.push({ ref: objectRef(kind, namespace, name), namespace, selector: stringMap(at(spec, 'selector', 'matchLabels')), minAvailable: pick(spec.minAvailable), maxUnavailable: pick(spec.maxUnavailable) });
    } else if (isGkeObject(object)) {
      gkeObjects.push(object);
    } else if (isGlooUpstream(object)) {
      glooUpstreams.push(readGlooUpstream(object));
    } else if (isGlooVirtualService(object)) {
      glooVirtualServices.push(readGlooVirtualService(object));
    } else if (isGlooGateway(object)) {
      glooHealthCheckPath ??= readGlooGatewayHealthCheckPath(object);
    } else if (kind === 'TargetGroupBinding' && name) {
      const serviceName = asString(at(object, 'spec', 'serviceRef', 'name'));
      if (serviceName) bindings.push({ ref: objectRef(kind, namespace, name), namespace, service: objectRef('Service', namespace, serviceName), targetType: at(object, 'spec', 'targetType') === 'ip' ? 'ip' : 'instance' });
    }
  }

  function noteDuplicate(duplicate: boolean, ref: string): void {
    if (!duplicate) return;
    findings.push({ rule: 'duplicate-object', category: 'schema', severity: 'warning', objects: [ref], message: `${ref} appears more than once in the input; the last one is checked, as kubectl apply would leave it.`, fix: `keep one ${ref}` });
  }

  // TargetGroupBindings: a target group made outside Kubernetes; its health check is not in the manifests.
  const serviceModels = new Map<string, ServiceModel>();
  for (const [ref, reading] of services) serviceModels.set(ref, reading.model);
  for (const binding of bindings) {
    const service = serviceModels.get(binding.service);
    if (!service) {
      findings.push({ rule: 'binding-service-not-found', category: 'unknown', severity: 'warning', objects: [binding.ref], message: `${binding.ref} binds ${binding.service}, which is not in the input.`, fix: `check ${binding.service} together with ${binding.ref}` });
      continue;
    }
    if (service.loadBalancer) continue;
    const loadBalancer = assumedLoadBalancer(binding.ref, binding.targetType);
    serviceModels.set(binding.service, { ...service, loadBalancer });
    findings.push({
      rule: 'target-group-timing-assumed',
      category: 'unknown',
      severity: 'warning',
      objects: [binding.ref, binding.service],
      message: `the health check of the target group ${binding.ref} binds is defined outside Kubernetes; hitless assumes ${loadBalancer.healthCheck.intervalSeconds}s interval, ${loadBalancer.healthCheck.timeoutSeconds}s timeout, ${loadBalancer.healthCheck.healthyThreshold}/${loadBalancer.healthCheck.unhealthyThreshold} thresholds.`,
      fix: 'check that the target group uses these health-check settings (or shorter ones)',
    });
  }
  applyGkeLoadBalancers(services, serviceModels, gkeObjects, [...workloads.values()].map((reading) => reading.model), findings);
  // An assumed load-balancer controller is reported where the Service is read (lib/read/aws-annotations.ts).

  // Which Services select which workloads, through an index on one selector label.
  const byLabel = new Map<string, WorkloadReading[]>();
  for (const reading of workloads.values()) {
    for (const [key, value] of Object.entries(reading.model.podLabels)) {
      const slot = `${reading.model.namespace}\u0000${key}=${value}`;
      const list = byLabel.get(slot);
      if (list) list.push(reading);
      else byLabel.set(slot, [reading]);
    }
  }
  const selectedBy = new Map<string, WorkloadReading[]>();
  const servicesOf = new Map<string, ServiceModel[]>();
  for (const [ref, service] of serviceModels) {
    const namespace = services.get(ref)!.namespace;
    const entries = Object.entries(service.selector);
    if (entries.length === 0) continue;
    const [key, value] = entries[0];
    const selected = (byLabel.get(`${namespace}\u0000${key}=${value}`) ?? []).filter((reading) => selects(service.selector, reading.model.podLabels));
    selectedBy.set(ref, selected);
    for (const reading of selected) {
      const list = servicesOf.get(reading.model.object);
      if (list) list.push(service);
      else servicesOf.set(reading.model.object, [service]);
    }
    if (selected.length === 0 && (service.type === 'LoadBalancer' || service.loadBalancer)) {
      findings.push({ rule: 'service-selects-nothing', category: 'unknown', severity: 'warning', objects: [ref], message: `${ref} is load-balanced but selects no Deployment, DaemonSet or StatefulSet in the input; the pods behind it are not checked.`, fix: `check the workload behind ${ref} together with it` });
    }
  }

  const withDisruptionBudget = (model: WorkloadModel): WorkloadModel => {
    const budget = disruptions.find((each) => each.namespace === model.namespace && selects(each.selector, model.podLabels));
    if (!budget) return model;
    return { ...model, disruptionBudget: { object: budget.ref, ...(budget.minAvailable !== undefined ? { minAvailable: budget.minAvailable } : {}), ...(budget.maxUnavailable !== undefined ? { maxUnavailable: budget.maxUnavailable } : {}) } };
  };

  const resolverFor = (namespace: string) => (host: string): string | undefined => {
    const target = serviceHostRef(host, namespace);
    return target ? objectRef('Service', target.namespace, target.name) : undefined;
  };

  // Gloo's clusters and routes, shared by every Gloo gateway in the input.
  const glooClusters: EnvoyClusterModel[] = glooUpstreams.map((each) => each.cluster);
  const glooRoutes: EnvoyRouteModel[] = glooVirtualServices.flatMap((each) => each.routes);
  const knownClusters = new Set(glooClusters.map((cluster) => cluster.name));
  for (const virtualService of glooVirtualServices) {
    for (const destination of virtualService.destinations) {
      if (knownClusters.has(destination.cluster)) continue;
      knownClusters.add(destination.cluster);
      if (destination.service) glooClusters.push(glooKubeCluster(destination));
      else findings.push({ rule: 'gloo-upstream-not-found', category: 'unknown', severity: 'warning', objects: [virtualService.ref], message: `${virtualService.ref} routes to Upstream ${destination.cluster.replace(/_([^_]*)$/, ' in $1')}, which is not in the input; the service behind it is not checked.`, fix: 'check the Upstream together with the VirtualService' });
    }
  }
  const hasGloo = glooUpstreams.length > 0 || glooVirtualServices.length > 0;

  const gateways: GatewayModel[] = [];
  const bootstrapsOf = new Map<string, Json[]>();
  const gatewayRefs = new Set<string>();
  for (const reading of workloads.values()) {
    const fronting = (servicesOf.get(reading.model.object) ?? []).filter((service) => service.type === 'LoadBalancer' || service.type === 'NodePort' || service.loadBalancer);
    const bootstraps: { ref: string; bootstrap: Json }[] = [];
    const missing: string[] = [];
    for (const name of reading.configMaps) {
      const configMap = configMaps.get(`${reading.model.namespace}/${name}`);
      if (!configMap) {
        missing.push(objectRef('ConfigMap', reading.model.namespace, name));
        continue;
      }
      const key = `${reading.model.namespace}/${name}`;
      // A ConfigMap mounted by several workloads is parsed (and reported) once.
      let parsed = bootstrapsOf.get(key);
      if (!parsed) {
        parsed = bootstrapsInConfigMap(configMap, findings);
        for (const bootstrap of parsed) findings.push(...envoyShapeFindings(bootstrap, objectRef('ConfigMap', reading.model.namespace, name)));
        bootstrapsOf.set(key, parsed);
      }
      for (const bootstrap of parsed) bootstraps.push({ ref: objectRef('ConfigMap', reading.model.namespace, name), bootstrap });
    }
    const isGloo = reading.runsGlooEnvoy || (hasGloo && bootstraps.some((each) => isObject(each.bootstrap.dynamic_resources)));
    if (fronting.length === 0 && !reading.runsEnvoy && bootstraps.length === 0) continue;

    // The bootstrap judged is the file Envoy's -c loads, not whichever mounted file looks like one.
    const loaded = loadedConfig(reading.containers.find((container) => configPathArgument(container) !== undefined), reading.volumes);
    let judged: { ref: string; bootstrap: Json } | undefined = bootstraps[0];
    let notLoaded: string | undefined;
    if (loaded.kind === 'config-map') {
      const ref = objectRef('ConfigMap', reading.model.namespace, loaded.configMap);
      judged = bootstraps.find((each) => each.ref === ref && bootstrapKey(each.bootstrap) === loaded.key);
      if (!judged && configMaps.has(`${reading.model.namespace}/${loaded.configMap}`)) notLoaded = `the file its -c loads (${loaded.path}, key ${loaded.key} of ${ref}) is not an Envoy bootstrap hitless can read`;
    } else if (loaded.kind === 'elsewhere') {
      judged = undefined;
      notLoaded = `the file its -c loads (${loaded.path}) is not in a ConfigMap in the input`;
    }
    let envoy: EnvoyModel | undefined;
    if (judged) envoy = readEnvoyBootstrap(judged.bootstrap, judged.ref, resolverFor(reading.model.namespace));
    if (isGloo) {
      const adminAddress = envoy?.adminAddress ?? glooAdminAddresses.get(reading.model.object);
      envoy = {
        object: envoy?.object ?? reading.model.object,
        ...(adminAddress !== undefined ? { adminAddress } : {}),
        ...((envoy?.healthCheckPath ?? glooHealthCheckPath) !== undefined ? { healthCheckPath: envoy?.healthCheckPath ?? glooHealthCheckPath } : {}),
        clusters: [...(envoy?.clusters ?? []), ...glooClusters],
        routes: [...(envoy?.routes ?? []), ...glooRoutes],
      };
    }
    if (reading.runsEnvoy) {
      // Envoy merges --config-yaml over the bootstrap file: its admin address is the one Envoy binds.
      const configYaml = readConfigYaml(reading.servingContainer);
      if (configYaml.error !== undefined) {
        findings.push({ rule: 'envoy-config-yaml-unreadable', category: 'unknown', severity: 'warning', objects: [reading.model.object], message: `the --config-yaml of ${reading.model.object} is not readable (${configYaml.error}); what it sets over the bootstrap is not checked.`, fix: `pass --config-yaml a YAML mapping in ${reading.model.object}` });
      } else if (configYaml.value) {
        if (envoy) envoy = withAdminOverride(envoy, configYaml.value);
        else if (isEnvoyBootstrap(configYaml.value)) envoy = readEnvoyBootstrap(configYaml.value, reading.model.object, resolverFor(reading.model.namespace));
      }
    }
    if (!envoy && reading.runsEnvoy) {
      const where = notLoaded !== undefined ? notLoaded : missing.length > 0 ? `its ConfigMap${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the input` : 'no Envoy bootstrap is mounted into its pods';
      findings.push({ rule: 'envoy-config-not-found', category: 'unknown', severity: 'warning', objects: [reading.model.object, ...missing], message: `${reading.model.object} runs Envoy but ${where}; its admin address, clusters and routes are not checked.`, fix: `check ${reading.model.object} together with its Envoy configuration` });
    }

    let model = withDisruptionBudget(reading.model);
    const failPort = reading.healthCheckFailPort;
    const wrongPort = envoy?.adminPort !== undefined && failPort !== undefined && failPort !== envoy.adminPort && model.drain.failsHealthCheck && reading.drainIfHealthCheckNotFailed !== undefined;
    if (wrongPort && envoy?.adminPort !== undefined && reading.drainIfHealthCheckNotFailed) {
      findings.push({
        rule: 'healthcheck-fail-wrong-port',
        category: 'no-drain',
        severity: 'error',
        mechanism: 'lb-health-check-blind-to-drain',
        objects: [reading.model.object, envoy.object],
        message: `the preStop of ${reading.model.object} POSTs /healthcheck/fail to port ${failPort}, but Envoy admin listens on port ${envoy.adminPort} (${envoy.object}): the health check never fails and the load balancer keeps sending connections until Envoy exits.`,
        fix: `POST /healthcheck/fail to 127.0.0.1:${envoy.adminPort} in the preStop of ${reading.model.object} (or move the admin to port ${failPort})`,
      });
      model = { ...model, drain: reading.drainIfHealthCheckNotFailed };
    }
    // No admin in the bootstrap Envoy loads: the drain's POSTs reach nothing, whatever port they name.
    const noAdmin = !wrongPort && envoy !== undefined && !isGloo && envoy.adminPort === undefined && failPort !== undefined && model.drain.failsHealthCheck && reading.drainIfHealthCheckNotFailed !== undefined;
    if (noAdmin && envoy && reading.drainIfHealthCheckNotFailed) {
      findings.push({
        rule: 'envoy-admin-missing',
        category: 'no-drain',
        severity: 'error',
        objects: [reading.model.object, envoy.object],
        message: `the preStop of ${reading.model.object} POSTs /healthcheck/fail to port ${failPort}, but the Envoy bootstrap (${envoy.object}) has no admin listening on a TCP port: the health check never fails and the load balancer keeps sending connections until Envoy exits.`,
        fix: `add admin: {address: {socket_address: {address: 127.0.0.1, port_value: ${failPort}}}} to the bootstrap in ${envoy.object}`,
      });
      model = { ...model, drain: reading.drainIfHealthCheckNotFailed };
    }
    findings.push(...proxyProtocolFindings(reading.model.object, servicesOf.get(reading.model.object) ?? [], judged ? { object: judged.ref, listeners: proxyProtocolListeners(judged.bootstrap) } : undefined));
    // A health check that never fails does not fail the readiness probe either.
    if (!wrongPort && !noAdmin && reading.runsEnvoy && model.readiness && probeFailsWhileDraining(reading.readinessTarget, envoy?.healthCheckPath)) {
      model = { ...model, readiness: { ...model.readiness, failsWhileDraining: true } };
    }
    gateways.push({ workload: model, services: servicesOf.get(reading.model.object) ?? [], ...(envoy ? { envoy } : {}) });
    gatewayRefs.add(reading.model.object);
  }

  // Upstreams: the workloads behind the Services the gateways' clusters resolve.
  const upstreams: UpstreamModel[] = [];
  const upstreamRefs = new Set<string>();
  const reportedMissing = new Set<string>();
  for (const gateway of gateways) {
    for (const cluster of gateway.envoy?.clusters ?? []) {
      if (!cluster.service) continue;
      const service = serviceModels.get(cluster.service);
      if (!service) {
        if (reportedMissing.has(cluster.service)) continue;
        reportedMissing.add(cluster.service);
        findings.push({ rule: 'upstream-service-not-found', category: 'unknown', severity: 'warning', objects: [gateway.envoy!.object, cluster.service], message: `cluster ${cluster.name} of ${gateway.envoy!.object} sends to ${cluster.service}, which is not in the input; the pods behind it are not checked.`, fix: `check ${cluster.service} and its workload together with the gateway` });
        continue;
      }
      const selected = selectedBy.get(cluster.service) ?? [];
      if (selected.length === 0 && !reportedMissing.has(cluster.service)) {
        reportedMissing.add(cluster.service);
        findings.push({ rule: 'upstream-workload-not-found', category: 'unknown', severity: 'warning', objects: [cluster.service], message: `${cluster.service} (cluster ${cluster.name}) selects no Deployment, DaemonSet or StatefulSet in the input; the pods behind it are not checked.`, fix: `check the workload behind ${cluster.service} together with the gateway` });
      }
      for (const reading of selected) {
        if (upstreamRefs.has(reading.model.object)) continue;
        upstreamRefs.add(reading.model.object);
        upstreams.push({ workload: withDisruptionBudget(reading.model), services: servicesOf.get(reading.model.object) ?? [] });
      }
    }
  }

  // A finding made twice (a duplicated object read twice) is reported once.
  const seen = new Set<string>();
  const unique = findings.filter((finding) => {
    const key = `${finding.rule}\u0000${finding.objects.join(',')}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { topology: { gateways, upstreams }, findings: unique, objectCount: objects.length, problems, ...(skipped.length > 0 ? { skipped } : {}) };
}

function refOf(object: Json): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'Object';
  return objectRef(kind, asString(at(object, 'metadata', 'namespace')), asString(at(object, 'metadata', 'name')) ?? '(unnamed)');
}
