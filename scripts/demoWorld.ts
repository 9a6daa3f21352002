/**
 * The demo world seeded on the first run (and by `node dist/scripts/seed.js`): one city, two
 * districts with functional zones and streets, an agency for every role, thirty enterprises across
 * industries with devices, indicators and video channels, users for each role, and a data-interface
 * key per enterprise. Deterministic (no randomness), so two machines show the same demo.
 * Seeds only an empty database: a second run changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { usccCheckChar, Industry, DustType, EnterpriseSize } from '../domain/masterData';
import type { Level } from '../domain/cases';
import { CATALOGUE_VERSION } from '../domain/indicators';
import { generateDataKey } from '../lib/dataKeys';
import { hashPassword } from '../lib/passwords';
import type { Models } from '../models';
import type { IndicatorDoc } from '../models/masterData';

export const DEMO_PASSWORD = 'warnflow-demo-2026';

export interface DemoUser {
  username: string;
  role: string;
  of: string;
}
export interface DemoWorldResult {
  seeded: boolean;
  users: DemoUser[];
  keys: { enterpriseId: string; key: string }[];
}

const CITY = { _id: 'sz', name: '示范市', nameEn: 'Demo City' };
const DISTRICTS = [
  {
    _id: 'sz-east',
    name: '东湖区',
    nameEn: 'Donghu District',
    zones: [
      { _id: 'sz-east-hitech', name: '东湖高新技术产业园', kind: 'zone' as const },
      { _id: 'sz-east-port', name: '东港物流园', kind: 'zone' as const },
      { _id: 'sz-east-jy', name: '锦云街道', kind: 'street' as const },
    ],
  },
  {
    _id: 'sz-west',
    name: '西山区',
    nameEn: 'Xishan District',
    zones: [
      { _id: 'sz-west-chem', name: '西山化工园区', kind: 'zone' as const },
      { _id: 'sz-west-metal', name: '西山金属制品园', kind: 'zone' as const },
      { _id: 'sz-west-qf', name: '青峰街道', kind: 'street' as const },
    ],
  },
];

/** Industry groups each district regulator covers (行业监管部门 per industry). */
const REGULATOR_GROUPS: { suffix: string; name: string; industries: Industry[] }[] = [
  { suffix: 'industry', name: '工业和信息化局', industries: ['dust_explosion', 'steel', 'aluminium_casting'] },
  { suffix: 'chem', name: '危险化学品监管科', industries: ['hazardous_chemicals', 'pipeline'] },
  { suffix: 'construction', name: '住房和建设局', industries: ['construction', 'fire_safety', 'other'] },
];

const ind = (
  code: string,
  name: string,
  kind: IndicatorDoc['kind'],
  unit: string,
  t: Partial<IndicatorDoc>,
): IndicatorDoc => ({ code, name, kind, unit, intervalSec: 300, ...t });

/** Indicators per kind of device, with thresholds a safety engineer would recognise. */
const DEVICE_KINDS: Record<string, { name: string; system?: string; indicators: IndicatorDoc[] }> = {
  dust_collector: {
    name: '布袋除尘器',
    system: '1号除尘系统',
    indicators: [
      ind('dp', '除尘器压差', 'differential_pressure', 'Pa', {
        normalMin: 300,
        normalMax: 1200,
        alarmLow: 200,
        alarmHigh: 1500,
        alarmLowLow: 100,
        alarmHighHigh: 1800,
        rangeMin: 0,
        rangeMax: 5000,
      }),
      ind('temp', '灰斗温度', 'temperature', '℃', {
        normalMax: 60,
        alarmHigh: 70,
        alarmHighHigh: 85,
        rangeMin: -20,
        rangeMax: 200,
      }),
      ind('spark', '火花探测', 'spark', '次/分', {
        normalMax: 0,
        alarmHigh: 1,
        alarmHighHigh: 3,
        rangeMin: 0,
        rangeMax: 100,
      }),
      // A fault status, picked from the dust-explosion catalogue (001 附件 二（一）1 锁气卸灰故障信号).
      ind('lock_fault', '锁气卸灰故障信号', 'fault', '', {
        catalogueCode: 'dust.lock_air_unloading_fault',
        catalogueVersion: CATALOGUE_VERSION,
      }),
    ],
  },
  gas_detector: {
    name: '可燃气体探测器',
    indicators: [
      ind('lel', '可燃气体浓度', 'gas', '%LEL', {
        normalMax: 10,
        alarmHigh: 25,
        alarmHighHigh: 50,
        rangeMin: 0,
        rangeMax: 100,
      }),
      ind('co', '一氧化碳浓度', 'concentration', 'ppm', {
        normalMax: 24,
        alarmHigh: 24,
        alarmHighHigh: 100,
        rangeMin: 0,
        rangeMax: 1000,
      }),
    ],
  },
  tank: {
    name: '储罐监测',
    indicators: [
      ind('level', '储罐液位', 'level', '%', {
        normalMin: 10,
        normalMax: 80,
        alarmLow: 5,
        alarmHigh: 85,
        alarmLowLow: 2,
        alarmHighHigh: 90,
        rangeMin: 0,
        rangeMax: 100,
      }),
      ind('press', '储罐压力', 'pressure', 'MPa', {
        normalMax: 0.8,
        alarmHigh: 1.0,
        alarmHighHigh: 1.2,
        rangeMin: 0,
        rangeMax: 2.5,
      }),
    ],
  },
  casting: {
    name: '深井铸造冷却水系统',
    indicators: [
      ind('flow', '冷却水流量', 'flow', 'm³/h', {
        normalMin: 120,
        alarmLow: 100,
        alarmLowLow: 80,
        rangeMin: 0,
        rangeMax: 400,
      }),
      ind('wtemp', '冷却水温度', 'temperature', '℃', {
        normalMax: 35,
        alarmHigh: 40,
        alarmHighHigh: 45,
        rangeMin: 0,
        rangeMax: 100,
      }),
    ],
  },
};

const INDUSTRY_DEVICES: Record<Industry, string[]> = {
  dust_explosion: ['dust_collector', 'dust_collector'],
  hazardous_chemicals: ['tank', 'gas_detector'],
  steel: ['gas_detector', 'dust_collector'],
  aluminium_casting: ['casting', 'dust_collector'],
  fire_safety: ['gas_detector'],
  construction: ['gas_detector'],
  pipeline: ['gas_detector', 'tank'],
  other: ['gas_detector'],
};

const NAMES: { name: string; industry: Industry; dustType?: DustType }[] = [
  { name: '东湖精密铝制品有限公司', industry: 'dust_explosion', dustType: 'metal' },
  { name: '锦云木业家具有限公司', industry: 'dust_explosion', dustType: 'wood' },
  { name: '东港粮油加工有限公司', industry: 'dust_explosion', dustType: 'grain' },
  { name: '高新纸业包装有限公司', industry: 'dust_explosion', dustType: 'paper' },
  { name: '东湖食品淀粉有限公司', industry: 'dust_explosion', dustType: 'food' },
  { name: '西山镁合金压铸有限公司', industry: 'dust_explosion', dustType: 'metal' },
  { name: '青峰纺织印染有限公司', industry: 'dust_explosion', dustType: 'textile' },
  { name: '西山塑胶制品有限公司', industry: 'dust_explosion', dustType: 'plastic' },
  { name: '金属制品园抛光有限公司', industry: 'dust_explosion', dustType: 'metal' },
  { name: '东港饲料有限公司', industry: 'dust_explosion', dustType: 'grain' },
  { name: '西山石化储运有限公司', industry: 'hazardous_chemicals' },
  { name: '化工园区氯碱有限公司', industry: 'hazardous_chemicals' },
  { name: '西山精细化工有限公司', industry: 'hazardous_chemicals' },
  { name: '东港液化气储配站', industry: 'hazardous_chemicals' },
  { name: '化工园区涂料有限公司', industry: 'hazardous_chemicals' },
  { name: '西山特钢有限公司', industry: 'steel' },
  { name: '东湖轧钢有限公司', industry: 'steel' },
  { name: '金属制品园铸管有限公司', industry: 'steel' },
  { name: '西山铝业深井铸造有限公司', industry: 'aluminium_casting' },
  { name: '东湖铝型材有限公司', industry: 'aluminium_casting' },
  { name: '高新区国际会展中心', industry: 'fire_safety' },
  { name: '锦云购物广场', industry: 'fire_safety' },
  { name: '青峰人民医院', industry: 'fire_safety' },
  { name: '东湖地铁三号线项目部', industry: 'construction' },
  { name: '西山安置房二期项目部', industry: 'construction' },
  { name: '高新区数据中心项目部', industry: 'construction' },
  { name: '城市燃气西山输配管网', industry: 'pipeline' },
  { name: '东港成品油管道站', industry: 'pipeline' },
  { name: '锦云印刷有限公司', industry: 'other' },
  { name: '青峰汽车维修有限公司', industry: 'other' },
];

const SIZES: EnterpriseSize[] = ['large', 'medium', 'small', 'micro'];
const RISKS: Level[] = ['blue', 'yellow', 'orange', 'red'];

/** A valid unified social credit code from a sequence number (fixed registration authority and area). */
export function demoUscc(n: number): string {
  const first17 = `91${'440300'}${String(n).padStart(9, '0')}`;
  return first17 + usccCheckChar(first17);
}

export async function seedDemoWorld(models: Models, opts: { keysFile?: string } = {}): Promise<DemoWorldResult> {
  if (await models.Enterprise.exists({})) return { seeded: false, users: [], keys: [] };
  const now = new Date();
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  // Regions: city → district → zone / street, each with its path for jurisdiction filters.
  const regions: Record<string, unknown>[] = [{ ...CITY, kind: 'city', path: [CITY._id] }];
  for (const d of DISTRICTS) {
    regions.push({
      _id: d._id,
      name: d.name,
      nameEn: d.nameEn,
      kind: 'district',
      parentId: CITY._id,
      path: [CITY._id, d._id],
    });
    for (const z of d.zones)
      regions.push({ _id: z._id, name: z.name, kind: z.kind, parentId: d._id, path: [CITY._id, d._id, z._id] });
  }
  await models.Region.insertMany(regions);

  // Agencies by role: the ladder names roles, never people.
  const agencies: Record<string, unknown>[] = [
    {
      _id: 'sz-municipal',
      name: '示范市应急管理局',
      role: 'municipal_bureau',
      regionId: CITY._id,
      industries: [],
      emails: ['yjj@sz.gov.example'],
    },
  ];
  for (const d of DISTRICTS) {
    agencies.push({
      _id: `${d._id}-emergency`,
      name: `${d.name}应急管理局`,
      role: 'district_emergency_bureau',
      regionId: d._id,
      industries: [],
      emails: [`yjj@${d._id}.gov.example`],
    });
    for (const g of REGULATOR_GROUPS) {
      agencies.push({
        _id: `${d._id}-${g.suffix}`,
        name: `${d.name}${g.name}`,
        role: 'district_industry_regulator',
        regionId: d._id,
        industries: g.industries,
        emails: [`${g.suffix}@${d._id}.gov.example`],
      });
    }
    for (const z of d.zones) {
      agencies.push({
        _id: `${z._id}-safety`,
        name: `${z.name}安全管理部门`,
        role: 'zone_safety_dept',
        regionId: z._id,
        industries: [],
        emails: [`safety@${z._id}.gov.example`],
      });
    }
  }
  await models.Agency.insertMany(agencies);

  const zones = DISTRICTS.flatMap((d) => d.zones.map((z) => ({ ...z, path: [CITY._id, d._id, z._id] })));
  const enterprises: Record<string, unknown>[] = [];
  const devices: Record<string, unknown>[] = [];
  const channels: Record<string, unknown>[] = [];
  const keyDocs: Record<string, unknown>[] = [];
  const keys: { enterpriseId: string; key: string }[] = [];
  NAMES.forEach((e, i) => {
    const n = i + 1;
    const id = `ent-${String(n).padStart(3, '0')}`;
    // Chemical plants in the chemical park, metal works in the metal park, the rest spread round.
    const zone =
      e.industry === 'hazardous_chemicals'
        ? zones[3]
        : e.industry === 'steel' || e.industry === 'aluminium_casting'
          ? zones[4]
          : zones[i % zones.length];
    enterprises.push({
      _id: id,
      name: e.name,
      uscc: demoUscc(n),
      regionId: zone._id,
      regionPath: zone.path,
      industry: e.industry,
      dustType: e.dustType,
      dustWorkers: e.dustType ? 10 + ((n * 7) % 60) : 0,
      size: SIZES[n % SIZES.length],
      inherentRisk: RISKS[n % RISKS.length],
      address: `${zone.name}${n}号`,
      contacts: [
        {
          name: `安全负责人${n}`,
          title: '安全负责人',
          phone: `1380000${String(n).padStart(4, '0')}`,
          email: `safety@${id}.example`,
        },
      ],
      hqEmail: `hq@${id}.example`,
      shouldConnect: true,
      connected: true,
      createdAt: now,
    });
    INDUSTRY_DEVICES[e.industry].forEach((kind, d) => {
      const spec = DEVICE_KINDS[kind];
      devices.push({
        _id: `${id}-${kind}-${d + 1}`,
        enterpriseId: id,
        name: `${spec.name}${d + 1}号`,
        kind,
        system: spec.system,
        status: 'active',
        indicators: spec.indicators,
        createdAt: now,
      });
    });
    channels.push({
      _id: `${id}-cam-1`,
      enterpriseId: id,
      name: '厂区主出入口',
      location: '大门',
      intervalSec: 300,
      createdAt: now,
    });
    const k = generateDataKey();
    keyDocs.push({
      _id: k.keyId,
      enterpriseId: id,
      secretHash: k.secretHash,
      label: 'demo',
      createdAt: now,
      createdBy: 'seed',
    });
    keys.push({ enterpriseId: id, key: k.key });
  });
  await models.Enterprise.insertMany(enterprises);
  await models.Device.insertMany(devices);
  await models.VideoChannel.insertMany(channels);
  await models.DataKey.insertMany(keyDocs);

  // Users: a regulator per zone safety department and per district regulator, one per enterprise.
  const users: DemoUser[] = [];
  const userDocs: Record<string, unknown>[] = [];
  for (const a of agencies) {
    const username = `reg-${String(a._id).replace(/^sz-/, '')}`;
    users.push({ username, role: 'regulator', of: String(a.name) });
    userDocs.push({
      _id: username,
      displayName: `${String(a.name)}工作人员`,
      email: (a.emails as string[])[0],
      role: 'regulator',
      agencyId: a._id,
      passwordHash,
      active: true,
      createdAt: now,
    });
  }
  for (const e of enterprises) {
    const username = `ent-user-${String(e._id).slice(4)}`;
    users.push({ username, role: 'enterprise', of: String(e.name) });
    userDocs.push({
      _id: username,
      displayName: `${String(e.name)}安全员`,
      email: `safety@${String(e._id)}.example`,
      role: 'enterprise',
      enterpriseId: e._id,
      passwordHash,
      active: true,
      createdAt: now,
    });
  }
  await models.User.insertMany(userDocs);

  if (opts.keysFile) {
    fs.mkdirSync(path.dirname(opts.keysFile), { recursive: true });
    fs.writeFileSync(opts.keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  return { seeded: true, users, keys };
}
