import { checkReadResult, CheckReport } from '../check/check';
import { Finding } from '../core/finding';
import { readManifestObjects } from '../read';

/**
 * The part of cdk8s-cli's validation context this plugin uses; declared here so that the
 * library needs cdk8s-cli only where `cdk8s synth` runs.
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export interface Cdk8sValidationContext {
  readonly manifests: readonly string[];
  parseManifest(manifestPath: string): any[];
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  readonly logger: { log(message: string): void };
}

/** Properties given in `cdk8s.yaml` under `validations[].properties`. */
export interface HitlessValidationProps {
  /**
   * Fail the synth on warnings too, not only on findings that drop requests.
   * @default false
   */
  readonly failOnWarnings?: boolean;
  /**
   * Seconds added to every derived window.
   * @default 5
   */
  readonly marginSeconds?: number;
}

/**
 * `hitless check` as a cdk8s validation plugin: `cdk8s synth` fails when the manifests would drop
 * requests on rollout. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: hitless
 *     version: 0.0.0
 *     class: HitlessValidation
 * ```
 */
export class HitlessValidation {
  public readonly failOnWarnings: boolean;
  public readonly marginSeconds?: number;

  constructor(props: HitlessValidationProps = {}) {
    this.failOnWarnings = props.failOnWarnings ?? false;
    this.marginSeconds = props.marginSeconds;
  }

  public async validate(context: Cdk8sValidationContext): Promise<void> {
    const manifestOf = new Map<string, string>();
    const objects: unknown[] = [];
    for (const manifest of context.manifests) {
      for (const object of context.parseManifest(manifest) ?? []) {
        objects.push(object);
        const ref = objectRefOf(object);
        if (ref) manifestOf.set(ref, manifest);
      }
    }
    const report = checkReadResult(readManifestObjects(objects, context.manifests.join(', ')), { marginSeconds: this.marginSeconds });
    for (const finding of report.findings) {
      context.report.addViolation({
        ruleName: `${finding.severity}: ${finding.rule}`,
        recommendation: finding.message,
        fix: finding.fix,
        violatingResources: finding.objects.map((ref) => ({ resourceName: ref, locations: [], manifestPath: manifestOf.get(ref) ?? context.manifests[0] ?? '' })),
      });
    }
    context.report.submit(this.fails(report) ? 'failure' : 'success', { verdict: report.verdict });
  }

  private fails(report: CheckReport): boolean {
    return report.findings.some((finding: Finding) => finding.severity === 'error' || this.failOnWarnings);
  }
}

function objectRefOf(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { kind, metadata } = object as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof kind !== 'string' || typeof metadata?.name !== 'string') return undefined;
  return `${kind}/${typeof metadata.namespace === 'string' ? metadata.namespace : 'default'}/${metadata.name}`;
}
