/**
 * Report rules as data (seed 002 第二十九至三十一条): thresholds that turn a report's figures into
 * follow-up actions. An administrator edits them (models/ReportRules.ts, versioned); a run keeps the
 * version it used. Pure.
 */
import { LEVELS, type Level } from '../cases';
import type { ReportKind } from './periods';

export interface KindRules {
  /** Daily-average data or video offline rate above this percentage → warning notice (警示通报). */
  offlineRatePercent: number;
  /** A sensor or video channel offline more than this many days in the period → interview (约谈) of the enterprise. */
  interviewOfflineDays: number;
  /** Offline more than this many days → interview of the enterprise and its region (monthly only). */
  regionInterviewOfflineDays?: number;
  /**
   * This many non-blue warnings (频发预警) or more raised for one enterprise in the period make it a
   * frequent-warning enterprise in the report. Absent in rules stored before it existed → the default.
   */
  frequentWarningCount?: number;
}

/** The frequent-warning threshold of a kind of report (the rule's value, else the shipped default). */
export function frequentWarningCount(rules: ReportRules, kind: ReportKind): number {
  return rules[kind].frequentWarningCount ?? DEFAULT_REPORT_RULES[kind].frequentWarningCount!;
}

export interface KeyTargetRules {
  /** Warning levels that make an overdue or frequent warning a key enforcement target (重点执法对象). */
  levels: Level[];
  /** This many warnings or more of those levels (together) raised in the period count as frequent. */
  frequentCount: number;
}

export interface ReportRules {
  version: number;
  weekly: KindRules;
  monthly: KindRules & { keyTargets: KeyTargetRules };
}

export const DEFAULT_REPORT_RULES: ReportRules = {
  version: 1,
  weekly: { offlineRatePercent: 5, interviewOfflineDays: 2, frequentWarningCount: 2 },
  monthly: {
    offlineRatePercent: 5,
    interviewOfflineDays: 2,
    regionInterviewOfflineDays: 5,
    frequentWarningCount: 3,
    keyTargets: { levels: ['yellow', 'orange', 'red'], frequentCount: 3 },
  },
};

export interface RuleProblem {
  field: string;
  message: string;
}

function positive(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

export function reportRulesProblems(r: ReportRules): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (!Number.isInteger(r?.version) || r.version < 1) out.push({ field: 'version', message: 'must be an integer ≥ 1' });
  for (const kind of ['weekly', 'monthly'] as const) {
    const k = r?.[kind] as KindRules | undefined;
    if (!k || typeof k !== 'object') {
      out.push({ field: kind, message: 'is missing' });
      continue;
    }
    if (!positive(k.offlineRatePercent) || k.offlineRatePercent > 100)
      out.push({ field: `${kind}.offlineRatePercent`, message: 'must be a percentage above 0 and at most 100' });
    if (!positive(k.interviewOfflineDays))
      out.push({ field: `${kind}.interviewOfflineDays`, message: 'must be a number of days above 0' });
    if (k.regionInterviewOfflineDays !== undefined) {
      if (!positive(k.regionInterviewOfflineDays))
        out.push({ field: `${kind}.regionInterviewOfflineDays`, message: 'must be a number of days above 0' });
      else if (positive(k.interviewOfflineDays) && k.regionInterviewOfflineDays <= k.interviewOfflineDays)
        out.push({
          field: `${kind}.regionInterviewOfflineDays`,
          message: 'must be more days than interviewOfflineDays',
        });
    }
    if (
      k.frequentWarningCount !== undefined &&
      (!Number.isInteger(k.frequentWarningCount) || k.frequentWarningCount < 2)
    )
      out.push({ field: `${kind}.frequentWarningCount`, message: 'must be an integer ≥ 2' });
  }
  const kt = r?.monthly?.keyTargets;
  if (!kt || typeof kt !== 'object') out.push({ field: 'monthly.keyTargets', message: 'is missing' });
  else {
    if (!Array.isArray(kt.levels) || kt.levels.length === 0)
      out.push({ field: 'monthly.keyTargets.levels', message: `must name at least one of ${LEVELS.join(', ')}` });
    else
      kt.levels.forEach(
        (l, i) =>
          (LEVELS as readonly string[]).includes(l) ||
          out.push({
            field: `monthly.keyTargets.levels.${i}`,
            message: `"${String(l)}" is not a level: ${LEVELS.join(', ')}`,
          }),
      );
    if (!Number.isInteger(kt.frequentCount) || kt.frequentCount < 2)
      out.push({ field: 'monthly.keyTargets.frequentCount', message: 'must be an integer ≥ 2' });
  }
  return out;
}

/** Figures of one enterprise in a period, as far as the rules need them. */
export interface EnterpriseFigures {
  enterpriseId: string;
  regionId: string;
  /** Daily-average offline rates in percent, suspended time excluded. */
  dataOfflineRatePercent: number;
  videoOfflineRatePercent: number;
  /** The longest total offline time of any one source (sensor or video channel) in the period, in hours. */
  longestOfflineHours: number;
  longestOfflineSourceId?: string;
  /** Warnings whose escalation deadline passed while open in the period (逾期预警), per level. */
  overdueWarnings?: Partial<Record<Level, number>>;
  /** Warnings raised in the period, per level. */
  warningsByLevel?: Partial<Record<Level, number>>;
}

export type FollowUpRule = 'offline_rate_notice' | 'offline_interview' | 'offline_region_interview' | 'key_target';
export interface FollowUp {
  /** Deterministic: `<kind>/<periodStart>/<enterpriseId>/<rule>` — a re-run creates no duplicate. */
  id: string;
  rule: FollowUpRule;
  enterpriseId: string;
  regionId: string;
  action: 'warning_notice' | 'interview' | 'region_interview' | 'key_target';
  reason: string;
  /** Key targets: orange and red first. */
  priority?: number;
}

export function followUpId(kind: ReportKind, periodStart: string, enterpriseId: string, rule: FollowUpRule): string {
  return `${kind}/${periodStart}/${enterpriseId}/${rule}`;
}

const LEVEL_PRIORITY: Record<Level, number> = { red: 0, orange: 1, yellow: 2, blue: 3 };

/** The follow-up actions the rules ask for, given one enterprise's figures. */
export function followUps(rules: ReportRules, kind: ReportKind, periodStart: string, f: EnterpriseFigures): FollowUp[] {
  const k: KindRules = rules[kind];
  const out: FollowUp[] = [];
  const base = { enterpriseId: f.enterpriseId, regionId: f.regionId };
  const rate = Math.max(f.dataOfflineRatePercent, f.videoOfflineRatePercent);
  if (rate > k.offlineRatePercent)
    out.push({
      ...base,
      id: followUpId(kind, periodStart, f.enterpriseId, 'offline_rate_notice'),
      rule: 'offline_rate_notice',
      action: 'warning_notice',
      reason: `离线率 ${rate.toFixed(2)}% > ${k.offlineRatePercent}%`,
    });
  const hours = f.longestOfflineHours;
  const source = f.longestOfflineSourceId ? ` (${f.longestOfflineSourceId})` : '';
  if (hours > k.interviewOfflineDays * 24)
    out.push({
      ...base,
      id: followUpId(kind, periodStart, f.enterpriseId, 'offline_interview'),
      rule: 'offline_interview',
      action: 'interview',
      reason: `离线 ${hours.toFixed(1)} 小时 > ${k.interviewOfflineDays} 天${source}`,
    });
  // Longer still: the region is interviewed as well (the enterprise's interview above stands).
  if (k.regionInterviewOfflineDays !== undefined && hours > k.regionInterviewOfflineDays * 24)
    out.push({
      ...base,
      id: followUpId(kind, periodStart, f.enterpriseId, 'offline_region_interview'),
      rule: 'offline_region_interview',
      action: 'region_interview',
      reason: `离线 ${hours.toFixed(1)} 小时 > ${k.regionInterviewOfflineDays} 天${source}`,
    });
  if (kind === 'monthly') {
    // Overdue at a listed level, or frequent: that many warnings of the listed levels together.
    const kt = rules.monthly.keyTargets;
    const overdue = kt.levels.filter((l) => (f.overdueWarnings?.[l] ?? 0) > 0);
    const raised = kt.levels.filter((l) => (f.warningsByLevel?.[l] ?? 0) > 0);
    const frequent = raised.reduce((s, l) => s + (f.warningsByLevel?.[l] ?? 0), 0) >= kt.frequentCount;
    const hits = [...new Set([...overdue, ...(frequent ? raised : [])])];
    if (hits.length) {
      const priority = Math.min(...hits.map((l) => LEVEL_PRIORITY[l]));
      const why = [
        overdue.length ? `逾期预警 ${overdue.join(', ')}` : '',
        frequent ? `频发预警 ${raised.map((l) => `${l}×${f.warningsByLevel?.[l]}`).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('；');
      out.push({
        ...base,
        id: followUpId(kind, periodStart, f.enterpriseId, 'key_target'),
        rule: 'key_target',
        action: 'key_target',
        reason: why,
        priority,
      });
    }
  }
  return out;
}

/** Key enforcement targets ordered red and orange first, then by enterprise id. */
export function orderKeyTargets(list: FollowUp[]): FollowUp[] {
  return list
    .filter((f) => f.rule === 'key_target')
    .sort((a, b) => (a.priority ?? 9) - (b.priority ?? 9) || a.enterpriseId.localeCompare(b.enterpriseId));
}
