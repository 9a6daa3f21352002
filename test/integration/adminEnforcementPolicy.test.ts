/**
 * The administrator's enforcement-policy page (约谈/行政处罚时限) on the real stack: the clocks in
 * force as ISO and in words, an edit saved as a new version that the API serves and that a penalty
 * opened afterwards runs on, a bad clock refused naming `penalty.statementWindow` with the input kept,
 * a form read before another save refused with 409, the history, 403 for anyone else, English.
 */
import { DEFAULT_ENFORCEMENT_POLICY, INTERVIEW_CLOCKS, PENALTY_CLOCKS } from '../../domain/enforcement';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { call, tokenFor } from '../helpers/warningWorld';
import { PageClient, PASSWORD, seedWorld } from '../e2e/world';

let stack: Stack;
let admin: PageClient;
let adminToken: string;

/** The form as the page posts it, from a policy, with changes. */
function clockForm(version: number, change: Record<string, string> = {}): Record<string, string> {
  const f: Record<string, string> = { version: String(version) };
  for (const k of INTERVIEW_CLOCKS) f[`interview.${k}`] = DEFAULT_ENFORCEMENT_POLICY.interview[k];
  for (const k of PENALTY_CLOCKS) f[`penalty.${k}`] = DEFAULT_ENFORCEMENT_POLICY.penalty[k];
  return { ...f, ...change };
}
/** Reads the page first (its CSRF token), then posts. */
async function post(form: Record<string, string>, client = admin) {
  await client.get('/admin/policies/enforcement');
  return client.post('/admin/policies/enforcement', form);
}
const inForce = async () => (await call(stack.baseUrl, adminToken, 'GET', '/api/v1/policies/enforcement')).body;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  admin = new PageClient(stack.baseUrl);
  await admin.login('admin1');
  adminToken = await tokenFor(stack.baseUrl, 'admin1', PASSWORD);
}, 120_000);
afterAll(async () => stack?.stop());

test('the admin index links the page; the page shows the shipped clocks as ISO and in words', async () => {
  expect((await admin.get('/admin')).html).toContain('href="/admin/policies/enforcement"');
  const page = await admin.get('/admin/policies/enforcement');
  expect(page.status).toBe(200);
  expect(page.html).toContain('约谈与行政处罚时限');
  expect(page.html).toContain('v1');
  expect(page.html).toMatch(/陈述、申辩、要求听证期限[^<]*<\/th><td><code>P5D<\/code><\/td><td>5天<\/td>/);
  expect(page.html).toMatch(/调查取证时限[^<]*<\/th><td><code>P30D<\/code><\/td><td>30天<\/td>/);
  expect(page.html).toContain('name="penalty.statementWindow"');
  expect(page.html).toContain('name="version" value="1"');
  expect(page.html).toContain('出厂默认');
});

test('a bad clock is a 400 naming penalty.statementWindow, what was typed kept, nothing stored', async () => {
  const bad = await post(clockForm(1, { 'penalty.statementWindow': '5 days', 'penalty.hearingWithin': 'P20D' }));
  expect(bad.status).toBe(400);
  expect(bad.html).toContain('penalty.statementWindow');
  expect(bad.html).toMatch(/name="penalty\.statementWindow"[^>]*value="5 days"[^>]*aria-invalid="true"/);
  expect(bad.html).toMatch(/name="penalty\.hearingWithin"[^>]*value="P20D"/);
  expect(bad.html).not.toMatch(/name="penalty\.hearingWithin"[^>]*aria-invalid/);
  const empty = await post(clockForm(1, { 'interview.minutesWithin': '' }));
  expect(empty.status).toBe(400);
  expect(empty.html).toContain('interview.minutesWithin');
  const zero = await post(clockForm(1, { 'penalty.filingWithin': 'PT0S' }));
  expect(zero.status).toBe(400);
  expect(zero.html).toContain('penalty.filingWithin: must be longer than zero');
  expect(await stack.models.EnforcementPolicy.countDocuments({})).toBe(0);
  expect((await inForce()).version).toBe(1);
});

test('an edit is a new version, audited, served by the API, and the penalty opened next runs on it', async () => {
  const r = await post(clockForm(1, { 'penalty.filingWithin': 'P2D', 'penalty.statementWindow': 'P1DT12H' }));
  expect(r.status).toBe(303);
  expect(r.location).toBe('/admin/policies/enforcement?saved=2');
  expect(await inForce()).toMatchObject({
    version: 2,
    penalty: { filingWithin: 'P2D', statementWindow: 'P1DT12H', investigationWithin: 'P30D' },
    interview: DEFAULT_ENFORCEMENT_POLICY.interview,
  });
  expect(
    await stack.models.AuditEntry.countDocuments({
      actor: 'admin1',
      action: 'enforcement_policy.changed',
      target: 'enforcement_policy/2',
    }),
  ).toBe(1);

  const page = await admin.get(r.location!);
  expect(page.html).toContain('class="ok"');
  expect(page.html).toMatch(/<code>P1DT12H<\/code><\/td><td>1天12小时<\/td>/);
  expect(page.html).toContain('href="/admin/policies/enforcement?version=1"');
  const v1 = await admin.get('/admin/policies/enforcement?version=1');
  expect(v1.html).toMatch(/<code>P5D<\/code><\/td><td>5天<\/td>/);
  expect(v1.html).toContain('查看现行版本');
  expect((await admin.get('/admin/policies/enforcement?version=9')).status).toBe(404);

  // The clock a regulator sees: the filing task of a penalty opened now is due in two days.
  const regulator = await tokenFor(stack.baseUrl, 'reg-east', PASSWORD);
  const before = Date.now();
  const opened = await call(stack.baseUrl, regulator, 'POST', '/api/v1/penalties', {
    enterpriseId: 'ent-a',
    violation: '未按规定清扫粉尘',
  });
  expect(opened.status).toBe(201);
  const filing = await until(
    () => stack.models.Task.findOne({ _id: `${opened.body.caseId}/filing`, status: 'open' }).lean(),
    'the filing task',
  );
  const dueIn = filing.due!.getTime() - before;
  expect(dueIn).toBeGreaterThan(2 * 86_400_000 - 60_000);
  expect(dueIn).toBeLessThan(2 * 86_400_000 + 60_000);
});

test('a form read before another save is a 409 naming version; the page offers the newer version to start from', async () => {
  const stale = await post(clockForm(1, { 'penalty.filingWithin': 'P9D' }));
  expect(stale.status).toBe(409);
  expect(stale.html).toContain('version: v2 was saved since you opened this form');
  expect(stale.html).toContain('name="version" value="2"');
  expect(stale.html).toMatch(/name="penalty\.filingWithin"[^>]*value="P9D"/);
  expect((await inForce()).penalty.filingWithin).toBe('P2D');
  expect(await stack.models.EnforcementPolicy.countDocuments({})).toBe(1);
});

test('anyone but an administrator gets 403 on the page and its post, and nothing is stored', async () => {
  const reg = new PageClient(stack.baseUrl);
  await reg.login('reg-east');
  expect((await reg.get('/admin/policies/enforcement')).status).toBe(403);
  await reg.get('/inbox');
  expect((await reg.post('/admin/policies/enforcement', clockForm(2, { 'penalty.filingWithin': 'P1D' }))).status).toBe(
    403,
  );
  expect((await inForce()).penalty.filingWithin).toBe('P2D');
});

test('the page switches to English', async () => {
  const en = new PageClient(stack.baseUrl);
  await en.login('admin1');
  const page = await en.get('/admin/policies/enforcement?lang=en');
  expect(page.html).toContain('Interview and penalty time limits');
  expect(page.html).toMatch(/<code>P1DT12H<\/code><\/td><td>1 d 12 h<\/td>/);
});
