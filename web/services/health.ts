/** Honest connectivity of each dependency, each probed with its own short deadline. */
import { Connection as TemporalConnection } from '@temporalio/client';
import type { Connection } from 'mongoose';
import type { Mailer } from '../../lib/mailer';

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

export function createHealthService(deps: { temporalAddress: string; db: Connection; mailer: Mailer; timeoutMs?: number }) {
  const timeoutMs = deps.timeoutMs ?? 2000;
  // A probe connection of its own without the client's retry interceptor: a probe of a server that
  // is down must fail within its deadline, not leave retries running behind it.
  const probeConnection = TemporalConnection.lazy({ address: deps.temporalAddress, interceptors: [], connectTimeout: timeoutMs });
  return {
    async close(): Promise<void> {
      await probeConnection.close();
    },
    async check(): Promise<HealthReport> {
      const [temporal, mongodb, smtp] = await Promise.all([
        probe(() => probeConnection.withDeadline(Date.now() + timeoutMs, () => probeConnection.workflowService.getSystemInfo({})), timeoutMs),
        probe(async () => {
          if (!deps.db.db) throw new Error('not connected');
          await deps.db.db.admin().ping();
        }, timeoutMs),
        probe(() => deps.mailer.verify(), timeoutMs),
      ]);
      return { ok: temporal.ok && mongodb.ok && smtp.ok, temporal, mongodb, smtp };
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
