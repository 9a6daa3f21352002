/**
 * reading_buckets: the stored monitoring readings, one document per device, indicator and UTC hour
 * (`<device>/<indicator>/<YYYY-MM-DDTHH>`), samples keyed by the millisecond offset in the hour
 * (`t<ms>`): writing the same reading twice `$set`s the same key, so it is stored once. Charts and
 * reports read a handful of buckets instead of thousands of documents; the embedded server writes
 * about 1,000 documents/s, so a batch becomes one update per bucket.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export interface ReadingBucketDoc {
  _id: string;
  deviceCode: string;
  indicator: string;
  enterpriseId: string;
  hour: Date; // start of the UTC hour
  /** `t<ms offset in the hour>` → value. */
  samples: Record<string, number>;
  updatedAt: Date;
}
export const readingBucketSchema = new Schema<ReadingBucketDoc>(
  {
    _id: { type: String, required: true },
    deviceCode: { type: String, required: true },
    indicator: { type: String, required: true },
    enterpriseId: { type: String, required: true },
    hour: { type: Date, required: true },
    samples: { type: Schema.Types.Mixed, default: {} },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'reading_buckets', versionKey: false, minimize: false },
);
// Charts of one indicator over a period are an _id range (`<device>/<indicator>/` + hour), no index needed.
// An enterprise's data over a period (one-screen view, data-quality analysis).
readingBucketSchema.index({ enterpriseId: 1, hour: 1 });

export type ReadingBucketModel = Model<ReadingBucketDoc>;
export const readingBucketModel: (conn: Connection) => ReadingBucketModel = modelOn(
  'ReadingBucket',
  readingBucketSchema,
);

/** The bucket of a reading and the sample key inside it. */
export function bucketOf(deviceCode: string, indicator: string, tsMs: number): { id: string; hour: Date; key: string } {
  const hourMs = Math.floor(tsMs / 3_600_000) * 3_600_000;
  const hour = new Date(hourMs);
  return { id: `${deviceCode}/${indicator}/${hour.toISOString().slice(0, 13)}`, hour, key: `t${tsMs - hourMs}` };
}
