import { checkReadResult } from '../check/check';
import { readManifestObjects } from '../read';

/** The parts of `@pulumi/policy`'s stack validation this pack uses, declared here so that importing hitless needs no `@pulumi/policy`. */
export interface StackResource {
  readonly type: string;
  readonly props: Record<string, any>;
  readonly urn: string;
}

export interface HitlessStackPolicy {
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: 'advisory' | 'mandatory';
  validateStack(args: { resources: StackResource[] }, reportViolation: (message: string, urn?: string) => void): void;
}

/** Options of the hitless policies. */
export interface HitlessPolicyOptions {
  /**
   * Enforcement of findings that drop requests.
   * @default 'mandatory'
   */
  readonly errorEnforcement?: 'advisory' | 'mandatory';
  /**
   * Seconds added to every derived window.
   * @default 5
   */
  readonly marginSeconds?: number;
}

/**
 * `hitless check` as Pulumi policies over a stack's Kubernetes resources, for a policy pack:
 *
 * ```ts
 * import { PolicyPack } from '@pulumi/policy';
 * import { hitlessPolicies } from 'hitless';
 * new PolicyPack('hitless', { policies: hitlessPolicies() });
 * ```
 */
export function hitlessPolicies(options: HitlessPolicyOptions = {}): HitlessStackPolicy[] {
  const severityPolicy = (severity: 'error' | 'warning'): HitlessStackPolicy => ({
    name: severity === 'error' ? 'hitless-drops-requests' : 'hitless-may-drop-requests',
    description: severity === 'error'
      ? 'Kubernetes resources whose rollout would drop requests (hitless check errors).'
      : 'Kubernetes resources whose rollout may drop requests (hitless check warnings).',
    enforcementLevel: severity === 'error' ? options.errorEnforcement ?? 'mandatory' : 'advisory',
    validateStack: (args, reportViolation) => {
      const urnOf = new Map<string, string>();
      const objects = args.resources.flatMap((resource) => {
        const object = kubernetesObjectOf(resource);
        if (!object) return [];
        urnOf.set(`${object.kind}/${object.metadata?.namespace ?? 'default'}/${object.metadata?.name}`, resource.urn);
        return [object];
      });
      const report = checkReadResult(readManifestObjects(objects, 'pulumi stack'), { marginSeconds: options.marginSeconds });
      for (const finding of report.findings.filter((each) => each.severity === severity)) {
        const urn = finding.objects.map((ref) => urnOf.get(ref)).find((each) => each !== undefined);
        reportViolation(`[${finding.rule}] ${finding.message} Fix: ${finding.fix}`, urn);
      }
    },
  });
  return [severityPolicy('error'), severityPolicy('warning')];
}

/** `kubernetes:apps/v1:Deployment` → `apps/v1`, `kubernetes:core/v1:Service` → `v1`. */
function kubernetesObjectOf(resource: StackResource): { apiVersion: string; kind: string; metadata?: { name?: string; namespace?: string } } | undefined {
  const match = /^kubernetes:([^:]+)\/([^:/]+):([A-Za-z]+)$/.exec(resource.type);
  if (!match) return undefined;
  const [, group, version, kind] = match;
  const apiVersion = group === 'core' ? version : `${group}/${version}`;
  return { ...resource.props, apiVersion: resource.props.apiVersion ?? apiVersion, kind: resource.props.kind ?? kind };
}
