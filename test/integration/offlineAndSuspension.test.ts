/** Offline detection and suspension requests on the real servers: the sweeper opens the case, resuming data closes it; an agency approves or rejects a request in its inbox. */
import { hashPassword } from '../../lib/passwords';
import { startStack, Stack } from '../helpers/stack';
import { SeededEnterprise, enterpriseUserToken, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { until } from '../helpers/until';
import { createMonitoringActivities } from '../../activities/monitoring';
import { beijingYear } from '../../domain/time';
import { ensureOfflineSweepSchedule } from '../../worker/offlineSweepSchedule';

let stack: Stack;
let ent: SeededEnterprise;
/** An enterprise registered an hour ago whose device and video channel never reported. */
let silentEnt: SeededEnterprise;
const silentChannel = 'o-ent-2-V0';
const registeredAt = new Date(Date.now() - 3600_000);
beforeAll(async () => {
  stack = await startStack({ web: true });
  // The sweep runs on its schedule, as the worker ensures it (every 10 s here, the shortest the rules allow).
  await ensureOfflineSweepSchedule(stack.client, stack.taskQueue, { sweepEvery: 'PT10S' });
  await seedRegions(stack.models, 'o');
  ent = await seedEnterprise(stack.models, 'o', 1, { devices: 3 });
  // Registered two hours ago: readings of the last hour are after registration.
  await stack.models.Device.updateMany(
    { enterpriseId: ent.enterpriseId },
    { $set: { createdAt: new Date(Date.now() - 2 * 3600_000) } },
  );
  silentEnt = await seedEnterprise(stack.models, 'o', 2, { devices: 1 });
  await stack.models.Device.updateOne({ _id: silentEnt.devices[0] }, { $set: { createdAt: registeredAt } });
  await stack.models.VideoChannel.create({
    _id: silentChannel,
    enterpriseId: silentEnt.enterpriseId,
    name: '厂区大门',
    intervalSec: 300,
    createdAt: registeredAt,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

function push(readings: unknown[]) {
  return fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: json(ent.key),
    body: JSON.stringify(readings),
  });
}

async function tokenFor(username: string, role: 'regulator', agencyId: string) {
  await stack.models.User.create({
    _id: username,
    displayName: username,
    role,
    agencyId,
    passwordHash: await hashPassword('pw-123456'),
    active: true,
    createdAt: new Date(),
  });
  return userTokenOf(username);
}

async function userTokenOf(username: string) {
  const res = await fetch(`${stack.baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'pw-123456' }),
  });
  return ((await res.json()) as { token: string }).token;
}

it('a device whose last reading is older than 3 expected intervals gets an offline case with the enterprise notified; fresh data closes it and the silence is counted as offline seconds', async () => {
  const dev = ent.devices[0];
  const lastSeen = Date.now() - 45 * 60_000; // 5-minute interval: silent after 15 minutes
  expect(
    (await push([{ deviceCode: dev, indicator: 'dp', value: 300, ts: new Date(lastSeen).toISOString() }])).status,
  ).toBe(200);

  const record = await until(
    () => stack.models.CaseRecord.findOne({ _id: new RegExp(`^offline/${dev}/`), 'timeline.kind': 'notified' }).lean(),
    'the offline case',
  );
  expect(record).toMatchObject({
    type: 'device_offline',
    status: 'open',
    enterpriseId: ent.enterpriseId,
    trackingAgencyId: 'o-district-dust',
  });
  expect(record.deadlines.map((d) => d.kind)).toEqual(['district_interview', 'region_interview']);
  expect(Date.parse(record.deadlines[0].due) - (lastSeen + 15 * 60_000)).toBe(2 * 86_400_000);

  expect((await push([{ deviceCode: dev, indicator: 'dp', value: 301, ts: new Date().toISOString() }])).status).toBe(
    200,
  );
  const closed = await until(
    () => stack.models.CaseRecord.findOne({ _id: record._id, status: 'closed' }).lean(),
    'the closed offline case',
  );
  expect(closed.timeline.map((e) => e.kind)).toEqual(['opened', 'notified', 'closed']);
  const stats = await until(async () => {
    const s = await stack.models.DeviceDayStat.find({ sourceId: dev }).lean();
    const secs = s.reduce((n, x) => n + x.offlineSeconds, 0);
    return secs > 0 ? secs : undefined;
  }, 'offline seconds');
  // About 30 minutes of silence after the 15-minute allowance.
  expect(stats).toBeGreaterThan(29 * 60);
  expect(stats).toBeLessThan(32 * 60);
});

it('a suspension request waits in the district emergency bureau inbox (002 第二十五条); an approval issues a numbered 停用许可 mailed to the enterprise, a rejection none; only the reviewing agency may decide', async () => {
  const entToken = await enterpriseUserToken(stack.models, stack.baseUrl, ent.enterpriseId);
  const bureauToken = await tokenFor('bureau-officer', 'regulator', 'o-district-emergency');
  const zoneToken = await tokenFor('zone-officer', 'regulator', 'o-zone-safety');
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 3 * 86_400_000).toISOString();

  const bad = await fetch(`${stack.baseUrl}/api/v1/suspensions`, {
    method: 'POST',
    headers: json(entToken),
    body: JSON.stringify({ deviceCodes: [ent.devices[1]], reason: 'holiday', from, to }),
  });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ field: 'reason' });
  const backwards = await fetch(`${stack.baseUrl}/api/v1/suspensions`, {
    method: 'POST',
    headers: json(entToken),
    body: JSON.stringify({ deviceCodes: [ent.devices[1]], reason: 'overhaul', from: to, to: from }),
  });
  expect(await backwards.json()).toMatchObject({ field: 'to' });
  const nothing = await fetch(`${stack.baseUrl}/api/v1/suspensions`, {
    method: 'POST',
    headers: json(entToken),
    body: JSON.stringify({ reason: 'overhaul', from, to }),
  });
  expect(await nothing.json()).toMatchObject({ field: 'deviceCodes' });
  const foreignChannel = await fetch(`${stack.baseUrl}/api/v1/suspensions`, {
    method: 'POST',
    headers: json(entToken),
    body: JSON.stringify({ channelIds: ['no-such-channel'], reason: 'overhaul', from, to }),
  });
  expect(await foreignChannel.json()).toMatchObject({ field: 'channelIds' });

  const file = async (device: string) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/suspensions`, {
      method: 'POST',
      headers: json(entToken),
      body: JSON.stringify({ deviceCodes: [device], reason: 'overhaul', detail: '年度检修', from, to }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { requestId: string }).requestId;
  };
  // The device never reported since its registration: it is offline, its case open, when the request is filed.
  const offlineCase = await until(
    () =>
      stack.models.CaseRecord.findOne({
        _id: { $gt: `offline/${ent.devices[1]}/`, $lt: `offline/${ent.devices[1]}/\uffff` },
        status: 'open',
        'timeline.kind': 'notified',
      }).lean(),
    'the offline case of the device to suspend',
  );
  const approveId = await file(ent.devices[1]);
  const rejectId = await file(ent.devices[2]);
  const task = await until(
    () => stack.models.Task.findOne({ caseId: approveId, kind: 'suspension_review' }).lean(),
    'the review task',
  );
  expect(task).toMatchObject({ assigneeAgencyId: 'o-district-emergency', status: 'open' });
  await until(() => stack.models.SuspensionRequest.findById(rejectId).lean(), 'the second request');

  const decide = (id: string, token: string, approved: boolean) =>
    fetch(`${stack.baseUrl}/api/v1/suspensions/${id}/decision`, {
      method: 'POST',
      headers: json(token),
      body: JSON.stringify({ approved, note: approved ? '同意' : '理由不充分' }),
    });
  expect((await decide(approveId, zoneToken, true)).status).toBe(403);
  expect((await decide(approveId, bureauToken, true)).status).toBe(200);
  expect((await decide(rejectId, bureauToken, false)).status).toBe(200);
  // The request's workflow ends after the decision: a second one answers 409 naming the state, never 404
  // (a loaded CI machine finished the workflow before the second decision arrived and answered 404).
  await stack.client.workflow.getHandle(rejectId).result();
  const again = await decide(rejectId, bureauToken, true);
  expect(again.status).toBe(409);
  expect(await again.json()).toEqual({ error: 'the request is already rejected', field: 'approved' });

  await stack.client.workflow.getHandle(approveId).result();
  const year = beijingYear(new Date().toISOString());
  const approved = await stack.models.SuspensionRequest.findById(approveId).lean();
  expect(approved).toMatchObject({
    status: 'approved',
    decidedBy: 'bureau-officer',
    deviceCodes: [ent.devices[1]],
    permissionNumber: `o-district-emergency停〔${year}〕1号`,
  });
  const permission = await stack.models.OfficialDocument.findById(`${approveId}/suspension_permission`).lean();
  expect(permission).toMatchObject({
    kind: 'suspension_permission',
    title: '停用许可',
    agencyId: 'o-district-emergency',
    enterpriseId: ent.enterpriseId,
    number: `o-district-emergency停〔${year}〕1号`,
  });
  const mail = await stack.models.Delivery.findById(`${approveId}/suspension_permission`).lean();
  expect(mail).toMatchObject({ to: [ent.email] });
  const rejected = await stack.models.SuspensionRequest.findById(rejectId).lean();
  expect(rejected).toMatchObject({ status: 'rejected', note: '理由不充分' });
  expect(rejected!.permissionNumber).toBeUndefined();
  await until(
    () => stack.models.Task.findOne({ _id: `${approveId}/suspension_review`, status: 'done' }).lean(),
    'the review task done',
  );
  // The approval closes the offline case that was open for the device.
  const closed = await until(
    () => stack.models.CaseRecord.findOne({ _id: offlineCase._id, status: 'closed' }).lean(),
    'the offline case closed by the approval',
  );
  expect(closed.timeline.at(-1)).toMatchObject({
    kind: 'closed',
    detail: `covered by approved suspension ${approveId} until ${new Date(to).toISOString()}`,
  });

  const read = await fetch(`${stack.baseUrl}/api/v1/suspensions/${approveId}`, { headers: json(entToken) });
  expect(read.status).toBe(200);
  expect(await read.json()).toMatchObject({ status: 'approved' });

  // The suspended device falls silent: the sweep marks it offline for the statistics (suspended seconds) but returns
  // it for no case, and nobody is mailed.
  expect(
    (
      await push([
        {
          deviceCode: ent.devices[1],
          indicator: 'dp',
          value: 300,
          ts: new Date(Date.now() - 45 * 60_000).toISOString(),
        },
      ])
    ).status,
  ).toBe(200);
  const swept = await createMonitoringActivities(stack.models).sweepSilentSources({ now: new Date().toISOString() });
  expect(swept.map((x) => x.sourceId)).not.toContain(ent.devices[1]);
  const liveness = await stack.models.DeviceLiveness.findById(`sensor/${ent.devices[1]}`).lean();
  expect(liveness).toMatchObject({ offline: true, suspendedUntil: new Date(to) });
  expect(
    await stack.models.CaseRecord.countDocuments({
      _id: { $gt: `offline/${ent.devices[1]}/`, $lt: `offline/${ent.devices[1]}/\uffff` },
      status: 'open',
    }),
  ).toBe(0);
});

it('a device and a video channel of a should-connect enterprise that never reported are offline from registration: the sweeper opens their cases', async () => {
  const case_ = (prefix: string) =>
    until(
      () =>
        stack.models.CaseRecord.findOne({
          _id: { $gt: prefix, $lt: `${prefix}\uffff` },
          'timeline.kind': 'notified',
        }).lean(),
      `the offline case ${prefix}`,
      90_000,
    );
  const sensor = await case_(`offline/${silentEnt.devices[0]}/`);
  expect(sensor).toMatchObject({ type: 'device_offline', enterpriseId: silentEnt.enterpriseId, status: 'open' });
  // Silent since registration + 3 intervals of 5 minutes.
  expect(sensor.timeline[0].detail).toBe(
    `设备 ${silentEnt.devices[0]} silent since ${new Date(registeredAt.getTime() + 15 * 60_000).toISOString()}`,
  );
  const video = await case_(`offline/video/${silentChannel}/`);
  expect(video).toMatchObject({ type: 'device_offline', enterpriseId: silentEnt.enterpriseId });
}, 120_000);

it('a disposal for an alarm whose case ran and ended answers 409 "closed" even when the server no longer has its workflow; an alarm that never was answers 404', async () => {
  // The enterprise user made by the suspension test above.
  const token = await userTokenOf(`user-${ent.enterpriseId}`);
  const dev = ent.devices[2];
  // The case record of an alarm that closed long ago (its workflow past the server's retention).
  await stack.models.CaseRecord.create({
    _id: `alarm/${dev}/dp/20260101T000000Z`,
    type: 'monitoring_alarm',
    title: '报警',
    enterpriseId: ent.enterpriseId,
    status: 'closed',
    openedAt: new Date('2026-01-01T00:00:00Z'),
    closedAt: new Date('2026-01-01T03:00:00Z'),
    updatedAt: new Date(),
  });
  const file = (device: string) =>
    fetch(`${stack.baseUrl}/api/v1/alarms/${device}/dp/disposal`, {
      method: 'POST',
      headers: json(token),
      body: JSON.stringify({ cause: '滤袋破损', measures: '更换滤袋', responsible: '张三' }),
    });
  const late = await file(dev);
  expect(late.status).toBe(409);
  expect(await late.json()).toEqual({ error: `the alarm case of ${dev}/dp is closed`, field: 'indicator' });
  expect((await file(ent.devices[0])).status).toBe(404);
});
