import { asDuration, Duration, DurationLike } from '../duration';
import { DrainModel } from '../model';
import { restrictedSecurityContext } from '../pod-security';
import { AdminClient, adminDrainScript, drainScriptShell } from './drain-script';
import { ImageTool, knownImage, missingTools } from './images';
import { checkSecondsAtMost } from '../prop-bounds';

/** What a drain mechanism needs to know of the gateway it drains. */
export interface DrainContext {
  /** Envoy admin port on 127.0.0.1. */
  readonly adminPort: number;
  /** From the solver: how long the gateway keeps serving after failing its health check. */
  readonly keepServingSeconds: number;
  /** How long it then waits for connections to close. */
  readonly drainTimeoutSeconds: number;
  /** Extra seconds any timeout of the mechanism gets on top of the drain (the solver's margin). */
  readonly marginSeconds: number;
}

/** The pieces of the pod a drain mechanism contributes. */
export interface RenderedDrain {
  /** The Envoy container's `lifecycle.preStop` (a Kubernetes `LifecycleHandler`). */
  readonly preStop: Record<string, unknown>;
  /** Containers to run next to Envoy. */
  readonly sidecars: Record<string, unknown>[];
  readonly volumes: Record<string, unknown>[];
  /** Envoy command-line arguments that make its own drain agree with the mechanism. */
  readonly envoyArgs: string[];
  /** What the mechanism does, for the self-check. */
  readonly model: DrainModel;
}

/** Options of the admin-script mechanisms. */
export interface AdminScriptDrainOptions {
  /**
   * How often the script polls the connection count once the listeners drain.
   * @default Duration.seconds(1)
   */
  readonly pollInterval?: DurationLike;
}

/** Options of {@link GatewayDrain.envoyGatewayShutdownManager}. */
export interface ShutdownManagerDrainOptions {
  /**
   * The Envoy Gateway image whose `envoy-gateway` binary runs the shutdown manager.
   * @default 'docker.io/envoyproxy/gateway:v1.5.0'
   */
  readonly image?: string;
}

/**
 * Envoy Gateway's shutdown manager: `envoy-gateway envoy shutdown-manager` serves
 * `/shutdown/ready` on port 19002; its container's preStop runs `envoy-gateway envoy shutdown
 * --drain-timeout --min-drain-duration`, which POSTs `/healthcheck/fail` and
 * `/drain_listeners?graceful&skip_exit` to the admin at 127.0.0.1:19000 (a fixed address), waits
 * `min-drain-duration`, then polls `server.total_connections` until 0 or `drain-timeout` (counted
 * from the start), and writes `/tmp/shutdown-ready`, which releases the Envoy container's preStop
 * httpGet. `skip_exit` keeps the listeners open: new connections are served to the end.
 * @see https://github.com/envoyproxy/gateway/blob/main/internal/cmd/envoy/shutdown_manager.go
 * @see https://gateway.envoyproxy.io/docs/tasks/operations/graceful-shutdown/
 */
export const ENVOY_GATEWAY_SHUTDOWN_MANAGER = {
  port: 19002,
  readyPath: '/shutdown/ready',
  healthPath: '/healthz',
  adminPort: 19000,
  defaultImage: 'docker.io/envoyproxy/gateway:v1.5.0',
} as const;

type Kind = { readonly type: 'admin-script'; readonly client: AdminClient; readonly pollSeconds: number } | { readonly type: 'shutdown-manager'; readonly image: string };

/**
 * How a gateway pod drains when it is told to stop. Every mechanism fails Envoy's health check,
 * keeps serving for the load balancer's detection window, then waits for connections to close;
 * they differ in what must be in the image.
 */
export class GatewayDrain {
  /**
   * A bash preStop script that speaks HTTP to the admin API over `/dev/tcp`: works with the
   * official `envoyproxy/envoy` image, which has bash but neither curl nor wget.
   */
  public static bashAdminScript(options: AdminScriptDrainOptions = {}): GatewayDrain {
    return new GatewayDrain({ type: 'admin-script', client: 'bash', pollSeconds: pollSeconds(options) });
  }

  /** The same script with `wget` under `/bin/sh` (BusyBox or GNU), for images that ship it (e.g. Gloo's Envoy). */
  public static wgetAdminScript(options: AdminScriptDrainOptions = {}): GatewayDrain {
    return new GatewayDrain({ type: 'admin-script', client: 'wget', pollSeconds: pollSeconds(options) });
  }

  /** The same script with `curl` under `/bin/sh`, for images that ship it. */
  public static curlAdminScript(options: AdminScriptDrainOptions = {}): GatewayDrain {
    return new GatewayDrain({ type: 'admin-script', client: 'curl', pollSeconds: pollSeconds(options) });
  }

  /**
   * Envoy Gateway's shutdown-manager sidecar, reached by a preStop httpGet: for images with no
   * shell at all (`envoyproxy/envoy:distroless-*`). Its admin address is fixed, so the gateway's
   * admin port must be 19000.
   */
  public static envoyGatewayShutdownManager(options: ShutdownManagerDrainOptions = {}): GatewayDrain {
    return new GatewayDrain({ type: 'shutdown-manager', image: options.image ?? ENVOY_GATEWAY_SHUTDOWN_MANAGER.defaultImage });
  }

  private constructor(private readonly kind: Kind) {}

  /** `admin-script` or `shutdown-manager`. */
  public get type(): Kind['type'] {
    return this.kind.type;
  }

  /** How the mechanism was made, for messages: `GatewayDrain.wgetAdminScript()`. */
  public get name(): string {
    if (this.kind.type === 'shutdown-manager') return 'GatewayDrain.envoyGatewayShutdownManager()';
    return `GatewayDrain.${this.kind.client}AdminScript()`;
  }

  /** What must be in the Envoy image for the mechanism to run there (the shutdown manager brings its own). */
  public get imageTools(): ImageTool[] {
    if (this.kind.type === 'shutdown-manager') return [];
    return this.kind.client === 'bash' ? ['bash', 'sleep'] : ['sh', this.kind.client, 'sleep'];
  }

  /**
   * Throws when `image` is known to lack what the mechanism runs, naming both: a preStop whose
   * interpreter or client is missing never fails the health check, and the pod is cut at once.
   */
  public assertRunsIn(image: string): void {
    const missing = missingTools(image, this.imageTools);
    if (missing.length === 0) return;
    const known = knownImage(image)!;
    const instead = known.tools.includes('bash') ? 'GatewayDrain.bashAdminScript()'
      : known.tools.includes('wget') ? 'GatewayDrain.wgetAdminScript()'
        : known.tools.includes('curl') ? 'GatewayDrain.curlAdminScript()'
          : 'GatewayDrain.envoyGatewayShutdownManager(), which runs in its own container';
    throw new Error(`'drain' (${this.name}) cannot run in 'image' (${image}): it needs ${missing.join(' and ')}, which ${known.description} lacks; use ${instead}, or an image that has ${missing.join(' and ')}`);
  }

  /** The admin port the mechanism insists on, when it cannot be told another. */
  public get requiredAdminPort(): number | undefined {
    return this.kind.type === 'shutdown-manager' ? ENVOY_GATEWAY_SHUTDOWN_MANAGER.adminPort : undefined;
  }

  /** The pod pieces for one gateway. */
  public render(context: DrainContext): RenderedDrain {
    const keep = context.keepServingSeconds;
    const drain = context.drainTimeoutSeconds;
    const model: DrainModel = {
      mechanism: this.kind.type === 'admin-script' ? 'fail-then-wait' : 'shutdown-manager',
      failsHealthCheck: true,
      keepServingSeconds: keep,
      drainSeconds: drain,
      // Every listener is drain_type DEFAULT: once the health check fails, responses close their connections.
      drainsConnections: true,
      // Envoy Gateway's shutdown manager polls every second and ends the drain once past min drain with no connection open.
      ...(this.kind.type === 'shutdown-manager' ? { endsWhenIdle: { earliestSeconds: keep, latestSeconds: keep + drain, pollSeconds: 1 } } : {}),
      description: this.kind.type === 'admin-script'
        ? `admin API script (${this.kind.client}): /healthcheck/fail, serve ${keep}s, /drain_listeners?graceful, wait up to ${drain}s for connections`
        : `Envoy Gateway shutdown manager: min drain ${keep}s, drain timeout ${keep + drain}s`,
    };
    if (this.kind.type === 'admin-script') {
      const script = adminDrainScript({ client: this.kind.client, adminPort: context.adminPort, keepServingSeconds: keep, drainTimeoutSeconds: drain, pollSeconds: this.kind.pollSeconds });
      return {
        preStop: { exec: { command: [drainScriptShell(this.kind.client), '-c', script] } },
        sidecars: [],
        volumes: [],
        // The listener drain starts after the keep-serving window and lasts the drain timeout:
        // Envoy stops the listeners only when the preStop is over anyway. Immediate: all
        // connections are discouraged at once (as the failed health check already does on
        // DEFAULT listeners) instead of a ramp that would leave some undrained at the end.
        envoyArgs: ['--drain-time-s', String(drain), '--drain-strategy', 'immediate'],
        model,
      };
    }
    const manager = ENVOY_GATEWAY_SHUTDOWN_MANAGER;
    const total = keep + drain;
    const probe = { httpGet: { path: manager.healthPath, port: manager.port }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 };
    return {
      preStop: { httpGet: { path: manager.readyPath, port: manager.port } },
      sidecars: [{
        name: 'shutdown-manager',
        image: this.kind.image,
        command: ['envoy-gateway'],
        // The ready handler gives up after --ready-timeout; it must outlast the whole drain.
        args: ['envoy', 'shutdown-manager', `--ready-timeout=${total + context.marginSeconds}s`],
        lifecycle: { preStop: { exec: { command: ['envoy-gateway', 'envoy', 'shutdown', `--drain-timeout=${total}s`, `--min-drain-duration=${keep}s`] } } },
        readinessProbe: probe,
        livenessProbe: { ...probe },
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
        securityContext: restrictedSecurityContext(),
        // The shutdown command and the ready handler meet through /tmp/shutdown-ready.
        volumeMounts: [{ name: 'shutdown-manager-tmp', mountPath: '/tmp' }],
      }],
      volumes: [{ name: 'shutdown-manager-tmp', emptyDir: {} }],
      // The shutdown manager starts the graceful drain together with the health-check failure
      // and never lets Envoy stop the listeners (skip_exit): the drain period spans the whole
      // preStop.
      envoyArgs: ['--drain-time-s', String(total), '--drain-strategy', 'immediate'],
      model,
    };
  }
}

function pollSeconds(options: AdminScriptDrainOptions): number {
  const interval = asDuration(options.pollInterval ?? Duration.seconds(1));
  const seconds = interval.toSeconds();
  // Printed as core's Duration: a cdk8s Duration has no text form of its own.
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`'pollInterval' (${interval}) must be a whole number of seconds, at least 1s`);
  return checkSecondsAtMost('pollInterval', seconds);
}
