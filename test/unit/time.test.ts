import { compactInstant } from '../../domain/cases';
import {
  BEIJING_OFFSET_MS,
  BEIJING_TIME_ZONE,
  DAY_MS,
  beijingDay,
  beijingDayEnd,
  beijingDayStart,
  beijingDayStartOf,
  beijingMidnight,
  beijingMonthStart,
  beijingParts,
  beijingWeekStart,
  beijingYear,
  chineseDate,
  chineseDateTime,
} from '../../domain/time';

describe('Beijing time (Asia/Shanghai, UTC+8 all year)', () => {
  it('is eight hours ahead of UTC and named Asia/Shanghai', () => {
    expect(BEIJING_OFFSET_MS).toBe(28_800_000);
    expect(BEIJING_TIME_ZONE).toBe('Asia/Shanghai');
    expect(DAY_MS).toBe(86_400_000);
  });

  // The bug a UTC day makes: an alarm at 01:00 Beijing on 3 December is 17:00 UTC on 2 December.
  it('an instant at 01:00 Beijing belongs to that Beijing day, not to the UTC day before it', () => {
    const at = Date.parse('2026-12-02T17:00:00Z'); // 2026-12-03 01:00 Beijing
    expect(new Date(at).toISOString().slice(0, 10)).toBe('2026-12-02'); // the UTC day (wrong for people in Beijing)
    expect(beijingDay(at)).toBe('2026-12-03');
    expect(beijingDay(Date.parse('2026-12-02T15:59:59.999Z'))).toBe('2026-12-02'); // 23:59:59.999 Beijing
    expect(beijingDay(Date.parse('2026-12-02T16:00:00Z'))).toBe('2026-12-03'); // 00:00 Beijing
  });

  it('a Beijing day starts at 16:00 UTC the day before and ends (exclusive) 24 hours later', () => {
    const at = Date.parse('2026-12-02T17:00:00Z');
    expect(new Date(beijingDayStart(at)).toISOString()).toBe('2026-12-02T16:00:00.000Z');
    expect(new Date(beijingDayEnd(at)).toISOString()).toBe('2026-12-03T16:00:00.000Z');
    expect(beijingDayStart(Date.parse('2026-12-02T16:00:00Z'))).toBe(Date.parse('2026-12-02T16:00:00Z'));
  });

  it('a day key YYYY-MM-DD reads as its Beijing midnight; anything else is refused', () => {
    expect(beijingDayStartOf('2026-12-03')).toBe(Date.parse('2026-12-02T16:00:00Z'));
    expect(beijingDayStartOf('2026-02-30')).toBeUndefined();
    expect(beijingDayStartOf('2026-12-3')).toBeUndefined();
    expect(beijingDayStartOf('2026-12-03T00:00')).toBeUndefined();
    expect(beijingMidnight(2026, 11, 3)).toBe(Date.parse('2026-12-02T16:00:00Z'));
    expect(beijingMidnight(2026, 12, 1)).toBe(Date.parse('2026-12-31T16:00:00Z')); // month overflow: 1 January 2027
  });

  it('calendar parts, the week (from Monday) and the month are Beijing ones', () => {
    // 2026-11-30T16:30Z is Tuesday 1 December 00:30 in Beijing (still Monday 30 November in UTC).
    const at = Date.parse('2026-11-30T16:30:00Z');
    expect(beijingParts(at)).toEqual({ year: 2026, month: 11, day: 1, weekday: 1, hour: 0, minute: 30, second: 0 });
    expect(new Date(beijingWeekStart(at)).toISOString()).toBe('2026-11-29T16:00:00.000Z'); // Monday 30 November, 00:00 Beijing
    expect(new Date(beijingMonthStart(at)).toISOString()).toBe('2026-11-30T16:00:00.000Z'); // 1 December, 00:00 Beijing
  });

  it("a document's year, date and time are Beijing ones: 2026-12-31T16:30Z is 2027年1月1日 00:30", () => {
    expect(beijingYear('2026-12-31T16:30:00Z')).toBe(2027);
    expect(chineseDate('2026-12-31T16:30:00Z')).toBe('2027年1月1日');
    expect(chineseDateTime('2026-12-31T16:30:00Z')).toBe('2027年1月1日 00:30');
  });
});

describe('instants in case ids', () => {
  it('drop separators and milliseconds: 2026-11-25T06:30:00.123Z → 20261125T063000Z', () => {
    expect(compactInstant('2026-11-25T06:30:00.123Z')).toBe('20261125T063000Z');
  });
});
