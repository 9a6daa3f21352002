/** The report schedules on the dev server (Asia/Shanghai), and a report run through the worker. */
import { nextMonthlyRun, nextWeeklyRun } from '../../domain/reports/periods';
import { reportDeadlineCheck, reportProgressQuery, reportRun } from '../../workflows/report';
import { periodForRun } from '../../domain/reports/periods';
import { ensureReportSchedules } from '../../worker/reportSchedules';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

let stack: Stack;
let ids: string[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const id of ids)
    await stack.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await stack?.stop();
});

function chain(next: (ms: number) => number, fromMs: number, n: number): string[] {
  const out: string[] = [];
  let t = fromMs;
  for (let i = 0; i < n; i++) out.push(new Date((t = next(t))).toISOString());
  return out;
}

describe('report schedules', () => {
  it('are ensured idempotently, and fire every Monday and on the 1st at 08:00 Shanghai time (due before 11:00), across month and year ends', async () => {
    ids = await ensureReportSchedules(stack.client, stack.taskQueue);
    expect(await ensureReportSchedules(stack.client, stack.taskQueue)).toEqual(ids);
    const [weekly, weeklyDeadline, monthly, monthlyDeadline] = await Promise.all(
      ids.map((id) => stack.client.schedule.getHandle(id).describe()),
    );
    // The deadline checks fire at 10:45 Shanghai (02:45 UTC) the same days.
    expect(
      weeklyDeadline.info.nextActionTimes.every(
        (d) => d.toISOString().endsWith('T02:45:00.000Z') && d.getUTCDay() === 1,
      ),
    ).toBe(true);
    expect(monthlyDeadline.info.nextActionTimes.every((d) => /-01T02:45:00\.000Z$/.test(d.toISOString()))).toBe(true);
    const now = Date.now();
    const w = weekly.info.nextActionTimes.map((d) => d.toISOString());
    const m = monthly.info.nextActionTimes.map((d) => d.toISOString());
    expect(w.length).toBeGreaterThanOrEqual(6);
    expect(m.length).toBeGreaterThanOrEqual(3);
    expect(w).toEqual(chain(nextWeeklyRun, now, w.length));
    expect(m).toEqual(chain(nextMonthlyRun, now, m.length));
    // Every fire is 00:00 UTC = 08:00 Asia/Shanghai, on a Monday / the 1st (the pure next-run functions
    // the server is compared with are checked across a month end and a year end in test/unit/reportPeriods.test.ts).
    expect(w.every((t) => t.endsWith('T00:00:00.000Z') && new Date(t).getUTCDay() === 1)).toBe(true);
    expect(m.every((t) => /-01T00:00:00\.000Z$/.test(t))).toBe(true);
    expect(new Set(m.map((t) => t.slice(0, 7))).size).toBe(m.length);
  });
});

describe('a report run', () => {
  it('runs as report/<kind>/<periodStart>/v1, answers its progress and archives its figures', async () => {
    await seedRegions(stack.models, 'rs');
    const e = await seedEnterprise(stack.models, 'rs', 1, { devices: 1 });
    await stack.models.DeviceDayStat.create({
      _id: `sensor/${e.devices[0]}/2026-11-17`,
      sourceKind: 'sensor',
      sourceId: e.devices[0],
      enterpriseId: e.enterpriseId,
      regionPath: ['rs-city', 'rs-district', 'rs-zone'],
      industry: 'dust_explosion',
      day: '2026-11-17',
      offlineSeconds: 3 * 86400,
      suspendedSeconds: 0,
      readings: 0,
      expectedReadings: 0,
      alarms: 0,
      outOfRange: 0,
      frozen: 0,
      updatedAt: new Date(),
    });
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
    const h = await stack.client.workflow.start(reportRun, {
      workflowId: reportId,
      taskQueue: stack.taskQueue,
      args: [{ kind: 'weekly', periodStart: '2026-11-16' }],
    });
    expect(await h.result()).toEqual({ step: 'archived', enterprises: 1, followUps: 2, agencies: 3, mailed: 3 });
    expect(await h.query(reportProgressQuery)).toMatchObject({ step: 'archived' });
    const doc = await stack.models.Report.findById(reportId).lean();
    expect(doc).toMatchObject({ status: 'done' });
    expect(doc?.followUps.map((f) => f.action)).toEqual(['warning_notice', 'interview']);
  });
});

describe('the 10:45 deadline check (002 第二十八条: due before 11:00)', () => {
  it('mails every administrator when the period of today has no finished report, once; a finished report alerts nobody', async () => {
    await stack.models.User.create({
      _id: 'rs-admin',
      displayName: '管理员',
      role: 'admin',
      email: 'admin-rs@warnflow.example',
      passwordHash: 'x',
      active: true,
      createdAt: new Date(),
    });
    const weekly = await stack.client.workflow.execute(reportDeadlineCheck, {
      workflowId: `report-deadline-check/weekly/${stack.taskQueue}`,
      taskQueue: stack.taskQueue,
      args: [{ kind: 'weekly' }],
    });
    expect(weekly).toEqual({ periodStart: periodForRun('weekly', Date.now()).start, alerted: true });
    const mail = await stack.models.Delivery.findById(`report-deadline/weekly/${weekly.periodStart}`).lean();
    expect(mail).toMatchObject({ to: ['admin-rs@warnflow.example'], template: 'report-late' });
    const p = periodForRun('monthly', Date.now());
    await stack.models.Report.create({
      _id: `report/monthly/${p.start}/v1`,
      kind: 'monthly',
      periodStart: p.start,
      periodEnd: p.end,
      version: 1,
      status: 'done',
      rulesVersion: 1,
      requestedBy: 'schedule',
      createdAt: new Date(),
    });
    const monthly = await stack.client.workflow.execute(reportDeadlineCheck, {
      workflowId: `report-deadline-check/monthly/${stack.taskQueue}`,
      taskQueue: stack.taskQueue,
      args: [{ kind: 'monthly' }],
    });
    expect(monthly).toEqual({ periodStart: p.start, alerted: false });
  });
});
