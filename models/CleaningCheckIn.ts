/** cleaning_check_ins: an enterprise's dust-cleaning check-ins (粉尘清扫打卡): item, person, time, photo. */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface CleaningCheckInDoc {
  enterpriseId: string;
  item: string; // what was cleaned, e.g. 除尘器灰斗
  person: string;
  at: Date;
  photoId?: string; // an upload id (web/services/uploads.ts)
  createdBy: string;
  createdAt: Date;
}
export const cleaningCheckInSchema = new Schema<CleaningCheckInDoc>(
  {
    enterpriseId: { type: String, required: true },
    item: { type: String, required: true },
    person: { type: String, required: true },
    at: { type: Date, required: true },
    photoId: String,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'cleaning_check_ins', versionKey: false },
);
// An enterprise's check-ins, newest first (portal, one-screen view).
cleaningCheckInSchema.index({ enterpriseId: 1, at: -1 });

export type CleaningCheckInModel = Model<CleaningCheckInDoc>;
export const cleaningCheckInModel: (conn: Connection) => CleaningCheckInModel = modelOn(
  'CleaningCheckIn',
  cleaningCheckInSchema,
);
