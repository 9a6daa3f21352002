/**
 * Device / video offline (离线) and suspension requests (停用申报): when a device counts as silent,
 * the escalation ladder of an offline case (seed 002 第二十九至三十一条: more than 2 days → interview
 * by the district; more than 5 days → interview of the enterprise and its region), and how a period
 * is split into Asia/Shanghai days for the daily statistics. Pure.
 */
import { isDuration, parseDuration } from './durations';
import { DAY_MS, beijingDay, beijingDayEnd } from './time';

export interface OfflinePolicy {
  version: number;
  /** Missed expected intervals before a device counts as offline (default 3). */
  missedIntervals: number;
  /** Offline longer than this → interview task for the district industry regulator. */
  districtInterviewAfter: string;
  /** Offline longer than this → interview of the enterprise and its region (district emergency bureau, municipal bureau). */
  regionInterviewAfter: string;
  /** How often the sweeper looks for silent devices. */
  sweepEvery: string;
}

export const DEFAULT_OFFLINE_POLICY: OfflinePolicy = {
  version: 1,
  missedIntervals: 3,
  districtInterviewAfter: 'P2D',
  regionInterviewAfter: 'P5D',
  sweepEvery: 'PT1M',
};

/**
 * Every problem of an offline policy, each naming its field: an administrator's version is refused
 * with the first (the shipped default is seed 002's: 2 days, 5 days).
 */
export function offlinePolicyProblems(p: OfflinePolicy): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!Number.isInteger(p.version) || p.version < 1) out.push({ field: 'version', message: 'must be an integer ≥ 1' });
  if (!Number.isInteger(p.missedIntervals) || p.missedIntervals < 1 || p.missedIntervals > 100)
    out.push({ field: 'missedIntervals', message: 'must be an integer from 1 to 100' });
  for (const f of ['districtInterviewAfter', 'regionInterviewAfter', 'sweepEvery'] as const) {
    if (!isDuration(p[f])) out.push({ field: f, message: 'must be an ISO-8601 duration such as P2D or PT1M' });
  }
  if (!out.length) {
    if (parseDuration(p.regionInterviewAfter) <= parseDuration(p.districtInterviewAfter))
      out.push({ field: 'regionInterviewAfter', message: 'must be longer than districtInterviewAfter' });
    const sweep = parseDuration(p.sweepEvery);
    if (sweep < 10_000 || sweep > 3600_000) out.push({ field: 'sweepEvery', message: 'must be from PT10S to PT1H' });
  }
  return out;
}

/** The instant after which a device that last reported at `lastSeen` is silent. */
export function silentAfter(
  lastSeenMs: number,
  intervalSec: number,
  policy: OfflinePolicy = DEFAULT_OFFLINE_POLICY,
): number {
  return lastSeenMs + policy.missedIntervals * intervalSec * 1000;
}

export type OfflineStep = 'district_interview' | 'region_interview';

/** The ladder: each step and when it falls due after the silence began. */
export function offlineLadder(
  silentSinceMs: number,
  policy: OfflinePolicy = DEFAULT_OFFLINE_POLICY,
): { step: OfflineStep; dueMs: number }[] {
  return [
    { step: 'district_interview', dueMs: silentSinceMs + parseDuration(policy.districtInterviewAfter) },
    { step: 'region_interview', dueMs: silentSinceMs + parseDuration(policy.regionInterviewAfter) },
  ];
}

export interface Period {
  fromMs: number;
  toMs: number;
  /** The approved suspension request it comes from. */
  requestId?: string;
}

/** Does an approved suspension cover the instant? */
export function covered(atMs: number, periods: Period[]): boolean {
  return !!coveringPeriod(atMs, periods);
}

/** The approved suspension covering the instant, the one lasting longest when several do. */
export function coveringPeriod(atMs: number, periods: Period[]): Period | undefined {
  return periods.filter((p) => p.fromMs <= atMs && atMs < p.toMs).sort((a, b) => b.toMs - a.toMs)[0];
}

/**
 * Splits [from, to) into per-day seconds, separating the parts covered by suspensions:
 * what the daily statistics add to offlineSeconds and suspendedSeconds.
 */
export function splitOfflinePeriod(
  fromMs: number,
  toMs: number,
  suspensions: Period[],
): { day: string; offlineSeconds: number; suspendedSeconds: number }[] {
  if (toMs <= fromMs) return [];
  // Cut points: day boundaries and suspension edges.
  const cuts = new Set<number>([fromMs, toMs]);
  for (let midnight = beijingDayEnd(fromMs); midnight < toMs; midnight += DAY_MS) cuts.add(midnight);
  for (const s of suspensions) for (const x of [s.fromMs, s.toMs]) if (x > fromMs && x < toMs) cuts.add(x);
  const points = [...cuts].sort((a, b) => a - b);
  const byDay = new Map<string, { day: string; offlineSeconds: number; suspendedSeconds: number }>();
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const day = beijingDay(a);
    const row = byDay.get(day) ?? { day, offlineSeconds: 0, suspendedSeconds: 0 };
    const secs = (b - a) / 1000;
    if (covered(a, suspensions)) row.suspendedSeconds += secs;
    else row.offlineSeconds += secs;
    byDay.set(day, row);
  }
  return [...byDay.values()];
}

/** What an enterprise files to suspend devices or video channels (停用申报, seed 002 第二十五条). */
export interface SuspensionRequestInput {
  enterpriseId: string;
  deviceCodes: string[];
  /** Video channels suspended with the devices (离线 covers "数据传感器、视频监控" alike). */
  channelIds?: string[];
  reason: SuspensionReason;
  detail?: string;
  from: string; // ISO instant
  to: string;
  requestedBy: string;
  /** When it was filed (printed on the permission). */
  requestedAt?: string;
}
export const SUSPENSION_REASONS = ['shutdown', 'overhaul', 'damage', 'other'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];
export const SUSPENSION_REASON_ZH: Record<SuspensionReason, string> = {
  shutdown: '停产',
  overhaul: '检修',
  damage: '设备设施损坏',
  other: '其他原因',
};
