/**
 * Risk-warning extras over HTTP on the real stack: in-app notifications (API, page, nav count, mark
 * read), feedback attachments (the enterprise's own uploads only, linked within jurisdiction), and an
 * administrator's policy migration of a running warning (refusals naming the field; the new ladder's
 * notice mail received).
 */
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { PageClient } from '../e2e/world';
import { waitForMail } from '../../lib/mailbox';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation';
import { caseIds } from '../../domain/cases';
import { changeLevelUpdate, raiseWarningSignal, riskWarning } from '../../workflows/riskWarning';

let stack: Stack;
let admin: string;
let regulator: string;
let otherRegulator: string;
let enterpriseUser: string;
let otherEnterpriseUser: string;
let entId: string;
let caseId: string;
const PASSWORD = 'pw-warn-123456';

beforeAll(async () => {
  stack = await startStack({ web: true });
  // Tags of their own: workflow ids (risk-warning/<enterprise>) are shared by every test file on the dev server.
  await seedRegions(stack.models, 'wx');
  await seedRegions(stack.models, 'wy');
  entId = (await seedEnterprise(stack.models, 'wx', 1)).enterpriseId;
  await stack.models.Enterprise.updateOne({ _id: entId }, { $set: { hqEmail: 'hq-a1@ent.example' } });
  const otherEnt = (await seedEnterprise(stack.models, 'wy', 1)).enterpriseId;
  admin = await userToken(stack.models, stack.baseUrl, 'x-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'x-reg', 'regulator', { agencyId: 'wx-district-dust' });
  otherRegulator = await userToken(stack.models, stack.baseUrl, 'x-reg-b', 'regulator', {
    agencyId: 'wy-district-dust',
  });
  enterpriseUser = await userToken(stack.models, stack.baseUrl, 'x-ent', 'enterprise', { enterpriseId: entId });
  otherEnterpriseUser = await userToken(stack.models, stack.baseUrl, 'x-ent-b', 'enterprise', {
    enterpriseId: otherEnt,
  });
  const opened = await api(regulator, 'POST', '/api/v1/warnings', {
    enterpriseId: entId,
    level: 'red',
    reason: '风险指数 92',
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
}, 120_000);
afterAll(async () => stack?.stop());

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);
const casePath = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5d1b5f30000000049454e44ae426082',
  'hex',
);

async function upload(token: string, data: Buffer, name: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)]), name);
  const res = await fetch(`${stack.baseUrl}/api/v1/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as { id: string; field?: string } };
}

describe('in-app notifications (站内通知)', () => {
  it('the regulator sees its agency notified, with the unread count in the nav; marking it read on the page shows it read through the API; another agency sees none and cannot mark it', async () => {
    const mine = await until(async () => {
      const r = await api(regulator, 'GET', '/api/v1/notifications');
      return r.body.some((n: { caseId: string }) => n.caseId === caseId) ? r.body : undefined;
    }, 'the notification of the regulator agency');
    const n = mine.find((x: { caseId: string; kind: string }) => x.caseId === caseId && x.kind === 'notified');
    expect(n).toMatchObject({ read: false, title: expect.stringMatching(/^红色风险预警：/) });
    expect((await api(otherRegulator, 'GET', '/api/v1/notifications')).body).toEqual([]);
    expect(await api(otherRegulator, 'POST', `/api/v1/notifications/${encodeURIComponent(n.id)}/read`)).toMatchObject({
      status: 404,
      body: { field: 'id' },
    });
    expect(await api(regulator, 'GET', '/api/v1/notifications?limit=0')).toMatchObject({
      status: 400,
      body: { field: 'limit' },
    });

    const page = new PageClient(stack.baseUrl);
    await page.login('x-reg', PASSWORD);
    const list = await page.get('/notifications');
    expect(list.status).toBe(200);
    expect(list.html).toMatch(/站内通知 <span class="badge"[^>]*>1<\/span>/);
    expect(list.html).toContain(n.title);
    expect((await page.post('/notifications/read', { id: n.id }, { csrf: null })).status).toBe(403);
    expect((await page.post('/notifications/read', { id: n.id })).status).toBe(303);
    expect((await page.get('/notifications')).html).not.toMatch(/class="badge"/);
    const after = (await api(regulator, 'GET', '/api/v1/notifications?unread=false')).body.find(
      (x: { id: string }) => x.id === n.id,
    );
    expect(after).toMatchObject({ read: true, readBy: 'x-reg' });
    expect(await stack.models.AuditEntry.countDocuments({ action: 'notification.read', target: n.id })).toBe(1);
    // The enterprise's users see what its headquarters was told (pushed after the agencies: wait for it).
    const ent = await until(async () => {
      const r = (await api(enterpriseUser, 'GET', '/api/v1/notifications')).body as { caseId: string; kind: string }[];
      return r.some((x) => x.caseId === caseId) ? r : undefined;
    }, "the enterprise's notification");
    expect(ent.map((x) => [x.caseId, x.kind])).toContainEqual([caseId, 'notified']);
  });
});

describe('feedback attachments', () => {
  it('refuses an upload of another enterprise (400 attachments), records its own on the timeline, and serves it only within jurisdiction', async () => {
    const own = await upload(enterpriseUser, PNG, '现场照片.png');
    expect(own.status).toBe(201);
    expect((await upload(enterpriseUser, Buffer.from('not an image'), 'x.txt')).body).toMatchObject({ field: 'file' });
    expect((await upload(regulator, PNG, 'x.png')).status).toBe(403);
    const foreign = await upload(otherEnterpriseUser, PNG, 'other.png');
    const base = {
      verification: '已核查',
      cause: '滤袋破损',
      measures: '更换滤袋',
      responsiblePerson: '张三',
      accidentFound: false,
    };
    expect(
      await api(enterpriseUser, 'POST', `${casePath(caseId)}/feedback`, { ...base, attachments: [foreign.body.id] }),
    ).toMatchObject({ status: 400, body: { field: 'attachments' } });
    expect(
      await api(enterpriseUser, 'POST', `${casePath(caseId)}/feedback`, { ...base, attachments: ['../../etc/passwd'] }),
    ).toMatchObject({ status: 400, body: { field: 'attachments.0' } });
    expect(
      (await api(enterpriseUser, 'GET', casePath(caseId))).body.timeline.some(
        (t: { kind: string }) => t.kind === 'feedback',
      ),
    ).toBe(false);
    expect(
      (await api(enterpriseUser, 'POST', `${casePath(caseId)}/feedback`, { ...base, attachments: [own.body.id] }))
        .status,
    ).toBe(200);
    const fb = (await api(regulator, 'GET', casePath(caseId))).body.timeline.find(
      (t: { kind: string }) => t.kind === 'feedback',
    );
    expect(fb).toMatchObject({
      actor: 'x-ent',
      attachments: [own.body.id],
      detail: expect.stringContaining('附件 attachments: 1'),
    });

    const reg = new PageClient(stack.baseUrl);
    await reg.login('x-reg', PASSWORD);
    const casePage = await reg.get(`/cases/${caseId}`);
    expect(casePage.html).toContain(`/uploads/${own.body.id}`);
    expect((await reg.get(`/uploads/${own.body.id}`)).status).toBe(200);
    const outsider = new PageClient(stack.baseUrl);
    await outsider.login('x-reg-b', PASSWORD);
    expect((await outsider.get(`/uploads/${own.body.id}`)).status).toBe(403);
  });
});

describe('policy migration', () => {
  it('an administrator migrates the running red warning to a new version: refusals name the field, the case records it, and the new ladder clocks from the level start', async () => {
    const levels = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY.levels));
    levels.red = { ...levels.red, firstNoticeAfter: 'PT5S', repeatEvery: 'PT1H', onSiteAfter: 'PT2H' };
    expect((await api(admin, 'PUT', '/api/v1/policies/escalation', { levels })).body.version).toBe(2);
    const path = `${casePath(caseId)}/policy-version`;
    expect((await api(regulator, 'POST', path, { version: 2, reason: '调整' })).status).toBe(403);
    expect(await api(admin, 'POST', path, { version: 'two', reason: '调整' })).toMatchObject({
      status: 400,
      body: { field: 'version' },
    });
    expect(await api(admin, 'POST', path, { version: 2, reason: '' })).toMatchObject({
      status: 400,
      body: { field: 'reason' },
    });
    expect(await api(admin, 'POST', path, { version: 99, reason: '调整' })).toMatchObject({
      status: 404,
      body: { field: 'version' },
    });
    expect(
      await api(admin, 'POST', `${casePath('risk-warning/none/20260101T000000Z')}/policy-version`, {
        version: 2,
        reason: '调整',
      }),
    ).toMatchObject({ status: 404, body: { field: 'id' } });
    expect(await api(admin, 'POST', path, { version: 1, reason: '调整' })).toMatchObject({
      status: 409,
      body: { field: 'version' },
    });

    expect((await api(admin, 'POST', path, { version: 2, reason: '区域时限调整' })).status).toBe(200);
    const c = (await api(regulator, 'GET', casePath(caseId))).body;
    expect(c.policyVersion).toBe(2);
    expect(c.timeline.find((t: { kind: string }) => t.kind === 'policy_migrated')).toMatchObject({
      actor: 'x-admin',
      detail: 'policy v1 → v2: 区域时限调整',
    });
    expect(await api(admin, 'POST', path, { version: 2, reason: '再次' })).toMatchObject({
      status: 409,
      body: { field: 'version' },
    });
    // 5 s after the level started (already past or nearly): the notice the new ladder names.
    await waitForMail(
      stack.mailboxDir,
      (m) => m.to.includes('industry-wx@gov.example') && m.subject.includes('警示通报') && m.text.includes(caseId),
    );
    expect(await stack.models.AuditEntry.countDocuments({ action: 'warning.policy_migrated', target: caseId })).toBe(1);

    expect(
      (await api(regulator, 'POST', `${casePath(caseId)}/level`, { level: 'clear', reason: '整改完成' })).status,
    ).toBe(200);
    expect(await api(admin, 'POST', path, { version: 1, reason: '关闭后' })).toMatchObject({
      status: 409,
      body: { field: 'id' },
    });
  });
});

describe('a raise while the warning is being cleared', () => {
  it("opens the enterprise's next warning (continue-as-new, or a new run once the cleared one ended: a new case under the policy the raise carried); a change addressed to the cleared case is refused and never reaches the next one", async () => {
    const ent = (await seedEnterprise(stack.models, 'wx', 2)).enterpriseId;
    const first = (
      await api(regulator, 'POST', '/api/v1/warnings', { enterpriseId: ent, level: 'yellow', reason: '风险指数 61' })
    ).body.caseId as string;
    const policy = (await api(admin, 'GET', '/api/v1/policies/escalation')).body;
    const h = stack.client.workflow.getHandle(caseIds.riskWarning(ent));
    const firstRun = (await h.describe()).runId;
    // Back to back, as the risk model and a regulator may: the raise lands behind the clear or while the cleared warning finishes.
    await h.executeUpdate(changeLevelUpdate, {
      args: [{ level: 'clear', reason: '整改完成', by: 'x-reg', caseId: first }],
    });
    // Signal-with-start, as the API raises: the cleared run may already have ended (its mails no longer hold it), and
    // then the raise starts a new run instead of landing in the old one (which continues as new).
    await stack.client.workflow.signalWithStart(riskWarning, {
      taskQueue: stack.taskQueue,
      workflowId: caseIds.riskWarning(ent),
      args: [{ enterpriseId: ent, policy }],
      signal: raiseWarningSignal,
      signalArgs: [{ level: 'red', reason: '风险指数再次跃升 93', by: 'risk-model', policy }],
    });
    const next = await until(
      async () =>
        stack.models.CaseRecord.findOne({
          _id: { $ne: first },
          enterpriseId: ent,
          type: 'risk_warning',
          status: 'open',
        }).lean(),
      'the next warning opened',
    );
    expect(next._id).not.toBe(first);
    expect(next).toMatchObject({ level: 'red', policyVersion: policy.version });
    expect(['CONTINUED_AS_NEW', 'COMPLETED']).toContain(
      (await stack.client.workflow.getHandle(caseIds.riskWarning(ent), firstRun).describe()).status.name,
    );
    const old = (await api(regulator, 'GET', casePath(first))).body;
    expect(old.status).toBe('closed');
    expect(old.timeline.map((t: { kind: string }) => t.kind)).toEqual(expect.arrayContaining(['cleared', 'closed']));
    // The workflow id outlives the cleared case: a change for it is refused by the workflow itself, and by the API.
    await expect(
      h.executeUpdate(changeLevelUpdate, { args: [{ level: 'blue', reason: '误发', by: 'x-reg', caseId: first }] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^level: case \S+ is closed/) } });
    expect(await api(regulator, 'POST', `${casePath(first)}/level`, { level: 'blue', reason: '误发' })).toMatchObject({
      status: 409,
    });
    expect(
      (await api(regulator, 'POST', `${casePath(next._id)}/level`, { level: 'orange', reason: '核查后降级' })).status,
    ).toBe(200);
    expect((await api(regulator, 'GET', casePath(next._id))).body.level).toBe('orange');
    expect((await api(regulator, 'GET', casePath(first))).body.level).toBe('yellow');
    expect(
      (await api(regulator, 'POST', `${casePath(next._id)}/level`, { level: 'clear', reason: '整改完成' })).status,
    ).toBe(200);
  });
});
