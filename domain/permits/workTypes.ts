/**
 * The eight special-work types of seed 002 附件2 二(四) (GB 30871-2022 第5至12章), their levels and the
 * sign-off roles of an e-permit. Stable words: stored and exposed in the API.
 */

export const WORK_TYPES = [
  'hot_work',
  'confined_space',
  'blind_plate',
  'work_at_height',
  'lifting',
  'temporary_power',
  'excavation',
  'road_breaking',
] as const;
export type WorkType = (typeof WORK_TYPES)[number];

export const WORK_TYPE_ZH: Record<WorkType, string> = {
  hot_work: '动火作业',
  confined_space: '受限空间作业',
  blind_plate: '盲板抽堵作业',
  work_at_height: '高处作业',
  lifting: '吊装作业',
  temporary_power: '临时用电作业',
  excavation: '动土作业',
  road_breaking: '断路作业',
};

/**
 * Levels by type: hot work special / 1 / 2 (第5章), work at height I–IV (第8章), lifting 1–3 (第9章);
 * the other types have one level, `single`.
 */
export const PERMIT_LEVELS = [
  'special',
  'level1',
  'level2',
  'level3',
  'height_I',
  'height_II',
  'height_III',
  'height_IV',
  'single',
] as const;
export type PermitLevel = (typeof PERMIT_LEVELS)[number];

export const LEVELS_OF: Record<WorkType, readonly PermitLevel[]> = {
  hot_work: ['special', 'level1', 'level2'],
  confined_space: ['single'],
  blind_plate: ['single'],
  work_at_height: ['height_I', 'height_II', 'height_III', 'height_IV'],
  lifting: ['level1', 'level2', 'level3'],
  temporary_power: ['single'],
  excavation: ['single'],
  road_breaking: ['single'],
};

export const PERMIT_LEVEL_ZH: Record<PermitLevel, string> = {
  special: '特级',
  level1: '一级',
  level2: '二级',
  level3: '三级',
  height_I: 'Ⅰ级',
  height_II: 'Ⅱ级',
  height_III: 'Ⅲ级',
  height_IV: 'Ⅳ级',
  single: '',
};

/** The people who sign an e-permit, as named on its form (附录A). Not platform roles: enterprise staff. */
export const SIGN_OFF_ROLES = ['work_leader', 'unit', 'safety_dept', 'executive', 'shift_leader'] as const;
export type SignOffRole = (typeof SIGN_OFF_ROLES)[number];

export const SIGN_OFF_ROLE_ZH: Record<SignOffRole, string> = {
  work_leader: '作业负责人',
  unit: '所在单位（基层单位）',
  safety_dept: '安全管理部门',
  executive: '主管领导（动火审批人）',
  shift_leader: '岗位当班班长（动火前验票）',
};

/** Why hot work is managed one level up (第5章 作业分级). */
export const UPGRADE_REASONS = ['holiday', 'rest_day', 'night', 'special_condition'] as const;
export type UpgradeReason = (typeof UPGRADE_REASONS)[number];
export const UPGRADE_REASON_ZH: Record<UpgradeReason, string> = {
  holiday: '节假日',
  rest_day: '公休日',
  night: '夜间',
  special_condition: '其他特殊情况',
};

export function isWorkType(v: unknown): v is WorkType {
  return typeof v === 'string' && (WORK_TYPES as readonly string[]).includes(v);
}
export function isPermitLevel(v: unknown): v is PermitLevel {
  return typeof v === 'string' && (PERMIT_LEVELS as readonly string[]).includes(v);
}
export function isSignOffRole(v: unknown): v is SignOffRole {
  return typeof v === 'string' && (SIGN_OFF_ROLES as readonly string[]).includes(v);
}

/**
 * The level a hot-work permit is managed at: one up from the level its place gives when any upgrade
 * reason applies (level 2 → level 1 → special; special stays special). Other types are not upgraded.
 */
export function managedLevel(type: WorkType, level: PermitLevel, reasons: readonly UpgradeReason[]): PermitLevel {
  if (type !== 'hot_work' || reasons.length === 0) return level;
  return level === 'level2' ? 'level1' : 'special';
}
