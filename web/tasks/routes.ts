import { Router } from 'express';
import { HttpError, toHttpError } from '../errors';
import { checkCsrf, requireLogin, requirePageRole } from '../middleware/session';
import type { DashboardService } from '../monitoring/dashboard';
import type { PortalService, TaskCompleter } from './inbox';
import { formFieldsOf, formValuesOf } from '../portal/cleaning';
import type { SpotCheckService } from '../monitoring/spotCheck';
import { alarmDisposalForm, AlarmService } from '../cases/alarms';
import { CASE_TYPES, LEVELS } from '../../domain/cases';
import type { Principal } from '../../domain/access';
import { DUST_TYPES, INDUSTRIES } from '../../domain/masterData';
import { levelChangeForm, MAX_PAGE_FEEDBACK_FILES, type CaseService } from '../cases/cases';
import { parseMultipart, type ParsedMultipart } from '../portal/uploads';
import type { DocumentService } from '../cases/documents';
import { openInterviewForm, openPenaltyForm, type EnforcementService } from '../cases/enforcement';

export interface WorkDeps {
  portal: PortalService;
  spotCheck: SpotCheckService;
  dashboard: DashboardService;
  alarms: AlarmService;
  /** The escalation developer's tasks service, once registered. */
  tasks?: TaskCompleter;
  /** Level changes of a risk warning (upgrade, downgrade, clear 消警) by the tracking side; a feedback's files. */
  cases?: Pick<CaseService, 'changeLevel' | 'storeFeedbackFiles'>;
  /** Official documents on the case page, and their PDFs. */
  documents?: DocumentService;
  /** Opening an interview or a penalty from a case page. */
  enforcement?: EnforcementService;
}

const vocab = { caseTypes: CASE_TYPES, levels: LEVELS, industries: INDUSTRIES, dustTypes: DUST_TYPES };

/** Regulators' inbox, tasks, case pages, spot check, dashboard. */
export function workRoutes(d: WorkDeps): Router {
  const r = Router();
  r.get('/inbox', requireLogin, async (req, res) => {
    if (req.principal!.role === 'enterprise') return res.redirect(303, '/portal');
    const result = await d.portal.inbox(req.principal!, req.query);
    const next = new URLSearchParams(Object.entries(req.query).filter(([, v]) => typeof v === 'string') as [string, string][]);
    next.set('page', String(result.page + 1));
    res.render('pages/work/inbox', { ...result, ...vocab, query: req.query, nextUrl: `/inbox?${next}` });
  });

  r.get('/tasks/:taskId', requireLogin, async (req, res) => {
    const task = await d.portal.loadTask(req.principal!, req.params.taskId as string);
    const colleagues = req.principal!.role !== 'enterprise' ? await d.portal.colleagues(req.principal!) : [];
    res.render('pages/work/task', { task, fields: formFieldsOf(task.form), colleagues, ...attachable(task.form) });
  });

  /** A warning feedback's page form is multipart: up to MAX_PAGE_FEEDBACK_FILES photos or PDFs beside the fields. */
  const attachable = (form: string) => (form === 'warningFeedback' && d.cases ? { attachments: true, maxFiles: MAX_PAGE_FEEDBACK_FILES } : {});

  r.post('/tasks/:taskId/complete', requireLogin, async (req, res, next) => {
    const p = req.principal!;
    const taskId = req.params.taskId as string;
    const task = await d.portal.loadTask(p, taskId);
    let typed = (req.body ?? {}) as Record<string, unknown>;
    let form = formValuesOf(task.form, typed);
    try {
      let files: ParsedMultipart['files'] = [];
      if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
        // One more than allowed is read, so that too many files is refused naming attachments with the form kept.
        const parsed = await parseMultipart(req, { maxFiles: MAX_PAGE_FEEDBACK_FILES + 1 }).catch((err) => {
          typed = (err as { fields?: Record<string, string> }).fields ?? typed;
          throw err;
        });
        typed = parsed.fields;
        checkCsrf(req, typed._csrf);
        form = formValuesOf(task.form, typed);
        files = parsed.files;
      }
      if (task.status !== 'open') throw new HttpError(409, `task ${taskId} is ${task.status}`, 'taskId');
      if (files.length) {
        if (!attachable(task.form).attachments || !d.tasks) throw new HttpError(400, `attachments: a ${task.form} task takes no files`, 'attachments');
        // Stored only once the fields and every file are acceptable; the completion checks them again as the API does.
        form.attachments = await d.cases!.storeFeedbackFiles(p, task.caseId, form, files);
      }
      if (d.tasks) await d.tasks.completeTask(p, taskId, form, req.ip);
      else if (task.form === 'alarmDisposal') {
        const m = /^alarm\/([^/]+)\/([^/]+)/.exec(task.caseId); // alarm/<device>/<indicator>[/<episode>]
        if (!m) throw new HttpError(409, `task ${taskId} has no alarm case`, 'taskId');
        await d.alarms.fileDisposal(p, m[1], m[2], alarmDisposalForm.parse(form), req.ip);
      } else if (task.form === 'suspensionReview') {
        await d.alarms.decideSuspension(p, task.caseId, { approved: form.approved === true, note: typeof form.note === 'string' && form.note.trim() ? form.note.trim() : undefined }, req.ip);
      } else throw new HttpError(501, `completing a ${task.form} task needs the tasks service (escalation), not registered yet`, 'form');
      if (await d.portal.hasCase(task.caseId)) res.redirect(303, `/cases/${encodeURIComponent(task.caseId)}?done=${encodeURIComponent(taskId)}`);
      else res.redirect(303, p.role === 'enterprise' ? '/portal' : '/inbox');
    } catch (err) {
      const e = toHttpError(err);
      if ((e.status >= 500 && e.status !== 501) || e.field === '_csrf') return next(err);
      res.status(e.status).render('pages/work/task', { task, fields: formFieldsOf(task.form), typed, error: e.message, field: e.field, colleagues: [], ...attachable(task.form) });
    }
  });

  r.post('/tasks/:taskId/claim', requirePageRole('regulator', 'admin'), async (req, res) => {
    await d.portal.claim(req.principal!, req.params.taskId as string, req.ip);
    res.redirect(303, `/tasks/${encodeURIComponent(req.params.taskId as string)}`);
  });
  r.post('/tasks/:taskId/assign', requirePageRole('regulator', 'admin'), async (req, res) => {
    await d.portal.assign(req.principal!, req.params.taskId as string, req.body, req.ip);
    res.redirect(303, `/tasks/${encodeURIComponent(req.params.taskId as string)}`);
  });

  // Case ids contain slashes (alarm/<device>/<indicator>): the rest of the path is the id.
  r.get(/^\/cases\/(.+)$/, requireLogin, async (req, res) => {
    const caseId = decodeURIComponent((req.params as unknown as string[])[0]);
    const page = await d.portal.casePage(req.principal!, caseId);
    res.render('pages/work/case', { ...page, ...(await caseExtras(req.principal!, page.record)), done: req.query.done });
  });
  /** What the case page shows beside the record: level form, documents, follow-ups the user may open. */
  async function caseExtras(p: Principal, record: { _id: string; type: string; status: string; enterpriseId?: string }) {
    const regulator = p.role !== 'enterprise';
    return {
      canChangeLevel: !!d.cases && regulator && record.type === 'risk_warning' && record.status === 'open',
      levelChoices: [...LEVELS, 'clear'],
      documents: d.documents ? await d.documents.forCase(p, record._id) : [],
      canOpenFollowUp: !!d.enforcement && p.role === 'regulator' && !!record.enterpriseId,
    };
  }
  r.get('/documents/:documentId', requireLogin, async (req, res) => {
    if (!d.documents) throw new HttpError(501, 'documents need the documents service', 'documentId');
    const f = await d.documents.file(req.principal!, req.params.documentId as string, req.ip);
    res.type('application/pdf').set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`).sendFile(f.path, { dotfiles: 'allow' }); // under .data
  });
  // 发起约谈 / 立案处罚 from a case page: the regulator's own agency acts.
  r.post(/^\/cases\/(.+)\/(interview|penalty)$/, requirePageRole('regulator'), async (req, res, next) => {
    const params = req.params as unknown as string[];
    const caseId = decodeURIComponent(params[0]);
    const kind = params[1] as 'interview' | 'penalty';
    if (!d.enforcement) throw new HttpError(501, 'follow-ups need the enforcement service', 'caseId');
    const page = await d.portal.casePage(req.principal!, caseId);
    const body = req.body as Record<string, unknown>;
    try {
      const common = { enterpriseId: page.record.enterpriseId ?? '', parentCaseId: caseId };
      const opened =
        kind === 'interview'
          ? await d.enforcement.openInterview(req.principal!, openInterviewForm.parse({ ...common, reason: body.reason, includeRegion: body.includeRegion === 'on' }), req.ip)
          : await d.enforcement.openPenalty(req.principal!, openPenaltyForm.parse({ ...common, violation: body.violation }), req.ip);
      res.redirect(303, `/cases/${encodeURIComponent(opened.caseId)}`);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500) return next(err);
      res.status(e.status).render('pages/work/case', { ...page, ...(await caseExtras(req.principal!, page.record)), error: e.message, field: e.field, followUpForm: kind });
    }
  });
  r.post(/^\/cases\/(.+)\/level$/, requirePageRole('regulator', 'admin'), async (req, res) => {
    const caseId = decodeURIComponent((req.params as unknown as string[])[0]);
    if (!d.cases) throw new HttpError(501, 'level changes need the cases service', 'level');
    const parsed = levelChangeForm.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const page = await d.portal.casePage(req.principal!, caseId);
      res.status(400).render('pages/work/case', { ...page, ...(await caseExtras(req.principal!, page.record)), canChangeLevel: true, error: `${issue.path.join('.')}: ${issue.message}`, field: issue.path.join('.') });
      return;
    }
    await d.cases.changeLevel(req.principal!, caseId, parsed.data, req.ip);
    res.redirect(303, `/cases/${encodeURIComponent(caseId)}`);
  });

  r.get('/spot-check', requirePageRole('regulator', 'admin'), async (req, res) => {
    const searched = Object.keys(req.query).length > 0;
    const result = searched ? await d.spotCheck.search(req.principal!, req.query, req.ip) : undefined;
    res.render('pages/work/spotCheck', { result, query: req.query, ...vocab });
  });
  r.get('/enterprises/:enterpriseId', requireLogin, async (req, res) => {
    res.render('pages/work/enterprise', await d.spotCheck.oneScreen(req.principal!, req.params.enterpriseId as string, req.ip));
  });

  r.get('/dashboard', requireLogin, async (req, res) => {
    res.render('pages/work/dashboard', await d.dashboard.overview(req.principal!));
  });
  return r;
}
