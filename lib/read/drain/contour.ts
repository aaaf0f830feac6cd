import { DrainModel } from '../../core/model';
import { Json } from '../fields';
import { basename } from '../shell-script';
import { findShutdownCommand, mayBePort, sidecarFlagSeconds } from './shutdown-manager';

/** Contour's shutdown-manager endpoint. @see https://projectcontour.io/docs/main/redeploy-envoy/ */
export const CONTOUR_SHUTDOWN_PORT = 8090;
export const CONTOUR_SHUTDOWN_PATH = '/shutdown';
/** `contour envoy shutdown --check-interval` default (cmd/contour/shutdownmanager.go newShutdownContext). */
export const CONTOUR_CHECK_INTERVAL_SECONDS = 5;

/**
 * Contour's shutdown manager: Envoy's preStop is an httpGet of `/shutdown` on 8090, answered once
 * the sidecar's `contour envoy shutdown --drain-delay --check-delay` sees no connection open.
 * Undefined when the httpGet is not that one.
 */
export function readContourShutdown(path: string, port: unknown, siblings: Json[]): DrainModel | undefined {
  if (path !== CONTOUR_SHUTDOWN_PATH || !mayBePort(port, CONTOUR_SHUTDOWN_PORT)) return undefined;
  const sidecar = findShutdownCommand(siblings, (words) => words.includes('shutdown') && words.some((word) => basename(word) === 'contour' || word === 'envoy'));
  const checkDelay = sidecarFlagSeconds(sidecar, '--check-delay') ?? 0;
  const drainDelay = sidecarFlagSeconds(sidecar, '--drain-delay') ?? 0;
  // cmd/contour/shutdownmanager.go: sleep --drain-delay, fail the health check, sleep --check-delay,
  // then poll downstream_cx_active every --check-interval (5 s) until it reaches --min-open-connections (0);
  // Envoy's preStop (httpGet /shutdown) waits for that, bounded only by terminationGracePeriodSeconds.
  const checkInterval = sidecarFlagSeconds(sidecar, '--check-interval') ?? CONTOUR_CHECK_INTERVAL_SECONDS;
  return {
    ...(drainDelay > 0 ? { failsHealthCheckAfterSeconds: drainDelay } : {}),
    endsWhenIdle: { earliestSeconds: checkDelay + drainDelay, pollSeconds: checkInterval },
    mechanism: 'shutdown-manager',
    failsHealthCheck: true,
    keepServingSeconds: checkDelay + drainDelay,
    drainSeconds: 0,
    drainsConnections: true,
    description: `Contour shutdown manager (drain delay ${drainDelay}s, then fails the health check; check delay ${checkDelay}s, then polls every ${checkInterval}s until no connection is open, up to the grace period)`,
  };
}
