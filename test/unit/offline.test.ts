import {
  DEFAULT_OFFLINE_POLICY,
  covered,
  offlineLadder,
  offlinePolicyProblems,
  silentAfter,
  splitOfflinePeriod,
} from '../../domain/offline';
import { beijingDay } from '../../domain/time';

const H = 3600_000;
const D = 24 * H;

describe('device offline rules', () => {
  it('a device reporting every 5 minutes is silent after 3 missed intervals (15 minutes)', () => {
    expect(silentAfter(0, 300)).toBe(15 * 60_000);
  });

  it('the ladder asks for a district interview after 2 days and a regional one after 5 days of silence', () => {
    expect(offlineLadder(1000, DEFAULT_OFFLINE_POLICY)).toEqual([
      { step: 'district_interview', dueMs: 1000 + 2 * D },
      { step: 'region_interview', dueMs: 1000 + 5 * D },
    ]);
  });

  it('days are Asia/Shanghai days: 2026-01-01T16:30Z is already 2 January', () => {
    expect(beijingDay(Date.parse('2026-01-01T16:30:00Z'))).toBe('2026-01-02');
  });

  it('an offline period across midnight is split per day, and the part under an approved suspension counts as suspended', () => {
    const from = Date.parse('2026-01-01T14:00:00Z'); // 22:00 Shanghai
    const to = from + 4 * H; // 02:00 next day
    const suspension = { fromMs: from + 3 * H, toMs: from + 10 * H };
    expect(splitOfflinePeriod(from, to, [suspension])).toEqual([
      { day: '2026-01-01', offlineSeconds: 2 * 3600, suspendedSeconds: 0 },
      { day: '2026-01-02', offlineSeconds: 3600, suspendedSeconds: 3600 },
    ]);
    expect(covered(from + 3 * H, [suspension])).toBe(true);
    expect(covered(from, [suspension])).toBe(false);
  });
});

describe('the offline rules as data', () => {
  it('ship seed 002: 3 missed intervals, an interview after 2 days, enterprise and region after 5 days, a sweep every minute', () => {
    expect(DEFAULT_OFFLINE_POLICY).toEqual({
      version: 1,
      missedIntervals: 3,
      districtInterviewAfter: 'P2D',
      regionInterviewAfter: 'P5D',
      sweepEvery: 'PT1M',
    });
    expect(offlinePolicyProblems(DEFAULT_OFFLINE_POLICY)).toEqual([]);
  });

  it('a version with a bad value is refused naming the field', () => {
    expect(offlinePolicyProblems({ ...DEFAULT_OFFLINE_POLICY, missedIntervals: 0 })).toEqual([
      { field: 'missedIntervals', message: 'must be an integer from 1 to 100' },
    ]);
    expect(offlinePolicyProblems({ ...DEFAULT_OFFLINE_POLICY, districtInterviewAfter: '2 days' })).toEqual([
      { field: 'districtInterviewAfter', message: 'must be an ISO-8601 duration such as P2D or PT1M' },
    ]);
    expect(offlinePolicyProblems({ ...DEFAULT_OFFLINE_POLICY, regionInterviewAfter: 'P1D' })).toEqual([
      { field: 'regionInterviewAfter', message: 'must be longer than districtInterviewAfter' },
    ]);
    expect(offlinePolicyProblems({ ...DEFAULT_OFFLINE_POLICY, sweepEvery: 'PT1S' })).toEqual([
      { field: 'sweepEvery', message: 'must be from PT10S to PT1H' },
    ]);
  });
});
