/** The risk-warning public API over HTTP on the real stack: warnings, cases, tasks, with tokens, jurisdiction and refusals. */
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { waitForMail } from '../../lib/mailbox';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation';

let stack: Stack;
let admin: string;
let regulator: string;
let otherRegulator: string;
let enterpriseUser: string;
let entId: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'a');
  await seedRegions(stack.models, 'b');
  entId = (await seedEnterprise(stack.models, 'a', 1)).enterpriseId;
  await seedEnterprise(stack.models, 'b', 1);
  admin = await userToken(stack.models, stack.baseUrl, 'a-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'a-reg', 'regulator', { agencyId: 'a-district-dust' });
  otherRegulator = await userToken(stack.models, stack.baseUrl, 'b-reg', 'regulator', { agencyId: 'b-district-dust' });
  enterpriseUser = await userToken(stack.models, stack.baseUrl, 'a-ent-user', 'enterprise', { enterpriseId: entId });
});
afterAll(async () => {
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);
const casePath = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;

describe('risk warnings through the public API', () => {
  let caseId: string;

  it('POST /warnings opens a red warning (201 {caseId}); a second call for the same enterprise changes its level and answers with the same id', async () => {
    const first = await api(regulator, 'POST', '/api/v1/warnings', {
      enterpriseId: entId,
      level: 'red',
      reason: '风险指数 92',
    });
    expect(first.status).toBe(201);
    caseId = first.body.caseId;
    expect(caseId).toMatch(new RegExp(`^risk-warning/${entId}/`));
    const second = await api(admin, 'POST', '/api/v1/warnings', {
      enterpriseId: entId,
      level: 'orange',
      reason: '风险指数 75',
    });
    expect(second).toEqual({ status: 201, body: { caseId } });
    // The answer normally comes once the case shows the change (the service waits up to 5 s); a loaded machine may lag.
    const c = await until(async () => {
      const r = await api(regulator, 'GET', casePath(caseId));
      return r.body.timeline?.some((t: { kind: string }) => t.kind === 'level_changed') ? r.body : undefined;
    }, 'the level change on the timeline');
    expect(c).toMatchObject({
      id: caseId,
      type: 'risk_warning',
      enterpriseId: entId,
      level: 'orange',
      status: 'open',
      policyVersion: 1,
    });
    expect(c.deadlines[0]).toMatchObject({ kind: 'notice_issued', due: expect.any(String) });
    expect(c.timeline[0]).toMatchObject({ kind: 'opened', actor: 'a-reg', recipients: expect.any(Array) });
    expect(c.timeline.find((t: { kind: string }) => t.kind === 'notified').recipients).toContain(
      'emergency-a@gov.example',
    );
  });

  it('refuses a level that does not exist and an enterprise outside the caller jurisdiction, naming the field', async () => {
    expect(
      await api(regulator, 'POST', '/api/v1/warnings', { enterpriseId: entId, level: 'purple', reason: 'x' }),
    ).toMatchObject({ status: 400, body: { field: 'level' } });
    expect(
      await api(otherRegulator, 'POST', '/api/v1/warnings', { enterpriseId: entId, level: 'red', reason: 'x' }),
    ).toMatchObject({ status: 404, body: { field: 'enterpriseId' } });
    expect(
      (await api(enterpriseUser, 'POST', '/api/v1/warnings', { enterpriseId: entId, level: 'red', reason: 'x' }))
        .status,
    ).toBe(403);
    expect(
      (await api(undefined, 'POST', '/api/v1/warnings', { enterpriseId: entId, level: 'red', reason: 'x' })).status,
    ).toBe(401);
  });

  it('GET /cases filters by type, enterprise, status and level, within jurisdiction', async () => {
    const mine = await api(
      regulator,
      'GET',
      `/api/v1/cases?type=risk_warning&enterpriseId=${entId}&status=open&level=orange`,
    );
    expect(mine.status).toBe(200);
    expect(mine.body.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect((await api(otherRegulator, 'GET', `/api/v1/cases?type=risk_warning`)).body).toEqual([]);
    expect((await api(otherRegulator, 'GET', casePath(caseId))).status).toBe(404);
    expect((await api(regulator, 'GET', '/api/v1/cases?overdue=true')).body).toEqual([]);
    expect(await api(regulator, 'GET', '/api/v1/cases?level=purple')).toMatchObject({
      status: 400,
      body: { field: 'level' },
    });
  });

  it('the tracking task: another agency is refused (403), the assignee completes it, a second completion is a 409, and nothing changes', async () => {
    const taskId = `${caseId}/tracking/0`;
    const open = await api(regulator, 'GET', '/api/v1/tasks?status=open');
    expect(open.body.map((t: { _id: string }) => t._id)).toContain(taskId);
    expect(
      (await api(otherRegulator, 'GET', '/api/v1/tasks?status=open')).body.map((t: { _id: string }) => t._id),
    ).not.toContain(taskId);
    const path = `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`;
    expect(await api(otherRegulator, 'POST', path, { form: { note: '不是我的' } })).toMatchObject({ status: 403 });
    const done = await api(regulator, 'POST', path, { form: { note: '已跟踪' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', completedBy: 'a-reg' });
    expect(await api(regulator, 'POST', path, { form: { note: '再次' } })).toMatchObject({
      status: 409,
      body: { field: 'taskId' },
    });
    const t = await stack.models.Task.findById(taskId).lean();
    expect(t).toMatchObject({ status: 'done', completedBy: 'a-reg', result: { note: '已跟踪' } });
    await until(
      async () =>
        (await api(regulator, 'GET', casePath(caseId))).body.timeline.find(
          (x: { kind: string }) => x.kind === 'tracking_acknowledged',
        ),
      'tracking acknowledged on the timeline',
    );
    expect(await stack.models.AuditEntry.countDocuments({ action: 'task.completed', target: taskId })).toBe(1);
  });

  it('the enterprise feeds back (bad input refused by field), then the regulator clears and the case closes', async () => {
    expect(
      await api(enterpriseUser, 'POST', `${casePath(caseId)}/feedback`, {
        verification: '',
        cause: 'c',
        measures: 'm',
        responsiblePerson: 'p',
        accidentFound: false,
      }),
    ).toMatchObject({ status: 400, body: { field: 'verification' } });
    expect(
      (
        await api(regulator, 'POST', `${casePath(caseId)}/feedback`, {
          verification: 'v',
          cause: 'c',
          measures: 'm',
          responsiblePerson: 'p',
          accidentFound: false,
        })
      ).status,
    ).toBe(403);
    const fb = await api(enterpriseUser, 'POST', `${casePath(caseId)}/feedback`, {
      verification: '已核查',
      cause: '滤袋破损',
      measures: '更换滤袋',
      responsiblePerson: '张三',
      accidentFound: false,
    });
    expect(fb.status).toBe(200);
    expect(await api(regulator, 'POST', `${casePath(caseId)}/level`, { level: 'green', reason: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'level' },
    });
    expect(
      (await api(regulator, 'POST', `${casePath(caseId)}/level`, { level: 'clear', reason: '整改完成' })).status,
    ).toBe(200);
    const closed = await until(async () => {
      const r = await api(enterpriseUser, 'GET', casePath(caseId));
      return r.body.status === 'closed' ? r.body : undefined;
    }, 'the case closed');
    expect(closed.timeline.map((t: { kind: string }) => t.kind)).toEqual(
      expect.arrayContaining(['feedback', 'cleared', 'closed']),
    );
    expect(await api(regulator, 'POST', `${casePath(caseId)}/level`, { level: 'red', reason: 'again' })).toMatchObject({
      status: 409,
    });
    // A new warning for the same enterprise gets a fresh case record.
    const again = await api(regulator, 'POST', '/api/v1/warnings', {
      enterpriseId: entId,
      level: 'blue',
      reason: '复查',
    });
    expect(again.status).toBe(201);
    expect(again.body.caseId).not.toBe(caseId);
    expect((await api(regulator, 'GET', casePath(again.body.caseId))).body).toMatchObject({
      status: 'open',
      level: 'blue',
      enterpriseId: entId,
    });
    // The cleared case keeps refusing changes; they never reach the enterprise's new warning (same workflow id).
    expect(
      await api(regulator, 'POST', `${casePath(caseId)}/level`, { level: 'orange', reason: 'again' }),
    ).toMatchObject({ status: 409 });
    expect((await api(regulator, 'GET', casePath(again.body.caseId))).body.level).toBe('blue');
  });
});

describe('an edited escalation policy', () => {
  it('applies to warnings opened after it; a running warning keeps its version (a drill ladder in seconds runs on the real clock)', async () => {
    const before = (await api(regulator, 'GET', `/api/v1/cases?type=risk_warning&enterpriseId=${entId}&status=open`))
      .body[0];
    expect(before.policyVersion).toBe(1);
    const levels = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY.levels));
    levels.red = { ...levels.red, firstNoticeAfter: 'PT2S', repeatEvery: 'PT1H', onSiteAfter: 'PT2H' };
    expect((await api(admin, 'PUT', '/api/v1/policies/escalation', { levels })).body.version).toBe(2);
    const second = (await seedEnterprise(stack.models, 'a', 2)).enterpriseId;
    const res = await api(regulator, 'POST', '/api/v1/warnings', {
      enterpriseId: second,
      level: 'red',
      reason: '演练',
    });
    expect(res.status).toBe(201);
    const notice = await waitForMail(
      stack.mailboxDir,
      (m) =>
        m.to.includes('industry-a@gov.example') && m.subject.includes('警示通报') && m.text.includes(res.body.caseId),
    );
    expect(notice.subject).toMatch(/a-district-dust〔\d{4}〕\d+号/);
    const c = await until(async () => {
      const r = await api(regulator, 'GET', casePath(res.body.caseId));
      return r.body.timeline.some((t: { kind: string }) => t.kind === 'notice_issued') ? r.body : undefined;
    }, 'the drill notice on the timeline');
    expect(c.policyVersion).toBe(2);
    expect((await api(regulator, 'GET', casePath(before.id))).body.policyVersion).toBe(1);
  });
});
