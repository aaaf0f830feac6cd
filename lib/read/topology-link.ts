/** The reader's link phase for Kubernetes objects: target groups and GKE to Services, Services to workloads, budgets to workloads, clusters to upstreams. */
import { Finding } from '../core/finding';
import { assumedLoadBalancer } from '../core/load-balancer';
import { GatewayModel, ServiceModel, UpstreamModel, WorkloadModel } from '../core/model';
import { applyGkeLoadBalancers } from './gke';
import { selects } from './service';
import { DisruptionBudgetReading, ObjectIndex, TargetGroupBindingReading } from './topology-index';
import { WorkloadReading } from './workload';

/** How the Services and workloads of the input refer to each other. */
export interface ServiceLinks {
  /** Each Service's model, with the load balancer a TargetGroupBinding or GKE gives it. */
  readonly serviceModels: Map<string, ServiceModel>;
  /** The workloads each Service selects. */
  readonly selectedBy: Map<string, WorkloadReading[]>;
  /** The Services that select each workload. */
  readonly servicesOf: Map<string, ServiceModel[]>;
}

/** Links Services to their load balancers and to the workloads they select. */
export function linkServices(index: ObjectIndex, findings: Finding[]): ServiceLinks {
  const serviceModels = new Map<string, ServiceModel>();
  for (const [ref, reading] of index.services) serviceModels.set(ref, reading.model);
  for (const binding of index.bindings) bindTargetGroup(binding, serviceModels, findings);
  applyGkeLoadBalancers(index.services, serviceModels, index.gkeObjects, [...index.workloads.values()].map((reading) => reading.model), findings);
  // An assumed load-balancer controller is reported where the Service is read (lib/read/aws-annotations.ts).
  return { serviceModels, ...selectWorkloads(index, serviceModels, findings) };
}

/** A target group made outside Kubernetes: its health check is not in the manifests, so it is assumed and said. */
function bindTargetGroup(binding: TargetGroupBindingReading, serviceModels: Map<string, ServiceModel>, findings: Finding[]): void {
  const service = serviceModels.get(binding.service);
  if (!service) {
    findings.push({ rule: 'binding-service-not-found', category: 'unknown', severity: 'warning', objects: [binding.ref], message: `${binding.ref} binds ${binding.service}, which is not in the input.`, fix: `check ${binding.service} together with ${binding.ref}` });
    return;
  }
  if (service.loadBalancer) return;
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

/** Which Services select which workloads, through an index on one selector label. */
function selectWorkloads(index: ObjectIndex, serviceModels: Map<string, ServiceModel>, findings: Finding[]): Omit<ServiceLinks, 'serviceModels'> {
  const labelSlot = (namespace: string, key: string, value: string) => `${namespace}\u0000${key}=${value}`;
  const byLabel = new Map<string, WorkloadReading[]>();
  for (const reading of index.workloads.values()) {
    for (const [key, value] of Object.entries(reading.model.podLabels)) appendTo(byLabel, labelSlot(reading.model.namespace, key, value), reading);
  }
  const selectedBy = new Map<string, WorkloadReading[]>();
  const servicesOf = new Map<string, ServiceModel[]>();
  for (const [ref, service] of serviceModels) {
    const entries = Object.entries(service.selector);
    if (entries.length === 0) continue;
    const [key, value] = entries[0];
    const selected = (byLabel.get(labelSlot(index.services.get(ref)!.namespace, key, value)) ?? []).filter((reading) => selects(service.selector, reading.model.podLabels));
    selectedBy.set(ref, selected);
    for (const reading of selected) appendTo(servicesOf, reading.model.object, service);
    if (selected.length === 0 && (service.type === 'LoadBalancer' || service.loadBalancer)) {
      findings.push({ rule: 'service-selects-nothing', category: 'unknown', severity: 'warning', objects: [ref], message: `${ref} is load-balanced but selects no Deployment, DaemonSet or StatefulSet in the input; the pods behind it are not checked.`, fix: `check the workload behind ${ref} together with it` });
    }
  }
  return { selectedBy, servicesOf };
}

function appendTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The workload with the first PodDisruptionBudget of its namespace that selects its pods. */
export function withDisruptionBudget(model: WorkloadModel, budgets: readonly DisruptionBudgetReading[]): WorkloadModel {
  const budget = budgets.find((each) => each.namespace === model.namespace && selects(each.selector, model.podLabels));
  if (!budget) return model;
  return { ...model, disruptionBudget: { object: budget.ref, ...(budget.minAvailable !== undefined ? { minAvailable: budget.minAvailable } : {}), ...(budget.maxUnavailable !== undefined ? { maxUnavailable: budget.maxUnavailable } : {}) } };
}

/** Upstreams: the workloads behind the Services the gateways' clusters resolve, each once. */
export function linkUpstreams(gateways: readonly GatewayModel[], links: ServiceLinks, budgets: readonly DisruptionBudgetReading[], findings: Finding[]): UpstreamModel[] {
  const upstreams: UpstreamModel[] = [];
  const upstreamRefs = new Set<string>();
  const reportedMissing = new Set<string>();
  for (const gateway of gateways) {
    for (const cluster of gateway.envoy?.clusters ?? []) {
      if (!cluster.service) continue;
      const service = links.serviceModels.get(cluster.service);
      if (!service) {
        if (reportedMissing.has(cluster.service)) continue;
        reportedMissing.add(cluster.service);
        findings.push({ rule: 'upstream-service-not-found', category: 'unknown', severity: 'warning', objects: [gateway.envoy!.object, cluster.service], message: `cluster ${cluster.name} of ${gateway.envoy!.object} sends to ${cluster.service}, which is not in the input; the pods behind it are not checked.`, fix: `check ${cluster.service} and its workload together with the gateway` });
        continue;
      }
      const selected = links.selectedBy.get(cluster.service) ?? [];
      if (selected.length === 0 && !reportedMissing.has(cluster.service)) {
        reportedMissing.add(cluster.service);
        findings.push({ rule: 'upstream-workload-not-found', category: 'unknown', severity: 'warning', objects: [cluster.service], message: `${cluster.service} (cluster ${cluster.name}) selects no Deployment, DaemonSet or StatefulSet in the input; the pods behind it are not checked.`, fix: `check the workload behind ${cluster.service} together with the gateway` });
      }
      for (const reading of selected) {
        if (upstreamRefs.has(reading.model.object)) continue;
        upstreamRefs.add(reading.model.object);
        upstreams.push({ workload: withDisruptionBudget(reading.model, budgets), services: links.servicesOf.get(reading.model.object) ?? [] });
      }
    }
  }
  return upstreams;
}
