import { basename } from '../shell-script';
import { flagSeconds, StopCommandReader } from './stop-command';

/**
 * `kong quit`, Kong's graceful stop. Read from Kong/kong kong/cmd/quit.lua: it waits `--wait`
 * (`-w`, default 0) seconds with nginx still serving, then sends SIGQUIT to nginx (which closes
 * its listeners at once and finishes requests in flight), and stops nginx forcefully after
 * `--timeout` (`-t`, default 10, at least 1) seconds.
 */
export const KONG_QUIT_DEFAULT_TIMEOUT_SECONDS = 10;

export const readKongQuit: StopCommandReader = ({ words }) => {
  if (words.length < 2 || basename(words[0]) !== 'kong' || words[1] !== 'quit') return undefined;
  const args = words.slice(2);
  const wait = Math.max(0, flagSeconds(args, ['--wait', '-w']) ?? 0);
  const timeout = Math.max(1, flagSeconds(args, ['--timeout', '-t']) ?? KONG_QUIT_DEFAULT_TIMEOUT_SECONDS);
  return {
    keepAcceptingSeconds: wait,
    finishSeconds: timeout,
    closesIdleConnections: true,
    description: `kong quit: accepts for --wait ${wait}s, then SIGQUIT closes nginx's listeners; forced stop after --timeout ${timeout}s`,
  };
};

/**
 * `nginx -s quit` (graceful: listeners closed at once, in-flight finished, bounded only by
 * `worker_shutdown_timeout`) and `nginx -s stop` (fast: everything closed at once).
 * @see https://nginx.org/en/docs/control.html
 */
export const readNginxSignal: StopCommandReader = ({ words }) => {
  if (words.length < 3 || basename(words[0]) !== 'nginx') return undefined;
  const index = words.indexOf('-s');
  const signal = index >= 0 ? words[index + 1] : undefined;
  if (signal !== 'quit' && signal !== 'stop') return undefined;
  return {
    keepAcceptingSeconds: 0,
    finishSeconds: 0,
    closesIdleConnections: signal === 'quit',
    description: signal === 'quit' ? 'nginx -s quit: listeners closed at once, requests in flight finished' : 'nginx -s stop: stops at once',
  };
};
