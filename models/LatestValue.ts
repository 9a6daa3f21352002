/**
 * latest_values: per device indicator, the last reading (live values on the spot-check screen and the
 * enterprise portal) and the alarm/data-quality state the next reading is judged against (domain/alarms.ts).
 * device_liveness: per device (sensor or video channel), when it last reported and when it turns silent;
 * the offline sweeper reads it.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';
import type { IndicatorState } from '../domain/alarms';

export interface LatestValueDoc {
  _id: string; // <device>/<indicator>
  deviceCode: string;
  indicator: string;
  enterpriseId: string;
  value: number;
  ts: Date;
  receivedAt: Date;
  state: IndicatorState;
  outOfRange: boolean;
}
export const latestValueSchema = new Schema<LatestValueDoc>(
  {
    _id: { type: String, required: true },
    deviceCode: { type: String, required: true },
    indicator: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    value: { type: Number, required: true },
    ts: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    state: { type: Schema.Types.Mixed, required: true },
    outOfRange: { type: Boolean, default: false },
  },
  { collection: 'latest_values', versionKey: false },
);
// Live values of an enterprise's devices (spot check, portal).
latestValueSchema.index({ enterpriseId: 1 });

export type LatestValueModel = Model<LatestValueDoc>;
export const latestValueModel: (conn: Connection) => LatestValueModel = modelOn('LatestValue', latestValueSchema);

export interface DeviceLivenessDoc {
  _id: string; // <sourceKind>/<sourceId>
  sourceKind: 'sensor' | 'video';
  sourceId: string;
  enterpriseId: string;
  lastSeenAt: Date;
  /** lastSeenAt + missed intervals × expected interval. */
  silentAfter: Date;
  /** An offline case is open for it (set by the sweeper, cleared when data resumes). */
  offline: boolean;
  offlineSince?: Date;
  /** Offline time already added to device_day_stats up to this instant. */
  accountedUntil?: Date;
  /**
   * Silent under an approved suspension (停用许可) until this instant: offline for the statistics (its
   * seconds count as suspended), but no offline case; the sweeper opens one if it is still silent then.
   */
  suspendedUntil?: Date;
  /** Registered but never reported (enrolled by the sweeper; 应接未接): offline from registration. */
  neverReported?: boolean;
}
export const deviceLivenessSchema = new Schema<DeviceLivenessDoc>(
  {
    _id: { type: String, required: true },
    sourceKind: { type: String, enum: ['sensor', 'video'], required: true },
    sourceId: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    lastSeenAt: { type: Date, required: true },
    silentAfter: { type: Date, required: true },
    offline: { type: Boolean, default: false },
    offlineSince: Date,
    accountedUntil: Date,
    suspendedUntil: Date,
    neverReported: Boolean,
  },
  { collection: 'device_liveness', versionKey: false },
);
// Sweeper: sources silent now and not yet offline ({offline:false, silentAfter < now}); accounting: {offline:true}.
deviceLivenessSchema.index({ offline: 1, silentAfter: 1 });
// Sweeper: suspensions that ended while the source stayed silent ({suspendedUntil < now}).
deviceLivenessSchema.index({ suspendedUntil: 1 }, { sparse: true });
// Risk model: an enterprise's sources and their online share ({enterpriseId: {$in: page}}).
deviceLivenessSchema.index({ enterpriseId: 1 });

export type DeviceLivenessModel = Model<DeviceLivenessDoc>;
export const deviceLivenessModel: (conn: Connection) => DeviceLivenessModel = modelOn(
  'DeviceLiveness',
  deviceLivenessSchema,
);
