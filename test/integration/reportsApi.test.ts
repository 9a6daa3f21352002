/**
 * Reports on demand over HTTP: 202 with the report id, progress to done, 409 for the same period, a rerun
 * as v2 without duplicate follow-ups; the follow-ups are an Interview case and a warning-notice document.
 */
import { env, startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { waitForMail } from '../../lib/mailbox';

let stack: Stack;
let admin: string;
let regulator: string;
let entId: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'ra');
  admin = await userToken(stack.models, stack.baseUrl, 'ra-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'ra-regulator', 'regulator', {
    agencyId: 'ra-district-dust',
  });
  const e = await seedEnterprise(stack.models, 'ra', 1, { devices: 1 });
  entId = e.enterpriseId;
  // 49 h offline in the week of 2026-11-02 (Shanghai): a warning notice (29 %) and an interview.
  await stack.models.DeviceDayStat.insertMany(
    [
      ['2026-11-03', 86400],
      ['2026-11-04', 86400],
      ['2026-11-05', 3600],
    ].map(([day, s]) => ({
      _id: `sensor/${e.devices[0]}/${day}`,
      sourceKind: 'sensor',
      sourceId: e.devices[0],
      enterpriseId: e.enterpriseId,
      regionPath: ['ra-city', 'ra-district', 'ra-zone'],
      industry: 'dust_explosion',
      day,
      offlineSeconds: s,
      suspendedSeconds: 0,
      updatedAt: new Date(),
    })),
  );
});
afterAll(async () => {
  await stack?.stop();
});

/** Awaits the report's workflow, then reads the report over HTTP. */
async function done(reportId: string) {
  await stack.client.workflow.getHandle(reportId).result();
  const res = await call(stack.baseUrl, admin, 'GET', `/api/v1/reports/${reportId}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('reports on demand', () => {
  it('an administrator runs a past weekly report: 202 with its id, then done with figures and follow-ups', async () => {
    const res = await call(stack.baseUrl, admin, 'POST', '/api/v1/reports', {
      kind: 'weekly',
      periodStart: '2026-11-02',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ reportId: 'report/weekly/2026-11-02/v1' });
    const r = await done(res.body.reportId);
    expect(r).toMatchObject({ status: 'done', version: 1, figures: { totals: { enterprises: 1 } } });
    expect(r.followUps.map((f: { action: string }) => f.action)).toEqual(['warning_notice', 'interview']);
    const pdf = await fetch(`${stack.baseUrl}/api/v1/reports/${res.body.reportId}/pdf`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('its follow-ups: an interview case for the district regulator (scheduling task in its inbox) and a numbered warning notice mailed to the enterprise with its PDF', async () => {
    const interviewId = `report/weekly/2026-11-02/${entId}/offline_interview`;
    const task = await until(
      () => stack.models.Task.findById(`${interviewId}/schedule`).lean(),
      'the interview scheduling task',
    );
    expect(task).toMatchObject({
      caseType: 'interview',
      form: 'interviewSchedule',
      assigneeAgencyId: 'ra-district-dust',
      status: 'open',
    });
    expect(await stack.models.CaseRecord.findById(interviewId).lean()).toMatchObject({
      type: 'interview',
      enterpriseId: entId,
      trackingAgencyId: 'ra-district-dust',
      status: 'open',
    });
    const notice = (await stack.models.OfficialDocument.findById(
      `report/weekly/2026-11-02/warning_notice/${entId}`,
    ).lean())!;
    expect(notice).toMatchObject({
      kind: 'warning_notice',
      agencyId: 'ra-district-dust',
      toId: entId,
      facts: { reportId: 'report/weekly/2026-11-02/v1' },
    });
    const mail = await waitForMail(env('WARNFLOW_MAILBOX_DIR'), (m) => m.subject.includes(notice.number));
    expect(mail.to).toEqual([`safety-${entId}@ent.example`]);
    expect(mail.attachments.map((a) => a.filename)).toEqual([`警示通报-${notice.number}.pdf`]);
    // The enterprise finds it among its documents.
    const ent = await userToken(stack.models, stack.baseUrl, 'ra-ent-user', 'enterprise', { enterpriseId: entId });
    expect(
      (await call(stack.baseUrl, ent, 'GET', '/api/v1/documents')).body.map((d: { number: string }) => d.number),
    ).toContain(notice.number);
  });

  it('the same period again is refused with 409 naming it; a rerun makes v2 and no duplicate interview or notice', async () => {
    const again = await call(stack.baseUrl, admin, 'POST', '/api/v1/reports', {
      kind: 'weekly',
      periodStart: '2026-11-02',
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toContain('report/weekly/2026-11-02/v1');
    const rerun = await call(stack.baseUrl, admin, 'POST', '/api/v1/reports', {
      kind: 'weekly',
      periodStart: '2026-11-02',
      rerun: true,
    });
    expect(rerun.status).toBe(202);
    expect(rerun.body.reportId).toBe('report/weekly/2026-11-02/v2');
    expect((await done(rerun.body.reportId)).followUps).toHaveLength(2);
    // No second interview, no second notice.
    expect(await stack.models.CaseRecord.countDocuments({ _id: /^report\/weekly\/2026-11-02\// })).toBe(1);
    expect(await stack.models.OfficialDocument.countDocuments({ caseId: 'report/weekly/2026-11-02' })).toBe(1);
    expect(await stack.models.Task.countDocuments({ _id: /^report\/weekly\/2026-11-02\// })).toBe(1);
    const list = await call(stack.baseUrl, regulator, 'GET', '/api/v1/reports');
    expect(list.body.map((r: { _id: string }) => r._id)).toEqual([
      'report/weekly/2026-11-02/v2',
      'report/weekly/2026-11-02/v1',
    ]);
  });

  it('one outage, one interview: the monthly report links its interview follow-up to the interview the weekly report opened, and opens none', async () => {
    const weeklyInterview = `report/weekly/2026-11-02/${entId}/offline_interview`;
    const res = await call(stack.baseUrl, admin, 'POST', '/api/v1/reports', {
      kind: 'monthly',
      periodStart: '2026-11-01',
    });
    expect(res.status).toBe(202);
    const r = await done(res.body.reportId);
    const interview = r.followUps.find((f: { action: string }) => f.action === 'interview');
    expect(interview).toMatchObject({
      id: `monthly/2026-11-01/${entId}/offline_interview`,
      interviewCaseId: weeklyInterview,
    });
    expect(await stack.models.CaseRecord.countDocuments({ type: 'interview', enterpriseId: entId })).toBe(1);
    expect(
      await stack.models.CaseRecord.findById(`report/monthly/2026-11-01/${entId}/offline_interview`).lean(),
    ).toBeNull();
  });

  it('refuses a weekly period not starting on a Monday, a period not yet ended, and a regulator', async () => {
    const tuesday = await call(stack.baseUrl, admin, 'POST', '/api/v1/reports', {
      kind: 'weekly',
      periodStart: '2026-11-03',
    });
    expect(tuesday).toMatchObject({ status: 400, body: { field: 'periodStart' } });
    const future = await call(stack.baseUrl, admin, 'POST', '/api/v1/reports', {
      kind: 'monthly',
      periodStart: '2099-01-01',
    });
    expect(future).toMatchObject({ status: 400, body: { field: 'periodStart' } });
    expect(
      (await call(stack.baseUrl, regulator, 'POST', '/api/v1/reports', { kind: 'weekly', periodStart: '2026-10-26' }))
        .status,
    ).toBe(403);
  });
});
