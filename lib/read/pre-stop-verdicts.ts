/** What the preStop reader concludes of a hook it cannot follow or that cannot work: an unknown drain, and the findings that say why. */
import { Finding } from '../core/finding';
import { knownImage } from '../core/gateway/images';
import { DrainModel } from '../core/model';
import type { PreStopContext } from './pre-stop';

/** A hook's text on one line, cut to a length a finding can quote. */
export function truncate(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > 120 ? `${single.slice(0, 117)}...` : single;
}

/** The drain of a container without a preStop hook. */
export function noDrain(): DrainModel {
  return { mechanism: 'none', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: 'no preStop hook' };
}

/** The drain of a hook the reader cannot follow: `unknown`, never a guess. */
export function unknownDrain(description: string): DrainModel {
  return { mechanism: 'unknown', failsHealthCheck: false, keepServingSeconds: 0, drainSeconds: 0, drainsConnections: false, description: truncate(description) };
}

/** The hook calls wget or curl, which its image does not have: the health check never fails. */
export function toolMissing(context: PreStopContext, tool: 'wget' | 'curl'): Finding {
  const image = knownImage(context.image);
  const bash = image?.tools.includes('bash');
  return {
    rule: 'prestop-tool-missing-from-image',
    category: 'no-drain',
    severity: 'error',
    objects: [context.object],
    message: `the preStop of container ${context.containerName} in ${context.object} calls ${tool}, but image ${context.image} is ${image?.description ?? 'an image without it'}: the health check never fails.`,
    fix: bash
      ? `fail the health check with bash: exec 3<>/dev/tcp/127.0.0.1/<admin port>; printf 'POST /healthcheck/fail HTTP/1.1\\r\\nHost: localhost\\r\\nContent-Length: 0\\r\\n\\r\\n' >&3 (or use an image that has ${tool})`
      : `call the admin with a client ${context.image} has (${image?.tools.filter((each) => each === 'wget' || each === 'curl').join(', ') || 'none: use a shutdown-manager sidecar'})`,
  };
}

/** The hook's script cannot run as written, for `why`. */
export function cannotRun(context: PreStopContext, script: string, why: string, rule: string, fix: string): Finding {
  return {
    rule,
    category: 'no-drain',
    severity: 'error',
    objects: [context.object],
    message: `the preStop of container ${context.containerName} in ${context.object} runs "${truncate(script)}", but ${why}.`,
    fix,
  };
}

/** The hook calls Envoy admin without POST, which admin rejects on mutating endpoints. */
export function notPost(context: PreStopContext, how: string): Finding {
  return {
    rule: 'healthcheck-fail-not-post',
    category: 'no-drain',
    severity: 'error',
    objects: [context.object],
    message: `${how} of ${context.object} calls Envoy admin without POST; Envoy admin rejects GET on mutating endpoints, so the health check never fails and nothing drains.`,
    fix: `send a POST: wget --post-data "" -O /dev/null http://127.0.0.1:<admin port>/healthcheck/fail, or curl -X POST`,
  };
}
