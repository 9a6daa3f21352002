/** The pipes, for real: web → Temporal dev server → worker → MongoDB-wire server + SMTP catcher. */
import { waitForMail } from '../../lib/mailbox';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ web: true });
});
afterAll(async () => {
  await stack?.stop();
});


it('a demo case started through the API writes its record to MongoDB and the recipient receives the mail', async () => {
  const recipient = `inspector-${Date.now()}@example.com`;
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient, message: '粉尘浓度演示' }),
  });
  expect(res.status).toBe(201);
  const { caseId } = (await res.json()) as { caseId: string };
  expect(caseId).toMatch(/^demo\//);

  const record = await until(() => stack.models.CaseRecord.findOne({ _id: caseId, status: 'closed' }).lean(), 'the closed case record');
  expect(record.timeline.map((e) => e.kind)).toEqual(['opened', 'notified', 'closed']);
  expect(record.timeline[1].recipients).toEqual([recipient]);

  const mail = await waitForMail(stack.mailboxDir, (m) => m.to.includes(recipient));
  expect(mail.subject).toContain('演示案件已创建');
  expect(mail.text).toContain('粉尘浓度演示');

  const delivery = await stack.models.Delivery.findById(`${caseId}/notified`).lean();
  expect(delivery).toMatchObject({ status: 'sent', to: [recipient], attempts: 1 });

  const outbox = await (await fetch(`${stack.baseUrl}/outbox`)).text();
  expect(outbox).toContain('演示案件已创建');
});

it('the same delivery key sent twice reaches the mailbox once', async () => {
  const recipient = `once-${Date.now()}@example.com`;
  const { createNotificationActivities } = await import('../../activities/notifications');
  const { sendMail } = createNotificationActivities({ mailer: stack.mailer, Delivery: stack.models.Delivery, mailFrom: 'x <x@warnflow.local>' });
  const input = { key: `demo/idem/${recipient}`, to: [recipient], template: 'demo-case-opened', data: { caseId: 'demo/idem', message: 'm', caseUrl: 'u' } };
  expect((await sendMail(input)).status).toBe('sent');
  expect((await sendMail(input)).status).toBe('already_sent');
  await waitForMail(stack.mailboxDir, (m) => m.to.includes(recipient));
  await new Promise((r) => setTimeout(r, 300));
  const { readMailbox } = await import('../../lib/mailbox');
  expect(readMailbox(stack.mailboxDir).filter((m) => m.to.includes(recipient))).toHaveLength(1);
});

it('a bad demo form is refused with a 400 naming the field, and nothing is started', async () => {
  const before = await stack.models.CaseRecord.countDocuments();
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recipient: 'not-an-email', message: 'x' }),
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'recipient: must be an email address', field: 'recipient' });

  // Page forms carry the session's CSRF token (web/middleware/session.ts): take it from the form first.
  const form = await fetch(`${stack.baseUrl}/demo`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const page = await fetch(`${stack.baseUrl}/demo`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: `recipient=a%40b.cn&message=x&followUpAfter=3days&_csrf=${encodeURIComponent(csrf)}`,
  });
  expect(page.status).toBe(400);
  expect(await page.text()).toContain('followUpAfter: must be an ISO-8601 duration');
  expect(await stack.models.CaseRecord.countDocuments()).toBe(before);
});

it('malformed JSON gets a JSON 400, not a stack trace', async () => {
  const res = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"recipient":' });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'request body is not valid JSON' });
});
