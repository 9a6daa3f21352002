/** Honest connectivity of each dependency, each probed with its own short deadline. */
import type { Client } from '@temporalio/client';
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

export function createHealthService(deps: { temporal: Client; db: Connection; mailer: Mailer; timeoutMs?: number }) {
  const timeoutMs = deps.timeoutMs ?? 2000;
  return {
    async check(): Promise<HealthReport> {
      const [temporal, mongodb, smtp] = await Promise.all([
        probe(() => deps.temporal.connection.withDeadline(Date.now() + timeoutMs, () => deps.temporal.workflowService.getSystemInfo({})), timeoutMs),
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
