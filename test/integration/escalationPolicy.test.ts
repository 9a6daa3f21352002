/** The escalation policy over HTTP: the shipped ladder, an administrator's new version, refusals naming the field. */
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation';
import { startStack, Stack } from '../helpers/stack';
import { seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';

let stack: Stack;
let admin: string;
let regulator: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'p');
  admin = await userToken(stack.models, stack.baseUrl, 'p-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'p-regulator', 'regulator', { agencyId: 'p-district-dust' });
});
afterAll(async () => {
  await stack?.stop();
});

const scaled = () => {
  const p = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY));
  p.levels.red = { ...p.levels.red, firstNoticeAfter: 'PT3S', repeatEvery: 'PT3S', onSiteAfter: 'PT12S' };
  return { levels: p.levels };
};

describe('the escalation policy', () => {
  it('without a stored version, serves the shipped ladder of seed 002 (version 1)', async () => {
    const res = await call(stack.baseUrl, regulator, 'GET', '/api/v1/policies/escalation');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULT_ESCALATION_POLICY);
  });

  it('an administrator PUT makes a new version, in seconds if a drill wants it, and it is recorded in the audit trail', async () => {
    const res = await call(stack.baseUrl, admin, 'PUT', '/api/v1/policies/escalation', scaled());
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.body.levels.red.repeatEvery).toBe('PT3S');
    const read = await call(stack.baseUrl, regulator, 'GET', '/api/v1/policies/escalation');
    expect(read.body).toEqual(res.body);
    expect(
      await stack.models.AuditEntry.countDocuments({
        action: 'escalation_policy.changed',
        target: 'escalation_policy/2',
        actor: 'p-admin',
      }),
    ).toBe(1);
  });

  it('a bad duration is a 400 naming its field, and nothing changes', async () => {
    const body = scaled();
    body.levels.orange.onSiteAfter = '12 hours';
    const res = await call(stack.baseUrl, admin, 'PUT', '/api/v1/policies/escalation', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'levels.orange.onSiteAfter', error: expect.stringContaining('ISO-8601') });
    expect((await call(stack.baseUrl, admin, 'GET', '/api/v1/policies/escalation')).body.version).toBe(2);
  });

  it('a recipient role that does not exist is a 400 naming its field', async () => {
    const body = scaled();
    body.levels.red.pushTo = ['district_emergency_bureau', 'mayor'];
    const res = await call(stack.baseUrl, admin, 'PUT', '/api/v1/policies/escalation', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      field: 'levels.red.pushTo.1',
      error: expect.stringContaining('"mayor" is not a role'),
    });
  });

  it('a missing level is a 400 naming it', async () => {
    const body = scaled();
    delete body.levels.yellow;
    const res = await call(stack.baseUrl, admin, 'PUT', '/api/v1/policies/escalation', body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('levels.yellow');
  });

  it('only an administrator may change it; without a token it is 401', async () => {
    expect((await call(stack.baseUrl, regulator, 'PUT', '/api/v1/policies/escalation', scaled())).status).toBe(403);
    expect((await call(stack.baseUrl, undefined, 'GET', '/api/v1/policies/escalation')).status).toBe(401);
  });
});
