/**
 * The monthly score (月度评分) of an enterprise and the yearly score built from the monthly ones
 * (seed 002 第三十二条). Pure: the formula is documented in domain/reports/CONTEXT.md and unit-tested.
 *
 *   score = max(0, 100 − offline − longestOffline − warnings − overdue − alarms − cleaning), one decimal
 *
 * Each deduction has a cap, so one bad figure cannot hide the others.
 */
import type { Level } from '../cases';

export interface ScoreInput {
  dataOfflineRatePercent: number;
  videoOfflineRatePercent: number;
  longestOfflineHours: number;
  /** Warnings raised in the month, per level. */
  warningsByLevel?: Partial<Record<Level, number>>;
  /** Warnings whose escalation deadline passed while open in the month, per level. */
  overdueWarnings?: Partial<Record<Level, number>>;
  /** Alarms not disposed within their deadline. */
  alarmsOverDeadline?: number;
  /** Check-ins done against the cleaning plan, percent; undefined when the enterprise has no plan. */
  cleaningCompliancePercent?: number;
}

export const SCORE_WEIGHTS = {
  /** Points per percentage point of the higher of the data and video offline rates. */
  offlinePerPercent: 2,
  offlineCap: 30,
  /** Points per full 24 h of the longest-offline source. */
  longestOfflinePerDay: 1,
  longestOfflineCap: 10,
  /** Points per warning raised, by level. */
  warning: { red: 8, orange: 5, yellow: 2, blue: 0 } as Record<Level, number>,
  warningsCap: 25,
  /** Points per overdue warning (any level the ladder escalates). */
  overduePerWarning: 5,
  overdueCap: 15,
  /** Points per alarm disposed late or not at all past its deadline. */
  alarmOverDeadline: 1,
  alarmsCap: 10,
  /** Points per 10 percentage points of cleaning check-ins missing against the plan. */
  cleaningPer10Percent: 1,
  cleaningCap: 10,
} as const;

export interface ScoreBreakdown {
  score: number;
  deductions: {
    offline: number;
    longestOffline: number;
    warnings: number;
    overdue: number;
    alarms: number;
    cleaning: number;
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const sum = (r: Partial<Record<Level, number>> | undefined, w: (l: Level) => number) =>
  Object.entries(r ?? {}).reduce((s, [l, n]) => s + (n ?? 0) * w(l as Level), 0);

export function monthlyScore(f: ScoreInput): ScoreBreakdown {
  const W = SCORE_WEIGHTS;
  const d = {
    offline: round1(
      Math.min(W.offlineCap, W.offlinePerPercent * Math.max(f.dataOfflineRatePercent, f.videoOfflineRatePercent, 0)),
    ),
    longestOffline: Math.min(
      W.longestOfflineCap,
      W.longestOfflinePerDay * Math.floor(Math.max(0, f.longestOfflineHours) / 24),
    ),
    warnings: Math.min(
      W.warningsCap,
      sum(f.warningsByLevel, (l) => W.warning[l] ?? 0),
    ),
    overdue: Math.min(W.overdueCap, W.overduePerWarning * sum(f.overdueWarnings, () => 1)),
    alarms: Math.min(W.alarmsCap, W.alarmOverDeadline * (f.alarmsOverDeadline ?? 0)),
    cleaning:
      f.cleaningCompliancePercent === undefined
        ? 0
        : round1(
            Math.min(
              W.cleaningCap,
              (W.cleaningPer10Percent * (100 - Math.min(100, Math.max(0, f.cleaningCompliancePercent)))) / 10,
            ),
          ),
  };
  const total = d.offline + d.longestOffline + d.warnings + d.overdue + d.alarms + d.cleaning;
  return { score: round1(Math.max(0, 100 - total)), deductions: d };
}

/** The yearly score: the mean of the year's monthly scores (the months the enterprise was reported in). */
export function yearlyScore(monthly: { sum: number; months: number }): number | undefined {
  return monthly.months > 0 ? round1(monthly.sum / monthly.months) : undefined;
}
