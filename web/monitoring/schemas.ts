/**
 * The readings interface's payloads, as documented: the service reads each item on its own (a bad item
 * is refused by index while the rest is accepted), so these schemas describe the batch rather than gate it.
 */
import { z } from 'zod';
import { FAULT_STATUSES } from './faults';
import { DEFAULT_INGEST_LIMITS } from './readings';

const ts = z
  .union([z.string().meta({ format: 'date-time' }), z.number().int().meta({ description: 'epoch milliseconds' })])
  .meta({ description: 'ISO-8601 with its offset (2026-01-01T08:00:00+08:00) or epoch milliseconds' });

/** One monitoring reading (监测数据) of a device indicator. */
export const reading = z.object({
  deviceCode: z.string(),
  indicator: z.string().meta({ description: 'indicator code of the device' }),
  value: z.number(),
  ts,
});
/** A fault indicator's status (设备故障, an indicator of kind `fault`): a status, not a value. */
export const faultStatus = z
  .object({
    deviceCode: z.string(),
    indicator: z.string().meta({ description: 'code of an indicator of kind fault' }),
    status: z.enum(FAULT_STATUSES).meta({
      description:
        'fault: the device reports a fault (opens the device-fault case fault/<device>/<indicator>); ok: it works again',
    }),
    ts,
  })
  .meta({ description: 'the status of a fault indicator; a value indicator takes value instead' });
export const readingsBatch = z
  .object({ readings: z.array(z.union([reading, faultStatus])).max(DEFAULT_INGEST_LIMITS.maxBatch) })
  .meta({ description: 'or the bare array of readings' });

/** A video channel's status (视频通道在线状态): `online: false` makes the channel silent at once. */
export const videoStatus = z.object({ channelId: z.string(), online: z.boolean(), ts });
export const videoStatusBatch = z
  .object({ statuses: z.array(videoStatus).max(DEFAULT_INGEST_LIMITS.maxBatch) })
  .meta({ description: 'or the bare array of statuses' });

/** The answer, item by item. */
export const ingestResult = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  refused: z.number().int(),
  results: z.array(
    z.object({
      index: z.number().int(),
      status: z.enum(['accepted', 'duplicate', 'refused']),
      error: z.string().optional(),
      field: z.string().optional(),
    }),
  ),
});
