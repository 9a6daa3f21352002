/**
 * A monthly report (October 2026, Asia/Shanghai: 2026-09-30T16:00Z – 2026-10-31T16:00Z) over case records,
 * cleaning check-ins and device-day figures, hand-computed:
 *  - 测试企业1 (district 1): three alarms raised — closed after 30 min, after 90 min past its disposal
 *    deadline, one still open; a red warning whose warning notice went out in October (overdue).
 *    Score 100 − 8 (red) − 5 (overdue) − 1 (alarm past deadline) = 86.
 *  - 测试企业2 (district 1): three yellow warnings and a blue one raised (frequent: 3 non-blue ≥ 3); an
 *    on-site supervision open and an interview closed only after the month (both open at its end).
 *    Score 100 − 3 × 2 = 94.
 *  - 测试企业3 (district 2): one sensor offline 10 % of every day (74.4 h in all: interview); an orange
 *    warning raised in September repeated its notice in October (overdue); a cleaning plan (daily item:
 *    31 expected, 20 done; weekly item: 4 expected, 5 done) → 24 / 35 = 68.57 %.
 *    Score 100 − 20 (offline) − 3 (three days) − 5 (overdue) − 3.1 (cleaning) = 68.9.
 * Key enforcement targets: red first (企业1), then orange (企业3), then yellow (企业2).
 */
import { createReportActivities } from '../../activities/reports';
import { DEFAULT_REPORT_RULES } from '../../domain/reports/rules';
import { reportRun } from '../../workflows/report';
import { readMailbox } from '../../lib/mailbox';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

let stack: Stack;
const tag = 'mr';
const ent = (n: number) => `${tag}-ent-${n}`;
const path1 = [`${tag}-city`, `${tag}-district`, `${tag}-zone`];
const path2 = [`${tag}-city`, `${tag}-district2`, `${tag}-zone2`];
const at = (iso: string) => new Date(iso);

function caseRecord(
  id: string,
  type: string,
  enterpriseId: string,
  regionPath: string[],
  openedAt: string,
  opts: { closedAt?: string; level?: string; kinds?: [string, string][] } = {},
) {
  return {
    _id: id,
    type,
    enterpriseId,
    regionPath,
    industry: 'dust_explosion',
    title: id,
    level: opts.level,
    status: opts.closedAt ? 'closed' : 'open',
    openedAt: at(openedAt),
    closedAt: opts.closedAt ? at(opts.closedAt) : undefined,
    deadlines: [],
    timeline: [
      { key: 'opened', at: at(openedAt).toISOString(), kind: 'opened', actor: 'system' },
      ...(opts.kinds ?? []).map(([kind, when]) => ({
        key: `${kind}/${when}`,
        at: at(when).toISOString(),
        kind,
        actor: 'system',
      })),
    ],
    updatedAt: new Date(),
  };
}

beforeAll(async () => {
  stack = await startStack();
  await seedRegions(stack.models, tag);
  await stack.models.Region.create([
    {
      _id: `${tag}-district2`,
      name: '二区',
      kind: 'district',
      parentId: `${tag}-city`,
      path: [`${tag}-city`, `${tag}-district2`],
    },
    { _id: `${tag}-zone2`, name: '二区功能区', kind: 'zone', parentId: `${tag}-district2`, path: path2 },
  ]);
  await stack.models.Agency.create({
    _id: `${tag}-district2-dust`,
    name: '二区行业监管部门',
    role: 'district_industry_regulator',
    regionId: `${tag}-district2`,
    industries: ['dust_explosion'],
    emails: [`industry2-${tag}@gov.example`],
  });
  for (const n of [1, 2, 3]) await seedEnterprise(stack.models, tag, n, { devices: 1 });
  await stack.models.Enterprise.updateOne({ _id: ent(3) }, { $set: { regionId: `${tag}-zone2`, regionPath: path2 } });

  const days = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
  const stat = (e: string, p: string[], day: string, offlineSeconds: number) => ({
    _id: `sensor/${e}-D0/${day}`,
    sourceKind: 'sensor',
    sourceId: `${e}-D0`,
    enterpriseId: e,
    regionPath: p,
    industry: 'dust_explosion',
    day,
    offlineSeconds,
    suspendedSeconds: 0,
    updatedAt: new Date(),
  });
  await stack.models.DeviceDayStat.insertMany([
    stat(ent(1), path1, '2026-10-01', 0),
    ...days.map((d) => stat(ent(3), path2, d, 8640)),
  ]);

  await stack.models.CaseRecord.insertMany([
    caseRecord('alarm/a1', 'monitoring_alarm', ent(1), path1, '2026-10-03T02:00:00Z', {
      closedAt: '2026-10-03T02:30:00Z',
    }),
    caseRecord('alarm/a2', 'monitoring_alarm', ent(1), path1, '2026-10-04T02:00:00Z', {
      closedAt: '2026-10-04T03:30:00Z',
      kinds: [['overdue_escalated', '2026-10-04T03:00:00Z']],
    }),
    caseRecord('alarm/a3', 'monitoring_alarm', ent(1), path1, '2026-10-30T02:00:00Z'),
    caseRecord('alarm/a0', 'monitoring_alarm', ent(1), path1, '2026-09-10T02:00:00Z', {
      closedAt: '2026-09-10T02:10:00Z',
    }), // September
    caseRecord(`risk-warning/${ent(1)}/1`, 'risk_warning', ent(1), path1, '2026-10-05T02:00:00Z', {
      level: 'red',
      closedAt: '2026-10-06T02:00:00Z',
      kinds: [['notice_issued', '2026-10-05T02:30:00Z']],
    }),
    ...['06', '12', '18'].map((d) =>
      caseRecord(`risk-warning/${ent(2)}/${d}`, 'risk_warning', ent(2), path1, `2026-10-${d}T02:00:00Z`, {
        level: 'yellow',
        closedAt: `2026-10-${d}T02:40:00Z`,
      }),
    ),
    caseRecord(`risk-warning/${ent(2)}/b`, 'risk_warning', ent(2), path1, '2026-10-20T02:00:00Z', {
      level: 'blue',
      closedAt: '2026-10-21T02:00:00Z',
    }),
    caseRecord(`risk-warning/${ent(2)}/onsite`, 'onsite_supervision', ent(2), path1, '2026-10-10T02:00:00Z'),
    caseRecord(`interview/${ent(2)}/1`, 'interview', ent(2), path1, '2026-09-20T02:00:00Z', {
      closedAt: '2026-11-05T02:00:00Z',
    }),
    caseRecord(`interview/${ent(2)}/2`, 'interview', ent(2), path1, '2026-10-02T02:00:00Z', {
      closedAt: '2026-10-15T02:00:00Z',
    }),
    caseRecord(`risk-warning/${ent(3)}/1`, 'risk_warning', ent(3), path2, '2026-09-20T02:00:00Z', {
      level: 'orange',
      kinds: [
        ['notice_issued', '2026-09-20T03:00:00Z'],
        ['notice_repeated', '2026-10-02T03:00:00Z'],
      ],
    }),
  ]);

  await stack.db.collection('cleaning_plans').insertOne({
    _id: ent(3) as never,
    items: [
      { item: '除尘器灰斗', frequency: 'daily' },
      { item: '车间地面', frequency: 'weekly' },
    ],
    updatedBy: 'test',
    updatedAt: new Date(),
  });
  const checkIn = (item: string, iso: string) => ({
    enterpriseId: ent(3),
    item,
    person: '张三',
    at: at(iso),
    createdBy: 'test',
    createdAt: new Date(),
  });
  await stack.models.CleaningCheckIn.insertMany([
    ...Array.from({ length: 20 }, (_, i) =>
      checkIn('除尘器灰斗', `2026-10-${String(i + 1).padStart(2, '0')}T01:00:00Z`),
    ),
    checkIn('除尘器灰斗', '2026-09-30T15:00:00Z'), // 23:00 on 30 September in Shanghai: not October
    ...[2, 9, 16, 23, 30].map((d) => checkIn('车间地面', `2026-10-${String(d).padStart(2, '0')}T01:00:00Z`)),
  ]);

  // September's monthly report, twice: the yearly score takes the latest version (企业1: 80).
  for (const [v, s] of [
    [1, 70],
    [2, 80],
  ])
    await stack.models.Report.create({
      _id: `report/monthly/2026-09-01/v${v}`,
      kind: 'monthly',
      periodStart: '2026-09-01',
      periodEnd: '2026-10-01',
      version: v,
      status: 'done',
      rulesVersion: 1,
      followUps: [],
      scores: [{ e: ent(1), s }],
      requestedBy: 'test',
      createdAt: new Date(),
    });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a monthly report', () => {
  it('counts alarms and their disposal time, warnings by level, overdue and frequent warnings, open supervisions and interviews, cleaning compliance', async () => {
    const a = createReportActivities(stack.models);
    const f = await a.computeFigures({ kind: 'monthly', periodStart: '2026-10-01', rules: DEFAULT_REPORT_RULES });
    const rows = Object.fromEntries(f.enterprises.map((r) => [r.enterpriseId, r]));
    expect(rows[ent(1)]).toMatchObject({
      alarmsRaised: 3,
      alarmsDisposed: 2,
      alarmsOverDeadline: 1,
      disposalMedianMinutes: 60,
      disposalAvgMinutes: 60,
      warnings: 1,
      warningsByLevel: { red: 1 },
      overdueWarnings: { red: 1 },
      frequentWarnings: false,
    });
    expect(rows[ent(2)]).toMatchObject({
      warnings: 4,
      warningsByLevel: { yellow: 3, blue: 1 },
      overdueWarnings: { yellow: 0 },
      frequentWarnings: true,
      openOnsiteSupervisions: 1,
      openInterviews: 1,
    });
    expect(rows[ent(3)]).toMatchObject({
      dataOfflineRatePercent: 10,
      longestOfflineHours: 74.4,
      warnings: 0,
      overdueWarnings: { orange: 1 },
      cleaningExpected: 35,
      cleaningDone: 24,
      cleaningCompliancePercent: 68.57,
      regionId: `${tag}-zone2`,
    });
    expect(rows[ent(1)].cleaningCompliancePercent).toBeUndefined();
    expect(f.totals).toMatchObject({
      enterprises: 3,
      alarmsRaised: 3,
      alarmsOverDeadline: 1,
      disposalMedianMinutes: 60,
      warnings: 5,
      warningsByLevel: { red: 1, orange: 0, yellow: 3, blue: 1 },
      overdueWarnings: { red: 1, orange: 1 },
      frequentWarningEnterprises: 1,
      openOnsiteSupervisions: 1,
      openInterviews: 1,
    });
    // Trend: September had one alarm (10 min) and the orange warning.
    expect(f.previousTotals).toMatchObject({
      alarmsRaised: 1,
      disposalMedianMinutes: 10,
      warnings: 1,
      warningsByLevel: { orange: 1 },
    });

    const regions = Object.fromEntries((f.regions ?? []).map((r) => [r.regionId, r]));
    expect(Object.keys(regions).sort()).toEqual([`${tag}-city`, `${tag}-district`, `${tag}-district2`]);
    expect(regions[`${tag}-district`]).toMatchObject({
      regionKind: 'district',
      regionName: '区',
      enterprises: 2,
      warnings: 5,
      alarmsRaised: 3,
      disposalMedianMinutes: 60,
      openOnsiteSupervisions: 1,
      openInterviews: 1,
    });
    expect(regions[`${tag}-district2`]).toMatchObject({
      enterprises: 1,
      dataOfflineRatePercent: 10,
      cleaningCompliancePercent: 68.57,
      previous: { warnings: 1 },
    });
    expect(regions[`${tag}-city`]).toMatchObject({
      regionKind: 'city',
      enterprises: 3,
      dataOfflineRatePercent: 5,
      warnings: 5,
    });
  });

  it('scores each enterprise, ranks enterprises and districts, shows where problems concentrate, and builds the yearly score from the monthly ones', async () => {
    const a = createReportActivities(stack.models);
    const f = await a.computeFigures({ kind: 'monthly', periodStart: '2026-10-01', rules: DEFAULT_REPORT_RULES });
    const rows = Object.fromEntries(f.enterprises.map((r) => [r.enterpriseId, r]));
    expect([1, 2, 3].map((n) => [rows[ent(n)].score, rows[ent(n)].rank])).toEqual([
      [86, 2],
      [94, 1],
      [68.9, 3],
    ]);
    expect(rows[ent(1)]).toMatchObject({ yearScore: 83, yearMonths: 2 });
    expect(rows[ent(2)]).toMatchObject({ yearScore: 94, yearMonths: 1 });
    const b = f.bulletin!;
    expect(b.top.map((r) => r.enterpriseName)).toEqual(['测试企业2', '测试企业1', '测试企业3']);
    expect(b.regions.map((r) => [r.regionId, r.meanScore, r.rankByScore, r.rankByOffline, r.rankByWarnings])).toEqual([
      [`${tag}-district`, 90, 1, 1, 2],
      [`${tag}-district2`, 68.9, 2, 2, 1],
    ]);
    expect(b.problemEnterprises).toBe(3);
    expect(b.concentration.byRegion.map((c) => [c.name, c.problemEnterprises, c.sharePercent])).toEqual([
      ['区', 2, 66.67],
      ['二区', 1, 33.33],
    ]);
    expect(b.concentration.byIndustry).toMatchObject([
      { key: 'dust_explosion', name: '粉尘涉爆', problemEnterprises: 3 },
    ]);
  });

  it('lists the key enforcement targets, red and orange first, and makes the other follow-ups tasks', async () => {
    const a = createReportActivities(stack.models);
    const figures = await a.computeFigures({ kind: 'monthly', periodStart: '2026-10-01', rules: DEFAULT_REPORT_RULES });
    await stack.models.Report.create({
      _id: 'report/monthly/2026-10-01/v9',
      kind: 'monthly',
      periodStart: '2026-10-01',
      periodEnd: '2026-11-01',
      version: 9,
      status: 'running',
      rulesVersion: 1,
      requestedBy: 'test',
      createdAt: new Date(),
    });
    const list = await a.recordFollowUps({
      reportId: 'report/monthly/2026-10-01/v9',
      rules: DEFAULT_REPORT_RULES,
      figures,
    });
    expect(list.filter((x) => x.rule === 'key_target').map((x) => [x.enterpriseId, x.priority])).toEqual([
      [ent(1), 0],
      [ent(3), 1],
      [ent(2), 2],
    ]);
    expect(list.find((x) => x.enterpriseId === ent(2) && x.rule === 'key_target')?.reason).toContain('频发预警');
    expect(list.find((x) => x.enterpriseId === ent(1) && x.rule === 'key_target')?.reason).toContain('逾期预警 red');
    expect(list.filter((x) => x.rule !== 'key_target').map((x) => [x.enterpriseId, x.action])).toEqual([
      [ent(3), 'warning_notice'],
      [ent(3), 'interview'],
    ]);
    await stack.models.Report.deleteOne({ _id: 'report/monthly/2026-10-01/v9' });
  });

  it('the report run mails each agency in scope its summary with the PDF attached, once per report version and agency', async () => {
    const reportId = 'report/monthly/2026-10-01/v1';
    await stack.models.Report.create({
      _id: reportId,
      kind: 'monthly',
      periodStart: '2026-10-01',
      periodEnd: '2026-11-01',
      version: 1,
      status: 'running',
      rulesVersion: 1,
      requestedBy: 'test',
      createdAt: new Date(),
    });
    const progress = await stack.client.workflow.execute(reportRun, {
      workflowId: reportId,
      taskQueue: stack.taskQueue,
      args: [{ kind: 'monthly', periodStart: '2026-10-01' }],
    });
    expect(progress).toMatchObject({ step: 'archived', enterprises: 3, agencies: 4, mailed: 4 });
    const doc = await stack.models.Report.findById(reportId).lean();
    expect(doc).toMatchObject({ status: 'done', scores: expect.arrayContaining([{ e: ent(1), s: 86 }]) });
    expect(doc?.pdfPath).toMatch(/\.pdf$/);

    const mine = readMailbox(stack.mailboxDir).filter(
      (m) => m.subject.includes('2026-10-01') && m.to.some((t) => t.endsWith(`-${tag}@gov.example`)),
    );
    expect(mine.map((m) => m.to[0]).sort()).toEqual([
      `emergency-${tag}@gov.example`,
      `industry-${tag}@gov.example`,
      `industry2-${tag}@gov.example`,
      `zone-${tag}@gov.example`,
    ]);
    const district2 = mine.find((m) => m.to[0] === `industry2-${tag}@gov.example`)!;
    expect(district2.subject).toContain('月报');
    expect(district2.text).toContain('纳入统计企业 1 家');
    expect(district2.text).toContain('测试企业3：10.00%');
    expect(district2.attachments).toEqual([
      expect.objectContaining({ filename: 'monthly-report-2026-10-01-v1.pdf', contentType: 'application/pdf' }),
    ]);
    expect(district2.attachments[0].size).toBeGreaterThan(10_000);
    expect(await stack.models.Delivery.countDocuments({ _id: new RegExp(`^${reportId}/mail/`) })).toBe(4);

    // A retry of the mail step (same report version) sends nothing again.
    const before = readMailbox(stack.mailboxDir).length;
    const { createActivities } = await import('../../activities');
    const acts = createActivities({ models: stack.models, mailer: stack.mailer, mailFrom: 'test <t@warnflow.local>' });
    const again = await acts.sendMail({
      key: `${reportId}/mail/${tag}-district2-dust`,
      caseId: reportId,
      to: [`industry2-${tag}@gov.example`],
      template: 'report-summary',
      data: {},
      attachments: [{ filename: 'x.pdf', path: doc!.pdfPath! }],
    });
    expect(again.status).toBe('already_sent');
    expect(readMailbox(stack.mailboxDir).length).toBe(before);
  });
});
