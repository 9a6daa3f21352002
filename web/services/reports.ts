/**
 * Reports on demand (issue 7): an administrator runs a weekly or monthly report for a past period;
 * the same period twice without `rerun` is refused (409 naming it), a rerun is a new version. The
 * list and one report (status, progress while it runs, archived figures).
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import { PeriodError, periodStartingOn } from '../../domain/reports/periods';
import type { Models } from '../../models';
import type { ReportDoc } from '../../models/Report';
import { reportProgressQuery, reportRun, type ReportProgress } from '../../workflows/report';
import type { AuditService } from './audit';
import { HttpError } from '../errors';

/** One schema for the admin page and the API. */
export const reportRunForm = z.object({
  kind: z.enum(['weekly', 'monthly'], { message: 'must be weekly or monthly' }),
  periodStart: z.string({ message: 'must be a date YYYY-MM-DD' }),
  rerun: z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean()).optional(),
});
export type ReportRunForm = z.infer<typeof reportRunForm>;

export function createReportService(deps: { temporal: Client; models: Pick<Models, 'Report' | 'ReportRules'>; taskQueue: string; audit: AuditService; now?: () => number }) {
  const { temporal, models, audit } = deps;
  const now = deps.now ?? Date.now;
  return {
    async run(p: Principal, form: ReportRunForm, ip?: string): Promise<{ reportId: string }> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may run a report');
      let period;
      try {
        period = periodStartingOn(form.kind, form.periodStart);
      } catch (err) {
        if (err instanceof PeriodError) throw new HttpError(400, err.message, 'periodStart');
        throw err;
      }
      if (period.toMs > now()) throw new HttpError(400, `periodStart: the ${form.kind} period from ${period.start} has not ended yet`, 'periodStart');
      const latest = await models.Report.findOne({ kind: period.kind, periodStart: period.start }, { version: 1 }).sort({ version: -1 }).lean();
      if (latest && !form.rerun) throw new HttpError(409, `the ${period.kind} report for the period from ${period.start} exists already (${latest._id}); ask for a rerun to make a new version`, 'periodStart');
      const version = (latest?.version ?? 0) + 1;
      const reportId = `report/${period.kind}/${period.start}/v${version}`;
      const rules = await models.ReportRules.findOne({}, { version: 1 }).sort({ _id: -1 }).lean();
      try {
        await models.Report.create({ _id: reportId, kind: period.kind, periodStart: period.start, periodEnd: period.end, version, status: 'running', rulesVersion: rules?.version ?? 1, followUps: [], requestedBy: p.username, createdAt: new Date() });
      } catch (err) {
        if ((err as { code?: number }).code === 11000) throw new HttpError(409, `${reportId} was started meanwhile`, 'periodStart');
        throw err;
      }
      await temporal.workflow.start(reportRun, { workflowId: reportId, taskQueue: deps.taskQueue, args: [{ kind: period.kind, periodStart: period.start }] });
      await audit.record(p.username, 'report.started', reportId, { kind: period.kind, periodStart: period.start, version }, ip);
      return { reportId };
    },

    async list(): Promise<Omit<ReportDoc, 'figures'>[]> {
      return models.Report.find({}, { figures: 0 }).sort({ createdAt: -1 }).limit(200).lean();
    },

    /** One report; while it runs, the workflow's progress. */
    async get(id: string): Promise<ReportDoc & { progress?: ReportProgress }> {
      const doc = await models.Report.findById(id).lean();
      if (!doc) throw new HttpError(404, `no report ${id}`, 'id');
      if (doc.status !== 'running') return doc;
      const progress = await temporal.workflow.getHandle(id).query(reportProgressQuery).catch(() => undefined);
      return { ...doc, progress };
    },
  };
}
export type ReportService = ReturnType<typeof createReportService>;
