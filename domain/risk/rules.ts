/**
 * The risk model's rules (风险指数规则) as versioned data, per industry group: each factor's weight and
 * saturation point, the score → level bands, the scales of the inherent-risk tables, the statistics window
 * and the damping hold time. An administrator edits them (a new version applies to the next computation;
 * each computation records the version it used).
 *
 * The seeds ask for such a model but give no weights, bands or hold time (003 五: weights are set by expert
 * analysis): every number in DEFAULT_RISK_RULES is warnflow's default, to be set by the administrator —
 * except the two figures listed in SEED_GIVEN_FIGURES, which come from a seed. Pure.
 */
import type { Level } from '../cases';
import type { SeedCitation } from '../indicators/sources';
import type { DustType, EnterpriseSize, Industry } from '../masterData';
import type { FactorId } from './factors';

/** Industries with rules of their own; every other industry is scored with the `other` group's rules. */
export const RULE_GROUPS = ['dust_explosion', 'hazardous_chemicals', 'steel', 'aluminium_casting', 'other'] as const;
export type RuleGroup = (typeof RULE_GROUPS)[number];

export function ruleGroupOf(industry: Industry): RuleGroup {
  return (RULE_GROUPS as readonly string[]).includes(industry) ? (industry as RuleGroup) : 'other';
}

export interface FactorRule {
  /** Points of the 100-point index this factor can add (0 leaves it out). */
  weight: number;
  /** `count` and `offline_share` factors: the figure at which the factor counts in full. */
  saturateAt?: number;
}

/**
 * The lowest score of each warning level. Below `blue` the enterprise is in the normal range 正常范围 (001 附件
 * 二（一）2): no warning. blue < yellow < orange < red, each in (0, 100].
 */
export type RiskBands = Record<Level, number>;

export interface GroupRules {
  factors: Record<FactorId, FactorRule>;
  bands: RiskBands;
}

export interface RiskScales {
  /** The declared inherent grade's share of its weight. */
  declaredGrade: Record<Level, number>;
  dustType: Record<DustType, number>;
  size: Record<EnterpriseSize, number>;
}

export interface RiskRules {
  version: number;
  /** The statistics window of the alarm and site figures (ISO-8601), e.g. alarms raised in the last P7D. */
  window: string;
  /** A level must hold this long (ISO-8601) before it raises, upgrades, downgrades or clears a warning. */
  damping: { holdFor: string };
  scales: RiskScales;
  groups: Record<RuleGroup, GroupRules>;
}

/** Factors read as `count` or `offline_share`: they need a saturation point. */
export const SATURATING_FACTORS: readonly FactorId[] = [
  'dust_headcount',
  'open_alarms',
  'alarm_count',
  'alarm_duration',
  'overdue_disposals',
  'device_online_rate',
  'open_rectifications',
  'overdue_cases',
  'expired_permits',
];

/** The only default figures a seed gives; everything else in DEFAULT_RISK_RULES is warnflow's default. */
export const SEED_GIVEN_FIGURES: {
  factor: FactorId;
  field: 'saturateAt';
  value: number;
  meaning: { zh: string; en: string };
  source: SeedCitation;
}[] = [
  {
    factor: 'dust_headcount',
    field: 'saturateAt',
    value: 30,
    meaning: {
      zh: '涉粉作业30人以上为重点企业，按满分计',
      en: '30 or more people in dust work is a key enterprise: the factor counts in full',
    },
    source: { seed: '001', clause: '一', marker: '一、工作目标', quote: '涉粉作业30人以上金属粉尘、木粉尘企业' },
  },
  {
    factor: 'device_online_rate',
    field: 'saturateAt',
    value: 0.05,
    meaning: {
      zh: '离线率高于5%即发警示通报，按满分计',
      en: 'an offline rate above 5 % draws a warning notice: the factor counts in full',
    },
    source: { seed: '002', clause: '第二十九条', marker: '第二十九条', quote: '日均数据和视频离线率高于5%的企业' },
  },
];

/** warnflow defaults: the same saturation points for every group (the two seed figures above included). */
const SATURATION: Partial<Record<FactorId, number>> = {
  dust_headcount: 30,
  open_alarms: 3,
  alarm_count: 10,
  alarm_duration: 24,
  overdue_disposals: 3,
  device_online_rate: 0.05,
  open_rectifications: 3,
  overdue_cases: 3,
  expired_permits: 2,
};

function group(weights: Record<FactorId, number>): GroupRules {
  const factors = {} as Record<FactorId, FactorRule>;
  for (const [id, weight] of Object.entries(weights) as [FactorId, number][]) {
    const saturateAt = SATURATION[id];
    factors[id] = saturateAt === undefined ? { weight } : { weight, saturateAt };
  }
  // warnflow default bands (the seeds give none): below 25 normal, 25 blue, 45 yellow, 65 orange, 80 red.
  return { factors, bands: { blue: 25, yellow: 45, orange: 65, red: 80 } };
}

/**
 * warnflow's default rules (version 1). Weights add up to 100 per group: inherent risk / alarms / devices /
 * site management share 30/35/10/25 for dust (cleaning check-ins weigh most on site: 001 二（三）), 25/40/10/25
 * for hazardous chemicals, steel and aluminium casting (special-work permits count for chemicals and metals),
 * 30/35/15/20 for other industries. None of these figures is from a seed.
 */
export const DEFAULT_RISK_RULES: RiskRules = {
  version: 1,
  window: 'P7D',
  damping: { holdFor: 'PT30M' },
  scales: {
    declaredGrade: { red: 1, orange: 0.75, yellow: 0.5, blue: 0.25 },
    // 001 一 names metal and wood dust first (the priority enterprises); the other types share a lower default.
    dustType: {
      metal: 1,
      wood: 1,
      grain: 0.6,
      food: 0.6,
      paper: 0.6,
      textile: 0.6,
      plastic: 0.6,
      rubber: 0.6,
      other: 0.6,
    },
    size: { large: 1, medium: 0.75, small: 0.5, micro: 0.25 },
  },
  groups: {
    dust_explosion: group({
      declared_grade: 10,
      dust_type: 8,
      dust_headcount: 7,
      size: 5,
      open_alarms: 10,
      alarm_count: 8,
      alarm_duration: 7,
      overdue_disposals: 10,
      device_online_rate: 10,
      cleaning_shortfall: 12,
      open_rectifications: 5,
      overdue_cases: 8,
      expired_permits: 0,
    }),
    hazardous_chemicals: group({
      declared_grade: 15,
      dust_type: 0,
      dust_headcount: 0,
      size: 10,
      open_alarms: 12,
      alarm_count: 8,
      alarm_duration: 8,
      overdue_disposals: 12,
      device_online_rate: 10,
      cleaning_shortfall: 0,
      open_rectifications: 8,
      overdue_cases: 9,
      expired_permits: 8,
    }),
    steel: group({
      declared_grade: 15,
      dust_type: 0,
      dust_headcount: 0,
      size: 10,
      open_alarms: 12,
      alarm_count: 8,
      alarm_duration: 8,
      overdue_disposals: 12,
      device_online_rate: 10,
      cleaning_shortfall: 0,
      open_rectifications: 10,
      overdue_cases: 10,
      expired_permits: 5,
    }),
    aluminium_casting: group({
      declared_grade: 15,
      dust_type: 0,
      dust_headcount: 0,
      size: 10,
      open_alarms: 12,
      alarm_count: 8,
      alarm_duration: 8,
      overdue_disposals: 12,
      device_online_rate: 10,
      cleaning_shortfall: 0,
      open_rectifications: 10,
      overdue_cases: 10,
      expired_permits: 5,
    }),
    other: group({
      declared_grade: 20,
      dust_type: 0,
      dust_headcount: 0,
      size: 10,
      open_alarms: 10,
      alarm_count: 8,
      alarm_duration: 7,
      overdue_disposals: 10,
      device_online_rate: 15,
      cleaning_shortfall: 0,
      open_rectifications: 10,
      overdue_cases: 10,
      expired_permits: 0,
    }),
  },
};
