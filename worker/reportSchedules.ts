/**
 * The report schedules (seed 002 第二十八条: due before 11:00): weekly every Monday and monthly on the 1st,
 * starting at 08:00 Asia/Shanghai (WARNFLOW_REPORT_RUN_AT), so a run is archived and mailed in time. Ensured idempotently at worker start: created when missing, updated to the
 * current spec when present.
 */
import { Client, ScheduleAlreadyRunning, ScheduleOptions } from '@temporalio/client';
import {
  DEFAULT_RUN_AT,
  REPORT_ALERT_AT,
  REPORT_KINDS,
  SCHEDULE_TIME_ZONE,
  parseRunAt,
  scheduleCalendar,
  type ReportKind,
  type RunAt,
} from '../domain/reports/periods';

export const reportScheduleId = (kind: ReportKind, taskQueue: string) => `report-schedule/${kind}/${taskQueue}`;

/** The configured run time (WARNFLOW_REPORT_RUN_AT, "HH:MM" Shanghai, before 10:45), else 08:00. */
export function reportRunAt(env: NodeJS.ProcessEnv = process.env): RunAt {
  return env.WARNFLOW_REPORT_RUN_AT ? parseRunAt(env.WARNFLOW_REPORT_RUN_AT) : DEFAULT_RUN_AT;
}

/** A weekly (Monday) or monthly (the 1st) Shanghai calendar at `at` that starts `workflowType` with the kind. */
function kindSchedule(
  scheduleId: string,
  kind: ReportKind,
  taskQueue: string,
  at: RunAt,
  workflowType: string,
  workflowId: string,
): ScheduleOptions {
  const c = scheduleCalendar(kind, at);
  return {
    scheduleId,
    spec: {
      timezone: SCHEDULE_TIME_ZONE,
      calendars: [
        {
          hour: c.hour,
          minute: c.minute,
          ...(c.dayOfWeek ? { dayOfWeek: c.dayOfWeek as 'MONDAY' } : {}),
          ...(c.dayOfMonth ? { dayOfMonth: c.dayOfMonth } : {}),
        },
      ],
    },
    action: { type: 'startWorkflow', workflowType, taskQueue, args: [{ kind }], workflowId },
  };
}

/** The run of a kind at the configured time (scheduledReport). */
const options = (kind: ReportKind, taskQueue: string, at: RunAt): ScheduleOptions =>
  kindSchedule(
    reportScheduleId(kind, taskQueue),
    kind,
    taskQueue,
    at,
    'scheduledReport',
    `scheduled-report/${kind}/${taskQueue}`,
  );

export const reportDeadlineScheduleId = (kind: ReportKind, taskQueue: string) => `report-deadline/${kind}/${taskQueue}`;

/** The 10:45 check of a kind: an administrator is alerted when the run has not finished (reportDeadlineCheck). */
const deadlineOptions = (kind: ReportKind, taskQueue: string): ScheduleOptions =>
  kindSchedule(
    reportDeadlineScheduleId(kind, taskQueue),
    kind,
    taskQueue,
    REPORT_ALERT_AT,
    'reportDeadlineCheck',
    `report-deadline-check/${kind}/${taskQueue}`,
  );

export async function ensureReportSchedules(
  client: Client,
  taskQueue: string,
  at: RunAt = reportRunAt(),
): Promise<string[]> {
  const ids: string[] = [];
  for (const o of REPORT_KINDS.flatMap((kind) => [options(kind, taskQueue, at), deadlineOptions(kind, taskQueue)])) {
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
