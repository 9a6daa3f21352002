/**
 * Enforcement follow-ups and official documents through the public API and the pages, on the real
 * stack: a regulator opens a penalty, works it through its tasks; the advance notice is a PDF listed
 * on the case, readable by the enterprise and the regulator, refused to anyone else; the enforcement
 * policy is versioned data with its fields validated.
 */
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { DEFAULT_ENFORCEMENT_POLICY } from '../../domain/enforcement';
import { createDocumentActivities } from '../../activities/documents';

let stack: Stack;
let admin: string;
let regulator: string;
let otherRegulator: string;
let enterpriseUser: string;
let otherEnterpriseUser: string;
let entId: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'e');
  await seedRegions(stack.models, 'f');
  entId = (await seedEnterprise(stack.models, 'e', 1)).enterpriseId;
  const other = (await seedEnterprise(stack.models, 'f', 1)).enterpriseId;
  admin = await userToken(stack.models, stack.baseUrl, 'e-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'e-reg', 'regulator', { agencyId: 'e-district-dust' });
  otherRegulator = await userToken(stack.models, stack.baseUrl, 'f-reg', 'regulator', { agencyId: 'f-district-dust' });
  enterpriseUser = await userToken(stack.models, stack.baseUrl, 'e-ent-user', 'enterprise', { enterpriseId: entId });
  otherEnterpriseUser = await userToken(stack.models, stack.baseUrl, 'f-ent-user', 'enterprise', {
    enterpriseId: other,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);
const complete = (token: string, taskId: string, form: Record<string, unknown>) =>
  api(token, 'POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { form });
const openTask = (taskId: string) =>
  until(() => stack.models.Task.findOne({ _id: taskId, status: 'open' }).lean(), `open task ${taskId}`);
const pdf = (token: string | undefined, url: string) =>
  fetch(`${stack.baseUrl}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('a penalty opened through the API', () => {
  let caseId: string;
  let documentUrl: string;

  it('refuses an enterprise outside the regulator jurisdiction, an enterprise user, and a missing violation, naming the field', async () => {
    expect(
      await api(otherRegulator, 'POST', '/api/v1/penalties', { enterpriseId: entId, violation: 'x' }),
    ).toMatchObject({ status: 404, body: { field: 'enterpriseId' } });
    expect(
      (await api(enterpriseUser, 'POST', '/api/v1/penalties', { enterpriseId: entId, violation: 'x' })).status,
    ).toBe(403);
    expect(await api(regulator, 'POST', '/api/v1/penalties', { enterpriseId: entId })).toMatchObject({
      status: 400,
      body: { field: 'violation' },
    });
    expect(await api(admin, 'POST', '/api/v1/penalties', { enterpriseId: entId, violation: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'agencyId' },
    });
  });

  it('POST /penalties → 201 {caseId}; filing and investigation through the task API issue the advance notice, listed on the case as a PDF', async () => {
    const opened = await api(regulator, 'POST', '/api/v1/penalties', {
      enterpriseId: entId,
      violation: '未对安全设备进行经常性维护、保养',
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    expect(caseId).toMatch(new RegExp(`^penalty/${entId}/`));
    await openTask(`${caseId}/filing`);
    expect(await complete(regulator, `${caseId}/filing`, {})).toMatchObject({
      status: 400,
      body: { field: 'summary' },
    });
    expect((await complete(regulator, `${caseId}/filing`, { summary: '予以立案' })).status).toBe(200);
    await openTask(`${caseId}/investigation`);
    expect(
      (
        await complete(regulator, `${caseId}/investigation`, {
          evidence: ['设备维护记录缺失'],
          proposedPenalty: '罚款人民币一万元',
        })
      ).status,
    ).toBe(200);
    const docs = await until(async () => {
      const r = await api(regulator, 'GET', `/api/v1/documents?caseId=${encodeURIComponent(caseId)}`);
      return r.body?.length ? r.body : undefined;
    }, 'the advance notice');
    expect(docs).toEqual([
      expect.objectContaining({
        kind: 'penalty_advance_notice',
        title: '行政处罚告知书',
        number: expect.stringMatching(/^e-district-dust罚告〔\d{4}〕\d+号$/),
        caseId,
        enterpriseId: entId,
      }),
    ]);
    documentUrl = docs[0].pdf;
    const res = await pdf(regulator, documentUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it('the enterprise reads its document and answers the statement task; another enterprise and another region are refused', async () => {
    expect((await pdf(enterpriseUser, documentUrl)).status).toBe(200);
    expect((await pdf(otherEnterpriseUser, documentUrl)).status).toBe(403);
    expect((await pdf(otherRegulator, documentUrl)).status).toBe(403);
    expect((await pdf(undefined, documentUrl)).status).toBe(401);
    expect(
      (await api(otherEnterpriseUser, 'GET', `/api/v1/documents?caseId=${encodeURIComponent(caseId)}`)).status,
    ).toBe(403);
    const mine = await api(enterpriseUser, 'GET', '/api/v1/documents');
    expect(mine.body.map((d: { caseId: string }) => d.caseId)).toContain(caseId);
    await openTask(`${caseId}/statement`);
    expect(await complete(enterpriseUser, `${caseId}/statement`, { hearingRequested: false })).toMatchObject({
      status: 400,
      body: { field: 'statement' },
    });
    expect(
      (await complete(enterpriseUser, `${caseId}/statement`, { statement: '已整改', hearingRequested: false })).status,
    ).toBe(200);
    const c = await until(async () => {
      const r = await api(regulator, 'GET', `/api/v1/cases/${encodeURIComponent(caseId)}`);
      return r.body.timeline?.some((t: { kind: string }) => t.kind === 'statement_received') ? r.body : undefined;
    }, 'the statement on the timeline');
    expect(c.timeline.map((t: { kind: string }) => t.kind)).toEqual([
      'opened',
      'penalty_filed',
      'investigated',
      'document_issued',
      'statement_received',
    ]);
    await openTask(`${caseId}/decision`);
  });
});

describe('a warning notice drawn by its first reader', () => {
  it('is numbered without a PDF; the first GET draws it (200 PDF) and keeps the file; another region is refused', async () => {
    const n = await createDocumentActivities(stack.models).issueNotice({
      caseId: `risk-warning/${entId}/20261101T000000Z`,
      step: 'notice/0/0',
      agencyId: 'e-district-dust',
      enterpriseId: entId,
      level: 'red',
      toRole: 'district_industry_regulator',
      toId: 'e-district-dust',
      issuedAt: new Date().toISOString(),
    });
    expect((await stack.models.OfficialDocument.findById(n.noticeId).lean())!.file).toBeUndefined();
    const url = `/api/v1/documents/${encodeURIComponent(n.noticeId)}`;
    expect((await pdf(otherRegulator, url)).status).toBe(403);
    const res = await pdf(regulator, url);
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await stack.models.OfficialDocument.findById(n.noticeId).lean())!.file).toMatch(/\.pdf$/);
  });
});

describe('an interview opened by a regulator', () => {
  it('POST /interviews opens the case for the regulator agency, with its scheduling task', async () => {
    const r = await api(regulator, 'POST', '/api/v1/interviews', {
      enterpriseId: entId,
      reason: '视频通道离线超过2天',
    });
    expect(r.status).toBe(201);
    const t = await openTask(`${r.body.caseId}/schedule`);
    expect(t).toMatchObject({ assigneeAgencyId: 'e-district-dust', form: 'interviewSchedule', caseType: 'interview' });
    expect(
      await api(regulator, 'POST', '/api/v1/interviews', {
        enterpriseId: entId,
        reason: 'x',
        parentCaseId: 'no/such/case',
      }),
    ).toMatchObject({ status: 400, body: { field: 'parentCaseId' } });
  });

  it('a task of a case whose workflow has ended answers 409 naming the state, never 404', async () => {
    const r = await api(regulator, 'POST', '/api/v1/interviews', { enterpriseId: entId, reason: '离线超过2天' });
    const taskId = `${r.body.caseId}/schedule`;
    await openTask(taskId);
    // The workflow ends (an administrator terminated it) while its task is still open in the inbox.
    const h = stack.client.workflow.getHandle(r.body.caseId);
    await h.terminate('test: the case ended');
    const form = {
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
      place: '区应急局',
      attendees: ['主要负责人'],
    };
    expect(await complete(regulator, taskId, form)).toMatchObject({
      status: 409,
      body: { error: 'the case is closed: its workflow has ended' },
    });
    expect(await stack.models.Task.findById(taskId).lean()).toMatchObject({ status: 'open' });
  });
});

describe('the enforcement policy', () => {
  it('GET shows the shipped clocks; PUT by an administrator makes a new version; a bad duration is refused naming the field; a regulator may not change it', async () => {
    const current = await api(regulator, 'GET', '/api/v1/policies/enforcement');
    expect(current.body).toMatchObject({
      interview: DEFAULT_ENFORCEMENT_POLICY.interview,
      penalty: DEFAULT_ENFORCEMENT_POLICY.penalty,
    });
    const next = { interview: current.body.interview, penalty: { ...current.body.penalty, statementWindow: 'PT30S' } };
    expect((await api(regulator, 'PUT', '/api/v1/policies/enforcement', next)).status).toBe(403);
    expect(
      await api(admin, 'PUT', '/api/v1/policies/enforcement', {
        ...next,
        penalty: { ...next.penalty, hearingWithin: '5 days' },
      }),
    ).toMatchObject({ status: 400, body: { field: 'penalty.hearingWithin' } });
    const put = await api(admin, 'PUT', '/api/v1/policies/enforcement', next);
    expect(put).toMatchObject({
      status: 200,
      body: { version: current.body.version + 1, penalty: { statementWindow: 'PT30S' } },
    });
    expect((await api(regulator, 'GET', '/api/v1/policies/enforcement')).body.version).toBe(current.body.version + 1);
  });
});
