/**
 * The risk index (风险指数): an enterprise's score 0–100 from its inherent risk, its live alarms and how they
 * were handled, its devices' online rate and its site management (001 二（四）, 004 二), weighted by the rules
 * of its industry group; the score maps to a level through the group's bands. Pure and deterministic: the
 * recomputation (workflow / activity) gathers the inputs and stores the result with its rules version.
 */
import { LEVELS, type Level } from '../cases';
import type { DustType, EnterpriseSize, Industry } from '../masterData';
import { FACTORS, FACTOR_IDS, type FactorGroup, type FactorId } from './factors';
import { ruleGroupOf, type GroupRules, type RiskBands, type RiskRules, type RuleGroup } from './rules';

/** A computed level: one of the four warning levels, or `normal` (正常范围, below the blue band: no warning). */
export type RiskLevel = Level | 'normal';
export const RISK_LEVELS: readonly RiskLevel[] = [...LEVELS, 'normal'];
/** A computed level's word for people: the colour of a warning level, or 正常 (normal range). */
export const RISK_LEVEL_ZH: Record<RiskLevel, string> = {
  red: '红色',
  orange: '橙色',
  yellow: '黄色',
  blue: '蓝色',
  normal: '正常',
};

/** What the recomputation gathers for one enterprise (the alarm and site figures over the rules' window). */
export interface RiskInputs {
  industry: Industry;
  dustType?: DustType;
  /** 涉粉作业人数 */
  dustWorkers: number;
  size: EnterpriseSize;
  /** 固有风险等级, as declared (master data `inherentRisk`). */
  declaredGrade: Level;
  alarms: {
    /** Monitoring-alarm cases open now (device faults included). */
    open: number;
    /** Alarm cases opened in the window. */
    raised: number;
    /** Hours spent in alarm in the window (open cases counted up to now). */
    hoursInAlarm: number;
    /** Alarm disposals past their deadline in the window. */
    overdueDisposals: number;
  };
  /** Sensors and video channels expected to report (not suspended), and those reporting now. */
  devices: { expected: number; online: number };
  site: {
    /** Cleaning check-ins done and planned in the window (dust enterprises; 0 planned = no plan). */
    cleaningDone: number;
    cleaningPlanned: number;
    /** Rectification orders (责令整改) not yet passed on re-inspection. */
    openRectificationOrders: number;
    /** Warnings and cases past their time limit (逾期). */
    overdueCases: number;
    /** Special-work permits past their validity without acceptance. */
    expiredPermits: number;
  };
}

export interface RiskComponent {
  factor: FactorId;
  group: FactorGroup;
  weight: number;
  /** The measured figure (people, alarms, hours, online share …), or the scale key for `scale` factors. */
  measured: number | string;
  /** The factor's share of its weight, 0 … 1. */
  value: number;
  /** weight × value, points of the index. */
  contribution: number;
  howToLower: { zh: string; en: string };
}

export interface RiskIndex {
  score: number;
  level: RiskLevel;
  ruleGroup: RuleGroup;
  components: RiskComponent[];
  rulesVersion: number;
}

/** Two decimals for contributions and values, one for the score: what the pages print, reproducible by hand. */
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

const saturating = (figure: number, at: number | undefined) =>
  at && at > 0 ? Math.min(1, Math.max(0, figure) / at) : 0;

function measure(
  factor: FactorId,
  inputs: RiskInputs,
  rule: GroupRules['factors'][FactorId],
  rules: RiskRules,
): { measured: number | string; value: number } {
  const { alarms, devices, site } = inputs;
  switch (factor) {
    case 'declared_grade':
      return { measured: inputs.declaredGrade, value: rules.scales.declaredGrade[inputs.declaredGrade] ?? 0 };
    case 'dust_type':
      return inputs.dustType
        ? { measured: inputs.dustType, value: rules.scales.dustType[inputs.dustType] ?? 0 }
        : { measured: '', value: 0 };
    case 'size':
      return { measured: inputs.size, value: rules.scales.size[inputs.size] ?? 0 };
    case 'dust_headcount':
      return { measured: inputs.dustWorkers, value: saturating(inputs.dustWorkers, rule.saturateAt) };
    case 'open_alarms':
      return { measured: alarms.open, value: saturating(alarms.open, rule.saturateAt) };
    case 'alarm_count':
      return { measured: alarms.raised, value: saturating(alarms.raised, rule.saturateAt) };
    case 'alarm_duration':
      return { measured: alarms.hoursInAlarm, value: saturating(alarms.hoursInAlarm, rule.saturateAt) };
    case 'overdue_disposals':
      return { measured: alarms.overdueDisposals, value: saturating(alarms.overdueDisposals, rule.saturateAt) };
    case 'device_online_rate': {
      // Nothing expected to report (all suspended, or none registered): no offline share to weigh.
      if (devices.expected <= 0) return { measured: 1, value: 0 };
      const online = Math.min(devices.online, devices.expected) / devices.expected;
      return { measured: round(online, 4), value: saturating(1 - online, rule.saturateAt) };
    }
    case 'cleaning_shortfall': {
      if (site.cleaningPlanned <= 0) return { measured: 1, value: 0 };
      const done = Math.min(1, site.cleaningDone / site.cleaningPlanned);
      return { measured: round(done, 4), value: 1 - done };
    }
    case 'open_rectifications':
      return {
        measured: site.openRectificationOrders,
        value: saturating(site.openRectificationOrders, rule.saturateAt),
      };
    case 'overdue_cases':
      return { measured: site.overdueCases, value: saturating(site.overdueCases, rule.saturateAt) };
    case 'expired_permits':
      return { measured: site.expiredPermits, value: saturating(site.expiredPermits, rule.saturateAt) };
  }
}

/** The level a score falls in under these bands (the highest band whose minimum it reaches), else normal. */
export function levelOf(score: number, bands: RiskBands): RiskLevel {
  for (const level of LEVELS) if (score >= bands[level]) return level; // LEVELS is highest first
  return 'normal';
}

/**
 * An enterprise's index under the rules: one component per factor with a weight (zero-weight factors are left
 * out of the composition), the score Σ contributions rounded to one decimal, its level and the rules version.
 */
export function computeRiskIndex(inputs: RiskInputs, rules: RiskRules): RiskIndex {
  const ruleGroup = ruleGroupOf(inputs.industry);
  const groupRules = rules.groups[ruleGroup];
  const components: RiskComponent[] = [];
  let total = 0;
  for (const factor of FACTOR_IDS) {
    const rule = groupRules.factors[factor];
    if (!rule || rule.weight <= 0) continue;
    const { measured, value } = measure(factor, inputs, rule, rules);
    const contribution = rule.weight * value;
    total += contribution;
    components.push({
      factor,
      group: FACTORS[factor].group,
      weight: rule.weight,
      measured,
      value: round(value, 4),
      contribution: round(contribution, 2),
      howToLower: FACTORS[factor].howToLower,
    });
  }
  const score = round(total, 1);
  return { score, level: levelOf(score, groupRules.bands), ruleGroup, components, rulesVersion: rules.version };
}

/** How many of these scores each band would hold (normal included): shown before an administrator saves new bands. */
export function bandPreview(scores: readonly number[], bands: RiskBands): Record<RiskLevel, number> {
  const counts: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0, normal: 0 };
  for (const s of scores) counts[levelOf(s, bands)]++;
  return counts;
}

/**
 * Draft rules applied to every enterprise's current inputs: the count per level, per rule group and in total.
 * What the admin page shows before a new version is saved (weights change scores, bands change levels).
 */
export function previewRules(
  inputs: readonly RiskInputs[],
  rules: RiskRules,
): { total: Record<RiskLevel, number>; byGroup: Record<RuleGroup, Record<RiskLevel, number>> } {
  const empty = (): Record<RiskLevel, number> => ({ red: 0, orange: 0, yellow: 0, blue: 0, normal: 0 });
  const total = empty();
  const byGroup = {
    dust_explosion: empty(),
    hazardous_chemicals: empty(),
    steel: empty(),
    aluminium_casting: empty(),
    other: empty(),
  } satisfies Record<RuleGroup, Record<RiskLevel, number>>;
  for (const i of inputs) {
    const r = computeRiskIndex(i, rules);
    total[r.level]++;
    byGroup[r.ruleGroup][r.level]++;
  }
  return { total, byGroup };
}
