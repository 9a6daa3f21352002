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
  return fetch(`${stack.baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(ip ? { 'x-forwarded-for': ip } : {}) },
    body: JSON.stringify({ username, password }),
  });
}
async function bearer(username: string): Promise<string> {
  const res = await token(username);
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}
void sha256;

describe('finding 1: case mail and relay mail are not for anonymous visitors', () => {
  test('the outbox and the mailbox send an anonymous visitor to the login page, refuse a regulator and show an administrator', async () => {
    await stack.models.Delivery.create({
      _id: 'risk-warning/ent-a/notified',
      channel: 'email',
      status: 'sent',
      to: ['boss@ent-a.test'],
      subject: '甲金属制品有限公司 红色预警',
      template: 'x',
      attempts: 1,
      createdAt: new Date(),
    });
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
    const anon = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recipient: 'victim@example.com', message: '您的账户已冻结' }),
    });
    expect(anon.status).toBe(404);
    const admin = await bearer('admin1');
    const signed = await fetch(`${stack.baseUrl}/api/v1/demo-cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ recipient: 'victim@example.com', message: '您的账户已冻结' }),
    });
    expect(signed.status).toBe(404);
    const page = new PageClient(stack.baseUrl);
    await page.login('admin1');
    expect((await page.get('/demo')).status).toBe(404);
    expect(await stack.models.CaseRecord.countDocuments({ type: 'demo' })).toBe(before);
  });
});

describe('finding 3: every state-changing page request checks the CSRF token, whatever the body type', () => {
  /** A signed-in browser tricked by another site: its cookie goes along, the token does not. */
  async function forgedMultipart(c: PageClient, path: string): Promise<number> {
    const res = await fetch(stack.baseUrl + path, {
      method: 'POST',
      headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new FormData(),
      redirect: 'manual',
    });
    await res.arrayBuffer();
    return res.status;
  }

  test("an empty multipart post does not wipe the enterprise's contacts or cleaning plan, retire a device, claim a task or deactivate a user", async () => {
    await stack.models.CleaningPlan.create({
      _id: 'ent-a',
      items: [{ item: '除尘器灰斗', area: '打磨车间', frequency: 'daily', responsible: '李四' }],
      updatedAt: new Date(),
      updatedBy: 'admin1',
    });
    const ent = new PageClient(stack.baseUrl);
    await ent.login('ent-a-user');
    expect(await forgedMultipart(ent, '/portal/config/enterprise')).toBe(403);
    expect(await forgedMultipart(ent, '/portal/config/cleaning-plan')).toBe(403);
    expect(await forgedMultipart(ent, '/portal/config/devices/dev-a1/retire')).toBe(403);
    const e = (await stack.models.Enterprise.findById('ent-a').lean())!;
    expect(e.contacts).toEqual([expect.objectContaining({ name: '张三', phone: '13800000000' })]);
    expect((await stack.models.Device.findById('dev-a1').lean())!.status).toBe('active');
    expect((await stack.models.CleaningPlan.findById('ent-a').lean())!.items).toHaveLength(1);
    const reg = new PageClient(stack.baseUrl);
    await reg.login('reg-east');
    expect(await forgedMultipart(reg, `/tasks/${encodeURIComponent('risk-warning/ent-a/track')}/claim`)).toBe(403);
    expect((await stack.models.Task.findById('risk-warning/ent-a/track').lean())!.assigneeUserId).toBeUndefined();
    const admin = new PageClient(stack.baseUrl);
    await admin.login('admin1');
    expect(await forgedMultipart(admin, '/admin/users/reg-west/deactivate')).toBe(403);
    expect((await stack.models.User.findById('reg-west').lean())!.active).toBe(true);
  });

  test("the pages' own multipart forms carry the token and still work (a cleaning check-in with its form)", async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    const page = await c.get('/portal/cleaning');
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/
      .exec(page.html)![1]
      .replace(/&amp;/g, '&');
    const form = new FormData();
    form.set('_csrf', c.csrf);
    form.set('item', '除尘器灰斗');
    form.set('person', '李四');
    form.set('at', new Date(Date.now() - 60_000).toISOString());
    const res = await fetch(stack.baseUrl + action, {
      method: 'POST',
      headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: form,
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(await stack.models.CleaningCheckIn.countDocuments({ enterpriseId: 'ent-a', person: '李四' })).toBe(1);
  });
});

describe('finding 4: a report shows each reader its own part, and no server paths', () => {
  const REPORT = 'report/weekly/2026-11-09/v1';
  beforeAll(async () => {
    const row = (enterpriseId: string, region: string, score: number) => ({
      enterpriseId,
      enterpriseName: enterpriseId,
      regionId: region,
      regionPath: ['city', region],
      industry: 'dust_explosion',
      dataOfflineRatePercent: score,
      videoOfflineRatePercent: 0,
      longestOfflineHours: 0,
      sensors: 1,
      videoChannels: 0,
      alarms: 0,
      outOfRange: 0,
      frozen: 0,
      longestSources: [],
    });
    await stack.models.Report.create({
      _id: REPORT,
      kind: 'weekly',
      periodStart: '2026-11-09',
      periodEnd: '2026-11-16',
      version: 1,
      status: 'done',
      rulesVersion: 1,
      requestedBy: 'admin1',
      createdAt: new Date(),
      pdfPath: '/srv/warnflow/.data/reports/secret-path.pdf',
      figures: {
        period: { kind: 'weekly', start: '2026-11-09', end: '2026-11-16', days: 7 },
        enterprises: [row('ent-a', 'east', 11), row('ent-b', 'west', 22)],
        regions: [
          {
            regionId: 'east',
            enterprises: 1,
            dataOfflineRatePercent: 11,
            videoOfflineRatePercent: 0,
            alarms: 0,
            outOfRange: 0,
            frozen: 0,
          },
          {
            regionId: 'west',
            enterprises: 1,
            dataOfflineRatePercent: 22,
            videoOfflineRatePercent: 0,
            alarms: 0,
            outOfRange: 0,
            frozen: 0,
          },
        ],
        totals: {
          enterprises: 2,
          dataOfflineRatePercent: 16.5,
          videoOfflineRatePercent: 0,
          alarms: 0,
          outOfRange: 0,
          frozen: 0,
        },
      },
      followUps: [
        {
          id: 'f-a',
          rule: 'offline_rate_notice',
          enterpriseId: 'ent-a',
          regionId: 'east',
          action: 'warning_notice',
          reason: 'a',
        },
        {
          id: 'f-b',
          rule: 'offline_rate_notice',
          enterpriseId: 'ent-b',
          regionId: 'west',
          action: 'warning_notice',
          reason: 'b',
        },
      ],
      scores: [
        { e: 'ent-a', s: 90 },
        { e: 'ent-b', s: 70 },
      ],
    });
  });
  const get = async (username: string, path = `/api/v1/reports/${REPORT}`) => {
    const res = await fetch(stack.baseUrl + path, { headers: { authorization: `Bearer ${await bearer(username)}` } });
    return { status: res.status, text: await res.text() };
  };

  test("an enterprise reads its own line only: not the other enterprise's figures, scores or follow-ups", async () => {
    const r = await get('ent-a-user');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.figures.enterprises.map((e: { enterpriseId: string }) => e.enterpriseId)).toEqual(['ent-a']);
    expect(body.scores).toEqual([{ e: 'ent-a', s: 90 }]);
    expect(body.followUps.map((f: { id: string }) => f.id)).toEqual(['f-a']);
    expect(r.text).not.toContain('ent-b');
    expect(r.text).not.toContain('secret-path');
    expect((await get('ent-a-user', `/api/v1/reports/${REPORT}/pdf`)).status).toBe(403);
  });

  test("a regulator reads its jurisdiction's lines and regions; the whole-city PDF is for those who may see every line", async () => {
    const r = await get('reg-east');
    expect(r.status).toBe(200);
    const body = JSON.parse(r.text);
    expect(body.figures.enterprises.map((e: { enterpriseId: string }) => e.enterpriseId)).toEqual(['ent-a']);
    expect(body.figures.regions.map((e: { regionId: string }) => e.regionId)).toEqual(['east']);
    expect(body.scores).toEqual([{ e: 'ent-a', s: 90 }]);
    expect(r.text).not.toContain('ent-b');
    expect(r.text).not.toContain('secret-path');
    expect((await get('reg-east', `/api/v1/reports/${REPORT}/pdf`)).status).toBe(403);
    const list = await get('reg-east', '/api/v1/reports');
    expect(list.status).toBe(200);
    expect(list.text).toContain(REPORT);
    expect(list.text).not.toContain('secret-path');
  });

  test('an administrator reads the whole report, with a link to its PDF instead of its path', async () => {
    const r = await get('admin1');
    const body = JSON.parse(r.text);
    expect(body.figures.enterprises).toHaveLength(2);
    expect(body.pdf).toBe(`/api/v1/reports/${REPORT}/pdf`);
    expect(r.text).not.toContain('secret-path');
  });
});

describe('finding 2: one login limiter for pages and API, shared by every web process, per IP and per account', () => {
  const tokenAs = (username: string, password: string, ip: string, base = stack.baseUrl) =>
    fetch(`${base}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ username, password }),
    });

  test('the token endpoint locks out after five failures of one account from one address, even with the right password, and audits them', async () => {
    for (let i = 0; i < 5; i++) expect((await tokenAs('reg-east2', 'wrong', '10.2.0.1')).status).toBe(401);
    const locked = await tokenAs('reg-east2', PASSWORD, '10.2.0.1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stack.models.AuditEntry.countDocuments({ actor: 'reg-east2', action: 'login.failed' })).toBe(5);
    expect(await stack.models.AuditEntry.countDocuments({ actor: 'reg-east2', action: 'login.locked_out' })).toBe(1);
  });

  test('guesses spread over many usernames from one address are stopped too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await tokenAs(`guess-${i}`, 'wrong', '10.2.0.2')).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  test('concurrent guesses cannot pass together before the count is written', async () => {
    const all = await Promise.all(Array.from({ length: 12 }, () => tokenAs('ent-b-user', 'wrong', '10.2.0.3')));
    const statuses = all.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  test('a failed login under a made-up username does not write that name into the audit trail as an actor', async () => {
    await tokenAs('<script>admin1</script>', 'wrong', '10.2.0.4');
    expect(await stack.models.AuditEntry.countDocuments({ actor: '<script>admin1</script>' })).toBe(0);
    expect(
      await stack.models.AuditEntry.countDocuments({ actor: 'anonymous', action: 'login.failed', ip: '10.2.0.4' }),
    ).toBe(1);
  });

  test('a second web process shares the count, and one not behind a trusted proxy ignores a forged X-Forwarded-For', async () => {
    const { createApp, closeApp } = await import('../../web/app');
    const { createLogger } = await import('../../lib/log');
    const second = createApp({
      config: { taskQueue: stack.taskQueue, publicUrl: 'http://127.0.0.1', temporalAddress: 'unused:1' },
      temporal: stack.client,
      db: stack.db,
      models: stack.models,
      mailer: stack.mailer,
      log: createLogger({ service: 'web-test-2' }, 'warn'),
    });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = second.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base2 = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      // Each guess claims another address; this process trusts no proxy, so they all count for 127.0.0.1.
      for (let i = 0; i < 5; i++) expect((await tokenAs('reg-west', 'wrong', `10.3.0.${i}`, base2)).status).toBe(401);
      expect((await tokenAs('reg-west', PASSWORD, '10.3.0.99', base2)).status).toBe(429);
      // The first process (behind its loopback proxy) sees 127.0.0.1's count for reg-west as well.
      const first = await fetch(`${stack.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'reg-west', password: PASSWORD }),
      });
      expect(first.status).toBe(429);
    } finally {
      await new Promise((r) => server.close(r));
      await closeApp(second);
    }
  });
});

describe("finding 5: an agency chat-robot webhook is write-only after creation; its mailing list is the administrator's", () => {
  const KEY = 'robot-secret-key-0123456789';
  beforeAll(async () => {
    await stack.models.Agency.updateOne(
      { _id: 'east-dust' },
      { $set: { webhookUrl: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}` } },
    );
  });

  test('a regulator lists agencies without webhook URLs or mailing lists; an administrator sees that a webhook is set, never its key', async () => {
    const reg = await (
      await fetch(`${stack.baseUrl}/api/v1/agencies`, {
        headers: { authorization: `Bearer ${await bearer('reg-east')}` },
      })
    ).text();
    expect(reg).not.toContain(KEY);
    expect(reg).not.toContain('east-dust@gov.test');
    expect(JSON.parse(reg).find((a: { _id: string }) => a._id === 'east-dust')).toMatchObject({
      name: '东区粉尘涉爆监管科',
      webhookConfigured: true,
    });
    const admin = await (
      await fetch(`${stack.baseUrl}/api/v1/agencies`, {
        headers: { authorization: `Bearer ${await bearer('admin1')}` },
      })
    ).text();
    expect(admin).not.toContain(KEY);
    expect(JSON.parse(admin).find((a: { _id: string }) => a._id === 'east-dust')).toMatchObject({
      emails: ['east-dust@gov.test'],
      webhookConfigured: true,
    });
  });

  test("the administrator's agency form does not show the key, and saving it without a new URL keeps the webhook", async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('admin1');
    const form = await c.get('/admin/agencies/east-dust');
    expect(form.status).toBe(200);
    expect(form.html).not.toContain(KEY);
    const saved = await c.post('/admin/agencies/east-dust', {
      name: '东区粉尘涉爆监管科',
      role: 'district_industry_regulator',
      regionId: 'east',
      industries: 'dust_explosion',
      emails: 'east-dust@gov.test',
      webhookUrl: '',
    });
    expect(saved.status).toBe(303);
    expect((await stack.models.Agency.findById('east-dust').lean())!.webhookUrl).toContain(KEY);
  });
});

describe('finding 6: bearer tokens end with what should end them', () => {
  const api = (t: string, method = 'GET', path = '/api/v1/tasks') =>
    fetch(`${stack.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${t}` } }).then(
      async (r) => (await r.arrayBuffer(), r.status),
    );

  test('DELETE /api/v1/auth/token revokes the token it is called with', async () => {
    const t = await bearer('reg-east2');
    expect(await api(t)).toBe(200);
    expect(await api(t, 'DELETE', '/api/v1/auth/token')).toBe(204);
    expect(await api(t)).toBe(401);
  });

  test("a password change, the administrator's reset and a page logout end the user's tokens", async () => {
    const t1 = await bearer('ent-a-user');
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    await c.get('/account/password');
    expect(
      (
        await c.post('/account/password', {
          current: PASSWORD,
          password: 'another-pass-2026',
          confirm: 'another-pass-2026',
        })
      ).status,
    ).toBe(200);
    expect(await api(t1)).toBe(401);
    const t2 = (await (await token('ent-a-user', 'another-pass-2026')).json()) as { token: string };
    const admin = new PageClient(stack.baseUrl);
    await admin.login('admin1');
    await admin.get('/admin/users/ent-a-user');
    expect((await admin.post('/admin/users/ent-a-user/password', { password: PASSWORD })).status).toBe(303);
    expect(await api(t2.token)).toBe(401);
    const t3 = await bearer('ent-a-user');
    const again = new PageClient(stack.baseUrl);
    await again.login('ent-a-user');
    await again.get('/portal');
    expect((await again.post('/logout', {})).status).toBe(303);
    expect(await api(t3)).toBe(401);
  });

  test('deactivation ends tokens, and reactivation does not revive them', async () => {
    const t = await bearer('reg-east2');
    const admin = new PageClient(stack.baseUrl);
    await admin.login('admin1');
    await admin.get('/admin/users/reg-east2');
    expect((await admin.post('/admin/users/reg-east2/deactivate', {})).status).toBe(303);
    expect(await api(t)).toBe(401);
    await admin.get('/admin/users/reg-east2');
    expect((await admin.post('/admin/users/reg-east2/activate', {})).status).toBe(303);
    expect(await api(t)).toBe(401);
    // The API's deactivation too.
    const t2 = await bearer('reg-east2');
    expect(await api(await bearer('admin1'), 'DELETE', '/api/v1/users/reg-east2')).toBe(204);
    await stack.models.User.updateOne({ _id: 'reg-east2' }, { $set: { active: true } });
    expect(await api(t2)).toBe(401);
  });
});

describe("finding 7: an enterprise's threshold and interval changes wait for the zone safety department's approval", () => {
  beforeAll(async () => {
    await stack.models.Agency.create({
      _id: 'east-zone',
      name: '东区功能区安全管理部门',
      role: 'zone_safety_dept',
      regionId: 'east',
      industries: [],
      emails: [],
    });
    await stack.models.User.create({
      _id: 'zone-east',
      displayName: 'zone-east',
      role: 'regulator',
      agencyId: 'east-zone',
      passwordHash: (await stack.models.User.findById('reg-east').lean())!.passwordHash,
      active: true,
      createdAt: new Date(),
    });
    await stack.models.Device.updateOne({ _id: 'dev-a1' }, { $set: { 'indicators.0.alarmHigh': 1500 } });
  });
  const deviceForm = (over: Record<string, string>) => ({
    name: '1号除尘器',
    kind: 'dust_collector_sensor',
    system: '打磨除尘系统',
    'indicators.0.code': 'dp',
    'indicators.0.name': '压差',
    'indicators.0.kind': 'differential_pressure',
    'indicators.0.unit': 'Pa',
    'indicators.0.alarmHigh': '1500',
    'indicators.0.intervalSec': '60',
    ...over,
  });

  test('an interval beyond the seed limit (5 min) is refused naming the field, and nothing changes', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    await c.get('/portal/config/devices/dev-a1');
    const r = await c.post('/portal/config/devices/dev-a1', deviceForm({ 'indicators.0.intervalSec': '1000000000' }));
    expect(r.status).toBe(400);
    expect(r.html).toContain('indicators.0.intervalSec');
    expect((await stack.models.Device.findById('dev-a1').lean())!.indicators[0].intervalSec).toBe(60);
  });

  test('widened thresholds take effect only once the zone safety department approves; both steps are audited with before and after', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('ent-a-user');
    await c.get('/portal/config/devices/dev-a1');
    const r = await c.post(
      '/portal/config/devices/dev-a1',
      deviceForm({ name: '1号除尘器（东）', 'indicators.0.alarmHigh': '99999' }),
    );
    expect(r.status).toBe(303);
    const held = (await stack.models.Device.findById('dev-a1').lean())!;
    expect(held.name).toBe('1号除尘器（东）');
    expect(held.indicators[0].alarmHigh).toBe(1500);
    const task = (await stack.models.Task.findOne({
      form: 'deviceSettingsReview',
      enterpriseId: 'ent-a',
      status: 'open',
    }).lean())!;
    expect(task).toMatchObject({ assigneeAgencyId: 'east-zone' });
    const proposed = (await stack.models.AuditEntry.findOne({
      action: 'device.settings_proposed',
      target: 'dev-a1',
    }).lean())!;
    expect(proposed.detail).toMatchObject({
      before: { dp: { alarmHigh: 1500, intervalSec: 60 } },
      after: { dp: { alarmHigh: 99999, intervalSec: 60 } },
    });
    // The enterprise cannot approve its own change.
    expect(
      (
        await fetch(`${stack.baseUrl}/api/v1/tasks/${encodeURIComponent(task._id)}/complete`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await bearer('ent-a-user')}` },
          body: JSON.stringify({ form: { approved: true } }),
        })
      ).status,
    ).toBe(403);
    const zone = await bearer('zone-east');
    const done = await fetch(`${stack.baseUrl}/api/v1/tasks/${encodeURIComponent(task._id)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${zone}` },
      body: JSON.stringify({ form: { approved: true, note: '已核实' } }),
    });
    expect(done.status).toBe(200);
    expect((await stack.models.Device.findById('dev-a1').lean())!.indicators[0].alarmHigh).toBe(99999);
    const approved = (await stack.models.AuditEntry.findOne({
      action: 'device.settings_approved',
      target: 'dev-a1',
    }).lean())!;
    expect(approved).toMatchObject({
      actor: 'zone-east',
      detail: { before: { dp: { alarmHigh: 1500 } }, after: { dp: { alarmHigh: 99999 } } },
    });
  });
});

describe('finding 8: security headers and a Secure cookie behind the TLS proxy', () => {
  test('every page carries a strict CSP (no inline script), frame protection and nosniff', async () => {
    const res = await fetch(`${stack.baseUrl}/login`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('with an https public URL the session cookie is Secure and HSTS is sent, though the proxy speaks plain http to the app', async () => {
    const { createApp, closeApp } = await import('../../web/app');
    const { createLogger } = await import('../../lib/log');
    const app = createApp({
      config: {
        taskQueue: stack.taskQueue,
        publicUrl: 'https://warnflow.example.gov.cn',
        temporalAddress: 'unused:1',
        trustedProxies: ['loopback'],
      },
      temporal: stack.client,
      db: stack.db,
      models: stack.models,
      mailer: stack.mailer,
      log: createLogger({ service: 'web-test-https' }, 'warn'),
    });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/login`);
      expect(res.headers.getSetCookie().find((c) => c.startsWith('wf_session='))).toMatch(/;\s*Secure/i);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    } finally {
      await new Promise((r) => server.close(r));
      await closeApp(app);
    }
  });
});

describe('finding 9: cheap resource abuse', () => {
  test('cookie-less GETs create no session documents (only the login form needs an anonymous one), and expired sessions are swept', async () => {
    const before = await stack.models.Session.countDocuments();
    for (let i = 0; i < 10; i++)
      for (const path of ['/', '/inbox', '/portal', '/nothing-here'])
        await (await fetch(stack.baseUrl + path, { redirect: 'manual' })).arrayBuffer();
    expect(await stack.models.Session.countDocuments()).toBe(before);
    await stack.models.Session.create({
      _id: 'expired-anon',
      csrf: 'x',
      createdAt: new Date(Date.now() - 5 * 3600_000),
      expiresAt: new Date(Date.now() - 3600_000),
    });
    await (stack.app!.locals.services as { sessions: { sweepExpired(): Promise<number> } }).sessions.sweepExpired();
    expect(await stack.models.Session.exists({ _id: 'expired-anon' })).toBeNull();
  });

  test('a malformed session cookie is no 500', async () => {
    const res = await fetch(`${stack.baseUrl}/inbox`, {
      headers: { cookie: 'wf_session=%E0%A4%A' },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
  });

  test('/health does not log in to the SMTP server, and a burst of checks is one probe', async () => {
    const net = await import('node:net');
    const seen: string[] = [];
    let connections = 0;
    const fake = net.createServer((sock) => {
      connections += 1;
      sock.write('220 fake ESMTP\r\n');
      sock.on('data', (d) => seen.push(d.toString()));
      sock.on('error', () => undefined);
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    const { createHealthService } = await import('../../web/health/service');
    const { createMailer } = await import('../../lib/mailer');
    const mailer = createMailer(`smtp://relay-user:relay-pass@127.0.0.1:${(fake.address() as { port: number }).port}`);
    const health = createHealthService({ temporalAddress: 'unused:1', db: stack.db, mailer, timeoutMs: 1000 });
    try {
      const reports = await Promise.all(Array.from({ length: 5 }, () => health.check()));
      expect(reports.every((r) => r.smtp.ok)).toBe(true);
      expect(connections).toBe(1);
      expect(seen.join('')).not.toMatch(/AUTH|EHLO/);
    } finally {
      await health.close();
      mailer.close();
      await new Promise((r) => fake.close(r));
    }
  });
});

describe('finding 11: the audit trail is hash-chained, verifiable, and paged through in full', () => {
  const services = () => stack.app!.locals.services as { audit: import('../../web/access/audit').AuditService };

  test('each entry stores the hash of the one before; the verification finds an altered entry and names it', async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => services().audit.record('chain-actor', 'chain.test', `t-${i}`, { i })),
    );
    const ok = await services().audit.verify();
    expect(ok).toMatchObject({ ok: true });
    expect(ok.checked).toBeGreaterThanOrEqual(8);
    const entries = await stack.models.AuditEntry.find({ actor: 'chain-actor' }).sort({ seq: 1 }).lean();
    expect(new Set(entries.map((e) => e.seq)).size).toBe(8);
    // One entry per position, enforced by the store (a second writer of a position retries).
    expect((await stack.models.AuditEntry.listIndexes()).some((i) => i.key.seq === 1 && i.unique)).toBe(true);
    for (const e of entries) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    const victim = entries[3];
    await stack.models.AuditEntry.updateOne({ _id: victim._id }, { $set: { actor: 'someone-else' } });
    const broken = await services().audit.verify();
    expect(broken).toMatchObject({ ok: false, firstBadSeq: victim.seq });
    await stack.models.AuditEntry.updateOne({ _id: victim._id }, { $set: { actor: 'chain-actor' } });
    // Deleting an entry breaks the chain too.
    await stack.models.AuditEntry.deleteOne({ _id: entries[5]._id });
    expect(await services().audit.verify()).toMatchObject({ ok: false, firstBadSeq: entries[5].seq });
    await stack.models.AuditEntry.create(entries[5]);
    expect(await services().audit.verify()).toMatchObject({ ok: true });
  });

  test('the administrator pages through every entry matching the filters, older and older, and sees the verification', async () => {
    await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        services().audit.record('pager', 'page.test', `p-${String(i).padStart(3, '0')}`),
      ),
    );
    const c = new PageClient(stack.baseUrl);
    await c.login('admin1');
    const seen = new Set<string>();
    let url: string | undefined = '/admin/audit?actor=pager';
    for (let pages = 0; url && pages < 10; pages++) {
      const r = await c.get(url);
      expect(r.status).toBe(200);
      for (const m of r.html.matchAll(/p-\d{3}/g)) seen.add(m[0]);
      url = /<a rel="next" href="([^"]+)"/
        .exec(r.html)?.[1]
        .replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=');
    }
    expect(seen.size).toBe(130);
    const v = await c.get('/admin/audit/verify');
    expect(v.status).toBe(200);
    expect(v.html).toContain('data-audit-ok="true"');
  });
});

describe('finding 12: the lower ones', () => {
  test('a revoked data key is refused at once by every web process (no cache keeps it alive)', async () => {
    const ent = await bearer('ent-a-user');
    const issued = (await (
      await fetch(`${stack.baseUrl}/api/v1/enterprises/ent-a/data-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ent}` },
        body: '{}',
      })
    ).json()) as { key: string; keyId: string };
    const push = () =>
      fetch(`${stack.baseUrl}/api/v1/readings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.key}` },
        body: JSON.stringify({
          readings: [{ deviceCode: 'no-such-device', indicator: 'dp', value: 1, ts: new Date().toISOString() }],
        }),
      }).then(async (r) => (await r.arrayBuffer(), r.status));
    expect(await push()).toBe(207); // accepted key, the item refused (unknown device)
    expect(
      (
        await fetch(`${stack.baseUrl}/api/v1/enterprises/ent-a/data-keys/${issued.keyId}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${ent}` },
        })
      ).status,
    ).toBe(204);
    expect(await push()).toBe(401);
  });

  test('a chat-robot webhook at a loopback or private address is refused, naming the field', async () => {
    const admin = await bearer('admin1');
    for (const webhookUrl of [
      'http://127.0.0.1:8080/hook',
      'http://10.1.2.3/hook',
      'http://[::1]/hook',
      'http://localhost/hook',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const res = await fetch(`${stack.baseUrl}/api/v1/agencies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({
          id: `hook-${Math.random().toString(36).slice(2, 8)}`,
          name: '测试部门',
          role: 'district_industry_regulator',
          regionId: 'east',
          webhookUrl,
        }),
      });
      expect([res.status, ((await res.json()) as { field?: string }).field]).toEqual([400, 'webhookUrl']);
    }
    const c = new PageClient(stack.baseUrl);
    await c.login('admin1');
    await c.get('/admin/agencies/west-dust');
    const page = await c.post('/admin/agencies/west-dust', {
      name: '西区粉尘涉爆监管科',
      role: 'district_industry_regulator',
      regionId: 'west',
      industries: 'dust_explosion',
      emails: 'west-dust@gov.test',
      webhookUrl: 'http://192.168.1.10/robot',
    });
    expect(page.status).toBe(400);
    expect(page.html).toContain('webhookUrl');
    expect((await stack.models.Agency.findById('west-dust').lean())!.webhookUrl).toBeUndefined();
  });

  test('a task completed from its page records the address it came from', async () => {
    // The zone safety department of finding 7 (created here when that block did not run).
    if (!(await stack.models.Agency.exists({ _id: 'east-zone' }))) {
      await stack.models.Agency.create({
        _id: 'east-zone',
        name: '东区功能区安全管理部门',
        role: 'zone_safety_dept',
        regionId: 'east',
        industries: [],
        emails: [],
      });
      await stack.models.User.create({
        _id: 'zone-east',
        displayName: 'zone-east',
        role: 'regulator',
        agencyId: 'east-zone',
        passwordHash: (await stack.models.User.findById('reg-east').lean())!.passwordHash,
        active: true,
        createdAt: new Date(),
      });
    }
    const ent = new PageClient(stack.baseUrl);
    await ent.login('ent-a-user');
    await ent.get('/portal/config/devices/dev-a1');
    const device = (await stack.models.Device.findById('dev-a1').lean())!;
    const ind = device.indicators[0];
    expect(
      (
        await ent.post('/portal/config/devices/dev-a1', {
          name: device.name,
          kind: device.kind,
          system: device.system ?? '',
          'indicators.0.code': ind.code,
          'indicators.0.name': ind.name,
          'indicators.0.kind': ind.kind,
          'indicators.0.unit': ind.unit,
          'indicators.0.alarmHigh': String((ind.alarmHigh ?? 0) + 1),
          'indicators.0.intervalSec': '60',
        })
      ).status,
    ).toBe(303);
    const task = (await stack.models.Task.findOne({ form: 'deviceSettingsReview', status: 'open' }).lean())!;
    const zone = new PageClient(stack.baseUrl, '10.4.0.1');
    await zone.login('zone-east');
    await zone.get(`/tasks/${encodeURIComponent(task._id)}`);
    expect(
      (await zone.post(`/tasks/${encodeURIComponent(task._id)}/complete`, { approved: 'on', note: '同意' })).status,
    ).toBe(303);
    expect(
      await stack.models.AuditEntry.findOne({ action: 'device.settings_approved', 'detail.taskId': task._id }).lean(),
    ).toMatchObject({ actor: 'zone-east', ip: '10.4.0.1' });
  });

  test('an upload through the API is audited', async () => {
    const form = new FormData();
    form.set(
      'file',
      new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0])], { type: 'image/jpeg' }),
      'site.jpg',
    );
    const res = await fetch(`${stack.baseUrl}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await bearer('ent-a-user')}`, 'x-forwarded-for': '10.4.0.2' },
      body: form,
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(await stack.models.AuditEntry.findOne({ action: 'upload.store', target: id }).lean()).toMatchObject({
      actor: 'ent-a-user',
      ip: '10.4.0.2',
    });
  });
});
