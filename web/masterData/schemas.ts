/**
 * Master data payload schemas (one per payload, shared by the admin API and the admin pages).
 * This first part holds the checks that are pure: the unified social credit code and the
 * consistency of a monitoring indicator's thresholds. The admin API built on them is not here yet.
 */
import { z } from 'zod';
import { usccProblem } from '../../domain/masterData';
import { INDICATOR_KINDS, type IndicatorDoc } from '../../models/masterData';
import { MAX_INTERVAL_SEC } from '../monitoring/deviceSettings';

/** 统一社会信用代码: 18 characters, GB 32100-2015 alphabet and check character; stored upper-case. */
export const usccSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .superRefine((code, ctx) => {
    const problem = usccProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: `uscc ${problem}` });
  });

export interface FieldProblem {
  field: string;
  message: string;
}

type Thresholds = Pick<
  IndicatorDoc,
  'normalMin' | 'normalMax' | 'alarmLow' | 'alarmHigh' | 'alarmLowLow' | 'alarmHighHigh' | 'rangeMin' | 'rangeMax' | 'intervalSec'
>;

/**
 * Why a monitoring indicator's thresholds are inconsistent (empty when they are consistent):
 * alarmLowLow ≤ alarmLow ≤ normalMin ≤ normalMax ≤ alarmHigh ≤ alarmHighHigh, every value set
 * inside the measurement range rangeMin..rangeMax, and a positive reporting interval.
 * Unset values are skipped; each problem names the field that breaks the order.
 */
export function indicatorThresholdProblems(t: Thresholds): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!(typeof t.intervalSec === 'number' && Number.isFinite(t.intervalSec) && t.intervalSec > 0)) {
    problems.push({ field: 'intervalSec', message: 'intervalSec must be a number of seconds above 0' });
  } else if (t.intervalSec > MAX_INTERVAL_SEC) {
    // 002 附件2 三(二)3: key parameters are reported at least every 5 minutes — for every way an indicator is kept.
    problems.push({ field: 'intervalSec', message: `intervalSec must be at most ${MAX_INTERVAL_SEC} s (monitoring data is reported at least every 5 minutes)` });
  }
  if (t.rangeMin !== undefined && t.rangeMax !== undefined && t.rangeMin >= t.rangeMax) {
    problems.push({ field: 'rangeMax', message: 'rangeMax must be above rangeMin' });
  }
  const ladder = ['alarmLowLow', 'alarmLow', 'normalMin', 'normalMax', 'alarmHigh', 'alarmHighHigh'] as const;
  let previous: { field: string; value: number } | undefined;
  for (const field of ladder) {
    const value = t[field];
    if (value === undefined) continue;
    if (previous && value < previous.value) {
      problems.push({ field, message: `${field} (${value}) must not be below ${previous.field} (${previous.value})` });
    }
    if (t.rangeMin !== undefined && value < t.rangeMin) {
      problems.push({ field, message: `${field} (${value}) is below the measurement range (rangeMin ${t.rangeMin})` });
    }
    if (t.rangeMax !== undefined && value > t.rangeMax) {
      problems.push({ field, message: `${field} (${value}) is above the measurement range (rangeMax ${t.rangeMax})` });
    }
    previous = { field, value };
  }
  return problems;
}

const optionalNumber = z.number().finite().optional();

/** 监测指标 payload: kind, unit, normal range, alarm thresholds, measurement range, interval. */
export const indicatorSchema = z
  .object({
    code: z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, 'code: letters, digits, _ or -, at most 32'),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(INDICATOR_KINDS),
    unit: z.string().trim().max(20),
    normalMin: optionalNumber,
    normalMax: optionalNumber,
    alarmLow: optionalNumber,
    alarmHigh: optionalNumber,
    alarmLowLow: optionalNumber,
    alarmHighHigh: optionalNumber,
    rangeMin: optionalNumber,
    rangeMax: optionalNumber,
    intervalSec: z.number().int().positive(),
  })
  .superRefine((ind, ctx) => {
    for (const p of indicatorThresholdProblems(ind)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export type IndicatorInput = z.infer<typeof indicatorSchema>;
