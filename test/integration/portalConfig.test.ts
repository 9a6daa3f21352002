/**
 * The enterprise keeps its own data in the portal (企业门户 · 配置), on the real stack: contacts the
 * API then reads, a device added with an indicator whose readings the data interface accepts with
 * the enterprise's key, thresholds refused by the admin/API schema (400 naming the field, input
 * kept, nothing stored), another enterprise's device refused (403, nothing changes, audited), name
 * and USCC left to the administrator (400 naming the field), the cleaning plan, CSRF.
 */
import { startStack, Stack } from '../helpers/stack';
import { call, tokenFor } from '../helpers/warningWorld';
import { PageClient, PASSWORD, seedWorld } from '../e2e/world';

let stack: Stack;
let ent: PageClient;
let adminToken: string;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  await stack.models.Device.create({
    _id: 'dev-b1',
    enterpriseId: 'ent-b',
    name: '乙1号除尘器',
    kind: 'dust_collector_sensor',
    status: 'active',
    indicators: [{ code: 'dp', name: '压差', kind: 'differential_pressure', unit: 'Pa', intervalSec: 60 }],
    createdAt: new Date(),
  });
  ent = new PageClient(stack.baseUrl);
  await ent.login('ent-a-user');
  adminToken = await tokenFor(stack.baseUrl, 'admin1', PASSWORD);
}, 120_000);
afterAll(async () => stack?.stop());

/** A form post from the page just read (its CSRF token). */
async function post(path: string, form: Record<string, string>, from = '/portal/config') {
  await ent.get(from);
  return ent.post(path, form);
}

const readings = (key: string, body: unknown) =>
  fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });

/** A new data-interface key issued from the portal page (shown once). */
async function issueKey(): Promise<string> {
  const r = await post('/portal/keys', {});
  expect(r.status).toBe(200);
  const key = /<code class="secret">([^<]+)<\/code>/.exec(r.html)?.[1];
  expect(key).toMatch(/^wfk\./);
  return key!;
}

const deviceForm = (over: Record<string, string> = {}) => ({
  id: 'dev-a-new',
  name: '2号除尘器',
  kind: 'dust_collector_sensor',
  system: '抛光除尘系统',
  'indicators.0.code': 'dp',
  'indicators.0.name': '压差',
  'indicators.0.kind': 'differential_pressure',
  'indicators.0.unit': 'Pa',
  'indicators.0.normalMin': '200',
  'indicators.0.normalMax': '800',
  'indicators.0.alarmHigh': '900',
  'indicators.0.rangeMin': '0',
  'indicators.0.rangeMax': '1000',
  'indicators.0.intervalSec': '60',
  ...over,
});

describe('the configuration page', () => {
  test('shows my enterprise with its edit forms, devices by dust-removal system, and says what stays with the administrator', async () => {
    const r = await ent.get('/portal/config');
    expect(r.status).toBe(200);
    expect(r.html).toContain('href="/portal/config/enterprise"');
    expect(r.html).toContain('href="/portal/config/devices/dev-a1"');
    expect(r.html).toContain('打磨除尘系统');
    expect(r.html).toContain('运营公司');
    expect(r.html).not.toContain('将随主数据服务上线');
    expect(r.html).not.toContain('dev-b1');
  });
});

describe('enterprise data', () => {
  test('contacts, address and headcount changed in the portal are what the API reads; the flash shows and the change is audited', async () => {
    const form = await ent.get('/portal/config/enterprise');
    expect(form.html).toContain('name="contacts.0.name"');
    expect(form.html).not.toContain('name="uscc"');
    const r = await ent.post('/portal/config/enterprise', {
      dustType: 'metal',
      dustWorkers: '55',
      address: '东区工业路8号',
      hqEmail: 'hq@jia.example',
      'contacts.0.name': '王五',
      'contacts.0.phone': '13700000000',
      'contacts.0.title': '安全负责人',
      'contacts.1.name': '赵六',
      'contacts.1.email': 'zhao@jia.example',
    });
    expect(r.status).toBe(303);
    expect(r.location).toBe('/portal/config/enterprise?saved=1');
    expect((await ent.get(r.location!)).html).toContain('class="ok"');
    const api = await call(stack.baseUrl, adminToken, 'GET', '/api/v1/enterprises/ent-a');
    expect(api.status).toBe(200);
    expect(api.body).toMatchObject({
      name: '甲金属制品有限公司',
      uscc: 'A1',
      dustWorkers: 55,
      address: '东区工业路8号',
      hqEmail: 'hq@jia.example',
      contacts: [
        { name: '王五', phone: '13700000000', title: '安全负责人' },
        { name: '赵六', email: 'zhao@jia.example' },
      ],
    });
    expect(
      await stack.models.AuditEntry.countDocuments({
        actor: 'ent-a-user',
        action: 'enterprise.update',
        target: 'ent-a',
      }),
    ).toBe(1);
  });

  test('name or USCC posted from the portal is a 400 naming the field, the input is kept and nothing changes', async () => {
    for (const [field, value] of [
      ['name', '甲改名有限公司'],
      ['uscc', '91310115MA1K4ABC1X'],
    ]) {
      const r = await post(
        '/portal/config/enterprise',
        { [field]: value, dustWorkers: '99', address: '别处', 'contacts.0.name': '钱七' },
        '/portal/config/enterprise',
      );
      expect(r.status).toBe(400);
      expect(r.html).toContain(`${field}: `);
      expect(r.html).toContain('value="钱七"');
    }
    const e = await stack.models.Enterprise.findById('ent-a').lean();
    expect(e).toMatchObject({ name: '甲金属制品有限公司', uscc: 'A1', dustWorkers: 55, address: '东区工业路8号' });
    expect(e!.contacts.map((c) => c.name)).toEqual(['王五', '赵六']);
  });

  test('a bad email is a 400 naming contacts.0.email with what was typed', async () => {
    const r = await post(
      '/portal/config/enterprise',
      { dustWorkers: '55', 'contacts.0.name': '王五', 'contacts.0.email': 'not-an-email' },
      '/portal/config/enterprise',
    );
    expect(r.status).toBe(400);
    expect(r.html).toContain('contacts.0.email');
    expect(r.html).toContain('value="not-an-email"');
    expect((await stack.models.Enterprise.findById('ent-a').lean())!.contacts[0].email).toBeUndefined();
  });

  test('a form without the CSRF token is refused (403) and nothing changes', async () => {
    await ent.get('/portal/config/enterprise');
    const r = await ent.post('/portal/config/enterprise', { dustWorkers: '1' }, { csrf: null });
    expect(r.status).toBe(403);
    expect((await stack.models.Enterprise.findById('ent-a').lean())!.dustWorkers).toBe(55);
  });
});

describe('devices and indicators', () => {
  test('a device with an indicator added in the portal takes readings with its code through the enterprise key', async () => {
    expect((await ent.get('/portal/config/devices/new')).html).toContain('name="indicators.0.alarmHigh"');
    const r = await post('/portal/config/devices', deviceForm(), '/portal/config/devices/new');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/portal/config/devices/dev-a-new?saved=1');
    const page = await ent.get(r.location!);
    expect(page.html).toContain('class="ok"');
    expect(await stack.models.Device.findById('dev-a-new').lean()).toMatchObject({
      enterpriseId: 'ent-a',
      status: 'active',
      system: '抛光除尘系统',
      indicators: [{ code: 'dp', alarmHigh: 900, rangeMax: 1000 }],
    });
    expect(
      await stack.models.AuditEntry.countDocuments({
        actor: 'ent-a-user',
        action: 'device.create',
        target: 'dev-a-new',
      }),
    ).toBe(1);

    const key = await issueKey();
    const res = await readings(key, {
      readings: [{ deviceCode: 'dev-a-new', indicator: 'dp', value: 500, ts: new Date().toISOString() }],
    });
    expect(res.status).toBeLessThan(300);
    expect(await res.json()).toMatchObject({ accepted: 1, refused: 0 });
  });

  test('an alarm threshold above the measurement range is a 400 naming the field, with the input kept and nothing stored', async () => {
    const r = await post(
      '/portal/config/devices',
      deviceForm({ id: 'dev-a-bad', 'indicators.0.alarmHigh': '2000' }),
      '/portal/config/devices/new',
    );
    expect(r.status).toBe(400);
    expect(r.html).toContain('indicators.0.alarmHigh');
    expect(r.html).toContain('value="2000"');
    expect(r.html).toContain('value="dev-a-bad"');
    expect(await stack.models.Device.exists({ _id: 'dev-a-bad' })).toBeNull();
  });

  test('an edit of my device is checked under the same schema and keeps its status; a threshold change waits for review (issue 12 finding 7)', async () => {
    await stack.models.Device.updateOne({ _id: 'dev-a1' }, { $set: { status: 'suspended' } });
    const bad = await post(
      '/portal/config/devices/dev-a1',
      deviceForm({ id: '', name: '1号除尘器', 'indicators.0.normalMax': '950' }),
      '/portal/config/devices/dev-a1',
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('indicators.0.alarmHigh');
    const ok = await post(
      '/portal/config/devices/dev-a1',
      deviceForm({ id: '', name: '1号除尘器（改）', 'indicators.0.alarmHigh': '850' }),
      '/portal/config/devices/dev-a1',
    );
    expect(ok.status).toBe(303);
    const after = (await stack.models.Device.findById('dev-a1').lean())!;
    expect(after).toMatchObject({ name: '1号除尘器（改）', status: 'suspended', enterpriseId: 'ent-a' });
    expect(after.indicators[0].alarmHigh).not.toBe(850);
    expect(
      await stack.models.DeviceSettingsChange.findOne({ deviceId: 'dev-a1', status: 'pending' }).lean(),
    ).toMatchObject({ after: [{ code: 'dp', alarmHigh: 850 }] });
    await stack.models.Device.updateOne({ _id: 'dev-a1' }, { $set: { status: 'active' } });
  });

  test("another enterprise's device is refused (403) to read, edit and retire; nothing changes and the refusal is audited", async () => {
    expect((await ent.get('/portal/config/devices/dev-b1')).status).toBe(403);
    const edit = await post('/portal/config/devices/dev-b1', deviceForm({ id: '', name: '被改名' }));
    expect(edit.status).toBe(403);
    const retire = await post('/portal/config/devices/dev-b1/retire', {});
    expect(retire.status).toBe(403);
    expect(await stack.models.Device.findById('dev-b1').lean()).toMatchObject({
      enterpriseId: 'ent-b',
      name: '乙1号除尘器',
      status: 'active',
      indicators: [{ code: 'dp' }],
    });
    expect(await stack.models.Device.exists({ _id: 'dev-a-new', enterpriseId: 'ent-a' })).not.toBeNull();
    expect(
      await stack.models.AuditEntry.countDocuments({
        actor: 'ent-a-user',
        action: 'device.edit_refused',
        target: 'dev-b1',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  test('a device code taken by another enterprise is a 409 naming id, and that device stays theirs', async () => {
    const r = await post('/portal/config/devices', deviceForm({ id: 'dev-b1' }), '/portal/config/devices/new');
    expect(r.status).toBe(409);
    expect(r.html).toContain('id: ');
    expect((await stack.models.Device.findById('dev-b1').lean())!.enterpriseId).toBe('ent-b');
  });

  test('a retired device is marked on its page, audited, and can be put back into service', async () => {
    const r = await post('/portal/config/devices/dev-a-new/retire', {}, '/portal/config/devices/dev-a-new');
    expect(r.status).toBe(303);
    expect((await stack.models.Device.findById('dev-a-new').lean())!.status).toBe('retired');
    expect(
      await stack.models.AuditEntry.countDocuments({
        actor: 'ent-a-user',
        action: 'device.retire',
        target: 'dev-a-new',
      }),
    ).toBe(1);
    const page = await ent.get(r.location!);
    expect(page.html).toContain('/portal/config/devices/dev-a-new/reactivate');
    // The data interface sees the change at once (its device cache is told), not after its minute.
    const key = await issueKey();
    const reading = () =>
      readings(key, {
        readings: [{ deviceCode: 'dev-a-new', indicator: 'dp', value: 500, ts: new Date().toISOString() }],
      }).then((x) => x.json());
    expect(await reading()).toMatchObject({ accepted: 0, refused: 1 });
    const again = await ent.post('/portal/config/devices/dev-a-new/reactivate', {});
    expect(again.status).toBe(303);
    expect((await stack.models.Device.findById('dev-a-new').lean())!.status).toBe('active');
    expect(await reading()).toMatchObject({ accepted: 1, refused: 0 });
  });
});

describe('cleaning plan', () => {
  test('items and frequencies saved in the portal are the plan; a bad frequency is a 400 naming it and keeps the stored plan', async () => {
    const r = await post(
      '/portal/config/cleaning-plan',
      {
        'items.0.item': '除尘器灰斗',
        'items.0.area': '打磨车间',
        'items.0.frequency': 'per_shift',
        'items.1.item': '地面积尘',
        'items.1.frequency': 'daily',
        'items.1.responsible': '王五',
      },
      '/portal/config/cleaning-plan',
    );
    expect(r.status).toBe(303);
    expect(r.location).toBe('/portal/config/cleaning-plan?saved=1');
    expect((await stack.models.CleaningPlan.findById('ent-a').lean())!.items).toMatchObject([
      { item: '除尘器灰斗', area: '打磨车间', frequency: 'per_shift' },
      { item: '地面积尘', frequency: 'daily', responsible: '王五' },
    ]);
    expect(
      await stack.models.AuditEntry.countDocuments({
        actor: 'ent-a-user',
        action: 'cleaning_plan.update',
        target: 'ent-a',
      }),
    ).toBe(1);

    const bad = await post(
      '/portal/config/cleaning-plan',
      { 'items.0.item': '风管', 'items.0.frequency': 'hourly' },
      '/portal/config/cleaning-plan',
    );
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('items.0.frequency');
    expect(bad.html).toContain('value="风管"');
    expect((await stack.models.CleaningPlan.findById('ent-a').lean())!.items).toHaveLength(2);
    expect(await stack.models.CleaningPlan.exists({ _id: 'ent-b' })).toBeNull();
    expect((await ent.get('/portal/config')).html).toContain('除尘器灰斗');
  });

  test('a regulator cannot open the enterprise configuration forms', async () => {
    const reg = new PageClient(stack.baseUrl);
    await reg.login('reg-east');
    expect((await reg.get('/portal/config/enterprise')).status).toBe(403);
  });
});
