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

/**
 * The deadlines of a warning at `level` that has not been downgraded since `since`: the first notice,
 * repeats at the interval strictly before the on-site deadline, then on-site supervision. A rung
 * without clocks (blue) gives none. Repeats without an on-site deadline are capped at `maxNotices`.
 */
export function plan(policy: EscalationPolicy, level: Level, since: Date | string, maxNotices = 1000): PlannedDeadline[] {
  const rung = policy.levels[level];
  const t0 = typeof since === 'string' ? Date.parse(since) : since.getTime();
  const out: PlannedDeadline[] = [];
  const onSite = rung.onSiteAfter ? t0 + parseDuration(rung.onSiteAfter) : undefined;
  if (rung.firstNoticeAfter && rung.noticeTo) {
    const first = t0 + parseDuration(rung.firstNoticeAfter);
    const every = rung.repeatEvery ? parseDuration(rung.repeatEvery) : 0;
    for (let t = first, i = 0; (onSite === undefined || t < onSite) && i < maxNotices; t += every, i++) {
      out.push({ kind: i === 0 ? 'notice_issued' : 'notice_repeated', due: new Date(t).toISOString(), to: rung.noticeTo, step: i });
      if (!every) break;
    }
  }
  if (onSite !== undefined) out.push({ kind: 'onsite_started', due: new Date(onSite).toISOString(), to: rung.trackedBy, step: out.length });
  return out;
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
