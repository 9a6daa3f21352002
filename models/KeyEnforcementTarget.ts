/**
 * key_enforcement_targets: the yearly list of key enforcement targets (年度执法检查重点对象, 002 第三十、三十一条),
 * one document per enterprise and Beijing year (`<year>/<enterpriseId>`), upserted by each monthly report run
 * with the month and the reason it was listed (a re-run of a month replaces that month's entry, never adds
 * one); the on-site enforcement inspection (现场执法检查) once scheduled.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface KeyTargetMonth {
  month: string; // YYYY-MM (Beijing)
  reason: string;
  /** 0 red … 3 blue: the highest level that listed it. */
  priority: number;
  reportId: string;
}

export interface KeyEnforcementTargetDoc {
  _id: string; // <year>/<enterpriseId>
  year: number;
  enterpriseId: string;
  /** Copied from the enterprise at listing: the jurisdiction cut (domain/access canSeeEnterprise). */
  regionPath: string[];
  industry: string;
  months: KeyTargetMonth[];
  inspection?: { taskId: string; agencyId?: string; scheduledBy: string; scheduledAt: Date; note?: string };
  updatedAt: Date;
}

export const keyEnforcementTargetSchema = new Schema<KeyEnforcementTargetDoc>(
  {
    _id: { type: String, required: true },
    year: { type: Number, required: true },
    enterpriseId: { type: String, required: true },
    regionPath: { type: [String], default: [] },
    industry: { type: String },
    months: {
      type: [{ _id: false, month: String, reason: String, priority: Number, reportId: String }],
      default: [],
    },
    inspection: {
      type: { _id: false, taskId: String, agencyId: String, scheduledBy: String, scheduledAt: Date, note: String },
      required: false,
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'key_enforcement_targets', versionKey: false },
);
// The year's list (GET /api/v1/key-targets?year=): by year, then cut by jurisdiction.
keyEnforcementTargetSchema.index({ year: 1 });

export type KeyEnforcementTargetModel = Model<KeyEnforcementTargetDoc>;
export const keyEnforcementTargetModel: (conn: Connection) => KeyEnforcementTargetModel = modelOn(
  'KeyEnforcementTarget',
  keyEnforcementTargetSchema,
);
