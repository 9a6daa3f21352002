/**
 * 应接尽接 (001 二(二)5 "应接入企业数、已接入企业数", 004 五(二)): the weekly report lists a should-connect
 * enterprise that never sent data, with should-connect vs connected counts, its sources offline the whole week.
 */
import { createReportActivities } from '../../activities/reports';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';

let stack: Stack;
const tag = 'rc';
const ent = (n: number) => `${tag}-ent-${n}`;
const registered = new Date('2026-11-01T00:00:00Z');

beforeAll(async () => {
  stack = await startStack();
  await seedRegions(stack.models, tag);
  // 1: one device, reporting. 2: two devices and a video channel, never reported. 3: should not connect.
  for (const [n, devices] of [
    [1, 1],
    [2, 2],
    [3, 1],
  ])
    await seedEnterprise(stack.models, tag, n, { devices });
  await stack.models.Device.updateMany({}, { $set: { createdAt: registered } });
  await stack.models.Enterprise.updateOne({ _id: ent(3) }, { $set: { shouldConnect: false } });
  await stack.models.VideoChannel.create({
    _id: `${ent(2)}-V0`,
    enterpriseId: ent(2),
    name: '大门',
    intervalSec: 300,
    createdAt: registered,
  });
  await stack.models.DeviceLiveness.create({
    _id: `sensor/${ent(1)}-D0`,
    sourceKind: 'sensor',
    sourceId: `${ent(1)}-D0`,
    enterpriseId: ent(1),
    lastSeenAt: new Date(),
    silentAfter: new Date(Date.now() + 900_000),
    offline: false,
  });
  await stack.models.DeviceLiveness.create({
    _id: `sensor/${ent(2)}-D0`,
    sourceKind: 'sensor',
    sourceId: `${ent(2)}-D0`,
    enterpriseId: ent(2),
    lastSeenAt: registered,
    silentAfter: registered,
    offline: true,
    neverReported: true,
  });
  await stack.models.DeviceDayStat.create({
    _id: `sensor/${ent(1)}-D0/2026-11-17`,
    sourceKind: 'sensor',
    sourceId: `${ent(1)}-D0`,
    enterpriseId: ent(1),
    regionPath: [`${tag}-city`, `${tag}-district`, `${tag}-zone`],
    industry: 'dust_explosion',
    day: '2026-11-17',
    offlineSeconds: 0,
    suspendedSeconds: 0,
    readings: 288,
    expectedReadings: 288,
    alarms: 0,
    outOfRange: 0,
    frozen: 0,
    updatedAt: new Date(),
  });
});
afterAll(async () => {
  await stack?.stop();
});

it('a should-connect enterprise that never reported is listed, offline the whole week, with should-connect vs connected counts', async () => {
  const f = await createReportActivities(stack.models).computeFigures({ kind: 'weekly', periodStart: '2026-11-16' });
  const rows = Object.fromEntries(f.enterprises.map((r) => [r.enterpriseId, r]));
  expect(Object.keys(rows).sort()).toEqual([ent(1), ent(2)]);
  expect(rows[ent(2)]).toMatchObject({
    enterpriseName: '测试企业2',
    notConnected: true,
    sourcesShouldConnect: 3,
    sourcesConnected: 0,
    sensors: 2,
    videoChannels: 1,
    dataOfflineRatePercent: 100,
    videoOfflineRatePercent: 100,
  });
  expect(rows[ent(1)]).toMatchObject({ sourcesShouldConnect: 1, sourcesConnected: 1 });
  expect(rows[ent(1)].notConnected).toBeUndefined();
  expect(f.totals).toMatchObject({
    enterprises: 2,
    shouldConnectEnterprises: 2,
    connectedEnterprises: 1,
    shouldConnectSources: 4,
    connectedSources: 1,
  });
});
