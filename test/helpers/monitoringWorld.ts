/** A small monitoring world for integration tests and the benchmark: a region tree, its agencies, enterprises with devices, data keys and users. */
import { generateDataKey } from '../../lib/dataKeys';
import { hashPassword } from '../../lib/passwords';
import { tokenFor } from './warningWorld';
import type { Models } from '../../models';
import type { IndicatorDoc } from '../../models/masterData';

export const dpIndicator: IndicatorDoc = {
  code: 'dp',
  name: '压差',
  kind: 'differential_pressure',
  unit: 'Pa',
  alarmLow: 100,
  alarmHigh: 1000,
  alarmHighHigh: 1500,
  rangeMin: 0,
  rangeMax: 5000,
  intervalSec: 300,
};

export async function seedRegions(models: Models, tag: string): Promise<void> {
  await models.Region.create([
    { _id: `${tag}-city`, name: '市', kind: 'city', path: [`${tag}-city`] },
    {
      _id: `${tag}-district`,
      name: '区',
      kind: 'district',
      parentId: `${tag}-city`,
      path: [`${tag}-city`, `${tag}-district`],
    },
    {
      _id: `${tag}-zone`,
      name: '功能区',
      kind: 'zone',
      parentId: `${tag}-district`,
      path: [`${tag}-city`, `${tag}-district`, `${tag}-zone`],
    },
  ]);
  await models.Agency.create([
    {
      _id: `${tag}-zone-safety`,
      name: '功能区安全管理部门',
      role: 'zone_safety_dept',
      regionId: `${tag}-zone`,
      industries: [],
      emails: [`zone-${tag}@gov.example`],
    },
    {
      _id: `${tag}-district-dust`,
      name: '区行业监管部门',
      role: 'district_industry_regulator',
      regionId: `${tag}-district`,
      industries: ['dust_explosion'],
      emails: [`industry-${tag}@gov.example`],
    },
    {
      _id: `${tag}-district-emergency`,
      name: '区应急管理局',
      role: 'district_emergency_bureau',
      regionId: `${tag}-district`,
      industries: [],
      emails: [`emergency-${tag}@gov.example`],
    },
  ]);
}

export interface SeededEnterprise {
  enterpriseId: string;
  key: string;
  email: string;
  devices: string[];
}

/** One enterprise with `devices` devices, each with the given indicators, and a data-interface key. */
export async function seedEnterprise(
  models: Models,
  tag: string,
  n: number,
  opts: { devices?: number; indicators?: IndicatorDoc[] } = {},
): Promise<SeededEnterprise> {
  const enterpriseId = `${tag}-ent-${n}`;
  const email = `safety-${enterpriseId}@ent.example`;
  await models.Enterprise.create({
    _id: enterpriseId,
    name: `测试企业${n}`,
    uscc: `${tag}-${n}`.padEnd(18, '0').slice(0, 18),
    regionId: `${tag}-zone`,
    regionPath: [`${tag}-city`, `${tag}-district`, `${tag}-zone`],
    industry: 'dust_explosion',
    dustType: 'metal',
    dustWorkers: 20,
    size: 'small',
    inherentRisk: 'yellow',
    contacts: [{ name: '安全负责人', email }],
    createdAt: new Date(),
  });
  const devices: string[] = [];
  const docs = [];
  for (let d = 0; d < (opts.devices ?? 1); d++) {
    const code = `${enterpriseId}-D${d}`;
    devices.push(code);
    docs.push({
      _id: code,
      enterpriseId,
      name: `除尘器${d}`,
      kind: 'dust_collector_sensor',
      status: 'active',
      indicators: opts.indicators ?? [dpIndicator],
      createdAt: new Date(),
    });
  }
  await models.Device.insertMany(docs);
  const k = generateDataKey();
  await models.DataKey.create({
    _id: k.keyId,
    enterpriseId,
    secretHash: k.secretHash,
    createdAt: new Date(),
    createdBy: 'test',
  });
  return { enterpriseId, key: k.key, email, devices };
}

/** An enterprise user and its bearer token (through the real token endpoint). */
export async function enterpriseUserToken(models: Models, baseUrl: string, enterpriseId: string): Promise<string> {
  const username = `user-${enterpriseId}`;
  await models.User.create({
    _id: username,
    displayName: '企业用户',
    role: 'enterprise',
    enterpriseId,
    passwordHash: await hashPassword('pw-123456'),
    active: true,
    createdAt: new Date(),
  });
  return tokenFor(baseUrl, username, 'pw-123456');
}
