import { DrainModel } from '../../core/model';
import { Json } from '../fields';
import { basename } from '../shell-script';
import { findShutdownCommand, mayBePort, sidecarFlagSeconds } from './shutdown-manager';

/** Envoy Gateway's `envoy shutdown` defaults. @see https://gateway.envoyproxy.io/latest/tasks/operations/graceful-shutdown */
export const ENVOY_GATEWAY_DEFAULT_DRAIN_TIMEOUT_SECONDS = 60;
export const ENVOY_GATEWAY_DEFAULT_MIN_DRAIN_SECONDS = 10;
export const ENVOY_GATEWAY_SHUTDOWN_PORT = 19002;
export const ENVOY_GATEWAY_SHUTDOWN_READY_PATH = '/shutdown/ready';

/**
 * Envoy Gateway's shutdown manager: Envoy's preStop is an httpGet of `/shutdown/ready` on 19002,
 * answered once the sidecar's `envoy shutdown --drain-timeout --min-drain-duration` is done.
 * Undefined when the httpGet is not that one.
 */
export function readEnvoyGatewayShutdown(path: string, port: unknown, siblings: Json[]): DrainModel | undefined {
  if (path !== ENVOY_GATEWAY_SHUTDOWN_READY_PATH || !(port === undefined || mayBePort(port, ENVOY_GATEWAY_SHUTDOWN_PORT))) return undefined;
  const sidecar = findShutdownCommand(siblings, (words) => words.includes('shutdown') && words.includes('envoy') && !words.some((word) => basename(word) === 'contour'));
  const drainTimeout = sidecarFlagSeconds(sidecar, '--drain-timeout') ?? ENVOY_GATEWAY_DEFAULT_DRAIN_TIMEOUT_SECONDS;
  const minDrain = sidecarFlagSeconds(sidecar, '--min-drain-duration') ?? ENVOY_GATEWAY_DEFAULT_MIN_DRAIN_SECONDS;
  // internal/cmd/envoy/shutdown_manager.go: with a delay, drain_listeners?graceful&skip_exit first, /healthcheck/fail after it.
  const failureDelay = sidecarFlagSeconds(sidecar, '--health-check-failure-delay') ?? 0;
  return {
    ...(failureDelay > 0 ? { failsHealthCheckAfterSeconds: Math.min(failureDelay, drainTimeout) } : {}),
    // Polls every second; exits once past min drain with no connection open, or at the drain timeout.
    endsWhenIdle: { earliestSeconds: Math.min(minDrain, drainTimeout), latestSeconds: drainTimeout, pollSeconds: 1 },
    mechanism: 'shutdown-manager',
    failsHealthCheck: true,
    keepServingSeconds: Math.min(minDrain, drainTimeout),
    drainSeconds: Math.max(0, drainTimeout - minDrain),
    drainsConnections: true,
    description: `Envoy Gateway shutdown manager (fails the health check at ${failureDelay}s; listeners open until exit, between min drain ${minDrain}s and drain timeout ${drainTimeout}s, once no connection is open${sidecar ? '' : '; defaults'})`,
  };
}
