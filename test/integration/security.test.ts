/**
 * Issue 12, one test per finding, on the real stack run as production does (no demo flag). Each was
 * found by reading the code as an attacker would; the matrix (authorizationMatrix.test.ts) holds the
 * role × route statuses, these hold what each finding was about.
 */
import { sha256 } from '../../lib/passwords';
import { PageClient, PASSWORD, seedWorld } from '../e2e/world';
import { startStack, Stack } from '../helpers/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
}, 120_000);
afterAll(async () => stack?.stop());

async function token(username: string, password = PASSWORD, ip?: string): Promise<Response> {
  return fetch(`${stack.baseUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) }, body: JSON.stringify({ username, password }) });
}
async function bearer(username: string): Promise<string> {
  const res = await token(username);
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}
void sha256;

describe('finding 1: case mail and relay mail are not for anonymous visitors', () => {
  test('the outbox and the mailbox send an anonymous visitor to the login page, refuse a regulator and show an administrator', async () => {
    await stack.models.Delivery.create({ _id: 'risk-warning/ent-a/notified', channel: 'email', status: 'sent', to: ['boss@ent-a.test'], subject: '甲金属制品有限公司 红色预警', template: 'x', attempts: 1, createdAt: new Date() });
    const anon = new PageClient(stack.baseUrl);
    for (const path of ['/outbox', '/mailbox', '/admin/outbox']) {
      const r = await anon.get(path);
      expect(r.status).toBe(303);
      expect(r.html).not.toContain('甲金属制品有限公司');
    }
    const reg = new PageClient(stack.baseUrl);
    await reg.login('reg-east');
    expect((await reg.get('/outbox')).status).toBe(403);
    expect((await reg.get('/mailbox')).status).toBe(403);
    const admin = new PageClient(stack.baseUrl);
    await admin.login('admin1');
    const outbox = await admin.get('/outbox');
    expect(outbox.status).toBe(200);
    expect(outbox.html).toContain('甲金属制品有限公司 红色预警');
    expect((await admin.get('/mailbox')).status).toBe(200);
  });

  test('without the demo flag the demo pages and the demo API do not exist, even for an administrator, and nothing is mailed', async () => {
    const before = await stack.models.CaseRecord.countDocuments({ type: 'demo' });
    const anon = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recipient: 'victim@example.com', message: '您的账户已冻结' }) });
    expect(anon.status).toBe(404);
    const admin = await bearer('admin1');
    const signed = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ recipient: 'victim@example.com', message: '您的账户已冻结' }) });
    expect(signed.status).toBe(404);
    const page = new PageClient(stack.baseUrl);
    await page.login('admin1');
    expect((await page.get('/demo')).status).toBe(404);
    expect(await stack.models.CaseRecord.countDocuments({ type: 'demo' })).toBe(before);
  });
});
