import { Finding } from '../core/finding';
import { isObject, Json } from './fields';

/**
 * Fields of an Envoy bootstrap that Envoy's protos declare `repeated` (lists) and that hitless
 * reads: written as a map they make Envoy reject the whole bootstrap, and the reader would find
 * nothing in them. Each is reported as a schema error, never dropped in silence.
 * @see https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/cluster/v3/cluster.proto (health_checks)
 */
const REPEATED = new Set([
  'listeners', 'clusters', 'health_checks', 'endpoints', 'lb_endpoints', 'filter_chains', 'filters',
  'http_filters', 'virtual_hosts', 'routes', 'domains', 'retry_host_predicate', 'retriable_status_codes',
]);

/** Where in the bootstrap, for messages: `static_resources.clusters[0](orders).health_checks`. */
function label(path: string, value: Json): string {
  return typeof value.name === 'string' ? `${path}(${value.name})` : path;
}

/** Schema findings for list fields written as something else, anywhere in the bootstrap. */
export function envoyShapeFindings(bootstrap: Json, object: string): Finding[] {
  const findings: Finding[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (depth > 40) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`, depth + 1));
      return;
    }
    if (!isObject(value)) return;
    // Typed configs of extensions hitless does not know keep their own shapes.
    for (const [key, child] of Object.entries(value)) {
      const here = path === '' ? key : `${label(path, value)}.${key}`;
      if (REPEATED.has(key) && child !== undefined && child !== null && !Array.isArray(child)) {
        findings.push({
          rule: 'envoy-field-not-a-list',
          category: 'schema',
          severity: 'error',
          objects: [object],
          message: `${here} in the Envoy configuration of ${object} is ${isObject(child) ? 'a map' : `a ${typeof child}`}, but Envoy expects a list: Envoy rejects the configuration, and hitless did not read what it holds.`,
          fix: `write ${key} as a list (each item starting with "- ") in ${object}`,
        });
        continue;
      }
      walk(child, here, depth + 1);
    }
  };
  walk(bootstrap, '', 0);
  return findings;
}
