/** The reader's assemble phase: gateway models from linked workloads, Envoys and load balancers, and the findings that need all of them. */
import { Finding } from '../core/finding';
import { EnvoyModel, GatewayModel, ServiceModel, WorkloadModel } from '../core/model';
import { proxyProtocolListeners } from './envoy-bootstrap';
import { proxyProtocolFindings } from './proxy-protocol';
import { BootstrapFinder, GlooConfiguration, isGlooProxy, judgeBootstrap, MountedBootstrap, workloadEnvoy } from './topology-envoy-link';
import { ObjectIndex } from './topology-index';
import { ServiceLinks, withDisruptionBudget } from './topology-link';
import { probeFailsWhileDraining, WorkloadReading } from './workload';

/** The gateways of the input: workloads behind a load balancer or node port, or that run Envoy or mount a bootstrap. */
export function assembleGateways(index: ObjectIndex, links: ServiceLinks, gloo: GlooConfiguration, findings: Finding[]): GatewayModel[] {
  const gateways: GatewayModel[] = [];
  const finder = new BootstrapFinder(index.configMaps, findings);
  for (const reading of index.workloads.values()) {
    const services = links.servicesOf.get(reading.model.object) ?? [];
    const { bootstraps, missing } = finder.mountedInto(reading);
    const isGloo = isGlooProxy(reading, bootstraps, gloo);
    if (!services.some(fronts) && !reading.runsEnvoy && bootstraps.length === 0) continue;
    const { judged, notLoaded } = judgeBootstrap(reading, bootstraps, index.configMaps);
    const envoy = workloadEnvoy(reading, judged, isGloo ? gloo : undefined, findings);
    if (!envoy && reading.runsEnvoy) findings.push(envoyConfigNotFound(reading, notLoaded, missing));
    const workload = drainAsEnvoyRunsIt(withDisruptionBudget(reading.model, index.disruptionBudgets), reading, envoy, isGloo, services, judged, findings);
    gateways.push({ workload, services, ...(envoy ? { envoy } : {}) });
  }
  return gateways;
}

/** Whether a Service brings traffic from outside the cluster to the pods it selects. */
function fronts(service: ServiceModel): boolean {
  return service.type === 'LoadBalancer' || service.type === 'NodePort' || service.loadBalancer !== undefined;
}

function envoyConfigNotFound(reading: WorkloadReading, notLoaded: string | undefined, missing: readonly string[]): Finding {
  const where = notLoaded !== undefined ? notLoaded : missing.length > 0 ? `its ConfigMap${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in the input` : 'no Envoy bootstrap is mounted into its pods';
  return { rule: 'envoy-config-not-found', category: 'unknown', severity: 'warning', objects: [reading.model.object, ...missing], message: `${reading.model.object} runs Envoy but ${where}; its admin address, clusters and routes are not checked.`, fix: `check ${reading.model.object} together with its Envoy configuration` };
}

/**
 * The workload's drain as its Envoy takes it: a `/healthcheck/fail` POST that reaches no admin
 * (a wrong port, or no admin at all) fails nothing, so the drain is its waits alone; and a
 * readiness probe on the health check filter fails while Envoy drains.
 */
function drainAsEnvoyRunsIt(
  model: WorkloadModel, reading: WorkloadReading, envoy: EnvoyModel | undefined, isGloo: boolean,
  services: ServiceModel[], judged: MountedBootstrap | undefined, findings: Finding[],
): WorkloadModel {
  const failPort = reading.healthCheckFailPort;
  const postsHealthCheckFail = failPort !== undefined && model.drain.failsHealthCheck && reading.drainIfHealthCheckNotFailed !== undefined;
  const wrongPort = postsHealthCheckFail && envoy?.adminPort !== undefined && failPort !== envoy.adminPort;
  // No admin in the bootstrap Envoy loads: the drain's POSTs reach nothing, whatever port they name.
  const noAdmin = !wrongPort && postsHealthCheckFail && envoy !== undefined && !isGloo && envoy.adminPort === undefined;
  if ((wrongPort || noAdmin) && envoy && reading.drainIfHealthCheckNotFailed) {
    findings.push(wrongPort ? healthCheckFailWrongPort(reading, failPort!, envoy) : envoyAdminMissing(reading, failPort!, envoy));
    model = { ...model, drain: reading.drainIfHealthCheckNotFailed };
  }
  findings.push(...proxyProtocolFindings(reading.model.object, services, judged ? { object: judged.ref, listeners: proxyProtocolListeners(judged.bootstrap) } : undefined));
  // A health check that never fails does not fail the readiness probe either.
  if (!wrongPort && !noAdmin && reading.runsEnvoy && model.readiness && probeFailsWhileDraining(reading.readinessTarget, envoy?.healthCheckPath)) {
    model = { ...model, readiness: { ...model.readiness, failsWhileDraining: true } };
  }
  return model;
}

function healthCheckFailWrongPort(reading: WorkloadReading, failPort: number, envoy: EnvoyModel): Finding {
  return {
    rule: 'healthcheck-fail-wrong-port',
    category: 'no-drain',
    severity: 'error',
    mechanism: 'lb-health-check-blind-to-drain',
    objects: [reading.model.object, envoy.object],
    message: `the preStop of ${reading.model.object} POSTs /healthcheck/fail to port ${failPort}, but Envoy admin listens on port ${envoy.adminPort} (${envoy.object}): the health check never fails and the load balancer keeps sending connections until Envoy exits.`,
    fix: `POST /healthcheck/fail to 127.0.0.1:${envoy.adminPort} in the preStop of ${reading.model.object} (or move the admin to port ${failPort})`,
  };
}

function envoyAdminMissing(reading: WorkloadReading, failPort: number, envoy: EnvoyModel): Finding {
  return {
    rule: 'envoy-admin-missing',
    category: 'no-drain',
    severity: 'error',
    objects: [reading.model.object, envoy.object],
    message: `the preStop of ${reading.model.object} POSTs /healthcheck/fail to port ${failPort}, but the Envoy bootstrap (${envoy.object}) has no admin listening on a TCP port: the health check never fails and the load balancer keeps sending connections until Envoy exits.`,
    fix: `add admin: {address: {socket_address: {address: 127.0.0.1, port_value: ${failPort}}}} to the bootstrap in ${envoy.object}`,
  };
}

/** A finding made twice (a duplicated object read twice) is reported once. */
export function uniqueFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.rule}\u0000${finding.objects.join(',')}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
