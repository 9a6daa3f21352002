/**
 * Report activities (issue 7): a report run's steps on the report document — the rules in force, the
 * scheduled run's document, the deadline check, figures computed (activities/reportFigures.ts) and stored,
 * follow-ups recorded (activities/reportFollowUps.ts), the summary mail of each agency, the PDF
 * (activities/reportPdf.ts) and the archive. Idempotent by key: the report id for the archive, the
 * follow-up id (period + enterprise + rule) for tasks, so a re-run (a new report version) creates no duplicate.
 */
import path from 'node:path';
import { paths } from '../config';
import { LEVELS } from '../domain/cases';
import { periodForRun, periodStartingOn, type ReportKind } from '../domain/reports/periods';
import { DEFAULT_REPORT_RULES, type FollowUp, type ReportRules } from '../domain/reports/rules';
import { WORK_TYPES, WORK_TYPE_ZH } from '../domain/permits';
import type { Models } from '../models';
import type { AgencyDoc } from '../models/masterData';
import type { ReportDoc } from '../models/Report';
import { createReportFigures, periodLastDay, totals, type ReportFigures } from './reportFigures';
import { createReportFollowUps } from './reportFollowUps';
import { renderReportPdf } from './reportPdf';

/** One agency's summary mail of a report (rendered with templates/mail/report-summary.hbs, the PDF attached). */
export interface ReportMailing {
  agencyId: string;
  to: string[];
  filename: string;
  data: Record<string, unknown>;
}

type Deps = Pick<
  Models,
  | 'DeviceDayStat'
  | 'Enterprise'
  | 'Agency'
  | 'Task'
  | 'Report'
  | 'ReportRules'
  | 'CaseRecord'
  | 'CleaningCheckIn'
  | 'Region'
  | 'Device'
  | 'VideoChannel'
  | 'DeviceLiveness'
  | 'User'
  | 'Permit'
  | 'KeyEnforcementTarget'
>;

export function createReportActivities(deps: Deps, opts: { reportsDir?: string } = {}) {
  const m = deps;
  const reportsDir = opts.reportsDir ?? paths.reports;
  const { computeFigures } = createReportFigures(m);
  const { recordFollowUps } = createReportFollowUps(m);

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
    async beginScheduledReport(input: {
      kind: ReportKind;
      periodStart: string;
      rulesVersion: number;
    }): Promise<{ reportId: string; created: boolean }> {
      const p = periodStartingOn(input.kind, input.periodStart);
      const reportId = `report/${p.kind}/${p.start}/v1`;
      const r = await m.Report.updateOne(
        { _id: reportId },
        {
          $setOnInsert: {
            _id: reportId,
            kind: p.kind,
            periodStart: p.start,
            periodEnd: p.end,
            version: 1,
            status: 'running',
            rulesVersion: input.rulesVersion,
            followUps: [],
            requestedBy: 'schedule',
            createdAt: new Date(),
          },
        },
        { upsert: true },
      );
      return { reportId, created: r.upsertedCount === 1 };
    },

    /**
     * At the deadline check (10:45 Shanghai, 002 第二十八条 "上午11点前"): whether the period of a run today is
     * reported (a done version), and the administrators to alert when it is not.
     */
    async reportDeadlineStatus(input: {
      kind: ReportKind;
      at: string;
    }): Promise<{ periodStart: string; done: boolean; status?: string; adminEmails: string[] }> {
      const p = periodForRun(input.kind, Date.parse(input.at));
      const versions = await m.Report.find({ kind: p.kind, periodStart: p.start }, { status: 1, version: 1 })
        .sort({ version: -1 })
        .lean();
      const done = versions.some((v) => v.status === 'done');
      const admins = done
        ? []
        : await m.User.find({ role: 'admin', active: true, email: { $exists: true } }, { email: 1 }).lean();
      return {
        periodStart: p.start,
        done,
        status: versions[0]?.status,
        adminEmails: [...new Set(admins.map((a) => a.email).filter((e): e is string => !!e))],
      };
    },

    /** The figures of a period (per enterprise, per region, totals, bulletin for a month) with the previous period's for the trend. */
    computeFigures,

    /**
     * The figures computed and stored on the report (still running), answering only their size: at
     * 10,000 enterprises they are megabytes, too big for workflow history. The later steps read them
     * from the report.
     */
    async computeAndStoreFigures(input: {
      reportId: string;
      kind: ReportKind;
      periodStart: string;
      rules: ReportRules;
    }): Promise<{ enterprises: number; regions: number }> {
      const figures = await computeFigures(input);
      await m.Report.updateOne(
        { _id: input.reportId },
        { $set: { figures: figures as unknown as Record<string, unknown>, scores: scoresOf(figures) } },
      );
      return { enterprises: figures.enterprises.length, regions: figures.regions?.length ?? 0 };
    },

    recordFollowUps,

    /** The workflow's step: the follow-ups of the stored figures, answering their count only (history stays small). */
    async recordReportFollowUps(input: { reportId: string; rules: ReportRules }): Promise<{ followUps: number }> {
      return { followUps: (await recordFollowUps(input)).length };
    },

    /** The follow-ups as cases to open (interviews) and documents to issue (warning notices), with their agency. */
    async recordReportFollowUpCases(input: { reportId: string; rules: ReportRules }): Promise<
      {
        id: string;
        action: FollowUp['action'];
        enterpriseId: string;
        reason: string;
        agencyId?: string;
        interviewCaseId?: string;
      }[]
    > {
      const list = await recordFollowUps({ ...input, asCases: true });
      return list
        .filter((f) => f.action !== 'key_target')
        .map((f) => ({
          id: f.id,
          action: f.action,
          enterpriseId: f.enterpriseId,
          reason: f.reason,
          agencyId: f.agencyId,
          ...(f.interviewCaseId ? { interviewCaseId: f.interviewCaseId } : {}),
        }));
    },

    /**
     * Who receives the report's summary mail: every agency with a mailbox whose region the report covers
     * (an enterprise's region path passes through it), with the figures of its own jurisdiction — its
     * region, and its industries when it regulates some.
     */
    async reportMailings(input: { reportId: string }): Promise<ReportMailing[]> {
      const doc = await m.Report.findById(input.reportId, {
        figures: 1,
        followUps: 1,
        kind: 1,
        periodStart: 1,
        periodEnd: 1,
        version: 1,
      }).lean();
      if (!doc?.figures) throw new Error(`report ${input.reportId} has no figures yet`);
      const f = doc.figures as unknown as ReportFigures;
      const regionIds = [...new Set(f.enterprises.flatMap((r) => r.regionPath ?? []))];
      const agencies = (await m.Agency.find({ regionId: { $in: regionIds } }).lean<AgencyDoc[]>()).filter(
        (x) => x.emails?.length,
      );
      const followUpsBy = new Map<string, number>();
      const keyTargetsBy = new Map<string, number>();
      for (const fu of doc.followUps ?? [])
        (fu.rule === 'key_target' ? keyTargetsBy : followUpsBy).set(
          fu.enterpriseId,
          ((fu.rule === 'key_target' ? keyTargetsBy : followUpsBy).get(fu.enterpriseId) ?? 0) + 1,
        );
      const regionName = new Map((f.regions ?? []).map((r) => [r.regionId, r.regionName]));
      const lastDay = periodLastDay(f.period);
      return agencies
        .sort((x, y) => x._id.localeCompare(y._id))
        .map((ag) => {
          const mine = f.enterprises.filter(
            (r) =>
              r.regionPath?.includes(ag.regionId) &&
              (!ag.industries?.length || (r.industry && (ag.industries as string[]).includes(r.industry))),
          );
          const t = totals(mine, new Map());
          const worst = [...mine]
            .sort(
              (x, y) =>
                Math.max(y.dataOfflineRatePercent, y.videoOfflineRatePercent) -
                Math.max(x.dataOfflineRatePercent, x.videoOfflineRatePercent),
            )
            .slice(0, 5);
          return {
            agencyId: ag._id,
            to: ag.emails,
            filename: `${doc.kind === 'weekly' ? 'weekly' : 'monthly'}-report-${doc.periodStart}-v${doc.version}.pdf`,
            data: {
              reportId: input.reportId,
              agencyName: ag.name,
              regionName: regionName.get(ag.regionId) ?? ag.regionId,
              kindZh: doc.kind === 'weekly' ? '周报' : '月报',
              kindEn: doc.kind === 'weekly' ? 'weekly report' : 'monthly report',
              periodStart: f.period.start,
              periodLastDay: lastDay,
              enterprises: t.enterprises,
              dataOfflineRatePercent: t.dataOfflineRatePercent.toFixed(2),
              videoOfflineRatePercent: t.videoOfflineRatePercent.toFixed(2),
              alarmsRaised: t.alarmsRaised ?? 0,
              alarmsOverDeadline: t.alarmsOverDeadline ?? 0,
              warnings: t.warnings ?? 0,
              warningsRed: t.warningsByLevel?.red ?? 0,
              warningsOrange: t.warningsByLevel?.orange ?? 0,
              warningsYellow: t.warningsByLevel?.yellow ?? 0,
              warningsBlue: t.warningsByLevel?.blue ?? 0,
              overdueWarnings: LEVELS.reduce((s, l) => s + (t.overdueWarnings?.[l] ?? 0), 0),
              followUps: mine.reduce((s, r) => s + (followUpsBy.get(r.enterpriseId) ?? 0), 0),
              keyTargets: mine.reduce((s, r) => s + (keyTargetsBy.get(r.enterpriseId) ?? 0), 0),
              worst: worst.map((r) => ({
                name: r.enterpriseName ?? r.enterpriseId,
                rate: Math.max(r.dataOfflineRatePercent, r.videoOfflineRatePercent).toFixed(2),
              })),
              meanScore: t.meanScore,
              permits: t.permits ?? 0,
              permitsByType: WORK_TYPES.filter((w) => t.permitsByType?.[w]).map((w) => ({
                name: WORK_TYPE_ZH[w],
                n: t.permitsByType![w],
              })),
              permitsExpired: t.permitsExpired ?? 0,
              permitConductAlarms: t.permitConductAlarms ?? 0,
            },
          };
        });
    },

    /** The archived report as a PDF under the reports directory (re-rendered by a retry: same path). */
    async renderReportFile(input: { reportId: string }): Promise<string> {
      const doc = await m.Report.findById(input.reportId).lean();
      if (!doc?.figures) throw new Error(`report ${input.reportId} has no figures yet`);
      const outPath = path.join(reportsDir, `${input.reportId.replace(/\//g, '_')}.pdf`);
      await renderReportPdf({
        reportId: input.reportId,
        figures: doc.figures as unknown as ReportFigures,
        followUps: doc.followUps,
        outPath,
      });
      await m.Report.updateOne({ _id: input.reportId }, { $set: { pdfPath: outPath } });
      return outPath;
    },

    /** Archive the figures (when given; else those already stored) and mark the report done (idempotent: a retry sets the same values). */
    async archiveReport(input: { reportId: string; figures?: ReportFigures; pdfPath?: string }): Promise<void> {
      const set: Partial<ReportDoc> = { status: 'done', finishedAt: new Date() };
      if (input.figures) {
        set.figures = input.figures as unknown as Record<string, unknown>;
        set.scores = scoresOf(input.figures);
      }
      if (input.pdfPath) set.pdfPath = input.pdfPath;
      await m.Report.updateOne({ _id: input.reportId }, { $set: set });
    },
  };
}
/** A monthly report's scores, kept beside the figures for the yearly score (`{e, s}` per enterprise). */
function scoresOf(f: ReportFigures): { e: string; s: number }[] | undefined {
  return f.period.kind === 'monthly'
    ? f.enterprises.filter((r) => r.score !== undefined).map((r) => ({ e: r.enterpriseId, s: r.score! }))
    : undefined;
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
