/**
 * risk_rules: the risk model's rules (domain/risk RiskRules — window, damping hold time, scales, per industry group
 * the factors' weights and saturation points and the bands) as versioned data, one document per version; the
 * highest version is in force and applies to the next computation (each computation records its version).
 * No document → the shipped default DEFAULT_RISK_RULES (warnflow's figures; the seeds give none but two).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { RiskRules } from '../domain/risk';

export interface RiskRulesDoc extends RiskRules {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const riskRulesSchema = new Schema<RiskRulesDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    window: { type: String, required: true },
    // Validated by domain/risk/validate riskRulesProblems before a write.
    damping: { type: Schema.Types.Mixed, required: true },
    scales: { type: Schema.Types.Mixed, required: true },
    groups: { type: Schema.Types.Mixed, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'risk_rules', versionKey: false },
);
// The rules in force are the highest _id: served by the _id index.

export type RiskRulesModel = Model<RiskRulesDoc>;
export const riskRulesModel: (conn: Connection) => RiskRulesModel = modelOn('RiskRules', riskRulesSchema);

/** The rules in force: the highest stored version, else the shipped default. */
export async function riskRulesInForce(model: RiskRulesModel, fallback: RiskRules): Promise<RiskRules> {
  const doc = await model.findOne({}, { updatedBy: 0, updatedAt: 0 }).sort({ _id: -1 }).lean();
  return doc
    ? { version: doc.version, window: doc.window, damping: doc.damping, scales: doc.scales, groups: doc.groups }
    : fallback;
}
