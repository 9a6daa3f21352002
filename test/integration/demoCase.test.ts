/** The pipes, for real: web → Temporal dev server → worker → MongoDB-wire server + SMTP catcher. */
import { waitForMail } from '../../lib/mailbox';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { userToken } from '../helpers/warningWorld';
import { PageClient, seedWorld } from '../e2e/world';

let stack: Stack;
/** The demo exists with the development flag only, and then for signed-in users. */
let token: string;
beforeAll(async () => {
  stack = await startStack({ web: true, demo: true });
  await seedWorld(stack.models);
  token = await userToken(stack.models, stack.baseUrl, 'demo-user', 'regulator', { agencyId: 'east-dust' });
});
afterAll(async () => {
  await stack?.stop();
});

it('a demo case started through the API writes its record to MongoDB and the recipient receives the mail', async () => {
  const recipient = `inspector-${Date.now()}@example.com`;
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ recipient, message: '粉尘浓度演示' }),
  });
  expect(res.status).toBe(201);
  const { caseId } = (await res.json()) as { caseId: string };
  expect(caseId).toMatch(/^demo\//);

  const record = await until(
    () => stack.models.CaseRecord.findOne({ _id: caseId, status: 'closed' }).lean(),
    'the closed case record',
  );
  expect(record.timeline.map((e) => e.kind)).toEqual(['opened', 'notified', 'closed']);
  expect(record.timeline[1].recipients).toEqual([recipient]);

  const mail = await waitForMail(stack.mailboxDir, (m) => m.to.includes(recipient));
  expect(mail.subject).toContain('演示案件已创建');
  expect(mail.text).toContain('粉尘浓度演示');

  const delivery = await stack.models.Delivery.findById(`${caseId}/notified`).lean();
  expect(delivery).toMatchObject({ status: 'sent', to: [recipient], attempts: 1 });

  expect(
    await stack.models.AuditEntry.countDocuments({ actor: 'demo-user', action: 'demo.open', target: caseId }),
  ).toBe(1);
  const admin = new PageClient(stack.baseUrl);
  await admin.login('admin1');
  expect((await admin.get('/outbox')).html).toContain('演示案件已创建');
});

it('even with the flag, an anonymous caller cannot start a demo case or open the demo pages', async () => {
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient: 'victim@example.com', message: 'x' }),
  });
  expect(res.status).toBe(401);
  const page = await new PageClient(stack.baseUrl).get('/demo');
  expect(page.status).toBe(303);
  expect(page.location).toMatch(/^\/login/);
});

it('the same delivery key sent twice reaches the mailbox once', async () => {
  const recipient = `once-${Date.now()}@example.com`;
  const { createNotificationActivities } = await import('../../activities/notifications');
  const notifications = createNotificationActivities({
    mailer: stack.mailer,
    Delivery: stack.models.Delivery,
    mailFrom: 'x <x@warnflow.local>',
  });
  const input = {
    key: `demo/idem/${recipient}`,
    to: [recipient],
    template: 'demo-case-opened',
    data: { caseId: 'demo/idem', message: 'm', caseUrl: 'u' },
  };
  expect((await notifications.sendMail(input)).status).toBe('sent');
  expect((await notifications.sendMail(input)).status).toBe('already_sent');
  await waitForMail(stack.mailboxDir, (m) => m.to.includes(recipient));
  await new Promise((r) => setTimeout(r, 300));
  const { readMailbox } = await import('../../lib/mailbox');
  expect(readMailbox(stack.mailboxDir).filter((m) => m.to.includes(recipient))).toHaveLength(1);
});

it('a bad demo form is refused with a 400 naming the field, and nothing is started', async () => {
  const before = await stack.models.CaseRecord.countDocuments();
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ recipient: 'not-an-email', message: 'x' }),
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'recipient: must be an email address', field: 'recipient' });

  // Page forms carry the session's CSRF token (web/middleware/session.ts): the client takes it from the form.
  const c = new PageClient(stack.baseUrl);
  await c.login('reg-east');
  await c.get('/demo');
  const page = await c.post('/demo', { recipient: 'a@b.cn', message: 'x', followUpAfter: '3days' });
  expect(page.status).toBe(400);
  expect(page.html).toContain('followUpAfter: must be an ISO-8601 duration');
  expect(await stack.models.CaseRecord.countDocuments()).toBe(before);
});

it('malformed JSON gets a JSON 400, not a stack trace', async () => {
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{"recipient":',
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'request body is not valid JSON' });
});
