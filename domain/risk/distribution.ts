/**
 * What regulators see of the model (001 附件 二（二）3: 各风险等级企业统计、区域分布): how many enterprises hold
 * each level, in total, per industry and per region (an enterprise counts under every region on its path: city,
 * district, zone), and the record one computation leaves. Pure.
 */
import type { SeedCitation } from '../indicators/sources';
import type { Industry } from '../masterData';
import { RISK_LEVELS, type RiskIndex, type RiskLevel } from './model';

export const DISTRIBUTION_SOURCE: SeedCitation = {
  seed: '001',
  clause: '附件 二（二）3',
  marker: '3.风险研判。',
  quote: '系统能够展示当前总体风险，包括各风险等级企业统计、区域分布等',
};

/** What starts a recomputation: an input changed (001 附件 二（一）2 实时研判), the schedule, or new rules. */
export const RECOMPUTE_TRIGGERS = [
  'schedule',
  'alarm_opened',
  'alarm_closed',
  'check_in_missed',
  'device_offline',
  'device_online',
  'case_overdue',
  'rules_changed',
  'master_data_changed',
  /** The level of the previous computation has now held for the damping time: it may move the warning. */
  'hold_elapsed',
  /** The enterprise gave its feedback on the warning: a warning back in the normal range may now be cleared. */
  'warning_feedback',
] as const;
export type RecomputeTrigger = (typeof RECOMPUTE_TRIGGERS)[number];

/** One stored computation (the history an enterprise's page and the explanation read): the index, when, and why. */
export interface RiskComputation extends RiskIndex {
  enterpriseId: string;
  /** ISO-8601 instant of the computation. */
  at: string;
  trigger: RecomputeTrigger;
}

/** An enterprise's latest level, with what the distribution groups by. */
export interface LevelRow {
  level: RiskLevel;
  industry: Industry;
  regionPath: readonly string[];
}

export type LevelCounts = Record<RiskLevel, number>;

const empty = (): LevelCounts => Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as LevelCounts;

export interface LevelDistribution {
  total: LevelCounts;
  byIndustry: Partial<Record<Industry, LevelCounts>>;
  /** Keyed by region id; an enterprise counts under each region on its path. */
  byRegion: Record<string, LevelCounts>;
}

export function levelDistribution(rows: readonly LevelRow[]): LevelDistribution {
  const out: LevelDistribution = { total: empty(), byIndustry: {}, byRegion: {} };
  for (const r of rows) {
    out.total[r.level]++;
    (out.byIndustry[r.industry] ??= empty())[r.level]++;
    for (const region of new Set(r.regionPath)) (out.byRegion[region] ??= empty())[r.level]++;
  }
  return out;
}
