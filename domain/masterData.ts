/**
 * Master-data vocabulary: regions, agencies, industries, enterprises. Pure; shared by models,
 * web validation and the workflows that resolve recipients by role.
 */

/** Region hierarchy: city → district → functional zone / street. */
export const REGION_KINDS = ['city', 'district', 'zone', 'street'] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/**
 * Agencies are named by role, never by person: the escalation ladder (seed 002, 第二十至二十三条)
 * pushes to "the district industry regulator", "the zone safety department", etc.
 */
export const AGENCY_ROLES = [
  'zone_safety_dept', // 功能区安全管理部门
  'district_industry_regulator', // 区行业监管部门 (per industry)
  'district_emergency_bureau', // 区应急管理局
  'municipal_bureau', // 市应急管理局
] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];

export const INDUSTRIES = [
  'dust_explosion', // 粉尘涉爆
  'hazardous_chemicals', // 危险化学品
  'steel', // 钢铁
  'aluminium_casting', // 铝加工（深井铸造）
  'fire_safety', // 消防重点单位
  'construction', // 建筑施工
  'pipeline', // 管道
  'other',
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const DUST_TYPES = ['metal', 'wood', 'grain', 'food', 'paper', 'textile', 'plastic', 'rubber', 'other'] as const;
export type DustType = (typeof DUST_TYPES)[number];

export const ENTERPRISE_SIZES = ['large', 'medium', 'small', 'micro'] as const;
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];

export const USER_ROLES = ['admin', 'regulator', 'enterprise'] as const;
export type UserRole = (typeof USER_ROLES)[number];

// GB 32100-2015 unified social credit code: 18 characters from this alphabet (no I, O, S, V, Z),
// the last a check character computed from the first 17 with these weights, modulo 31.
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`character "${first17[i]}" is not allowed in a unified social credit code`);
    sum += v * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Why a unified social credit code is invalid, or undefined when it is valid. */
export function usccProblem(code: string): string | undefined {
  if (typeof code !== 'string' || code.length !== 18) return 'must be 18 characters';
  const upper = code.toUpperCase();
  for (const ch of upper) if (!USCC_ALPHABET.includes(ch)) return `character "${ch}" is not allowed`;
  if (usccCheckChar(upper.slice(0, 17)) !== upper[17]) return 'check character does not match';
  return undefined;
}
