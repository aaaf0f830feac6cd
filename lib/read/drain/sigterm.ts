import { Json } from '../fields';
import { basename } from '../shell-script';
import { containerWords, durationSeconds, flagSeconds, StopReading } from './stop-command';

/**
 * Proxies that drain on SIGTERM by themselves, with no preStop.
 */

/**
 * Istio's pilot-agent (`pilot-agent proxy router|sidecar`, image `proxyv2`). Read from
 * istio/istio pkg/envoy/agent.go `terminate()`: on SIGTERM it POSTs `drain_listeners?graceful`
 * (pkg/envoy/admin.go; listeners keep accepting while they drain) and stops Envoy after
 * `terminationDrainDuration` (pkg/config/mesh/mesh.go: default 5 s; the pod annotation
 * `proxy.istio.io/config` or the env `TERMINATION_DRAIN_DURATION_SECONDS` set it), or, with
 * `EXIT_ON_ZERO_ACTIVE_CONNECTIONS=true`, after `MINIMUM_DRAIN_DURATION` (default 5 s) once no
 * connection is open (pilot/cmd/pilot-agent/options/options.go).
 */
export const ISTIO_DEFAULT_TERMINATION_DRAIN_SECONDS = 5;
export const ISTIO_DEFAULT_MINIMUM_DRAIN_SECONDS = 5;

function env(container: Json, name: string): string | undefined {
  const list = Array.isArray(container.env) ? container.env : [];
  for (const entry of list) {
    if (entry && typeof entry === 'object' && (entry as Json).name === name && typeof (entry as Json).value === 'string') return (entry as Json).value as string;
  }
  return undefined;
}

export function readIstioAgent(container: Json, podAnnotations: Record<string, string>): StopReading | undefined {
  const words = containerWords(container);
  const image = typeof container.image === 'string' ? container.image : '';
  const isAgent = (words[0] === 'proxy' && (words[1] === 'router' || words[1] === 'sidecar')) || basename(words[0] ?? '') === 'pilot-agent';
  if (!isAgent || !/proxyv2/.test(image)) return undefined;
  const fromEnv = env(container, 'TERMINATION_DRAIN_DURATION_SECONDS');
  const fromAnnotation = /terminationDrainDuration:\s*["']?([0-9.]+(?:ms|s|m|h)?)/.exec(podAnnotations['proxy.istio.io/config'] ?? '')?.[1];
  const fromProxyConfig = /"terminationDrainDuration"\s*:\s*"([0-9.]+(?:ms|s|m|h))"/.exec(env(container, 'PROXY_CONFIG') ?? '')?.[1];
  const stated = fromAnnotation ?? fromProxyConfig ?? fromEnv;
  const drain = (stated !== undefined ? durationSeconds(stated) : undefined) ?? ISTIO_DEFAULT_TERMINATION_DRAIN_SECONDS;
  if (env(container, 'EXIT_ON_ZERO_ACTIVE_CONNECTIONS') === 'true') {
    const minimum = durationSeconds(env(container, 'MINIMUM_DRAIN_DURATION') ?? '') ?? ISTIO_DEFAULT_MINIMUM_DRAIN_SECONDS;
    return {
      keepAcceptingSeconds: minimum,
      finishSeconds: 0,
      closesIdleConnections: true,
        description: `Istio pilot-agent on SIGTERM: graceful drain_listeners, exits after MINIMUM_DRAIN_DURATION ${minimum}s once no connection is open (EXIT_ON_ZERO_ACTIVE_CONNECTIONS)`,
    };
  }
  return {
    keepAcceptingSeconds: drain,
    finishSeconds: 0,
    closesIdleConnections: true,
    description: `Istio pilot-agent on SIGTERM: graceful drain_listeners, Envoy stopped after terminationDrainDuration ${drain}s${stated === undefined ? ' (default)' : ''}`,
  };
}

/**
 * Traefik (image `traefik`): on SIGTERM each entry point keeps accepting for
 * `entryPoints.<name>.transport.lifeCycle.requestAcceptGraceTimeout` (default 0), then finishes
 * in flight for `graceTimeOut` (default 10 s). Read from traefik/traefik
 * pkg/config/static/static_config.go (`LifeCycle.SetDefaults`) and
 * pkg/server/server_entrypoint_tcp.go (`Shutdown`). The shortest entry point counts.
 */
export const TRAEFIK_DEFAULT_GRACE_TIMEOUT_SECONDS = 10;

export function readTraefik(container: Json): StopReading | undefined {
  const image = typeof container.image === 'string' ? container.image : '';
  if (!/(^|\/)traefik(:|@|$)/.test(image)) return undefined;
  const words = containerWords(container);
  const entryPoints = new Set<string>();
  for (const word of words) {
    const match = /^--entry[pP]oints\.([^.=]+)\./.exec(word);
    if (match) entryPoints.add(match[1]);
  }
  if (entryPoints.size === 0) return undefined;
  let accept = Number.POSITIVE_INFINITY;
  let grace = 0;
  for (const name of entryPoints) {
    const prefix = `--entryPoints.${name}.transport.lifeCycle.`;
    const lower = words.map((word) => word.replace(/^--entrypoints\./, '--entryPoints.'));
    accept = Math.min(accept, flagSeconds(lower, [`${prefix}requestAcceptGraceTimeout`]) ?? 0);
    grace = Math.max(grace, flagSeconds(lower, [`${prefix}graceTimeOut`]) ?? TRAEFIK_DEFAULT_GRACE_TIMEOUT_SECONDS);
  }
  return {
    keepAcceptingSeconds: accept,
    finishSeconds: grace,
    closesIdleConnections: true,
    // pkg/ping/ping.go: `/ping` answers terminatingStatusCode (503) once terminating.
    readinessFailsOn: '/ping',
    description: `Traefik on SIGTERM: accepts for requestAcceptGraceTimeout ${accept}s, then finishes in flight for up to graceTimeOut ${grace}s`,
  };
}
