/**
 * The risk model through the real stack (issue 14): the inputs gathered from the projections on real MongoDB give the
 * hand-computed dust plant of test/unit/riskModel.test.ts (51.4, yellow); the scheduled recompute is a Temporal
 * Schedule and computes every enterprise; the administrator's rules are versions (400 naming the dotted field, 409 on
 * a stale version) with a band preview; the enterprise sees its composition, regulators the distribution in their
 * jurisdiction, the history and the explanation.
 */
import { DEFAULT_RISK_RULES, computeRiskIndex, type RiskInputs } from '../../domain/risk';
import { createRiskActivities, gatherRiskInputs } from '../../activities/risk';
import { createCaseRecordActivities } from '../../activities/caseRecords';
import { PageClient } from '../e2e/world';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { startStack, type Stack } from '../helpers/stack';
import { call, userToken } from '../helpers/warningWorld';
import { ensureRiskSchedule, riskScheduleId } from '../../worker/riskSchedule';

let stack: Stack;
const t: Record<string, string> = {};
let plantId: string;
let otherId: string;
const H = 3_600_000;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'k');
  await seedRegions(stack.models, 'm');
  plantId = (await seedEnterprise(stack.models, 'k', 1, { devices: 0 })).enterpriseId;
  otherId = (await seedEnterprise(stack.models, 'm', 1, { devices: 0 })).enterpriseId;
  t.ent = await userToken(stack.models, stack.baseUrl, 'k-ent', 'enterprise', { enterpriseId: plantId });
  t.zone = await userToken(stack.models, stack.baseUrl, 'k-zone-reg', 'regulator', { agencyId: 'k-zone-safety' });
  t.otherZone = await userToken(stack.models, stack.baseUrl, 'm-zone-reg', 'regulator', { agencyId: 'm-zone-safety' });
  t.admin = await userToken(stack.models, stack.baseUrl, 'k-admin', 'admin');
});
afterAll(async () => {
  await stack.client.schedule
    .getHandle(riskScheduleId(stack.taskQueue))
    .delete()
    .catch(() => undefined);
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);

/** The unit test's metal-dust plant, as projections: what the recompute reads. */
const dustPlant: RiskInputs = {
  industry: 'dust_explosion',
  dustType: 'metal',
  dustWorkers: 45,
  size: 'medium',
  declaredGrade: 'orange',
  alarms: { open: 1, raised: 5, hoursInAlarm: 6, overdueDisposals: 0 },
  devices: { expected: 10, online: 9 },
  site: { cleaningDone: 20, cleaningPlanned: 28, openRectificationOrders: 0, overdueCases: 1, expiredPermits: 3 },
};

async function seedDustPlant(now: number) {
  const m = stack.models;
  await m.Enterprise.updateOne(
    { _id: plantId },
    { $set: { dustType: 'metal', dustWorkers: 45, size: 'medium', inherentRisk: 'orange' } },
  );
  const entry = (kind: string, at: number) => ({ key: kind, at: new Date(at).toISOString(), kind, actor: 'system' });
  const alarm = (i: number, opened: number, closed?: number) => ({
    _id: `alarm/${plantId}/${i}`,
    type: 'monitoring_alarm',
    enterpriseId: plantId,
    title: '监测报警',
    status: closed ? 'closed' : 'open',
    openedAt: new Date(opened),
    ...(closed ? { closedAt: new Date(closed) } : {}),
    deadlines: [],
    timeline: [entry('opened', opened)],
    updatedAt: new Date(now),
  });
  // One open for 2 h, four closed after 1 h each: five raised in the week, six hours in alarm.
  await m.CaseRecord.insertMany([
    alarm(0, now - 2 * H),
    ...[1, 2, 3, 4].map((i) => alarm(i, now - i * 24 * H, now - i * 24 * H + H)),
    // An alarm of three weeks ago is outside the window.
    alarm(5, now - 21 * 24 * H, now - 21 * 24 * H + H),
    {
      _id: `onsite/${plantId}/0`,
      type: 'onsite_supervision',
      enterpriseId: plantId,
      title: '现场核查督办',
      status: 'open',
      openedAt: new Date(now - 3 * 24 * H),
      nextDue: new Date(now - H),
      deadlines: [{ kind: 'onsite_record', due: new Date(now - H).toISOString() }],
      timeline: [entry('opened', now - 3 * 24 * H)],
      updatedAt: new Date(now),
    },
  ]);
  // Ten sources, one offline; an eleventh suspended does not count.
  await m.DeviceLiveness.insertMany(
    Array.from({ length: 11 }, (_, i) => ({
      _id: `sensor/${plantId}-s${i}`,
      sourceKind: 'sensor',
      sourceId: `${plantId}-s${i}`,
      enterpriseId: plantId,
      lastSeenAt: new Date(now),
      silentAfter: new Date(now + H),
      offline: i === 0,
      ...(i === 10 ? { suspendedUntil: new Date(now + 24 * H) } : {}),
    })),
  );
  // Plan: per shift (14 in a week) and two daily items (7 each) = 28; done 14 + 6 + 0 = 20.
  await m.CleaningPlan.create({
    _id: plantId,
    items: [
      { item: '除尘器灰斗', frequency: 'per_shift' },
      { item: '打磨工位', frequency: 'daily' },
      { item: '管道积尘', frequency: 'daily' },
    ],
    updatedBy: 'admin',
    updatedAt: new Date(now),
  });
  const checkIn = (item: string, at: number) => ({
    enterpriseId: plantId,
    item,
    person: '张三',
    at: new Date(at),
    createdBy: 'k-ent',
    createdAt: new Date(at),
  });
  await m.CleaningCheckIn.insertMany([
    ...Array.from({ length: 16 }, (_, i) => checkIn('除尘器灰斗', now - (i + 1) * 9 * H)), // 16 done, 14 count
    ...Array.from({ length: 6 }, (_, i) => checkIn('打磨工位', now - (i + 1) * 24 * H + H)),
  ]);
  // Three permits past their validity (the dust group does not weigh them).
  await m.Permit.collection.insertMany(
    [0, 1, 2].map((i) => ({
      _id: `${plantId}-permit-${i}`,
      enterpriseId: plantId,
      status: 'expired',
      validTo: new Date(now - (i + 1) * 24 * H),
    })) as never[],
  );
}

describe('inputs from the projections', () => {
  it('the dust plant read from MongoDB is the hand-computed fixture: 51.4, yellow', async () => {
    const now = Date.now();
    await seedDustPlant(now);
    const got = await gatherRiskInputs(stack.models, [plantId], now, DEFAULT_RISK_RULES);
    expect(got.get(plantId)!.inputs).toEqual(dustPlant);
    const index = computeRiskIndex(got.get(plantId)!.inputs, DEFAULT_RISK_RULES);
    expect(index).toMatchObject({ score: 51.4, level: 'yellow', rulesVersion: 1 });
  });
});

describe('the scheduled recompute', () => {
  it('is a Temporal Schedule every 15 minutes, ensured idempotently, that computes every enterprise', async () => {
    const id = await ensureRiskSchedule(stack.client, stack.taskQueue);
    expect(await ensureRiskSchedule(stack.client, stack.taskQueue)).toBe(id);
    const d = await stack.client.schedule.getHandle(id).describe();
    expect(d.spec.intervals?.[0]?.every).toBe(15 * 60_000);
    expect(d.action.workflowType).toBe('riskRecomputeAll');
    const run = await stack.client.workflow.execute('riskRecomputeAll', {
      taskQueue: stack.taskQueue,
      workflowId: `risk-recompute-all-test-${Date.now()}`,
      args: [{}],
    });
    expect(run).toEqual({ computed: 2 });
    const latest = await stack.models.RiskComputation.find({ latest: true }).lean();
    expect(latest.map((c) => [c.enterpriseId, c.score, c.level, c.trigger]).sort()).toEqual(
      [
        [plantId, 51.4, 'yellow', 'schedule'],
        [otherId, 20.2, 'normal', 'schedule'],
      ].sort(),
    );
  });
});

describe('the risk rules API', () => {
  it('refuses a bad weight naming its dotted field, a stale version with 409; stores v2 that the next computation uses', async () => {
    const current = (await api(t.admin, 'GET', '/api/v1/policies/risk')).body;
    expect(current.version).toBe(1);
    const bad = structuredClone(current);
    bad.groups.steel.factors.open_alarms.weight = -1;
    const refused = await api(t.admin, 'PUT', '/api/v1/policies/risk', bad);
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('groups.steel.factors.open_alarms.weight');
    const v2 = structuredClone(current);
    v2.groups.dust_explosion.factors.device_online_rate.weight = 20;
    v2.groups.dust_explosion.factors.cleaning_shortfall.weight = 2;
    // Before saving: the preview says how many enterprises each level would hold.
    const preview = await api(t.admin, 'POST', '/api/v1/policies/risk/preview', v2);
    expect(preview.status).toBe(200);
    expect(preview.body.enterprises).toBe(2);
    expect(preview.body.current).toEqual({ red: 0, orange: 0, yellow: 1, blue: 0, normal: 1 });
    expect(preview.body.total).toEqual({ red: 0, orange: 0, yellow: 1, blue: 0, normal: 1 });
    expect((await api(t.zone, 'POST', '/api/v1/policies/risk/preview', v2)).status).toBe(403);
    const saved = await api(t.admin, 'PUT', '/api/v1/policies/risk', v2);
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    const stale = await api(t.admin, 'PUT', '/api/v1/policies/risk', v2);
    expect(stale.status).toBe(409);
    expect(stale.body.field).toBe('version');
    const [d] = await stack.client.workflow
      .execute('riskRecomputeAll', {
        taskQueue: stack.taskQueue,
        workflowId: `risk-recompute-all-test2-${Date.now()}`,
        args: [{}],
      })
      .then(async () => [await stack.models.RiskComputation.findOne({ enterpriseId: plantId, latest: true }).lean()]);
    // 51.4 + 10 (10 % offline counts in full: online 10 → 20) − 2.86 (cleaning 12 → 2) = 58.6.
    expect(d).toMatchObject({ rulesVersion: 2, score: 58.6, level: 'yellow' });
  });
});

describe('pages', () => {
  it('the enterprise sees its level and composition; another region’s regulator is refused', async () => {
    const ent = await api(t.ent, 'GET', `/api/v1/risk/enterprises/${plantId}`);
    expect(ent.status).toBe(200);
    expect(ent.body.latest.components.find((c: { factor: string }) => c.factor === 'cleaning_shortfall')).toMatchObject(
      {
        weight: 2,
        measured: 0.7143,
        value: 0.2857,
        contribution: 0.57,
      },
    );
    expect((await api(t.otherZone, 'GET', `/api/v1/risk/enterprises/${plantId}`)).status).toBe(403);
    const c = new PageClient(stack.baseUrl);
    await c.login('k-ent', 'pw-warn-123456');
    const page = await c.get('/portal/risk');
    expect(page.status).toBe(200);
    expect(page.html).toContain('58.6');
    expect(page.html).toContain('清扫打卡');
    expect(page.html).toContain('data-factor="device_online_rate"');
    const history = await c.get(`/risk/enterprises/${plantId}/history`);
    expect(history.html).toContain('定时计算');
    expect(history.html).toContain('v2');
  });

  it('regulators see the distribution within their jurisdiction; the explanation is generated from the rules', async () => {
    const zone = await api(t.zone, 'GET', '/api/v1/risk/distribution');
    expect(zone.body.enterprises).toBe(1);
    expect(zone.body.total).toEqual({ red: 0, orange: 0, yellow: 1, blue: 0, normal: 0 });
    expect(zone.body.byRegion['k-zone']).toEqual({ red: 0, orange: 0, yellow: 1, blue: 0, normal: 0 });
    expect((await api(t.ent, 'GET', '/api/v1/risk/distribution')).status).toBe(403);
    const c = new PageClient(stack.baseUrl);
    await c.login('k-zone-reg', 'pw-warn-123456');
    const dist = await c.get('/risk');
    expect(dist.status).toBe(200);
    expect(dist.html).toContain('功能区');
    const explain = await c.get('/risk/explanation');
    expect(explain.html).toContain('粉尘涉爆企业风险指数说明（规则第2版）');
  });

  it('the administrator’s page previews a draft’s bands before saving and names a refused field', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('k-admin', 'pw-warn-123456');
    const page = await c.get('/admin/policies/risk');
    expect(page.status).toBe(200);
    const form = Object.fromEntries(
      [...page.html.matchAll(/<input name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    form.version = '2';
    // Yellow from 60: the plant (58.6) would be blue.
    const preview = await c.post('/admin/policies/risk/preview', {
      ...form,
      'groups.dust_explosion.bands.yellow': '60',
    });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('<tr class="preview-yellow"><td>黄色</td><td>0</td><td>1</td></tr>');
    expect(preview.html).toContain('<tr class="preview-blue"><td>蓝色</td><td>1</td><td>0</td></tr>');
    expect(await stack.models.RiskRules.countDocuments()).toBe(1); // nothing stored by the preview
    const refused = await c.post('/admin/policies/risk', { ...form, 'groups.dust_explosion.bands.blue': '50' });
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('groups.dust_explosion.bands.yellow: must be above the blue band (50)');
    const saved = await c.post('/admin/policies/risk', { ...form, 'damping.holdFor': 'PT1H' });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/admin/policies/risk?saved=3');
  });
});

describe('case changes ask for a recompute', () => {
  it('an alarm or an offline source opened or closed, and a warning’s feedback, name their trigger; other changes none', async () => {
    const asked: [string, string][] = [];
    const book = createCaseRecordActivities({
      CaseRecord: stack.models.CaseRecord,
      onCaseChange: async (enterpriseId, trigger) => void asked.push([enterpriseId, trigger]),
    });
    const at = new Date().toISOString();
    const open = (caseId: string, type: 'monitoring_alarm' | 'device_offline' | 'risk_warning') =>
      book.openCase({
        caseId,
        type,
        title: type,
        enterpriseId: otherId,
        openedAt: at,
        entry: { key: 'opened', at, kind: 'opened', actor: 'system' },
      });
    await open('hook/alarm', 'monitoring_alarm');
    await book.updateCase({ caseId: 'hook/alarm', status: 'closed', closedAt: at });
    await open('hook/offline', 'device_offline');
    await book.updateCase({ caseId: 'hook/offline', status: 'closed', closedAt: at });
    await open('hook/warning', 'risk_warning');
    await book.updateCase({
      caseId: 'hook/warning',
      entry: { key: 'notified', at, kind: 'notified', actor: 'system' },
    });
    await book.updateCase({ caseId: 'hook/warning', entry: { key: 'feedback', at, kind: 'feedback', actor: 'u' } });
    expect(asked).toEqual([
      [otherId, 'alarm_opened'],
      [otherId, 'alarm_closed'],
      [otherId, 'device_offline'],
      [otherId, 'device_online'],
      [otherId, 'warning_feedback'],
    ]);
  });
});

describe('one latest computation per enterprise', () => {
  it('a computation stored after a newer one (a scheduled run beside a triggered one) is not left latest', async () => {
    const risk = createRiskActivities(stack.models);
    const newer = new Date(Date.now() + 2 * 3600_000).toISOString();
    const older = new Date(Date.now() + 3600_000).toISOString();
    await risk.recomputeRisk({ enterpriseIds: [otherId], at: newer, trigger: 'schedule' });
    await risk.recomputeRisk({ enterpriseIds: [otherId], at: older, trigger: 'alarm_opened' });
    const latest = await stack.models.RiskComputation.find({ enterpriseId: otherId, latest: true }).lean();
    expect(latest.map((c) => c.at.toISOString())).toEqual([newer]);
  });
});
