/** Report rules over HTTP: the shipped thresholds, an administrator's new version, refusals naming the field. */
import { DEFAULT_REPORT_RULES } from '../../domain/reports/rules';
import { startStack, Stack } from '../helpers/stack';
import { seedRegions } from '../helpers/monitoringWorld';
import { call, userToken } from '../helpers/warningWorld';

let stack: Stack;
let admin: string;
let regulator: string;
beforeAll(async () => {
  stack = await startStack({ web: true });
  await seedRegions(stack.models, 'rr');
  admin = await userToken(stack.models, stack.baseUrl, 'rr-admin', 'admin');
  regulator = await userToken(stack.models, stack.baseUrl, 'rr-regulator', 'regulator', {
    agencyId: 'rr-district-dust',
  });
});
afterAll(async () => {
  await stack?.stop();
});

const { version: _v, ...defaults } = DEFAULT_REPORT_RULES;

describe('the report rules', () => {
  it('without a stored version, serve the shipped thresholds of seed 002 (5 % offline, 2 and 5 days)', async () => {
    const res = await call(stack.baseUrl, regulator, 'GET', '/api/v1/policies/report-rules');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEFAULT_REPORT_RULES);
  });

  it('an administrator PUT makes version 2, audited; a regulator may not', async () => {
    const next = { ...defaults, weekly: { offlineRatePercent: 3, interviewOfflineDays: 1 } };
    const res = await call(stack.baseUrl, admin, 'PUT', '/api/v1/policies/report-rules', next);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 2, weekly: { offlineRatePercent: 3 } });
    expect((await call(stack.baseUrl, regulator, 'GET', '/api/v1/policies/report-rules')).body).toEqual(res.body);
    expect(
      await stack.models.AuditEntry.countDocuments({
        action: 'report_rules.changed',
        target: 'report_rules/2',
        actor: 'rr-admin',
      }),
    ).toBe(1);
    expect((await call(stack.baseUrl, regulator, 'PUT', '/api/v1/policies/report-rules', next)).status).toBe(403);
  });

  it('a bad threshold is refused with 400 naming the field, and nothing is stored', async () => {
    const bad = { ...defaults, monthly: { ...defaults.monthly, keyTargets: { levels: ['purple'], frequentCount: 3 } } };
    const res = await call(stack.baseUrl, admin, 'PUT', '/api/v1/policies/report-rules', bad);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('monthly.keyTargets.levels.0');
    expect(await stack.models.ReportRules.countDocuments({})).toBe(1);
  });
});
