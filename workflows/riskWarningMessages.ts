/**
 * What a risk warning is told and asked: its input, the messages web services and tests send it (defined
 * with defineSignal / defineUpdate / defineQuery) and the state it answers with. Re-exported by
 * workflows/riskWarning.ts, which is where callers import them from.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Level } from '../domain/cases';
import type { EscalationPolicy } from '../domain/escalation';

export interface RiskWarningInput {
  enterpriseId: string;
  policy: EscalationPolicy;
  publicUrl?: string;
  /** The raise this run opens with, when a warning raised after the previous one was cleared continued as new. */
  reopening?: RaiseWarning;
  /** Raises received after that one while the previous warning finished: level changes of this run. */
  raisedSince?: RaiseWarning[];
}

export interface RaiseWarning {
  level: Level;
  reason: string;
  by: string;
  /** The escalation policy in force when raised: a warning raised after the open one was cleared runs under it. */
  policy?: EscalationPolicy;
}

/**
 * Messages sent from a case record name it: the workflow id outlives a case (a cleared warning's id is
 * reused by the enterprise's next warning), so a message for a closed case must not reach its successor.
 */
export interface CaseAddressed {
  caseId?: string;
}

export interface LevelChange extends CaseAddressed {
  level: Level | 'clear';
  reason: string;
  by: string;
}

export interface WarningFeedback extends CaseAddressed {
  verification: string;
  cause: string;
  measures: string;
  responsiblePerson: string;
  accidentFound: boolean;
  /** Upload ids (photos, PDFs) the enterprise attached; checked to be its own by the web service. Optional: histories before attachments replay. */
  attachments?: string[];
  by: string;
}

/** An administrator moves a running warning to another escalation-policy version (loaded by the web service). */
export interface PolicyMigration extends CaseAddressed {
  policy: EscalationPolicy;
  reason: string;
  by: string;
}

export interface RiskWarningState {
  caseId?: string;
  enterpriseId: string;
  status: 'opening' | 'open' | 'closed';
  level?: Level;
  policyVersion: number;
  /** When the current level's clock started. */
  since?: string;
  /** Deadlines still ahead. */
  deadlines: { kind: string; due: string }[];
  noticesIssued: number;
  onSiteCaseIds: string[];
  feedback?: WarningFeedback;
  emergency: boolean;
  /** The emergency-response case an accident found opened (002 第十九条). */
  emergencyCaseId?: string;
}

/** Raise a warning (also the signal of signal-with-start): opens it, or changes the open one's level. */
export const raiseWarningSignal = defineSignal<[RaiseWarning]>('raiseWarning');
/** A regulator or the risk model changes the level, or clears (消警). */
export const changeLevelUpdate = defineUpdate<RiskWarningState, [LevelChange]>('changeLevel');
/** The enterprise's feedback (核查反馈). */
export const warningFeedbackUpdate = defineUpdate<RiskWarningState, [WarningFeedback]>('warningFeedback');
/** An administrator migrates the warning to another policy version: the clocks are re-planned from the current level's start. */
export const migratePolicyUpdate = defineUpdate<RiskWarningState, [PolicyMigration]>('migratePolicy');
/** The tracking agency acknowledges its tracking task (跟踪确认), with a note. */
export const trackingAcknowledgedSignal =
  defineSignal<[{ by: string; note?: string } & CaseAddressed]>('trackingAcknowledged');
export const riskWarningStateQuery = defineQuery<RiskWarningState>('riskWarningState');

/** Photos and PDFs a feedback may attach. */
export const MAX_FEEDBACK_ATTACHMENTS = 10;
