/**
 * report_rules: the thresholds that turn report figures into follow-ups (domain/reports/rules
 * ReportRules) as versioned data, one document per version; the highest version is in force for
 * runs started after it, and a run records the version it used. No document → the shipped default
 * (seed 002 第二十九至三十一条).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { ReportRules } from '../domain/reports/rules';

export interface ReportRulesDoc extends ReportRules {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const reportRulesSchema = new Schema<ReportRulesDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    // Validated by domain/reports/rules reportRulesProblems before a write.
    weekly: { type: Schema.Types.Mixed, required: true },
    monthly: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'report_rules', versionKey: false },
);
// The rules in force are the highest _id, and a version by _id: both served by the _id index.

export type ReportRulesModel = Model<ReportRulesDoc>;
export const reportRulesModel: (conn: Connection) => ReportRulesModel = modelOn('ReportRules', reportRulesSchema);
