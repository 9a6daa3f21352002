/** Child processes of the embedded services: started, awaited until they serve, stopped cleanly. */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RunningService {
  name: string;
  /** What clients connect to: host:port or a URI. */
  address: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// Whatever happens to the parent, leave no service behind.
process.once('exit', () => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  child?: ChildProcess,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(
        `${what} exited with code ${child.exitCode} before it was ready${logFile ? `; see ${logFile}` : ''}`,
      );
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms${logFile ? `; see ${logFile}` : ''}`);
}

/** Starts a long-running service process with its output in a log file. */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  logDir: string,
  env?: NodeJS.ProcessEnv,
): { child: ChildProcess; logFile: string } {
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', out, out], env: { ...process.env, ...env } });
  fs.closeSync(out);
  running.add(child);
  child.once('exit', () => running.delete(child));
  guard(child);
  return { child, logFile };
}

/**
 * A tiny shell watchdog per service: if this process dies without stopping its services (kill -9,
 * a crashed test runner), the watchdog stops the service, so no stray server survives.
 */
function guard(child: ChildProcess): void {
  if (!child.pid) return;
  const script =
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; ` +
    `if kill -0 ${child.pid} 2>/dev/null; then kill -TERM ${child.pid}; sleep 5; kill -KILL ${child.pid} 2>/dev/null; fi`;
  const w = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  w.unref();
}

/** SIGTERM, then SIGKILL if the process has not exited within the grace period. */
export function stopProcess(child: ChildProcess, graceMs = 10000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
