/** Cleaning compliance periods in Beijing time and the count per plan item (web/services/cleaningCompliance.ts). */
import { cleaningCompliance, periodsAt } from '../../web/portal/cleaningCompliance';

// Wednesday 2026-11-25 01:30 in Beijing = Tuesday 2026-11-24 17:30 UTC.
const NOW = Date.parse('2026-11-24T17:30:00Z');
const bj = (local: string) => new Date(`${local}+08:00`);

test('today, this week (from Monday) and this month are Beijing days, not UTC ones', () => {
  const p = periodsAt(NOW);
  expect(p.today).toEqual({ from: bj('2026-11-25T00:00:00'), to: bj('2026-11-26T00:00:00') });
  expect(p.week).toEqual({ from: bj('2026-11-23T00:00:00'), to: bj('2026-11-30T00:00:00') });
  expect(p.month).toEqual({ from: bj('2026-11-01T00:00:00'), to: bj('2026-12-01T00:00:00') });
  // A Sunday evening still belongs to the week that began on Monday; a Monday starts a new one.
  expect(periodsAt(bj('2026-11-29T23:59:00').getTime()).week.from).toEqual(bj('2026-11-23T00:00:00'));
  expect(periodsAt(bj('2026-11-30T00:00:00').getTime()).week.from).toEqual(bj('2026-11-30T00:00:00'));
  expect(periodsAt(bj('2026-12-31T23:00:00').getTime()).month).toEqual({
    from: bj('2026-12-01T00:00:00'),
    to: bj('2027-01-01T00:00:00'),
  });
});

test('each item counts the check-ins naming it within its own period; per shift needs two a day', () => {
  const rows = cleaningCompliance(
    [
      { item: '除尘器灰斗', frequency: 'daily', area: '打磨车间' },
      { item: '管道', frequency: 'per_shift' },
      { item: '车间地面', frequency: 'weekly' },
      { item: '屋顶', frequency: 'monthly' },
    ],
    [
      { item: '除尘器灰斗', at: bj('2026-11-25T00:10:00') },
      { item: '除尘器灰斗', at: bj('2026-11-24T23:50:00') }, // yesterday in Beijing (same UTC day as NOW)
      { item: '管道', at: bj('2026-11-25T01:00:00') },
      { item: '车间地面', at: bj('2026-11-23T09:00:00') },
      { item: '屋顶', at: bj('2026-10-31T09:00:00') }, // last month
      { item: '别的项目', at: bj('2026-11-25T01:00:00') },
    ],
    NOW,
  );
  expect(rows.map((r) => [r.item, r.period, r.done, r.expected, r.complete])).toEqual([
    ['除尘器灰斗', 'today', 1, 1, true],
    ['管道', 'today', 1, 2, false],
    ['车间地面', 'week', 1, 1, true],
    ['屋顶', 'month', 0, 1, false],
  ]);
  expect(rows[0]).toMatchObject({ area: '打磨车间', last: bj('2026-11-25T00:10:00') });
  expect(rows[3].last).toBeUndefined();
});
