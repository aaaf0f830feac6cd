import { Finding } from '../core/finding';
import { Topology } from '../core/model';
import { Json } from './fields';
import { expandGlooHelmValues } from './gloo-values';
import { ReadProblem, SourcedObject } from './load';
import { assembleGateways, uniqueFindings } from './topology-assemble';
import { linkGlooClusters } from './topology-envoy-link';
import { indexObjects } from './topology-index';
import { linkServices, linkUpstreams } from './topology-link';

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

/**
 * Builds a topology from objects already parsed (Gloo Edge Helm values among them), in three
 * phases: index (each object read and filed by kind), link (Services to load balancers and
 * workloads, bootstraps to ConfigMaps, Gloo's clusters, clusters to upstreams) and assemble.
 * Never throws.
 */
export function buildTopology(input: SourcedObject[], problems: ReadProblem[] = []): ReadResult {
  // Gloo Edge Helm values stand for the objects the chart renders from them; read those instead.
  const { objects: expanded, findings: valuesFindings, adminAddresses: glooAdminAddresses } = expandGlooHelmValues(input);
  const skipped = expanded.filter((each) => !isKubernetesObject(each.object)).map(skippedDocument);
  const objects = expanded.filter((each) => isKubernetesObject(each.object));
  const findings: Finding[] = [...valuesFindings];
  const index = indexObjects(objects.map((each) => each.object), findings);
  const links = linkServices(index, findings);
  const gloo = linkGlooClusters(index, glooAdminAddresses, findings);
  const gateways = assembleGateways(index, links, gloo, findings);
  const upstreams = linkUpstreams(gateways, links, index.disruptionBudgets, findings);
  return { topology: { gateways, upstreams }, findings: uniqueFindings(findings), objectCount: objects.length, problems, ...(skipped.length > 0 ? { skipped } : {}) };
}

function skippedDocument(document: SourcedObject): SkippedDocument {
  const object = document.object;
  const missing = typeof object.kind === 'string' ? 'no apiVersion' : typeof object.apiVersion === 'string' ? 'no kind' : 'no apiVersion nor kind';
  return { source: document.source, reason: `not a Kubernetes object (${missing})` };
}
