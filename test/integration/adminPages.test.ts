/**
 * The administrator's pages on the real stack: master-data forms validated by the API's schemas
 * (what a page creates, the API reads; a refusal is a 400 page naming the field with the input kept
 * and nothing stored), 403 for anyone else, the escalation ladder and report rules edited into new
 * versions, and a report run started from the page that finishes and whose PDF downloads.
 */
import { usccCheckChar } from '../../domain/masterData';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { call, tokenFor } from '../helpers/warningWorld';
import { PageClient, PASSWORD, seedWorld } from '../e2e/world';

let stack: Stack;
let admin: PageClient;
let token: string;

const uscc = (first17: string) => first17 + usccCheckChar(first17);
const GOOD_USCC = uscc('91310115MA1K4ABC1');
const WRONG_CHECK = GOOD_USCC.slice(0, 17) + (GOOD_USCC[17] === '0' ? '1' : '0');

/** The ladder form as the page posts it, from a policy (checkbox lists repeat their name). */
function ladderForm(
  levels: typeof DEFAULT_ESCALATION_POLICY.levels,
  change: Record<string, string> = {},
): URLSearchParams {
  const f = new URLSearchParams();
  for (const [level, r] of Object.entries(levels)) {
    for (const role of r.pushTo) f.append(`levels.${level}.pushTo`, role);
    f.set(`levels.${level}.trackedBy`, r.trackedBy);
    for (const k of ['noticeTo', 'firstNoticeAfter', 'repeatEvery', 'onSiteAfter', 'citation'] as const)
      f.set(`levels.${level}.${k}`, r[k] ?? '');
  }
  for (const [k, v] of Object.entries(change)) f.set(k, v);
  return f;
}

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  admin = new PageClient(stack.baseUrl);
  await admin.login('admin1');
  token = await tokenFor(stack.baseUrl, 'admin1', PASSWORD);
}, 120_000);
afterAll(async () => stack?.stop());

/** A form post from the page just read (its CSRF token); repeated names through URLSearchParams. */
async function post(path: string, form: Record<string, string> | URLSearchParams) {
  await admin.get('/admin');
  const body = new URLSearchParams(form);
  body.set('_csrf', admin.csrf);
  const res = await fetch(stack.baseUrl + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body,
    redirect: 'manual',
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') ?? undefined };
}

const enterpriseForm = (over: Record<string, string> = {}) => ({
  id: 'ent-page',
  name: '丙粮食加工有限公司',
  uscc: GOOD_USCC,
  regionId: 'east',
  industry: 'dust_explosion',
  dustType: 'grain',
  dustWorkers: '12',
  size: 'small',
  inherentRisk: 'yellow',
  address: '东区工业路1号',
  hqEmail: 'hq@bing.example',
  shouldConnect: 'on',
  'contacts.0.name': '李四',
  'contacts.0.phone': '13900000000',
  'contacts.0.title': '安全负责人',
  ...over,
});

describe('master data through the pages', () => {
  test('an enterprise created on its page is what the API reads, the list shows it with a flash, and the write is audited', async () => {
    expect((await admin.get('/admin/enterprises/new')).html).toContain('name="uscc"');
    const r = await post('/admin/enterprises', enterpriseForm());
    expect(r.status).toBe(303);
    expect(r.location).toBe('/admin/lists/enterprises?saved=ent-page');
    const list = await admin.get(r.location!);
    expect(list.html).toContain('丙粮食加工有限公司');
    expect(list.html).toContain('class="ok"');
    const api = await call(stack.baseUrl, token, 'GET', '/api/v1/enterprises/ent-page');
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      name: '丙粮食加工有限公司',
      uscc: GOOD_USCC,
      regionPath: ['city', 'east'],
      dustType: 'grain',
      dustWorkers: 12,
      contacts: [{ name: '李四', phone: '13900000000', title: '安全负责人' }],
      shouldConnect: true,
      connected: false,
    });
    expect(
      await stack.models.AuditEntry.countDocuments({
        actor: 'admin1',
        action: 'enterprise.create',
        target: 'ent-page',
      }),
    ).toBe(1);
  });

  test('an edit clears what was emptied and moves the enterprise to another region', async () => {
    const r = await post(
      '/admin/enterprises/ent-page',
      enterpriseForm({ id: '', regionId: 'west', address: '', dustWorkers: '15' }),
    );
    expect(r.status).toBe(303);
    const api = await call(stack.baseUrl, token, 'GET', '/api/v1/enterprises/ent-page');
    expect(api.body).toMatchObject({ regionId: 'west', regionPath: ['city', 'west'], dustWorkers: 15 });
    expect(api.body.address).toBeUndefined();
    expect(await stack.models.AuditEntry.countDocuments({ action: 'enterprise.update', target: 'ent-page' })).toBe(1);
  });

  test('bad input is a 400 page naming the field, with what was typed kept, and nothing stored', async () => {
    const r = await post(
      '/admin/enterprises',
      enterpriseForm({ id: 'ent-bad', name: '丁木业有限公司', uscc: WRONG_CHECK }),
    );
    expect(r.status).toBe(400);
    expect(r.html).toContain('uscc');
    expect(r.html).toMatch(/name="uscc"[^>]*aria-invalid="true"/);
    expect(r.html).toContain('value="丁木业有限公司"');
    expect(r.html).toContain('value="李四"');
    expect(await stack.models.Enterprise.exists({ _id: 'ent-bad' })).toBeNull();

    // A device whose high alarm is below its normal maximum: named down to the indicator row.
    const d = await post('/admin/enterprises/ent-page/devices', {
      id: 'dev-page',
      name: '2号除尘器',
      kind: 'dust_collector_sensor',
      status: 'active',
      'indicators.0.code': 'dp',
      'indicators.0.name': '压差',
      'indicators.0.kind': 'differential_pressure',
      'indicators.0.unit': 'Pa',
      'indicators.0.normalMax': '1500',
      'indicators.0.alarmHigh': '1200',
      'indicators.0.intervalSec': '60',
    });
    expect(d.status).toBe(400);
    expect(d.html).toContain('indicators.0.alarmHigh');
    expect(d.html).toMatch(/name="indicators\.0\.alarmHigh"[^>]*aria-invalid="true"/);
    expect(d.html).toContain('value="1200"');
    expect(await stack.models.Device.exists({ _id: 'dev-page' })).toBeNull();
  });

  test('a device with its indicators, then the cleaning plan, are kept and audited', async () => {
    const d = await post('/admin/enterprises/ent-page/devices', {
      id: 'dev-page',
      name: '2号除尘器',
      kind: 'dust_collector_sensor',
      status: 'active',
      'indicators.0.code': 'dp',
      'indicators.0.name': '压差',
      'indicators.0.kind': 'differential_pressure',
      'indicators.0.unit': 'Pa',
      'indicators.0.normalMax': '1500',
      'indicators.0.alarmHigh': '1800',
      'indicators.0.intervalSec': '60',
      'indicators.1.code': '',
      'indicators.1.name': '',
    });
    expect(d.status).toBe(303);
    expect(d.location).toBe('/admin/enterprises/ent-page/devices?saved=dev-page');
    const devices = await call(stack.baseUrl, token, 'GET', '/api/v1/devices?enterpriseId=ent-page');
    expect(devices.body).toEqual([
      expect.objectContaining({
        _id: 'dev-page',
        indicators: [expect.objectContaining({ code: 'dp', normalMax: 1500, alarmHigh: 1800, intervalSec: 60 })],
      }),
    ]);

    const plan = await post('/admin/enterprises/ent-page/cleaning-plan', {
      'items.0.item': '除尘器灰斗',
      'items.0.frequency': 'daily',
      'items.0.area': '磨粉车间',
      'items.2.item': '地面积尘',
      'items.2.frequency': 'per_shift',
    });
    expect(plan.status).toBe(303);
    const page = await admin.get('/admin/enterprises/ent-page/cleaning-plan');
    expect(page.html).toContain('value="除尘器灰斗"');
    expect(page.html).toContain('value="地面积尘"');
    const badPlan = await post('/admin/enterprises/ent-page/cleaning-plan', {
      'items.0.item': '除尘器灰斗',
      'items.0.frequency': 'hourly',
    });
    expect(badPlan.status).toBe(400);
    expect(badPlan.html).toContain('items.0.frequency');
    expect((await admin.get('/admin/enterprises/ent-page/cleaning-plan')).html).toContain('value="地面积尘"'); // the refused plan replaced nothing
    expect(
      await stack.models.AuditEntry.countDocuments({
        action: { $in: ['device.create', 'cleaning_plan.update'] },
        target: { $in: ['dev-page', 'ent-page'] },
      }),
    ).toBe(2);
  });

  test('a regulator created on the page signs in; a password reset and a deactivation take effect', async () => {
    const missing = await post('/admin/users', {
      username: 'reg-page',
      password: 'first-pass-1',
      displayName: '王五',
      role: 'regulator',
      agencyId: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.html).toContain('agencyId');
    expect(missing.html).toContain('value="王五"');
    expect(missing.html).not.toContain('first-pass-1');
    expect(await stack.models.User.exists({ _id: 'reg-page' })).toBeNull();

    expect(
      (
        await post('/admin/users', {
          username: 'reg-page',
          password: 'first-pass-1',
          displayName: '王五',
          role: 'regulator',
          agencyId: 'east-dust',
        })
      ).status,
    ).toBe(303);
    const u = new PageClient(stack.baseUrl);
    await u.login('reg-page', 'first-pass-1');
    expect((await u.get('/inbox')).status).toBe(200);

    expect((await post('/admin/users/reg-page/password', { password: 'short' })).status).toBe(400);
    expect((await post('/admin/users/reg-page/password', { password: 'second-pass-2' })).status).toBe(303);
    expect((await u.get('/inbox')).status).toBe(303); // the reset ended the user's session
    await new PageClient(stack.baseUrl).login('reg-page', 'second-pass-2');

    expect((await post('/admin/users/reg-page/deactivate', {})).status).toBe(303);
    const after = new PageClient(stack.baseUrl);
    await after.get('/login');
    expect((await after.post('/login', { username: 'reg-page', password: 'second-pass-2' })).status).not.toBe(303);
    expect(await stack.models.AuditEntry.find({ target: 'reg-page' }).distinct('action')).toEqual(
      expect.arrayContaining(['user.create', 'user.password_reset', 'user.deactivate']),
    );
  });

  test('anyone but an administrator gets 403 on the pages and their posts, and nothing is stored', async () => {
    const reg = new PageClient(stack.baseUrl);
    await reg.login('reg-east');
    for (const path of [
      '/admin/enterprises/new',
      '/admin/policies/escalation',
      '/admin/reports',
      '/admin/users/admin1',
    ])
      expect((await reg.get(path)).status).toBe(403);
    await reg.get('/inbox');
    const r = await reg.post(
      '/admin/enterprises',
      enterpriseForm({ id: 'ent-by-regulator', uscc: uscc('91310115MA1K4ABC2') }),
    );
    expect(r.status).toBe(403);
    expect(
      (await reg.post('/admin/policies/escalation', Object.fromEntries(ladderForm(DEFAULT_ESCALATION_POLICY.levels))))
        .status,
    ).toBe(403);
    expect(await stack.models.Enterprise.exists({ _id: 'ent-by-regulator' })).toBeNull();
    expect(await stack.models.EscalationPolicy.countDocuments({})).toBe(0);
  });
});

describe('escalation ladder and report rules', () => {
  test('the ladder page shows the version in force per level; an edit makes a new version that the API serves', async () => {
    const page = await admin.get('/admin/policies/escalation');
    expect(page.html).toContain('v1');
    expect(page.html).toContain('PT30M');
    expect(page.html).toContain('002 第二十三条（红色预警）');
    expect(page.html).toContain('新开启的预警');

    const r = await post(
      '/admin/policies/escalation',
      ladderForm(DEFAULT_ESCALATION_POLICY.levels, { version: '1', 'levels.red.repeatEvery': 'PT15M' }),
    );
    expect(r.status).toBe(303);
    expect(r.location).toBe('/admin/policies/escalation?saved=2');
    const api = await call(stack.baseUrl, token, 'GET', '/api/v1/policies/escalation');
    expect(api.body).toMatchObject({
      version: 2,
      levels: { red: { repeatEvery: 'PT15M', firstNoticeAfter: 'PT30M' }, yellow: { noticeTo: 'enterprise' } },
    });
    expect(api.body.levels.blue.firstNoticeAfter).toBeUndefined();
    const after = await admin.get('/admin/policies/escalation');
    expect(after.html).toContain('href="/admin/policies/escalation?version=1"');
    expect(after.html).toContain('PT15M');

    // A form read before v2 was saved does not overwrite it unseen: 409, and the page shows v2 to start from.
    const stale = await post(
      '/admin/policies/escalation',
      ladderForm(DEFAULT_ESCALATION_POLICY.levels, { version: '1', 'levels.red.repeatEvery': 'PT20M' }),
    );
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('version: v2 was saved since you opened this form');
    expect(stale.html).toContain('name="version" value="2"');
    expect((await call(stack.baseUrl, token, 'GET', '/api/v1/policies/escalation')).body).toMatchObject({
      version: 2,
      levels: { red: { repeatEvery: 'PT15M' } },
    });
  });

  test('a bad duration or a missing recipient is refused naming levels.<level>.<field>, the input kept, no version made', async () => {
    const bad = await post(
      '/admin/policies/escalation',
      ladderForm(DEFAULT_ESCALATION_POLICY.levels, { 'levels.orange.onSiteAfter': '12 hours' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('levels.orange.onSiteAfter');
    expect(bad.html).toMatch(/name="levels\.orange\.onSiteAfter"[^>]*value="12 hours"[^>]*aria-invalid="true"/);
    const month = await post(
      '/admin/policies/escalation',
      ladderForm(DEFAULT_ESCALATION_POLICY.levels, { 'levels.yellow.firstNoticeAfter': 'P1M' }),
    );
    expect(month.status).toBe(400);
    expect(month.html).toContain('levels.yellow.firstNoticeAfter');
    const noPush = ladderForm(DEFAULT_ESCALATION_POLICY.levels);
    noPush.delete('levels.blue.pushTo');
    const none = await post('/admin/policies/escalation', noPush);
    expect(none.status).toBe(400);
    expect(none.html).toContain('levels.blue.pushTo');
    expect(await stack.models.EscalationPolicy.countDocuments({})).toBe(1); // only v2 from the edit above
  });

  test('report rules: an edit is a new version; a bad threshold is refused naming the field', async () => {
    const form = {
      'weekly.offlineRatePercent': '4',
      'weekly.interviewOfflineDays': '2',
      'monthly.offlineRatePercent': '5',
      'monthly.interviewOfflineDays': '2',
      'monthly.regionInterviewOfflineDays': '5',
      'monthly.keyTargets.frequentCount': '3',
    };
    const withLevels = (f: Record<string, string>) => {
      const p = new URLSearchParams(f);
      for (const l of ['orange', 'red']) p.append('monthly.keyTargets.levels', l);
      return p;
    };
    const bad = await post('/admin/policies/report-rules', withLevels({ ...form, 'weekly.offlineRatePercent': '150' }));
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('weekly.offlineRatePercent');
    expect(bad.html).toContain('value="150"');
    expect(await stack.models.ReportRules.countDocuments({})).toBe(0);
    const ok = await post('/admin/policies/report-rules', withLevels(form));
    expect(ok.status).toBe(303);
    const api = await call(stack.baseUrl, token, 'GET', '/api/v1/policies/report-rules');
    expect(api.body).toMatchObject({
      version: 2,
      weekly: { offlineRatePercent: 4 },
      monthly: { keyTargets: { levels: ['orange', 'red'], frequentCount: 3 } },
    });
  });
});

describe('offline rules', () => {
  test('the offline rules page shows seed 002 in force (2 and 5 days) with its history; an edit is a new version the API serves, audited; a bad value is refused naming the field', async () => {
    expect((await admin.get('/admin')).html).toContain('href="/admin/policies/offline"');
    const page = await admin.get('/admin/policies/offline');
    expect(page.status).toBe(200);
    expect(page.html).toContain('离线规则');
    expect(page.html).toContain('v1');
    expect(page.html).toContain('<code>P2D</code>');
    expect(page.html).toContain('<code>P5D</code>');
    expect(page.html).toContain('002 第二十九至三十一条');

    const form = {
      version: '1',
      missedIntervals: '4',
      districtInterviewAfter: 'P1D',
      regionInterviewAfter: 'P3D',
      sweepEvery: 'PT2M',
    };
    const bad = await post('/admin/policies/offline', { ...form, regionInterviewAfter: 'PT12H' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('regionInterviewAfter: must be longer than districtInterviewAfter');
    expect(bad.html).toMatch(/name="regionInterviewAfter"[^>]*value="PT12H"[^>]*aria-invalid="true"/);
    const notNumber = await post('/admin/policies/offline', { ...form, missedIntervals: 'three' });
    expect(notNumber.status).toBe(400);
    expect(notNumber.html).toContain('missedIntervals');
    expect(await stack.models.OfflinePolicy.countDocuments({})).toBe(0);

    const ok = await post('/admin/policies/offline', form);
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/admin/policies/offline?saved=2');
    expect((await call(stack.baseUrl, token, 'GET', '/api/v1/offline-policy')).body).toEqual({
      version: 2,
      missedIntervals: 4,
      districtInterviewAfter: 'P1D',
      regionInterviewAfter: 'P3D',
      sweepEvery: 'PT2M',
    });
    const audited = await stack.models.AuditEntry.findOne({ action: 'offline_policy.changed' }).lean();
    expect(audited).toMatchObject({ actor: 'admin1', target: 'offline_policy/2' });

    const after = await admin.get('/admin/policies/offline');
    expect(after.html).toContain('<code>P3D</code>');
    expect(after.html).toContain('href="/admin/policies/offline?version=1"');
    expect((await admin.get('/admin/policies/offline?version=1')).html).toContain('<code>P5D</code>');
    const stale = await post('/admin/policies/offline', { ...form, missedIntervals: '5' });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('version: v2 was saved since you opened this form');
  });
});

test('the pages switch to English', async () => {
  const en = new PageClient(stack.baseUrl);
  await en.login('admin1');
  expect((await en.get('/admin/reports?lang=en')).html).toContain('Re-run as a new version');
  expect((await en.get('/admin/policies/escalation')).html).toContain('District industry regulator');
  expect((await en.get('/admin/enterprises/new')).html).toContain('Unified social credit code');
});

describe('reports', () => {
  // Report workflow ids are per period and the dev server is shared by every test file: each file reports its own periods.
  test('a weekly report started from the page reaches done and its PDF downloads; the same period again offers a re-run', async () => {
    const notMonday = await post('/admin/reports', { kind: 'weekly', periodStart: '2026-11-03' });
    expect(notMonday.status).toBe(400);
    expect(notMonday.html).toContain('periodStart');

    const r = await post('/admin/reports', { kind: 'weekly', periodStart: '2026-10-19' });
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/admin/reports?started=${encodeURIComponent('report/weekly/2026-10-19/v1')}`);
    const page = await until(
      async () => {
        const p = await admin.get('/admin/reports');
        return p.html.includes('已完成') ? p : undefined;
      },
      'the report run done on the page',
      60_000,
    );
    const link = /href="(\/admin\/reports\/pdf\?id=[^"]+)"/.exec(page.html)?.[1];
    expect(link).toBe(`/admin/reports/pdf?id=${encodeURIComponent('report/weekly/2026-10-19/v1')}`);
    const pdf = await fetch(stack.baseUrl + link!.replace(/&amp;/g, '&'), {
      headers: { cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const again = await post('/admin/reports', { kind: 'monthly', month: '2026-08' });
    expect(again.status).toBe(303);
    const twice = await post('/admin/reports', { kind: 'weekly', periodStart: '2026-10-19' });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain('report/weekly/2026-10-19/v1');
    expect(twice.html).toMatch(/name="rerun" value="on"/);
    const rerun = await post('/admin/reports', { kind: 'weekly', periodStart: '2026-10-19', rerun: 'on' });
    expect(rerun.location).toBe(`/admin/reports?started=${encodeURIComponent('report/weekly/2026-10-19/v2')}`);
    expect((await stack.models.Report.find({}, { _id: 1 }).lean()).map((x) => x._id).sort()).toEqual([
      'report/monthly/2026-08-01/v1',
      'report/weekly/2026-10-19/v1',
      'report/weekly/2026-10-19/v2',
    ]);
    await until(
      () => stack.models.Report.countDocuments({ status: 'running' }).then((n) => n === 0),
      'the other runs finished',
      60_000,
    );
  });
});
