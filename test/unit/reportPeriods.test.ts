import {
  monthlyPeriod,
  nextMonthlyRun,
  nextWeeklyRun,
  parseRunAt,
  periodStartingOn,
  PeriodError,
  previousPeriod,
  weeklyPeriod,
} from '../../domain/reports/periods';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('report periods in Asia/Shanghai', () => {
  it('the weekly run on Monday 11:00 reports the previous Monday 00:00 – Sunday 24:00 (Shanghai), across a month end', () => {
    const p = weeklyPeriod(at('2026-12-07T03:00:00Z')); // Monday 7 Dec 11:00 Shanghai
    expect(p).toMatchObject({ kind: 'weekly', start: '2026-11-30', end: '2026-12-07', days: 7 });
    expect(iso(p.fromMs)).toBe('2026-11-29T16:00:00.000Z'); // Monday 30 Nov 00:00 Shanghai
    expect(iso(p.toMs)).toBe('2026-12-06T16:00:00.000Z');
  });

  it('the weekly period across a year end', () => {
    expect(weeklyPeriod(at('2027-01-04T03:00:00Z'))).toMatchObject({ start: '2026-12-28', end: '2027-01-04' });
  });

  it('a Sunday evening in UTC that is already Monday in Shanghai belongs to the new week', () => {
    // 2026-12-06T17:00Z = Monday 7 Dec 01:00 Shanghai → the week before is 30 Nov – 6 Dec
    expect(weeklyPeriod(at('2026-12-06T17:00:00Z')).start).toBe('2026-11-30');
    // 2026-12-06T15:00Z = Sunday 6 Dec 23:00 Shanghai → still the week of 30 Nov, reporting 23–29 Nov
    expect(weeklyPeriod(at('2026-12-06T15:00:00Z')).start).toBe('2026-11-23');
  });

  it('the monthly run on the 1st reports the previous calendar month, across a year end', () => {
    expect(monthlyPeriod(at('2027-01-01T03:00:00Z'))).toMatchObject({
      kind: 'monthly',
      start: '2026-12-01',
      end: '2027-01-01',
      days: 31,
    });
    expect(monthlyPeriod(at('2026-03-01T03:00:00Z'))).toMatchObject({
      start: '2026-02-01',
      end: '2026-03-01',
      days: 28,
    });
  });

  it('the next weekly run is Monday 08:00 Shanghai (due before 11:00, 002 第二十八条), strictly after the instant, across a month end and a year end', () => {
    expect(iso(nextWeeklyRun(at('2026-11-25T08:00:00Z')))).toBe('2026-11-30T00:00:00.000Z');
    expect(iso(nextWeeklyRun(at('2026-11-30T00:00:00Z')))).toBe('2026-12-07T00:00:00.000Z');
    expect(iso(nextWeeklyRun(at('2026-11-29T23:59:59Z')))).toBe('2026-11-30T00:00:00.000Z');
    expect(iso(nextWeeklyRun(at('2026-12-29T00:00:00Z')))).toBe('2027-01-04T00:00:00.000Z');
  });

  it('the next monthly run is the 1st at 08:00 Shanghai, across a month end and a year end', () => {
    expect(iso(nextMonthlyRun(at('2026-11-25T08:00:00Z')))).toBe('2026-12-01T00:00:00.000Z');
    expect(iso(nextMonthlyRun(at('2026-12-01T00:00:00Z')))).toBe('2027-01-01T00:00:00.000Z');
    expect(iso(nextMonthlyRun(at('2026-12-31T20:00:00Z')))).toBe('2027-01-01T00:00:00.000Z'); // 1 Jan 04:00 Shanghai: before the run
  });

  it('the run time is configurable, and refused when it could not finish before 10:45', () => {
    expect(iso(nextWeeklyRun(at('2026-11-25T08:00:00Z'), parseRunAt('09:30')))).toBe('2026-11-30T01:30:00.000Z');
    expect(parseRunAt('08:00')).toEqual({ hour: 8, minute: 0 });
    expect(() => parseRunAt('10:45')).toThrow('must be before 10:45');
    expect(() => parseRunAt('11:00')).toThrow('must be before 10:45');
    expect(() => parseRunAt('8 am')).toThrow('must be HH:MM');
  });

  it('an on-demand period starts on a Monday (weekly) or the 1st (monthly), and anything else is refused naming periodStart', () => {
    expect(periodStartingOn('weekly', '2026-12-28')).toMatchObject({ end: '2027-01-04', days: 7 });
    expect(periodStartingOn('monthly', '2026-12-01')).toMatchObject({ end: '2027-01-01', days: 31 });
    expect(() => periodStartingOn('weekly', '2026-12-29')).toThrow(PeriodError);
    expect(() => periodStartingOn('monthly', '2026-12-02')).toThrow(/periodStart/);
    expect(() => periodStartingOn('monthly', '2026-02-30')).toThrow(/not a calendar date/);
  });

  it('the previous period (for trends) of January is December of the year before', () => {
    expect(previousPeriod(periodStartingOn('monthly', '2027-01-01'))).toMatchObject({
      start: '2026-12-01',
      end: '2027-01-01',
    });
    expect(previousPeriod(periodStartingOn('weekly', '2027-01-04'))).toMatchObject({ start: '2026-12-28' });
  });
});
