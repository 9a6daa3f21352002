/**
 * The offline sweep as a Temporal Schedule (issue 16), like the reports: `offline-sweep/<taskQueue>` starts the
 * short workflow offlineSweep every `sweepEvery` of the offline rules in force (a late run is skipped, never
 * stacked). Ensured at worker start and again when an administrator stores new offline rules (the interval
 * follows them). Ensuring it also ends the retired loop `offline-sweeper/<taskQueue>` that the web process used
 * to start on the first reading, so that no source is swept twice.
 */
import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowNotFoundError,
  type ScheduleOptions,
} from '@temporalio/client';
import { caseIds } from '../domain/cases';
import { parseDuration } from '../domain/durations';
import type { OfflinePolicy } from '../domain/offline';

export const offlineSweepScheduleId = (taskQueue: string) => `offline-sweep/${taskQueue}`;

function options(taskQueue: string, policy: Pick<OfflinePolicy, 'sweepEvery'>): ScheduleOptions {
  return {
    scheduleId: offlineSweepScheduleId(taskQueue),
    spec: { intervals: [{ every: parseDuration(policy.sweepEvery) }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'offlineSweep',
      taskQueue,
      args: [],
      workflowId: `offline-sweep-run/${taskQueue}`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
}

/** Creates the schedule, or brings its interval and action up to date; ends the retired loop. */
export async function ensureOfflineSweepSchedule(
  client: Client,
  taskQueue: string,
  policy: Pick<OfflinePolicy, 'sweepEvery'>,
): Promise<string> {
  const o = options(taskQueue, policy);
  try {
    await client.schedule.create(o);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(o.scheduleId).update((prev) => ({ ...prev, spec: o.spec, action: o.action }));
  }
  try {
    // Its children (the offline cases) are abandoned on close: they go on.
    await client.workflow
      .getHandle(caseIds.offlineSweeper(taskQueue))
      .terminate('retired: the offline-sweep schedule runs the sweep');
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  return o.scheduleId;
}
