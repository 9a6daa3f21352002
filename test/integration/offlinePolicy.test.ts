/**
 * The offline rules are versioned data an administrator edits (like the escalation ladder): the shipped
 * default is seed 002's (2 days, 5 days); a new version takes effect for the sweeper's next run and the
 * offline cases it opens, which keep the version they started with.
 */
import { startStack, Stack } from '../helpers/stack';
import { SeededEnterprise, seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';

let stack: Stack;
let ent: SeededEnterprise;
let admin: string;
let regulator: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'p');
  ent = await seedEnterprise(stack.models, 'p', 1, { devices: 1 });
  await stack.models.Device.updateMany(
    { enterpriseId: ent.enterpriseId },
    { $set: { createdAt: new Date(Date.now() - 2 * 3600_000) } },
  );
  admin = await userToken(stack.models, stack.baseUrl, 'p-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'p-reg', 'regulator', { agencyId: 'p-district-dust' });
});
afterAll(async () => {
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);

it('GET shows seed 002 rules; PUT by an administrator makes version 2, refusing a bad value naming the field; a regulator may not change them', async () => {
  expect(await api(regulator, 'GET', '/api/v1/offline-policy')).toMatchObject({
    status: 200,
    body: {
      version: 1,
      missedIntervals: 3,
      districtInterviewAfter: 'P2D',
      regionInterviewAfter: 'P5D',
      sweepEvery: 'PT1M',
    },
  });
  const next = { missedIntervals: 2, districtInterviewAfter: 'P1D', regionInterviewAfter: 'P3D', sweepEvery: 'PT30S' };
  expect((await api(regulator, 'PUT', '/api/v1/offline-policy', next)).status).toBe(403);
  expect(await api(admin, 'PUT', '/api/v1/offline-policy', { ...next, regionInterviewAfter: 'PT12H' })).toMatchObject({
    status: 400,
    body: { field: 'regionInterviewAfter' },
  });
  expect(await api(admin, 'PUT', '/api/v1/offline-policy', { ...next, missedIntervals: 0 })).toMatchObject({
    status: 400,
    body: { field: 'missedIntervals' },
  });
  expect(await api(admin, 'PUT', '/api/v1/offline-policy', next)).toMatchObject({
    status: 200,
    body: { version: 2, ...next },
  });
  expect(await api(regulator, 'GET', '/api/v1/offline-policy')).toMatchObject({
    body: { version: 2, missedIntervals: 2 },
  });
});

it('the new version decides: a device 12 minutes silent (2 missed 5-minute intervals) gets an offline case of policy version 2 with its interview a day after the silence began', async () => {
  const dev = ent.devices[0];
  const lastSeen = Date.now() - 12 * 60_000;
  const res = await fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
    body: JSON.stringify([{ deviceCode: dev, indicator: 'dp', value: 300, ts: new Date(lastSeen).toISOString() }]),
  });
  expect(res.status).toBe(200);
  const record = await until(
    () =>
      stack.models.CaseRecord.findOne({
        _id: { $gt: `offline/${dev}/`, $lt: `offline/${dev}/\uffff` },
        'timeline.kind': 'notified',
      }).lean(),
    'the offline case',
    // Version 2 sweeps every 30 s (the schedule follows the stored rules).
    60_000,
  );
  expect(record.policyVersion).toBe(2);
  const silentSince = lastSeen + 10 * 60_000;
  expect(record.deadlines).toEqual([
    { kind: 'district_interview', due: new Date(silentSince + 86_400_000).toISOString() },
    { kind: 'region_interview', due: new Date(silentSince + 3 * 86_400_000).toISOString() },
  ]);
});
