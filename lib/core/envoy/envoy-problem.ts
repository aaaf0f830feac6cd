/** One way a config breaks Envoy's v3 API, and how it is told. */

/**
 * One way a config breaks Envoy's v3 API.
 *
 * `error`s make Envoy reject the config; `warning`s are deprecated fields Envoy still accepts
 * (it logs them and counts `runtime.deprecated_feature_use`).
 */
export interface EnvoyProblem {
  /** Where, as written in the input: `static_resources.clusters[0].health_checks[0].timeout`. Empty for the top. */
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Only the problems that make Envoy reject the config. */
export function envoyErrors(problems: readonly EnvoyProblem[]): EnvoyProblem[] {
  return problems.filter((problem) => problem.severity === 'error');
}

/** `path: message`, or just the message at the top. */
export function formatEnvoyProblem(problem: EnvoyProblem): string {
  const where = problem.path === '' ? '(root)' : problem.path;
  return `${where}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}
