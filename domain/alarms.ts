/**
 * Monitoring alarms (监测报警): when does a stream of readings of one indicator open an alarm case,
 * and when is its value back to normal. Debounce (N consecutive readings beyond a threshold; a
 * high-high / low-low reading at once) and hysteresis (normal only inside the threshold minus a
 * deadband) keep noise from opening and closing cases. Data-quality flags (数据质量): out of
 * measurement range, frozen value. Pure: the ingestion service and the workflows both use it.
 */
import { isDuration } from './durations';

/** The thresholds of one indicator (a subset of models IndicatorDoc, kept here so domain has no model import). */
export interface IndicatorLimits {
  alarmLow?: number;
  alarmHigh?: number;
  alarmLowLow?: number;
  alarmHighHigh?: number;
  rangeMin?: number;
  rangeMax?: number;
}

/**
 * The alarm policy: data, versioned; a running case keeps the version it started with.
 * Seed 002 附件2 三(二)3 and 第二十五条 leave these numbers to the region: the values below are the shipped default.
 */
export interface AlarmPolicy {
  version: number;
  /** Consecutive readings beyond alarmHigh/alarmLow before a case opens (high-high/low-low open at once). */
  debounceReadings: number;
  /** Deadband, as a fraction of |alarmHigh - alarmLow| (or of |threshold| when only one is set). */
  deadbandFraction: number;
  /** Consecutive readings inside the deadband before the value counts as back to normal. */
  normalReadings: number;
  /** Time the enterprise has to file its disposal (处置反馈), ISO-8601. */
  disposalWithin: string;
  /** The same value this many times in a row flags a frozen value (数据冻结). */
  frozenReadings: number;
  /** More than this many alarm cases of one device in a day flags a burst of alarms (频繁报警). */
  burstAlarmsPerDay: number;
  /**
   * Time the enterprise has to repair a device fault 设备故障 (the device reports `ok` again), ISO-8601; past it the
   * fault is proposed for a penalty (002 第二十五条 监测监控设备故障未及时维修保养). No seed gives a figure: the
   * default is warnflow's. Absent in versions stored before it existed: `faultRepairWithinOf` reads the default.
   */
  faultRepairWithin?: string;
}

/** warnflow's default repair time of a device fault (no seed gives one): one day. */
export const DEFAULT_FAULT_REPAIR_WITHIN = 'P1D';

/** The repair time of a policy, the default for a version stored before the field existed. */
export function faultRepairWithinOf(p: AlarmPolicy): string {
  return p.faultRepairWithin ?? DEFAULT_FAULT_REPAIR_WITHIN;
}

export const DEFAULT_ALARM_POLICY: AlarmPolicy = {
  version: 1,
  debounceReadings: 3,
  deadbandFraction: 0.05,
  normalReadings: 2,
  disposalWithin: 'PT2H',
  frozenReadings: 30,
  burstAlarmsPerDay: 5,
  faultRepairWithin: DEFAULT_FAULT_REPAIR_WITHIN,
};

/** Every problem of a policy, naming its field; empty when it is valid. */
export function alarmPolicyProblems(p: AlarmPolicy): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const int = (field: keyof AlarmPolicy, min: number) => {
    const v = p[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      out.push({ field, message: `must be an integer ≥ ${min}` });
  };
  int('version', 1);
  int('debounceReadings', 1);
  int('normalReadings', 1);
  int('frozenReadings', 2);
  int('burstAlarmsPerDay', 1);
  if (typeof p.deadbandFraction !== 'number' || !(p.deadbandFraction >= 0 && p.deadbandFraction < 1))
    out.push({ field: 'deadbandFraction', message: 'must be a number in [0, 1)' });
  if (!isDuration(p.disposalWithin))
    out.push({ field: 'disposalWithin', message: 'must be an ISO-8601 duration such as PT2H' });
  if (p.faultRepairWithin !== undefined && !isDuration(p.faultRepairWithin))
    out.push({ field: 'faultRepairWithin', message: 'must be an ISO-8601 duration such as P1D' });
  return out;
}

export type BreachKind = 'high_high' | 'high' | 'low' | 'low_low';

/** What the stream of one indicator remembers between readings (kept in the latest-value document). */
export interface IndicatorState {
  inAlarm: boolean;
  breachRun: number; // consecutive readings beyond a threshold
  normalRun: number; // consecutive readings inside the deadband while in alarm
  lastValue?: number;
  sameRun: number; // consecutive identical values
  frozen: boolean;
}

export const INITIAL_STATE: IndicatorState = { inAlarm: false, breachRun: 0, normalRun: 0, sameRun: 0, frozen: false };

export interface Evaluation {
  state: IndicatorState;
  /** `breach`: open (or feed) the alarm case; `normal`: the value is back to normal (hysteresis passed). */
  event?: 'breach' | 'normal';
  breach?: BreachKind;
  threshold?: number;
  outOfRange: boolean;
  /** True on the reading that makes the value frozen (counted once per frozen stretch). */
  becameFrozen: boolean;
}

/** Which threshold a value crosses, worst first; undefined when none. */
export function breachOf(value: number, l: IndicatorLimits): { kind: BreachKind; threshold: number } | undefined {
  if (l.alarmHighHigh !== undefined && value >= l.alarmHighHigh)
    return { kind: 'high_high', threshold: l.alarmHighHigh };
  if (l.alarmLowLow !== undefined && value <= l.alarmLowLow) return { kind: 'low_low', threshold: l.alarmLowLow };
  if (l.alarmHigh !== undefined && value >= l.alarmHigh) return { kind: 'high', threshold: l.alarmHigh };
  if (l.alarmLow !== undefined && value <= l.alarmLow) return { kind: 'low', threshold: l.alarmLow };
  return undefined;
}

/** The deadband width of an indicator under a policy. */
export function deadband(l: IndicatorLimits, policy: AlarmPolicy): number {
  const hi = l.alarmHigh ?? l.alarmHighHigh;
  const lo = l.alarmLow ?? l.alarmLowLow;
  const span = hi !== undefined && lo !== undefined ? Math.abs(hi - lo) : Math.abs(hi ?? lo ?? 0);
  return span * policy.deadbandFraction;
}

/** Inside the thresholds by at least the deadband: the value may count as back to normal. */
export function isWellInside(value: number, l: IndicatorLimits, policy: AlarmPolicy): boolean {
  const d = deadband(l, policy);
  const hi = l.alarmHigh ?? l.alarmHighHigh;
  const lo = l.alarmLow ?? l.alarmLowLow;
  return (hi === undefined || value < hi - d) && (lo === undefined || value > lo + d);
}

export function isOutOfRange(value: number, l: IndicatorLimits): boolean {
  return (l.rangeMin !== undefined && value < l.rangeMin) || (l.rangeMax !== undefined && value > l.rangeMax);
}

/** One reading through the debounce / hysteresis machine. */
export function evaluateReading(
  prev: IndicatorState,
  value: number,
  l: IndicatorLimits,
  policy: AlarmPolicy,
): Evaluation {
  const state: IndicatorState = { ...prev };
  const outOfRange = isOutOfRange(value, l);

  state.sameRun = prev.lastValue === value ? prev.sameRun + 1 : 1;
  state.lastValue = value;
  const frozenNow = state.sameRun >= policy.frozenReadings;
  const becameFrozen = frozenNow && !prev.frozen;
  state.frozen = frozenNow;

  // A value outside the measurement range is a data-quality problem, not a process value: it neither opens nor closes a case.
  if (outOfRange) return { state, outOfRange, becameFrozen };

  const b = breachOf(value, l);
  if (b) {
    state.breachRun = prev.breachRun + 1;
    state.normalRun = 0;
    const immediate = b.kind === 'high_high' || b.kind === 'low_low';
    if (!prev.inAlarm && (immediate || state.breachRun >= policy.debounceReadings)) {
      state.inAlarm = true;
      return { state, event: 'breach', breach: b.kind, threshold: b.threshold, outOfRange, becameFrozen };
    }
    return { state, outOfRange, becameFrozen };
  }
  state.breachRun = 0;
  if (prev.inAlarm) {
    state.normalRun = isWellInside(value, l, policy) ? prev.normalRun + 1 : 0;
    if (state.normalRun >= policy.normalReadings) {
      state.inAlarm = false;
      state.normalRun = 0;
      return { state, event: 'normal', outOfRange, becameFrozen };
    }
  }
  return { state, outOfRange, becameFrozen };
}

/** What the enterprise files (处置反馈): cause, measures, responsible person. */
export interface AlarmDisposal {
  cause: string;
  measures: string;
  responsible: string;
  filedBy: string;
  filedAt: string;
}
