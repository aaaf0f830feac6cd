import * as pulumi from '@pulumi/pulumi';
import { drainingPatch, DrainingTimingOptions, JsonPatchOperation } from '../core/draining-service';
import { GatewayInFront } from '../core/upstream-link';

/** The type token of the resources the transform changes. */
export const DEPLOYMENT_TYPE = 'kubernetes:apps/v1:Deployment';

/** Options of {@link drainingTransform}: the timing props of a DrainingService, plus which Deployments and which gateways. */
export interface DrainingTransformOptions extends DrainingTimingOptions {
  /**
   * The gateways in front of the Deployments' pods; the preStop covers the slowest discovery.
   * @default - none known: a gateway resolving a headless Service by DNS with Kubernetes' defaults is assumed
   */
  readonly gateways?: readonly GatewayInFront[];
  /**
   * Which Deployments to change, by logical name and inputs.
   * @default - every Deployment
   */
  readonly include?: (name: string, props: Record<string, unknown>) => boolean;
}

/** A Deployment the transform will not touch because it cannot make it safe. */
export class DrainingTransformError extends Error {
  constructor(
    /** Logical name of the Pulumi resource. */
    public readonly resourceName: string,
    public readonly reason: string,
  ) {
    super(`hitless cannot make the Deployment resource '${resourceName}' drain safely: ${reason}`);
    this.name = 'DrainingTransformError';
  }
}

/**
 * A resource transform that makes existing `kubernetes:apps/v1:Deployment`s drain, for Pulumi
 * programs already written: every container gets a preStop sleep that keeps the pod serving while
 * the gateways in front forget it, the grace period covers it plus the application's own drain,
 * and rollouts only surge (`maxUnavailable: 0`) and wait `minReadySeconds` for gateways to learn
 * of each new pod. It applies core's `drainingPatch`, the same patch cdk8s'
 * `DrainingService.makeDraining` applies, so the two faces agree.
 *
 * It throws a {@link DrainingTransformError} naming the resource for what it cannot make safe: no
 * containers, no readiness probe, fewer than 2 replicas, a preStop hook already there, or a timing
 * option that cannot hold. The transform sees the inputs as plain values; an input still unknown
 * at that point counts as unset.
 * @see registerDrainingTransform
 */
export function drainingTransform(options: DrainingTransformOptions = {}): pulumi.ResourceTransform {
  return (args) => {
    if (args.type !== DEPLOYMENT_TYPE) return undefined;
    if (options.include && !options.include(args.name, args.props)) return undefined;
    return { props: drainDeployment(args.name, args.props, options), opts: args.opts };
  };
}

/**
 * Registers {@link drainingTransform} for every resource created afterwards in the stack. Needs a
 * Pulumi CLI that supports transforms (3.105 or later).
 */
export function registerDrainingTransform(options: DrainingTransformOptions = {}): void {
  pulumi.runtime.registerResourceTransform(drainingTransform(options));
}

/**
 * The Deployment inputs `props` with core's draining patch applied (a new object; `props` is left
 * alone). Plain objects and arrays are copied; anything else (a `pulumi.Output`, a Resource) is
 * kept as it is, never serialized. The patch is computed on a view where such values count as
 * unset, then applied to the copy, so an Output the patch doesn't replace reaches the resource intact.
 * @throws DrainingTransformError
 */
export function drainDeployment<T extends Record<string, any>>(name: string, props: T, options: DrainingTransformOptions = {}): T {
  const deployment = copyPlain(props) as T;
  let operations: JsonPatchOperation[];
  try {
    operations = drainingPatch(knownView(props) as Record<string, unknown>, options, options.gateways ?? []).operations;
  } catch (error) {
    throw new DrainingTransformError(name, (error as Error).message);
  }
  for (const operation of operations) applyOperation(deployment, operation);
  return deployment;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A copy of the plain objects and arrays; every other value shared, not copied. */
function copyPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyPlain);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, each]) => [key, copyPlain(each)]));
  return value;
}

/** The plain JSON the patch can read: an Output or other non-plain object counts as unset. */
function knownView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(knownView);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).flatMap(([key, each]) => {
      const known = knownView(each);
      return known === undefined ? [] : [[key, known]];
    }));
  }
  if (typeof value === 'object' && value !== null) return undefined;
  return value;
}

/** RFC 6902 `add`/`replace` on plain JSON. */
function applyOperation(document: Record<string, any>, operation: JsonPatchOperation): void {
  const tokens = operation.path.split('/').slice(1).map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = tokens.pop()!;
  let parent: any = document;
  for (const token of tokens) {
    if (parent[token] === undefined) throw new Error(`cannot apply ${operation.op} at ${operation.path}: ${token} is missing`);
    parent = parent[token];
  }
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    parent.splice(index, operation.op === 'replace' ? 1 : 0, operation.value);
  } else {
    parent[last] = operation.value;
  }
}
