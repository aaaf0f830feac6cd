/**
 * Parity between the faces: the Kubernetes objects a cdk8s chart synthesizes, and those the
 * Pulumi face registered (as the mocks recorded them), in one comparable form.
 */
import type { RecordedResource } from './mocks';

export type Manifest = Record<string, any>;

function key(manifest: Manifest): string {
  return `${manifest.apiVersion} ${manifest.kind}/${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name}`;
}

/** Manifests keyed by `apiVersion Kind/namespace/name`, in key order. */
export function byKey(manifests: readonly Manifest[]): Record<string, Manifest> {
  return Object.fromEntries([...manifests].sort((a, b) => key(a).localeCompare(key(b))).map((each) => [key(each), each]));
}

/** The Kubernetes objects of a cdk8s chart, as `cdk8s synth` writes them. */
export function cdk8sManifests(build: (chart: import('cdk8s').Chart) => void): Manifest[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cdk8s: typeof import('cdk8s') = require('cdk8s');
  const chart = cdk8s.Testing.chart();
  build(chart);
  return cdk8s.Testing.synth(chart);
}

/** The Kubernetes objects the Pulumi face registered. */
export function pulumiManifests(resources: readonly RecordedResource[]): Manifest[] {
  return resources
    .filter((each) => each.type.startsWith('kubernetes:') && !each.type.startsWith('pulumi:providers:'))
    .map((each) => {
      const { apiVersion, kind, metadata, ...rest } = each.inputs;
      return { apiVersion, kind, metadata, ...rest };
    });
}
