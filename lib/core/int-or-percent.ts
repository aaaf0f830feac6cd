/** A Kubernetes IntOrString that counts pods: a whole number, or a percentage such as `25%`. */
export type IntOrPercent = number | string;

/**
 * Resolves an int-or-percent against a total as Kubernetes does: the percentage of `total`,
 * rounded up where Kubernetes rounds up (maxSurge, and both PodDisruptionBudget fields) and
 * down where it rounds down (a Deployment's maxUnavailable). A number is taken whole.
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent)
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts)
 */
export function resolveIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return Math.floor(value);
  const text = value.trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (!percent) {
    // Readers hand over a digit string as a number; anything else here is a caller's mistake.
    if (/^\d+$/.test(text)) return Number(text);
    throw new Error(`'${value}' is neither a whole number nor a percentage`);
  }
  const exact = (Number(percent[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
