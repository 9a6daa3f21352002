/**
 * case_records: the queryable projection of every case workflow (inbox, search, reports).
 * The workflow owns the process state; this collection is written only by idempotent activities.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import { CASE_STATUSES, CASE_TYPES, LEVELS, Deadline, TimelineEntry } from '../domain/cases';

export interface CaseRecordDoc {
  _id: string; // the workflow id
  type: (typeof CASE_TYPES)[number];
  enterpriseId?: string;
  /** Copied from the enterprise at open: inbox and spot-check filters by jurisdiction without a join. */
  regionPath?: string[];
  industry?: string;
  /** The earliest open deadline: sort by it, and overdue = nextDue < now. */
  nextDue?: Date;
  /** Agency tracking the case (跟踪部门), when there is one. */
  trackingAgencyId?: string;
  /** The case that spawned this one (e.g. a warning for an on-site supervision). */
  parentCaseId?: string;
  title: string;
  level?: (typeof LEVELS)[number];
  status: (typeof CASE_STATUSES)[number];
  policyVersion?: number;
  openedAt: Date;
  closedAt?: Date;
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  updatedAt: Date;
}

const timelineSchema = new Schema<TimelineEntry>(
  {
    key: { type: String, required: true },
    at: { type: String, required: true },
    kind: { type: String, required: true },
    actor: { type: String, required: true },
    recipients: [String],
    detail: String,
    attachments: { type: [String], default: undefined },
  },
  { _id: false },
);

export const caseRecordSchema = new Schema<CaseRecordDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: CASE_TYPES, required: true },
    enterpriseId: String,
    regionPath: { type: [String], default: undefined },
    industry: String,
    nextDue: Date,
    trackingAgencyId: String,
    parentCaseId: String,
    title: { type: String, required: true },
    level: { type: String, enum: LEVELS },
    status: { type: String, enum: CASE_STATUSES, required: true },
    policyVersion: Number,
    openedAt: { type: Date, required: true },
    closedAt: Date,
    deadlines: [{ _id: false, kind: String, due: String }],
    timeline: [timelineSchema],
    updatedAt: { type: Date, required: true },
  },
  { collection: 'case_records', versionKey: false },
);
// Inbox and API list: GET /api/v1/cases?type=&status= sorted by newest.
caseRecordSchema.index({ type: 1, status: 1, openedAt: -1 });
// An enterprise's cases (portal, one-screen view).
caseRecordSchema.index({ enterpriseId: 1, openedAt: -1 });
// Inbox by jurisdiction, soonest deadline first; overdue filter.
caseRecordSchema.index({ regionPath: 1, status: 1, nextDue: 1 });

export type CaseRecordModel = Model<CaseRecordDoc>;
export const caseRecordModel: (conn: Connection) => CaseRecordModel = modelOn('CaseRecord', caseRecordSchema);
