/**
 * The clock of a risk warning's current level: the deadlines domain/escalation plan() gives (warning notices,
 * their repeats, on-site supervision), which one falls due next, and how a policy migration re-plans them.
 * Pure bookkeeping on the run: no activity is called here.
 */
import { PlannedDeadline, plan, upcoming } from '../domain/escalation';
import type { WarningRun } from './riskWarningRun';

function planFrom(run: WarningRun, since: string): PlannedDeadline[] {
  return plan(run.policy, run.level, since, run.untilDowngraded ? { untilDowngraded: true } : {});
}

/** The deadlines a case shows: all still ahead, or (repeating until downgraded) the next notice and the on-site step. */
export function showDeadlines(run: WarningRun): void {
  const ahead = run.clock.deadlines.slice(run.clock.next);
  run.state.deadlines = (run.untilDowngraded ? upcoming(ahead) : ahead).map((d) => ({ kind: d.kind, due: d.due }));
}

/** The level's clock starts (again) at `since`. */
export function replan(run: WarningRun, since: string): void {
  run.state.since = since;
  run.clock.deadlines = planFrom(run, since);
  run.clock.next = 0;
  showDeadlines(run);
}

/** The next deadline, after planning more notices when a warning not downgraded has used up its plan. */
export function nextDeadline(run: WarningRun): PlannedDeadline | undefined {
  if (run.clock.next >= run.clock.deadlines.length) extendPlan(run);
  return run.clock.deadlines[run.clock.next];
}

/** The next deadline fell due: the case shows the ones after it. */
export function passDeadline(run: WarningRun): void {
  run.clock.next++;
  showDeadlines(run);
}

/** A warning not downgraded through its whole plan (1,000 notices) plans the notices after the last one. */
function extendPlan(run: WarningRun): void {
  const { deadlines } = run.clock;
  const last = [...deadlines].reverse().find((d) => d.kind !== 'onsite_started');
  if (!run.untilDowngraded || !last || !run.policy.levels[run.level].repeatEvery) return;
  run.clock.deadlines = [
    ...deadlines,
    ...plan(run.policy, run.level, run.state.since!, { untilDowngraded: true, fromNotice: last.step + 1 }),
  ];
}

/**
 * A migration re-plans the current level's clocks under the new policy from the level's `since`.
 * Steps that fell due under the new ladder before now are not replayed one by one: the warning
 * notice is issued at once if none was yet at this level (else later ones repeat it), and on-site
 * supervision starts at once if due and not started; steps still ahead keep their times.
 */
export function migratePlan(run: WarningRun, at: string): void {
  const t = Date.parse(at);
  let planned = planFrom(run, run.state.since!);
  if (run.notice.number)
    planned = planned.map((d) => (d.kind === 'notice_issued' ? { ...d, kind: 'notice_repeated' as const } : d));
  if (run.clock.onSiteThisLevel) planned = planned.filter((d) => d.kind !== 'onsite_started');
  const overdue = planned.filter((d) => Date.parse(d.due) <= t);
  const ahead = planned.filter((d) => Date.parse(d.due) > t);
  const dueNow: PlannedDeadline[] = [];
  const firstNotice = overdue.find((d) => d.kind === 'notice_issued');
  if (firstNotice) dueNow.push({ ...firstNotice, due: at });
  const onSite = overdue.find((d) => d.kind === 'onsite_started');
  if (onSite) dueNow.push({ ...onSite, due: at });
  run.clock.deadlines = [...dueNow, ...ahead];
  run.clock.next = 0;
  showDeadlines(run);
}
