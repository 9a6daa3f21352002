/** Honest connectivity of each dependency, each probed with its own short deadline. */
import { Connection as TemporalConnection } from '@temporalio/client';
import type { Connection } from 'mongoose';
import net from 'node:net';
import tls from 'node:tls';
import type { Mailer } from '../../lib/mailer';
import { capacityWarning, embeddedStoreCapacity } from '../../config/storeCapacity';

export interface DependencyHealth {
  ok: boolean;
  latencyMs: number;
  error?: string;
}
export interface HealthReport {
  ok: boolean;
  temporal: DependencyHealth;
  mongodb: DependencyHealth;
  smtp: DependencyHealth;
  /** The embedded store's size against the largest tested one; absent on a real MongoDB (MONGODB_URI). */
  store?: StoreCapacity;
}

export interface StoreCapacity {
  documents: number;
  fileBytes: number;
  testedDocuments: number;
  /** Set when the store nears the tested size; names MONGODB_URI. */
  warning?: string;
}

/**
 * Size of the embedded store (its own admin command; a real MongoDB does not know it → undefined). A warning
 * does not turn the health red: everything still works, but the operator must move to MONGODB_URI.
 */
export async function embeddedStoreCapacityOf(db: Connection, timeoutMs = 2000): Promise<StoreCapacity | undefined> {
  if (!db.db) return undefined;
  try {
    // The driver's per-command timeoutMS has no effect (deprecated): the wait is bounded here.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no store status within ${timeoutMs} ms`)), timeoutMs);
    });
    const r = await Promise.race([db.db.admin().command({ warnflowStoreStatus: 1 }), late]).finally(() =>
      clearTimeout(timer),
    );
    const status = { documents: Number(r.documents), fileBytes: Number(r.fileBytes) };
    return { ...status, testedDocuments: embeddedStoreCapacity.testedDocuments, warning: capacityWarning(status) };
  } catch {
    return undefined;
  }
}

async function probe(fn: () => Promise<unknown>, timeoutMs: number): Promise<DependencyHealth> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The SMTP server answers its greeting (220), then QUIT: no EHLO, no login. A /health anyone can call
 * must not open an authenticated session with the mail relay each time (what `mailer.verify()` does).
 */
export function smtpGreeting(mailer: Mailer, timeoutMs: number): Promise<void> {
  const o = (mailer as unknown as { options: { host?: string; port?: number; secure?: boolean } }).options;
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? (o.secure ? 465 : 25);
  return new Promise((resolve, reject) => {
    const socket = o.secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    const done = (err?: Error) => {
      socket.removeAllListeners('data');
      socket.end();
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no SMTP greeting within ${timeoutMs} ms`)));
    socket.once('error', (err: Error) => done(err));
    let buf = '';
    socket.on('data', (chunk: Buffer) => {
      buf += chunk.toString('latin1');
      if (!buf.includes('\n')) return;
      if (buf.startsWith('220')) {
        socket.write('QUIT\r\n');
        done();
      } else done(new Error(`SMTP greeting: ${buf.trim().slice(0, 100)}`));
    });
  });
}

export function createHealthService(deps: {
  temporalAddress: string;
  db: Connection;
  mailer: Mailer;
  timeoutMs?: number;
}) {
  const timeoutMs = deps.timeoutMs ?? 2000;
  // A probe connection of its own without the client's retry interceptor: a probe of a server that
  // is down must fail within its deadline, not leave retries running behind it.
  const probeConnection = TemporalConnection.lazy({
    address: deps.temporalAddress,
    interceptors: [],
    connectTimeout: timeoutMs,
  });
  let inFlight: Promise<HealthReport> | undefined;
  return {
    async close(): Promise<void> {
      await probeConnection.close();
    },
    /** One check at a time: concurrent callers share the one in flight (a burst of /health is one probe of each). */
    check(): Promise<HealthReport> {
      inFlight ??= checkNow().finally(() => (inFlight = undefined));
      return inFlight;
    },
  };
  async function checkNow(): Promise<HealthReport> {
    {
      const [temporal, mongodb, smtp] = await Promise.all([
        probe(
          () =>
            probeConnection.withDeadline(Date.now() + timeoutMs, () =>
              probeConnection.workflowService.getSystemInfo({}),
            ),
          timeoutMs,
        ),
        probe(async () => {
          if (!deps.db.db) throw new Error('not connected');
          await deps.db.db.admin().ping();
        }, timeoutMs),
        probe(() => smtpGreeting(deps.mailer, timeoutMs), timeoutMs),
      ]);
      const store = mongodb.ok ? await embeddedStoreCapacityOf(deps.db, timeoutMs) : undefined;
      return { ok: temporal.ok && mongodb.ok && smtp.ok, temporal, mongodb, smtp, ...(store ? { store } : {}) };
    }
  }
}
export type HealthService = ReturnType<typeof createHealthService>;
