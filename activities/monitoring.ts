/**
 * Monitoring activities: who is told about an enterprise's alarm or offline device (agencies named by
 * role in the enterprise's region path), tasks for the inbox and the portal, suspensions, the
 * offline sweeper and the offline part of the daily statistics. Idempotent: tasks keyed by
 * `<caseId>/<step>`, statistics guarded by `accountedUntil`.
 */
import type { AgencyRole } from '../domain/masterData';
import {
  DEFAULT_OFFLINE_POLICY,
  OfflinePolicy,
  Period,
  SuspensionRequestInput,
  silentAfter,
  splitOfflinePeriod,
} from '../domain/offline';
import { beijingDay } from '../domain/time';
import type { Models } from '../models';
import type { AgencyDoc, DeviceDoc, EnterpriseDoc, VideoChannelDoc } from '../models/masterData';
import type { SuspensionRequestDoc } from '../models/SuspensionRequest';
import { offlinePolicyInForce } from '../models/OfflinePolicy';
import type { TaskDoc } from '../models/Task';

export interface AgencyRef {
  id: string;
  name: string;
  emails: string[];
}

export interface EnterpriseContext {
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  /** Contacts' and HQ mail addresses (企业联系人). */
  emails: string[];
  agencies: Partial<Record<AgencyRole, AgencyRef>>;
}

/**
 * Inserts the task once: keyed by `<caseId>/<step>`, a retried activity (or a replayed step) finds it and changes
 * nothing, not even a task already claimed or completed. The one place tasks are created, for every case type.
 */
export async function insertTaskOnce(
  m: Pick<Models, 'Task'>,
  t: CreateTaskInput & { assigneeUserId?: string },
): Promise<void> {
  await m.Task.updateOne(
    { _id: t.taskId },
    {
      $setOnInsert: {
        caseId: t.caseId,
        caseType: t.caseType,
        kind: t.kind,
        title: t.title,
        enterpriseId: t.enterpriseId,
        assigneeAgencyId: t.assigneeAgencyId,
        assigneeEnterpriseId: t.assigneeEnterpriseId,
        assigneeUserId: t.assigneeUserId,
        due: t.due ? new Date(t.due) : undefined,
        status: 'open',
        form: t.form,
        createdAt: new Date(),
      },
    },
    { upsert: true },
  );
}

/** A task as the workflows open it: the Task document's own fields, its id and due instant as strings. */
export type CreateTaskInput = Pick<
  TaskDoc,
  'caseId' | 'caseType' | 'kind' | 'title' | 'enterpriseId' | 'assigneeAgencyId' | 'assigneeEnterpriseId' | 'form'
> & {
  taskId: string; // <caseId>/<step>
  due?: string;
};

/** What an enterprise files as a suspension request (停用申报); the workflow adds its id and the reviewing agency. */
export type { SuspensionRequestInput } from '../domain/offline';

export type MonitoringDeps = Pick<
  Models,
  | 'Enterprise'
  | 'Agency'
  | 'Task'
  | 'DeviceDayStat'
  | 'DeviceLiveness'
  | 'SuspensionRequest'
  | 'Device'
  | 'VideoChannel'
> &
  Partial<Pick<Models, 'OfflinePolicy'>>;

/** The agency of a role responsible for an enterprise: the deepest region of its path that has one (and, for industry regulators, its industry). */
export function pickAgency(
  agencies: AgencyDoc[],
  role: AgencyRole,
  e: Pick<EnterpriseDoc, 'regionPath' | 'industry'>,
): AgencyDoc | undefined {
  const candidates = agencies.filter(
    (a) =>
      a.role === role &&
      e.regionPath.includes(a.regionId) &&
      (a.industries.length === 0 || a.industries.includes(e.industry)),
  );
  return candidates.sort((a, b) => e.regionPath.indexOf(b.regionId) - e.regionPath.indexOf(a.regionId))[0];
}

export function createMonitoringActivities(deps: MonitoringDeps & { offlinePolicy?: OfflinePolicy }) {
  const m = deps;
  /** The offline policy in force: a fixed one when given (tests), else the highest stored version (offline_policies). */
  async function currentOfflinePolicy(): Promise<OfflinePolicy> {
    if (deps.offlinePolicy || !m.OfflinePolicy) return deps.offlinePolicy ?? DEFAULT_OFFLINE_POLICY;
    return offlinePolicyInForce(m.OfflinePolicy, DEFAULT_OFFLINE_POLICY);
  }

  async function enterpriseContext(input: { enterpriseId: string }): Promise<EnterpriseContext> {
    const e = await m.Enterprise.findById(input.enterpriseId).lean<EnterpriseDoc>();
    if (!e) throw new Error(`enterprise ${input.enterpriseId} does not exist`);
    const agencies = await m.Agency.find({ regionId: { $in: e.regionPath } }).lean<AgencyDoc[]>();
    const out: EnterpriseContext['agencies'] = {};
    for (const role of [
      'zone_safety_dept',
      'district_industry_regulator',
      'district_emergency_bureau',
      'municipal_bureau',
    ] as const) {
      const a = pickAgency(agencies, role, e);
      if (a) out[role] = { id: a._id, name: a.name, emails: a.emails ?? [] };
    }
    const emails = [
      ...new Set([
        ...(e.contacts ?? []).map((c) => c.email).filter((x): x is string => !!x),
        ...(e.hqEmail ? [e.hqEmail] : []),
      ]),
    ];
    return {
      enterpriseId: e._id,
      enterpriseName: e.name,
      regionPath: e.regionPath,
      industry: e.industry,
      emails,
      agencies: out,
    };
  }

  /** Offline seconds of one source from `accountedUntil` (or offlineSince) up to `until`, split by day and suspension. */
  async function accountSource(id: string, untilMs: number): Promise<void> {
    const l = await m.DeviceLiveness.findById(id).lean();
    if (!l?.offlineSince) return;
    const from = (l.accountedUntil ?? l.offlineSince).getTime();
    if (untilMs <= from) return;
    // Claim the period first (optimistic on accountedUntil): a concurrent sweep or a retry adds nothing twice.
    const claim = await m.DeviceLiveness.updateOne(
      { _id: id, accountedUntil: l.accountedUntil ?? null },
      { $set: { accountedUntil: new Date(untilMs) } },
    );
    if (claim.modifiedCount === 0) return;
    const periods = await suspensionPeriods({ sourceKind: l.sourceKind, sourceId: l.sourceId });
    const e = await m.Enterprise.findById(l.enterpriseId).lean<EnterpriseDoc>();
    const rows = splitOfflinePeriod(from, untilMs, periods);
    if (!rows.length) return;
    await m.DeviceDayStat.bulkWrite(
      rows.map((r) => ({
        updateOne: {
          filter: { _id: `${l.sourceKind}/${l.sourceId}/${r.day}` },
          update: {
            $inc: { offlineSeconds: r.offlineSeconds, suspendedSeconds: r.suspendedSeconds },
            $setOnInsert: {
              sourceKind: l.sourceKind,
              sourceId: l.sourceId,
              enterpriseId: l.enterpriseId,
              regionPath: e?.regionPath ?? [],
              industry: e?.industry ?? 'other',
              day: r.day,
              readings: 0,
              expectedReadings: 0,
              alarms: 0,
              outOfRange: 0,
              frozen: 0,
            },
            $set: { updatedAt: new Date() },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  /** The approved suspensions of a device (or, `sourceKind: 'video'`, of a video channel). */
  async function suspensionPeriods(input: { sourceId: string; sourceKind?: 'sensor' | 'video' }): Promise<Period[]> {
    const filter: Record<string, string> =
      input.sourceKind === 'video'
        ? { channelIds: input.sourceId, status: 'approved' }
        : { deviceCodes: input.sourceId, status: 'approved' };
    const docs = await m.SuspensionRequest.find(filter).lean<SuspensionRequestDoc[]>();
    return docs.map((d) => ({ fromMs: d.from.getTime(), toMs: d.to.getTime(), requestId: d._id }));
  }

  /**
   * Registered sources of should-connect enterprises (应接尽接) that never reported get a liveness row
   * from their registration, so the sweeper finds them silent like any other. A full pass at most once
   * an hour per worker, otherwise only sources registered since the last pass (idempotent: upserts).
   */
  let enrolledUntil = 0;
  let fullPassAt = 0;
  async function enrollNeverReported(nowMs: number): Promise<void> {
    const full = nowMs - fullPassAt > 3600_000;
    const since = full ? new Date(0) : new Date(enrolledUntil - 5 * 60_000);
    const [devices, channels] = await Promise.all([
      m.Device.find(
        { status: 'active', createdAt: { $gte: since } },
        { enterpriseId: 1, 'indicators.intervalSec': 1, createdAt: 1 },
      ).lean<Pick<DeviceDoc, '_id' | 'enterpriseId' | 'indicators' | 'createdAt'>[]>(),
      m.VideoChannel.find({ createdAt: { $gte: since } }, { enterpriseId: 1, intervalSec: 1, createdAt: 1 }).lean<
        Pick<VideoChannelDoc, '_id' | 'enterpriseId' | 'intervalSec' | 'createdAt'>[]
      >(),
    ]);
    const sources = [
      ...devices
        .filter((d) => d.indicators?.length)
        .map((d) => ({
          kind: 'sensor' as const,
          id: d._id,
          enterpriseId: d.enterpriseId,
          intervalSec: Math.max(...d.indicators.map((i) => i.intervalSec)),
          createdAt: d.createdAt,
        })),
      ...channels.map((c) => ({
        kind: 'video' as const,
        id: c._id,
        enterpriseId: c.enterpriseId,
        intervalSec: c.intervalSec ?? 300,
        createdAt: c.createdAt,
      })),
    ];
    if (sources.length) {
      const policy = await currentOfflinePolicy();
      const should = new Set(
        (
          await m.Enterprise.find(
            { _id: { $in: [...new Set(sources.map((s) => s.enterpriseId))] }, shouldConnect: { $ne: false } },
            { _id: 1 },
          ).lean()
        ).map((e) => e._id),
      );
      const rows = sources.filter((s) => should.has(s.enterpriseId));
      for (let i = 0; i < rows.length; i += 500) {
        await m.DeviceLiveness.bulkWrite(
          rows.slice(i, i + 500).map((s) => ({
            updateOne: {
              filter: { _id: `${s.kind}/${s.id}` },
              update: {
                $setOnInsert: {
                  sourceKind: s.kind,
                  sourceId: s.id,
                  enterpriseId: s.enterpriseId,
                  lastSeenAt: s.createdAt,
                  silentAfter: new Date(silentAfter(s.createdAt.getTime(), s.intervalSec, policy)),
                  offline: false,
                  neverReported: true,
                },
              },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      }
    }
    enrolledUntil = nowMs;
    if (full) fullPassAt = nowMs;
  }

  return {
    enterpriseContext,

    async createTask(input: CreateTaskInput): Promise<void> {
      await insertTaskOnce(m, input);
    },

    async completeTask(input: {
      taskId: string;
      by: string;
      result?: Record<string, unknown>;
      status?: 'done' | 'cancelled';
    }): Promise<void> {
      await m.Task.updateOne(
        { _id: input.taskId, status: 'open' },
        {
          $set: {
            status: input.status ?? 'done',
            completedBy: input.by,
            completedAt: new Date(),
            result: input.result,
          },
        },
      );
    },

    /** One more alarm case opened today for the device (device_day_stats.alarms); keyed by case id, counted once. */
    async countAlarmOpened(input: {
      caseId: string;
      deviceCode: string;
      enterpriseId: string;
      at: string;
    }): Promise<number> {
      const day = beijingDay(Date.parse(input.at));
      const ctx = await m.Enterprise.findById(input.enterpriseId).lean<EnterpriseDoc>();
      const id = `sensor/${input.deviceCode}/${day}`;
      // Two tries: a duplicate key on the first can mean the day's document was just created by ingestion
      // (then the second matches it), on the second it means this case is already counted.
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await m.DeviceDayStat.updateOne(
            { _id: id, alarmCaseIds: { $ne: input.caseId } },
            {
              $inc: { alarms: 1 },
              $push: { alarmCaseIds: input.caseId },
              $setOnInsert: {
                sourceKind: 'sensor',
                sourceId: input.deviceCode,
                enterpriseId: input.enterpriseId,
                regionPath: ctx?.regionPath ?? [],
                industry: ctx?.industry ?? 'other',
                day,
                readings: 0,
                expectedReadings: 0,
                offlineSeconds: 0,
                suspendedSeconds: 0,
                outOfRange: 0,
                frozen: 0,
              },
              $set: { updatedAt: new Date() },
            },
            { upsert: true, strict: false },
          );
          break;
        } catch (err) {
          if ((err as { code?: number })?.code !== 11000) throw err;
        }
      }
      const stat = await m.DeviceDayStat.findById(id).lean();
      return stat?.alarms ?? 0;
    },

    suspensionPeriods,

    /**
     * Sources silent past their expected interval and not yet offline: marked offline, returned for the
     * sweeper to open cases — except those an approved suspension covers now (002 第二十五条): offline for
     * the statistics (suspended seconds), no case, no mail, until the suspension ends. Sources whose
     * suspension ended while they stayed silent are returned then, silent since its end. Never-reported
     * sources of should-connect enterprises are enrolled first (silent from their registration).
     */
    async sweepSilentSources(input: {
      now: string;
    }): Promise<{ sourceKind: 'sensor' | 'video'; sourceId: string; enterpriseId: string; silentSince: string }[]> {
      const now = new Date(input.now);
      await enrollNeverReported(now.getTime());
      const out: { sourceKind: 'sensor' | 'video'; sourceId: string; enterpriseId: string; silentSince: string }[] = [];
      const ended = await m.DeviceLiveness.find({ offline: true, suspendedUntil: { $lt: now } })
        .limit(500)
        .lean();
      for (const s of ended) {
        const until = s.suspendedUntil!;
        const again = (await suspensionPeriods({ sourceKind: s.sourceKind, sourceId: s.sourceId })).find(
          (p) => p.fromMs <= now.getTime() && now.getTime() < p.toMs,
        );
        if (again) {
          await m.DeviceLiveness.updateOne(
            { _id: s._id, suspendedUntil: until },
            { $set: { suspendedUntil: new Date(again.toMs) } },
          );
          continue;
        }
        const res = await m.DeviceLiveness.updateOne(
          { _id: s._id, offline: true, suspendedUntil: until },
          { $unset: { suspendedUntil: 1 } },
        );
        if (res.modifiedCount)
          out.push({
            sourceKind: s.sourceKind,
            sourceId: s.sourceId,
            enterpriseId: s.enterpriseId,
            silentSince: until.toISOString(),
          });
      }
      const silent = await m.DeviceLiveness.find({ offline: false, silentAfter: { $lt: now } })
        .limit(500)
        .lean();
      for (const s of silent) {
        const cover = (await suspensionPeriods({ sourceKind: s.sourceKind, sourceId: s.sourceId })).find(
          (p) => p.fromMs <= now.getTime() && now.getTime() < p.toMs,
        );
        // Conditional on lastSeenAt: data that arrived meanwhile wins.
        const res = await m.DeviceLiveness.updateOne(
          { _id: s._id, offline: false, lastSeenAt: s.lastSeenAt },
          {
            $set: {
              offline: true,
              offlineSince: s.silentAfter,
              ...(cover ? { suspendedUntil: new Date(cover.toMs) } : {}),
            },
            $unset: { accountedUntil: 1 },
          },
        );
        if (res.modifiedCount && !cover)
          out.push({
            sourceKind: s.sourceKind,
            sourceId: s.sourceId,
            enterpriseId: s.enterpriseId,
            silentSince: s.silentAfter.toISOString(),
          });
      }
      return out;
    },

    /** An approved suspension closed the source's offline case: it stays offline (suspended seconds) without a case until `until`. */
    async suspendOfflineSource(input: {
      sourceKind: 'sensor' | 'video';
      sourceId: string;
      until: string;
    }): Promise<void> {
      await m.DeviceLiveness.updateOne(
        { _id: `${input.sourceKind}/${input.sourceId}`, offline: true },
        { $set: { suspendedUntil: new Date(input.until) } },
      );
    },

    /** Adds the offline (or suspended) seconds of every offline source up to now to the daily statistics. */
    async accountOffline(input: { now: string; sourceKind?: 'sensor' | 'video'; sourceId?: string }): Promise<void> {
      const until = Date.parse(input.now);
      if (input.sourceId) return accountSource(`${input.sourceKind ?? 'sensor'}/${input.sourceId}`, until);
      const offline = await m.DeviceLiveness.find({ offline: true }, { _id: 1 }).limit(5000).lean();
      for (const o of offline) await accountSource(o._id, until);
    },

    /** Final accounting when data resumed, up to the instant it resumed. */
    async closeOfflinePeriod(input: {
      sourceKind: 'sensor' | 'video';
      sourceId: string;
      resumedAt: string;
    }): Promise<void> {
      await accountSource(`${input.sourceKind}/${input.sourceId}`, Date.parse(input.resumedAt));
    },

    async recordSuspension(
      input: SuspensionRequestInput & { requestId: string; reviewAgencyId?: string },
    ): Promise<void> {
      await m.SuspensionRequest.updateOne(
        { _id: input.requestId },
        {
          $setOnInsert: {
            enterpriseId: input.enterpriseId,
            deviceCodes: input.deviceCodes,
            channelIds: input.channelIds ?? [],
            reason: input.reason,
            detail: input.detail,
            from: new Date(input.from),
            to: new Date(input.to),
            status: 'pending',
            requestedBy: input.requestedBy,
            reviewAgencyId: input.reviewAgencyId,
            createdAt: new Date(),
          },
        },
        { upsert: true },
      );
    },

    async decideSuspensionRecord(input: {
      requestId: string;
      approved: boolean;
      by: string;
      note?: string;
      at: string;
    }): Promise<void> {
      await m.SuspensionRequest.updateOne(
        { _id: input.requestId, status: 'pending' },
        {
          $set: {
            status: input.approved ? 'approved' : 'rejected',
            decidedBy: input.by,
            decidedAt: new Date(input.at),
            note: input.note,
          },
        },
      );
    },

    /** The written permission (停用许可) an approval issued, kept on the request. */
    async recordSuspensionPermission(input: { requestId: string; documentId: string; number: string }): Promise<void> {
      await m.SuspensionRequest.updateOne(
        { _id: input.requestId },
        { $set: { permissionDocumentId: input.documentId, permissionNumber: input.number } },
      );
    },

    currentOfflinePolicy,
  };
}
export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;
