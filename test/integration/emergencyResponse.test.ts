/**
 * Accident found (002 第十九条) through the API on the real stack (dev server, worker, MongoDB, SMTP catcher): the
 * enterprise's feedback opens an emergency-response case whose tasks the enterprise and the district emergency
 * bureau complete from their inboxes; the outbox shows a delivery refused for good to the administrator.
 */
import { waitForMail } from '../../lib/mailbox';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { call, userToken } from '../helpers/warningWorld';
import { PageClient, seedWorld } from '../e2e/world';

let stack: Stack;
let admin: string;
let enterprise: string;
let bureau: string;
const api = (token: string, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  await stack.models.Agency.create({
    _id: 'east-emergency',
    name: '东区应急管理局',
    role: 'district_emergency_bureau',
    regionId: 'east',
    industries: [],
    emails: ['east-emergency@gov.test'],
  });
  admin = await userToken(stack.models, stack.baseUrl, 'em-admin', 'admin');
  enterprise = await userToken(stack.models, stack.baseUrl, 'em-ent-a', 'enterprise', { enterpriseId: 'ent-a' });
  bureau = await userToken(stack.models, stack.baseUrl, 'em-bureau', 'regulator', { agencyId: 'east-emergency' });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

it('an accident found in the feedback opens the emergency-response case; the enterprise reports and the bureau ends it from their tasks', async () => {
  const raised = await api(admin, 'POST', '/api/v1/warnings', {
    enterpriseId: 'ent-a',
    level: 'orange',
    reason: '粉尘浓度超限',
  });
  expect(raised.status).toBe(201);
  const caseId = raised.body.caseId as string;
  const fb = await api(enterprise, 'POST', `/api/v1/cases/${encodeURIComponent(caseId)}/feedback`, {
    verification: '发现事故',
    cause: '粉尘爆燃',
    measures: '启动应急预案',
    responsiblePerson: '李四',
    accidentFound: true,
  });
  expect(fb.status).toBe(200);
  const emergencyId = `${caseId}/emergency`;
  const report = await until(
    () => stack.models.Task.findOne({ caseId: emergencyId, form: 'emergencyReport', status: 'open' }).lean(),
    'the emergency report task',
  );
  expect(report).toMatchObject({ kind: 'emergency_report', assigneeEnterpriseId: 'ent-a' });
  const close = await until(
    () => stack.models.Task.findOne({ caseId: emergencyId, form: 'emergencyClose', status: 'open' }).lean(),
    'the bureau task',
  );
  expect(close.assigneeAgencyId).toBe('east-emergency');
  const mail = await waitForMail(
    stack.mailboxDir,
    (m) => m.to.includes('east-emergency@gov.test') && m.subject.includes('应急响应'),
  );
  expect(mail.text).toContain(emergencyId);

  // Ending it before the enterprise reported is refused, naming the field; the task stays open.
  const early = await api(bureau, 'POST', `/api/v1/tasks/${encodeURIComponent(close._id)}/complete`, {
    form: { conclusion: '结束' },
  });
  expect(early.status).toBe(409);
  expect(early.body).toMatchObject({ field: 'conclusion', error: expect.stringContaining('has not reported') });
  expect((await stack.models.Task.findById(close._id).lean())!.status).toBe('open');

  expect(
    (
      await api(enterprise, 'POST', `/api/v1/tasks/${encodeURIComponent(report._id)}/complete`, {
        form: { actions: '疏散人员，明火已扑灭', underControl: true },
      })
    ).status,
  ).toBe(200);
  await until(
    async () =>
      (await stack.models.CaseRecord.findById(emergencyId).lean())?.timeline.some(
        (e) => e.kind === 'emergency_reported',
      ),
    'the report on the timeline',
  );
  expect(
    (
      await api(bureau, 'POST', `/api/v1/tasks/${encodeURIComponent(close._id)}/complete`, {
        form: { conclusion: '险情已排除，转入事故调查' },
      })
    ).status,
  ).toBe(200);
  const rec = await until(
    () => stack.models.CaseRecord.findOne({ _id: emergencyId, status: 'closed' }).lean(),
    'the closed emergency case',
  );
  expect(rec.timeline.map((e) => e.kind)).toEqual(['opened', 'notified', 'emergency_reported', 'emergency_closed']);
  expect(rec).toMatchObject({ type: 'emergency_response', parentCaseId: caseId, trackingAgencyId: 'east-emergency' });
  // The bureau reads the case in its jurisdiction.
  expect((await api(bureau, 'GET', `/api/v1/cases/${encodeURIComponent(emergencyId)}`)).status).toBe(200);
}, 120_000);

it('the administrator sees a delivery refused for good in the outbox', async () => {
  await stack.models.Delivery.create({
    _id: 'x/notified/0/district_industry_regulator',
    caseId: 'x',
    channel: 'email',
    to: ['refused@gov.test'],
    subject: '红色风险预警',
    template: 'warning-notified',
    status: 'failed',
    permanent: true,
    attempts: 1,
    lastError: "Can't send mail - all recipients were rejected: 550 5.1.1 no such user",
    createdAt: new Date(),
  });
  const page = new PageClient(stack.baseUrl);
  await page.login('admin1');
  const outbox = await page.get('/outbox');
  expect(outbox.status).toBe(200);
  expect(outbox.html).toContain(
    'failed (永久失败，不再重试): Can&#x27;t send mail - all recipients were rejected: 550 5.1.1 no such user',
  );
});
