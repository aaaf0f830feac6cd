/**
 * What the Envoy images people run have in them, for the tools a drain needs: a preStop `exec`
 * fails outright when its interpreter is missing, and a drain that calls a missing `wget` or
 * `curl` never fails the health check. Only images whose build is known are listed; any other
 * image is taken at its word.
 *
 * - `envoyproxy/envoy` (and `-dev`, `contrib-` and `debug-` tags): built on Ubuntu; bash, sh
 *   (dash) and sleep, neither curl nor wget (envoy `ci/Dockerfile-envoy`).
 * - `envoyproxy/envoy:distroless-*` and `envoyproxy/envoy-distroless`: distroless, no shell and
 *   no tools at all. Envoy Gateway runs its proxies on it and drains through its shutdown manager.
 * - `envoyproxy/envoy-alpine` (no longer published): Alpine, BusyBox sh and wget, no bash.
 * - `quay.io/solo-io/gloo-envoy-wrapper`: built on Gloo's Alpine Envoy image (BusyBox), and its
 *   distroless variant copies exactly BusyBox's sh, wget, sleep, nc and ls in; no bash, no curl
 *   (solo-io/gloo `projects/envoyinit/cmd/Dockerfile.envoyinit{,.distroless}`).
 * - `envoyproxy/gateway` and `projectcontour/contour`: the control planes' own images, which also
 *   run their shutdown managers: distroless, no shell.
 */

/** A program a drain may need in the container. */
export type ImageTool = 'sh' | 'bash' | 'sleep' | 'wget' | 'curl';

/** What is known of one image. */
export interface KnownImage {
  /** What the image is, for messages: `the official Envoy image`. */
  readonly description: string;
  readonly tools: readonly ImageTool[];
  /** Whether its sh and wget are BusyBox's (no `-t`, and `-T` only when built with timeouts). */
  readonly busybox: boolean;
}

const UBUNTU_ENVOY: KnownImage = { description: 'the official Envoy image (Ubuntu: bash, no curl, no wget)', tools: ['sh', 'bash', 'sleep'], busybox: false };
const DISTROLESS: KnownImage = { description: 'a distroless image (no shell, no tools)', tools: [], busybox: false };
const ALPINE_ENVOY: KnownImage = { description: 'the Alpine Envoy image (BusyBox sh and wget, no bash, no curl)', tools: ['sh', 'sleep', 'wget'], busybox: true };
const GLOO_ENVOY: KnownImage = { description: "Gloo's Envoy image (BusyBox sh and wget, no bash, no curl)", tools: ['sh', 'sleep', 'wget'], busybox: true };

/** The repository path of an image reference, without registry, tag or digest; and its tag. */
function parseReference(reference: string): { repository: string; tag: string } {
  const [withoutDigest] = reference.trim().toLowerCase().split('@');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : '';
  let repository = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const parts = repository.split('/');
  // A first part with a dot or a port (or `localhost`) is a registry.
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  repository = parts.join('/');
  return { repository, tag };
}

/** What is known of an image, or undefined when nothing is. */
export function knownImage(reference: string | undefined): KnownImage | undefined {
  if (typeof reference !== 'string' || reference.trim() === '') return undefined;
  const { repository, tag } = parseReference(reference);
  if (repository === 'envoyproxy/envoy' || repository === 'envoyproxy/envoy-dev') {
    return tag.startsWith('distroless') ? DISTROLESS : tag.startsWith('tools') ? undefined : UBUNTU_ENVOY;
  }
  if (repository === 'envoyproxy/envoy-distroless' || repository === 'envoyproxy/envoy-distroless-dev') return DISTROLESS;
  if (repository === 'envoyproxy/envoy-alpine' || repository === 'envoyproxy/envoy-alpine-dev') return ALPINE_ENVOY;
  if (repository === 'solo-io/gloo-envoy-wrapper' || repository === 'solo-io/gloo-ee-envoy-wrapper') return GLOO_ENVOY;
  if (repository === 'envoyproxy/gateway' || repository === 'envoyproxy/gateway-dev' || repository === 'projectcontour/contour') return DISTROLESS;
  if (/(^|[/-])distroless([/-]|$)/.test(repository) || tag.includes('distroless')) return DISTROLESS;
  return undefined;
}

/** The tools of `needs` an image is known to lack (empty when it has them all or is not known). */
export function missingTools(reference: string | undefined, needs: readonly ImageTool[]): ImageTool[] {
  const image = knownImage(reference);
  if (!image) return [];
  return needs.filter((tool) => !image.tools.includes(tool));
}
