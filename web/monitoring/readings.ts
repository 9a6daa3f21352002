/**
 * The monitoring-data interface (监测数据接口): enterprises push readings and video-channel status with
 * their data-interface key. Every item is validated and answered (accepted / duplicate / refused with
 * the problem named); readings are stored in hour buckets (models/ReadingBucket.ts) with one update per
 * bucket, then the daily statistics, the liveness of each device, the alarm state machine
 * (domain/alarms.ts) and the cases it opens or feeds (signal-with-start `alarm/<device>/<indicator>`).
 *
 * Nothing is acknowledged before it is stored: a database error answers 503 with Retry-After, and a
 * retried batch stores nothing twice (samples are keyed by their timestamp). Too many batches in
 * flight answer 429 with Retry-After.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ConnectionStates, type Connection } from 'mongoose';
import {
  AlarmPolicy,
  DEFAULT_ALARM_POLICY,
  Evaluation,
  INITIAL_STATE,
  IndicatorState,
  evaluateReading,
} from '../../domain/alarms';
import { caseIds } from '../../domain/cases';
import { DEFAULT_OFFLINE_POLICY, OfflinePolicy, silentAfter } from '../../domain/offline';
import { beijingDay } from '../../domain/time';
import { parseDataKey, verifyDataKey } from '../../lib/dataKeys';
import type { Models } from '../../models';
import type { LatestValueDoc } from '../../models/LatestValue';
import { offlinePolicyInForce } from '../../models/OfflinePolicy';
import { bucketOf } from '../../models/ReadingBucket';
import type { DeviceDoc, EnterpriseDoc, IndicatorDoc, VideoChannelDoc } from '../../models/masterData';
import { alarmBreachSignal, alarmNormalSignal, monitoringAlarm } from '../../workflows/monitoringAlarm';
import { dataResumedSignal } from '../../workflows/deviceOffline';
import { type FaultChange, judgeFaultStatus, reportsFault, sampleOf, signalFaultCases } from './faults';
import { HttpError } from '../errors';
import { caseSearchAttributes } from '../../config/searchAttributes';

export interface IngestLimits {
  maxBatch: number;
  maxInFlight: number;
  maxFutureMs: number;
  maxAgeMs: number;
  cacheMs: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxBatch: 1000,
  maxInFlight: 32,
  maxFutureMs: 5 * 60_000,
  maxAgeMs: 7 * 86_400_000,
  // Devices, enterprises and the alarm policy are cached this long: a changed threshold takes effect within it.
  // Keys are not cached: a revoked key is refused at once by every web process (one lookup by _id per request).
  cacheMs: 60_000,
};

/** 002 附件2 三(二)3: while an indicator is in alarm its readings come at least every 10 seconds. */
export const ALARM_READING_EVERY_MS = 10_000;
/** 002 附件5 三(一)(3), 003: enterprise → platform latency at most 2 minutes. */
export const MAX_LATENCY_MS = 120_000;

/** A publisher the MQTT broker authenticated with a data key of this enterprise. */
export interface BrokerPublisher {
  enterpriseId: string;
}

export type ItemStatus = 'accepted' | 'duplicate' | 'refused';
export interface ItemResult {
  index: number;
  status: ItemStatus;
  error?: string;
  field?: string;
}
export interface IngestResult {
  accepted: number;
  duplicates: number;
  refused: number;
  results: ItemResult[];
}

/** A device (sensor) or video channel seen in a batch: its newest time and how often it should report. */
interface DeviceSeen {
  kind: 'sensor' | 'video';
  id: string;
  enterpriseId: string;
  lastMs: number;
  intervalSec: number;
  online: boolean;
}
/** The devices of a batch by liveness id (`sensor/<id>`, `video/<id>`). */
type SeenDevices = Map<string, DeviceSeen>;

interface GoodReading {
  index: number;
  device: DeviceDoc;
  ind: IndicatorDoc;
  value: number;
  tsMs: number;
  bucket: ReturnType<typeof bucketOf>;
}

/** Errors that mean "the database is not there right now": 503, try again. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string };
  return (
    /^Mongo(Network|ServerSelection|NotConnected|Topology|PoolCleared|NetworkTimeout)/.test(e?.name ?? '') ||
    /MongooseServerSelectionError|buffering timed out|connection .* closed|ECONNREFUSED|Client must be connected|topology was destroyed/i.test(
      `${e?.name} ${e?.message}`,
    )
  );
}

type BulkTarget<Op> = { bulkWrite(ops: Op[], opts: { ordered: boolean }): Promise<unknown> };

/**
 * Unordered bulk upserts. Two batches upserting the same new _id at once can lose the race with a
 * duplicate-key error; only the failed operations are run again (they then update the document the
 * winner created), so an `$inc` is never applied twice.
 */
export async function bulkUpsert<Op>(target: BulkTarget<Op>, ops: Op[]): Promise<void> {
  let pending = ops;
  for (let attempt = 0; ; attempt++) {
    try {
      await target.bulkWrite(pending, { ordered: false });
      return;
    } catch (err) {
      const raw = (err as { writeErrors?: unknown }).writeErrors;
      const errs = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { code?: number; index: number }[];
      if (attempt >= 2 || !errs.length || !errs.every((w) => w.code === 11000)) throw err;
      pending = errs.map((w) => pending[w.index]);
    }
  }
}

/** Temporal unreachable (gRPC UNAVAILABLE / DEADLINE_EXCEEDED): the readings may be stored but their alarm signals are not sent, so 503 and a resend. */
export function isCaseServiceUnavailable(err: unknown): boolean {
  const e = err as { code?: number; cause?: { code?: number } };
  return [e?.code, e?.cause?.code].some((c) => c === 14 || c === 4);
}

/** A data-interface key's lastUsedAt is as fresh as this (web/access data-key pages show it). */
const LAST_USED_EVERY_MS = 60_000;

class TtlCache<V> {
  private m = new Map<string, { v: V; until: number }>();
  constructor(private ttlMs: number) {}
  get(k: string): V | undefined {
    const e = this.m.get(k);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.m.delete(k);
      return undefined;
    }
    return e.v;
  }
  delete(k: string) {
    this.m.delete(k);
  }
  set(k: string, v: V) {
    if (this.m.size > 50_000) this.m.clear();
    this.m.set(k, { v, until: Date.now() + this.ttlMs });
  }
}

function parseTs(ts: unknown): number | undefined {
  if (typeof ts === 'number' && Number.isFinite(ts)) return ts;
  if (typeof ts === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts)) {
    const ms = Date.parse(ts);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

export interface ReadingServiceDeps {
  models: Models;
  db: Connection;
  temporal: Client;
  taskQueue: string;
  publicUrl: string;
  limits?: Partial<IngestLimits>;
  alarmPolicy?: AlarmPolicy;
  offlinePolicy?: OfflinePolicy;
  /** Told the counts of each answered batch (the readings counter of /metrics, web/metrics). */
  tally?: (kind: 'reading' | 'video_status', counts: Omit<IngestResult, 'results'>) => void;
}

export function createReadingService(deps: ReadingServiceDeps) {
  const { models, temporal } = deps;
  const limits: IngestLimits = { ...DEFAULT_INGEST_LIMITS, ...deps.limits };
  let policyCache: { policy: AlarmPolicy; until: number } | undefined;
  /** The alarm policy in force: the highest version in alarm_policies, else the shipped default (cached briefly). */
  async function alarmPolicyNow(): Promise<AlarmPolicy> {
    if (deps.alarmPolicy) return deps.alarmPolicy;
    if (policyCache && policyCache.until > Date.now()) return policyCache.policy;
    const doc = await models.AlarmPolicy.findOne({}, { updatedBy: 0, updatedAt: 0 }).sort({ _id: -1 }).lean();
    const policy: AlarmPolicy = doc
      ? {
          version: doc.version,
          debounceReadings: doc.debounceReadings,
          deadbandFraction: doc.deadbandFraction,
          normalReadings: doc.normalReadings,
          disposalWithin: doc.disposalWithin,
          frozenReadings: doc.frozenReadings,
          burstAlarmsPerDay: doc.burstAlarmsPerDay,
          ...(doc.faultRepairWithin ? { faultRepairWithin: doc.faultRepairWithin } : {}),
        }
      : DEFAULT_ALARM_POLICY;
    policyCache = { policy, until: Date.now() + limits.cacheMs };
    return policy;
  }
  let offlineCache: { policy: OfflinePolicy; until: number } | undefined;
  /** The offline policy in force (its missed intervals decide when a source is silent): the highest stored version, cached briefly. */
  async function offlinePolicyNow(): Promise<OfflinePolicy> {
    if (deps.offlinePolicy) return deps.offlinePolicy;
    if (offlineCache && offlineCache.until > Date.now()) return offlineCache.policy;
    const policy = await offlinePolicyInForce(models.OfflinePolicy, DEFAULT_OFFLINE_POLICY);
    offlineCache = { policy, until: Date.now() + limits.cacheMs };
    return policy;
  }
  /** When this process last wrote each key's lastUsedAt. */
  const lastUsedWritten = new Map<string, number>();
  const deviceCache = new TtlCache<DeviceDoc | null>(limits.cacheMs);
  const channelCache = new TtlCache<VideoChannelDoc | null>(limits.cacheMs);
  const enterpriseCache = new TtlCache<EnterpriseDoc | null>(limits.cacheMs);
  let inFlight = 0;

  function unavailable(): HttpError {
    return new HttpError(
      503,
      'the monitoring-data store is unavailable; nothing of this batch was acknowledged, send it again later',
      undefined,
      { 'Retry-After': '5' },
    );
  }

  /** Runs a batch under the in-flight limit and turns database failures into 503. */
  async function guarded<T>(fn: () => Promise<T>): Promise<T> {
    if (inFlight >= limits.maxInFlight)
      throw new HttpError(
        429,
        `too many batches in flight (${limits.maxInFlight}); slow down and send again`,
        undefined,
        { 'Retry-After': '1' },
      );
    if (deps.db.readyState !== ConnectionStates.connected) throw unavailable();
    inFlight++;
    try {
      return await fn();
    } catch (err) {
      if (err instanceof HttpError) throw err;
      // A resent batch stores nothing twice and is judged again (the alarm state is written last).
      if (isDatabaseUnavailable(err) || isCaseServiceUnavailable(err)) throw unavailable();
      throw err;
    } finally {
      inFlight--;
    }
  }

  /** The presented key, or 401 when there is none or it cannot be a data-interface key (no database work). */
  function presentedKey(authorization: string | undefined): string {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m || !parseDataKey(m[1]))
      throw new HttpError(
        401,
        'a data-interface key is required: Authorization: Bearer wfk.<keyId>.<secret>',
        'authorization',
        { 'WWW-Authenticate': 'Bearer' },
      );
    return m[1];
  }

  async function authenticate(authorization: string | undefined): Promise<string> {
    const key = presentedKey(authorization);
    const v = await verifyDataKey(models.DataKey, key);
    if (!v)
      throw new HttpError(401, 'the data-interface key is unknown, revoked or wrong', 'authorization', {
        'WWW-Authenticate': 'Bearer',
      });
    // Once a minute per key at most: a write (a database commit) per batch costs the interface in a storm.
    const now = Date.now();
    if (now - (lastUsedWritten.get(v.keyId) ?? 0) >= LAST_USED_EVERY_MS) {
      lastUsedWritten.set(v.keyId, now);
      models.DataKey.updateOne({ _id: v.keyId }, { $set: { lastUsedAt: new Date(now) } }).catch(() => undefined);
    }
    return v.enterpriseId;
  }

  async function loadMany<V extends { _id: string }>(
    ids: string[],
    cache: TtlCache<V | null>,
    find: (ids: string[]) => Promise<V[]>,
  ): Promise<Map<string, V>> {
    const out = new Map<string, V>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const c = cache.get(id);
      if (c === undefined) missing.push(id);
      else if (c) out.set(id, c);
    }
    if (missing.length) {
      const found = await find(missing);
      for (const d of found) out.set(d._id, d);
      for (const id of missing) cache.set(id, out.get(id) ?? null);
    }
    return out;
  }

  function itemsOf(body: unknown, key: 'readings' | 'statuses'): unknown[] {
    const items = Array.isArray(body) ? body : (body as Record<string, unknown> | null)?.[key];
    if (!Array.isArray(items))
      throw new HttpError(400, `${key}: must be an array of items (or send the array as the body)`, key);
    if (items.length === 0) throw new HttpError(400, `${key}: must not be empty`, key);
    if (items.length > limits.maxBatch)
      throw new HttpError(
        413,
        `${key}: at most ${limits.maxBatch} items per batch (got ${items.length}); split the batch`,
        key,
      );
    return items;
  }

  function checkTs(ts: unknown, now: number): { ms?: number; error?: string } {
    const ms = parseTs(ts);
    if (ms === undefined)
      return {
        error: 'ts: must be an ISO-8601 instant with its offset (2026-01-01T08:00:00+08:00) or epoch milliseconds',
      };
    if (ms > now + limits.maxFutureMs)
      return {
        error: `ts: ${new Date(ms).toISOString()} is more than ${limits.maxFutureMs / 60000} min in the future`,
      };
    if (ms < now - limits.maxAgeMs)
      return { error: `ts: ${new Date(ms).toISOString()} is older than ${limits.maxAgeMs / 86_400_000} days` };
    return { ms };
  }

  /** Devices (or channels) seen in this batch: refresh their liveness, and tell open offline cases that data resumed. */
  async function touchLiveness(seen: SeenDevices) {
    if (!seen.size) return;
    const ids = [...seen.keys()];
    const now = Date.now();
    const offlinePolicy = await offlinePolicyNow();
    // The upsert leaves `offline` alone, so reading it at the same time sees the state before this batch.
    const [wasOffline] = await Promise.all([
      models.DeviceLiveness.find({ _id: { $in: ids }, offline: true }, { _id: 1, offlineSince: 1 }).lean(),
      bulkUpsert(
        models.DeviceLiveness,
        [...seen.entries()].map(([id, s]) => {
          const last = new Date(Math.min(s.lastMs, now));
          const online = s.online;
          return {
            updateOne: {
              filter: { _id: id },
              update: online
                ? {
                    $max: {
                      lastSeenAt: last,
                      silentAfter: new Date(silentAfter(last.getTime(), s.intervalSec, offlinePolicy)),
                    },
                    $setOnInsert: { sourceKind: s.kind, sourceId: s.id, enterpriseId: s.enterpriseId, offline: false },
                    // Enrolled by the sweeper as never reported (应接未接): it has reported now.
                    $unset: { neverReported: 1 },
                  }
                : // A channel reporting itself offline: silent from now on.
                  {
                    $set: { silentAfter: last },
                    $setOnInsert: {
                      sourceKind: s.kind,
                      sourceId: s.id,
                      enterpriseId: s.enterpriseId,
                      offline: false,
                      lastSeenAt: last,
                    },
                  },
              upsert: true,
            },
          };
        }),
      ),
    ]);
    for (const o of wasOffline) {
      const s = seen.get(o._id)!;
      if (!s.online) continue;
      const at = new Date(Math.min(s.lastMs, now)).toISOString();
      try {
        await temporal.workflow.getHandle(caseIds.deviceOffline(s.kind, s.id)).signal(dataResumedSignal, { at });
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      await models.DeviceLiveness.updateOne(
        { _id: o._id, offline: true },
        { $set: { offline: false }, $unset: { offlineSince: 1, suspendedUntil: 1 } },
      );
    }
  }

  type DayStat = {
    device: DeviceDoc;
    day: string;
    readings: number;
    outOfRange: number;
    frozen: number;
    slowAlarm: number;
    late: number;
    latencySum: number;
    latencyMax: number;
  };
  type LatestWrite = { id: string; g: GoodReading; state: IndicatorState; outOfRange: boolean };
  type Refuse = (i: number, field: string, error: string) => unknown;

  /** Each item checked on its own (a bad one is refused by index, naming its field); the good ones, without repeats in the batch. */
  function checkReadings(
    items: unknown[],
    devices: Map<string, DeviceDoc>,
    enterpriseId: string,
    now: number,
    results: ItemResult[],
    refuse: Refuse,
  ): GoodReading[] {
    const good: GoodReading[] = [];
    const seenKeys = new Set<string>();
    items.forEach((raw, i) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        return refuse(i, 'readings', `item ${i} must be an object {deviceCode, indicator, value, ts}`);
      const it = raw as Record<string, unknown>;
      if (typeof it.deviceCode !== 'string' || !it.deviceCode)
        return refuse(i, 'deviceCode', 'must be a non-empty string');
      const device = devices.get(it.deviceCode);
      if (!device) return refuse(i, 'deviceCode', `unknown device ${it.deviceCode}`);
      if (device.enterpriseId !== enterpriseId)
        return refuse(i, 'deviceCode', `device ${it.deviceCode} belongs to another enterprise`);
      if (device.status === 'retired') return refuse(i, 'deviceCode', `device ${it.deviceCode} is retired`);
      if (typeof it.indicator !== 'string' || !it.indicator)
        return refuse(i, 'indicator', 'must be a non-empty string');
      const ind = device.indicators.find((x) => x.code === it.indicator);
      if (!ind)
        return refuse(
          i,
          'indicator',
          `device ${device._id} has no indicator ${it.indicator} (it has ${device.indicators.map((x) => x.code).join(', ') || 'none'})`,
        );
      // A value, or a fault indicator's status (web/monitoring/faults.ts).
      const sample = sampleOf(it, device, ind);
      if ('error' in sample) return refuse(i, sample.field, sample.error);
      const ts = checkTs(it.ts, now);
      if (ts.error) return refuse(i, 'ts', ts.error);
      const bucket = bucketOf(device._id, ind.code, ts.ms!);
      const k = `${bucket.id}/${bucket.key}`;
      if (seenKeys.has(k)) return Object.assign(results[i], { status: 'duplicate' });
      seenKeys.add(k);
      good.push({ index: i, device, ind, value: sample.value, tsMs: ts.ms!, bucket });
    });
    return good;
  }

  /** 1. The readings: one upsert per bucket. `$set` of a keyed sample is idempotent. */
  async function storeReadings(fresh: GoodReading[], enterpriseId: string): Promise<void> {
    if (!fresh.length) return;
    const writes = new Map<string, { set: Record<string, unknown>; g: GoodReading }>();
    for (const g of fresh) {
      const w = writes.get(g.bucket.id) ?? { set: {}, g };
      w.set[`samples.${g.bucket.key}`] = g.value;
      writes.set(g.bucket.id, w);
    }
    await bulkUpsert(
      models.ReadingBucket.collection,
      [...writes.entries()].map(([id, w]) => ({
        updateOne: {
          filter: { _id: id as never },
          update: {
            $set: { ...w.set, updatedAt: new Date() },
            $setOnInsert: { deviceCode: w.g.device._id, indicator: w.g.ind.code, enterpriseId, hour: w.g.bucket.hour },
          },
          upsert: true,
        },
      })),
    );
  }

  /**
   * 2. The alarm state of each indicator, judged on readings newer than its last one (late readings are stored,
   * not judged), with the day's data-quality counts per device.
   */
  function judgeIndicators(
    good: GoodReading[],
    fresh: GoodReading[],
    latestDocs: LatestValueDoc[],
    alarmPolicy: AlarmPolicy,
    now: number,
  ) {
    const latest = new Map(latestDocs.map((l) => [l._id, l]));
    const perIndicator = new Map<string, GoodReading[]>();
    for (const g of [...good].sort((a, b) => a.tsMs - b.tsMs)) {
      const id = `${g.device._id}/${g.ind.code}`;
      perIndicator.set(id, [...(perIndicator.get(id) ?? []), g]);
    }
    const events: { g: GoodReading; e: Evaluation }[] = [];
    const faultChanges: FaultChange[] = [];
    const latestWrites: LatestWrite[] = [];
    const freshSet = new Set(fresh);
    const dayStats = new Map<string, DayStat>();
    const stat = (g: GoodReading) => {
      const day = beijingDay(g.tsMs);
      const id = `sensor/${g.device._id}/${day}`;
      const s = dayStats.get(id) ?? {
        device: g.device,
        day,
        readings: 0,
        outOfRange: 0,
        frozen: 0,
        slowAlarm: 0,
        late: 0,
        latencySum: 0,
        latencyMax: 0,
      };
      dayStats.set(id, s);
      return s;
    };
    for (const g of fresh) {
      const s = stat(g);
      s.readings++;
      // Enterprise → platform latency: received (now) minus measured; above 2 minutes a data-quality finding (002 附件5, 003).
      const latency = Math.max(0, now - g.tsMs);
      s.latencySum += latency;
      s.latencyMax = Math.max(s.latencyMax, latency);
      if (latency > MAX_LATENCY_MS) s.late++;
    }
    for (const [id, rs] of perIndicator) {
      const prev = latest.get(id);
      let state: IndicatorState = prev?.state ?? INITIAL_STATE;
      let last: GoodReading | undefined;
      let outOfRange = prev?.outOfRange ?? false;
      let lastTs = prev?.ts.getTime();
      for (const g of rs) {
        if (prev && g.tsMs <= prev.ts.getTime()) continue;
        if (reportsFault(g.ind)) {
          // A status, not a value: no thresholds, debounce or data-quality checks; a change signals the fault case.
          const f = judgeFaultStatus(state, g.value);
          state = f.state;
          last = g;
          if (f.change) faultChanges.push({ device: g.device, ind: g.ind, tsMs: g.tsMs, change: f.change });
          continue;
        }
        // In alarm, readings come at least every 10 s (002 附件2 三(二)3 "报警后…不少于每10秒钟1次"): a longer gap is a data-quality finding.
        if (state.inAlarm && lastTs !== undefined && g.tsMs - lastTs > ALARM_READING_EVERY_MS && freshSet.has(g))
          stat(g).slowAlarm++;
        lastTs = g.tsMs;
        const e = evaluateReading(state, g.value, g.ind, alarmPolicy);
        state = e.state;
        last = g;
        outOfRange = e.outOfRange;
        if (freshSet.has(g)) {
          if (e.outOfRange) stat(g).outOfRange++;
          if (e.becameFrozen) stat(g).frozen++;
        }
        if (e.event) events.push({ g, e });
      }
      if (last) latestWrites.push({ id, g: last, state, outOfRange });
    }
    return { events, faultChanges, latestWrites, dayStats };
  }

  /** 3. Daily statistics per device (device_day_stats, read by the reports). */
  async function writeDayStats(
    dayStats: Map<string, DayStat>,
    enterpriseId: string,
    enterprise: EnterpriseDoc,
  ): Promise<void> {
    if (!dayStats.size) return;
    await bulkUpsert(
      models.DeviceDayStat.collection,
      [...dayStats.entries()].map(([id, s]) => ({
        updateOne: {
          filter: { _id: id as never },
          update: {
            $inc: {
              readings: s.readings,
              outOfRange: s.outOfRange,
              frozen: s.frozen,
              slowAlarmReadings: s.slowAlarm,
              lateReadings: s.late,
              latencySumMs: s.latencySum,
            },
            $max: { latencyMaxMs: s.latencyMax },
            $setOnInsert: {
              sourceKind: 'sensor',
              sourceId: s.device._id,
              enterpriseId,
              regionPath: enterprise.regionPath,
              industry: enterprise.industry,
              day: s.day,
              // The full day's expected count over all indicators; suspended time is reported beside it.
              expectedReadings: s.device.indicators.reduce((n, x) => n + Math.floor(86_400 / x.intervalSec), 0),
              offlineSeconds: 0,
              suspendedSeconds: 0,
              alarms: 0,
            },
            $set: { updatedAt: new Date() },
          },
          upsert: true,
        },
      })),
    );
  }

  /** 4. Liveness (offline detection) and data resuming: the newest reading of each device. */
  function sensorsSeen(good: GoodReading[], enterpriseId: string) {
    const seen = new Map<string, DeviceSeen>();
    for (const g of good) {
      const id = `sensor/${g.device._id}`;
      const s = seen.get(id) ?? {
        kind: 'sensor' as const,
        id: g.device._id,
        enterpriseId,
        lastMs: 0,
        intervalSec: Math.max(...g.device.indicators.map((x) => x.intervalSec)),
        online: true,
      };
      s.lastMs = Math.max(s.lastMs, g.tsMs);
      seen.set(id, s);
    }
    return seen;
  }

  /** 5. Alarm cases: a debounced breach opens (or feeds) the one case of the indicator; back to normal tells it. */
  async function signalAlarmCases(
    events: { g: GoodReading; e: Evaluation }[],
    enterpriseId: string,
    alarmPolicy: AlarmPolicy,
  ): Promise<void> {
    for (const { g, e } of events) {
      const workflowId = caseIds.monitoringAlarm(g.device._id, g.ind.code);
      if (e.event === 'breach') {
        await temporal.workflow.signalWithStart(monitoringAlarm, {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [
            {
              deviceCode: g.device._id,
              indicator: g.ind.code,
              indicatorName: g.ind.name,
              unit: g.ind.unit,
              enterpriseId,
              policy: alarmPolicy,
              publicUrl: deps.publicUrl,
            },
          ],
          signal: alarmBreachSignal,
          signalArgs: [
            { value: g.value, ts: new Date(g.tsMs).toISOString(), breach: e.breach!, threshold: e.threshold! },
          ],
          typedSearchAttributes: caseSearchAttributes('monitoring_alarm', enterpriseId),
        });
      } else {
        try {
          await temporal.workflow
            .getHandle(workflowId)
            .signal(alarmNormalSignal, { ts: new Date(g.tsMs).toISOString(), value: g.value });
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      }
    }
  }

  /** 6. The state last: a batch failing before this point is judged again when it is sent again. */
  async function writeLatestValues(latestWrites: LatestWrite[], enterpriseId: string): Promise<void> {
    if (!latestWrites.length) return;
    await bulkUpsert(
      models.LatestValue.collection,
      latestWrites.map((w) => ({
        updateOne: {
          filter: { _id: w.id as never },
          update: {
            $set: {
              deviceCode: w.g.device._id,
              indicator: w.g.ind.code,
              enterpriseId,
              value: w.g.value,
              ts: new Date(w.g.tsMs),
              receivedAt: new Date(),
              state: w.state,
              outOfRange: w.outOfRange,
            },
          },
          upsert: true,
        },
      })),
    );
  }

  return {
    limits,
    alarmPolicyNow,
    /** Forget the cached policy (after an administrator changed it). */
    policyChanged() {
      policyCache = undefined;
      offlineCache = undefined;
    },
    /** Forget a device (added, edited, retired through a page of this process): its next reading sees it at once. */
    deviceChanged(deviceId: string) {
      deviceCache.delete(deviceId);
    },
    get inFlight() {
      return inFlight;
    },

    /**
     * `caller`: the Authorization header (HTTP), or the enterprise the MQTT broker authenticated (its topic is
     * the only one the key's user may publish to, lib/brokerAuth.ts).
     */
    async ingestReadings(caller: string | undefined | BrokerPublisher, body: unknown): Promise<IngestResult> {
      return guarded(async () => {
        const viaBroker = typeof caller === 'object';
        if (!viaBroker) presentedKey(caller);
        const items = itemsOf(body, 'readings');
        const codes = items
          .map((it) => (it as { deviceCode?: unknown })?.deviceCode)
          .filter((c): c is string => typeof c === 'string');
        // Key, enterprise, devices and policy side by side: one round trip of latency when the caches are cold.
        const [{ enterpriseId, enterprise }, devices, alarmPolicy] = await Promise.all([
          (viaBroker ? Promise.resolve(caller.enterpriseId) : authenticate(caller)).then(async (id) => ({
            enterpriseId: id,
            enterprise: (
              await loadMany<EnterpriseDoc>([id], enterpriseCache, (ids) =>
                models.Enterprise.find({ _id: { $in: ids } }).lean<EnterpriseDoc[]>(),
              )
            ).get(id),
          })),
          loadMany<DeviceDoc>(codes, deviceCache, (ids) =>
            models.Device.find({ _id: { $in: ids } }).lean<DeviceDoc[]>(),
          ),
          alarmPolicyNow(),
        ]);
        const now = Date.now();
        const results: ItemResult[] = items.map((_, index) => ({ index, status: 'accepted' }));
        const refuse = (i: number, field: string, error: string) =>
          Object.assign(results[i], {
            status: 'refused',
            field,
            error: error.startsWith(field) ? error : `${field}: ${error}`,
          });

        if (!enterprise)
          throw new HttpError(
            401,
            `the enterprise of this data-interface key (${enterpriseId}) no longer exists`,
            'authorization',
          );

        const good = checkReadings(items, devices, enterpriseId, now, results, refuse);
        if (good.length) {
          // Which samples are already stored: one read of the batch's buckets, only the keys we send.
          const byBucket = new Map<string, GoodReading[]>();
          for (const g of good) byBucket.set(g.bucket.id, [...(byBucket.get(g.bucket.id) ?? []), g]);
          const projection: Record<string, 1> = { _id: 1 };
          for (const g of good) projection[`samples.${g.bucket.key}`] = 1;
          const latestIds = [...new Set(good.map((g) => `${g.device._id}/${g.ind.code}`))];
          // Both reads at once: one round trip of latency instead of two.
          const [existing, latestDocs] = await Promise.all([
            models.ReadingBucket.collection
              .find({ _id: { $in: [...byBucket.keys()] } as never }, { projection })
              .toArray(),
            models.LatestValue.find({ _id: { $in: latestIds } }).lean<LatestValueDoc[]>(),
          ]);
          const stored = new Map(existing.map((d) => [String(d._id), (d.samples ?? {}) as Record<string, number>]));
          const fresh: GoodReading[] = [];
          for (const g of good) {
            if (stored.get(g.bucket.id)?.[g.bucket.key] !== undefined) results[g.index].status = 'duplicate';
            else fresh.push(g);
          }

          await storeReadings(fresh, enterpriseId);
          const { events, faultChanges, latestWrites, dayStats } = judgeIndicators(
            good,
            fresh,
            latestDocs,
            alarmPolicy,
            now,
          );
          // 3. and 4. side by side.
          await Promise.all([
            writeDayStats(dayStats, enterpriseId, enterprise),
            touchLiveness(sensorsSeen(good, enterpriseId)),
          ]);
          await signalAlarmCases(events, enterpriseId, alarmPolicy);
          await signalFaultCases(deps, faultChanges, enterpriseId, alarmPolicy);
          await writeLatestValues(latestWrites, enterpriseId);
        }

        const count = (st: ItemStatus) => results.filter((r) => r.status === st).length;
        const counts = { accepted: count('accepted'), duplicates: count('duplicate'), refused: count('refused') };
        deps.tally?.('reading', counts);
        return { ...counts, results };
      });
    },

    async ingestVideoStatus(authorization: string | undefined, body: unknown): Promise<IngestResult> {
      return guarded(async () => {
        const enterpriseId = await authenticate(authorization);
        const items = itemsOf(body, 'statuses');
        const now = Date.now();
        const results: ItemResult[] = items.map((_, index) => ({ index, status: 'accepted' }));
        const refuse = (i: number, field: string, error: string) =>
          Object.assign(results[i], { status: 'refused', field, error: `${field}: ${error}` });
        const ids = items
          .map((it) => (it as { channelId?: unknown })?.channelId)
          .filter((c): c is string => typeof c === 'string');
        const channels = await loadMany<VideoChannelDoc>(ids, channelCache, (x) =>
          models.VideoChannel.find({ _id: { $in: x } }).lean<VideoChannelDoc[]>(),
        );
        const seen = new Map<string, DeviceSeen>();
        items.forEach((raw, i) => {
          if (typeof raw !== 'object' || raw === null)
            return refuse(i, 'statuses', `item ${i} must be an object {channelId, online, ts}`);
          const it = raw as Record<string, unknown>;
          if (typeof it.channelId !== 'string' || !it.channelId)
            return refuse(i, 'channelId', 'must be a non-empty string');
          const ch = channels.get(it.channelId);
          if (!ch) return refuse(i, 'channelId', `unknown video channel ${it.channelId}`);
          if (ch.enterpriseId !== enterpriseId)
            return refuse(i, 'channelId', `video channel ${it.channelId} belongs to another enterprise`);
          if (typeof it.online !== 'boolean') return refuse(i, 'online', 'must be true or false');
          const ts = checkTs(it.ts, now);
          if (ts.error) return refuse(i, 'ts', ts.error.replace(/^ts: /, ''));
          const id = `video/${ch._id}`;
          const prev = seen.get(id);
          if (!prev || prev.lastMs <= ts.ms!)
            seen.set(id, {
              kind: 'video',
              id: ch._id,
              enterpriseId,
              lastMs: ts.ms!,
              intervalSec: ch.intervalSec,
              online: it.online,
            });
        });
        await touchLiveness(seen);
        const count = (s: ItemStatus) => results.filter((r) => r.status === s).length;
        const counts = { accepted: count('accepted'), duplicates: 0, refused: count('refused') };
        deps.tally?.('video_status', counts);
        return { ...counts, results };
      });
    },

    /** Live values of an enterprise's devices (spot check, portal). */
    async latestOf(enterpriseId: string): Promise<LatestValueDoc[]> {
      return models.LatestValue.find({ enterpriseId }).lean<LatestValueDoc[]>();
    },
  };
}
export type ReadingService = ReturnType<typeof createReadingService>;
