/**
 * The risk model's scheduled recompute (001 附件 二（一）2: the index is recomputed automatically): every enterprise
 * every 15 minutes (WARNFLOW_RISK_RECOMPUTE_EVERY, minutes), by riskRecomputeAll. Input changes recompute one
 * enterprise at once (workflows/riskRecompute.ts); the schedule catches what no case change announces (check-ins
 * missed, time passing the window, new rules) and moves warnings whose level has held. A run still going when the
 * next is due is not doubled (overlap: skip). Ensured idempotently at worker start, like the report schedules; when
 * created it fires at once, so a new deployment (and the demo world on its first run) has scores from the start.
 */
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';

export const riskScheduleId = (taskQueue: string) => `risk-recompute/${taskQueue}`;

/** Minutes between scheduled recomputes (WARNFLOW_RISK_RECOMPUTE_EVERY), else 15. */
export function riskRecomputeEvery(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.WARNFLOW_RISK_RECOMPUTE_EVERY);
  return Number.isInteger(n) && n > 0 ? n : 15;
}

export function riskScheduleOptions(taskQueue: string, everyMinutes = riskRecomputeEvery()): ScheduleOptions {
  return {
    scheduleId: riskScheduleId(taskQueue),
    spec: { intervals: [{ every: `${everyMinutes} minutes` }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    action: {
      type: 'startWorkflow',
      workflowType: 'riskRecomputeAll',
      taskQueue,
      args: [{}],
      workflowId: `risk-recompute-all/${taskQueue}`,
    },
  };
}

export async function ensureRiskSchedule(client: Client, taskQueue: string, everyMinutes?: number): Promise<string> {
  const o = riskScheduleOptions(taskQueue, everyMinutes);
  try {
    // Created (the first start of a deployment or of the demo): every enterprise is scored at once, not in 15 min.
    await client.schedule.create({ ...o, state: { triggerImmediately: true } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(o.scheduleId)
      .update((prev) => ({ ...prev, spec: o.spec, action: o.action, policies: { ...prev.policies, ...o.policies } }));
  }
  return o.scheduleId;
}
