/**
 * Warning feedback with attachments from the page, on the real stack (Temporal, MongoDB, worker): the
 * enterprise answers a red warning's feedback task with photos/PDF (multipart, CSRF), the files are
 * stored as its uploads and listed on the case's timeline, served within jurisdiction. A file that is
 * not a JPEG/PNG/PDF, too many files, a missing field or a missing token store nothing and keep what
 * was typed; an upload of another enterprise is refused through the task API by the same check as
 * the case feedback API. A blue warning's own tracking task takes files the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../../config';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { PageClient } from '../e2e/world';

const PASSWORD = 'pw-warn-123456'; // userToken's
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

let stack: Stack;
let entId: string;
let blueEntId: string;
let caseId: string;
let regulator: string;
let otherEnterpriseUser: string;
let enterpriseUser: string;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'fa');
  await seedRegions(stack.models, 'fb');
  entId = (await seedEnterprise(stack.models, 'fa', 1)).enterpriseId;
  blueEntId = (await seedEnterprise(stack.models, 'fa', 2)).enterpriseId;
  const otherEnt = (await seedEnterprise(stack.models, 'fb', 1)).enterpriseId;
  regulator = await userToken(stack.models, stack.baseUrl, 'fa-reg', 'regulator', { agencyId: 'fa-district-dust' });
  enterpriseUser = await userToken(stack.models, stack.baseUrl, 'fa-ent', 'enterprise', { enterpriseId: entId });
  await userToken(stack.models, stack.baseUrl, 'fa-ent-blue', 'enterprise', { enterpriseId: blueEntId });
  otherEnterpriseUser = await userToken(stack.models, stack.baseUrl, 'fb-ent', 'enterprise', {
    enterpriseId: otherEnt,
  });
  const opened = await call(stack.baseUrl, regulator, 'POST', '/api/v1/warnings', {
    enterpriseId: entId,
    level: 'red',
    reason: '风险指数 92',
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
}, 120_000);
afterAll(async () => stack?.stop());

type File = { name: string; data: Buffer; type: string };
const FIELDS = {
  verification: '已现场核查除尘系统',
  cause: '滤袋破损导致压差异常',
  measures: '更换滤袋并清灰',
  responsiblePerson: '张三',
  accidentFound: '',
};
const cookie = (c: PageClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

/** Posts the task page's form as a browser does: multipart, its CSRF token, the files under `attachments`. */
async function postFeedback(
  c: PageClient,
  taskId: string,
  fields: Record<string, string>,
  files: File[],
  csrf: string | null = c.csrf,
) {
  const form = new FormData();
  if (csrf !== null) form.set('_csrf', csrf);
  for (const [k, v] of Object.entries(fields)) if (v) form.set(k, v);
  for (const f of files) form.append('attachments', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
  // The page's form carries the token in its action too (a multipart body is not parsed before the CSRF check).
  const res = await fetch(
    `${stack.baseUrl}/tasks/${encodeURIComponent(taskId)}/complete${csrf !== null ? `?_csrf=${encodeURIComponent(csrf)}` : ''}`,
    { method: 'POST', body: form, redirect: 'manual', headers: { cookie: cookie(c), accept: 'text/html' } },
  );
  return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? undefined };
}
/** Uploads stored for a case (each upload keeps a JSON of its enterprise and case beside the file). */
function uploadsOf(forCase: string): { id: string; enterpriseId: string; type: string }[] {
  if (!fs.existsSync(paths.uploads)) return [];
  return fs
    .readdirSync(paths.uploads)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(paths.uploads, f), 'utf8')))
    .filter((m) => m.caseId === forCase);
}
const feedbackEntries = async (id: string) =>
  ((await stack.models.CaseRecord.findById(id).lean())?.timeline ?? []).filter((t) => t.kind === 'feedback');

describe('a red warning answered from the task page', () => {
  let page: PageClient;
  let taskId: string;

  beforeAll(async () => {
    taskId = (
      await until(
        () => stack.models.Task.findOne({ _id: `${caseId}/feedback`, status: 'open' }).lean(),
        'the feedback task',
      )
    )._id;
    page = new PageClient(stack.baseUrl);
    await page.login('fa-ent', PASSWORD);
  });

  test('the form is multipart with a file input for photos and PDFs', async () => {
    const form = await page.get(`/tasks/${encodeURIComponent(taskId)}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('enctype="multipart/form-data"');
    expect(form.html).toMatch(
      /<input type="file" name="attachments" multiple accept="image\/jpeg,image\/png,application\/pdf"/,
    );
    expect(form.html).toContain('最多 3 个');
  });

  test('a file that is not a JPEG, PNG or PDF is a 400 naming attachments: nothing stored, the fields kept, the task open', async () => {
    await page.get(`/tasks/${encodeURIComponent(taskId)}`);
    const bad = await postFeedback(page, taskId, { ...FIELDS, accidentFound: 'on' }, [
      { name: 'site.jpg', data: JPEG, type: 'image/jpeg' },
      { name: 'report.jpg', data: Buffer.from('just text, not an image'), type: 'image/jpeg' },
    ]);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('attachments: report.jpg is not a JPEG, PNG or PDF file');
    expect(bad.html).toMatch(/<input type="file" name="attachments"[^>]*aria-invalid="true"/);
    expect(bad.html).toContain('>已现场核查除尘系统</textarea>');
    expect(bad.html).toContain('value="张三"');
    expect(bad.html).toMatch(/name="accidentFound" checked/);
    expect(uploadsOf(caseId)).toEqual([]);
    expect((await stack.models.Task.findById(taskId).lean())!.status).toBe('open');
    expect(await feedbackEntries(caseId)).toEqual([]);
  });

  test('four files, a missing field, or no CSRF token: refused, nothing stored', async () => {
    const jpeg = (i: number) => ({ name: `site-${i}.jpg`, data: JPEG, type: 'image/jpeg' });
    await page.get(`/tasks/${encodeURIComponent(taskId)}`);
    const many = await postFeedback(page, taskId, FIELDS, [1, 2, 3, 4].map(jpeg));
    expect(many.status).toBe(400);
    expect(many.html).toContain('attachments: at most 3 files');
    expect(many.html).toContain('>更换滤袋并清灰</textarea>');
    const missing = await postFeedback(page, taskId, { ...FIELDS, measures: '' }, [jpeg(1)]);
    expect(missing.status).toBe(400);
    expect(missing.html).toMatch(/name="measures"[^>]*aria-invalid="true"/);
    expect(missing.html).toContain('>滤袋破损导致压差异常</textarea>');
    expect((await postFeedback(page, taskId, FIELDS, [jpeg(1)], null)).status).toBe(403);
    expect(uploadsOf(caseId)).toEqual([]);
    expect((await stack.models.Task.findById(taskId).lean())!.status).toBe('open');
  });

  test("the task API refuses another enterprise's upload as an attachment, as the case feedback API does", async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(JPEG)]), 'other.jpg');
    const up = await fetch(`${stack.baseUrl}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${otherEnterpriseUser}` },
      body: form,
    });
    const otherId = ((await up.json()) as { id: string }).id;
    expect(otherId).toMatch(/^[0-9a-f]{32}$/);
    const body = {
      verification: 'v',
      cause: 'c',
      measures: 'm',
      responsiblePerson: 'p',
      accidentFound: false,
      attachments: [otherId],
    };
    const viaTask = await call(
      stack.baseUrl,
      enterpriseUser,
      'POST',
      `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`,
      { form: body },
    );
    expect(viaTask).toMatchObject({ status: 400, body: { field: 'attachments' } });
    expect(viaTask.body.error).toContain('is not an upload of this enterprise');
    const viaCase = await call(
      stack.baseUrl,
      enterpriseUser,
      'POST',
      `/api/v1/cases/${encodeURIComponent(caseId)}/feedback`,
      body,
    );
    expect(viaCase).toMatchObject({ status: 400, body: { field: 'attachments', error: viaTask.body.error } });
    expect((await stack.models.Task.findById(taskId).lean())!.status).toBe('open');
  });

  test('a photo and a PDF with the feedback: stored as the enterprise uploads, on the timeline, served within jurisdiction; audited', async () => {
    await page.get(`/tasks/${encodeURIComponent(taskId)}`);
    const ok = await postFeedback(page, taskId, FIELDS, [
      { name: '现场.jpg', data: JPEG, type: 'image/jpeg' },
      { name: '整改报告.pdf', data: PDF, type: 'application/pdf' },
    ]);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe(`/cases/${encodeURIComponent(caseId)}?done=${encodeURIComponent(taskId)}`);

    const stored = uploadsOf(caseId);
    expect(stored.map((u) => [u.enterpriseId, u.type]).sort()).toEqual([
      [entId, 'application/pdf'],
      [entId, 'image/jpeg'],
    ]);
    const [entry] = await until(async () => {
      const f = await feedbackEntries(caseId);
      return f.length ? f : undefined;
    }, 'the feedback on the timeline');
    expect([...(entry.attachments ?? [])].sort()).toEqual(stored.map((u) => u.id).sort());
    expect(entry.detail).toContain('附件 attachments: 2');
    const task = (await stack.models.Task.findById(taskId).lean())!;
    expect(task).toMatchObject({ status: 'done', completedBy: 'fa-ent' });
    expect((task.result as { attachments?: string[] }).attachments).toHaveLength(2);
    expect(
      await stack.models.AuditEntry.countDocuments({ actor: 'fa-ent', action: 'task.completed', target: taskId }),
    ).toBe(1);

    // The tracking regulator sees the feedback's files on the case page and opens them; another enterprise cannot.
    const reg = new PageClient(stack.baseUrl);
    await reg.login('fa-reg', PASSWORD);
    const casePage = await reg.get(`/cases/${encodeURIComponent(caseId)}`);
    for (const u of stored) expect(casePage.html).toContain(`href="/uploads/${u.id}"`);
    const pdf = stored.find((u) => u.type === 'application/pdf')!;
    const served = await fetch(`${stack.baseUrl}/uploads/${pdf.id}`, { headers: { cookie: cookie(reg) } });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(PDF)).toBe(true);
    const other = new PageClient(stack.baseUrl);
    await other.login('fb-ent', PASSWORD);
    expect((await other.get(`/uploads/${pdf.id}`)).status).toBe(403);
  });
});

test("a blue warning's own tracking task takes a photo the same way, and the feedback closes it", async () => {
  const opened = await call(stack.baseUrl, regulator, 'POST', '/api/v1/warnings', {
    enterpriseId: blueEntId,
    level: 'blue',
    reason: '风险指数 35',
  });
  expect(opened.status).toBe(201);
  const blueCase = opened.body.caseId as string;
  const task = await until(
    () => stack.models.Task.findOne({ caseId: blueCase, assigneeEnterpriseId: blueEntId, status: 'open' }).lean(),
    'the blue tracking task',
  );
  expect(task).toMatchObject({ _id: `${blueCase}/tracking/0`, form: 'warningFeedback' });
  const page = new PageClient(stack.baseUrl);
  await page.login('fa-ent-blue', PASSWORD);
  await page.get(`/tasks/${encodeURIComponent(task._id)}`);
  expect(
    (await postFeedback(page, task._id, FIELDS, [{ name: 'site.jpg', data: JPEG, type: 'image/jpeg' }])).status,
  ).toBe(303);
  const [entry] = await until(async () => {
    const f = await feedbackEntries(blueCase);
    return f.length ? f : undefined;
  }, 'the blue feedback on the timeline');
  expect(entry.attachments).toEqual(uploadsOf(blueCase).map((u) => u.id));
  expect((await stack.models.Task.findById(task._id).lean())!.status).toBe('done');
});
