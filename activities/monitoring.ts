/**
 * Monitoring activities: who is told about an enterprise's alarm or offline device (agencies named by
 * role in the enterprise's region path), tasks for the inbox and the portal, suspensions, the
 * offline sweeper and the offline part of the daily statistics. Idempotent: tasks keyed by
 * `<caseId>/<step>`, statistics guarded by `accountedUntil`.
 */
import type { AgencyRole } from '../domain/masterData';
import { DEFAULT_OFFLINE_POLICY, OfflinePolicy, Period, shanghaiDay, splitOfflinePeriod } from '../domain/offline';
import type { Models } from '../models';
import type { AgencyDoc, EnterpriseDoc } from '../models/masterData';
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

/** A task as the workflows open it: the Task document's own fields, its id and due instant as strings. */
export type CreateTaskInput = Pick<TaskDoc, 'caseId' | 'caseType' | 'kind' | 'title' | 'enterpriseId' | 'assigneeAgencyId' | 'assigneeEnterpriseId' | 'form'> & {
  taskId: string; // <caseId>/<step>
  due?: string;
};

/** What an enterprise files as a suspension request (停用申报); the workflow adds its id and the reviewing agency. */
export interface SuspensionRequestInput {
  enterpriseId: string;
  deviceCodes: string[];
  reason: string;
  detail?: string;
  from: string;
  to: string;
  requestedBy: string;
}

export type MonitoringDeps = Pick<Models, 'Enterprise' | 'Agency' | 'Task' | 'DeviceDayStat' | 'DeviceLiveness' | 'SuspensionRequest' | 'Device' | 'VideoChannel'>;

/** The agency of a role responsible for an enterprise: the deepest region of its path that has one (and, for industry regulators, its industry). */
export function pickAgency(agencies: AgencyDoc[], role: AgencyRole, e: Pick<EnterpriseDoc, 'regionPath' | 'industry'>): AgencyDoc | undefined {
  const candidates = agencies.filter((a) => a.role === role && e.regionPath.includes(a.regionId) && (a.industries.length === 0 || a.industries.includes(e.industry)));
  return candidates.sort((a, b) => e.regionPath.indexOf(b.regionId) - e.regionPath.indexOf(a.regionId))[0];
}

export function createMonitoringActivities(deps: MonitoringDeps & { offlinePolicy?: OfflinePolicy }) {
  const m = deps;
  const policy = deps.offlinePolicy ?? DEFAULT_OFFLINE_POLICY;

  async function enterpriseContext(input: { enterpriseId: string }): Promise<EnterpriseContext> {
    const e = await m.Enterprise.findById(input.enterpriseId).lean<EnterpriseDoc>();
    if (!e) throw new Error(`enterprise ${input.enterpriseId} does not exist`);
    const agencies = await m.Agency.find({ regionId: { $in: e.regionPath } }).lean<AgencyDoc[]>();
    const out: EnterpriseContext['agencies'] = {};
    for (const role of ['zone_safety_dept', 'district_industry_regulator', 'district_emergency_bureau', 'municipal_bureau'] as const) {
      const a = pickAgency(agencies, role, e);
      if (a) out[role] = { id: a._id, name: a.name, emails: a.emails ?? [] };
    }
    const emails = [...new Set([...(e.contacts ?? []).map((c) => c.email).filter((x): x is string => !!x), ...(e.hqEmail ? [e.hqEmail] : [])])];
    return { enterpriseId: e._id, enterpriseName: e.name, regionPath: e.regionPath, industry: e.industry, emails, agencies: out };
  }

  /** Offline seconds of one source from `accountedUntil` (or offlineSince) up to `until`, split by day and suspension. */
  async function accountSource(id: string, untilMs: number): Promise<void> {
    const l = await m.DeviceLiveness.findById(id).lean();
    if (!l?.offlineSince) return;
    const from = (l.accountedUntil ?? l.offlineSince).getTime();
    if (untilMs <= from) return;
    // Claim the period first (optimistic on accountedUntil): a concurrent sweep or a retry adds nothing twice.
    const claim = await m.DeviceLiveness.updateOne({ _id: id, accountedUntil: l.accountedUntil ?? null }, { $set: { accountedUntil: new Date(untilMs) } });
    if (claim.modifiedCount === 0) return;
    const periods = await suspensionPeriods({ sourceId: l.sourceId });
    const e = await m.Enterprise.findById(l.enterpriseId).lean<EnterpriseDoc>();
    const rows = splitOfflinePeriod(from, untilMs, periods);
    if (!rows.length) return;
    await m.DeviceDayStat.bulkWrite(
      rows.map((r) => ({
        updateOne: {
          filter: { _id: `${l.sourceKind}/${l.sourceId}/${r.day}` },
          update: {
            $inc: { offlineSeconds: r.offlineSeconds, suspendedSeconds: r.suspendedSeconds },
            $setOnInsert: { sourceKind: l.sourceKind, sourceId: l.sourceId, enterpriseId: l.enterpriseId, regionPath: e?.regionPath ?? [], industry: e?.industry ?? 'other', day: r.day, readings: 0, expectedReadings: 0, alarms: 0, outOfRange: 0, frozen: 0 },
            $set: { updatedAt: new Date() },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }

  async function suspensionPeriods(input: { sourceId: string }): Promise<Period[]> {
    const docs = await m.SuspensionRequest.find({ deviceCodes: input.sourceId, status: 'approved' }).lean();
    return docs.map((d) => ({ fromMs: d.from.getTime(), toMs: d.to.getTime() }));
  }

  return {
    enterpriseContext,

    async createTask(input: CreateTaskInput): Promise<void> {
      await m.Task.updateOne(
        { _id: input.taskId },
        {
          $setOnInsert: {
            caseId: input.caseId,
            caseType: input.caseType,
            kind: input.kind,
            title: input.title,
            enterpriseId: input.enterpriseId,
            assigneeAgencyId: input.assigneeAgencyId,
            assigneeEnterpriseId: input.assigneeEnterpriseId,
            due: input.due ? new Date(input.due) : undefined,
            status: 'open',
            form: input.form,
            createdAt: new Date(),
          },
        },
        { upsert: true },
      );
    },

    async completeTask(input: { taskId: string; by: string; result?: Record<string, unknown>; status?: 'done' | 'cancelled' }): Promise<void> {
      await m.Task.updateOne({ _id: input.taskId, status: 'open' }, { $set: { status: input.status ?? 'done', completedBy: input.by, completedAt: new Date(), result: input.result } });
    },

    /** One more alarm case opened today for the device (device_day_stats.alarms); keyed by case id, counted once. */
    async countAlarmOpened(input: { caseId: string; deviceCode: string; enterpriseId: string; at: string }): Promise<number> {
      const day = shanghaiDay(Date.parse(input.at));
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
              $setOnInsert: { sourceKind: 'sensor', sourceId: input.deviceCode, enterpriseId: input.enterpriseId, regionPath: ctx?.regionPath ?? [], industry: ctx?.industry ?? 'other', day, readings: 0, expectedReadings: 0, offlineSeconds: 0, suspendedSeconds: 0, outOfRange: 0, frozen: 0 },
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

    /** Sources silent past their expected interval and not yet offline: marked offline, returned for the sweeper to open cases. */
    async sweepSilentSources(input: { now: string }): Promise<{ sourceKind: 'sensor' | 'video'; sourceId: string; enterpriseId: string; silentSince: string }[]> {
      const now = new Date(input.now);
      const silent = await m.DeviceLiveness.find({ offline: false, silentAfter: { $lt: now } }).limit(500).lean();
      const out: { sourceKind: 'sensor' | 'video'; sourceId: string; enterpriseId: string; silentSince: string }[] = [];
      for (const s of silent) {
        // Conditional on lastSeenAt: data that arrived meanwhile wins.
        const res = await m.DeviceLiveness.updateOne({ _id: s._id, offline: false, lastSeenAt: s.lastSeenAt }, { $set: { offline: true, offlineSince: s.silentAfter }, $unset: { accountedUntil: 1 } });
        if (res.modifiedCount) out.push({ sourceKind: s.sourceKind, sourceId: s.sourceId, enterpriseId: s.enterpriseId, silentSince: s.silentAfter.toISOString() });
      }
      return out;
    },

    /** Adds the offline (or suspended) seconds of every offline source up to now to the daily statistics. */
    async accountOffline(input: { now: string; sourceKind?: 'sensor' | 'video'; sourceId?: string }): Promise<void> {
      const until = Date.parse(input.now);
      if (input.sourceId) return accountSource(`${input.sourceKind ?? 'sensor'}/${input.sourceId}`, until);
      const offline = await m.DeviceLiveness.find({ offline: true }, { _id: 1 }).limit(5000).lean();
      for (const o of offline) await accountSource(o._id, until);
    },

    /** Final accounting when data resumed, up to the instant it resumed. */
    async closeOfflinePeriod(input: { sourceKind: 'sensor' | 'video'; sourceId: string; resumedAt: string }): Promise<void> {
      await accountSource(`${input.sourceKind}/${input.sourceId}`, Date.parse(input.resumedAt));
    },

    async recordSuspension(input: SuspensionRequestInput & { requestId: string; reviewAgencyId?: string }): Promise<void> {
      await m.SuspensionRequest.updateOne(
        { _id: input.requestId },
        {
          $setOnInsert: {
            enterpriseId: input.enterpriseId,
            deviceCodes: input.deviceCodes,
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

    async decideSuspensionRecord(input: { requestId: string; approved: boolean; by: string; note?: string; at: string }): Promise<void> {
      await m.SuspensionRequest.updateOne(
        { _id: input.requestId, status: 'pending' },
        { $set: { status: input.approved ? 'approved' : 'rejected', decidedBy: input.by, decidedAt: new Date(input.at), note: input.note } },
      );
    },

    offlinePolicy: async (): Promise<OfflinePolicy> => policy,
  };
}
export type MonitoringActivities = ReturnType<typeof createMonitoringActivities>;
