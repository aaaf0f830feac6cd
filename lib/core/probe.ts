import { ProbeModel } from './model';

/** The HTTP readiness probe hitless emits, as Kubernetes JSON and as the model of what it does. */

/** Options of {@link readinessProbe}. */
export interface ReadinessProbeOptions {
  /** HTTP path the probe GETs; must start with `/`. */
  readonly path: string;
  /** Container port, by number or name. */
  readonly port: number | string;
  /**
   * How often the kubelet probes. Short, so a new pod is ready (and a broken one unready) within
   * seconds; the rollout's pace is set by minReadySeconds, not by this.
   * @default 2
   */
  readonly periodSeconds?: number;
  /** @default 2 */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the pod is marked unready: three, so one slow answer (a GC
   * pause, a cold cache) does not take the pod out and put it back (flapping).
   * @default 3
   */
  readonly failureThreshold?: number;
  /** @default 1 */
  readonly successThreshold?: number;
  /** @default 0 */
  readonly initialDelaySeconds?: number;
  /** @default 'HTTP' */
  readonly scheme?: 'HTTP' | 'HTTPS';
}

/** The probe's fields with every default applied: what {@link readinessProbe} emits. */
function resolveReadinessProbe(options: ReadinessProbeOptions) {
  if (typeof options.path !== 'string' || !options.path.startsWith('/')) {
    throw new Error(`the readiness probe path (${JSON.stringify(options.path)}) must start with '/'`);
  }
  return {
    initialDelaySeconds: options.initialDelaySeconds ?? 0,
    periodSeconds: options.periodSeconds ?? 2,
    timeoutSeconds: options.timeoutSeconds ?? 2,
    successThreshold: options.successThreshold ?? 1,
    failureThreshold: options.failureThreshold ?? 3,
  };
}

/**
 * An HTTP readiness probe as plain Kubernetes JSON (`Probe`).
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export function readinessProbe(options: ReadinessProbeOptions): Record<string, unknown> {
  const timing = resolveReadinessProbe(options);
  return {
    httpGet: { path: options.path, port: options.port, ...(options.scheme && options.scheme !== 'HTTP' ? { scheme: options.scheme } : {}) },
    ...timing,
  };
}

/** The model of the probe {@link readinessProbe} emits for `options`: it never fails on its own while the pod drains. */
export function readinessProbeModel(options: ReadinessProbeOptions): ProbeModel {
  return { kind: 'http', path: options.path, port: options.port, ...resolveReadinessProbe(options), failsWhileDraining: false };
}
