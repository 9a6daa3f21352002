/**
 * The periods reports cover and when scheduled runs happen, in Asia/Shanghai (seed 002 第二十八条):
 * the weekly report is due every Monday before 11:00 for the previous Monday 00:00 – Sunday 24:00, the
 * monthly report on the 1st before 11:00 for the previous calendar month; runs start at 08:00. Pure.
 */
import { BEIJING_TIME_ZONE, DAY_MS, beijingDay, beijingMidnight, beijingParts, beijingWeekStart } from '../time';

export type ReportKind = 'weekly' | 'monthly';
export const REPORT_KINDS: readonly ReportKind[] = ['weekly', 'monthly'];

/** A half-open period [fromMs, toMs) with its Asia/Shanghai start and end days (end exclusive). */
export interface ReportPeriod {
  kind: ReportKind;
  /** First Shanghai day covered, YYYY-MM-DD; the period's key. */
  start: string;
  /** Shanghai day after the last one covered, YYYY-MM-DD. */
  end: string;
  fromMs: number;
  toMs: number;
  days: number;
}

/** A time of day in Shanghai. */
export interface RunAt {
  hour: number;
  minute: number;
}
/**
 * 002 第二十八条: the reports are due *before* 11:00 (每周一上午11点前 / 每月1号上午11点前). Scheduled runs start
 * at 08:00 by default (configurable: WARNFLOW_REPORT_RUN_AT), early enough to be archived and mailed by
 * REPORT_ALERT_AT, when an administrator is to be told of a run not yet finished.
 */
export const DEFAULT_RUN_AT: RunAt = { hour: 8, minute: 0 };
export const REPORT_ALERT_AT: RunAt = { hour: 10, minute: 45 };

/** "HH:MM" → a run time, refused unless before REPORT_ALERT_AT (a run starting later cannot be done in time). */
export function parseRunAt(text: string): RunAt {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!m) throw new PeriodError(`report run time "${text}" must be HH:MM`);
  const at = { hour: Number(m[1]), minute: Number(m[2]) };
  if (at.hour * 60 + at.minute >= REPORT_ALERT_AT.hour * 60 + REPORT_ALERT_AT.minute)
    throw new PeriodError(
      `report run time "${text}" must be before 10:45 (reports are due before 11:00, 002 第二十八条)`,
    );
  return at;
}
const runOffset = (at: RunAt) => (at.hour * 60 + at.minute) * 60_000;

function period(kind: ReportKind, fromMs: number, toMs: number): ReportPeriod {
  return {
    kind,
    start: beijingDay(fromMs),
    end: beijingDay(toMs),
    fromMs,
    toMs,
    days: Math.round((toMs - fromMs) / DAY_MS),
  };
}

/** The week a weekly run at `runAtMs` reports on: the Monday–Sunday before the run's week. */
export function weeklyPeriod(runAtMs: number): ReportPeriod {
  const thisMonday = beijingWeekStart(runAtMs);
  return period('weekly', thisMonday - 7 * DAY_MS, thisMonday);
}

/** The month a monthly run at `runAtMs` reports on: the calendar month before the run's month. */
export function monthlyPeriod(runAtMs: number): ReportPeriod {
  const p = beijingParts(runAtMs);
  return period('monthly', beijingMidnight(p.year, p.month - 1, 1), beijingMidnight(p.year, p.month, 1));
}

export function periodForRun(kind: ReportKind, runAtMs: number): ReportPeriod {
  return kind === 'weekly' ? weeklyPeriod(runAtMs) : monthlyPeriod(runAtMs);
}

export class PeriodError extends Error {}

/**
 * The period starting on `start` (YYYY-MM-DD): a weekly period must start on a Monday, a monthly one
 * on the 1st. Throws PeriodError naming the problem otherwise.
 */
export function periodStartingOn(kind: ReportKind, start: string): ReportPeriod {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!m) throw new PeriodError(`periodStart must be a date YYYY-MM-DD, got "${start}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const fromMs = beijingMidnight(year, month, day);
  if (beijingDay(fromMs) !== start) throw new PeriodError(`periodStart "${start}" is not a calendar date`);
  if (kind === 'weekly') {
    if (beijingParts(fromMs).weekday !== 0)
      throw new PeriodError(`periodStart of a weekly report must be a Monday, "${start}" is not`);
    return period('weekly', fromMs, fromMs + 7 * DAY_MS);
  }
  if (day !== 1) throw new PeriodError(`periodStart of a monthly report must be the 1st of a month, "${start}" is not`);
  return period('monthly', fromMs, beijingMidnight(year, month + 1, 1));
}

/** The period just before (for trends). */
export function previousPeriod(p: ReportPeriod): ReportPeriod {
  if (p.kind === 'weekly') return period('weekly', p.fromMs - 7 * DAY_MS, p.fromMs);
  const s = beijingParts(p.fromMs);
  return period('monthly', beijingMidnight(s.year, s.month - 1, 1), p.fromMs);
}

/** The first weekly run (Monday, 08:00 Shanghai by default) strictly after `afterMs`. */
export function nextWeeklyRun(afterMs: number, at: RunAt = DEFAULT_RUN_AT): number {
  const candidate = beijingWeekStart(afterMs) + runOffset(at);
  return candidate > afterMs ? candidate : candidate + 7 * DAY_MS;
}

/** The first monthly run (the 1st, 08:00 Shanghai by default) strictly after `afterMs`. */
export function nextMonthlyRun(afterMs: number, at: RunAt = DEFAULT_RUN_AT): number {
  const p = beijingParts(afterMs);
  const candidate = beijingMidnight(p.year, p.month, 1) + runOffset(at);
  return candidate > afterMs ? candidate : beijingMidnight(p.year, p.month + 1, 1) + runOffset(at);
}

export function nextRun(kind: ReportKind, afterMs: number, at: RunAt = DEFAULT_RUN_AT): number {
  return kind === 'weekly' ? nextWeeklyRun(afterMs, at) : nextMonthlyRun(afterMs, at);
}

/** The Temporal Schedule calendar spec of a kind (to be used with timeZone 'Asia/Shanghai'). */
export const SCHEDULE_TIME_ZONE = BEIJING_TIME_ZONE;
export function scheduleCalendar(
  kind: ReportKind,
  at: RunAt = DEFAULT_RUN_AT,
): { hour: number; minute: number; dayOfWeek?: string; dayOfMonth?: number } {
  return kind === 'weekly'
    ? { dayOfWeek: 'MONDAY', hour: at.hour, minute: at.minute }
    : { dayOfMonth: 1, hour: at.hour, minute: at.minute };
}
