/**
 * cleaning_plans: an enterprise's dust-cleaning plan (粉尘清扫计划), one document per enterprise:
 * what is cleaned (item), where, how often, by whom. The check-ins (cleaning_check_ins) record
 * what was done; the plan says what should be. Kept by an administrator or the enterprise itself (web/services/adminMasterData.ts createEnterpriseDataForms, used by both pages).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export const CLEANING_FREQUENCIES = ['per_shift', 'daily', 'weekly', 'monthly'] as const;
export type CleaningFrequency = (typeof CLEANING_FREQUENCIES)[number];

export interface CleaningPlanItem {
  item: string; // e.g. 除尘器灰斗
  area?: string; // e.g. 打磨车间
  frequency: CleaningFrequency;
  responsible?: string;
}

export interface CleaningPlanDoc {
  _id: string; // = enterpriseId
  items: CleaningPlanItem[];
  updatedBy: string;
  updatedAt: Date;
}
export const cleaningPlanSchema = new Schema<CleaningPlanDoc>(
  {
    _id: { type: String, required: true },
    items: [
      {
        _id: false,
        item: { type: String, required: true },
        area: String,
        frequency: { type: String, enum: CLEANING_FREQUENCIES, required: true },
        responsible: String,
      },
    ],
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'cleaning_plans', versionKey: false },
);
// One plan per enterprise, read by _id: no further index.

export type CleaningPlanModel = Model<CleaningPlanDoc>;
export const cleaningPlanModel: (conn: Connection) => CleaningPlanModel = modelOn('CleaningPlan', cleaningPlanSchema);
