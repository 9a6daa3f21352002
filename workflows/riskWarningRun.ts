/**
 * One run of a risk warning: what its steps share (the case, its parties, the level and policy in force,
 * the clock, the notice, the deliveries in flight) and the patches decided once at its start. The steps
 * (riskWarningSteps.ts), the clock (riskWarningClock.ts) and the deliveries (riskWarningDeliveries.ts)
 * read and change it; workflows/riskWarning.ts creates it.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Party, WarningContext } from '../activities/directory';
import type { Level } from '../domain/cases';
import type { EscalationPolicy, PlannedDeadline, RecipientRole } from '../domain/escalation';
import { DELIVERY, caseStep } from './activityOptions';
import { localBookkeeping } from './bookkeeping';
import { PATCHES } from './patches';
import type { RiskWarningInput, RiskWarningState } from './riskWarningMessages';

export const act = proxyActivities<Activities>(caseStep('30 seconds'));
/** Mail and robot posts under DELIVERIES_NEVER_STALL: bounded retries, then recorded as failed on the timeline. */
export const deliveries = proxyActivities<Activities>(DELIVERY);

/** The patches a run decides once, at its start, in this order (see workflows/PATCHES.md). */
export interface RunPatches {
  /** Bookkeeping (projection writes, tasks, documents) on local activities, or (older runs) on activities. */
  book: Activities;
  untilDowngraded: boolean;
  neverStall: boolean;
  cityFeed: boolean;
  emergencyCase: boolean;
}

export function decidePatches(): RunPatches {
  const book = patched(PATCHES.riskWarning.localBookkeeping) ? localBookkeeping : act;
  const untilDowngraded = patched(PATCHES.riskWarning.noticesUntilDowngraded);
  const neverStall = patched(PATCHES.riskWarning.deliveriesNeverStall);
  const cityFeed = patched(PATCHES.riskWarning.municipalFeed);
  const emergencyCase = patched(PATCHES.riskWarning.emergencyResponseCase);
  return { book, untilDowngraded, neverStall, cityFeed, emergencyCase };
}

export interface WarningRun extends RunPatches {
  input: RiskWarningInput;
  state: RiskWarningState;
  caseId: string;
  openedAt: string;
  /** The enterprise and the parties of the ladder, resolved once when the warning opens. */
  ctx: WarningContext;
  /** The escalation policy in force (a migration replaces it). */
  policy: EscalationPolicy;
  level: Level;
  /** Counts level changes: the steps of each level are keyed by it. */
  epoch: number;
  clock: {
    deadlines: PlannedDeadline[];
    /** Index of the next deadline to fall due. */
    next: number;
    /** Tells a migrated plan's steps from the plan before it in idempotency keys ('' until a migration). */
    planTag: string;
    /** On-site supervision already started at the current level (a migration does not start a second one). */
    onSiteThisLevel: boolean;
  };
  /** The warning notice of the current level, once issued. */
  notice: {
    number?: string;
    /** The notice's PDF when it was drawn at issue, attached to each push of it (a repeat pushes the same document again). */
    file?: { filename: string; path: string };
    /** Where the notice is read (drawn as a PDF by its first reader when it was not attached). */
    url?: string;
  };
  delivery: {
    /** Deliveries started and not settled: a closing case gives them a minute (its last feed event, its last mails). */
    inFlight: number;
    /** Events pushed to the municipal feed so far. */
    feedSequence: number;
    /** The feed starts when the warning is (or becomes) red and then reports every change. */
    fedToCity: boolean;
  };
  /** The tracking task assigned to the enterprise itself (blue: it tracks its own warning), until a feedback answers it. */
  enterpriseTrackingTask?: string;
  feedbackCount: number;
  ackCount: number;
}

export const now = () => new Date().toISOString();

export const party = (run: WarningRun, role: RecipientRole): Party | undefined =>
  run.ctx.parties.find((p) => p.role === role);
/** Who tracks the warning at its current level. */
export const tracker = (run: WarningRun) => party(run, run.policy.levels[run.level].trackedBy);
