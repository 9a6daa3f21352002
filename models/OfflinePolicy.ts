/**
 * offline_policies: the offline rules (domain/offline.ts OfflinePolicy — missed intervals, the 2-day and
 * 5-day interview steps, the sweep interval) as versioned data, one document per version; the highest
 * version is in force. A running offline case keeps the version it started with (in its input).
 * No document → the shipped default (seed 002 第二十九至三十一条).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { OfflinePolicy } from '../domain/offline';

export interface OfflinePolicyDoc extends OfflinePolicy {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const offlinePolicySchema = new Schema<OfflinePolicyDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    missedIntervals: { type: Number, required: true },
    districtInterviewAfter: { type: String, required: true },
    regionInterviewAfter: { type: String, required: true },
    sweepEvery: { type: String, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'offline_policies', versionKey: false },
);
// The policy in force is the highest _id: served by the _id index.

export type OfflinePolicyModel = Model<OfflinePolicyDoc>;
export const offlinePolicyModel: (conn: Connection) => OfflinePolicyModel = modelOn(
  'OfflinePolicy',
  offlinePolicySchema,
);

/** The policy in force: the highest stored version, else the shipped default. */
export async function offlinePolicyInForce(model: OfflinePolicyModel, fallback: OfflinePolicy): Promise<OfflinePolicy> {
  const doc = await model.findOne({}, { updatedBy: 0, updatedAt: 0 }).sort({ _id: -1 }).lean();
  return doc
    ? {
        version: doc.version,
        missedIntervals: doc.missedIntervals,
        districtInterviewAfter: doc.districtInterviewAfter,
        regionInterviewAfter: doc.regionInterviewAfter,
        sweepEvery: doc.sweepEvery,
      }
    : fallback;
}
