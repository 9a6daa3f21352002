/**
 * What a risk warning receives, queued for its main loop: raises, level changes, feedback, tracking
 * acknowledgements and policy migrations. The handlers only queue; the validators refuse bad input before
 * it enters the history, naming the field. A message addressed to an earlier case of the same workflow id
 * (a cleared warning's id is reused by the enterprise's next one) is refused or dropped.
 */
import { setHandler } from '@temporalio/workflow';
import { LEVELS, isLevel } from '../domain/cases';
import {
  CaseAddressed,
  LevelChange,
  MAX_FEEDBACK_ATTACHMENTS,
  PolicyMigration,
  RaiseWarning,
  RiskWarningInput,
  RiskWarningState,
  WarningFeedback,
  changeLevelUpdate,
  migratePolicyUpdate,
  raiseWarningSignal,
  riskWarningStateQuery,
  trackingAcknowledgedSignal,
  warningFeedbackUpdate,
} from './riskWarningMessages';

const FEEDBACK_FIELDS = ['verification', 'cause', 'measures', 'responsiblePerson'] as const;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

export interface WarningInbox {
  /** The raise the warning opens with. */
  opening?: RaiseWarning;
  /** `raise` marks a raise signal (not a regulator's level update): after a clear it opens the next warning. */
  changes: (LevelChange & { at: string; raise?: RaiseWarning })[];
  feedbacks: WarningFeedback[];
  acks: { by: string; note?: string }[];
  migrations: PolicyMigration[];
  /** Raises received after the clear: the warning that follows this one. */
  reopenWith: RaiseWarning[];
}

/** Anything for the main loop to take. */
export const hasWork = (inbox: WarningInbox) =>
  inbox.changes.length > 0 || inbox.feedbacks.length > 0 || inbox.acks.length > 0 || inbox.migrations.length > 0;

/** Registers the warning's handlers; raises carried over from the previous run are queued first. */
export function listen(input: RiskWarningInput, state: RiskWarningState): WarningInbox {
  const inbox: WarningInbox = {
    opening: input.reopening,
    changes: [],
    feedbacks: [],
    acks: [],
    migrations: [],
    reopenWith: [],
  };
  const raised = (r: RaiseWarning) =>
    inbox.changes.push({ level: r.level, reason: r.reason, by: r.by, raise: r, at: new Date().toISOString() });
  for (const r of input.raisedSince ?? []) raised(r);

  /** A message that names no case, or this one (not an earlier case of this workflow id). */
  const isForThisCase = (m: CaseAddressed | undefined) => m?.caseId === undefined || m.caseId === state.caseId;
  const forThisCase = (field: string, m: CaseAddressed | undefined) => {
    if (!isForThisCase(m))
      throw new Error(
        `${field}: case ${m?.caseId} is closed${state.caseId ? `; the enterprise's open warning is ${state.caseId}` : ''}`,
      );
  };
  setHandler(riskWarningStateQuery, () => state);
  setHandler(trackingAcknowledgedSignal, (a) => {
    if (state.status === 'open' && isForThisCase(a)) inbox.acks.push(a);
  });
  setHandler(raiseWarningSignal, (r) => {
    if (!isLevel(r?.level)) return;
    if (!inbox.opening) inbox.opening = r;
    else if (state.status !== 'closed') raised(r);
    else inbox.reopenWith.push(r);
  });
  setHandler(
    changeLevelUpdate,
    (c) => {
      inbox.changes.push({ ...c, at: new Date().toISOString() });
      return state;
    },
    {
      validator: (c: LevelChange) => {
        if (!(isLevel(c?.level) || c?.level === 'clear'))
          throw new Error('level: must be red, orange, yellow, blue or clear');
        forThisCase('level', c);
        if (state.status === 'closed') throw new Error('level: the warning is closed');
      },
    },
  );
  setHandler(
    warningFeedbackUpdate,
    (f) => {
      inbox.feedbacks.push(f);
      return state;
    },
    {
      validator: (f: WarningFeedback) => {
        forThisCase('verification', f);
        if (state.status === 'closed') throw new Error('verification: the warning is closed');
        for (const k of FEEDBACK_FIELDS)
          if (typeof f?.[k] !== 'string' || !f[k].trim()) throw new Error(`${k}: must not be empty`);
        if (typeof f.accidentFound !== 'boolean') throw new Error('accidentFound: must be true or false');
        if (f.attachments !== undefined) {
          if (
            !Array.isArray(f.attachments) ||
            f.attachments.length > MAX_FEEDBACK_ATTACHMENTS ||
            !f.attachments.every((a: unknown) => typeof a === 'string' && UPLOAD_ID.test(a))
          ) {
            throw new Error(`attachments: must be a list of at most ${MAX_FEEDBACK_ATTACHMENTS} upload ids`);
          }
        }
      },
    },
  );
  setHandler(
    migratePolicyUpdate,
    (m) => {
      inbox.migrations.push(m);
      return state;
    },
    {
      validator: (m: PolicyMigration) => {
        forThisCase('version', m);
        if (state.status !== 'open')
          throw new Error(`version: the warning is ${state.status === 'closed' ? 'closed' : 'not open yet'}`);
        if (!Number.isInteger(m?.policy?.version) || !m.policy.levels || !LEVELS.every((l) => m.policy.levels[l]))
          throw new Error('version: not a complete escalation policy');
        // The version in force: state.policyVersion follows every migration taken.
        const pendingVersion = inbox.migrations.length
          ? inbox.migrations[inbox.migrations.length - 1].policy.version
          : state.policyVersion;
        if (m.policy.version === pendingVersion)
          throw new Error(`version: the warning already runs under policy version ${pendingVersion}`);
        if (typeof m.reason !== 'string' || !m.reason.trim()) throw new Error('reason: must not be empty');
      },
    },
  );
  return inbox;
}
