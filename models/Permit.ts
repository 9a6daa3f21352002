/**
 * permits: the queryable projection of special-work permits (特殊作业票), one document per application,
 * written only by activities/permits.ts from the Permit workflow (workflows/permit.ts), which owns the
 * state. The API's platform feed (GET /api/v1/permits: type, place, time, e-permit) and the regulators'
 * lists and counts read it. `permit_policies` holds the permit rules (domain/permits PermitPolicy) as
 * versioned data, the highest version in force; a running permit keeps the version it started with.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import {
  PERMIT_LEVELS,
  PERMIT_STATUSES,
  WORK_TYPES,
  type PermitApplication,
  type PermitLevel,
  type PermitPolicy,
  type PermitStatus,
  type SignOffRole,
  type WorkType,
} from '../domain/permits';

export interface PermitSignOff {
  role: SignOffRole;
  by: string;
  at: Date;
  note?: string;
}

export interface PermitDoc {
  _id: string; // permitId
  caseId: string; // permit/<permitId>
  enterpriseId: string;
  enterpriseName?: string;
  regionPath: string[];
  industry?: string;
  type: WorkType;
  /** The level the place gives, and the level it is managed at after upgrades. */
  level: PermitLevel;
  managedLevel: PermitLevel;
  place: string;
  content: string;
  validFrom: Date;
  validTo: Date;
  status: PermitStatus;
  /** Issued permit number (`<enterprise>作业票〔2026〕3号`) and its official document id (PDF). */
  number?: string;
  documentId?: string;
  /** The e-permit as applied (hazards, measures, analyses, workers, guardian, signers). */
  application: PermitApplication;
  signOffs: PermitSignOff[];
  policyVersion: number;
  appliedAt: Date;
  issuedAt?: Date;
  startedAt?: Date;
  finishedAt?: Date;
  closedAt?: Date;
  updatedAt: Date;
}

export const permitSchema = new Schema<PermitDoc>(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    enterpriseName: String,
    regionPath: { type: [String], default: [] },
    industry: String,
    type: { type: String, enum: WORK_TYPES, required: true },
    level: { type: String, enum: PERMIT_LEVELS, required: true },
    managedLevel: { type: String, enum: PERMIT_LEVELS, required: true },
    place: { type: String, required: true },
    content: { type: String, required: true },
    validFrom: { type: Date, required: true },
    validTo: { type: Date, required: true },
    status: { type: String, enum: PERMIT_STATUSES, required: true },
    number: String,
    documentId: String,
    application: { type: Schema.Types.Mixed, required: true },
    signOffs: { type: [{ _id: false, role: String, by: String, at: Date, note: String }], default: [] },
    policyVersion: { type: Number, required: true },
    appliedAt: { type: Date, required: true },
    issuedAt: Date,
    startedAt: Date,
    finishedAt: Date,
    closedAt: Date,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'permits', versionKey: false },
);
// An enterprise's permits, newest first (the portal, the API for an enterprise token).
permitSchema.index({ enterpriseId: 1, appliedAt: -1 });
// A regulator's jurisdiction: permits under a region, by status (active permits list and dashboard count).
permitSchema.index({ regionPath: 1, status: 1 });
// The number is unique through the official document it is drawn with (official_documents.number).

export type PermitModel = Model<PermitDoc>;
export const permitModel: (conn: Connection) => PermitModel = modelOn('Permit', permitSchema);

export interface PermitPolicyDoc extends PermitPolicy {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const permitPolicySchema = new Schema<PermitPolicyDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    // Per type and level, validated by domain/permits permitPolicyProblems before a write.
    rules: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'permit_policies', versionKey: false },
);
// The policy in force is the highest _id: served by the _id index.

export type PermitPolicyModel = Model<PermitPolicyDoc>;
export const permitPolicyModel: (conn: Connection) => PermitPolicyModel = modelOn('PermitPolicy', permitPolicySchema);

/** The policy in force: the highest stored version, else the shipped default. */
export async function permitPolicyInForce(model: PermitPolicyModel, fallback: PermitPolicy): Promise<PermitPolicy> {
  const doc = await model.findOne({}, { updatedBy: 0, updatedAt: 0 }).sort({ _id: -1 }).lean();
  return doc ? { version: doc.version, rules: doc.rules } : fallback;
}
