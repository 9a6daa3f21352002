/**
 * escalation_policies: the risk-warning escalation ladder (domain/escalation EscalationPolicy) as
 * versioned data, one document per version; the highest version is in force for warnings opened
 * after it. A running warning keeps the version it started with (recorded in its case). No document →
 * the shipped default (seed 002 第二十至二十三条).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { EscalationPolicy } from '../domain/escalation';

export interface EscalationPolicyDoc extends EscalationPolicy {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const escalationPolicySchema = new Schema<EscalationPolicyDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    // The rungs per level, validated by domain/escalation escalationPolicyProblems before a write.
    levels: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'escalation_policies', versionKey: false },
);
// The policy in force is the highest _id, and a version by _id: both served by the _id index.

export type EscalationPolicyModel = Model<EscalationPolicyDoc>;
export const escalationPolicyModel: (conn: Connection) => EscalationPolicyModel = modelOn(
  'EscalationPolicy',
  escalationPolicySchema,
);
