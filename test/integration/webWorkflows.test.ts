/**
 * Pages on top of the running workflows (real Temporal, MongoDB, worker): an enterprise disposes of a
 * monitoring alarm from its portal, and files a device suspension request that the district emergency
 * bureau approves from its inbox (seed 002: the district emergency bureau reviews suspensions).
 */
import { verifyDataKey } from '../../lib/dataKeys';
import { hashPassword } from '../../lib/passwords';
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions, SeededEnterprise } from '../helpers/monitoringWorld';
import { PageClient, PASSWORD } from '../e2e/world';
import { until } from '../helpers/until';

let stack: Stack;
let ent: SeededEnterprise;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'w');
  ent = await seedEnterprise(stack.models, 'w', 1, { devices: 2 });
  const hash = await hashPassword(PASSWORD);
  await stack.models.User.insertMany([
    {
      _id: 'ent-user',
      displayName: '企业用户',
      role: 'enterprise',
      enterpriseId: ent.enterpriseId,
      passwordHash: hash,
      active: true,
      createdAt: new Date(),
    },
    {
      _id: 'zone-officer',
      displayName: '功能区安全员',
      role: 'regulator',
      agencyId: 'w-zone-safety',
      passwordHash: hash,
      active: true,
      createdAt: new Date(),
    },
    {
      _id: 'bureau-officer',
      displayName: '区应急管理局科员',
      role: 'regulator',
      agencyId: 'w-district-emergency',
      passwordHash: hash,
      active: true,
      createdAt: new Date(),
    },
  ]);
}, 120_000);
afterAll(async () => stack?.stop());

test('an enterprise disposes of a monitoring alarm through the task form in its portal', async () => {
  const dev = ent.devices[0];
  const t0 = Date.now() - 120_000;
  const res = await fetch(`${stack.baseUrl}/api/v1/readings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ent.key}` },
    body: JSON.stringify(
      [0, 1, 2].map((i) => ({
        deviceCode: dev,
        indicator: 'dp',
        value: 1200 + i,
        ts: new Date(t0 + i * 10_000).toISOString(),
      })),
    ),
  });
  expect(res.status).toBe(200);
  const task = await until(
    () =>
      stack.models.Task.findOne({
        caseType: 'monitoring_alarm',
        assigneeEnterpriseId: ent.enterpriseId,
        status: 'open',
      }).lean(),
    'the disposal task',
  );

  const c = new PageClient(stack.baseUrl);
  await c.login('ent-user');
  const portal = await c.get('/portal');
  expect(portal.html).toContain(task.title);
  const taskPath = `/tasks/${encodeURIComponent(task._id)}`;
  expect(portal.html).toContain(`href="${taskPath}"`);
  await c.get(taskPath);
  const bad = await c.post(`${taskPath}/complete`, { cause: '滤袋破损', measures: '', responsible: '张三' });
  expect(bad.status).toBe(400);
  expect(bad.html).toContain('measures');
  const done = await c.post(`${taskPath}/complete`, { cause: '滤袋破损', measures: '更换滤袋', responsible: '张三' });
  expect(done.status).toBe(303);
  const record = await until(
    () => stack.models.CaseRecord.findOne({ _id: task.caseId, 'timeline.kind': 'disposal_filed' }).lean(),
    'the disposal on the timeline',
  );
  expect(record.enterpriseId).toBe(ent.enterpriseId);
  const casePage = await c.get(`/cases/${task.caseId}`);
  expect(casePage.status).toBe(200);
});

test("a suspension request filed in the portal is approved from the district emergency bureau's inbox, not the zone's", async () => {
  const c = new PageClient(stack.baseUrl);
  await c.login('ent-user');
  await c.get('/portal/suspension');
  const bad = await c.post('/portal/suspension', {
    reason: 'overhaul',
    from: '2026-12-01T08:00',
    to: '2026-12-02T08:00',
  });
  expect(bad.status).toBe(400);
  expect(bad.html).toContain('deviceCodes');
  expect(await stack.models.SuspensionRequest.countDocuments({})).toBe(0);
  const filed = await c.post('/portal/suspension', {
    deviceCodes: ent.devices[1],
    reason: 'overhaul',
    detail: '年度检修',
    from: '2026-12-01T08:00',
    to: '2026-12-02T08:00',
  });
  expect(filed.status).toBe(303);
  const request = await until(
    () => stack.models.SuspensionRequest.findOne({ enterpriseId: ent.enterpriseId }).lean(),
    'the suspension request',
  );
  expect(request.from.toISOString()).toBe('2026-12-01T00:00:00.000Z'); // 08:00 Beijing time

  const task = await until(
    () => stack.models.Task.findOne({ caseId: request._id, status: 'open' }).lean(),
    'the review task',
  );
  const zone = new PageClient(stack.baseUrl);
  await zone.login('zone-officer');
  expect((await zone.get('/inbox')).html).not.toContain(task.title);
  const officer = new PageClient(stack.baseUrl);
  await officer.login('bureau-officer');
  const inbox = await officer.get('/inbox');
  expect(inbox.html).toContain(task.title);
  const taskPath = `/tasks/${encodeURIComponent(task._id)}`;
  await officer.get(taskPath);
  expect((await officer.post(`${taskPath}/complete`, { approved: 'on', note: '同意检修停用' })).status).toBe(303);
  const decided = await until(
    () => stack.models.SuspensionRequest.findOne({ _id: request._id, status: 'approved' }).lean(),
    'the approval',
  );
  expect(decided.decidedBy).toBe('bureau-officer');
  expect(await stack.models.AuditEntry.countDocuments({ actor: 'bureau-officer', action: 'suspension.approved' })).toBe(
    1,
  );
});

test('the enterprise rotates its data-interface key from the portal: the new key is shown once and works, the revoked one is refused', async () => {
  const c = new PageClient(stack.baseUrl);
  await c.login('ent-user');
  await c.get('/portal/config');
  const issued = await c.post('/portal/keys', {});
  expect(issued.status).toBe(200);
  const key = /<code class="secret">([^<]+)<\/code>/.exec(issued.html)?.[1];
  expect(key).toMatch(/^wfk\./);
  const send = (k: string) =>
    fetch(`${stack.baseUrl}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k}` },
      body: JSON.stringify([{ deviceCode: ent.devices[0], indicator: 'dp', value: 500, ts: new Date().toISOString() }]),
    });
  expect((await send(key!)).status).toBe(200);
  // The page never shows the secret again.
  expect((await c.get('/portal/config')).html).not.toContain(key!);
  const oldKeyId = /^wfk\.([0-9a-f]{12})\./.exec(ent.key)![1];
  expect((await c.post(`/portal/keys/${oldKeyId}/revoke`, {})).status).toBe(303);
  // The ingestion caches keys for up to 60 s, so the interface itself refuses the old key within that time;
  // the stored key is revoked at once.
  expect(await verifyDataKey(stack.models.DataKey, ent.key)).toBeUndefined();
  expect(await verifyDataKey(stack.models.DataKey, key!)).toMatchObject({ enterpriseId: ent.enterpriseId });
  expect((await send(key!)).status).toBe(200);
  expect(
    await stack.models.AuditEntry.countDocuments({
      actor: 'ent-user',
      action: { $in: ['data_key.issue', 'data_key.revoke'] },
    }),
  ).toBe(2);
});
