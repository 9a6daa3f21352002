/**
 * alarm_policies: the monitoring-alarm policy (domain/alarms.ts AlarmPolicy) as versioned data, one
 * document per version; the highest version is in force. A running alarm case keeps the version it
 * started with (it is in the workflow's input). No document → the shipped default.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { AlarmPolicy } from '../domain/alarms';

export interface AlarmPolicyDoc extends AlarmPolicy {
  _id: number; // = version
  updatedBy: string;
  updatedAt: Date;
}
export const alarmPolicySchema = new Schema<AlarmPolicyDoc>(
  {
    _id: { type: Number, required: true },
    version: { type: Number, required: true },
    debounceReadings: { type: Number, required: true },
    deadbandFraction: { type: Number, required: true },
    normalReadings: { type: Number, required: true },
    disposalWithin: { type: String, required: true },
    frozenReadings: { type: Number, required: true },
    burstAlarmsPerDay: { type: Number, required: true },
    // Absent in versions stored before device faults: faultRepairWithinOf reads the default.
    faultRepairWithin: String,
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'alarm_policies', versionKey: false },
);
// The policy in force is the highest _id: served by the _id index.

export type AlarmPolicyModel = Model<AlarmPolicyDoc>;
export const alarmPolicyModel: (conn: Connection) => AlarmPolicyModel = modelOn('AlarmPolicy', alarmPolicySchema);
