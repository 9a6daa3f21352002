import { monthlyScore, yearlyScore } from '../../domain/reports/score';
import { monthlyBulletin, rankEnterprises, rankRegions } from '../../domain/reports/bulletin';

const clean = { dataOfflineRatePercent: 0, videoOfflineRatePercent: 0, longestOfflineHours: 0 };

describe('the monthly score (月度评分)', () => {
  it('an enterprise with nothing against it scores 100', () => {
    expect(monthlyScore(clean)).toEqual({
      score: 100,
      deductions: { offline: 0, longestOffline: 0, warnings: 0, overdue: 0, alarms: 0, cleaning: 0 },
    });
  });

  it('deducts 2 per offline point (higher of data and video), 1 per full day of the longest offline source, by warning level, 5 per overdue warning, 1 per late alarm, 1 per 10 % of cleaning missed', () => {
    const s = monthlyScore({
      dataOfflineRatePercent: 3,
      videoOfflineRatePercent: 10,
      longestOfflineHours: 74.4,
      warningsByLevel: { red: 1, orange: 1, yellow: 2, blue: 5 },
      overdueWarnings: { orange: 1 },
      alarmsOverDeadline: 2,
      cleaningCompliancePercent: 68.57,
    });
    expect(s.deductions).toEqual({
      offline: 20,
      longestOffline: 3,
      warnings: 8 + 5 + 4,
      overdue: 5,
      alarms: 2,
      cleaning: 3.1,
    });
    expect(s.score).toBe(49.9);
  });

  it('caps each deduction and never goes below 0', () => {
    const s = monthlyScore({
      dataOfflineRatePercent: 100,
      videoOfflineRatePercent: 0,
      longestOfflineHours: 31 * 24,
      warningsByLevel: { red: 10 },
      overdueWarnings: { red: 10 },
      alarmsOverDeadline: 50,
      cleaningCompliancePercent: 0,
    });
    expect(s.deductions).toEqual({
      offline: 30,
      longestOffline: 10,
      warnings: 25,
      overdue: 15,
      alarms: 10,
      cleaning: 10,
    });
    expect(s.score).toBe(0);
  });

  it('without a cleaning plan, cleaning costs nothing', () => {
    expect(monthlyScore({ ...clean, cleaningCompliancePercent: undefined }).deductions.cleaning).toBe(0);
  });

  it('the yearly score is the mean of the months reported', () => {
    expect(yearlyScore({ sum: 80 + 86, months: 2 })).toBe(83);
    expect(yearlyScore({ sum: 0, months: 0 })).toBeUndefined();
  });
});

describe('the monthly bulletin (月度通报)', () => {
  const e = (id: string, score: number, district: string, problem = false) => ({
    enterpriseId: id,
    regionPath: ['c', district],
    industry: 'steel',
    dataOfflineRatePercent: 0,
    videoOfflineRatePercent: 0,
    warnings: problem ? 2 : 0,
    overdueWarningCount: 0,
    score,
    problem,
  });

  it('ranks enterprises best first, equal scores sharing a rank', () => {
    expect(
      rankEnterprises([e('a', 90, 'd1'), e('b', 95, 'd1'), e('c', 90, 'd2'), e('d', 70, 'd2')]).map((r) => [
        r.enterpriseId,
        r.rank,
      ]),
    ).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('ranks regions by mean score, offline rate and warnings', () => {
    const r = rankRegions([
      {
        regionId: 'd1',
        enterprises: 2,
        dataOfflineRatePercent: 1,
        videoOfflineRatePercent: 6,
        warnings: 0,
        meanScore: 80,
      },
      {
        regionId: 'd2',
        enterprises: 2,
        dataOfflineRatePercent: 2,
        videoOfflineRatePercent: 0,
        warnings: 4,
        meanScore: 90,
      },
    ]);
    expect(r.map((x) => [x.regionId, x.rankByScore, x.rankByOffline, x.rankByWarnings])).toEqual([
      ['d2', 1, 1, 2],
      ['d1', 2, 2, 1],
    ]);
  });

  it('shows where problems concentrate: districts with the most problem enterprises first, with their share', () => {
    const b = monthlyBulletin({
      enterprises: [e('a', 90, 'd1', true), e('b', 50, 'd2', true), e('c', 40, 'd2', true), e('d', 99, 'd3')],
      districts: [],
      regionNames: new Map([['d2', '二区']]),
      size: 2,
    });
    expect(b.concentration.byRegion.map((c) => [c.key, c.name, c.problemEnterprises, c.sharePercent])).toEqual([
      ['d2', '二区', 2, 66.67],
      ['d1', undefined, 1, 33.33],
    ]);
    expect(b.top.map((x) => x.enterpriseId)).toEqual(['d', 'a']);
    expect(b.bottom.map((x) => x.enterpriseId)).toEqual(['c', 'b']);
    expect(b.problemEnterprises).toBe(3);
  });
});
