/**
 * 002 第二十五条: destroying or switching off collection devices, unexplained power or network cuts, going
 * offline (情节严重) are investigated and publicly notified (公开通报). A regulator issues the public notice
 * for an enterprise in its jurisdiction from a case (its page or the API), naming the breach and the reason:
 * a numbered public_notice document through the document engine, listed on the case, mailed to the
 * enterprise with the PDF, on the timeline and in the audit trail. Real stack (Temporal, MongoDB, SMTP).
 */
import { waitForMail } from '../../lib/mailbox';
import { beijingYear } from '../../domain/time';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { PageClient } from '../e2e/world';

let stack: Stack;
let regulator: string;
let otherRegulator: string;
let enterpriseUser: string;
let entId: string;
let caseId: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'n');
  await seedRegions(stack.models, 'o');
  entId = (await seedEnterprise(stack.models, 'n', 1)).enterpriseId;
  regulator = await userToken(stack.models, stack.baseUrl, 'n-reg', 'regulator', { agencyId: 'n-district-dust' });
  otherRegulator = await userToken(stack.models, stack.baseUrl, 'o-reg', 'regulator', { agencyId: 'o-district-dust' });
  enterpriseUser = await userToken(stack.models, stack.baseUrl, 'n-ent-user', 'enterprise', { enterpriseId: entId });
  const opened = await api(regulator, 'POST', '/api/v1/penalties', {
    enterpriseId: entId,
    violation: '关闭粉尘监测设备',
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
});
afterAll(async () => {
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);

it('refuses a missing reason or breach naming the field, an enterprise outside the jurisdiction, and an enterprise user', async () => {
  const good = { enterpriseId: entId, caseId, breach: 'devices_switched_off', reason: '擅自关闭除尘系统压差传感器' };
  expect(await api(regulator, 'POST', '/api/v1/public-notices', { ...good, reason: undefined })).toMatchObject({
    status: 400,
    body: { field: 'reason' },
  });
  expect(await api(regulator, 'POST', '/api/v1/public-notices', { ...good, breach: undefined })).toMatchObject({
    status: 400,
    body: { field: 'breach' },
  });
  expect(await api(regulator, 'POST', '/api/v1/public-notices', { ...good, breach: 'late_report' })).toMatchObject({
    status: 400,
    body: { field: 'breach' },
  });
  expect(await api(otherRegulator, 'POST', '/api/v1/public-notices', good)).toMatchObject({
    status: 404,
    body: { field: 'enterpriseId' },
  });
  expect((await api(enterpriseUser, 'POST', '/api/v1/public-notices', good)).status).toBe(403);
  expect(await stack.models.OfficialDocument.countDocuments({ kind: 'public_notice' })).toBe(0);
});

it('a regulator issues it through the API: a numbered 公开通报 on the case, mailed to the enterprise with the PDF, on the timeline, audited', async () => {
  const issued = await api(regulator, 'POST', '/api/v1/public-notices', {
    enterpriseId: entId,
    caseId,
    breach: 'devices_switched_off',
    reason: '擅自关闭除尘系统压差传感器',
  });
  expect(issued.status).toBe(201);
  const year = beijingYear(new Date().toISOString());
  expect(issued.body).toMatchObject({ caseId, number: `n-district-dust通〔${year}〕1号` });
  const doc = await stack.models.OfficialDocument.findById(issued.body.documentId).lean();
  expect(doc).toMatchObject({
    kind: 'public_notice',
    caseId,
    enterpriseId: entId,
    agencyId: 'n-district-dust',
    toName: '社会公众',
    facts: { breachZh: '停用采集设备', facts: '擅自关闭除尘系统压差传感器', caseId },
  });
  const docs = await api(regulator, 'GET', `/api/v1/documents?caseId=${encodeURIComponent(caseId)}`);
  expect(docs.body.map((d: { kind: string; title: string }) => [d.kind, d.title])).toContainEqual([
    'public_notice',
    '公开通报',
  ]);
  const mail = await waitForMail(stack.mailboxDir, (m) => m.to.includes(`safety-${entId}@ent.example`));
  expect(mail.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
  const record = await until(async () => {
    const r = await stack.models.CaseRecord.findById(caseId).lean();
    return r?.timeline.some((t) => t.kind === 'public_notice') ? r : undefined;
  }, 'the public notice on the timeline');
  expect(record.timeline.find((t) => t.kind === 'public_notice')).toMatchObject({
    actor: 'n-reg',
    detail: `公开通报 n-district-dust通〔${year}〕1号`,
  });
  expect(
    await stack.models.AuditEntry.findOne({ action: 'public_notice.issued', target: issued.body.documentId }).lean(),
  ).toMatchObject({ actor: 'n-reg' });
});

it('from the case page: the form is offered to the regulator; an empty reason is a 400 page naming it; a full one issues the next number', async () => {
  const page = new PageClient(stack.baseUrl);
  await page.login('n-reg', 'pw-warn-123456');
  const casePath = `/cases/${encodeURIComponent(caseId)}`;
  const shown = await page.get(casePath);
  expect(shown.html).toContain(`action="${casePath}/public-notice"`);
  const empty = await page.post(`${casePath}/public-notice`, { breach: 'devices_destroyed', reason: '' });
  expect(empty.status).toBe(400);
  expect(empty.html).toContain('reason');
  await page.get(casePath);
  const ok = await page.post(`${casePath}/public-notice`, {
    breach: 'devices_destroyed',
    reason: '拆除可燃气体探测器',
  });
  expect(ok.status).toBe(303);
  expect(ok.location).toBe(casePath);
  const year = beijingYear(new Date().toISOString());
  expect(
    await stack.models.OfficialDocument.findOne({
      kind: 'public_notice',
      number: `n-district-dust通〔${year}〕2号`,
    }).lean(),
  ).toMatchObject({ facts: { breachZh: '破坏采集设备', facts: '拆除可燃气体探测器' } });
});
