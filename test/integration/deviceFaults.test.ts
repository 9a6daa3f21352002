/**
 * Device faults 设备故障 through the monitoring-data interface on the real servers: a fault indicator reports a status
 * (`status: 'fault' | 'ok'`), not a value; a fault opens one device-fault case (repeats and concurrent batches coalesce
 * into it), the enterprise is mailed and files its verification and repair on its task, and the ok status closes it.
 */
import { waitForMail } from '../../lib/mailbox';
import { hashPassword } from '../../lib/passwords';
import type { IndicatorDoc } from '../../models/masterData';
import { startStack, Stack } from '../helpers/stack';
import {
  SeededEnterprise,
  dpIndicator,
  enterpriseUserToken,
  seedEnterprise,
  seedRegions,
} from '../helpers/monitoringWorld';
import { until } from '../helpers/until';
import { tokenFor } from '../helpers/warningWorld';
import { PageClient } from '../e2e/world';

const faultIndicator: IndicatorDoc = {
  code: 'lock_fault',
  name: '锁气卸灰故障信号',
  kind: 'fault',
  unit: '',
  intervalSec: 60,
  catalogueCode: 'dust.lock_air_unloading_fault',
};

let stack: Stack;
let ent: SeededEnterprise;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'f');
  ent = await seedEnterprise(stack.models, 'f', 1, { devices: 2, indicators: [dpIndicator, faultIndicator] });
});
afterAll(async () => {
  await stack?.stop();
});

function post(body: unknown, key = ent.key) {
  return fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}
type Answer = { accepted: number; refused: number; results: { status: string; field?: string; error?: string }[] };

it('a fault indicator takes a status, a value indicator a value: the wrong one is refused naming the field', async () => {
  const dev = ent.devices[0];
  const ts = new Date(Date.now() - 60_000).toISOString();
  const res = await post([
    { deviceCode: dev, indicator: 'lock_fault', value: 1, ts },
    { deviceCode: dev, indicator: 'lock_fault', status: 'broken', ts },
    { deviceCode: dev, indicator: 'dp', status: 'fault', ts },
  ]);
  expect(res.status).toBe(207);
  const out = (await res.json()) as Answer;
  expect(out.results).toEqual([
    {
      index: 0,
      status: 'refused',
      field: 'status',
      error: `status: indicator lock_fault of ${dev} reports a fault status: send status "fault" or "ok", not a value`,
    },
    { index: 1, status: 'refused', field: 'status', error: 'status: must be "fault" or "ok" (got "broken")' },
    {
      index: 2,
      status: 'refused',
      field: 'status',
      error: `status: indicator dp of ${dev} reports a value: send value, not a status`,
    },
  ]);
});

it('a fault opens exactly one device_fault case (repeats and concurrent batches coalesce), mails the enterprise; the repair filed and the ok status close it', async () => {
  const dev = ent.devices[1];
  const t0 = Date.now() - 240_000;
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const first = await post([{ deviceCode: dev, indicator: 'lock_fault', status: 'fault', ts: at(0) }]);
  expect(first.status).toBe(200);
  // The same report again is a duplicate; later fault reports and a storm of batches open nothing more.
  const again = (await (
    await post([{ deviceCode: dev, indicator: 'lock_fault', status: 'fault', ts: at(0) }])
  ).json()) as { duplicates: number };
  expect(again.duplicates).toBe(1);
  const storm = await Promise.all(
    Array.from({ length: 5 }, (_, b) =>
      post([{ deviceCode: dev, indicator: 'lock_fault', status: 'fault', ts: at(10 + b) }]),
    ),
  );
  expect(storm.map((r) => r.status)).toEqual(Array(5).fill(200));

  const prefix = new RegExp(`^fault/${dev}/lock_fault/`);
  const record = await until(
    () => stack.models.CaseRecord.findOne({ _id: prefix, 'timeline.kind': 'notified' }).lean(),
    'the device-fault case record',
  );
  expect(record).toMatchObject({
    type: 'device_fault',
    status: 'open',
    enterpriseId: ent.enterpriseId,
    trackingAgencyId: 'f-zone-safety',
    title: `设备故障：测试企业1 ${dev} 锁气卸灰故障信号`,
  });
  expect(record.deadlines.map((d) => d.kind)).toEqual(['repair']);
  expect(Date.parse(record.deadlines[0].due) - record.openedAt.getTime()).toBe(86_400_000);
  const mail = await waitForMail(stack.mailboxDir, (m) => m.to.includes(ent.email) && m.subject.includes('设备故障'));
  expect(mail.subject).toContain(dev);
  expect(mail.text).toContain('锁气卸灰故障信号');
  // The live value shows the fault (the one-screen view highlights indicators in alarm).
  const latest = await stack.models.LatestValue.findById(`${dev}/lock_fault`).lean();
  expect([latest?.value, latest?.state.inAlarm]).toEqual([1, true]);
  const page = new PageClient(stack.baseUrl);
  await enterpriseUserToken(stack.models, stack.baseUrl, ent.enterpriseId);
  await page.login(`user-${ent.enterpriseId}`, 'pw-123456');
  // The one-screen view says the status in words, highlighted while faulty.
  const oneScreen = () => page.get(`/enterprises/${encodeURIComponent(ent.enterpriseId)}`);
  expect((await oneScreen()).html).toContain('<div class="state-alarm">锁气卸灰故障信号: <strong>故障</strong>');

  const task = await until(
    () => stack.models.Task.findOne({ caseId: record._id, kind: 'fault_repair' }).lean(),
    'the repair task',
  );
  expect(task).toMatchObject({ form: 'faultRepair', assigneeEnterpriseId: ent.enterpriseId, status: 'open' });
  // The task page offers the repair form (whether the equipment failed, cause, repair, responsible).
  const taskPage = (await page.get(`/tasks/${encodeURIComponent(task._id)}`)).html;
  for (const field of ['equipmentFailed', 'cause', 'repair', 'responsible'])
    expect(taskPage).toContain(`name="${field}"`);
  const token = await tokenFor(stack.baseUrl, `user-${ent.enterpriseId}`, 'pw-123456');
  const complete = (form: unknown) =>
    fetch(`${stack.baseUrl}/api/v1/tasks/${encodeURIComponent(task._id)}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ form }),
    });
  const bad = await complete({ equipmentFailed: true, cause: '电机烧毁', repair: '', responsible: '张工' });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ field: 'repair' });
  expect(
    (await complete({ equipmentFailed: true, cause: '电机烧毁', repair: '更换电机', responsible: '张工' })).status,
  ).toBe(200);
  expect((await post([{ deviceCode: dev, indicator: 'lock_fault', status: 'ok', ts: at(60) }])).status).toBe(200);

  const closed = await until(
    () => stack.models.CaseRecord.findOne({ _id: record._id, status: 'closed' }).lean(),
    'the closed device-fault case',
  );
  expect(closed.timeline.map((e) => e.kind)).toEqual(['opened', 'notified', 'repair_filed', 'fault_cleared', 'closed']);
  expect(await stack.models.CaseRecord.countDocuments({ _id: prefix })).toBe(1);
  expect(await stack.models.CaseRecord.countDocuments({ _id: new RegExp(`^alarm/${dev}/`) })).toBe(0);

  expect((await oneScreen()).html).toContain('<div class="state-normal">锁气卸灰故障信号: <strong>正常</strong>');
  // The case page names its kind and shows the timeline's steps.
  const shown = await page.get(`/cases/${encodeURIComponent(record._id)}`);
  expect(shown.status).toBe(200);
  expect(shown.html).toContain('设备故障 ·');
  expect(shown.html).toContain('故障核实与维修情况');
  expect(shown.html).toContain('设备恢复正常');
});

it('the repair time is the alarm policy’s faultRepairWithin: an administrator sets it (a bad one is refused naming the field), a later version keeps it, the next fault case runs on it', async () => {
  await stack.models.User.create({
    _id: 'admin',
    displayName: 'admin',
    role: 'admin',
    passwordHash: await hashPassword('pw-123456'),
    active: true,
    createdAt: new Date(),
  });
  const admin = await tokenFor(stack.baseUrl, 'admin', 'pw-123456');
  const put = (body: unknown) =>
    fetch(`${stack.baseUrl}/api/v1/alarm-policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify(body),
    });
  const policy = {
    debounceReadings: 3,
    deadbandFraction: 0.05,
    normalReadings: 2,
    disposalWithin: 'PT2H',
    frozenReadings: 30,
    burstAlarmsPerDay: 5,
  };
  const bad = await put({ ...policy, faultRepairWithin: 'four hours' });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ field: 'faultRepairWithin' });
  expect(await (await put({ ...policy, faultRepairWithin: 'PT4H' })).json()).toMatchObject({
    version: 2,
    faultRepairWithin: 'PT4H',
  });
  expect(await (await put({ ...policy, disposalWithin: 'PT1H' })).json()).toMatchObject({
    version: 3,
    faultRepairWithin: 'PT4H',
  });

  const dev = ent.devices[0];
  const ts = new Date(Date.now() - 30_000).toISOString();
  expect((await post([{ deviceCode: dev, indicator: 'lock_fault', status: 'fault', ts }])).status).toBe(200);
  const record = await until(
    () => stack.models.CaseRecord.findOne({ _id: new RegExp(`^fault/${dev}/lock_fault/`) }).lean(),
    'the fault case on the new policy',
  );
  expect(record.policyVersion).toBe(3);
  expect(Date.parse(record.deadlines[0].due) - record.openedAt.getTime()).toBe(4 * 3600_000);

  // The administrator's case page finds the case's workflow (fault/<device>/<indicator>, without the opening instant).
  const page = new PageClient(stack.baseUrl);
  await page.login('admin', 'pw-123456');
  const shown = (await page.get(`/cases/${encodeURIComponent(record._id)}`)).html;
  expect(shown).toContain('工作流状态：<strong>运行中</strong>');
  expect(shown).toContain(`<small>fault/${dev}/lock_fault</small>`);
  expect(shown).not.toContain('案件记录与工作流不一致');
});
