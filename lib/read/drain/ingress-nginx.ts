import { basename } from '../shell-script';
import { containerWords, flagSeconds, StopCommandReader } from './stop-command';

/**
 * ingress-nginx's `/wait-shutdown` preStop. Read from kubernetes/ingress-nginx:
 * - cmd/waitshutdown/main.go: `pkill -SIGTERM -f nginx-ingress-controller`, then waits (polling
 *   every second) until nginx is no longer running;
 * - internal/ingress/controller/nginx.go `Stop()`: sets `isShuttingDown` (so `/healthz`, the
 *   readiness endpoint, fails at once: checker.go), sleeps `--shutdown-grace-period`, then runs
 *   `nginx -s quit`, which closes the listening sockets at once and lets workers finish what they
 *   have, up to `worker-shutdown-timeout`;
 * - pkg/flags/flags.go: `--shutdown-grace-period` defaults to 0 (PR #5855 added it so that the
 *   load balancer can notice before nginx stops accepting); `--post-shutdown-grace-period`
 *   (default 10) only delays the controller's exit after nginx is gone;
 * - internal/ingress/controller/config/config.go: `worker-shutdown-timeout` defaults to 240s.
 */
export const INGRESS_NGINX_DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS = 0;
export const INGRESS_NGINX_DEFAULT_WORKER_SHUTDOWN_TIMEOUT_SECONDS = 240;

export const readIngressNginxWaitShutdown: StopCommandReader = ({ words, container }) => {
  if (words.length !== 1 || basename(words[0]) !== 'wait-shutdown') return undefined;
  const args = containerWords(container);
  const grace = flagSeconds(args, ['--shutdown-grace-period']) ?? INGRESS_NGINX_DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS;
  const stated = args.some((word) => word.startsWith('--shutdown-grace-period'));
  return {
    keepAcceptingSeconds: grace,
    finishSeconds: INGRESS_NGINX_DEFAULT_WORKER_SHUTDOWN_TIMEOUT_SECONDS,
    closesIdleConnections: true,
    // checker.go: `/healthz` fails once isShuttingDown is set.
    readinessFailsOn: '/healthz',
    description: `ingress-nginx /wait-shutdown: SIGTERM to the controller, --shutdown-grace-period ${grace}s${stated ? '' : ' (default)'} of accepting, then nginx -s quit closes the listeners and finishes in flight (worker-shutdown-timeout 240s by default)`,
  };
};
