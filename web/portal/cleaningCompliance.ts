/**
 * Cleaning compliance 清扫计划执行情况 in the enterprise portal: each item of the enterprise's cleaning
 * plan (cleaning_plans) with the check-ins (cleaning_check_ins) of its own period, in Beijing time:
 * today for per-shift and daily items, this week (Monday first) for weekly ones, this month for monthly
 * ones. A check-in counts for an item when it names the item (as the weekly/monthly report counts it);
 * per shift means two check-ins a day (two shifts), as the report expects. Read-only.
 */
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import type { CleaningFrequency, CleaningPlanItem } from '../../models/CleaningPlan';
import { HttpError } from '../errors';
import {
  beijingDayStart,
  beijingMidnight,
  beijingMonthStart,
  beijingParts,
  beijingWeekStart,
  DAY_MS,
} from '../../domain/time';

/** Check-ins an item needs within its period (per shift: two shifts a day). */
const EXPECTED: Record<CleaningFrequency, number> = { per_shift: 2, daily: 1, weekly: 1, monthly: 1 };
export type CompliancePeriod = 'today' | 'week' | 'month';
const PERIOD: Record<CleaningFrequency, CompliancePeriod> = {
  per_shift: 'today',
  daily: 'today',
  weekly: 'week',
  monthly: 'month',
};

/** [from, to) of today, this week (from Monday) and this month, in Beijing time, as instants. */
export function periodsAt(nowMs: number): Record<CompliancePeriod, { from: Date; to: Date }> {
  const dayStart = beijingDayStart(nowMs);
  const weekStart = beijingWeekStart(nowMs);
  const month = beijingParts(nowMs);
  return {
    today: { from: new Date(dayStart), to: new Date(dayStart + DAY_MS) },
    week: { from: new Date(weekStart), to: new Date(weekStart + 7 * DAY_MS) },
    month: { from: new Date(beijingMonthStart(nowMs)), to: new Date(beijingMidnight(month.year, month.month + 1, 1)) },
  };
}

export interface ComplianceRow extends CleaningPlanItem {
  period: CompliancePeriod;
  expected: number;
  done: number;
  complete: boolean;
  last?: Date;
}

/** Each plan item with its check-ins in its period (pure: the service reads, this counts). */
export function cleaningCompliance(
  items: CleaningPlanItem[],
  checkIns: { item: string; at: Date }[],
  nowMs: number,
): ComplianceRow[] {
  const periods = periodsAt(nowMs);
  return items.map((it) => {
    const period = PERIOD[it.frequency] ?? 'today';
    const { from, to } = periods[period];
    const mine = checkIns.filter((c) => c.item.trim() === it.item.trim() && c.at >= from && c.at < to);
    const expected = EXPECTED[it.frequency] ?? 1;
    const last = mine.reduce<Date | undefined>((a, c) => (!a || c.at > a ? c.at : a), undefined);
    return { ...it, period, expected, done: mine.length, complete: mine.length >= expected, last };
  });
}

export function createCleaningComplianceService(deps: {
  models: Pick<Models, 'CleaningPlan' | 'CleaningCheckIn'>;
  now?: () => number;
}) {
  const { models } = deps;
  const now = deps.now ?? Date.now;
  return {
    /** The enterprise user's own plan items with this period's check-ins; an empty list when no plan is kept. */
    async forMyEnterprise(p: Principal): Promise<{ rows: ComplianceRow[]; periods: ReturnType<typeof periodsAt> }> {
      if (p.role !== 'enterprise' || !p.enterpriseId) throw new HttpError(403, 'the portal is for enterprise users');
      const t = now();
      const periods = periodsAt(t);
      const plan = await models.CleaningPlan.findById(p.enterpriseId).lean();
      if (!plan?.items.length) return { rows: [], periods };
      const since = new Date(Math.min(periods.week.from.getTime(), periods.month.from.getTime()));
      const checkIns = await models.CleaningCheckIn.find(
        {
          enterpriseId: p.enterpriseId,
          at: { $gte: since, $lt: periods.month.to > periods.week.to ? periods.month.to : periods.week.to },
        },
        { item: 1, at: 1 },
      )
        .sort({ at: -1 })
        .limit(5000)
        .lean();
      return { rows: cleaningCompliance(plan.items, checkIns, t), periods };
    },
  };
}
export type CleaningComplianceService = ReturnType<typeof createCleaningComplianceService>;
