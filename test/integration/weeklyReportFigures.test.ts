/**
 * A weekly report's figures against a hand-computed fixture (week of Monday 2026-11-16, Asia/Shanghai):
 *  - 测试企业1: one sensor offline 29,635.2 s of 604,800 s → 4.90 % (no follow-up)
 *  - 测试企业2: two sensors, one offline 48,470.4 s, the other suspended 3 days (259,200 s):
 *    48,470.4 / (2 × 604,800 − 259,200) = 5.10 % → warning notice (4.01 % if suspension were not excluded)
 *  - 测试企业3: ten sensors, one offline 49 h over three days → 2.92 %, interview
 *  - 测试企业4: ten sensors, one offline 47 h → 2.80 %, no interview
 */
import { createReportActivities } from '../../activities/reports';
import { DEFAULT_REPORT_RULES } from '../../domain/reports/rules';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

let stack: Stack;
const tag = 'wr';
const ent = (n: number) => `${tag}-ent-${n}`;
const path = [`${tag}-city`, `${tag}-district`, `${tag}-zone`];

function stat(enterpriseId: string, sourceId: string, day: string, offlineSeconds: number, suspendedSeconds = 0) {
  return {
    _id: `sensor/${sourceId}/${day}`,
    sourceKind: 'sensor',
    sourceId,
    enterpriseId,
    regionPath: path,
    industry: 'dust_explosion',
    day,
    offlineSeconds,
    suspendedSeconds,
    readings: 0,
    expectedReadings: 0,
    alarms: 0,
    outOfRange: 0,
    frozen: 0,
    updatedAt: new Date(),
  };
}

beforeAll(async () => {
  stack = await startStack();
  await seedRegions(stack.models, tag);
  for (const [n, devices] of [
    [1, 1],
    [2, 2],
    [3, 10],
    [4, 10],
  ])
    await seedEnterprise(stack.models, tag, n, { devices });
  const docs = [
    stat(ent(1), `${ent(1)}-D0`, '2026-11-17', 29635.2),
    stat(ent(1), `${ent(1)}-D0`, '2026-11-23', 80000), // the next week: not in this report
    stat(ent(1), `${ent(1)}-D0`, '2026-11-10', 60480), // the week before: 10 %, for the trend
    stat(ent(2), `${ent(2)}-D0`, '2026-11-18', 48470.4),
    ...['2026-11-19', '2026-11-20', '2026-11-21'].map((d) => stat(ent(2), `${ent(2)}-D1`, d, 0, 86400)),
    ...Array.from({ length: 10 }, (_, i) => stat(ent(3), `${ent(3)}-D${i}`, '2026-11-16', 0)),
    stat(ent(3), `${ent(3)}-D0`, '2026-11-20', 86400),
    stat(ent(3), `${ent(3)}-D0`, '2026-11-21', 86400),
    stat(ent(3), `${ent(3)}-D0`, '2026-11-22', 3600),
    ...Array.from({ length: 10 }, (_, i) => stat(ent(4), `${ent(4)}-D${i}`, '2026-11-16', 0)),
    stat(ent(4), `${ent(4)}-D0`, '2026-11-21', 82800),
    stat(ent(4), `${ent(4)}-D0`, '2026-11-22', 86400),
  ];
  await stack.models.DeviceDayStat.insertMany(docs);
});
afterAll(async () => {
  await stack?.stop();
});

async function newReport(version: number) {
  const _id = `report/weekly/2026-11-16/v${version}`;
  await stack.models.Report.create({
    _id,
    kind: 'weekly',
    periodStart: '2026-11-16',
    periodEnd: '2026-11-23',
    version,
    status: 'running',
    rulesVersion: 1,
    requestedBy: 'test',
    createdAt: new Date(),
  });
  return _id;
}

describe('a weekly report', () => {
  it('computes daily-average offline rates with suspended time excluded, and the longest offline source per enterprise', async () => {
    const a = createReportActivities(stack.models);
    const f = await a.computeFigures({ kind: 'weekly', periodStart: '2026-11-16' });
    expect(f.period).toEqual({ kind: 'weekly', start: '2026-11-16', end: '2026-11-23', days: 7 });
    const rows = Object.fromEntries(f.enterprises.map((r) => [r.enterpriseId, r]));
    expect(rows[ent(1)]).toMatchObject({ enterpriseName: '测试企业1', dataOfflineRatePercent: 4.9, sensors: 1 });
    expect(rows[ent(2)]).toMatchObject({ dataOfflineRatePercent: 5.1, sensors: 2 });
    expect(rows[ent(3)]).toMatchObject({
      dataOfflineRatePercent: 2.92,
      longestOfflineHours: 49,
      longestOfflineSourceId: `${ent(3)}-D0`,
      sensors: 10,
    });
    expect(rows[ent(4)]).toMatchObject({ dataOfflineRatePercent: 2.8, longestOfflineHours: 47 });
    expect(f.totals).toMatchObject({ enterprises: 4, dataOfflineRatePercent: 3.93 });
    expect(f.previousTotals).toMatchObject({ dataOfflineRatePercent: 10 });
  });

  it('only the 5.1 % enterprise gets a warning notice and only the 49 h one an interview, as tasks for the district regulator; a re-run (v2) creates no duplicate', async () => {
    const a = createReportActivities(stack.models);
    const figures = await a.computeFigures({ kind: 'weekly', periodStart: '2026-11-16' });
    const v1 = await newReport(1);
    const first = await a.recordFollowUps({ reportId: v1, rules: DEFAULT_REPORT_RULES, figures });
    expect(first.map((f) => [f.enterpriseId, f.action, f.id])).toEqual([
      [ent(2), 'warning_notice', `weekly/2026-11-16/${ent(2)}/offline_rate_notice`],
      [ent(3), 'interview', `weekly/2026-11-16/${ent(3)}/offline_interview`],
    ]);
    const tasks = await stack.models.Task.find({ _id: /^report\// })
      .sort({ _id: 1 })
      .lean();
    expect(tasks.map((t) => [t.enterpriseId, t.kind, t.assigneeAgencyId, t.status])).toEqual([
      [ent(2), 'warning_notice', `${tag}-district-dust`, 'open'],
      [ent(3), 'interview', `${tag}-district-dust`, 'open'],
    ]);
    const v2 = await newReport(2);
    await a.recordFollowUps({ reportId: v2, rules: DEFAULT_REPORT_RULES, figures });
    expect(await stack.models.Task.countDocuments({ _id: /^report\// })).toBe(2);
    expect((await stack.models.Report.findById(v2).lean())?.followUps.map((f) => f.taskId)).toEqual(
      tasks.map((t) => t._id),
    );
    await a.archiveReport({ reportId: v2, figures });
    expect(await stack.models.Report.findById(v2).lean()).toMatchObject({
      status: 'done',
      figures: { totals: { enterprises: 4 } },
    });
  });
  it('one outage, one interview: the interview follow-up links to the interview the offline case already opened for the enterprise', async () => {
    const a = createReportActivities(stack.models);
    const offlineInterview = `offline/${ent(3)}-D0/20261120T000000Z/district_interview/${tag}-district-dust`;
    await stack.models.CaseRecord.create({
      _id: offlineInterview,
      type: 'interview',
      title: '约谈：测试企业3',
      enterpriseId: ent(3),
      regionPath: path,
      industry: 'dust_explosion',
      parentCaseId: `offline/${ent(3)}-D0/20261120T000000Z`,
      status: 'open',
      openedAt: new Date('2026-11-22T00:00:00Z'),
      updatedAt: new Date(),
    });
    const v3 = await newReport(3);
    await a.computeAndStoreFigures({
      reportId: v3,
      kind: 'weekly',
      periodStart: '2026-11-16',
      rules: DEFAULT_REPORT_RULES,
    });
    const cases = await a.recordReportFollowUpCases({ reportId: v3, rules: DEFAULT_REPORT_RULES });
    expect(cases.find((f) => f.action === 'interview')).toEqual({
      id: `weekly/2026-11-16/${ent(3)}/offline_interview`,
      action: 'interview',
      enterpriseId: ent(3),
      reason: expect.any(String),
      agencyId: `${tag}-district-dust`,
      interviewCaseId: offlineInterview,
    });
    expect(cases.find((f) => f.action === 'warning_notice')).not.toHaveProperty('interviewCaseId');
    expect(
      (await stack.models.Report.findById(v3).lean())?.followUps.find((f) => f.action === 'interview'),
    ).toMatchObject({ interviewCaseId: offlineInterview });
  });
});
