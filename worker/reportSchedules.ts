/**
 * The report schedules (seed 002 第二十八条): weekly every Monday 11:00 and monthly on the 1st at
 * 11:00, Asia/Shanghai. Ensured idempotently at worker start: created when missing, updated to the
 * current spec when present.
 */
import { Client, ScheduleAlreadyRunning, ScheduleOptions } from '@temporalio/client';
import { REPORT_KINDS, SCHEDULE_TIME_ZONE, scheduleCalendar, type ReportKind } from '../domain/reports/periods';

export const reportScheduleId = (kind: ReportKind, taskQueue: string) => `report-schedule/${kind}/${taskQueue}`;

function options(kind: ReportKind, taskQueue: string): ScheduleOptions {
  const c = scheduleCalendar(kind);
  return {
    scheduleId: reportScheduleId(kind, taskQueue),
    spec: {
      timezone: SCHEDULE_TIME_ZONE,
      calendars: [{ hour: c.hour, minute: c.minute, ...(c.dayOfWeek ? { dayOfWeek: c.dayOfWeek as 'MONDAY' } : {}), ...(c.dayOfMonth ? { dayOfMonth: c.dayOfMonth } : {}) }],
    },
    action: { type: 'startWorkflow', workflowType: 'scheduledReport', taskQueue, args: [{ kind }], workflowId: `scheduled-report/${kind}/${taskQueue}` },
  };
}

export async function ensureReportSchedules(client: Client, taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for (const kind of REPORT_KINDS) {
    const o = options(kind, taskQueue);
    try {
      await client.schedule.create(o);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(o.scheduleId).update((prev) => ({ ...prev, spec: o.spec, action: o.action }));
    }
    ids.push(o.scheduleId);
  }
  return ids;
}
