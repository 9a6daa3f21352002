/**
 * The people's side on the real stack, route by route: sessions and CSRF, login rate limiting,
 * jurisdiction (属地) with 403 pages, bad form input (400 naming the field, nothing stored), audit.
 */
import { startStack, Stack } from '../helpers/stack';
import { PageClient, seedWorld } from '../e2e/world';

let stack: Stack;
let world: Awaited<ReturnType<typeof seedWorld>>;

beforeAll(async () => {
  stack = await startStack({ web: true });
  world = await seedWorld(stack.models);
}, 120_000);
afterAll(async () => stack?.stop());

describe('sessions and CSRF', () => {
  test('a page needing a login sends an anonymous visitor to the login page', async () => {
    const c = new PageClient(stack.baseUrl);
    const r = await c.get('/inbox');
    expect(r.status).toBe(303);
    expect(r.location).toMatch(/^\/login\?next=%2Finbox/);
  });

  test('the session cookie is http-only and SameSite', async () => {
    const res = await fetch(`${stack.baseUrl}/login`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('wf_session='));
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
  });

  test('a login without or with a wrong CSRF token is refused with 403 and signs nobody in', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.get('/login');
    expect(
      (await c.post('/login', { username: 'reg-east', password: 'correct-horse-42' }, { csrf: null })).status,
    ).toBe(403);
    expect(
      (await c.post('/login', { username: 'reg-east', password: 'correct-horse-42' }, { csrf: 'forged' })).status,
    ).toBe(403);
    expect((await c.get('/inbox')).status).toBe(303);
  });

  test('a signed-in form without the token is refused (403) and nothing changes', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('reg-east');
    const r = await c.post(`/tasks/${encodeURIComponent(`${world.caseA}/track`)}/claim`, {}, { csrf: null });
    expect(r.status).toBe(403);
    expect(r.html).toContain('CSRF');
    expect((await stack.models.Task.findById(`${world.caseA}/track`).lean())?.assigneeUserId).toBeUndefined();
  });

  test('the login rotates the session: the anonymous cookie value no longer works', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.get('/login');
    const anonymous = c.cookies.get('wf_session');
    await c.login('reg-east');
    expect(c.cookies.get('wf_session')).not.toBe(anonymous);
    expect((await c.get('/inbox')).status).toBe(200);
    const stale = new PageClient(stack.baseUrl);
    stale.cookies.set('wf_session', anonymous!);
    expect((await stale.get('/inbox')).status).toBe(303);
  });

  test('logout ends the session', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('reg-east2');
    await c.get('/inbox');
    expect((await c.post('/logout', {})).status).toBe(303);
    expect((await c.get('/inbox')).status).toBe(303);
  });
});

describe('login rate limiting', () => {
  test('five failures of one username from one address lock it out with 429, even with the right password; another address is not locked', async () => {
    const c = new PageClient(stack.baseUrl, '10.9.8.7');
    await c.get('/login');
    for (let i = 0; i < 5; i++)
      expect((await c.post('/login', { username: 'reg-west', password: 'wrong' })).status).toBe(401);
    const locked = await c.post('/login', { username: 'reg-west', password: 'correct-horse-42' });
    expect(locked.status).toBe(429);
    const other = new PageClient(stack.baseUrl, '10.9.8.8');
    await other.login('reg-west');
    expect((await other.get('/inbox')).status).toBe(200);
    expect(await stack.models.AuditEntry.countDocuments({ actor: 'reg-west', action: 'login.failed' })).toBe(5);
  });
});

describe('jurisdiction (属地)', () => {
  test('an enterprise user opens its own case and gets a 403 page for another enterprise case', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    expect((await c.get(`/cases/${world.caseA}`)).status).toBe(200);
    const other = await c.get(`/cases/${world.caseB}`);
    expect(other.status).toBe(403);
    expect(other.html).toContain('outside your jurisdiction');
    expect((await c.get('/enterprises/ent-b')).status).toBe(403);
    expect((await c.get('/spot-check')).status).toBe(403);
  });

  test("a regulator sees its agency's tasks only, and cannot open a case of another district", async () => {
    const east = new PageClient(stack.baseUrl);
    await east.login('reg-east');
    const inbox = await east.get('/inbox');
    expect(inbox.html).toContain('跟踪核查红色预警');
    expect(inbox.html).toContain('已超期');
    expect((await east.get(`/cases/${world.caseB}`)).status).toBe(403);
    expect((await east.get('/inbox?level=red&industry=dust_explosion&region=east')).html).toContain('跟踪核查红色预警');
    expect((await east.get('/inbox?level=blue')).html).not.toContain('跟踪核查红色预警');
    expect((await east.get('/inbox?region=west')).html).not.toContain('跟踪核查红色预警');
    const west = new PageClient(stack.baseUrl);
    await west.login('admin1');
    expect((await west.get(`/cases/${world.caseB}`)).status).toBe(200);
  });

  test('the spot check finds only enterprises in the regulator jurisdiction', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('reg-east');
    const r = await c.get('/spot-check?name=' + encodeURIComponent('甲'));
    expect(r.html).toContain('甲金属制品有限公司');
    const all = await c.get('/spot-check?industry=dust_explosion');
    expect(all.html).not.toContain('乙木业有限公司');
    // Online status 在线: a sensor of 甲 goes offline.
    expect((await c.get('/spot-check?online=yes')).html).toContain('甲金属制品有限公司');
    await stack.models.DeviceLiveness.create({
      _id: 'sensor/dev-a1',
      sourceKind: 'sensor',
      sourceId: 'dev-a1',
      enterpriseId: 'ent-a',
      lastSeenAt: new Date(Date.now() - 3600_000),
      silentAfter: new Date(Date.now() - 1800_000),
      offline: true,
      offlineSince: new Date(Date.now() - 1800_000),
    });
    expect((await c.get('/spot-check?online=no')).html).toContain('甲金属制品有限公司');
    expect((await c.get('/spot-check?online=yes')).html).not.toContain('甲金属制品有限公司');
    const one = await c.get('/enterprises/ent-a');
    expect(one.html).toContain('离线');
    await stack.models.DeviceLiveness.deleteOne({ _id: 'sensor/dev-a1' });
  });

  test('administration pages are 403 for a regulator and open for an administrator, who finds actions in the audit trail', async () => {
    const reg = new PageClient(stack.baseUrl);
    await reg.login('reg-east');
    expect((await reg.get('/admin/audit')).status).toBe(403);
    const admin = new PageClient(stack.baseUrl);
    await admin.login('admin1');
    const audit = await admin.get('/admin/audit?actor=reg-east');
    expect(audit.status).toBe(200);
    expect(audit.html).toContain('login');
    const users = await admin.get('/admin/lists/users');
    expect(users.status).toBe(200);
    expect(users.html).toContain('reg-east');
    expect(users.html).not.toContain('scrypt$');
    expect((await reg.get('/admin/lists/users')).status).toBe(403);
  });
});

describe('bad form input', () => {
  test('a cleaning check-in without the person is a 400 page naming the field, and nothing is stored', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    await c.get('/portal/cleaning');
    const r = await c.post('/portal/cleaning', { item: '除尘器灰斗', person: '', at: '2026-11-25T08:00' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('person');
    expect(await stack.models.CleaningCheckIn.countDocuments({})).toBe(0);
  });

  test('a valid cleaning check-in is stored and audited', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    await c.get('/portal/cleaning');
    const r = await c.post('/portal/cleaning', {
      item: '除尘器灰斗',
      person: '李四',
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(r.status).toBe(303);
    expect(await stack.models.CleaningCheckIn.countDocuments({ enterpriseId: 'ent-a' })).toBe(1);
    expect(await stack.models.AuditEntry.countDocuments({ actor: 'ent-a-user', action: 'cleaning.check_in' })).toBe(1);
  });

  test('assigning a task to someone outside the agency is a 400 naming the assignee', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('reg-east');
    await c.get(`/tasks/${encodeURIComponent(`${world.caseA}/track`)}`);
    const r = await c.post(`/tasks/${encodeURIComponent(`${world.caseA}/track`)}/assign`, { assignee: 'reg-west' });
    expect(r.status).toBe(400);
    expect(r.html).toContain('assignee');
    expect((await stack.models.Task.findById(`${world.caseA}/track`).lean())?.assigneeUserId).toBeUndefined();
  });

  test('an inbox filter with an unknown level is a 400 naming the field', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('reg-east');
    const r = await c.get('/inbox?level=purple');
    expect(r.status).toBe(400);
    expect(r.html).toContain('level');
  });
});

describe('claim and assign', () => {
  test('a regulator claims an agency task, a colleague cannot claim it again, and it can be assigned within the agency', async () => {
    const taskId = encodeURIComponent(`${world.caseA}/track`);
    const a = new PageClient(stack.baseUrl);
    await a.login('reg-east');
    await a.get(`/tasks/${taskId}`);
    expect((await a.post(`/tasks/${taskId}/claim`, {})).status).toBe(303);
    const b = new PageClient(stack.baseUrl);
    await b.login('reg-east2');
    await b.get(`/tasks/${taskId}`);
    expect((await b.post(`/tasks/${taskId}/claim`, {})).status).toBe(409);
    expect((await a.post(`/tasks/${taskId}/assign`, { assignee: 'reg-east2' })).status).toBe(303);
    expect((await stack.models.Task.findById(`${world.caseA}/track`).lean())?.assigneeUserId).toBe('reg-east2');
    expect((await b.get('/inbox?scope=mine')).html).toContain('跟踪核查红色预警');
  });
});

describe('password change', () => {
  test('a wrong current password or a mismatched confirmation is a 400 naming the field; a good change ends other sessions and the new password works', async () => {
    const other = new PageClient(stack.baseUrl);
    await other.login('ent-b-user');
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-b-user');
    await c.get('/account/password');
    const wrong = await c.post('/account/password', {
      current: 'nope',
      password: 'a-new-password-1',
      confirm: 'a-new-password-1',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('current');
    const mismatch = await c.post('/account/password', {
      current: 'correct-horse-42',
      password: 'a-new-password-1',
      confirm: 'different-1234',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain('confirm');
    expect(
      (
        await c.post('/account/password', {
          current: 'correct-horse-42',
          password: 'a-new-password-1',
          confirm: 'a-new-password-1',
        })
      ).status,
    ).toBe(200);
    expect((await other.get('/portal')).status).toBe(303);
    expect((await c.get('/portal')).status).toBe(200);
    const again = new PageClient(stack.baseUrl);
    await again.login('ent-b-user', 'a-new-password-1');
    expect(await stack.models.AuditEntry.countDocuments({ actor: 'ent-b-user', action: 'password.change' })).toBe(1);
  });
});
