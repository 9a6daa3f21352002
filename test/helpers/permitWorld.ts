/** A complete e-permit for tests: every checklist item confirmed, the signers of its rule named `u-<role>`. */
import { DEFAULT_PERMIT_POLICY, PermitApplication, SAFETY_MEASURES, managedLevel, ruleOf } from '../../domain/permits';

export function permitApplication(
  over: Partial<PermitApplication> = {},
  startMs = Date.parse('2026-03-02T01:00:00.000Z'),
): PermitApplication {
  const type = over.type ?? 'hot_work';
  const level = over.level ?? 'level1';
  const rule = ruleOf(DEFAULT_PERMIT_POLICY, type, managedLevel(type, level, over.upgradeReasons ?? []))!;
  return {
    enterpriseId: 'ent-1',
    type,
    level,
    upgradeReasons: [],
    place: '罐区 T-101',
    content: '更换进料阀',
    validFrom: new Date(startMs).toISOString(),
    validTo: new Date(startMs + 6 * 3600_000).toISOString(),
    hazards: ['可燃气体泄漏'],
    measures: SAFETY_MEASURES[type].map((item) => ({ item, applies: true, confirmedBy: '李工' })),
    gasAnalyses: [],
    workers: [{ name: '王焊工', certificateNo: 'T1201-0001' }],
    guardian: { name: '赵监护', userId: 'u-guard' },
    signers: rule.signOff.value.map((role) => ({ role, userId: `u-${role}`, name: role })),
    appliedBy: 'u-applicant',
    ...over,
  };
}
