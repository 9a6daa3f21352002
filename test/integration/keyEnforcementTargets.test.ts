/**
 * 002 第三十、三十一条: enterprises with overdue or frequent warnings (not blue; above all orange and red) are
 * listed as key targets of the YEAR's enforcement inspections. Each monthly report run upserts the yearly list
 * (one KeyEnforcementTarget per enterprise and year, with the months and reasons it was listed; a re-run adds
 * nothing twice); regulators see the list within their jurisdiction, and a regulator or an administrator
 * schedules the on-site enforcement inspection (现场执法检查): a task for the district industry regulator.
 */
import { createReportActivities } from '../../activities/reports';
import type { ReportFigures } from '../../activities/reportFigures';
import { DEFAULT_REPORT_RULES } from '../../domain/reports/rules';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { PageClient } from '../e2e/world';

let stack: Stack;
let regulator: string;
let otherRegulator: string;
let admin: string;
let enterpriseUser: string;
let entId: string;
let regionId: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'k');
  await seedRegions(stack.models, 'l');
  entId = (await seedEnterprise(stack.models, 'k', 1)).enterpriseId;
  regionId = (await stack.models.Enterprise.findById(entId).lean())!.regionId;
  regulator = await userToken(stack.models, stack.baseUrl, 'k-reg', 'regulator', { agencyId: 'k-district-dust' });
  otherRegulator = await userToken(stack.models, stack.baseUrl, 'l-reg', 'regulator', { agencyId: 'l-district-dust' });
  admin = await userToken(stack.models, stack.baseUrl, 'k-admin', 'admin');
  enterpriseUser = await userToken(stack.models, stack.baseUrl, 'k-ent', 'enterprise', { enterpriseId: entId });
});
afterAll(async () => {
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);

/** A monthly run's follow-ups for one enterprise with the given warnings (the figures as the run stores them). */
async function monthlyRun(
  periodStart: string,
  warnings: Pick<ReportFigures['enterprises'][number], 'overdueWarnings' | 'warningsByLevel'>,
) {
  const reportId = `report/monthly/${periodStart}/v1`;
  await stack.models.Report.updateOne(
    { _id: reportId },
    {
      $setOnInsert: {
        kind: 'monthly',
        periodStart,
        periodEnd: periodStart,
        version: 1,
        status: 'running',
        rulesVersion: 1,
        requestedBy: 'test',
        createdAt: new Date(),
      },
    },
    { upsert: true },
  );
  const figures = {
    period: { kind: 'monthly', start: periodStart },
    enterprises: [
      {
        enterpriseId: entId,
        regionId,
        dataOfflineRatePercent: 0,
        videoOfflineRatePercent: 0,
        longestOfflineHours: 0,
        ...warnings,
      },
    ],
  } as unknown as ReportFigures;
  return createReportActivities(stack.models).recordFollowUps({ reportId, rules: DEFAULT_REPORT_RULES, figures });
}

it('each monthly run upserts the yearly list: one entry per enterprise and year, with the months and reasons; a re-run adds nothing', async () => {
  await monthlyRun('2026-10-01', { overdueWarnings: { red: 1 }, warningsByLevel: { red: 1 } });
  await monthlyRun('2026-11-01', { overdueWarnings: {}, warningsByLevel: { orange: 2, yellow: 1 } });
  await monthlyRun('2026-10-01', { overdueWarnings: { red: 1 }, warningsByLevel: { red: 1 } });
  const docs = await stack.models.KeyEnforcementTarget.find({ enterpriseId: entId }).lean();
  expect(docs).toHaveLength(1);
  expect(docs[0]).toMatchObject({ _id: `2026/${entId}`, year: 2026, enterpriseId: entId });
  expect(docs[0].months).toEqual([
    { month: '2026-10', reason: '逾期预警 red', priority: 0, reportId: 'report/monthly/2026-10-01/v1' },
    { month: '2026-11', reason: '频发预警 yellow×1, orange×2', priority: 1, reportId: 'report/monthly/2026-11-01/v1' },
  ]);
});

it('regulators see the list within their jurisdiction; an enterprise user may not', async () => {
  const mine = await api(regulator, 'GET', '/api/v1/key-targets?year=2026');
  expect(mine.status).toBe(200);
  expect(mine.body).toEqual([
    expect.objectContaining({
      enterpriseId: entId,
      year: 2026,
      months: [expect.objectContaining({ month: '2026-10' }), expect.objectContaining({ month: '2026-11' })],
    }),
  ]);
  expect((await api(otherRegulator, 'GET', '/api/v1/key-targets?year=2026')).body).toEqual([]);
  expect((await api(enterpriseUser, 'GET', '/api/v1/key-targets?year=2026')).status).toBe(403);
  expect(await api(regulator, 'GET', '/api/v1/key-targets?year=26')).toMatchObject({
    status: 400,
    body: { field: 'year' },
  });
});

it('a regulator schedules the on-site enforcement inspection: a task for the district industry regulator, once; outside the jurisdiction 404', async () => {
  const path = `/api/v1/key-targets/2026/${entId}/inspection`;
  expect(await api(otherRegulator, 'POST', path, { note: '现场执法检查' })).toMatchObject({
    status: 404,
    body: { field: 'enterpriseId' },
  });
  const scheduled = await api(regulator, 'POST', path, { note: '十二月第一周现场执法检查' });
  expect(scheduled.status).toBe(201);
  const taskId = `key-target/2026/${entId}/inspection`;
  expect(scheduled.body).toEqual({ taskId });
  // The inspection case's workflow opens the task.
  expect(await waitFor(() => stack.models.Task.findById(taskId).lean())).toMatchObject({
    kind: 'enforcement_inspection',
    assigneeAgencyId: 'k-district-dust',
    enterpriseId: entId,
    status: 'open',
    form: 'enforcementInspectionRecord',
  });
  expect((await stack.models.KeyEnforcementTarget.findById(`2026/${entId}`).lean())?.inspection).toMatchObject({
    taskId,
    scheduledBy: 'k-reg',
  });
  expect(await api(admin, 'POST', path, {})).toMatchObject({ status: 409, body: { field: 'enterpriseId' } });
  expect(await stack.models.AuditEntry.findOne({ action: 'key_target.inspection_scheduled' }).lean()).toMatchObject({
    actor: 'k-reg',
    target: taskId,
  });
  expect((await api(regulator, 'POST', `/api/v1/key-targets/2025/${entId}/inspection`, {})).status).toBe(404);
});

it('the inspection is a case of its own (enforcement_inspection): opened with its task, closed by the recorded findings on its timeline', async () => {
  const ent2 = (await seedEnterprise(stack.models, 'k', 7)).enterpriseId;
  await stack.models.KeyEnforcementTarget.updateOne(
    { _id: `2026/${ent2}` },
    {
      $setOnInsert: {
        year: 2026,
        enterpriseId: ent2,
        regionPath: (await stack.models.Enterprise.findById(ent2).lean())!.regionPath,
        industry: 'metal',
        months: [
          { month: '2026-11', reportId: 'report/monthly/2026-11-01/v1', reason: '橙色预警逾期 1 次', priority: 1 },
        ],
        updatedAt: new Date(),
      },
    },
    { upsert: true },
  );
  const caseId = `key-target/2026/${ent2}`;
  const taskId = `${caseId}/inspection`;
  expect(
    (await api(regulator, 'POST', `/api/v1/key-targets/2026/${ent2}/inspection`, { note: '突击检查' })).status,
  ).toBe(201);
  const opened = await waitFor(() => stack.models.CaseRecord.findById(caseId).lean());
  expect(opened).toMatchObject({
    type: 'enforcement_inspection',
    status: 'open',
    enterpriseId: ent2,
    trackingAgencyId: 'k-district-dust',
  });
  expect(opened.timeline.map((e) => e.kind)).toEqual(['opened']);
  const task = await waitFor(() => stack.models.Task.findById(taskId).lean());
  expect(task).toMatchObject({ caseId, caseType: 'enforcement_inspection', status: 'open' });
  const done = await api(regulator, 'POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, {
    form: { findings: '除尘系统锁气卸灰装置未按规定维护', violationsFound: true },
  });
  expect(done.body).toMatchObject({ status: 'done' });
  const closed = await waitFor(async () => {
    const c = await stack.models.CaseRecord.findById(caseId).lean();
    return c?.status === 'closed' ? c : undefined;
  });
  expect(closed.timeline.map((e) => [e.kind, e.actor])).toEqual([
    ['opened', 'k-reg'],
    ['inspected', 'k-reg'],
    ['closed', 'system'],
  ]);
  expect(closed.timeline[1].detail).toBe(
    '发现违法行为 violations found; 检查情况 findings: 除尘系统锁气卸灰装置未按规定维护',
  );
});

async function waitFor<T>(read: () => Promise<T | null | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting');
}

it('the page lists the year within the jurisdiction, linked from the nav, and offers the inspection only while unscheduled', async () => {
  await monthlyRun('2026-12-01', { overdueWarnings: { orange: 1 }, warningsByLevel: { orange: 1 } });
  const other = (await seedEnterprise(stack.models, 'k', 2)).enterpriseId;
  await stack.models.KeyEnforcementTarget.create({
    _id: `2026/${other}`,
    year: 2026,
    enterpriseId: other,
    regionPath: (await stack.models.Enterprise.findById(other).lean())!.regionPath,
    industry: 'dust_explosion',
    months: [{ month: '2026-12', reason: '逾期预警 yellow', priority: 2, reportId: 'report/monthly/2026-12-01/v1' }],
    updatedAt: new Date(),
  });
  const page = new PageClient(stack.baseUrl);
  await page.login('k-reg', 'pw-warn-123456');
  const list = await page.get('/key-targets?year=2026');
  expect(list.status).toBe(200);
  expect(list.html).toContain('href="/key-targets"');
  expect(list.html).toContain('2026-12：逾期预警 orange');
  expect(list.html).not.toContain(`action="/key-targets/2026/${entId}/inspection"`); // scheduled above
  expect(list.html).toContain(`action="/key-targets/2026/${other}/inspection"`);
  const done = await page.post(`/key-targets/2026/${other}/inspection`, { note: '' });
  expect(done).toMatchObject({ status: 303, location: '/key-targets?year=2026' });
  expect(
    (await waitFor(() => stack.models.Task.findById(`key-target/2026/${other}/inspection`).lean())).assigneeAgencyId,
  ).toBe('k-district-dust');
  const outside = new PageClient(stack.baseUrl);
  await outside.login('l-reg', 'pw-warn-123456');
  expect((await outside.get('/key-targets?year=2026')).html).toContain('本年度暂无重点执法对象');
});
