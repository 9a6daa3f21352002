/**
 * The administrator's alarm-policy page (监测报警策略), on the real stack: the version in force (the shipped default
 * while none is stored: debounce 3, disposal within 2 h, a device fault repaired within 1 day — warnflow's default,
 * no seed gives one), its history, and a new version through the same service as the API (a bad value refused
 * naming the field with the input kept, a stale form a 409, audited, served by GET /api/v1/alarm-policy).
 */
import { startStack, Stack } from '../helpers/stack';
import { call, tokenFor } from '../helpers/warningWorld';
import { PageClient, PASSWORD, seedWorld } from '../e2e/world';

let stack: Stack;
let admin: PageClient;
let token: string;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedWorld(stack.models);
  admin = new PageClient(stack.baseUrl);
  await admin.login('admin1');
  token = await tokenFor(stack.baseUrl, 'admin1', PASSWORD);
}, 120_000);
afterAll(async () => stack?.stop());

const post = async (path: string, form: Record<string, string>) => {
  await admin.get('/admin/policies/alarms');
  return admin.post(path, form);
};

test('the alarm policy page shows the default in force with the fault repair time marked as warnflow’s; an edit is a new version the API serves', async () => {
  expect((await admin.get('/admin')).html).toContain('href="/admin/policies/alarms"');
  const page = await admin.get('/admin/policies/alarms');
  expect(page.status).toBe(200);
  expect(page.html).toContain('监测报警策略');
  expect(page.html).toContain('v1');
  expect(page.html).toContain('<code>PT2H</code>');
  expect(page.html).toContain('<code>P1D</code>');
  expect(page.html).toContain('warnflow 默认值（种子未给出期限）');

  const form = {
    version: '1',
    debounceReadings: '2',
    deadbandFraction: '0.1',
    normalReadings: '2',
    disposalWithin: 'PT1H',
    frozenReadings: '30',
    burstAlarmsPerDay: '5',
    faultRepairWithin: 'PT8H',
  };
  const bad = await post('/admin/policies/alarms', { ...form, faultRepairWithin: '8 hours' });
  expect(bad.status).toBe(400);
  expect(bad.html).toContain('faultRepairWithin: must be an ISO-8601 duration such as P1D');
  expect(bad.html).toMatch(/name="faultRepairWithin"[^>]*value="8 hours"[^>]*aria-invalid="true"/);
  expect(await stack.models.AlarmPolicy.countDocuments({})).toBe(0);

  const ok = await post('/admin/policies/alarms', form);
  expect(ok.status).toBe(303);
  expect(ok.location).toBe('/admin/policies/alarms?saved=2');
  expect((await call(stack.baseUrl, token, 'GET', '/api/v1/alarm-policy')).body).toEqual({
    version: 2,
    debounceReadings: 2,
    deadbandFraction: 0.1,
    normalReadings: 2,
    disposalWithin: 'PT1H',
    frozenReadings: 30,
    burstAlarmsPerDay: 5,
    faultRepairWithin: 'PT8H',
  });
  expect(await stack.models.AuditEntry.findOne({ action: 'alarm_policy.changed' }).lean()).toMatchObject({
    actor: 'admin1',
    target: 'alarm_policy/2',
  });
  const after = await admin.get('/admin/policies/alarms');
  expect(after.html).toContain('<code>PT8H</code>');
  expect(after.html).toContain('href="/admin/policies/alarms?version=1"');
  expect((await admin.get('/admin/policies/alarms?version=1')).html).toContain('<code>P1D</code>');
  const stale = await post('/admin/policies/alarms', { ...form, debounceReadings: '4' });
  expect(stale.status).toBe(409);
  expect(stale.html).toContain('version: v2 was saved since you opened this form');
});
