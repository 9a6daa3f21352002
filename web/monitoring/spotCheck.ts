/**
 * 在线抽查 spot check: selective, paged enterprise search inside the principal's jurisdiction, and
 * 一企一档 the one-screen view of one enterprise. The embedded MongoDB scans non-unique fields, so
 * every search starts from the jurisdiction index (regionPath, industry) and pages by _id.
 */
import { z } from 'zod';
import { canSeeEnterprise, enterpriseFilter, Principal } from '../../domain/access';
import { CaseType, LEVELS } from '../../domain/cases';
import { DUST_TYPES, INDUSTRIES } from '../../domain/masterData';
import type { Models } from '../../models';
import type { EnterpriseDoc } from '../../models/masterData';
import { fromZod, HttpError } from '../errors';
import type { AuditService } from '../access/audit';
import { reportsFault } from './faults';

const PAGE = 20;
const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const spotCheckQuery = z.object({
  region: optional(z.string().trim().max(64)),
  industry: optional(z.enum(INDUSTRIES)),
  dustType: optional(z.enum(DUST_TYPES)),
  minDustWorkers: optional(z.coerce.number().int().min(0).max(100000)),
  level: optional(z.enum(LEVELS)),
  online: optional(z.enum(['yes', 'no'])),
  alarm: optional(z.enum(['open', 'none'])),
  warning: optional(z.enum(['open', 'none'])),
  name: optional(z.string().trim().max(100)),
  page: optional(z.coerce.number().int().min(1).max(1000)),
});
export type SpotCheckQuery = z.infer<typeof spotCheckQuery>;

/**
 * What a live value shows (the class `state-<x>` of the one-screen view): in alarm, outside the measuring range,
 * frozen (the same value over and over), or normal. The stored `state` is the alarm evaluator's object, not a word.
 */
export function valueState(v: {
  state?: { inAlarm?: boolean; frozen?: boolean };
  outOfRange?: boolean;
}): 'alarm' | 'out_of_range' | 'frozen' | 'normal' {
  if (v.state?.inAlarm) return 'alarm';
  if (v.outOfRange) return 'out_of_range';
  if (v.state?.frozen) return 'frozen';
  return 'normal';
}

/** What a spot-check row shows of an enterprise. */
const SPOT_CHECK_FIELDS = {
  name: 1,
  uscc: 1,
  regionId: 1,
  industry: 1,
  dustType: 1,
  dustWorkers: 1,
  currentLevel: 1,
  inherentRisk: 1,
  connected: 1,
} as const;
export type SpotCheckRow = Pick<
  EnterpriseDoc,
  | '_id'
  | 'name'
  | 'uscc'
  | 'regionId'
  | 'industry'
  | 'dustType'
  | 'dustWorkers'
  | 'currentLevel'
  | 'inherentRisk'
  | 'connected'
>;

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createSpotCheckService(deps: { models: Models; audit: AuditService; now?: () => number }) {
  const { models, audit } = deps;
  const now = deps.now ?? Date.now;

  async function openCaseEnterprises(type: CaseType, scope: Record<string, unknown>): Promise<string[]> {
    const ids = await models.CaseRecord.find({ ...scope, type, status: 'open' }, { enterpriseId: 1 })
      .limit(10000)
      .lean();
    return [...new Set(ids.map((c) => c.enterpriseId).filter((x): x is string => !!x))];
  }

  function parseQuery(p: Principal, query: unknown) {
    if (p.role === 'enterprise') throw new HttpError(403, 'spot checks are for regulators');
    const parsed = spotCheckQuery.safeParse(query);
    if (!parsed.success) throw fromZod(parsed.error);
    return parsed.data;
  }

  /** The enterprises a search selects: the jurisdiction first, then each filter given. */
  async function searchFilter(p: Principal, q: ReturnType<typeof parseQuery>): Promise<Record<string, unknown>> {
    const scope = enterpriseFilter(p);
    const and: Record<string, unknown>[] = [scope];
    if (q.region) and.push({ regionPath: q.region });
    if (q.industry) and.push({ industry: q.industry });
    if (q.dustType) and.push({ dustType: q.dustType });
    if (q.minDustWorkers !== undefined) and.push({ dustWorkers: { $gte: q.minDustWorkers } });
    if (q.level) and.push({ currentLevel: q.level });
    if (q.online) {
      // Online 在线: connected (已接入) and no sensor or video source currently offline (device_liveness).
      const offline = [
        ...new Set(
          (await models.DeviceLiveness.find({ offline: true }, { enterpriseId: 1 }).limit(20000).lean()).map(
            (l) => l.enterpriseId,
          ),
        ),
      ];
      and.push(
        q.online === 'yes'
          ? { connected: true, _id: { $nin: offline } }
          : { $or: [{ connected: false }, { _id: { $in: offline } }] },
      );
    }
    if (q.name) and.push({ name: { $regex: `^${escapeRegex(q.name)}` } });
    const caseScope = p.role === 'admin' ? {} : { regionPath: p.scope?.regionId ?? '\u0000none' };
    for (const [key, type] of [
      ['alarm', 'monitoring_alarm'],
      ['warning', 'risk_warning'],
    ] as const) {
      if (!q[key]) continue;
      const ids = await openCaseEnterprises(type, q.region ? { regionPath: q.region } : caseScope);
      and.push(q[key] === 'open' ? { _id: { $in: ids } } : { _id: { $nin: ids } });
    }
    return and.length === 1 ? and[0] : { $and: and };
  }

  return {
    /** One page of the search, audited. */
    async search(p: Principal, query: unknown, ip?: string) {
      const q = parseQuery(p, query);
      const page = q.page ?? 1;
      const found = await models.Enterprise.find(await searchFilter(p, q), SPOT_CHECK_FIELDS)
        .sort({ _id: 1 })
        .skip((page - 1) * PAGE)
        .limit(PAGE + 1)
        .lean();
      await audit.record(p.username, 'spot_check.search', undefined, { ...q }, ip);
      return { rows: found.slice(0, PAGE), more: found.length > PAGE, page, query: q };
    },

    /**
     * The whole search under the same filter and order, from one cursor (the export: audited by it, once).
     * The query is checked when called, before anything is written.
     */
    async searchAll(p: Principal, query: unknown) {
      const q = parseQuery(p, query);
      const filter = await searchFilter(p, q);
      return {
        query: q,
        rows: models.Enterprise.find(filter, SPOT_CHECK_FIELDS)
          .sort({ _id: 1 })
          .lean<SpotCheckRow[]>()
          .cursor({ batchSize: 500 }) as AsyncIterable<SpotCheckRow>,
      };
    },

    /** 一企一档: everything about one enterprise on one screen. */
    async oneScreen(p: Principal, enterpriseId: string, ip?: string) {
      const enterprise = await models.Enterprise.findById(enterpriseId).lean();
      if (!enterprise) throw new HttpError(404, `no enterprise ${enterpriseId}`, 'enterpriseId');
      if (!canSeeEnterprise(p, enterprise)) {
        await audit.record(p.username, 'enterprise.view_refused', enterpriseId, {}, ip);
        throw new HttpError(403, `enterprise ${enterpriseId} is outside your jurisdiction`, 'enterpriseId');
      }
      const [devices, latest, liveness, video, cases, checkIns, suspensions, region] = await Promise.all([
        models.Device.find({ enterpriseId }).limit(200).lean(),
        models.LatestValue.find({ enterpriseId }).limit(2000).lean(),
        models.DeviceLiveness.find({ enterpriseId }).limit(1000).lean(),
        models.VideoChannel.find({ enterpriseId }).limit(200).lean(),
        models.CaseRecord.find({ enterpriseId }).sort({ openedAt: -1 }).limit(100).lean(),
        models.CleaningCheckIn.find({ enterpriseId }).sort({ at: -1 }).limit(20).lean(),
        models.SuspensionRequest.find({ enterpriseId }).sort({ createdAt: -1 }).limit(20).lean(),
        models.Region.findById(enterprise.regionId, { name: 1 }).lean(),
      ]);
      const live = new Map(liveness.map((l) => [`${l.sourceKind}/${l.sourceId}`, l]));
      const byDevice = new Map<string, typeof latest>();
      for (const v of latest) byDevice.set(v.deviceCode, [...(byDevice.get(v.deviceCode) ?? []), v]);
      await audit.record(p.username, 'enterprise.view', enterpriseId, {}, ip);
      const openAlarms = cases.filter((c) => c.type === 'monitoring_alarm' && c.status === 'open').length;
      const offline = liveness.filter((l) => l.offline).length;
      return {
        enterprise,
        regionName: region?.name,
        devices: devices.map((d) => ({
          ...d,
          offline: live.get(`sensor/${d._id}`)?.offline, // undefined: never heard from
          lastSeenAt: live.get(`sensor/${d._id}`)?.lastSeenAt,
          values: (byDevice.get(d._id) ?? []).map((v) => {
            const ind = d.indicators.find((i) => i.code === v.indicator);
            return {
              ...v,
              valueState: valueState(v),
              indicatorName: ind?.name ?? v.indicator,
              unit: ind?.unit ?? '',
              // A fault indicator's status in words (stored as 1 fault / 0 ok: web/monitoring/faults.ts).
              faultStatus: ind && reportsFault(ind) ? (v.value === 1 ? 'fault' : 'ok') : undefined,
            };
          }),
        })),
        video: video.map((v) => ({
          ...v,
          offline: live.get(`video/${v._id}`)?.offline,
          lastSeenAt: live.get(`video/${v._id}`)?.lastSeenAt,
        })),
        alarms: cases.filter((c) => c.type === 'monitoring_alarm'),
        warnings: cases.filter((c) => c.type === 'risk_warning'),
        otherCases: cases.filter((c) => c.type !== 'monitoring_alarm' && c.type !== 'risk_warning'),
        checkIns,
        suspensions,
        /** Index composition we can compute until the risk model lands: labelled parts, not a score. */
        risk: {
          current: enterprise.currentLevel,
          inherent: enterprise.inherentRisk,
          openAlarms,
          offlineSources: offline,
          sources: liveness.length,
        },
        asOf: new Date(now()),
      };
    },
  };
}
export type SpotCheckService = ReturnType<typeof createSpotCheckService>;
