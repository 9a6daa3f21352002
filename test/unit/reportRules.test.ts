import {
  DEFAULT_REPORT_RULES,
  followUps,
  frequentWarningCount,
  orderKeyTargets,
  reportRulesProblems,
} from '../../domain/reports/rules';

const ent = {
  enterpriseId: 'e1',
  regionId: 'r1',
  dataOfflineRatePercent: 0,
  videoOfflineRatePercent: 0,
  longestOfflineHours: 0,
};

describe('report rules', () => {
  it('the shipped defaults are valid (seed 002 第二十九至三十一条)', () => {
    expect(reportRulesProblems(DEFAULT_REPORT_RULES)).toEqual([]);
  });

  it('a problem names its field', () => {
    const bad = {
      ...DEFAULT_REPORT_RULES,
      weekly: { offlineRatePercent: 0, interviewOfflineDays: 2 },
      monthly: {
        ...DEFAULT_REPORT_RULES.monthly,
        regionInterviewOfflineDays: 1,
        keyTargets: { levels: ['purple'], frequentCount: 3 },
      },
    };
    const fields = reportRulesProblems(bad as never).map((p) => p.field);
    expect(fields).toEqual([
      'weekly.offlineRatePercent',
      'monthly.regionInterviewOfflineDays',
      'monthly.keyTargets.levels.0',
    ]);
  });

  it('the frequent-warning threshold is rule data: an integer ≥ 2, the default when rules stored before it lack it', () => {
    expect(
      reportRulesProblems({
        ...DEFAULT_REPORT_RULES,
        weekly: { ...DEFAULT_REPORT_RULES.weekly, frequentWarningCount: 1 },
      }).map((p) => p.field),
    ).toEqual(['weekly.frequentWarningCount']);
    expect(
      frequentWarningCount(
        { ...DEFAULT_REPORT_RULES, monthly: { ...DEFAULT_REPORT_RULES.monthly, frequentWarningCount: undefined } },
        'monthly',
      ),
    ).toBe(3);
    expect(
      frequentWarningCount(
        { ...DEFAULT_REPORT_RULES, weekly: { ...DEFAULT_REPORT_RULES.weekly, frequentWarningCount: 4 } },
        'weekly',
      ),
    ).toBe(4);
  });

  it('weekly: an offline rate of 5.1 % gets a warning notice, 4.9 % none', () => {
    expect(
      followUps(DEFAULT_REPORT_RULES, 'weekly', '2026-11-16', { ...ent, dataOfflineRatePercent: 5.1 }).map(
        (f) => f.action,
      ),
    ).toEqual(['warning_notice']);
    expect(followUps(DEFAULT_REPORT_RULES, 'weekly', '2026-11-16', { ...ent, videoOfflineRatePercent: 4.9 })).toEqual(
      [],
    );
  });

  it('weekly: a source offline 49 h gets an interview, 47 h none; the follow-up id is derived from period, enterprise and rule', () => {
    const f = followUps(DEFAULT_REPORT_RULES, 'weekly', '2026-11-16', { ...ent, longestOfflineHours: 49 });
    expect(f).toMatchObject([{ action: 'interview', id: 'weekly/2026-11-16/e1/offline_interview' }]);
    expect(followUps(DEFAULT_REPORT_RULES, 'weekly', '2026-11-16', { ...ent, longestOfflineHours: 47 })).toEqual([]);
  });

  it('monthly: offline more than 5 days interviews the enterprise and its region', () => {
    expect(
      followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', { ...ent, longestOfflineHours: 121 }).map(
        (f) => f.action,
      ),
    ).toEqual(['interview', 'region_interview']);
    expect(
      followUps(DEFAULT_REPORT_RULES, 'weekly', '2026-11-16', { ...ent, longestOfflineHours: 121 }).map(
        (f) => f.action,
      ),
    ).toEqual(['interview']);
  });

  it('monthly key enforcement targets: overdue or frequent non-blue warnings, red and orange first', () => {
    const targets = [
      ...followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', {
        ...ent,
        enterpriseId: 'a',
        overdueWarnings: { yellow: 1 },
      }),
      ...followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', {
        ...ent,
        enterpriseId: 'b',
        warningsByLevel: { red: 3 },
      }),
      ...followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', {
        ...ent,
        enterpriseId: 'c',
        overdueWarnings: { blue: 4 },
        warningsByLevel: { blue: 9, orange: 2 },
      }),
      ...followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', {
        ...ent,
        enterpriseId: 'd',
        overdueWarnings: { orange: 1 },
      }),
    ];
    expect(orderKeyTargets(targets).map((t) => t.enterpriseId)).toEqual(['b', 'd', 'a']);
    // Frequent counts the listed levels together: one red and two yellow make three.
    expect(
      followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', {
        ...ent,
        warningsByLevel: { red: 1, yellow: 2, blue: 5 },
      }),
    ).toMatchObject([{ rule: 'key_target', priority: 0 }]);
    expect(
      followUps(DEFAULT_REPORT_RULES, 'monthly', '2026-11-01', { ...ent, warningsByLevel: { yellow: 2, blue: 5 } }),
    ).toEqual([]);
  });
});
