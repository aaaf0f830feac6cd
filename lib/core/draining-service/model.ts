import { ServiceModel, UpstreamModel, WorkloadModel } from '../model';
import { objectRef } from '../object-ref';
import { preStopSleepDrain } from '../pre-stop';
import { readinessProbeModel } from '../probe';
import { UpstreamBudget } from '../timing/solver';
import { drainingSeconds } from './budget';
import { drainingServiceLabels, drainingServiceProbe, drainingServiceSelector, drainingServiceSpreadKeys } from './objects';
import { drainingServiceRefs } from './refs';
import { DrainingServiceSpec } from './resolved-options';

/**
 * The model of a DrainingService, built from its plan (the resolved spec and the solved budget),
 * not read back from its objects: `lib/read` is the only code that reads manifests, and a test
 * holds the two equal.
 */

function workloadModel(spec: DrainingServiceSpec, budget: UpstreamBudget, namespace: string): WorkloadModel {
  const seconds = drainingSeconds(budget);
  return {
    object: drainingServiceRefs(spec.name, namespace).deploymentObject,
    kind: 'Deployment',
    namespace,
    name: spec.name,
    podLabels: drainingServiceLabels(spec),
    replicas: spec.replicas,
    maxSurge: spec.maxSurge,
    maxUnavailable: 0,
    minReadySeconds: seconds.minReady,
    terminationGracePeriodSeconds: seconds.terminationGracePeriod,
    drain: preStopSleepDrain(seconds.preStopDelay, spec.preStopAction),
    appDrainSeconds: budget.appDrainSeconds,
    readiness: readinessProbeModel(drainingServiceProbe(spec)),
    hostPorts: [],
    hostNetwork: false,
    containerPorts: [spec.port],
    onePodPerNode: false,
    spreadTopologyKeys: drainingServiceSpreadKeys(spec),
    disruptionBudget: { object: objectRef('PodDisruptionBudget', namespace, spec.name), maxUnavailable: 1 },
    runsAsNonRoot: true,
  };
}

function serviceModel(object: string, headless: boolean, spec: DrainingServiceSpec): ServiceModel {
  return {
    object,
    type: 'ClusterIP',
    headless,
    externalTrafficPolicy: 'Cluster',
    selector: drainingServiceSelector(spec),
    ports: [{ name: 'http', port: spec.port, targetPort: 'http' }],
  };
}

/**
 * The {@link UpstreamModel} of the DrainingService `spec` under `budget`, its objects in
 * `namespace`: what `checkUpstream` verifies and what `lib/read` reads from the objects.
 */
export function drainingServiceUpstreamModel(spec: DrainingServiceSpec, budget: UpstreamBudget, namespace: string): UpstreamModel {
  const refs = drainingServiceRefs(spec.name, namespace);
  return {
    workload: workloadModel(spec, budget, namespace),
    services: [serviceModel(refs.serviceObject, false, spec), serviceModel(refs.headlessServiceObject, true, spec)],
  };
}
