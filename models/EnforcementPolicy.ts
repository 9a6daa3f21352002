/**
 * enforcement_policies: the clocks of interviews and penalties (domain/enforcement
 * EnforcementPolicy) as versioned data, one document per version; the highest version is in force
 * for follow-ups opened after it, and each one keeps the version it started with. No document → the
 * shipped default.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { EnforcementPolicy } from '../domain/enforcement';

export interface EnforcementPolicyDoc extends EnforcementPolicy {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const enforcementPolicySchema = new Schema<EnforcementPolicyDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    // Validated by domain/enforcement enforcementPolicyProblems before a write.
    interview: { type: Schema.Types.Mixed, required: true },
    penalty: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'enforcement_policies', versionKey: false },
);
// The policy in force is the highest _id, and a version by _id: both served by the _id index.

export type EnforcementPolicyModel = Model<EnforcementPolicyDoc>;
export const enforcementPolicyModel: (conn: Connection) => EnforcementPolicyModel = modelOn(
  'EnforcementPolicy',
  enforcementPolicySchema,
);
