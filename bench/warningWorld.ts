/**
 * The district a risk-warning benchmark opens warnings in: a city, a district and a zone with the three
 * agencies of the red ladder (each with a mail address), and `n` dust enterprises `b-ent-<i>` with a contact
 * mail (bench/warnings.ts, bench/openingCounts.ts).
 */
import type { Models } from '../models';

export async function seedWarningDistrict(models: Models, n: number): Promise<void> {
  await models.Region.create([
    { _id: 'b-city', name: '市', kind: 'city', path: ['b-city'] },
    { _id: 'b-district', name: '区', kind: 'district', parentId: 'b-city', path: ['b-city', 'b-district'] },
    { _id: 'b-zone', name: '功能区', kind: 'zone', parentId: 'b-district', path: ['b-city', 'b-district', 'b-zone'] },
  ]);
  await models.Agency.create([
    {
      _id: 'b-zone-safety',
      name: '功能区安全管理部门',
      role: 'zone_safety_dept',
      regionId: 'b-zone',
      industries: [],
      emails: ['zone@gov.example'],
    },
    {
      _id: 'b-district-dust',
      name: '区行业监管部门',
      role: 'district_industry_regulator',
      regionId: 'b-district',
      industries: [],
      emails: ['industry@gov.example'],
    },
    {
      _id: 'b-emergency',
      name: '区应急管理局',
      role: 'district_emergency_bureau',
      regionId: 'b-district',
      industries: [],
      emails: ['emergency@gov.example'],
    },
  ]);
  for (let i = 0; i < n; i += 1000) {
    await models.Enterprise.insertMany(
      Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
        _id: `b-ent-${i + k}`,
        name: `企业${i + k}`,
        uscc: `B${String(i + k).padStart(17, '0')}`,
        regionId: 'b-zone',
        regionPath: ['b-city', 'b-district', 'b-zone'],
        industry: 'dust_explosion',
        dustType: 'metal',
        dustWorkers: 10,
        size: 'small',
        inherentRisk: 'yellow',
        contacts: [{ name: '安全负责人', email: `s${i + k}@ent.example` }],
        createdAt: new Date(),
      })),
      { ordered: false },
    );
  }
}
