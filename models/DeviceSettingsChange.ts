/**
 * device_settings_changes: an enterprise's change of its devices' thresholds or reporting intervals,
 * held until the zone safety department decides (a `deviceSettingsReview` task, `_id` = the task id).
 * Before and after are kept whatever the decision (the audit trail names them too).
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface DeviceSettingsChangeDoc {
  _id: string; // = the review task's id: device-settings/<deviceId>/<requested ms>/review
  deviceId: string;
  enterpriseId: string;
  /** The device's indicators when the change was asked for, and the ones asked for. */
  before: Record<string, unknown>[];
  after: Record<string, unknown>[];
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: Date;
  decidedBy?: string;
  decidedAt?: Date;
  note?: string;
}
export const deviceSettingsChangeSchema = new Schema<DeviceSettingsChangeDoc>(
  {
    _id: { type: String, required: true },
    deviceId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    before: { type: Schema.Types.Mixed, default: [] },
    after: { type: Schema.Types.Mixed, default: [] },
    status: { type: String, enum: ['pending', 'approved', 'rejected'], required: true },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    decidedBy: String,
    decidedAt: Date,
    note: String,
  },
  { collection: 'device_settings_changes', versionKey: false },
);
deviceSettingsChangeSchema.index({ deviceId: 1, status: 1 });

export type DeviceSettingsChangeModel = Model<DeviceSettingsChangeDoc>;
export const deviceSettingsChangeModel: (conn: Connection) => DeviceSettingsChangeModel = modelOn(
  'DeviceSettingsChange',
  deviceSettingsChangeSchema,
);
