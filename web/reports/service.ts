/**
 * Reports on demand: an administrator runs a weekly or monthly report for a past period;
 * the same period twice without `rerun` is refused (409 naming it), a rerun is a new version. The
 * list and one report (status, progress while it runs, archived figures).
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { canSeeEnterprise, type Principal } from '../../domain/access';
import type { Industry } from '../../domain/masterData';
import { PeriodError, periodStartingOn } from '../../domain/reports/periods';
import type { Models } from '../../models';
import type { ReportDoc } from '../../models/Report';
import { reportProgressQuery, reportRun, type ReportProgress } from '../../workflows/report';
import type { AuditService } from '../access/audit';
import { HttpError } from '../errors';

/** One schema for the admin page and the API. */
export const reportRunForm = z.object({
  kind: z.enum(['weekly', 'monthly'], { error: 'must be weekly or monthly' }),
  periodStart: z.string({ error: 'must be a date YYYY-MM-DD' }),
  rerun: z.preprocess((v) => v === true || v === 'true' || v === 'on', z.boolean()).optional(),
});
export type ReportRunForm = z.infer<typeof reportRunForm>;

export function createReportService(deps: {
  temporal: Client;
  models: Pick<Models, 'Report' | 'ReportRules' | 'Region'>;
  taskQueue: string;
  audit: AuditService;
  now?: () => number;
}) {
  const { temporal, models, audit } = deps;
  const now = deps.now ?? Date.now;
  const service = {
    async run(p: Principal, form: ReportRunForm, ip?: string): Promise<{ reportId: string }> {
      if (p.role !== 'admin') throw new HttpError(403, 'only an administrator may run a report');
      let period;
      try {
        period = periodStartingOn(form.kind, form.periodStart);
      } catch (err) {
        if (err instanceof PeriodError) throw new HttpError(400, err.message, 'periodStart');
        throw err;
      }
      if (period.toMs > now())
        throw new HttpError(
          400,
          `periodStart: the ${form.kind} period from ${period.start} has not ended yet`,
          'periodStart',
        );
      const latest = await models.Report.findOne({ kind: period.kind, periodStart: period.start }, { version: 1 })
        .sort({ version: -1 })
        .lean();
      if (latest && !form.rerun)
        throw new HttpError(
          409,
          `the ${period.kind} report for the period from ${period.start} exists already (${latest._id}); ask for a rerun to make a new version`,
          'periodStart',
        );
      const version = (latest?.version ?? 0) + 1;
      const reportId = `report/${period.kind}/${period.start}/v${version}`;
      const rules = await models.ReportRules.findOne({}, { version: 1 }).sort({ _id: -1 }).lean();
      try {
        await models.Report.create({
          _id: reportId,
          kind: period.kind,
          periodStart: period.start,
          periodEnd: period.end,
          version,
          status: 'running',
          rulesVersion: rules?.version ?? 1,
          followUps: [],
          requestedBy: p.username,
          createdAt: new Date(),
        });
      } catch (err) {
        if ((err as { code?: number }).code === 11000)
          throw new HttpError(409, `${reportId} was started meanwhile`, 'periodStart');
        throw err;
      }
      await temporal.workflow.start(reportRun, {
        workflowId: reportId,
        taskQueue: deps.taskQueue,
        args: [{ kind: period.kind, periodStart: period.start }],
      });
      await audit.record(
        p.username,
        'report.started',
        reportId,
        { kind: period.kind, periodStart: period.start, version },
        ip,
      );
      return { reportId };
    },

    /** The runs, newest first: no figures, and no server path (`pdf` says whether there is one). */
    async list(): Promise<(Omit<ReportDoc, 'figures' | 'pdfPath'> & { pdf: boolean })[]> {
      const docs = await models.Report.find({}, { figures: 0, scores: 0, followUps: 0 })
        .sort({ createdAt: -1 })
        .limit(200)
        .lean();
      return docs.map(({ pdfPath, ...rest }) => ({ ...rest, followUps: [], pdf: !!pdfPath }));
    },

    /**
     * One report as the principal may read it: an administrator the whole; a regulator its
     * jurisdiction's lines, regions, scores and follow-ups (the city totals stay, they name no one);
     * an enterprise its own line only. Never a server path; while it runs, the workflow's progress.
     */
    async get(p: Principal, id: string): Promise<ReportView> {
      const doc = await load(id);
      const { pdfPath, ...rest } = doc;
      const view: ReportView = { ...rest, ...(pdfPath ? { pdf: `/api/v1/reports/${doc._id}/pdf` } : {}) };
      if (p.role !== 'admin') Object.assign(view, await cutToJurisdiction(p, doc));
      if (doc.status !== 'running') return view;
      const progress = await temporal.workflow
        .getHandle(id)
        .query(reportProgressQuery)
        .catch(() => undefined);
      return { ...view, progress };
    },

    /** The PDF (the whole report): for those who may read every line of it. */
    async pdf(p: Principal, id: string): Promise<{ path: string; name: string }> {
      const doc = await load(id);
      if (p.role !== 'admin') {
        const lines = (doc.figures as { enterprises?: ReportLine[] } | undefined)?.enterprises ?? [];
        if (p.role === 'enterprise' || !lines.every((l) => canSeeLine(p, l)))
          throw new HttpError(
            403,
            'the PDF holds the whole report, beyond your jurisdiction: read your part through GET /api/v1/reports/{id}',
          );
      }
      if (!doc.pdfPath) throw new HttpError(404, `report ${doc._id} has no PDF yet (status ${doc.status})`, 'id');
      return { path: doc.pdfPath, name: `${doc._id.replace(/\//g, '_')}.pdf` };
    },
  };
  return service;

  async function load(id: string): Promise<ReportDoc> {
    const doc = await models.Report.findById(id).lean();
    if (!doc) throw new HttpError(404, `no report ${id}`, 'id');
    return doc;
  }

  /** The parts of a report a regulator or an enterprise user may read. */
  async function cutToJurisdiction(p: Principal, doc: ReportDoc): Promise<Partial<ReportView>> {
    const figures = (doc.figures ?? {}) as Record<string, unknown> & {
      enterprises?: ReportLine[];
      regions?: { regionId: string }[];
    };
    const lines = (figures.enterprises ?? []).filter((l) => canSeeLine(p, l));
    const visible = new Set(lines.map((l) => l.enterpriseId));
    const cut: Partial<ReportView> = {
      scores: doc.scores?.filter((x) => visible.has(x.e)),
      followUps: (doc.followUps ?? []).filter((f) => visible.has(f.enterpriseId)),
    };
    if (p.role === 'enterprise') {
      cut.figures = { period: figures.period, enterprises: lines };
      return cut;
    }
    // A regulator: its region and those below it (regions carry only their id; their paths are master data).
    const regionIds = (figures.regions ?? []).map((r) => r.regionId);
    const regions = regionIds.length ? await models.Region.find({ _id: { $in: regionIds } }, { path: 1 }).lean() : [];
    const inScope = new Set(
      regions.filter((r) => !!p.scope && (r.path ?? []).includes(p.scope.regionId)).map((r) => r._id),
    );
    const { bulletin: _bulletin, ...rest } = figures;
    cut.figures = {
      ...rest,
      enterprises: lines,
      regions: (figures.regions ?? []).filter((r) => inScope.has(r.regionId)),
    };
    return cut;
  }
}

/** One enterprise line of a report's figures, with what jurisdiction is decided on. */
interface ReportLine {
  enterpriseId: string;
  regionPath?: string[];
  industry?: Industry;
}
function canSeeLine(p: Principal, l: ReportLine): boolean {
  return canSeeEnterprise(p, {
    _id: l.enterpriseId,
    regionPath: l.regionPath ?? [],
    industry: (l.industry ?? '') as Industry,
  });
}
export type ReportView = Omit<ReportDoc, 'pdfPath'> & { pdf?: string; progress?: ReportProgress };
export type ReportService = ReturnType<typeof createReportService>;
