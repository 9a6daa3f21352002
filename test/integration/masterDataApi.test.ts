/** The master-data API over HTTP on the real servers: an administrator builds a region, an agency, an enterprise, a device and users. */
import { demoUscc } from '../../scripts/demoWorld';
import { hashPassword } from '../../lib/passwords';
import { verifyDataKey } from '../../lib/dataKeys';
import { startStack, Stack } from '../helpers/stack';
import { call as callApi, tokenFor } from '../helpers/warningWorld';

let stack: Stack;
let adminToken: string;

const token = (username: string, password: string) => tokenFor(stack.baseUrl, username, password);
const call = (method: string, path: string, bearer: string | undefined, body?: unknown) =>
  callApi(stack.baseUrl, bearer, method, `/api/v1${path}`, body);

beforeAll(async () => {
  stack = await startStack({ web: true });
  await stack.models.User.create({
    _id: 'admin',
    displayName: '管理员',
    role: 'admin',
    passwordHash: await hashPassword('admin-pass-1'),
    active: true,
    createdAt: new Date(),
  });
  adminToken = await token('admin', 'admin-pass-1');
});
afterAll(async () => {
  await stack?.stop();
});

const enterprise = (overrides: Record<string, unknown> = {}) => ({
  name: '甲粉尘涉爆企业',
  uscc: demoUscc(501),
  regionId: 'md-zone',
  industry: 'dust_explosion',
  dustType: 'wood',
  dustWorkers: 12,
  size: 'small',
  inherentRisk: 'yellow',
  contacts: [{ name: '张安全', email: 'zhang@md.example' }],
  ...overrides,
});

it('an administrator creates region → agency → enterprise → device → users, and the enterprise user sees only its enterprise', async () => {
  expect((await call('POST', '/regions', adminToken, { id: 'md-city', name: '市', kind: 'city' })).status).toBe(201);
  expect(
    (
      await call('POST', '/regions', adminToken, {
        id: 'md-district',
        name: '区',
        kind: 'district',
        parentId: 'md-city',
      })
    ).status,
  ).toBe(201);
  const zone = await call('POST', '/regions', adminToken, {
    id: 'md-zone',
    name: '园区',
    kind: 'zone',
    parentId: 'md-district',
  });
  expect(zone.body.path).toEqual(['md-city', 'md-district', 'md-zone']);
  const agency = await call('POST', '/agencies', adminToken, {
    id: 'md-zone-safety',
    name: '园区安全管理部门',
    role: 'zone_safety_dept',
    regionId: 'md-zone',
    emails: ['safety@md.example'],
  });
  expect(agency.status).toBe(201);

  const ent = await call('POST', '/enterprises', adminToken, enterprise({ id: 'md-ent-1' }));
  expect(ent.status).toBe(201);
  expect(ent.body).toMatchObject({
    _id: 'md-ent-1',
    regionPath: ['md-city', 'md-district', 'md-zone'],
    uscc: demoUscc(501),
  });

  const device = await call('POST', '/devices', adminToken, {
    id: 'md-dev-1',
    enterpriseId: 'md-ent-1',
    name: '除尘器',
    kind: 'dust_collector',
    indicators: [
      {
        code: 'dp',
        name: '压差',
        kind: 'differential_pressure',
        unit: 'Pa',
        alarmLow: 200,
        normalMin: 300,
        normalMax: 1200,
        alarmHigh: 1500,
        rangeMin: 0,
        rangeMax: 5000,
        intervalSec: 300,
      },
    ],
  });
  expect(device.status).toBe(201);

  const user = await call('POST', '/users', adminToken, {
    username: 'md-ent-user',
    password: 'ent-pass-123',
    displayName: '企业安全员',
    role: 'enterprise',
    enterpriseId: 'md-ent-1',
  });
  expect(user.status).toBe(201);
  expect(user.body.passwordHash).toBeUndefined();
  expect(
    (
      await call('POST', '/users', adminToken, {
        username: 'md-reg',
        password: 'reg-pass-123',
        displayName: '监管员',
        role: 'regulator',
        agencyId: 'md-zone-safety',
      })
    ).status,
  ).toBe(201);

  expect(
    (
      await call(
        'POST',
        '/enterprises',
        adminToken,
        enterprise({ id: 'md-ent-2', uscc: demoUscc(502), name: '乙企业' }),
      )
    ).status,
  ).toBe(201);
  const entToken = await token('md-ent-user', 'ent-pass-123');
  const visible = await call('GET', '/enterprises', entToken);
  expect(visible.body.map((e: { _id: string }) => e._id)).toEqual(['md-ent-1']);
  expect((await call('GET', '/enterprises/md-ent-2', entToken)).status).toBe(403);
  // A regulator of the zone sees both.
  const regToken = await token('md-reg', 'reg-pass-123');
  expect((await call('GET', '/enterprises', regToken)).body).toHaveLength(2);

  // The audit trail names who created what.
  expect(
    await stack.models.AuditEntry.exists({ actor: 'admin', action: 'enterprise.create', target: 'md-ent-1' }),
  ).toBeTruthy();
});

it('refuses bad input with a 4xx naming the field, and stores nothing', async () => {
  const before = await stack.models.Enterprise.countDocuments();
  const badUscc = await call('POST', '/enterprises', adminToken, enterprise({ uscc: '91440300000000001X' }));
  expect(badUscc.status).toBe(400);
  expect(badUscc.body.field).toBe('uscc');
  const dup = await call('POST', '/enterprises', adminToken, enterprise({ id: 'md-ent-9' }));
  expect(dup).toMatchObject({ status: 409, body: { field: 'uscc' } });
  const noRegion = await call(
    'POST',
    '/enterprises',
    adminToken,
    enterprise({ uscc: demoUscc(509), regionId: 'nowhere' }),
  );
  expect(noRegion).toMatchObject({ status: 400, body: { field: 'regionId' } });
  expect(await stack.models.Enterprise.countDocuments()).toBe(before);

  const thresholds = await call('POST', '/devices', adminToken, {
    id: 'md-dev-bad',
    enterpriseId: 'md-ent-1',
    name: 'x',
    kind: 'x',
    indicators: [
      {
        code: 'dp',
        name: '压差',
        kind: 'differential_pressure',
        unit: 'Pa',
        alarmLow: 900,
        alarmHigh: 500,
        intervalSec: 300,
      },
    ],
  });
  expect(thresholds.status).toBe(400);
  expect(thresholds.body.field).toBe('indicators.0.alarmHigh');

  const shortPassword = await call('POST', '/users', adminToken, {
    username: 'u1',
    password: 'short',
    displayName: 'x',
    role: 'admin',
  });
  expect(shortPassword).toMatchObject({ status: 400, body: { field: 'password' } });
  const noAgency = await call('POST', '/users', adminToken, {
    username: 'u2',
    password: 'long-enough',
    displayName: 'x',
    role: 'regulator',
  });
  expect(noAgency).toMatchObject({ status: 400, body: { field: 'agencyId' } });
});

it('no token is 401, a non-administrator writing is 403', async () => {
  expect((await call('POST', '/enterprises', undefined, enterprise())).status).toBe(401);
  const entToken = await token('md-ent-user', 'ent-pass-123');
  expect((await call('POST', '/enterprises', entToken, enterprise({ uscc: demoUscc(510) }))).status).toBe(403);
  expect(
    (
      await call('POST', '/users', entToken, {
        username: 'x9',
        password: 'long-enough',
        displayName: 'x',
        role: 'admin',
      })
    ).status,
  ).toBe(403);
});

it('an enterprise issues a data-interface key shown once, the readings interface accepts it, and a revoked key no longer verifies', async () => {
  const entToken = await token('md-ent-user', 'ent-pass-123');
  const issued = await call('POST', '/enterprises/md-ent-1/data-keys', entToken, { label: 'DCS 网关' });
  expect(issued.status).toBe(201);
  expect(issued.body.key).toMatch(/^wfk\./);
  const listed = await call('GET', '/enterprises/md-ent-1/data-keys', entToken);
  expect(JSON.stringify(listed.body)).not.toContain('secretHash');
  expect((await call('POST', '/enterprises/md-ent-2/data-keys', entToken, {})).status).toBe(403);

  const push = () =>
    fetch(`${stack.baseUrl}/api/v1/readings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${issued.body.key}` },
      body: JSON.stringify({
        readings: [{ deviceCode: 'md-dev-1', indicator: 'dp', value: 600, ts: new Date().toISOString() }],
      }),
    });
  expect((await push()).status).toBe(200);

  expect((await call('DELETE', `/enterprises/md-ent-1/data-keys/${issued.body.keyId}`, entToken)).status).toBe(204);
  expect((await stack.models.DataKey.findById(issued.body.keyId).lean())?.revokedAt).toBeInstanceOf(Date);
  // The key check itself refuses it at once (the readings interface caches keys for up to 60 s).
  expect(await verifyDataKey(stack.models.DataKey, issued.body.key)).toBeUndefined();
  expect((await call('DELETE', `/enterprises/md-ent-1/data-keys/${issued.body.keyId}`, entToken)).status).toBe(404);
});

it('a data-interface key is issued one way by the API and the portal: at most 3 active keys (409 naming keys), audited on the key with its enterprise', async () => {
  const entToken = await token('md-ent-user', 'ent-pass-123');
  const keyIds: string[] = [];
  for (const label of ['网关一', '网关二', '网关三']) {
    const r = await call('POST', '/enterprises/md-ent-1/data-keys', entToken, { label });
    expect(r.status).toBe(201);
    keyIds.push(r.body.keyId);
  }
  const fourth = await call('POST', '/enterprises/md-ent-1/data-keys', adminToken, { label: '网关四' });
  expect(fourth.status).toBe(409);
  expect(fourth.body).toEqual({ error: 'keys: at most 3 active keys; revoke an old one first', field: 'keys' });
  expect(await stack.models.DataKey.countDocuments({ enterpriseId: 'md-ent-1', revokedAt: { $exists: false } })).toBe(
    3,
  );

  const issuedEntry = await stack.models.AuditEntry.findOne({ action: 'data_key.issue', target: keyIds[0] }).lean();
  expect(issuedEntry).toMatchObject({ actor: 'md-ent-user', detail: { enterpriseId: 'md-ent-1', label: '网关一' } });
  expect((await call('DELETE', `/enterprises/md-ent-1/data-keys/${keyIds[0]}`, entToken)).status).toBe(204);
  const revokedEntry = await stack.models.AuditEntry.findOne({ action: 'data_key.revoke', target: keyIds[0] }).lean();
  expect(revokedEntry).toMatchObject({ actor: 'md-ent-user', detail: { enterpriseId: 'md-ent-1' } });
  // One revoked: a third active key again.
  expect((await call('POST', '/enterprises/md-ent-1/data-keys', entToken, {})).status).toBe(201);
});

it('an enterprise is updated one way: a PATCH changes only the fields it names (contacts, headcount, flags kept), null clears an optional field, audited with the fields named', async () => {
  const before = (await call('GET', '/enterprises/md-ent-1', adminToken)).body;
  expect(before).toMatchObject({
    dustWorkers: 12,
    contacts: [{ name: '张安全', email: 'zhang@md.example' }],
    shouldConnect: true,
  });
  await stack.models.Enterprise.updateOne({ _id: 'md-ent-1' }, { $set: { connected: true } });

  const renamed = await call('PATCH', '/enterprises/md-ent-1', adminToken, {
    name: '甲粉尘涉爆企业（更名）',
    address: '园区路 1 号',
  });
  expect(renamed.status).toBe(200);
  expect(renamed.body).toMatchObject({
    name: '甲粉尘涉爆企业（更名）',
    address: '园区路 1 号',
    dustWorkers: 12,
    contacts: [{ name: '张安全', email: 'zhang@md.example' }],
    shouldConnect: true,
    connected: true,
    dustType: 'wood',
  });
  expect(
    await stack.models.AuditEntry.findOne({ action: 'enterprise.update', target: 'md-ent-1' }).sort({ seq: -1 }).lean(),
  ).toMatchObject({ actor: 'admin', detail: { fields: ['name', 'address'] } });

  const cleared = await call('PATCH', '/enterprises/md-ent-1', adminToken, { address: null });
  expect(cleared.status).toBe(200);
  expect(cleared.body.address).toBeUndefined();
  expect(cleared.body).toMatchObject({ name: '甲粉尘涉爆企业（更名）', dustWorkers: 12, connected: true });
  const refused = await call('PATCH', '/enterprises/md-ent-1', adminToken, { name: null });
  expect(refused.status).toBe(400);
  expect(refused.body.field).toBe('name');
});
