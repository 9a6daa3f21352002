/**
 * Beijing time (Asia/Shanghai): the calendar regulators, enterprises, reports and documents live in.
 * China has had no daylight saving time since 1991, so Beijing time is UTC+8 all year and a fixed offset
 * is exact. Every day key, day/week/month boundary and date written for people is computed here: a copy
 * elsewhere is how the dashboard once grouped alarms by UTC days (an alarm at 01:00 Beijing counted on
 * the day before). Pure, with no clock of its own: workflows import it.
 */

/** The IANA zone of Beijing time, for Intl formatting and Temporal schedules. */
export const BEIJING_TIME_ZONE = 'Asia/Shanghai';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Beijing time minus UTC. */
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** The Beijing calendar fields of an instant (month 0-based as in Date; weekday Monday 0 … Sunday 6). */
export interface BeijingParts {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

export function beijingParts(ms: number): BeijingParts {
  const d = new Date(ms + BEIJING_OFFSET_MS); // read with the UTC getters
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: (d.getUTCDay() + 6) % 7,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** Beijing midnight of a calendar date (month 0-based; overflow allowed, as in Date.UTC) as an instant. */
export function beijingMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month, day) - BEIJING_OFFSET_MS;
}

/** The Beijing day (YYYY-MM-DD) of an instant: the key daily figures are stored and grouped under. */
export function beijingDay(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** Beijing midnight starting the day of an instant. */
export function beijingDayStart(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/** Beijing midnight ending the day of an instant (exclusive: the next day's start). */
export function beijingDayEnd(ms: number): number {
  return beijingDayStart(ms) + DAY_MS;
}

/** Beijing midnight starting the week (Monday first) of an instant. */
export function beijingWeekStart(ms: number): number {
  return beijingDayStart(ms) - beijingParts(ms).weekday * DAY_MS;
}

/** Beijing midnight starting the month of an instant. */
export function beijingMonthStart(ms: number): number {
  const p = beijingParts(ms);
  return beijingMidnight(p.year, p.month, 1);
}

/** A day key YYYY-MM-DD as its Beijing midnight; undefined unless it is a real calendar date in that form. */
export function beijingDayStartOf(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const ms = beijingMidnight(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return beijingDay(ms) === day ? ms : undefined;
}

/** The Beijing calendar year of an instant (documents are numbered by it). */
export function beijingYear(iso: string): number {
  return beijingParts(Date.parse(iso)).year;
}

/** `2026年11月25日`: a date written for people (documents, notices), in Beijing time. */
export function chineseDate(iso: string): string {
  const p = beijingParts(Date.parse(iso));
  return `${p.year}年${p.month + 1}月${p.day}日`;
}

/** `2026年11月25日 14:30`: an instant written for people, in Beijing time. */
export function chineseDateTime(iso: string): string {
  const p = beijingParts(Date.parse(iso));
  return `${chineseDate(iso)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** `2026-11-25T14:30` (a datetime-local value, no offset) read as Beijing time: `2026-11-25T14:30:00+08:00`. */
export function beijingLocalInstant(local: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(local);
  return m ? `${m[1]}${m[2] ?? ':00'}+08:00` : undefined;
}
