/**
 * A report's figures (issue 7): computed by MongoDB aggregations over device_day_stats and case_records
 * (never raw readings, never a whole collection in Node memory), per enterprise, rolled up per district
 * and city and in total, with the previous period's figures for the trend and, for a month, the scores
 * and the bulletin (月度通报). Reads only: storing them is activities/reports.ts's job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../config';
import { LEVELS, type Level } from '../domain/cases';
import { monthlyBulletin, type Bulletin } from '../domain/reports/bulletin';
import { periodStartingOn, previousPeriod, type ReportKind, type ReportPeriod } from '../domain/reports/periods';
import {
  DEFAULT_REPORT_RULES,
  frequentWarningCount,
  followUps as rulesFollowUps,
  type EnterpriseFigures,
  type ReportRules,
} from '../domain/reports/rules';
import { monthlyScore, yearlyScore } from '../domain/reports/score';
import { DAY_MS, beijingDay, beijingDayStartOf } from '../domain/time';
import { WORK_TYPES, type WorkType } from '../domain/permits';
import type { Models } from '../models';
import type { EnterpriseDoc, RegionDoc } from '../models/masterData';

export type LevelCounts = Record<Level, number>;
const zeroLevels = (): LevelCounts => ({ red: 0, orange: 0, yellow: 0, blue: 0 });

export interface EnterpriseRow extends EnterpriseFigures {
  enterpriseName?: string;
  industry?: string;
  /** The enterprise's region path, city first (districts and cities are rolled up from it). */
  regionPath?: string[];
  sensors: number;
  videoChannels: number;
  /**
   * 应接尽接 (001 二(二)5, 004 五(二)): the enterprise's registered sources (active devices and video
   * channels of a should-connect enterprise, registered before the period's end) and those that ever
   * reported. `notConnected`: none ever did — the enterprise is listed though it sent no data.
   */
  sourcesShouldConnect?: number;
  sourcesConnected?: number;
  notConnected?: boolean;
  /** Alarm cases counted by ingestion (device_day_stats), out-of-range readings, frozen values. */
  alarms: number;
  outOfRange: number;
  frozen: number;
  /**
   * Data quality: readings of an indicator in alarm more than 10 s apart (002 附件2 三(二)3), readings
   * received more than 2 minutes after measured, and the enterprise → platform latency (received −
   * measured) on average and at most, seconds (002 附件5 三(一)(3), 003: ≤ 2 minutes).
   */
  slowAlarmReadings?: number;
  lateReadings?: number;
  latencyAvgSeconds?: number;
  latencyMaxSeconds?: number;
  /** Longest offline hours per source, highest first (top 5). */
  longestSources: { sourceKind: 'sensor' | 'video'; sourceId: string; offlineHours: number }[];
  /** Monitoring alarms (case_records) raised in the period, closed by its end, past their disposal deadline. */
  alarmsRaised?: number;
  alarmsDisposed?: number;
  alarmsOverDeadline?: number;
  /** Opened → closed (disposal filed and value back to normal), minutes, of the alarms closed in the period. */
  disposalMedianMinutes?: number;
  disposalAvgMinutes?: number;
  /** Risk warnings raised in the period (and per level), overdue ones per level, frequent or not. */
  warnings?: number;
  frequentWarnings?: boolean;
  /** On-site supervisions (现场核查督办) and interviews (约谈) open at the period's end. */
  openOnsiteSupervisions?: number;
  openInterviews?: number;
  /** Cleaning check-ins (清扫打卡) against the enterprise's cleaning plan; absent without a plan. */
  cleaningExpected?: number;
  cleaningDone?: number;
  cleaningCompliancePercent?: number;
  /**
   * Special-work permits (issue 13): issued in the period by work type, expired in the period without
   * acceptance (issued, then past their validity), conduct alarms (作业违规报警) opened in the period.
   */
  permitsByType?: Partial<Record<WorkType, number>>;
  permitsExpired?: number;
  permitConductAlarms?: number;
  /**
   * Device faults 设备故障 (a status, not a value: counted beside the monitoring alarms, not in them) raised in the
   * period, and those of them not repaired within their time (proposed for a penalty, 002 第二十五条).
   */
  deviceFaults?: number;
  deviceFaultsOverdue?: number;
  /** Monthly reports: the month's score, its rank (1 = best), the year's score so far (monthly mean). */
  score?: number;
  rank?: number;
  yearScore?: number;
  yearMonths?: number;
}

export interface ReportTotals {
  enterprises: number;
  /** 应接入企业数 / 已接入企业数 and 应接入 / 已接入 sources (devices and video channels). */
  shouldConnectEnterprises?: number;
  connectedEnterprises?: number;
  shouldConnectSources?: number;
  connectedSources?: number;
  dataOfflineRatePercent: number;
  videoOfflineRatePercent: number;
  alarms: number;
  outOfRange: number;
  frozen: number;
  slowAlarmReadings?: number;
  lateReadings?: number;
  latencyMaxSeconds?: number;
  alarmsRaised?: number;
  alarmsDisposed?: number;
  alarmsOverDeadline?: number;
  disposalMedianMinutes?: number;
  disposalAvgMinutes?: number;
  warnings?: number;
  warningsByLevel?: LevelCounts;
  overdueWarnings?: LevelCounts;
  frequentWarningEnterprises?: number;
  openOnsiteSupervisions?: number;
  openInterviews?: number;
  cleaningCompliancePercent?: number;
  /** Special-work permits issued (and by work type), expired without acceptance, conduct alarms. */
  permits?: number;
  permitsByType?: Record<WorkType, number>;
  permitsExpired?: number;
  permitConductAlarms?: number;
  deviceFaults?: number;
  deviceFaultsOverdue?: number;
  meanScore?: number;
}

/** A region's roll-up (district 区 and city 市 levels) with the previous period's figures for the trend. */
export interface RegionRow extends ReportTotals {
  regionId: string;
  regionName?: string;
  regionKind?: string;
  previous?: Pick<ReportTotals, 'dataOfflineRatePercent' | 'videoOfflineRatePercent' | 'alarmsRaised' | 'warnings'>;
}

export interface ReportFigures {
  period: { kind: ReportKind; start: string; end: string; days: number };
  enterprises: EnterpriseRow[];
  totals: ReportTotals;
  previousTotals?: Partial<ReportTotals> & {
    dataOfflineRatePercent: number;
    videoOfflineRatePercent: number;
    alarms: number;
  };
  regions?: RegionRow[];
  /** Monthly reports: the bulletin (月度通报). */
  bulletin?: Bulletin;
}

/** The last day a period covers (its end is exclusive), YYYY-MM-DD. */
export function periodLastDay(period: { end: string }): string {
  return beijingDay(beijingDayStartOf(period.end)! - DAY_MS);
}

type FigureDeps = Pick<
  Models,
  | 'DeviceDayStat'
  | 'Enterprise'
  | 'Report'
  | 'CaseRecord'
  | 'CleaningCheckIn'
  | 'Region'
  | 'Device'
  | 'VideoChannel'
  | 'DeviceLiveness'
  | 'Permit'
>;

const round2 = (x: number) => Math.round(x * 100) / 100;
const round1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((s, x) => s + x, 0) / xs.length) : 0);
function median(sorted: number[]): number | undefined {
  if (!sorted.length) return undefined;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}
/** Ladder steps a risk warning takes when a deadline passes while it is open (domain/escalation plan). */
const OVERDUE_KINDS = ['notice_issued', 'notice_repeated', 'onsite_started'];
/** Expected check-ins of a cleaning-plan item per day, by frequency (per shift: two shifts a day). */
const CLEANING_PER_DAY: Record<string, number> = { per_shift: 2, daily: 1, weekly: 1 / 7, monthly: 1 / 28 };
export function expectedCheckIns(frequency: string, days: number): number {
  return Math.floor(days * (CLEANING_PER_DAY[frequency] ?? 0) + 1e-9);
}

let industryNames: Map<string, string> | undefined;
/** Industry names in Chinese, from the i18n file the pages use (`industry.<code>`). */
function INDUSTRY_NAMES_ZH(): Map<string, string> {
  if (!industryNames) {
    const zh = JSON.parse(fs.readFileSync(path.join(paths.templates, 'i18n', 'zh-CN.json'), 'utf8')) as Record<
      string,
      string
    >;
    industryNames = new Map(
      Object.entries(zh)
        .filter(([k]) => k.startsWith('industry.'))
        .map(([k, v]) => [k.slice('industry.'.length), v]),
    );
  }
  return industryNames;
}

/** Figures of one period before the rules and the bulletin: rows and each enterprise's disposal durations. */
interface PeriodData {
  rows: Map<string, EnterpriseRow>;
  durations: Map<string, number[]>;
}

export function totals(rows: EnterpriseRow[], durations: Map<string, number[]>): ReportTotals {
  const sum = (f: (r: EnterpriseRow) => number | undefined) => rows.reduce((s, r) => s + (f(r) ?? 0), 0);
  const levels = (f: (r: EnterpriseRow) => Partial<LevelCounts> | undefined) =>
    Object.fromEntries(LEVELS.map((l) => [l, sum((r) => f(r)?.[l])])) as LevelCounts;
  const d = rows.flatMap((r) => durations.get(r.enterpriseId) ?? []).sort((a, b) => a - b);
  const planned = rows.filter((r) => r.cleaningExpected);
  const scored = rows.filter((r) => r.score !== undefined);
  const should = rows.filter((r) => r.sourcesShouldConnect);
  return {
    enterprises: rows.length,
    shouldConnectEnterprises: should.length,
    connectedEnterprises: should.filter((r) => !r.notConnected).length,
    shouldConnectSources: sum((r) => r.sourcesShouldConnect),
    connectedSources: sum((r) => r.sourcesConnected),
    dataOfflineRatePercent: mean(rows.filter((r) => r.sensors > 0).map((r) => r.dataOfflineRatePercent)),
    videoOfflineRatePercent: mean(rows.filter((r) => r.videoChannels > 0).map((r) => r.videoOfflineRatePercent)),
    alarms: sum((r) => r.alarms),
    outOfRange: sum((r) => r.outOfRange),
    frozen: sum((r) => r.frozen),
    slowAlarmReadings: sum((r) => r.slowAlarmReadings),
    lateReadings: sum((r) => r.lateReadings),
    latencyMaxSeconds: rows.reduce((x, r) => Math.max(x, r.latencyMaxSeconds ?? 0), 0),
    alarmsRaised: sum((r) => r.alarmsRaised),
    alarmsDisposed: d.length,
    alarmsOverDeadline: sum((r) => r.alarmsOverDeadline),
    disposalMedianMinutes: d.length ? round1(median(d)!) : undefined,
    disposalAvgMinutes: d.length ? round1(d.reduce((s, x) => s + x, 0) / d.length) : undefined,
    warnings: sum((r) => r.warnings),
    warningsByLevel: levels((r) => r.warningsByLevel),
    overdueWarnings: levels((r) => r.overdueWarnings),
    frequentWarningEnterprises: rows.filter((r) => r.frequentWarnings).length,
    openOnsiteSupervisions: sum((r) => r.openOnsiteSupervisions),
    openInterviews: sum((r) => r.openInterviews),
    cleaningCompliancePercent: planned.length
      ? round2((100 * sum((r) => r.cleaningDone)) / sum((r) => r.cleaningExpected))
      : undefined,
    permits: sum((r) => WORK_TYPES.reduce((s, t) => s + (r.permitsByType?.[t] ?? 0), 0)),
    permitsByType: Object.fromEntries(WORK_TYPES.map((t) => [t, sum((r) => r.permitsByType?.[t])])) as Record<
      WorkType,
      number
    >,
    permitsExpired: sum((r) => r.permitsExpired),
    permitConductAlarms: sum((r) => r.permitConductAlarms),
    deviceFaults: sum((r) => r.deviceFaults),
    deviceFaultsOverdue: sum((r) => r.deviceFaultsOverdue),
    meanScore: scored.length ? round1(scored.reduce((s, r) => s + r.score!, 0) / scored.length) : undefined,
  };
}

/** Roll-ups of every city and district (by region kind) the enterprises lie in. */
function regionRows(data: PeriodData, regions: Map<string, Pick<RegionDoc, '_id' | 'name' | 'kind'>>): RegionRow[] {
  const members = new Map<string, EnterpriseRow[]>();
  for (const r of data.rows.values())
    for (const id of r.regionPath ?? []) {
      const kind = regions.get(id)?.kind;
      if (kind !== 'city' && kind !== 'district') continue;
      (members.get(id) ?? members.set(id, []).get(id)!).push(r);
    }
  return [...members.entries()]
    .map(([id, rows]) => ({
      regionId: id,
      regionName: regions.get(id)?.name,
      regionKind: regions.get(id)?.kind,
      ...totals(rows, data.durations),
    }))
    .sort((a, b) =>
      a.regionKind === b.regionKind ? a.regionId.localeCompare(b.regionId) : a.regionKind === 'city' ? -1 : 1,
    );
}

/** The figures of a period, computed by aggregations in the database. */
export function createReportFigures(m: FigureDeps) {
  /** Per enterprise and source kind, by aggregation: offline and suspended seconds, rate, longest source. */
  async function enterpriseKinds(p: ReportPeriod) {
    const span = p.days * 86400;
    return m.DeviceDayStat.aggregate<{
      _id: { e: string; k: 'sensor' | 'video' };
      offline: number;
      available: number;
      sources: number;
      alarms: number;
      outOfRange: number;
      frozen: number;
      slowAlarm: number;
      late: number;
      latencySum: number;
      latencyMax: number;
      readings: number;
      regionPath: string[];
      industry: string;
      top: { sourceId: string; offline: number }[];
    }>([
      { $match: { day: { $gte: p.start, $lt: p.end } } },
      {
        $group: {
          _id: { e: '$enterpriseId', k: '$sourceKind', s: '$sourceId' },
          offline: { $sum: '$offlineSeconds' },
          suspended: { $sum: '$suspendedSeconds' },
          alarms: { $sum: '$alarms' },
          outOfRange: { $sum: '$outOfRange' },
          frozen: { $sum: '$frozen' },
          slowAlarm: { $sum: { $ifNull: ['$slowAlarmReadings', 0] } },
          late: { $sum: { $ifNull: ['$lateReadings', 0] } },
          latencySum: { $sum: { $ifNull: ['$latencySumMs', 0] } },
          latencyMax: { $max: { $ifNull: ['$latencyMaxMs', 0] } },
          readings: { $sum: { $ifNull: ['$readings', 0] } },
          regionPath: { $first: '$regionPath' },
          industry: { $first: '$industry' },
        },
      },
      { $sort: { offline: -1 } },
      {
        $group: {
          _id: { e: '$_id.e', k: '$_id.k' },
          offline: { $sum: '$offline' },
          // Suspended time excluded from the time a source should have been online.
          available: { $sum: { $subtract: [span, '$suspended'] } },
          sources: { $sum: 1 },
          alarms: { $sum: '$alarms' },
          outOfRange: { $sum: '$outOfRange' },
          frozen: { $sum: '$frozen' },
          slowAlarm: { $sum: '$slowAlarm' },
          late: { $sum: '$late' },
          latencySum: { $sum: '$latencySum' },
          latencyMax: { $max: '$latencyMax' },
          readings: { $sum: '$readings' },
          regionPath: { $first: '$regionPath' },
          industry: { $first: '$industry' },
          top: { $push: { sourceId: '$_id.s', offline: '$offline' } },
        },
      },
    ]).allowDiskUse(true);
  }

  /** Monitoring alarms raised in the period, per enterprise: counts, over-deadline, closing durations (minutes). */
  async function alarmFigures(p: ReportPeriod) {
    const from = new Date(p.fromMs);
    const to = new Date(p.toMs);
    return m.CaseRecord.aggregate<{
      _id: string;
      raised: number;
      over: number;
      durations: number[];
      regionPath?: string[];
      industry?: string;
    }>([
      { $match: { type: 'monitoring_alarm', openedAt: { $gte: from, $lt: to } } },
      {
        $project: {
          enterpriseId: 1,
          regionPath: 1,
          industry: 1,
          // Closed within the period: opened → closed in minutes; else -1 (not disposed yet at the period's end).
          minutes: {
            $cond: [
              { $lt: [{ $ifNull: ['$closedAt', to] }, to] },
              { $divide: [{ $subtract: ['$closedAt', '$openedAt'] }, 60000] },
              -1,
            ],
          },
          over: { $cond: [{ $in: ['overdue_escalated', { $ifNull: ['$timeline.kind', []] }] }, 1, 0] },
        },
      },
      {
        $group: {
          _id: '$enterpriseId',
          raised: { $sum: 1 },
          over: { $sum: '$over' },
          durations: { $push: '$minutes' },
          regionPath: { $first: '$regionPath' },
          industry: { $first: '$industry' },
        },
      },
    ]).allowDiskUse(true);
  }

  /**
   * Risk warnings active in the period, per enterprise and level (the level the case holds): raised in the
   * period, and overdue — a ladder step (warning notice, repeat, on-site supervision) taken in the period,
   * which the workflow takes only when a deadline passed while the warning was open.
   */
  async function warningFigures(p: ReportPeriod) {
    const from = new Date(p.fromMs);
    const to = new Date(p.toMs);
    const fromIso = from.toISOString();
    const toIso = to.toISOString();
    return m.CaseRecord.aggregate<{
      _id: { e: string; l: Level };
      raised: number;
      overdue: number;
      regionPath?: string[];
      industry?: string;
    }>([
      {
        $match: {
          type: 'risk_warning',
          openedAt: { $lt: to },
          $or: [{ status: 'open' }, { closedAt: { $gte: from } }],
        },
      },
      {
        $project: {
          enterpriseId: 1,
          level: 1,
          regionPath: 1,
          industry: 1,
          raised: { $cond: [{ $gte: ['$openedAt', from] }, 1, 0] },
          overdue: {
            $cond: [
              {
                $anyElementTrue: [
                  {
                    $map: {
                      input: { $ifNull: ['$timeline', []] },
                      as: 't',
                      in: {
                        $and: [
                          { $in: ['$$t.kind', OVERDUE_KINDS] },
                          { $gte: ['$$t.at', fromIso] },
                          { $lt: ['$$t.at', toIso] },
                        ],
                      },
                    },
                  },
                ],
              },
              1,
              0,
            ],
          },
        },
      },
      {
        $group: {
          _id: { e: '$enterpriseId', l: '$level' },
          raised: { $sum: '$raised' },
          overdue: { $sum: '$overdue' },
          regionPath: { $first: '$regionPath' },
          industry: { $first: '$industry' },
        },
      },
    ]).allowDiskUse(true);
  }

  /** On-site supervisions and interviews open at the period's end, per enterprise and type. */
  async function openCaseFigures(p: ReportPeriod) {
    const to = new Date(p.toMs);
    return m.CaseRecord.aggregate<{
      _id: { e: string; t: string };
      n: number;
      regionPath?: string[];
      industry?: string;
    }>([
      {
        $match: {
          type: { $in: ['onsite_supervision', 'interview'] },
          openedAt: { $lt: to },
          $or: [{ status: 'open' }, { closedAt: { $gte: to } }],
        },
      },
      {
        $group: {
          _id: { e: '$enterpriseId', t: '$type' },
          n: { $sum: 1 },
          regionPath: { $first: '$regionPath' },
          industry: { $first: '$industry' },
        },
      },
    ]).allowDiskUse(true);
  }

  /**
   * Special-work permits per enterprise: issued in the period by type, expired in it after being issued
   * (the workflow closes an unaccepted permit as expired at the end of its validity), and the conduct
   * alarms opened in it.
   */
  async function permitFigures(p: ReportPeriod) {
    const from = new Date(p.fromMs);
    const to = new Date(p.toMs);
    const [issued, expired, alarms] = await Promise.all([
      m.Permit.aggregate<{ _id: { e: string; t: WorkType }; n: number; regionPath?: string[]; industry?: string }>([
        { $match: { issuedAt: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: { e: '$enterpriseId', t: '$type' },
            n: { $sum: 1 },
            regionPath: { $first: '$regionPath' },
            industry: { $first: '$industry' },
          },
        },
      ]).allowDiskUse(true),
      m.Permit.aggregate<{ _id: string; n: number; regionPath?: string[]; industry?: string }>([
        { $match: { status: 'expired', issuedAt: { $exists: true }, closedAt: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: '$enterpriseId',
            n: { $sum: 1 },
            regionPath: { $first: '$regionPath' },
            industry: { $first: '$industry' },
          },
        },
      ]).allowDiskUse(true),
      m.CaseRecord.aggregate<{ _id: string; n: number; regionPath?: string[]; industry?: string }>([
        { $match: { type: 'permit_conduct_alarm', openedAt: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: '$enterpriseId',
            n: { $sum: 1 },
            regionPath: { $first: '$regionPath' },
            industry: { $first: '$industry' },
          },
        },
      ]).allowDiskUse(true),
    ]);
    return { issued, expired, alarms };
  }

  /** Device-fault cases per enterprise raised in the period, and those of them past their repair time. */
  async function deviceFaultFigures(p: ReportPeriod) {
    const raised = { type: 'device_fault', openedAt: { $gte: new Date(p.fromMs), $lt: new Date(p.toMs) } };
    const perEnterprise = (match: Record<string, unknown>) =>
      m.CaseRecord.aggregate<{ _id: string; n: number; regionPath?: string[]; industry?: string }>([
        { $match: match },
        {
          $group: {
            _id: '$enterpriseId',
            n: { $sum: 1 },
            regionPath: { $first: '$regionPath' },
            industry: { $first: '$industry' },
          },
        },
      ]).allowDiskUse(true);
    const [all, overdue] = await Promise.all([
      perEnterprise(raised),
      perEnterprise({ ...raised, 'timeline.kind': 'repair_overdue' }),
    ]);
    return { all, overdue };
  }

  /** Cleaning plans (cleaning_plans, one per enterprise) item by item, and the check-ins of the period per item. */
  async function cleaningFigures(p: ReportPeriod) {
    const plans = m.CleaningCheckIn.db.collection('cleaning_plans');
    const [planned, done] = await Promise.all([
      plans
        .aggregate<{ _id: { e: string; item: string }; frequency: string }>([
          { $unwind: '$items' },
          { $group: { _id: { e: '$_id', item: '$items.item' }, frequency: { $first: '$items.frequency' } } },
        ])
        .toArray(),
      m.CleaningCheckIn.aggregate<{ _id: { e: string; item: string }; n: number }>([
        { $match: { at: { $gte: new Date(p.fromMs), $lt: new Date(p.toMs) } } },
        { $group: { _id: { e: '$enterpriseId', item: '$item' }, n: { $sum: 1 } } },
      ]).allowDiskUse(true),
    ]);
    const doneBy = new Map(done.map((d) => [`${d._id.e}\u0000${d._id.item}`, d.n]));
    const out = new Map<string, { expected: number; done: number }>();
    for (const it of planned) {
      const expected = expectedCheckIns(it.frequency, p.days);
      if (expected === 0) continue;
      const o = out.get(it._id.e) ?? { expected: 0, done: 0 };
      o.expected += expected;
      o.done += Math.min(expected, doneBy.get(`${it._id.e}\u0000${it._id.item}`) ?? 0);
      out.set(it._id.e, o);
    }
    return out;
  }

  /**
   * Should-connect vs connected (应接尽接), per enterprise: active devices (with indicators) and video
   * channels registered before the period's end of enterprises that should connect, and how many of
   * them ever reported (a liveness row not marked neverReported).
   */
  async function connectionFigures(
    p: ReportPeriod,
  ): Promise<Map<string, { sensors: number; video: number; connected: number }>> {
    const end = new Date(p.toMs);
    const [devices, channels, live, notShould] = await Promise.all([
      m.Device.aggregate<{ _id: string; n: number }>([
        { $match: { status: 'active', createdAt: { $lt: end }, 'indicators.0': { $exists: true } } },
        { $group: { _id: '$enterpriseId', n: { $sum: 1 } } },
      ]).allowDiskUse(true),
      m.VideoChannel.aggregate<{ _id: string; n: number }>([
        { $match: { createdAt: { $lt: end } } },
        { $group: { _id: '$enterpriseId', n: { $sum: 1 } } },
      ]).allowDiskUse(true),
      m.DeviceLiveness.aggregate<{ _id: string; n: number }>([
        { $match: { neverReported: { $ne: true } } },
        { $group: { _id: '$enterpriseId', n: { $sum: 1 } } },
      ]).allowDiskUse(true),
      m.Enterprise.find({ shouldConnect: false }, { _id: 1 }).lean<{ _id: string }[]>(),
    ]);
    const excluded = new Set(notShould.map((e) => e._id));
    const out = new Map<string, { sensors: number; video: number; connected: number }>();
    const get = (e: string) => out.get(e) ?? out.set(e, { sensors: 0, video: 0, connected: 0 }).get(e)!;
    for (const d of devices) if (!excluded.has(d._id)) get(d._id).sensors = d.n;
    for (const c of channels) if (!excluded.has(c._id)) get(c._id).video = c.n;
    for (const l of live)
      if (out.has(l._id)) get(l._id).connected = Math.min(l.n, get(l._id).sensors + get(l._id).video);
    return out;
  }

  async function periodData(p: ReportPeriod, rules: ReportRules): Promise<PeriodData> {
    const rows = new Map<string, EnterpriseRow>();
    const durations = new Map<string, number[]>();
    const row = (e: string, regionPath?: string[], industry?: string): EnterpriseRow => {
      let r = rows.get(e);
      if (!r) {
        r = {
          enterpriseId: e,
          regionId: regionPath?.[regionPath.length - 1] ?? '',
          regionPath,
          industry,
          dataOfflineRatePercent: 0,
          videoOfflineRatePercent: 0,
          longestOfflineHours: 0,
          sensors: 0,
          videoChannels: 0,
          alarms: 0,
          outOfRange: 0,
          frozen: 0,
          longestSources: [],
          alarmsRaised: 0,
          alarmsDisposed: 0,
          alarmsOverDeadline: 0,
          warnings: 0,
          warningsByLevel: zeroLevels(),
          overdueWarnings: zeroLevels(),
          frequentWarnings: false,
          openOnsiteSupervisions: 0,
          openInterviews: 0,
        };
        rows.set(e, r);
      }
      if (!r.regionPath?.length && regionPath?.length) {
        r.regionPath = regionPath;
        r.regionId = regionPath[regionPath.length - 1];
      }
      r.industry ??= industry;
      return r;
    };
    const [kinds, alarms, warnings, open, cleaning, connection, permits, faults] = await Promise.all([
      enterpriseKinds(p),
      alarmFigures(p),
      warningFigures(p),
      openCaseFigures(p),
      cleaningFigures(p),
      connectionFigures(p),
      permitFigures(p),
      deviceFaultFigures(p),
    ]);
    for (const g of kinds) {
      const r = row(g._id.e, g.regionPath, g.industry);
      const rate = g.available > 0 ? round2((100 * g.offline) / g.available) : 0;
      if (g._id.k === 'sensor') {
        r.dataOfflineRatePercent = rate;
        r.sensors = g.sources;
      } else {
        r.videoOfflineRatePercent = rate;
        r.videoChannels = g.sources;
      }
      r.alarms += g.alarms;
      r.outOfRange += g.outOfRange;
      r.frozen += g.frozen;
      if (g._id.k === 'sensor') {
        r.slowAlarmReadings = g.slowAlarm ?? 0;
        r.lateReadings = g.late ?? 0;
        r.latencyAvgSeconds = g.readings ? round1((g.latencySum ?? 0) / g.readings / 1000) : undefined;
        r.latencyMaxSeconds = g.readings ? round1((g.latencyMax ?? 0) / 1000) : undefined;
      }
      const top = g.top
        .slice(0, 5)
        .map((t) => ({ sourceKind: g._id.k, sourceId: t.sourceId, offlineHours: round2(t.offline / 3600) }));
      r.longestSources = [...r.longestSources, ...top].sort((a, b) => b.offlineHours - a.offlineHours).slice(0, 5);
      r.longestOfflineHours = r.longestSources[0]?.offlineHours ?? 0;
      r.longestOfflineSourceId = r.longestSources[0]?.sourceId;
    }
    for (const g of alarms) {
      if (!g._id) continue;
      const r = row(g._id, g.regionPath, g.industry);
      const d = g.durations.filter((x) => x >= 0).sort((a, b) => a - b);
      r.alarmsRaised = g.raised;
      r.alarmsOverDeadline = g.over;
      r.alarmsDisposed = d.length;
      r.disposalMedianMinutes = d.length ? round1(median(d)!) : undefined;
      r.disposalAvgMinutes = d.length ? round1(d.reduce((s, x) => s + x, 0) / d.length) : undefined;
      durations.set(g._id, d);
    }
    for (const g of warnings) {
      if (!g._id.e || !g._id.l) continue;
      const r = row(g._id.e, g.regionPath, g.industry);
      r.warningsByLevel = { ...r.warningsByLevel, [g._id.l]: (r.warningsByLevel?.[g._id.l] ?? 0) + g.raised };
      r.overdueWarnings = { ...r.overdueWarnings, [g._id.l]: (r.overdueWarnings?.[g._id.l] ?? 0) + g.overdue };
      r.warnings = (r.warnings ?? 0) + g.raised;
    }
    const frequent = frequentWarningCount(rules, p.kind);
    for (const r of rows.values())
      r.frequentWarnings =
        LEVELS.filter((l) => l !== 'blue').reduce((s, l) => s + (r.warningsByLevel?.[l] ?? 0), 0) >= frequent;
    for (const g of open) {
      if (!g._id.e) continue;
      const r = row(g._id.e, g.regionPath, g.industry);
      if (g._id.t === 'interview') r.openInterviews = g.n;
      else r.openOnsiteSupervisions = g.n;
    }
    for (const [e, c] of connection) {
      const known = rows.has(e);
      const r = row(e);
      r.sourcesShouldConnect = c.sensors + c.video;
      r.sourcesConnected = c.connected;
      if (c.connected === 0) r.notConnected = true;
      // Listed though it sent nothing: its registered sources are offline the whole period (the sweep's statistics may not cover them yet).
      if (!known && c.connected === 0) {
        r.sensors = c.sensors;
        r.videoChannels = c.video;
        if (c.sensors) r.dataOfflineRatePercent = 100;
        if (c.video) r.videoOfflineRatePercent = 100;
      }
    }
    for (const g of permits.issued) {
      if (!g._id.e) continue;
      const r = row(g._id.e, g.regionPath, g.industry);
      r.permitsByType = { ...r.permitsByType, [g._id.t]: g.n };
    }
    for (const g of permits.expired) if (g._id) row(g._id, g.regionPath, g.industry).permitsExpired = g.n;
    for (const g of permits.alarms) if (g._id) row(g._id, g.regionPath, g.industry).permitConductAlarms = g.n;
    for (const g of faults.all) if (g._id) row(g._id, g.regionPath, g.industry).deviceFaults = g.n;
    for (const g of faults.overdue) if (g._id) row(g._id, g.regionPath, g.industry).deviceFaultsOverdue = g.n;
    for (const [e, c] of cleaning) {
      const r = row(e);
      r.cleaningExpected = c.expected;
      r.cleaningDone = c.done;
      r.cleaningCompliancePercent = round2((100 * c.done) / c.expected);
    }
    return { rows, durations };
  }

  /** The year's earlier monthly scores per enterprise (latest done version of each month before this one). */
  async function earlierMonthlyScores(p: ReportPeriod): Promise<Map<string, { sum: number; months: number }>> {
    const yearStart = `${p.start.slice(0, 4)}-01-01`;
    const out = await m.Report.aggregate<{ _id: string; sum: number; months: number }>([
      { $match: { kind: 'monthly', status: 'done', periodStart: { $gte: yearStart, $lt: p.start } } },
      { $sort: { periodStart: 1, version: -1 } },
      { $group: { _id: '$periodStart', scores: { $first: '$scores' } } },
      { $unwind: '$scores' },
      { $group: { _id: '$scores.e', sum: { $sum: '$scores.s' }, months: { $sum: 1 } } },
    ]).allowDiskUse(true);
    return new Map(out.map((o) => [o._id, { sum: o.sum, months: o.months }]));
  }

  async function computeFigures(input: {
    kind: ReportKind;
    periodStart: string;
    rules?: ReportRules;
  }): Promise<ReportFigures> {
    const p = periodStartingOn(input.kind, input.periodStart);
    const rules = input.rules ?? DEFAULT_REPORT_RULES;
    const [now, before] = await Promise.all([periodData(p, rules), periodData(previousPeriod(p), rules)]);
    // Names and master-data region/industry: one projection read of the enterprises (small per document).
    const ids = [...now.rows.keys()];
    const ents = await (
      ids.length > 2000
        ? m.Enterprise.find({}, { name: 1, regionPath: 1, industry: 1 })
        : m.Enterprise.find({ _id: { $in: ids } }, { name: 1, regionPath: 1, industry: 1 })
    ).lean<Pick<EnterpriseDoc, '_id' | 'name' | 'regionPath' | 'industry'>[]>();
    const byId = new Map(ents.map((n) => [n._id, n]));
    for (const data of [now, before])
      for (const r of data.rows.values()) {
        const e = byId.get(r.enterpriseId);
        if (!e) continue;
        r.enterpriseName = e.name;
        if (e.regionPath?.length) {
          r.regionPath = e.regionPath;
          r.regionId = e.regionPath[e.regionPath.length - 1];
        }
        r.industry = e.industry ?? r.industry;
      }
    const enterprises = [...now.rows.values()].sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId));
    let bulletin: Bulletin | undefined;
    const regionIds = [...new Set(enterprises.flatMap((r) => r.regionPath ?? []))];
    const regionDocs = new Map(
      (
        await m.Region.find({ _id: { $in: regionIds } }, { name: 1, kind: 1 }).lean<
          Pick<RegionDoc, '_id' | 'name' | 'kind'>[]
        >()
      ).map((r) => [r._id, r]),
    );
    if (p.kind === 'monthly') {
      const earlier = await earlierMonthlyScores(p);
      for (const r of enterprises) {
        r.score = monthlyScore({ ...r, alarmsOverDeadline: r.alarmsOverDeadline }).score;
        const e = earlier.get(r.enterpriseId) ?? { sum: 0, months: 0 };
        r.yearMonths = e.months + 1;
        r.yearScore = yearlyScore({ sum: e.sum + r.score, months: e.months + 1 });
      }
    }
    const regions = regionRows(now, regionDocs);
    const previousRegions = new Map(regionRows(before, regionDocs).map((r) => [r.regionId, r]));
    for (const r of regions) {
      const b = previousRegions.get(r.regionId);
      if (b)
        r.previous = {
          dataOfflineRatePercent: b.dataOfflineRatePercent,
          videoOfflineRatePercent: b.videoOfflineRatePercent,
          alarmsRaised: b.alarmsRaised,
          warnings: b.warnings,
        };
    }
    if (p.kind === 'monthly') {
      const problemIds = new Set(
        enterprises.flatMap((r) => rulesFollowUps(rules, p.kind, p.start, r)).map((f) => f.enterpriseId),
      );
      bulletin = monthlyBulletin({
        enterprises: enterprises.map((r) => ({
          ...r,
          warnings: r.warnings ?? 0,
          score: r.score!,
          overdueWarningCount: LEVELS.reduce((s, l) => s + (r.overdueWarnings?.[l] ?? 0), 0),
          problem: problemIds.has(r.enterpriseId) || !!r.frequentWarnings,
        })),
        districts: regions.filter((r) => r.regionKind === 'district').map((r) => ({ ...r, warnings: r.warnings ?? 0 })),
        regionNames: new Map([...regionDocs.values()].map((r) => [r._id, r.name])),
        industryNames: INDUSTRY_NAMES_ZH(),
      });
      const rank = new Map([...bulletin.top, ...bulletin.bottom].map((x) => [x.enterpriseId, x.rank]));
      // Every enterprise's rank (the bulletin keeps the top and bottom lists only).
      const sorted = [...enterprises].sort(
        (a, b) => b.score! - a.score! || a.enterpriseId.localeCompare(b.enterpriseId),
      );
      sorted.forEach(
        (r, i) =>
          (r.rank =
            i > 0 && sorted[i - 1].score === r.score ? sorted[i - 1].rank : (rank.get(r.enterpriseId) ?? i + 1)),
      );
    }
    const prev = totals([...before.rows.values()], before.durations);
    return {
      period: { kind: p.kind, start: p.start, end: p.end, days: p.days },
      enterprises,
      totals: totals(enterprises, now.durations),
      previousTotals: prev,
      regions,
      bulletin,
    };
  }

  return { computeFigures };
}
