import { asDuration } from '../duration';
import { PreStopAction, preStopSleepHandler } from '../pre-stop';
import { UpstreamBudget } from '../timing/solver';
import { GatewayInFront } from '../upstream-link';
import { drainingSeconds, solveDrainingBudget } from './budget';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS } from './objects';
import { DrainingTimingOptions } from './options';
import { checkMaxSurge, DEFAULT_APP_DRAIN_TIME, propError, resolveDrainingPreStop } from './resolved-options';

/** The JSON patch that makes a user's existing Deployment draining, solved as a DrainingService is. */

type Json = Record<string, any>;

/** One RFC 6902 operation, as plain data (the faces turn it into their own patch type). */
export interface JsonPatchOperation {
  readonly op: 'add' | 'replace';
  readonly path: string;
  readonly value: unknown;
}

/** What {@link drainingPatch} changes on an existing Deployment. */
export type DrainingPatchOptions = DrainingTimingOptions;

/** The patch that makes a Deployment draining, and what it was solved from. */
export interface DrainingPatch {
  readonly operations: JsonPatchOperation[];
  readonly budget: UpstreamBudget;
  readonly preStopAction: PreStopAction;
  readonly maxSurge: number;
}

/**
 * The containers the patch adds a preStop to, once the Deployment is known to be patchable.
 * @throws when the Deployment has no containers, no readiness probe, fewer than 2 replicas, or a preStop hook already
 */
function patchableContainers(deployment: Json): Json[] {
  const name = deployment?.metadata?.name ?? '(unnamed)';
  const spec = (deployment?.spec ?? {}) as Json;
  const containers = (spec.template?.spec?.containers ?? []) as Json[];
  if (containers.length === 0) {
    throw new Error(`Deployment '${name}' has no containers yet: make it draining after its containers are added`);
  }
  if (!containers.some((each) => each.readinessProbe)) {
    throw propError('readinessProbe', undefined, 'set on the serving container',
      `Deployment '${name}' cannot drain without one: new pods would take requests before they serve, and gateways could not health-check it`, 'none');
  }
  // Autoscaled Deployments leave replicas to the autoscaler; their minimum is its business.
  if (spec.replicas !== undefined && spec.replicas < 2) {
    throw propError('replicas', spec.replicas, 'at least 2',
      `with one replica of Deployment '${name}' a node drain, an eviction or a crash leaves no pod to serve`);
  }
  const withPreStop = containers.find((each) => each.lifecycle?.preStop);
  if (withPreStop) {
    throw new Error(`container '${withPreStop.name}' of Deployment '${name}' already has a preStop hook; hitless would replace it. Remove it, or add the wait to it yourself`);
  }
  return containers;
}

/**
 * The JSON patch that makes an existing Deployment (rendered as Kubernetes JSON) draining:
 * a preStop sleep on every container, terminationGracePeriodSeconds, a surge-only
 * RollingUpdate and minReadySeconds, all from the same solver as a DrainingService.
 * @throws when the Deployment has no readiness probe, fewer than 2 replicas, or a preStop hook already
 */
export function drainingPatch(deployment: Json, options: DrainingPatchOptions = {}, gatewaysInFront: readonly GatewayInFront[] = []): DrainingPatch {
  const containers = patchableContainers(deployment);
  const maxSurge = checkMaxSurge(options.maxSurge);
  const { preStopAction } = resolveDrainingPreStop(options);
  const budget = solveDrainingBudget({
    appDrainSeconds: asDuration(options.appDrainTime ?? DEFAULT_APP_DRAIN_TIME).toSeconds(),
    preStopDelaySeconds: asDuration(options.preStopDelay)?.toWholeSeconds(),
    terminationGracePeriodSeconds: asDuration(options.terminationGracePeriod)?.toWholeSeconds(),
    minReadySeconds: asDuration(options.minReady)?.toWholeSeconds(),
  }, gatewaysInFront);
  const seconds = drainingSeconds(budget);
  const handler = preStopSleepHandler(seconds.preStopDelay, preStopAction);
  const operations: JsonPatchOperation[] = [
    { op: 'add', path: '/spec/strategy', value: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: 0 } } },
    { op: 'add', path: '/spec/minReadySeconds', value: seconds.minReady },
    { op: 'add', path: '/spec/template/spec/terminationGracePeriodSeconds', value: seconds.terminationGracePeriod },
    // Every container waits: each gets SIGTERM when its own preStop ends, and a sidecar that
    // exits early (a proxy, a log shipper) would fail the requests still arriving.
    ...containers.map((container, index): JsonPatchOperation => (container.lifecycle
      ? { op: 'add', path: `/spec/template/spec/containers/${index}/lifecycle/preStop`, value: handler }
      : { op: 'add', path: `/spec/template/spec/containers/${index}/lifecycle`, value: { preStop: handler } })),
  ];
  const deadline = deployment?.spec?.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  if (deadline <= seconds.minReady) {
    operations.push({ op: 'add', path: '/spec/progressDeadlineSeconds', value: seconds.minReady + DEFAULT_PROGRESS_DEADLINE_SECONDS });
  }
  return { operations, budget, preStopAction, maxSurge };
}
