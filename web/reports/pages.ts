/**
 * The administrator's reports page (报表): the runs with their progress, a form to run a weekly
 * (pick a Monday) or monthly (pick a month) report for a past period — an already reported period
 * is a 409 offering a re-run as a new version — and the PDF of a finished run. The runs themselves
 * belong to ./service.ts; this reads the form with its schema and shapes the page.
 */
import type { Principal } from '../../domain/access';
import { fromZod, HttpError } from '../errors';
import { checked, FormBody, text } from '../forms';
import { reportRunForm, type ReportService } from './service';

/** The run form: `kind`, and `periodStart` (a Monday, weekly) or `month` (YYYY-MM, monthly); `rerun` a checkbox. */
export function readReportRunForm(b: FormBody) {
  const kind = text(b.kind);
  const month = text(b.month);
  const periodStart = text(b.periodStart) ?? (kind === 'monthly' && month ? `${month}-01` : undefined);
  return { kind, periodStart, rerun: checked(b.rerun) };
}

export function createAdminReportService(deps: { reports: ReportService }) {
  const { reports } = deps;
  const admin = (p: Principal) => {
    if (p.role !== 'admin') throw new HttpError(403, 'administration is for administrators');
  };
  return {
    /** The runs, newest first, with the progress of those still running; `typed` and `err` after a refused run. */
    async page(p: Principal, opts: { typed?: FormBody; err?: HttpError; started?: string } = {}) {
      admin(p);
      const list = await reports.list();
      const runs = await Promise.all(
        list.map(async (r) =>
          r.status === 'running'
            ? { ...r, progress: (await reports.get(p, r._id).catch(() => undefined))?.progress }
            : r,
        ),
      );
      const typed = opts.typed ? readReportRunForm(opts.typed) : undefined;
      return {
        runs,
        running: runs.some((r) => r.status === 'running'),
        started: opts.started,
        typed: typed ? { ...typed, month: typed.periodStart?.slice(0, 7) } : undefined,
        error: opts.err?.message,
        field: opts.err?.field,
        /** Already reported: the same period can be run again as a new version. */
        conflict: opts.err?.status === 409 ? typed : undefined,
      };
    },
    /** Starts a run from the form; its report id. */
    async run(p: Principal, body: FormBody, ip?: string): Promise<string> {
      admin(p);
      const parsed = reportRunForm.safeParse(readReportRunForm(body));
      if (!parsed.success) throw fromZod(parsed.error);
      return (await reports.run(p, parsed.data, ip)).reportId;
    },
    /** The PDF of a finished run: its path and download name; 404 while there is none. */
    async pdf(p: Principal, id: string): Promise<{ path: string; name: string }> {
      admin(p);
      return reports.pdf(p, id);
    },
  };
}
export type AdminReportService = ReturnType<typeof createAdminReportService>;
