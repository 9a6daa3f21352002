/**
 * Special-work permits (特殊作业票) through the public API on the real stack: an enterprise applies, the named
 * people sign through their inbox tasks in order (out of order refused, 409 naming the field), the issued
 * permit is a numbered PDF, the work starts and the guardian checks in; the platform feed (GET /permits)
 * and the counts are cut by jurisdiction: an enterprise sees only its own, a regulator only its region.
 */
import { startStack, Stack } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';
import { until } from '../helpers/until';
import { SAFETY_MEASURES } from '../../domain/permits';
import { PageClient } from '../e2e/world';

let stack: Stack;
const t: Record<string, string> = {};
let entId: string;
let otherEntId: string;

beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'e');
  await seedRegions(stack.models, 'f');
  entId = (await seedEnterprise(stack.models, 'e', 1)).enterpriseId;
  otherEntId = (await seedEnterprise(stack.models, 'f', 1)).enterpriseId;
  for (const u of ['e-applicant', 'e-leader', 'e-unit', 'e-shift', 'e-guard'])
    t[u] = await userToken(stack.models, stack.baseUrl, u, 'enterprise', { enterpriseId: entId });
  t.other = await userToken(stack.models, stack.baseUrl, 'f-applicant', 'enterprise', { enterpriseId: otherEntId });
  t.zone = await userToken(stack.models, stack.baseUrl, 'e-zone-reg', 'regulator', { agencyId: 'e-zone-safety' });
  t.otherZone = await userToken(stack.models, stack.baseUrl, 'f-zone-reg', 'regulator', { agencyId: 'f-zone-safety' });
  t.admin = await userToken(stack.models, stack.baseUrl, 'e-admin', 'admin');
});
afterAll(async () => {
  await stack?.stop();
});

const api = (token: string | undefined, method: string, path: string, body?: unknown) =>
  call(stack.baseUrl, token, method, path, body);
const complete = (token: string, taskId: string, form: Record<string, unknown>) =>
  api(token, 'POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { form });
const openTask = (taskId: string) =>
  until(() => stack.models.Task.findOne({ _id: taskId, status: 'open' }).lean(), `open task ${taskId}`);

function application(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    type: 'hot_work',
    level: 'level2',
    place: '储罐区 T-3 进料管线',
    content: '更换法兰垫片（电焊）',
    validFrom: new Date(now - 60_000).toISOString(),
    validTo: new Date(now + 8 * 3600_000).toISOString(),
    hazards: ['可燃气体泄漏', '火花飞溅'],
    measures: SAFETY_MEASURES.hot_work.map((item) => ({ item, applies: true, confirmedBy: '李工' })),
    gasAnalyses: [
      {
        at: new Date(now - 5 * 60_000).toISOString(),
        place: '动火点 1m',
        analyst: '化验员孙',
        readings: [{ substance: '可燃气体', value: 0.1, unit: '%LEL' }],
        qualified: true,
      },
    ],
    workers: [{ name: '王焊工', certificateNo: 'T120101' }],
    guardian: { name: '赵监护', userId: 'e-guard' },
    signers: [
      { role: 'work_leader', userId: 'e-leader', name: '钱负责' },
      { role: 'unit', userId: 'e-unit', name: '孙车间' },
      { role: 'shift_leader', userId: 'e-shift', name: '周班长' },
    ],
    ...over,
  };
}

describe('a level-2 hot-work permit through the API', () => {
  let permitId: string;
  let caseId: string;

  it('refuses a window longer than 72 h and an e-permit without workers, naming the field; refuses a regulator applying', async () => {
    const long = await api(
      t['e-applicant'],
      'POST',
      '/api/v1/permits',
      application({ validTo: new Date(Date.now() + 73 * 3600_000).toISOString() }),
    );
    expect(long).toMatchObject({
      status: 400,
      body: {
        field: 'validTo',
        error: 'validTo: the permit may be valid at most 72小时 (GB 30871-2022 第5章 动火作业（安全作业票有效期）)',
      },
    });
    expect(await api(t['e-applicant'], 'POST', '/api/v1/permits', application({ workers: [] }))).toMatchObject({
      status: 400,
      body: { field: 'workers' },
    });
    expect((await api(t.zone, 'POST', '/api/v1/permits', application())).status).toBe(403);
  });

  it('POST /permits → 201; the signers sign through their tasks in order (out of order: 409 naming role); the last sign-off issues a numbered PDF', async () => {
    const r = await api(t['e-applicant'], 'POST', '/api/v1/permits', application());
    expect(r.status).toBe(201);
    ({ permitId, caseId } = r.body);
    expect(caseId).toBe(`permit/${permitId}`);
    expect(
      await api(t['e-unit'], 'POST', `/api/v1/permits/${permitId}/sign-off`, { role: 'unit', approve: true }),
    ).toMatchObject({ status: 409, body: { field: 'role' } });
    await openTask(`${caseId}/sign/work_leader`);
    expect((await complete(t['e-leader'], `${caseId}/sign/work_leader`, { approve: true })).status).toBe(200);
    await openTask(`${caseId}/sign/unit`);
    expect((await complete(t['e-unit'], `${caseId}/sign/unit`, { approve: true, note: '措施已落实' })).status).toBe(
      200,
    );
    await openTask(`${caseId}/sign/shift_leader`);
    expect((await complete(t['e-shift'], `${caseId}/sign/shift_leader`, { approve: true })).status).toBe(200);
    const p = await until(async () => {
      const g = await api(t['e-applicant'], 'GET', `/api/v1/permits/${permitId}`);
      return g.body?.status === 'issued' ? g.body : undefined;
    }, 'the issued permit');
    expect(p).toMatchObject({
      permitId,
      enterpriseId: entId,
      type: 'hot_work',
      level: 'level2',
      managedLevel: 'level2',
      place: '储罐区 T-3 进料管线',
      number: expect.stringMatching(new RegExp(`^${entId}作业票〔\\d{4}〕1号$`)),
    });
    expect(p.signOffs.map((s: { role: string; by: string }) => [s.role, s.by])).toEqual([
      ['work_leader', 'e-leader'],
      ['unit', 'e-unit'],
      ['shift_leader', 'e-shift'],
    ]);
    const pdf = await fetch(`${stack.baseUrl}${p.documentUrl}`, {
      headers: { authorization: `Bearer ${t['e-applicant']}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
  });

  it('the work starts; only the guardian checks in (409 naming by); a regulator takes no step (403)', async () => {
    expect(await api(t['e-leader'], 'POST', `/api/v1/permits/${permitId}/start`, {})).toMatchObject({
      status: 200,
      body: { status: 'in_progress' },
    });
    expect(await api(t['e-leader'], 'POST', `/api/v1/permits/${permitId}/check-in`, {})).toMatchObject({
      status: 409,
      body: { field: 'by' },
    });
    expect((await api(t['e-guard'], 'POST', `/api/v1/permits/${permitId}/check-in`, {})).status).toBe(200);
    expect((await api(t.zone, 'POST', `/api/v1/permits/${permitId}/finish`, {})).status).toBe(403);
  });

  it('the platform feed and the counts: the enterprise and its zone see the permit; another enterprise and another region do not', async () => {
    await until(
      async () => (await stack.models.Permit.findById(permitId).lean())?.status === 'in_progress' || undefined,
      'the projection in progress',
    );
    const mine = await api(t['e-applicant'], 'GET', '/api/v1/permits');
    expect(mine.body.map((x: { permitId: string }) => x.permitId)).toEqual([permitId]);
    const zone = await api(t.zone, 'GET', '/api/v1/permits?status=active&type=hot_work&level=level2&region=e-zone');
    expect(zone.body.map((x: { permitId: string; status: string }) => [x.permitId, x.status])).toEqual([
      [permitId, 'in_progress'],
    ]);
    expect((await api(t.zone, 'GET', '/api/v1/permits?type=confined_space')).body).toEqual([]);
    const dash = new PageClient(stack.baseUrl);
    await dash.login('e-zone-reg', 'pw-warn-123456');
    expect((await dash.get('/dashboard')).html).toMatch(
      /进行中的特殊作业票<\/h2>\s*<p><a href="\/permits\?status=active"><strong>1<\/strong>/,
    );
    expect(await api(t.zone, 'GET', '/api/v1/permits/counts')).toMatchObject({
      status: 200,
      body: { active: 1, byType: { hot_work: 1 }, byLevel: { level2: 1 } },
    });
    expect((await api(t.other, 'GET', '/api/v1/permits')).body).toEqual([]);
    expect((await api(t.other, 'GET', `/api/v1/permits/${permitId}`)).status).toBe(404);
    expect((await api(t.otherZone, 'GET', '/api/v1/permits')).body).toEqual([]);
    expect((await api(t.otherZone, 'GET', '/api/v1/permits/counts')).body).toEqual({
      active: 0,
      byType: {},
      byLevel: {},
    });
    expect((await api(t.other, 'POST', `/api/v1/permits/${permitId}/finish`, {})).status).toBe(404);
  });

  it('finish and acceptance close it', async () => {
    expect((await api(t['e-leader'], 'POST', `/api/v1/permits/${permitId}/finish`, {})).status).toBe(200);
    expect(
      await api(t['e-unit'], 'POST', `/api/v1/permits/${permitId}/acceptance`, { note: '已清理现场' }),
    ).toMatchObject({ status: 200, body: { status: 'closed' } });
    await until(
      async () => (await stack.models.Permit.findById(permitId).lean())?.status === 'closed' || undefined,
      'the projection closed',
    );
    expect((await api(t.zone, 'GET', '/api/v1/permits/counts')).body.active).toBe(0);
  });
});

describe('the permit pages (a phone’s forms, no script)', () => {
  /** A Beijing wall-clock time for a datetime-local field, `ms` from now. */
  const local = (ms: number) => new Date(Date.now() + ms + 8 * 3600_000).toISOString().slice(0, 16);
  const form = (over: Record<string, string> = {}) => ({
    type: 'confined_space',
    level: 'single',
    place: '反应釜 R-201 内部',
    content: '清理釜内残渣',
    validFrom: local(-60_000),
    validTo: local(8 * 3600_000),
    hazards: '缺氧\n硫化氢',
    ...Object.fromEntries(
      SAFETY_MEASURES.confined_space.flatMap((_, i) => [
        [`measure_${i}`, 'on'],
        [`measure_${i}_by`, '李工'],
      ]),
    ),
    gasAt: local(-5 * 60_000),
    gasPlace: '釜内上中下',
    gasAnalyst: '化验员孙',
    gasO2: '20.6',
    gasQualified: 'on',
    workers: '王工 T2001\n李工 T2002',
    guardianName: '赵监护',
    guardianUser: 'e-guard',
    signer_work_leader_user: 'e-leader',
    signer_work_leader_name: '钱负责',
    signer_unit_user: 'e-unit',
    signer_unit_name: '孙车间',
    ...over,
  });
  let permitPath: string;

  it('an enterprise applies in two steps: type and level, then the e-permit with that type’s checklist and signers; a window over 24 h is refused naming it', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('e-applicant', 'pw-warn-123456');
    const first = await c.get('/permits/new');
    expect(first.status).toBe(200);
    expect(first.html).toContain('受限空间作业');
    const second = await c.get('/permits/new?type=confined_space&level=single');
    expect(second.html).toContain('name="signer_work_leader_user"');
    expect(second.html).toContain('name="signer_unit_user"');
    expect(second.html).not.toContain('name="signer_shift_leader_user"');
    expect(second.html).toContain(SAFETY_MEASURES.confined_space[0]);
    const long = await c.post('/permits/new', form({ validTo: local(25 * 3600_000) }));
    expect(long.status).toBe(400);
    expect(long.html).toContain(
      'validTo: the permit may be valid at most 24小时 (GB 30871-2022 第6章 受限空间作业（安全作业票有效期）)',
    );
    const ok = await c.post('/permits/new', form());
    expect(ok.status).toBe(303);
    permitPath = ok.location!;
    expect(permitPath).toMatch(new RegExp(`^/permits/${entId}-`));
    const page = await c.get(permitPath);
    expect(page.status).toBe(200);
    expect(page.html).toContain('受限空间作业');
    expect(page.html).toContain('签批中');
    const early = await c.post(`${permitPath}/start`, {});
    expect(early.status).toBe(409);
    expect(early.html).toContain('start: not possible while the permit is signing');
  });

  it('the permit page is the enterprise’s and its zone’s; another enterprise and another region get 404; the zone’s list shows the counts', async () => {
    const zone = new PageClient(stack.baseUrl);
    await zone.login('e-zone-reg', 'pw-warn-123456');
    expect((await zone.get(permitPath)).status).toBe(200);
    // A gas alarm of the same enterprise while the permit is live is shown on the permit page (once issued).
    await stack.models.CaseRecord.create({
      _id: `alarm/${entId}-gas/lel`,
      type: 'monitoring_alarm',
      title: '可燃气体浓度报警：R-201 旁',
      enterpriseId: entId,
      regionPath: ['e-city', 'e-district', 'e-zone'],
      status: 'open',
      openedAt: new Date(),
      updatedAt: new Date(),
      deadlines: [],
      timeline: [],
    });
    expect((await zone.get(permitPath)).html).not.toContain('可燃气体浓度报警');
    const id = permitPath.split('/').pop()!;
    expect(
      (await api(t['e-leader'], 'POST', `/api/v1/permits/${id}/sign-off`, { role: 'work_leader', approve: true }))
        .status,
    ).toBe(200);
    expect(
      await api(t['e-unit'], 'POST', `/api/v1/permits/${id}/sign-off`, { role: 'unit', approve: true }),
    ).toMatchObject({ status: 200, body: { status: 'issued' } });
    await until(
      async () => (await stack.models.Permit.findById(id).lean())?.status === 'issued' || undefined,
      'the projection issued',
    );
    expect((await zone.get(permitPath)).html).toContain('可燃气体浓度报警：R-201 旁');
    // And the alarm's case page shows the enterprise's active permit (both ways: the permit is live during the alarm).
    const alarmPage = (await zone.get(`/cases/${encodeURIComponent(`alarm/${entId}-gas/lel`)}`)).html;
    expect(alarmPage).toContain('进行中的作业票');
    expect(alarmPage).toContain(
      `<a href="/permits/${encodeURIComponent(id)}"><strong>受限空间作业</strong> · 反应釜 R-201 内部</a>`,
    );
    const list = await zone.get('/permits?type=confined_space');
    expect(list.html).toContain('进行中的作业票');
    expect(list.html).toContain('反应釜 R-201 内部');
    const other = new PageClient(stack.baseUrl);
    await other.login('f-applicant', 'pw-warn-123456');
    expect((await other.get(permitPath)).status).toBe(404);
    expect((await other.get('/permits')).html).not.toContain('反应釜 R-201 内部');
    const otherZone = new PageClient(stack.baseUrl);
    await otherZone.login('f-zone-reg', 'pw-warn-123456');
    expect((await otherZone.get(permitPath)).status).toBe(404);
    expect((await otherZone.post(`${permitPath}/start`, {})).status).toBe(403);
  });
});

describe('the permit rules as versioned data', () => {
  it('GET /policies/permits is the GB 30871-2022 default (version 1, each value with its clause); an administrator stores a new version, validated naming the field; applications after it follow it', async () => {
    const v1 = await api(t['e-applicant'], 'GET', '/api/v1/policies/permits');
    expect(v1.status).toBe(200);
    expect(v1.body.version).toBe(1);
    expect(v1.body.rules.hot_work.level2.validity).toEqual({ value: 'PT72H', source: 'hot_work.validity' });
    const edited = JSON.parse(JSON.stringify(v1.body.rules));
    expect((await api(t.zone, 'PUT', '/api/v1/policies/permits', { rules: edited })).status).toBe(403);
    edited.hot_work.level2.validity = { value: 'a day', source: 'set_by_enterprise' };
    expect(await api(t.admin, 'PUT', '/api/v1/policies/permits', { rules: edited })).toMatchObject({
      status: 400,
      body: { field: 'rules.hot_work.level2.validity.value' },
    });
    edited.hot_work.level2.validity = { value: 'PT24H', source: 'set_by_enterprise' };
    expect(await api(t.admin, 'PUT', '/api/v1/policies/permits', { rules: edited })).toMatchObject({
      status: 200,
      body: { version: 2 },
    });
    const r = await api(
      t['e-applicant'],
      'POST',
      '/api/v1/permits',
      application({ validTo: new Date(Date.now() + 30 * 3600_000).toISOString() }),
    );
    expect(r).toMatchObject({
      status: 400,
      body: { field: 'validTo', error: 'validTo: the permit may be valid at most 24小时 (企业自定（标准未规定）)' },
    });
  });

  it('the administrator’s permit-rules page: versions with the one in force, a new version from the form, refused naming the field', async () => {
    const c = new PageClient(stack.baseUrl);
    await c.login('e-admin', 'pw-warn-123456');
    expect((await c.get('/admin')).html).toContain('href="/admin/policies/permits"');
    const page = await c.get('/admin/policies/permits');
    expect(page.status).toBe(200);
    expect(page.html).toContain('v2 <small class="ok">');
    expect(page.html).toContain('href="/admin/policies/permits?version=1"');
    expect(page.html).toContain('name="rules.hot_work.level2.validity" value="PT24H"');
    // The form as the page shows it: every type and level's fields, named as the API's.
    const rules = (await api(t.admin, 'GET', '/api/v1/policies/permits')).body.rules as Record<
      string,
      Record<string, Record<string, { value: unknown }>>
    >;
    const form: Record<string, string> = { version: '2' };
    for (const [type, levels] of Object.entries(rules))
      for (const [level, rule] of Object.entries(levels))
        for (const key of [
          'validity',
          'analysisMaxAge',
          'interruptionLimit',
          'reanalysisEvery',
          'guardianCheckInEvery',
          'signOff',
          'approver',
        ])
          form[`rules.${type}.${level}.${key}`] = rule[key] ? [rule[key].value].flat().join(',') : '';
    const bad = await c.post('/admin/policies/permits', { ...form, 'rules.hot_work.level1.validity': 'eight hours' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('rules.hot_work.level1.validity.value: ');
    expect(bad.html).toContain('name="rules.hot_work.level1.validity" value="eight hours" aria-invalid="true"');
    const badSigner = await c.post('/admin/policies/permits', {
      ...form,
      'rules.hot_work.level1.signOff': 'work_leader,nobody',
    });
    expect(badSigner.status).toBe(400);
    expect(badSigner.html).toContain('rules.hot_work.level1.signOff.value.1: ');
    const saved = await c.post('/admin/policies/permits', { ...form, 'rules.hot_work.level1.validity': 'PT6H' });
    expect(saved).toMatchObject({ status: 303, location: '/admin/policies/permits?saved=3' });
    const v3 = (await api(t.admin, 'GET', '/api/v1/policies/permits')).body;
    expect(v3.version).toBe(3);
    // The value changed; its source (the clause) stays; the other rules are as they were.
    expect(v3.rules.hot_work.level1.validity).toEqual({ value: 'PT6H', source: 'hot_work.validity' });
    expect(v3.rules.hot_work.level2.validity).toEqual({ value: 'PT24H', source: 'set_by_enterprise' });
    expect(v3.rules.confined_space).toEqual(rules.confined_space);
    const after = await c.get('/admin/policies/permits?saved=3');
    expect(after.html).toContain('v3 <small class="ok">');
    expect((await c.post('/admin/policies/permits', form)).status).toBe(409);
  });
});
