import { loadManifestFiles, loadManifestText, SourcedObject } from './load';
import { buildTopology, ReadResult } from './topology';

// Explicit exports: the helpers in fields.ts stay internal, so the package barrel gains no generic names.
export { AWS_ANNOTATIONS, AWS_NLB_LOAD_BALANCER_CLASS, isAwsNlbService, parseAttributes, readAwsLoadBalancer } from './aws-annotations';
export {
  CONTOUR_SHUTDOWN_PATH, CONTOUR_SHUTDOWN_PORT, drainTimeline, ENVOY_GATEWAY_DEFAULT_DRAIN_TIMEOUT_SECONDS, ENVOY_GATEWAY_DEFAULT_MIN_DRAIN_SECONDS,
  ENVOY_GATEWAY_SHUTDOWN_PORT, ENVOY_GATEWAY_SHUTDOWN_READY_PATH, readSigtermDrain, readStopCommand,
} from './drain';
export type { DrainTimeline, DrainTimelineOptions, StopReading } from './drain';
export { envoyShapeFindings } from './envoy-shape';
export { AWS_LOAD_BALANCER_CONTROLLER_CLASS, controllerHealthCheck, controllerName, decideController } from './load-balancer-controller';
export type { ControllerDecision, ControllerHealthCheck, LoadBalancerController } from './load-balancer-controller';
export { ASSUMED_EDS_PUSH_SECONDS, bootstrapsInConfigMap, isEnvoyBootstrap, readEnvoyBootstrap, serviceHostRef } from './envoy-bootstrap';
export type { ServiceResolver } from './envoy-bootstrap';
export { GLOO_GROUPS, readGlooGatewayHealthCheckPath, readGlooUpstream, readGlooVirtualService } from './gloo';
export { loadManifestFiles, loadManifestText } from './load';
export type { LoadedObjects, ReadProblem, SourcedObject } from './load';
export { readPreStop } from './pre-stop';
export type { PreStopContext, PreStopReading } from './pre-stop';
export { readService, selects } from './service';
export type { ServiceReading } from './service';
export { buildTopology } from './topology';
export type { ReadResult, SkippedDocument } from './topology';
export { DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, readWorkload } from './workload';
export type { WorkloadReading } from './workload';

/**
 * Reads manifests from text (multi-document YAML, JSON, Lists) into a Topology. Never throws:
 * syntax errors are `problems`, bad fields are `schema` findings.
 */
export function readManifestText(text: string, source: string): ReadResult {
  const loaded = loadManifestText(text, source);
  return buildTopology(loaded.objects, loaded.problems);
}

/** Reads files, directories and `-` (standard input, through `readStdin`) into a Topology. Never throws. */
export async function readManifestFiles(paths: string[], readStdin?: () => Promise<string>): Promise<ReadResult> {
  const loaded = await loadManifestFiles(paths, readStdin);
  return buildTopology(loaded.objects, loaded.problems);
}

/** Reads objects already parsed (from a synthesized cdk8s app, say) into a Topology. Never throws. */
export function readManifestObjects(objects: unknown[], source = 'objects'): ReadResult {
  const sourced: SourcedObject[] = [];
  objects.forEach((object, index) => {
    if (typeof object === 'object' && object !== null && !Array.isArray(object)) sourced.push({ object: object as Record<string, unknown>, source: `${source} [${index}]` });
  });
  return buildTopology(sourced);
}
