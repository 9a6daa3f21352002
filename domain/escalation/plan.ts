/**
 * Clock maths: policy + level + since → the deadlines of a warning. Pure, so the ladder is tested
 * without Temporal; the workflow only sleeps until the next deadline and acts.
 */
import type { Level } from '../cases';
import { parseDuration } from '../durations';
import type { EscalationPolicy, RecipientRole } from './ladder';

export type DeadlineKind = 'notice_issued' | 'notice_repeated' | 'onsite_started';

export interface PlannedDeadline {
  /** The timeline kind the deadline produces when it passes. */
  kind: DeadlineKind;
  /** ISO-8601 instant. */
  due: string;
  /** Who it concerns: the notice's addressee, or the tracking party for on-site supervision. */
  to: RecipientRole;
  /** Ordinal within this plan (0 = first notice); part of idempotency keys together with the plan's start. */
  step: number;
}

export interface PlanOptions {
  /**
   * Seed 002 第二十一至二十三条: notices repeat "在预警降级前" — until the warning is downgraded, on-site
   * supervision or not; a first notice due at or after the on-site deadline is still issued. Without it
   * (warnings opened before the 'notices-until-downgraded' patch) repeats stop at the on-site deadline.
   */
  untilDowngraded?: boolean;
  /** How many notices to plan (a rung that repeats has no last one). */
  maxNotices?: number;
  /** Plan from this notice on (0 = the first), for a long-running warning that used up its plan; no on-site step then. */
  fromNotice?: number;
}

/**
 * The deadlines of a warning at `level` that has not been downgraded since `since`, in time order (a notice
 * before the on-site step falling due at the same instant). A rung without clocks (blue) gives none.
 * Notice steps are numbered from 0 (the first notice); the on-site step takes the number of notices due strictly before it.
 */
export function plan(
  policy: EscalationPolicy,
  level: Level,
  since: Date | string,
  opts: PlanOptions = {},
): PlannedDeadline[] {
  const { untilDowngraded = false, maxNotices = 1000, fromNotice = 0 } = opts;
  const rung = policy.levels[level];
  const t0 = typeof since === 'string' ? Date.parse(since) : since.getTime();
  const notices: PlannedDeadline[] = [];
  const onSite = rung.onSiteAfter ? t0 + parseDuration(rung.onSiteAfter) : undefined;
  if (rung.firstNoticeAfter && rung.noticeTo) {
    const first = t0 + parseDuration(rung.firstNoticeAfter);
    const every = rung.repeatEvery ? parseDuration(rung.repeatEvery) : 0;
    for (let i = fromNotice; i < fromNotice + maxNotices && (i === 0 || every); i++) {
      const t = first + i * every;
      if (!untilDowngraded && onSite !== undefined && t >= onSite) break;
      notices.push({
        kind: i === 0 ? 'notice_issued' : 'notice_repeated',
        due: new Date(t).toISOString(),
        to: rung.noticeTo,
        step: i,
      });
    }
  }
  if (onSite === undefined || fromNotice > 0) return notices;
  // Numbered as before seed 002's rule (the notices strictly before it), placed after a notice due at the same instant.
  const step = notices.filter((d) => Date.parse(d.due) < onSite).length;
  const at = notices.filter((d) => Date.parse(d.due) <= onSite).length;
  const onSiteStep: PlannedDeadline = {
    kind: 'onsite_started',
    due: new Date(onSite).toISOString(),
    to: rung.trackedBy,
    step,
  };
  return [...notices.slice(0, at), onSiteStep, ...notices.slice(at)];
}

/** What a case shows as its next deadlines: the next notice and the on-site supervision still ahead (a plan repeats for long). */
export function upcoming(deadlines: PlannedDeadline[]): PlannedDeadline[] {
  const notice = deadlines.find((d) => d.kind !== 'onsite_started');
  const onSite = deadlines.find((d) => d.kind === 'onsite_started');
  return [notice, onSite]
    .filter((d): d is PlannedDeadline => !!d)
    .sort((a, b) => Date.parse(a.due) - Date.parse(b.due));
}

/** The deadlines still ahead at `now` (what a query shows as "next deadlines"). */
export function pending(deadlines: PlannedDeadline[], now: Date | string): PlannedDeadline[] {
  const t = typeof now === 'string' ? Date.parse(now) : now.getTime();
  return deadlines.filter((d) => Date.parse(d.due) > t);
}

/** Is `to` higher than `from`? (red > orange > yellow > blue) */
export function isUpgrade(from: Level, to: Level): boolean {
  const order: Level[] = ['blue', 'yellow', 'orange', 'red'];
  return order.indexOf(to) > order.indexOf(from);
}

/** Recipients a level adds over another (an upgrade notifies only those not already told). */
export function newRecipients(policy: EscalationPolicy, from: Level, to: Level): RecipientRole[] {
  const before = new Set(policy.levels[from].pushTo);
  return policy.levels[to].pushTo.filter((r) => !before.has(r));
}
