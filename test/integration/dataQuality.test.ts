/**
 * Data rules of seed 002 (附件2 三(二)3, 附件5 三(一)(3); 003) through the readings interface on the real stack:
 * readings of an indicator in alarm more than 10 s apart, and readings received more than 2 minutes after
 * they were measured, are data-quality findings kept per device and day and reported per enterprise.
 */
import { createReportActivities } from '../../activities/reports';
import { beijingDay, beijingWeekStart } from '../../domain/time';
import { startStack, Stack } from '../helpers/stack';
import { SeededEnterprise, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

let stack: Stack;
let ent: SeededEnterprise;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'dq');
  ent = await seedEnterprise(stack.models, 'dq', 1, { devices: 2 });
});
afterAll(async () => {
  await stack?.stop();
});

function push(readings: unknown[]) {
  return fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
    body: JSON.stringify(readings),
  });
}

it('an indicator in alarm reporting 30 s after its last reading is a finding; 5 s after is not', async () => {
  const dev = ent.devices[0];
  const t0 = Date.now() - 60_000;
  // 1600 Pa is beyond alarmHighHigh (1500): in alarm at once.
  expect((await push([{ deviceCode: dev, indicator: 'dp', value: 1600, ts: new Date(t0).toISOString() }])).status).toBe(
    200,
  );
  expect(
    (await push([{ deviceCode: dev, indicator: 'dp', value: 1600, ts: new Date(t0 + 30_000).toISOString() }])).status,
  ).toBe(200);
  expect(
    (await push([{ deviceCode: dev, indicator: 'dp', value: 1600, ts: new Date(t0 + 35_000).toISOString() }])).status,
  ).toBe(200);
  const stat = await stack.models.DeviceDayStat.findById(`sensor/${dev}/${beijingDay(t0 + 30_000)}`).lean();
  expect(stat).toMatchObject({ readings: 3, slowAlarmReadings: 1, lateReadings: 0 });
});

it('a reading received 3 minutes after it was measured is a late reading; the latency is kept per enterprise and reported', async () => {
  const dev = ent.devices[1];
  const measured = Date.now() - 180_000;
  expect(
    (await push([{ deviceCode: dev, indicator: 'dp', value: 300, ts: new Date(measured).toISOString() }])).status,
  ).toBe(200);
  const stat = await stack.models.DeviceDayStat.findById(`sensor/${dev}/${beijingDay(measured)}`).lean();
  expect(stat).toMatchObject({ readings: 1, lateReadings: 1 });
  expect(stat!.latencyMaxMs).toBeGreaterThanOrEqual(180_000);
  expect(stat!.latencyMaxMs).toBeLessThan(190_000);
  // The report of the current week shows both findings for the enterprise.
  const monday = beijingDay(beijingWeekStart(Date.now()));
  const f = await createReportActivities(stack.models).computeFigures({ kind: 'weekly', periodStart: monday });
  const row = f.enterprises.find((r) => r.enterpriseId === ent.enterpriseId)!;
  expect(row).toMatchObject({ slowAlarmReadings: 1, lateReadings: 1 });
  expect(row.latencyMaxSeconds).toBeGreaterThanOrEqual(180);
  expect(f.totals).toMatchObject({ slowAlarmReadings: 1, lateReadings: 1 });
});
