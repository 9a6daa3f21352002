/**
 * device_day_stats: per device (sensor or video channel) per day (Asia/Shanghai) figures, kept up
 * to date as data arrives. The weekly and monthly reports read these, never raw readings.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface DeviceDayStatDoc {
  _id: string; // <sourceKind>/<sourceId>/<YYYY-MM-DD>
  sourceKind: 'sensor' | 'video';
  sourceId: string; // device code or video channel id
  enterpriseId: string;
  regionPath: string[];
  industry: string;
  day: string; // YYYY-MM-DD in Asia/Shanghai
  /** Seconds of the day without data past the expected interval (suspended time excluded). */
  offlineSeconds: number;
  /** Seconds of the day covered by an approved suspension. */
  suspendedSeconds: number;
  /** Readings received (all indicators) and their expected count. */
  readings: number;
  expectedReadings: number;
  alarms: number; // alarm cases opened that day
  outOfRange: number; // readings outside the measurement range
  frozen: number; // indicators flagged as frozen value that day
  /** Data quality (002 附件2 三(二)3): readings of an indicator in alarm that came more than 10 s after the one before. */
  slowAlarmReadings?: number;
  /** Data quality (002 附件5 三(一)(3), 003): readings received more than 2 minutes after they were measured. */
  lateReadings?: number;
  /** Enterprise → platform latency (received − measured), summed over the day's readings and its maximum, ms. */
  latencySumMs?: number;
  latencyMaxMs?: number;
  updatedAt: Date;
}
export const deviceDayStatSchema = new Schema<DeviceDayStatDoc>(
  {
    _id: { type: String, required: true },
    sourceKind: { type: String, enum: ['sensor', 'video'], required: true },
    sourceId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    regionPath: { type: [String], default: [] },
    industry: { type: String, required: true },
    day: { type: String, required: true },
    offlineSeconds: { type: Number, default: 0 },
    suspendedSeconds: { type: Number, default: 0 },
    readings: { type: Number, default: 0 },
    expectedReadings: { type: Number, default: 0 },
    alarms: { type: Number, default: 0 },
    outOfRange: { type: Number, default: 0 },
    frozen: { type: Number, default: 0 },
    slowAlarmReadings: { type: Number, default: 0 },
    lateReadings: { type: Number, default: 0 },
    latencySumMs: { type: Number, default: 0 },
    latencyMaxMs: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'device_day_stats', versionKey: false },
);
// Reports: all sources of a period ($match day range, $group by enterprise/region).
deviceDayStatSchema.index({ day: 1, enterpriseId: 1 });

export type DeviceDayStatModel = Model<DeviceDayStatDoc>;
export const deviceDayStatModel: (conn: Connection) => DeviceDayStatModel = modelOn(
  'DeviceDayStat',
  deviceDayStatSchema,
);
