/**
 * Master data uses the industries' indicator catalogues (domain/indicators), on the real stack: an indicator picked
 * from the catalogue records its `catalogueCode` (and the catalogue's version); a pick the catalogue refuses is a
 * 400 naming the indicator's field (API, admin page, portal — also a settings change held for review); the device
 * forms offer the enterprise's industry's catalogue as a select, and 从目录填入 fills the row from it without a script.
 */
import { startStack, Stack } from '../helpers/stack';
import { call, tokenFor } from '../helpers/warningWorld';
import { PageClient, PASSWORD, seedWorld } from '../e2e/world';

let stack: Stack;
let adminToken: string;
let ent: PageClient;
let admin: PageClient;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  // A hazardous-chemicals enterprise beside the world's dust enterprises (same region as ent-a).
  const a = await stack.models.Enterprise.findById('ent-a').lean();
  await stack.models.Enterprise.create({
    ...a,
    _id: 'ent-chem',
    name: '丙化工企业',
    uscc: '91120116MA05T0CH3X',
    industry: 'hazardous_chemicals',
    dustType: undefined,
  });
  adminToken = await tokenFor(stack.baseUrl, 'admin1', PASSWORD);
  ent = new PageClient(stack.baseUrl);
  await ent.login('ent-a-user');
  admin = new PageClient(stack.baseUrl);
  await admin.login('admin1');
}, 120_000);
afterAll(async () => stack?.stop());

const gas = (over: Record<string, unknown> = {}) => ({
  code: 'lel1',
  name: '装置区可燃气体',
  kind: 'gas',
  unit: '%LEL',
  alarmHigh: 20,
  alarmHighHigh: 50,
  rangeMin: 0,
  rangeMax: 100,
  intervalSec: 60,
  catalogueCode: 'chem.plant_flammable_gas',
  ...over,
});
const device = (id: string, indicators: unknown[]) => ({
  id,
  enterpriseId: 'ent-chem',
  name: '可燃气体探测器',
  kind: 'gas_detector',
  indicators,
});

describe('the API', () => {
  it('refuses a pick the catalogue refuses, naming the indicator field; stores an accepted one with its code and version', async () => {
    const ceiling = await call(
      stack.baseUrl,
      adminToken,
      'POST',
      '/api/v1/devices',
      device('chem-1', [gas({ alarmHigh: 30 })]),
    );
    expect(ceiling.status).toBe(400);
    expect(ceiling.body).toMatchObject({
      field: 'indicators.0.alarmHigh',
      error: expect.stringContaining('alarmHigh must be at most 25 %LEL'),
    });
    const foreign = await call(
      stack.baseUrl,
      adminToken,
      'POST',
      '/api/v1/devices',
      device('chem-1', [gas({ code: 'dp' }), gas({ catalogueCode: 'dust.hopper_temperature' })]),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({
      field: 'indicators.1.catalogueCode',
      error: 'indicators.1.catalogueCode: "dust.hopper_temperature" is not in the 危险化学品 catalogue (version 1)',
    });
    const fault = await call(
      stack.baseUrl,
      adminToken,
      'POST',
      '/api/v1/devices',
      device('chem-1', [
        gas({
          code: 'sis',
          name: '安全仪表系统',
          kind: 'gas',
          catalogueCode: 'chem.safety_instrumented_system_fault',
          unit: 'on/off',
          alarmHigh: undefined,
          alarmHighHigh: undefined,
          rangeMin: undefined,
          rangeMax: undefined,
        }),
      ]),
    );
    expect(fault.status).toBe(400);
    expect(fault.body).toMatchObject({ field: 'indicators.0.kind' });
    expect((await stack.models.Device.exists({ _id: 'chem-1' })) === null).toBe(true);

    const ok = await call(stack.baseUrl, adminToken, 'POST', '/api/v1/devices', device('chem-1', [gas()]));
    expect(ok.status).toBe(201);
    const stored = await stack.models.Device.findById('chem-1').lean();
    expect(stored!.indicators[0]).toMatchObject({ catalogueCode: 'chem.plant_flammable_gas', catalogueVersion: 1 });
  });
});

describe('the catalogue itself', () => {
  it('GET /api/v1/indicator-catalogues/{industry} serves an industry’s entries with their sources and the draft a pick starts from', async () => {
    const chem = await call(stack.baseUrl, adminToken, 'GET', '/api/v1/indicator-catalogues/hazardous_chemicals');
    expect(chem.status).toBe(200);
    expect(chem.body).toMatchObject({ industry: 'hazardous_chemicals', name: '危险化学品', version: 1 });
    expect(chem.body.indicators).toHaveLength(16);
    expect(chem.body.indicators.find((i: { code: string }) => i.code === 'chem.plant_flammable_gas')).toMatchObject({
      zh: '厂区可燃气体浓度',
      signal: 'value',
      unit: '%LEL',
      thresholds: { alarmHigh: { setBy: 'standard', value: 25, bound: 'at_most' } },
      draft: { kind: 'gas', alarmHigh: 25, alarmHighHigh: 50, rangeMin: 0, rangeMax: 100, enterpriseSets: [] },
    });
    const dust = await call(stack.baseUrl, adminToken, 'GET', '/api/v1/indicator-catalogues/dust_explosion');
    expect(
      dust.body.indicators.find((i: { code: string }) => i.code === 'dust.lock_air_unloading_fault'),
    ).toMatchObject({
      signal: 'fault',
      source: { seed: '001', clause: '附件 二（一）1', quote: '锁气卸灰故障信号' },
      draft: { kind: 'fault', unit: '' },
    });
    expect(
      (await call(stack.baseUrl, adminToken, 'GET', '/api/v1/indicator-catalogues/construction')).body,
    ).toMatchObject({
      industry: 'construction',
      indicators: [],
    });
    const unknown = await call(stack.baseUrl, adminToken, 'GET', '/api/v1/indicator-catalogues/volcanoes');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ field: 'industry' });
  });
});

describe('the pages', () => {
  it('the admin device form offers the industry catalogue; 从目录填入 fills an empty row from the pick, saving nothing', async () => {
    const page = await admin.get('/admin/enterprises/ent-chem/devices/new');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<option value="chem.plant_flammable_gas">');
    expect(page.html).not.toContain('value="dust.hopper_temperature"');
    expect(page.html).toContain('name="fromCatalogue"');
    const filled = await admin.post('/admin/enterprises/ent-chem/devices', {
      id: 'chem-2',
      name: '2号探测器',
      kind: 'gas_detector',
      'indicators.0.catalogueCode': 'chem.plant_flammable_gas',
      fromCatalogue: '1',
    });
    expect(filled.status).toBe(200);
    expect(filled.html).toContain('name="indicators.0.name" maxlength="100" value="厂区可燃气体浓度"');
    expect(filled.html).toContain('name="indicators.0.unit" maxlength="20" value="%LEL"');
    expect(filled.html).toContain('name="indicators.0.alarmHigh" inputmode="decimal" value="25"');
    expect(filled.html).toContain('name="indicators.0.alarmHighHigh" inputmode="decimal" value="50"');
    expect(await stack.models.Device.exists({ _id: 'chem-2' })).toBeNull();
  });

  it('the portal refuses a pick the catalogue refuses, naming the field (a new device and a settings change held for review)', async () => {
    await ent.get('/portal/config/devices/new');
    const form = {
      id: 'dev-a-fault',
      name: '3号除尘器',
      kind: 'dust_collector_sensor',
      'indicators.0.code': 'lock_fault',
      'indicators.0.name': '锁气卸灰故障信号',
      'indicators.0.kind': 'fault',
      'indicators.0.catalogueCode': 'dust.lock_air_unloading_fault',
      'indicators.0.intervalSec': '60',
    };
    const refused = await ent.post('/portal/config/devices', { ...form, 'indicators.0.alarmHigh': '1' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('indicators.0.alarmHigh');
    expect(refused.html).toContain('<option value="dust.lock_air_unloading_fault" selected>');
    const saved = await ent.post('/portal/config/devices', form);
    expect(saved.status).toBe(303);
    expect((await stack.models.Device.findById('dev-a-fault').lean())!.indicators[0]).toMatchObject({
      kind: 'fault',
      catalogueCode: 'dust.lock_air_unloading_fault',
    });
    // A change of settings is held for the zone's review: a refused pick is refused before that.
    await ent.get('/portal/config/devices/dev-a-fault');
    const held = await ent.post('/portal/config/devices/dev-a-fault', {
      ...form,
      'indicators.0.catalogueCode': 'steel.gas_co_concentration',
      'indicators.0.intervalSec': '30',
    });
    expect(held.status).toBe(400);
    expect(held.html).toContain('indicators.0.catalogueCode');
  });
});
