/** Offline detection and suspension requests on the real servers: the sweeper opens the case, resuming data closes it; an agency approves or rejects a request in its inbox. */
import { hashPassword } from '../../lib/passwords';
import { startStack, Stack } from '../helpers/stack';
import { SeededEnterprise, enterpriseUserToken, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { until } from '../helpers/until';

let stack: Stack;
let ent: SeededEnterprise;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'o');
  ent = await seedEnterprise(stack.models, 'o', 1, { devices: 3 });
});
afterAll(async () => {
  await stack?.stop();
});


const json = (token: string) => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

function push(readings: unknown[]) {
  return fetch(`${stack.baseUrl}/api/v1/readings`, { method: 'POST', headers: json(ent.key), body: JSON.stringify(readings) });
}

async function tokenFor(username: string, role: 'regulator', agencyId: string) {
  await stack.models.User.create({ _id: username, displayName: username, role, agencyId, passwordHash: await hashPassword('pw-123456'), active: true, createdAt: new Date() });
  return userTokenOf(username);
}

async function userTokenOf(username: string) {
  const res = await fetch(`${stack.baseUrl}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw-123456' }) });
  return ((await res.json()) as { token: string }).token;
}

it('a device whose last reading is older than 3 expected intervals gets an offline case with the enterprise notified; fresh data closes it and the silence is counted as offline seconds', async () => {
  const dev = ent.devices[0];
  const lastSeen = Date.now() - 45 * 60_000; // 5-minute interval: silent after 15 minutes
  expect((await push([{ deviceCode: dev, indicator: 'dp', value: 300, ts: new Date(lastSeen).toISOString() }])).status).toBe(200);

  const record = await until(() => stack.models.CaseRecord.findOne({ _id: new RegExp(`^offline/${dev}/`), 'timeline.kind': 'notified' }).lean(), 'the offline case');
  expect(record).toMatchObject({ type: 'device_offline', status: 'open', enterpriseId: ent.enterpriseId, trackingAgencyId: 'o-district-dust' });
  expect(record.deadlines.map((d) => d.kind)).toEqual(['district_interview', 'region_interview']);
  expect(Date.parse(record.deadlines[0].due) - (lastSeen + 15 * 60_000)).toBe(2 * 86_400_000);

  expect((await push([{ deviceCode: dev, indicator: 'dp', value: 301, ts: new Date().toISOString() }])).status).toBe(200);
  const closed = await until(() => stack.models.CaseRecord.findOne({ _id: record._id, status: 'closed' }).lean(), 'the closed offline case');
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

it('a suspension request waits in the zone safety department inbox; approving one and rejecting another are recorded, and only the reviewing agency may decide', async () => {
  const entToken = await enterpriseUserToken(stack.models, stack.baseUrl, ent.enterpriseId);
  const zoneToken = await tokenFor('zone-officer', 'regulator', 'o-zone-safety');
  const otherToken = await tokenFor('district-officer', 'regulator', 'o-district-dust');
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 3 * 86_400_000).toISOString();

  const bad = await fetch(`${stack.baseUrl}/api/v1/suspensions`, { method: 'POST', headers: json(entToken), body: JSON.stringify({ deviceCodes: [ent.devices[1]], reason: 'holiday', from, to }) });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toMatchObject({ field: 'reason' });
  const backwards = await fetch(`${stack.baseUrl}/api/v1/suspensions`, { method: 'POST', headers: json(entToken), body: JSON.stringify({ deviceCodes: [ent.devices[1]], reason: 'overhaul', from: to, to: from }) });
  expect(await backwards.json()).toMatchObject({ field: 'to' });

  const file = async (device: string) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/suspensions`, { method: 'POST', headers: json(entToken), body: JSON.stringify({ deviceCodes: [device], reason: 'overhaul', detail: '年度检修', from, to }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { requestId: string }).requestId;
  };
  const approveId = await file(ent.devices[1]);
  const rejectId = await file(ent.devices[2]);
  const task = await until(() => stack.models.Task.findOne({ caseId: approveId, kind: 'suspension_review' }).lean(), 'the review task');
  expect(task).toMatchObject({ assigneeAgencyId: 'o-zone-safety', status: 'open' });
  await until(() => stack.models.SuspensionRequest.findById(rejectId).lean(), 'the second request');

  const decide = (id: string, token: string, approved: boolean) =>
    fetch(`${stack.baseUrl}/api/v1/suspensions/${id}/decision`, { method: 'POST', headers: json(token), body: JSON.stringify({ approved, note: approved ? '同意' : '理由不充分' }) });
  expect((await decide(approveId, otherToken, true)).status).toBe(403);
  expect((await decide(approveId, zoneToken, true)).status).toBe(200);
  expect((await decide(rejectId, zoneToken, false)).status).toBe(200);
  // The request's workflow ends after the decision: a second one answers 409 naming the state, never 404
  // (a loaded CI machine finished the workflow before the second decision arrived and answered 404).
  await stack.client.workflow.getHandle(rejectId).result();
  const again = await decide(rejectId, zoneToken, true);
  expect(again.status).toBe(409);
  expect(await again.json()).toEqual({ error: 'the request is already rejected', field: 'approved' });

  const approved = await until(() => stack.models.SuspensionRequest.findOne({ _id: approveId, status: 'approved' }).lean(), 'the approval');
  expect(approved).toMatchObject({ decidedBy: 'zone-officer', deviceCodes: [ent.devices[1]] });
  const rejected = await until(() => stack.models.SuspensionRequest.findOne({ _id: rejectId, status: 'rejected' }).lean(), 'the rejection');
  expect(rejected.note).toBe('理由不充分');
  await until(() => stack.models.Task.findOne({ _id: `${approveId}/suspension_review`, status: 'done' }).lean(), 'the review task done');

  const read = await fetch(`${stack.baseUrl}/api/v1/suspensions/${approveId}`, { headers: json(entToken) });
  expect(read.status).toBe(200);
  expect(await read.json()).toMatchObject({ status: 'approved' });
});

it('a disposal for an alarm whose case ran and ended answers 409 "closed" even when the server no longer has its workflow; an alarm that never was answers 404', async () => {
  // The enterprise user made by the suspension test above.
  const token = await userTokenOf(`user-${ent.enterpriseId}`);
  const dev = ent.devices[2];
  // The case record of an alarm that closed long ago (its workflow past the server's retention).
  await stack.models.CaseRecord.create({ _id: `alarm/${dev}/dp/20260101T000000Z`, type: 'monitoring_alarm', title: '报警', enterpriseId: ent.enterpriseId, status: 'closed', openedAt: new Date('2026-01-01T00:00:00Z'), closedAt: new Date('2026-01-01T03:00:00Z'), updatedAt: new Date() });
  const file = (device: string) =>
    fetch(`${stack.baseUrl}/api/v1/alarms/${device}/dp/disposal`, { method: 'POST', headers: json(token), body: JSON.stringify({ cause: '滤袋破损', measures: '更换滤袋', responsible: '张三' }) });
  const late = await file(dev);
  expect(late.status).toBe(409);
  expect(await late.json()).toEqual({ error: `the alarm case of ${dev}/dp is closed`, field: 'indicator' });
  expect((await file(ent.devices[0])).status).toBe(404);
});
