/** The reader's link phase for Envoy: a gateway workload to the bootstrap its ConfigMaps hold, and to the clusters and routes Gloo gives it. */
import { Finding } from '../core/finding';
import { EnvoyClusterModel, EnvoyModel, EnvoyRouteModel } from '../core/model';
import { formatObjectRef, objectRef } from '../core/object-ref';
import { configPathArgument, loadedConfig } from './config-path';
import { bootstrapKey, bootstrapsInConfigMap, isEnvoyBootstrap, readConfigYaml, readEnvoyBootstrap, ServiceResolver, serviceHostRef, withAdminOverride } from './envoy-bootstrap';
import { envoyShapeFindings } from './envoy-shape';
import { isObject, Json } from './fields';
import { glooKubeCluster } from './gloo';
import { ObjectIndex } from './topology-index';
import { WorkloadReading } from './workload';

/** Gloo's clusters and routes, shared by every Gloo gateway in the input. */
export interface GlooConfiguration {
  readonly clusters: EnvoyClusterModel[];
  readonly routes: EnvoyRouteModel[];
  /** Whether the input holds any Gloo Upstream or VirtualService. */
  readonly present: boolean;
  readonly healthCheckPath?: string;
  /** Where each Gloo proxy's admin listens, by workload, from the Helm values it was rendered from. */
  readonly adminAddresses: ReadonlyMap<string, string>;
}

/** Gloo's clusters: its Upstreams, and a cluster for each route straight to a Kubernetes Service. */
export function linkGlooClusters(index: ObjectIndex, adminAddresses: ReadonlyMap<string, string>, findings: Finding[]): GlooConfiguration {
  const clusters: EnvoyClusterModel[] = index.glooUpstreams.map((each) => each.cluster);
  const routes: EnvoyRouteModel[] = index.glooVirtualServices.flatMap((each) => each.routes);
  const knownClusters = new Set(clusters.map((cluster) => cluster.name));
  for (const virtualService of index.glooVirtualServices) {
    for (const destination of virtualService.destinations) {
      if (knownClusters.has(destination.cluster)) continue;
      knownClusters.add(destination.cluster);
      if (destination.service) clusters.push(glooKubeCluster(destination));
      else findings.push({ rule: 'gloo-upstream-not-found', category: 'unknown', severity: 'warning', objects: [virtualService.ref], message: `${virtualService.ref} routes to Upstream ${destination.cluster.replace(/_([^_]*)$/, ' in $1')}, which is not in the input; the service behind it is not checked.`, fix: 'check the Upstream together with the VirtualService' });
    }
  }
  const present = index.glooUpstreams.length > 0 || index.glooVirtualServices.length > 0;
  return { clusters, routes, present, ...(index.glooHealthCheckPath !== undefined ? { healthCheckPath: index.glooHealthCheckPath } : {}), adminAddresses };
}

/** A bootstrap found in a ConfigMap, with the ConfigMap's `ConfigMap/namespace/name`. */
export interface MountedBootstrap {
  readonly ref: string;
  readonly bootstrap: Json;
}

/** The bootstraps in the ConfigMaps mounted into a workload's pods, and the ConfigMaps not in the input. */
export interface MountedBootstraps {
  readonly bootstraps: MountedBootstrap[];
  /** `ConfigMap/namespace/name` of each mounted ConfigMap missing from the input. */
  readonly missing: string[];
}

/** Finds the bootstraps mounted into workloads; a ConfigMap mounted by several workloads is parsed (and reported) once. */
export class BootstrapFinder {
  private readonly parsed = new Map<string, Json[]>();

  constructor(private readonly configMaps: ReadonlyMap<string, Json>, private readonly findings: Finding[]) {}

  /** The bootstraps in the ConfigMaps `reading` mounts. */
  mountedInto(reading: WorkloadReading): MountedBootstraps {
    const bootstraps: MountedBootstrap[] = [];
    const missing: string[] = [];
    for (const name of reading.configMaps) {
      const ref = objectRef('ConfigMap', reading.model.namespace, name);
      if (!this.configMaps.has(ref)) {
        missing.push(ref);
        continue;
      }
      for (const bootstrap of this.bootstrapsIn(ref)) bootstraps.push({ ref, bootstrap });
    }
    return { bootstraps, missing };
  }

  private bootstrapsIn(ref: string): Json[] {
    let parsed = this.parsed.get(ref);
    if (!parsed) {
      parsed = bootstrapsInConfigMap(this.configMaps.get(ref)!, this.findings);
      for (const bootstrap of parsed) this.findings.push(...envoyShapeFindings(bootstrap, ref));
      this.parsed.set(ref, parsed);
    }
    return parsed;
  }
}

/** The bootstrap judged for a workload: the one Envoy's `-c` loads, and why none is when none is. */
export interface JudgedBootstrap {
  readonly judged?: MountedBootstrap;
  /** Why the file `-c` loads is not read, when it names one. */
  readonly notLoaded?: string;
}

/** The bootstrap judged is the file Envoy's -c loads, not whichever mounted file looks like one. */
export function judgeBootstrap(reading: WorkloadReading, bootstraps: readonly MountedBootstrap[], configMaps: ReadonlyMap<string, Json>): JudgedBootstrap {
  const loaded = loadedConfig(reading.containers.find((container) => configPathArgument(container) !== undefined), reading.volumes);
  if (loaded.kind === 'config-map') {
    const ref = objectRef('ConfigMap', reading.model.namespace, loaded.configMap);
    const judged = bootstraps.find((each) => each.ref === ref && bootstrapKey(each.bootstrap) === loaded.key);
    if (!judged && configMaps.has(ref)) return { notLoaded: `the file its -c loads (${loaded.path}, key ${loaded.key} of ${ref}) is not an Envoy bootstrap hitless can read` };
    return judged ? { judged } : {};
  }
  if (loaded.kind === 'elsewhere') return { notLoaded: `the file its -c loads (${loaded.path}) is not in a ConfigMap in the input` };
  return bootstraps[0] ? { judged: bootstraps[0] } : {};
}

/** Resolves cluster hosts to the Services they name, a bare name in the workload's namespace. */
function resolverFor(namespace: string): ServiceResolver {
  return (host) => {
    const target = serviceHostRef(host, namespace);
    return target ? formatObjectRef(target) : undefined;
  };
}

/** The Envoy a workload runs: its judged bootstrap, Gloo's clusters and routes, `--config-yaml` laid over. */
export function workloadEnvoy(reading: WorkloadReading, judged: MountedBootstrap | undefined, gloo: GlooConfiguration | undefined, findings: Finding[]): EnvoyModel | undefined {
  let envoy = judged ? readEnvoyBootstrap(judged.bootstrap, judged.ref, resolverFor(reading.model.namespace)) : undefined;
  if (gloo) envoy = withGloo(envoy, reading, gloo);
  if (!reading.runsEnvoy) return envoy;
  // Envoy merges --config-yaml over the bootstrap file: its admin address is the one Envoy binds.
  const configYaml = readConfigYaml(reading.servingContainer);
  if (configYaml.error !== undefined) {
    findings.push({ rule: 'envoy-config-yaml-unreadable', category: 'unknown', severity: 'warning', objects: [reading.model.object], message: `the --config-yaml of ${reading.model.object} is not readable (${configYaml.error}); what it sets over the bootstrap is not checked.`, fix: `pass --config-yaml a YAML mapping in ${reading.model.object}` });
  } else if (configYaml.value) {
    if (envoy) return withAdminOverride(envoy, configYaml.value);
    if (isEnvoyBootstrap(configYaml.value)) return readEnvoyBootstrap(configYaml.value, reading.model.object, resolverFor(reading.model.namespace));
  }
  return envoy;
}

function withGloo(envoy: EnvoyModel | undefined, reading: WorkloadReading, gloo: GlooConfiguration): EnvoyModel {
  const adminAddress = envoy?.adminAddress ?? gloo.adminAddresses.get(reading.model.object);
  const healthCheckPath = envoy?.healthCheckPath ?? gloo.healthCheckPath;
  return {
    object: envoy?.object ?? reading.model.object,
    ...(adminAddress !== undefined ? { adminAddress } : {}),
    ...(healthCheckPath !== undefined ? { healthCheckPath } : {}),
    clusters: [...(envoy?.clusters ?? []), ...gloo.clusters],
    routes: [...(envoy?.routes ?? []), ...gloo.routes],
  };
}

/** Whether a workload is a Gloo proxy: by its image or labels, or an xDS bootstrap beside Gloo's resources. */
export function isGlooProxy(reading: WorkloadReading, bootstraps: readonly MountedBootstrap[], gloo: GlooConfiguration): boolean {
  return reading.runsGlooEnvoy || (gloo.present && bootstraps.some((each) => isObject(each.bootstrap.dynamic_resources)));
}
