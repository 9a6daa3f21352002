/**
 * Report activities (issue 7): figures computed by MongoDB aggregations over device_day_stats (never
 * raw readings, never a whole collection in Node memory), follow-ups from the rules, and their tasks.
 * Idempotent by key: the report id for the archive, the follow-up id (period + enterprise + rule) for
 * tasks, so a re-run (a new report version) creates no duplicate follow-up.
 */
import type { Models } from '../models';
import type { AgencyDoc, EnterpriseDoc } from '../models/masterData';
import type { ReportDoc } from '../models/Report';
import { periodStartingOn, previousPeriod, type ReportKind, type ReportPeriod } from '../domain/reports/periods';
import { DEFAULT_REPORT_RULES, followUps as rulesFollowUps, type EnterpriseFigures, type FollowUp, type ReportRules } from '../domain/reports/rules';
import { pickAgency } from './monitoring';
import path from 'node:path';
import { paths } from '../config';
import { renderReportPdf } from './reportPdf';

export interface EnterpriseRow extends EnterpriseFigures {
  enterpriseName?: string;
  sensors: number;
  videoChannels: number;
  alarms: number;
  outOfRange: number;
  frozen: number;
  /** Longest offline hours per source, highest first (top 5). */
  longestSources: { sourceKind: 'sensor' | 'video'; sourceId: string; offlineHours: number }[];
}

export interface ReportFigures {
  period: { kind: ReportKind; start: string; end: string; days: number };
  enterprises: EnterpriseRow[];
  totals: { enterprises: number; dataOfflineRatePercent: number; videoOfflineRatePercent: number; alarms: number; outOfRange: number; frozen: number };
  previousTotals?: { dataOfflineRatePercent: number; videoOfflineRatePercent: number; alarms: number };
}

type Deps = Pick<Models, 'DeviceDayStat' | 'Enterprise' | 'Agency' | 'Task' | 'Report' | 'ReportRules'>;

const round2 = (x: number) => Math.round(x * 100) / 100;

export function createReportActivities(deps: Deps, opts: { reportsDir?: string } = {}) {
  const m = deps;
  const reportsDir = opts.reportsDir ?? paths.reports;

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
      regionPath: string[];
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
          regionPath: { $first: '$regionPath' },
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
          regionPath: { $first: '$regionPath' },
          top: { $push: { sourceId: '$_id.s', offline: '$offline' } },
        },
      },
    ]).allowDiskUse(true);
  }

  async function figuresFor(p: ReportPeriod): Promise<EnterpriseRow[]> {
    const rows = new Map<string, EnterpriseRow>();
    for (const g of await enterpriseKinds(p)) {
      const e = g._id.e;
      const row =
        rows.get(e) ??
        ({ enterpriseId: e, regionId: g.regionPath?.[g.regionPath.length - 1] ?? '', dataOfflineRatePercent: 0, videoOfflineRatePercent: 0, longestOfflineHours: 0, sensors: 0, videoChannels: 0, alarms: 0, outOfRange: 0, frozen: 0, longestSources: [] } as EnterpriseRow);
      const rate = g.available > 0 ? round2((100 * g.offline) / g.available) : 0;
      if (g._id.k === 'sensor') {
        row.dataOfflineRatePercent = rate;
        row.sensors = g.sources;
      } else {
        row.videoOfflineRatePercent = rate;
        row.videoChannels = g.sources;
      }
      row.alarms += g.alarms;
      row.outOfRange += g.outOfRange;
      row.frozen += g.frozen;
      const top = g.top.slice(0, 5).map((t) => ({ sourceKind: g._id.k, sourceId: t.sourceId, offlineHours: round2(t.offline / 3600) }));
      row.longestSources = [...row.longestSources, ...top].sort((a, b) => b.offlineHours - a.offlineHours).slice(0, 5);
      row.longestOfflineHours = row.longestSources[0]?.offlineHours ?? 0;
      row.longestOfflineSourceId = row.longestSources[0]?.sourceId;
      rows.set(e, row);
    }
    return [...rows.values()].sort((a, b) => a.enterpriseId.localeCompare(b.enterpriseId));
  }

  function totals(rows: EnterpriseRow[]) {
    const mean = (xs: number[]) => (xs.length ? round2(xs.reduce((s, x) => s + x, 0) / xs.length) : 0);
    return {
      enterprises: rows.length,
      dataOfflineRatePercent: mean(rows.filter((r) => r.sensors > 0).map((r) => r.dataOfflineRatePercent)),
      videoOfflineRatePercent: mean(rows.filter((r) => r.videoChannels > 0).map((r) => r.videoOfflineRatePercent)),
      alarms: rows.reduce((s, r) => s + r.alarms, 0),
      outOfRange: rows.reduce((s, r) => s + r.outOfRange, 0),
      frozen: rows.reduce((s, r) => s + r.frozen, 0),
    };
  }

  return {
    /** The report rules in force (the highest stored version, else the shipped default). */
    async currentReportRules(): Promise<ReportRules> {
      const doc = await m.ReportRules.findOne({}).sort({ _id: -1 }).lean();
      return doc ? { version: doc.version, weekly: doc.weekly, monthly: doc.monthly } : DEFAULT_REPORT_RULES;
    },

    /**
     * A scheduled run's report document: version 1 of its period, created once (a retry or a second
     * fire of the schedule finds it). `created` false → the period was already reported.
     */
    async beginScheduledReport(input: { kind: ReportKind; periodStart: string; rulesVersion: number }): Promise<{ reportId: string; created: boolean }> {
      const p = periodStartingOn(input.kind, input.periodStart);
      const reportId = `report/${p.kind}/${p.start}/v1`;
      const r = await m.Report.updateOne(
        { _id: reportId },
        { $setOnInsert: { _id: reportId, kind: p.kind, periodStart: p.start, periodEnd: p.end, version: 1, status: 'running', rulesVersion: input.rulesVersion, followUps: [], requestedBy: 'schedule', createdAt: new Date() } },
        { upsert: true },
      );
      return { reportId, created: r.upsertedCount === 1 };
    },

    /** The figures of a period with the previous period's totals for the trend. */
    async computeFigures(input: { kind: ReportKind; periodStart: string }): Promise<ReportFigures> {
      const p = periodStartingOn(input.kind, input.periodStart);
      const enterprises = await figuresFor(p);
      const names = await m.Enterprise.find({ _id: { $in: enterprises.map((r) => r.enterpriseId) } }, { name: 1 }).lean<Pick<EnterpriseDoc, '_id' | 'name'>[]>();
      const byId = new Map(names.map((n) => [n._id, n.name]));
      for (const r of enterprises) r.enterpriseName = byId.get(r.enterpriseId);
      const prev = totals(await figuresFor(previousPeriod(p)));
      return {
        period: { kind: p.kind, start: p.start, end: p.end, days: p.days },
        enterprises,
        totals: totals(enterprises),
        previousTotals: { dataOfflineRatePercent: prev.dataOfflineRatePercent, videoOfflineRatePercent: prev.videoOfflineRatePercent, alarms: prev.alarms },
      };
    },

    /**
     * The follow-ups the rules ask for, recorded on the report and as open tasks (kind `interview` or
     * `warning_notice`) for the enterprise's district industry regulator (else the emergency bureau).
     * Task ids are `report/<follow-up id>`: a re-run upserts the same ones.
     */
    async recordFollowUps(input: { reportId: string; rules: ReportRules; figures: ReportFigures }): Promise<FollowUp[]> {
      const { kind, start } = input.figures.period;
      const list = input.figures.enterprises.flatMap((f) => rulesFollowUps(input.rules, kind, start, f));
      const ids = [...new Set(list.map((f) => f.enterpriseId))];
      const ents = await m.Enterprise.find({ _id: { $in: ids } }).lean<EnterpriseDoc[]>();
      const regionIds = [...new Set(ents.flatMap((e) => e.regionPath))];
      const agencies = await m.Agency.find({ regionId: { $in: regionIds } }).lean<AgencyDoc[]>();
      const entById = new Map(ents.map((e) => [e._id, e]));
      const out: (FollowUp & { taskId?: string })[] = [];
      const ops = [];
      for (const f of list) {
        const e = entById.get(f.enterpriseId);
        if (f.action === 'key_target' || !e) {
          out.push(f);
          continue;
        }
        const agency = pickAgency(agencies, 'district_industry_regulator', e) ?? pickAgency(agencies, 'district_emergency_bureau', e);
        const taskId = `report/${f.id}`;
        const isInterview = f.action !== 'warning_notice';
        ops.push({
          updateOne: {
            filter: { _id: taskId },
            update: {
              $setOnInsert: {
                _id: taskId,
                caseId: `report/${f.id}`,
                caseType: isInterview ? 'interview' : 'risk_warning',
                kind: isInterview ? 'interview' : 'warning_notice',
                title: `${isInterview ? (f.action === 'region_interview' ? '约谈企业及属地' : '约谈') : '警示通报'}：${e.name}（${f.reason}）`,
                enterpriseId: e._id,
                assigneeAgencyId: agency?._id,
                status: 'open',
                form: isInterview ? 'interviewMinutes' : 'warningNoticeRecord',
                result: { reportId: input.reportId, followUpId: f.id, rule: f.rule },
                createdAt: new Date(),
              },
            },
            upsert: true,
          },
        });
        out.push({ ...f, taskId });
      }
      if (ops.length) await m.Task.bulkWrite(ops as never, { ordered: false });
      await m.Report.updateOne({ _id: input.reportId }, { $set: { followUps: out } });
      return out;
    },

    /** The archived report as a PDF under the reports directory (re-rendered by a retry: same path). */
    async renderReportFile(input: { reportId: string }): Promise<string> {
      const doc = await m.Report.findById(input.reportId).lean();
      if (!doc?.figures) throw new Error(`report ${input.reportId} has no figures yet`);
      const outPath = path.join(reportsDir, `${input.reportId.replace(/\//g, '_')}.pdf`);
      await renderReportPdf({ reportId: input.reportId, figures: doc.figures as unknown as ReportFigures, followUps: doc.followUps, outPath });
      await m.Report.updateOne({ _id: input.reportId }, { $set: { pdfPath: outPath } });
      return outPath;
    },

    /** Archive the figures and mark the report done (idempotent: a retry sets the same values). */
    async archiveReport(input: { reportId: string; figures: ReportFigures; pdfPath?: string }): Promise<void> {
      const set: Partial<ReportDoc> = { figures: input.figures as unknown as Record<string, unknown>, status: 'done', finishedAt: new Date() };
      if (input.pdfPath) set.pdfPath = input.pdfPath;
      await m.Report.updateOne({ _id: input.reportId }, { $set: set });
    },
  };
}
export type ReportActivities = ReturnType<typeof createReportActivities>;
