import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ADMIN_TIMEOUT_SECONDS, AdminClient, adminDrainScript, drainScriptShell, parseAdminDrainScript } from '../../../lib/core/gateway/drain-script';

/**
 * The drain script is run for real, with the shell it is written for, against a fake Envoy admin
 * on a loopback port: a raw TCP server that answers the way Envoy's admin does (HTTP/1.1,
 * `Connection: close`), so the bash `/dev/tcp` client is exercised byte for byte.
 */

interface AdminRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

interface FakeAdmin {
  readonly port: number;
  readonly requests: AdminRequest[];
  close(): Promise<void>;
}

interface FakeAdminBehaviour {
  /** Value of server.total_connections for the n-th stats request (0-based). */
  connections(poll: number): number | undefined;
  /** Send the stats body chunked, as Envoy streams it. */
  readonly chunked?: boolean;
}

function startFakeAdmin(behaviour: FakeAdminBehaviour): Promise<FakeAdmin> {
  const requests: AdminRequest[] = [];
  let polls = 0;
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('data', (data) => {
      buffered += data.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [method, target] = buffered.slice(0, buffered.indexOf('\r\n')).split(' ');
      requests.push({ method, path: target, at: Date.now() });
      let status = '200 OK';
      let body = 'OK\n';
      if (target.startsWith('/stats')) {
        const value = behaviour.connections(polls++);
        body = value === undefined ? '' : `server.total_connections: ${value}\n`;
        if (method !== 'GET') status = '405 Method Not Allowed';
      } else if (target === '/healthcheck/fail' || target.startsWith('/drain_listeners')) {
        // Envoy's admin refuses mutating endpoints on GET.
        if (method !== 'POST') status = '405 Method Not Allowed';
      } else {
        status = '404 Not Found';
      }
      const head = `HTTP/1.1 ${status}\r\ncontent-type: text/plain; charset=UTF-8\r\nconnection: close\r\n`;
      if (behaviour.chunked && target.startsWith('/stats')) {
        socket.end(`${head}transfer-encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
      } else {
        socket.end(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, requests, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

// The scripts run in real time: on a shared machine a test may wait far longer than it sleeps.
jest.setTimeout(60_000);

let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-drain-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

function runScript(script: string, client: AdminClient): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(drainScriptShell(client), ['-c', script], { timeout: 30_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
    });
  });
}

function available(binary: string): boolean {
  try {
    execFileSync('/bin/sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const clients: AdminClient[] = ['bash', 'wget', 'curl'];

describe.each(clients)('drain script with %s', (client) => {
  const runnable = available(client === 'bash' ? 'bash' : client);
  const maybe = runnable ? it : it.skip;
  if (!runnable) it.skip(`(skipped: ${client} is not installed here)`, () => undefined);

  maybe('fails the health check, keeps serving, drains the listeners, then waits for connections to reach zero', async () => {
    const admin = await startFakeAdmin({ connections: (poll) => Math.max(0, 2 - poll) });
    const log = path.join(scratch, `${client}-order.log`);
    try {
      const script = adminDrainScript({ client, adminPort: admin.port, keepServingSeconds: 1, drainTimeoutSeconds: 20, logTo: log });
      const startedAt = Date.now();
      const result = await runScript(script, client);
      expect(result).toEqual({ code: 0, stderr: '' });
      const calls = admin.requests.map((request) => `${request.method} ${request.path}`);
      expect(calls.slice(0, 2)).toEqual(['POST /healthcheck/fail', 'POST /drain_listeners?graceful']);
      expect(calls.slice(2)).toEqual(Array(3).fill('GET /stats?filter=server.total_connections'));
      // The listeners are drained only after the keep-serving window. Counted from the start of the
      // script, since a busy machine may hold the fake admin's first arrival back until the second:
      // a late arrival only lengthens this interval, so it never fails for load.
      expect(admin.requests[1].at - startedAt).toBeGreaterThanOrEqual(900);
      expect(fs.readFileSync(log, 'utf8')).toContain('hitless-drain: no connection left');
    } finally {
      await admin.close();
    }
  }, 20_000);

  maybe('gives up at the drain timeout when connections stay open', async () => {
    const admin = await startFakeAdmin({ connections: () => 7 });
    const log = path.join(scratch, `${client}-timeout.log`);
    try {
      const script = adminDrainScript({ client, adminPort: admin.port, keepServingSeconds: 0, drainTimeoutSeconds: 2, logTo: log });
      const result = await runScript(script, client);
      expect(result.code).toBe(0);
      const polls = admin.requests.filter((request) => request.path.startsWith('/stats'));
      expect(polls.length).toBeGreaterThanOrEqual(1);
      expect(fs.readFileSync(log, 'utf8')).toContain('drain timeout reached with 7 connections open');
    } finally {
      await admin.close();
    }
  });

  maybe('reads the gauge from a chunked response', async () => {
    const admin = await startFakeAdmin({ connections: () => 0, chunked: true });
    try {
      const script = adminDrainScript({ client, adminPort: admin.port, keepServingSeconds: 0, drainTimeoutSeconds: 20, logTo: path.join(scratch, `${client}-chunked.log`) });
      const result = await runScript(script, client);
      expect(result.code).toBe(0);
      expect(admin.requests.filter((request) => request.path.startsWith('/stats'))).toHaveLength(1);
    } finally {
      await admin.close();
    }
  });

  maybe('keeps waiting, without failing, when the stat is missing', async () => {
    const admin = await startFakeAdmin({ connections: () => undefined });
    const log = path.join(scratch, `${client}-missing.log`);
    try {
      const script = adminDrainScript({ client, adminPort: admin.port, keepServingSeconds: 0, drainTimeoutSeconds: 2, logTo: log });
      const result = await runScript(script, client);
      expect(result.code).toBe(0);
      expect(fs.readFileSync(log, 'utf8')).toContain('drain timeout reached with unknown connections open');
    } finally {
      await admin.close();
    }
  });

  maybe('ends within the drain deadline plus one admin timeout when the admin accepts and never answers', async () => {
    const sockets: net.Socket[] = [];
    const wedged = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => wedged.listen(0, '127.0.0.1', () => resolve()));
    const port = (wedged.address() as net.AddressInfo).port;
    const log = path.join(scratch, `${client}-wedged.log`);
    const script = adminDrainScript({ client, adminPort: port, keepServingSeconds: 2, drainTimeoutSeconds: 3, logTo: log });
    const started = Date.now();
    const result = await runScript(script, client);
    const seconds = (Date.now() - started) / 1000;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => wedged.close(() => resolve()));
    // The drain could not start: the kubelet must hear of it.
    expect(result.code).toBe(1);
    // The grace period's margin past keep-serving + drain must cover this overrun.
    // 3 s of slack for a loaded machine; a deadline counted from each call instead (the old script) overran by 15 s.
    expect(seconds).toBeLessThanOrEqual(2 + 3 + ADMIN_TIMEOUT_SECONDS + 3);
    expect(fs.readFileSync(log, 'utf8')).toContain('POST /healthcheck/fail did not succeed');
  }, 30_000);

  maybe('completes when nothing listens on the admin port', async () => {
    const admin = await startFakeAdmin({ connections: () => 0 });
    await admin.close();
    const log = path.join(scratch, `${client}-closed.log`);
    const script = adminDrainScript({ client, adminPort: admin.port, keepServingSeconds: 0, drainTimeoutSeconds: 1, logTo: log });
    const result = await runScript(script, client);
    expect(result.code).toBe(1);
    expect(fs.readFileSync(log, 'utf8')).toContain('POST /healthcheck/fail did not succeed: the drain could not start');
  });

  maybe('bounds each admin call as a whole: an admin that answers a header every 1.5 s cannot hold the drain', async () => {
    const timers: NodeJS.Timeout[] = [];
    const sockets: net.Socket[] = [];
    const trickle = net.createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => socket.write('x-slow: 1\r\n'), 1500);
        timers.push(timer);
      });
    });
    await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', () => resolve()));
    const port = (trickle.address() as net.AddressInfo).port;
    const log = path.join(scratch, `${client}-trickle.log`);
    const script = adminDrainScript({ client, adminPort: port, keepServingSeconds: 1, drainTimeoutSeconds: 2, logTo: log });
    const started = Date.now();
    const result = await runScript(script, client);
    const seconds = (Date.now() - started) / 1000;
    timers.forEach((timer) => clearInterval(timer));
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => trickle.close(() => resolve()));
    // Two fail attempts may each take the admin timeout before the keep-serving deadline is counted; then the drain deadline plus one call.
    expect(seconds).toBeLessThanOrEqual(2 * ADMIN_TIMEOUT_SECONDS + 2 + ADMIN_TIMEOUT_SECONDS + 3);
    expect(result.code).toBe(1);
  }, 30_000);
});

describe('drain script with a BusyBox-like wget', () => {
  // BusyBox wget takes neither -t nor (when built without FEATURE_WGET_TIMEOUT) -T: a wrapper
  // that refuses them, as BusyBox does, in front of the real wget.
  const maybe = available('wget') ? it : it.skip;
  maybe('drains with a wget that accepts only -q, -O and --post-data', async () => {
    const bin = fs.mkdtempSync(path.join(scratch, 'busybox-'));
    const real = execFileSync('/bin/sh', ['-c', 'command -v wget']).toString().trim();
    fs.writeFileSync(path.join(bin, 'wget'), `#!/bin/sh\nfor arg in "$@"; do case "$arg" in -t|-T|-t*|-T*|--tries*|--timeout*) echo "wget: unrecognized option '$arg'" >&2; exit 1;; esac; done\nexec ${real} "$@"\n`, { mode: 0o755 });
    const admin = await startFakeAdmin({ connections: (poll) => Math.max(0, 1 - poll) });
    const log = path.join(scratch, 'busybox-wget.log');
    try {
      const script = adminDrainScript({ client: 'wget', adminPort: admin.port, keepServingSeconds: 0, drainTimeoutSeconds: 10, logTo: log });
      const result = await new Promise<number>((resolve) => {
        execFile('/bin/sh', ['-c', script], { timeout: 30_000, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }, (error) => resolve(error ? Number(error.code) : 0));
      });
      expect(result).toBe(0);
      expect(admin.requests.map((request) => `${request.method} ${request.path}`).slice(0, 2)).toEqual(['POST /healthcheck/fail', 'POST /drain_listeners?graceful']);
      expect(fs.readFileSync(log, 'utf8')).toContain('no connection left');
    } finally {
      await admin.close();
    }
  });
});

describe('adminDrainScript', () => {
  it('states its timings as plain assignments a reader can find', () => {
    const script = adminDrainScript({ client: 'bash', adminPort: 9901, keepServingSeconds: 31, drainTimeoutSeconds: 30 });
    expect(script).toMatch(/^keep_serving=31$/m);
    expect(script).toMatch(/^drain_timeout=30$/m);
    expect(script).toMatch(/^admin_port=9901$/m);
    expect(script).toContain('/dev/tcp/');
    expect(script).not.toMatch(/<<|curl|wget/);
  });

  it('rejects fractional or negative seconds, naming the prop', () => {
    expect(() => adminDrainScript({ client: 'bash', adminPort: 9901, keepServingSeconds: 1.5, drainTimeoutSeconds: 30 })).toThrow("'keepServingSeconds' (1.5) must be a whole number of seconds");
    expect(() => adminDrainScript({ client: 'bash', adminPort: 9901, keepServingSeconds: 1, drainTimeoutSeconds: -1 })).toThrow("'drainTimeoutSeconds' (-1)");
    expect(() => adminDrainScript({ client: 'curl', adminPort: 0, keepServingSeconds: 1, drainTimeoutSeconds: 1 })).toThrow("'adminPort' (0)");
  });

  it('is recognized by parseAdminDrainScript only when unedited', () => {
    const options = { client: 'curl' as const, adminPort: 19000, keepServingSeconds: 22, drainTimeoutSeconds: 45, pollSeconds: 2 };
    const script = adminDrainScript(options);
    expect(parseAdminDrainScript(script)).toEqual({ ...options, adminHost: '127.0.0.1', logTo: '/proc/1/fd/1' });
    expect(parseAdminDrainScript(script.replace('sleep "$left"', 'sleep 1'))).toBeUndefined();
    expect(parseAdminDrainScript(script.replace('keep_serving=22', 'keep_serving=2'))).toBeUndefined();
    expect(parseAdminDrainScript('sleep 5')).toBeUndefined();
  });
});
