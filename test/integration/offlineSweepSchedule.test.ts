/**
 * Issue 16 (operators): the offline sweeper runs as a Temporal Schedule like the reports, ensured at worker
 * start, every `sweepEvery` of the offline rules in force — not as a loop the web process starts on the first
 * reading. The schedule follows a new version of the rules; the retired loop is ended when the schedule is ensured.
 */
import { ScheduleNotFoundError, WorkflowNotFoundError } from '@temporalio/client';
import { DEFAULT_OFFLINE_POLICY } from '../../domain/offline';
import { caseIds } from '../../domain/cases';
import { offlineSweeper } from '../../workflows/deviceOffline';
import { ensureOfflineSweepSchedule, offlineSweepScheduleId } from '../../worker/offlineSweepSchedule';
import { seedEnterprise, seedRegions, SeededEnterprise } from '../helpers/monitoringWorld';
import { startStack, Stack } from '../helpers/stack';
import { until } from '../helpers/until';
import { call, userToken } from '../helpers/warningWorld';

let stack: Stack;
let ent: SeededEnterprise;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 's');
  ent = await seedEnterprise(stack.models, 's', 1, { devices: 2 });
  // Registered two hours ago: a reading of 45 minutes ago is after registration.
  await stack.models.Device.updateMany(
    { enterpriseId: ent.enterpriseId },
    { $set: { createdAt: new Date(Date.now() - 2 * 3600_000) } },
  );
});
afterAll(async () => {
  await stack?.stop();
});

const schedule = () => stack.client.schedule.getHandle(offlineSweepScheduleId(stack.taskQueue));

it('the web app starts no sweeper loop when readings arrive', async () => {
  const res = await fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
    body: JSON.stringify([{ deviceCode: ent.devices[1], indicator: 'dp', value: 300, ts: new Date().toISOString() }]),
  });
  expect(await res.json()).toMatchObject({ accepted: 1 });
  await new Promise((r) => setTimeout(r, 1000));
  await expect(
    stack.client.workflow.getHandle(caseIds.offlineSweeper(stack.taskQueue)).describe(),
  ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  await expect(schedule().describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
});

it('is ensured every sweepEvery of the rules, ends the retired loop, and its run opens the offline case of a silent device', async () => {
  // A loop left running by an earlier version (the web process started it on the first reading).
  const loop = await stack.client.workflow.start(offlineSweeper, {
    taskQueue: stack.taskQueue,
    workflowId: caseIds.offlineSweeper(stack.taskQueue),
    args: [{ policy: DEFAULT_OFFLINE_POLICY }],
  });
  await ensureOfflineSweepSchedule(stack.client, stack.taskQueue, DEFAULT_OFFLINE_POLICY);
  expect((await loop.describe()).status.name).toBe('TERMINATED');

  const d = await schedule().describe();
  expect(d.spec.intervals).toEqual([{ every: 60_000, offset: undefined }]);
  expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'offlineSweep', taskQueue: stack.taskQueue });
  // Ensured again (the next worker start): the same schedule, not a second one.
  await ensureOfflineSweepSchedule(stack.client, stack.taskQueue, DEFAULT_OFFLINE_POLICY);

  // The device fell silent 45 minutes ago (5-minute interval: offline after 15).
  const silent = ent.devices[0];
  const res = await fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
    body: JSON.stringify([
      { deviceCode: silent, indicator: 'dp', value: 300, ts: new Date(Date.now() - 45 * 60_000).toISOString() },
    ]),
  });
  expect(res.status).toBe(200);
  await schedule().trigger();
  const record = await until(
    () =>
      stack.models.CaseRecord.findOne({ _id: { $gt: `offline/${silent}/`, $lt: `offline/${silent}/\uffff` } }).lean(),
    'the offline case opened by the scheduled sweep',
  );
  expect(record).toMatchObject({ type: 'device_offline', status: 'open', enterpriseId: ent.enterpriseId });
});

it("follows the administrator's new sweep interval", async () => {
  const admin = await userToken(stack.models, stack.baseUrl, 's-admin', 'admin');
  const current = await call(stack.baseUrl, admin, 'GET', '/api/v1/offline-policy');
  const { version: _v, ...rules } = current.body as Record<string, unknown>;
  const put = await call(stack.baseUrl, admin, 'PUT', '/api/v1/offline-policy', { ...rules, sweepEvery: 'PT5M' });
  expect(put.status).toBe(200);
  expect((await schedule().describe()).spec.intervals).toEqual([{ every: 300_000, offset: undefined }]);
});
