/**
 * The preStop script that drains an Envoy gateway through its admin API. Envoy exits at once on
 * SIGTERM (envoy#7841), so everything graceful happens here, before the kubelet sends it:
 *
 * 1. `POST /healthcheck/fail`: the health check filter answers 503, so the load balancer starts
 *    counting failures; on `drain_type: DEFAULT` listeners every response now carries
 *    `Connection: close` (HTTP/2: GOAWAY), so clients reconnect, through the load balancer,
 *    somewhere else once it has noticed. The listeners keep accepting.
 * 2. Keep serving for `keepServingSeconds`: the load balancer's detection window plus margin
 *    (from the solver); connections it still opens in that window are served.
 * 3. `POST /drain_listeners?graceful`: Envoy's drain sequence runs for `--drain-time-s` (set to the
 *    drain timeout), discouraging every connection, and only then stops the listeners. So late
 *    connections are still served, never refused, until the very end of the preStop.
 * 4. Poll `server.total_connections` (downstream connections of all listeners; the admin's own
 *    connection is not counted: admin runs on the main thread, the gauge sums the workers) until
 *    it is 0 or the drain timeout has passed, then return: the kubelet sends SIGTERM.
 *
 * The script speaks HTTP/1.1 to the admin through a small `admin` function, one per client:
 * bash's `/dev/tcp` (the official `envoyproxy/envoy` image has bash but neither curl nor wget),
 * wget, or curl. It writes no file (here-documents would need a writable /tmp; the root
 * filesystem is read-only) and logs to the container's stdout through `/proc/1/fd/1`, where
 * `kubectl logs` shows it.
 *
 * @see https://www.envoyproxy.io/docs/envoy/latest/operations/admin#post--healthcheck-fail
 * @see https://www.envoyproxy.io/docs/envoy/latest/operations/admin#post--drain_listeners
 * @see https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/statistics
 */

import { checkSecondsAtMost } from '../prop-bounds';

/** How the script reaches the admin API. */
export type AdminClient = 'bash' | 'wget' | 'curl';

/** The gauge the drain waits on. */
export const TOTAL_CONNECTIONS_STAT = 'server.total_connections';

/** Inputs of {@link adminDrainScript}. */
export interface AdminDrainScriptOptions {
  readonly client: AdminClient;
  /** Envoy admin port on 127.0.0.1. */
  readonly adminPort: number;
  /** Seconds between failing the health check and starting the listener drain. */
  readonly keepServingSeconds: number;
  /** Longest wait, after the listener drain starts, for connections to reach zero. */
  readonly drainTimeoutSeconds: number;
  /**
   * Seconds between two polls of the connection count.
   * @default 1
   */
  readonly pollSeconds?: number;
  /**
   * Where the script logs.
   * @default '/proc/1/fd/1' (the container's stdout)
   */
  readonly logTo?: string;
  /**
   * Admin host; tests point it at a fake admin.
   * @default '127.0.0.1'
   */
  readonly adminHost?: string;
}

/** The shell each client's script runs under. */
export function drainScriptShell(client: AdminClient): string {
  return client === 'bash' ? '/bin/bash' : '/bin/sh';
}

function wholeSeconds(prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new Error(`'${prop}' (${value}) must be a whole number of seconds, 0 or more`);
  return checkSecondsAtMost(prop, value);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * `admin METHOD PATH`: prints the response body; returns 0 on a 2xx answer, 1 otherwise.
 *
 * Each call has one overall deadline, `admin_timeout` seconds. No client is trusted with its own:
 * bash's `read -t` bounds one read, not the call (an admin that sends a byte every second holds
 * it forever), and BusyBox wget has no `-t` and may lack `-T` (built without
 * FEATURE_WGET_TIMEOUT it rejects it, and the drain silently becomes a sleep). So the call runs in
 * the background, as the very process `$!` names (the client itself, or for bash the subshell
 * that holds the socket), and a watchdog kills it when the deadline passes. The watchdog's output
 * goes to /dev/null so a `$(admin ...)` returns when the call ends, not when the watchdog's sleep
 * does. Plain POSIX sh: dash, BusyBox ash and bash alike.
 *
 * Bash speaks HTTP/1.1 over /dev/tcp with `Connection: close`, so the body ends at EOF
 * (chunk-size lines of a chunked body are harmless to the parsing below: it looks for the stat's
 * own line). wget is given only what BusyBox and GNU wget both take (`-q`, `-O -`,
 * `--post-data`); both exit non-zero on a non-2xx answer, as does `curl -f`.
 */
function adminFunction(client: AdminClient): string {
  const watch = [
    '  call=$!',
    '  ( sleep "$admin_timeout"; kill "$call" ) >/dev/null 2>&1 &',
    '  watchdog=$!',
    '  wait "$call"',
    '  answer=$?',
    '  kill "$watchdog" 2>/dev/null',
    '  return $answer',
    '}',
  ];
  switch (client) {
    case 'bash':
      return [
        'admin_call() {',
        '  local status line body=""',
        '  { exec 3<>"/dev/tcp/${admin_host}/${admin_port}"; } 2>/dev/null || return 1',
        '  printf \'%s %s HTTP/1.1\\r\\nHost: %s\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n\' "$1" "$2" "$admin_host" >&3',
        '  if ! IFS= read -r status <&3; then exec 3<&-; return 1; fi',
        '  status=${status#* }; status=${status%% *}',
        '  while IFS= read -r line <&3; do line=${line%$\'\\r\'}; [ -z "$line" ] && break; done',
        '  while IFS= read -r line <&3 || [ -n "$line" ]; do body="$body${line%$\'\\r\'}',
        '"; line=""; done',
        '  exec 3<&-',
        '  printf \'%s\' "$body"',
        '  case $status in 2??) return 0 ;; *) return 1 ;; esac',
        '}',
        'admin() {',
        '  admin_call "$@" &',
        ...watch,
      ].join('\n');
    case 'wget':
      return [
        'admin() {',
        '  if [ "$1" = POST ]; then wget -q -O - --post-data= "http://${admin_host}:${admin_port}$2" &',
        '  else wget -q -O - "http://${admin_host}:${admin_port}$2" & fi',
        ...watch,
      ].join('\n');
    case 'curl':
      return [
        'admin() {',
        '  curl -fsS -m "$admin_timeout" -X "$1" "http://${admin_host}:${admin_port}$2" &',
        ...watch,
      ].join('\n');
  }
}

/**
 * The drain script for a preStop `exec` (`[shell, '-c', script]`). The first lines state its
 * timings as plain assignments so a reader of the manifest (and `hitless check`) can tell what
 * it does without running it.
 */
/**
 * How long one admin call may take. Admin answers on loopback in milliseconds; the bound keeps a
 * wedged admin within the grace period's margin past the drain deadline.
 */
export const ADMIN_TIMEOUT_SECONDS = 2;

export function adminDrainScript(options: AdminDrainScriptOptions): string {
  const keepServing = wholeSeconds('keepServingSeconds', options.keepServingSeconds);
  const drainTimeout = wholeSeconds('drainTimeoutSeconds', options.drainTimeoutSeconds);
  const poll = options.pollSeconds ?? 1;
  if (!Number.isInteger(poll) || poll < 1) throw new Error(`'pollSeconds' (${poll}) must be a whole number of seconds, at least 1`);
  checkSecondsAtMost('pollSeconds', poll);
  const port = options.adminPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`'adminPort' (${port}) must be a port number, 1 to 65535`);
  const now = options.client === 'bash' ? 'now() { printf \'%s\' "$SECONDS"; }' : 'now() { date +%s; }';
  return [
    `# hitless gateway drain (${options.client}): fail health check, keep serving ${keepServing}s, drain listeners, wait up to ${drainTimeout}s for connections`,
    `keep_serving=${keepServing}`,
    `drain_timeout=${drainTimeout}`,
    `poll=${poll}`,
    `admin_host=${shellQuote(options.adminHost ?? '127.0.0.1')}`,
    `admin_port=${port}`,
    `admin_timeout=${ADMIN_TIMEOUT_SECONDS}`,
    `log_to=${shellQuote(options.logTo ?? '/proc/1/fd/1')}`,
    'log() { printf \'hitless-drain: %s\\n\' "$*" >>"$log_to" 2>/dev/null || true; }',
    adminFunction(options.client),
    now,
    // Prints the gauge's value; fails when the admin did not answer or the stat is missing.
    'connections() {',
    `  local stats rest`,
    // Unanchored and without escapes: wget percent-encodes '^' and older Envoys do not decode the
    // query; the parsing looks for the stat's own 'name: value' line anyway.
    `  stats=$(admin GET '/stats?filter=${TOTAL_CONNECTIONS_STAT}') || return 1`,
    `  rest=\${stats#*${TOTAL_CONNECTIONS_STAT}: }`,
    '  [ "$rest" = "$stats" ] && return 1',
    '  rest=${rest%%[!0-9]*}',
    '  [ -n "$rest" ] || return 1',
    '  printf \'%s\' "$rest"',
    '}',
    // Every deadline counts from the start of preStop, as terminationGracePeriodSeconds does: a slow
    // or wedged admin must not push the drain past SIGKILL.
    'started=$(now)',
    'log "failing health check; serving new connections for ${keep_serving}s"',
    // One retry: a load balancer that never sees the failure keeps sending until Envoy exits.
    // Exit status 1 (after waiting all the same: the load balancer may still notice the endpoint
    // leave) when the drain could not start, so the kubelet records a FailedPreStopHook event.
    'failed=0',
    'admin POST /healthcheck/fail >/dev/null || admin POST /healthcheck/fail >/dev/null || { failed=1; log "POST /healthcheck/fail did not succeed: the drain could not start; waiting anyway"; }',
    // `date +%s` counts wall-clock seconds, so the start may lie up to a second before `started`
    // says: one second more keeps the serving window whole. Bash's $SECONDS counts from the
    // shell's own start and needs none.
    `left=$(( started + keep_serving${options.client === 'bash' ? '' : ' + 1'} - $(now) ))`,
    '[ "$left" -gt 0 ] && sleep "$left"',
    'log "draining listeners; waiting up to ${drain_timeout}s for connections to close"',
    `admin POST '/drain_listeners?graceful' >/dev/null || { failed=1; log "POST /drain_listeners?graceful did not succeed"; }`,
    'deadline=$(( started + keep_serving + drain_timeout ))',
    'while [ "$(now)" -lt "$deadline" ]; do',
    '  if open=$(connections); then',
    '    [ "$open" -eq 0 ] && { log "no connection left"; exit "$failed"; }',
    '  else',
    '    open=unknown',
    '  fi',
    '  left=$(( deadline - $(now) ))',
    '  [ "$left" -le 0 ] && break',
    '  [ "$left" -lt "$poll" ] && sleep "$left" || sleep "$poll"',
    'done',
    'log "drain timeout reached with ${open:-unknown} connections open"',
    'exit "$failed"',
    '',
  ].join('\n');
}

/**
 * Recognizes a script {@link adminDrainScript} wrote, for readers of manifests: it returns the
 * options only when the script is exactly what those options produce (so an edited script is
 * not trusted), else undefined.
 */
export function parseAdminDrainScript(script: string): AdminDrainScriptOptions | undefined {
  const header = /^# hitless gateway drain \((bash|wget|curl)\):/.exec(script);
  if (!header) return undefined;
  const number = (name: string) => {
    const match = new RegExp(`^${name}=(\\d+)$`, 'm').exec(script);
    return match ? Number(match[1]) : undefined;
  };
  const quoted = (name: string) => {
    const match = new RegExp(`^${name}='([^']*)'$`, 'm').exec(script);
    return match ? match[1] : undefined;
  };
  const keepServingSeconds = number('keep_serving');
  const drainTimeoutSeconds = number('drain_timeout');
  const pollSeconds = number('poll');
  const adminPort = number('admin_port');
  const adminHost = quoted('admin_host');
  const logTo = quoted('log_to');
  if ([keepServingSeconds, drainTimeoutSeconds, pollSeconds, adminPort, adminHost, logTo].some((value) => value === undefined)) return undefined;
  const options: AdminDrainScriptOptions = { client: header[1] as AdminClient, keepServingSeconds: keepServingSeconds!, drainTimeoutSeconds: drainTimeoutSeconds!, pollSeconds, adminPort: adminPort!, adminHost, logTo };
  try {
    return adminDrainScript(options) === script ? options : undefined;
  } catch {
    return undefined;
  }
}
