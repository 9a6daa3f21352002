/**
 * Special-work permits (issue 13) in a weekly report (and in the monthly report of November 2026, which adds the
 * permit of 11-10 and the alarm of 11-24) (week of Monday 2026-11-16, Asia/Shanghai, i.e.
 * 2026-11-15T16:00Z – 2026-11-22T16:00Z), hand-counted:
 *  - 测试企业1: hot work issued 11-17 (closed), hot work issued 11-18 and expired unaccepted the same day,
 *    confined space issued 11-19 (in progress), a conduct alarm 11-18
 *  - 测试企业2: lifting issued 11-20 and expired unaccepted, a conduct alarm 11-20; outside the week:
 *    hot work issued 11-10 (expired 11-10) and a conduct alarm 11-24; a refused application (never issued)
 * → permits issued 4 (hot work 2, confined space 1, lifting 1), expired without acceptance 2, conduct alarms 2;
 * in the figures, the stored report, the PDF's text and the summary mail.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { createReportActivities } from '../../activities/reports';
import { DEFAULT_REPORT_RULES } from '../../domain/reports/rules';
import { DEFAULT_PERMIT_POLICY, type PermitStatus, type WorkType } from '../../domain/permits';
import { renderMail } from '../../lib/mailTemplates';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { permitApplication } from '../helpers/permitWorld';

let stack: Stack;
const tag = 'rpm';
const ent = (n: number) => `${tag}-ent-${n}`;
const path = [`${tag}-city`, `${tag}-district`, `${tag}-zone`];
const reportsDir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'report-permits-'));

function permitDoc(id: string, n: number, type: WorkType, status: PermitStatus, issued?: string, closed?: string) {
  const at = new Date(issued ?? '2026-11-17T02:00:00Z');
  return {
    _id: `${tag}-${id}`,
    caseId: `permit/${tag}-${id}`,
    enterpriseId: ent(n),
    regionPath: path,
    industry: 'dust_explosion',
    type,
    level: type === 'hot_work' ? 'level2' : 'single',
    managedLevel: type === 'hot_work' ? 'level2' : 'single',
    place: '罐区',
    content: '检修',
    validFrom: at,
    validTo: new Date(at.getTime() + 6 * 3600_000),
    status,
    application: permitApplication({ enterpriseId: ent(n) }),
    signOffs: [],
    policyVersion: DEFAULT_PERMIT_POLICY.version,
    appliedAt: at,
    ...(issued ? { issuedAt: at } : {}),
    ...(closed ? { closedAt: new Date(closed) } : {}),
    updatedAt: at,
  };
}

function conductAlarm(id: string, n: number, openedAt: string) {
  return {
    _id: `permit/${tag}-${id}/conduct/1`,
    type: 'permit_conduct_alarm',
    title: '作业违规报警',
    enterpriseId: ent(n),
    regionPath: path,
    industry: 'dust_explosion',
    parentCaseId: `permit/${tag}-${id}`,
    status: 'open',
    openedAt: new Date(openedAt),
    updatedAt: new Date(openedAt),
  };
}

beforeAll(async () => {
  stack = await startStack();
  await seedRegions(stack.models, tag);
  for (const n of [1, 2]) await seedEnterprise(stack.models, tag, n, { devices: 1 });
  await stack.models.Permit.insertMany([
    permitDoc('p1', 1, 'hot_work', 'closed', '2026-11-17T02:00:00Z', '2026-11-17T06:00:00Z'),
    permitDoc('p2', 1, 'hot_work', 'expired', '2026-11-18T02:00:00Z', '2026-11-18T08:00:00Z'),
    permitDoc('p3', 1, 'confined_space', 'in_progress', '2026-11-19T02:00:00Z'),
    permitDoc('p4', 2, 'lifting', 'expired', '2026-11-20T02:00:00Z', '2026-11-20T08:00:00Z'),
    permitDoc('p5', 2, 'hot_work', 'expired', '2026-11-10T02:00:00Z', '2026-11-10T08:00:00Z'),
    permitDoc('p6', 2, 'hot_work', 'refused', undefined, '2026-11-17T03:00:00Z'),
  ]);
  await stack.models.CaseRecord.insertMany([
    conductAlarm('p2', 1, '2026-11-18T08:00:00Z'),
    conductAlarm('p4', 2, '2026-11-20T08:00:00Z'),
    conductAlarm('p7', 2, '2026-11-24T08:00:00Z'),
  ]);
});
afterAll(async () => {
  await stack?.stop();
  fs.rmSync(reportsDir, { recursive: true, force: true });
});

describe('permits in a weekly report', () => {
  it('counts the permits issued by type, those expired without acceptance and the conduct alarms, per enterprise and in total; stored, in the PDF and in the summary mail', async () => {
    const a = createReportActivities(stack.models, { reportsDir });
    const reportId = 'report/weekly/2026-11-16/v1';
    await stack.models.Report.create({
      _id: reportId,
      kind: 'weekly',
      periodStart: '2026-11-16',
      periodEnd: '2026-11-23',
      version: 1,
      status: 'running',
      rulesVersion: 1,
      requestedBy: 'test',
      createdAt: new Date(),
    });
    await a.computeAndStoreFigures({
      reportId,
      kind: 'weekly',
      periodStart: '2026-11-16',
      rules: DEFAULT_REPORT_RULES,
    });
    const stored = (await stack.models.Report.findById(reportId).lean())!.figures as unknown as Awaited<
      ReturnType<typeof a.computeFigures>
    >;
    const rows = Object.fromEntries(stored.enterprises.map((r) => [r.enterpriseId, r]));
    expect([rows[ent(1)].permitsByType, rows[ent(1)].permitsExpired, rows[ent(1)].permitConductAlarms]).toEqual([
      { hot_work: 2, confined_space: 1 },
      1,
      1,
    ]);
    expect([rows[ent(2)].permitsByType, rows[ent(2)].permitsExpired, rows[ent(2)].permitConductAlarms]).toEqual([
      { lifting: 1 },
      1,
      1,
    ]);
    expect(stored.totals).toMatchObject({
      permits: 4,
      permitsByType: {
        hot_work: 2,
        confined_space: 1,
        blind_plate: 0,
        work_at_height: 0,
        lifting: 1,
        temporary_power: 0,
        excavation: 0,
        road_breaking: 0,
      },
      permitsExpired: 2,
      permitConductAlarms: 2,
    });
    // The week before: the hot work issued 11-10 and expired the same day.
    expect(stored.previousTotals).toMatchObject({ permits: 1, permitsExpired: 1, permitConductAlarms: 0 });

    const pdf = await a.renderReportFile({ reportId });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(
      '特殊作业票签发4张（动火作业2，受限空间作业1，吊装作业1）；到期未验收2张；作业违规报警2起。',
    );

    const mailing = (await a.reportMailings({ reportId })).find((x) => x.agencyId === `${tag}-zone-safety`)!;
    expect(mailing.data).toMatchObject({ permits: 4, permitsExpired: 2, permitConductAlarms: 2 });
    const mail = renderMail('report-summary', mailing.data);
    expect(mail.text).toContain(
      '特殊作业票签发 4 张（动火作业 2，受限空间作业 1，吊装作业 1），到期未验收 2 张，作业违规报警 2 起',
    );
    expect(mail.text).toContain('4 special-work permits issued (2 expired without acceptance, 2 conduct alarms)');
  });

  it('a monthly report (November 2026) counts the whole month: 5 issued (hot work 3), 3 expired, 3 conduct alarms', async () => {
    const f = await createReportActivities(stack.models, { reportsDir }).computeFigures({
      kind: 'monthly',
      periodStart: '2026-11-01',
    });
    expect(f.totals).toMatchObject({
      permits: 5,
      permitsByType: { hot_work: 3, confined_space: 1, lifting: 1 },
      permitsExpired: 3,
      permitConductAlarms: 3,
    });
  });
});
