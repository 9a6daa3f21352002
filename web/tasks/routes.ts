import { Router } from 'express';
import { HttpError, toHttpError } from '../errors';
import { pageValues } from '../forms';
import { checkCsrf, requireLogin, requirePageRole } from '../middleware/session';
import { CASE_TYPES, LEVELS } from '../../domain/cases';
import { DUST_TYPES, INDUSTRIES } from '../../domain/masterData';
import { MAX_PAGE_FEEDBACK_FILES, type CaseService } from '../cases/cases';
import { parseMultipart, type ParsedMultipart } from '../portal/uploads';
import type { PortalService } from './inbox';
import type { TaskService } from './service';
import { taskFieldsOf, taskForms } from './forms';
import { exportLinks } from '../exports/writers';

export interface TaskPageDeps {
  portal: PortalService;
  tasks: Pick<TaskService, 'completeTask'>;
  /** A feedback's files. */
  cases: Pick<CaseService, 'storeFeedbackFiles'>;
}

const vocab = { caseTypes: CASE_TYPES, levels: LEVELS, industries: INDUSTRIES, dustTypes: DUST_TYPES };

/** The inbox and task pages: see, complete (the task's registered form), claim, assign. */
export function taskRoutes(d: TaskPageDeps): Router {
  const r = Router();
  r.get('/inbox', requireLogin, async (req, res) => {
    if (req.principal!.role === 'enterprise') return res.redirect(303, '/portal');
    const result = await d.portal.inbox(req.principal!, req.query);
    const next = new URLSearchParams(
      Object.entries(req.query).filter(([, v]) => typeof v === 'string') as [string, string][],
    );
    next.set('page', String(result.page + 1));
    res.render('pages/work/inbox', {
      ...result,
      ...vocab,
      query: req.query,
      nextUrl: `/inbox?${next.toString()}`,
      exportLinks: exportLinks('/exports/inbox', req.query),
    });
  });

  r.get('/tasks/:taskId', requireLogin, async (req, res) => {
    const task = await d.portal.loadTask(req.principal!, req.params.taskId as string);
    const colleagues = req.principal!.role !== 'enterprise' ? await d.portal.colleagues(req.principal!) : [];
    res.render('pages/work/task', { task, ...formOf(task.form), colleagues });
  });

  /** A page form with files (a warning feedback) is multipart: up to MAX_PAGE_FEEDBACK_FILES photos or PDFs beside the fields. */
  const attachable = (form: string) =>
    taskFormTakesFiles(form) ? { attachments: true, maxFiles: MAX_PAGE_FEEDBACK_FILES } : {};
  /** What the task page renders of its form: the fields, the partial that renders them, the file input. */
  const formOf = (form: string) => ({
    fields: taskFieldsOf(form),
    fieldsPartial: taskFormPartial(form),
    ...attachable(form),
  });

  r.post('/tasks/:taskId/complete', requireLogin, async (req, res, next) => {
    const p = req.principal!;
    const taskId = req.params.taskId as string;
    const task = await d.portal.loadTask(p, taskId);
    let typed = (req.body ?? {}) as Record<string, unknown>;
    let form = pageValues(taskFieldsOf(task.form), typed);
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
        form = pageValues(taskFieldsOf(task.form), typed);
        files = parsed.files;
      }
      if (task.status !== 'open') throw new HttpError(409, `task ${taskId} is ${task.status}`, 'taskId');
      if (files.length) {
        if (!attachable(task.form).attachments)
          throw new HttpError(400, `attachments: a ${task.form} task takes no files`, 'attachments');
        // Stored only once the fields and every file are acceptable; the completion checks them again as the API does.
        form.attachments = await d.cases.storeFeedbackFiles(p, task.caseId, form, files);
      }
      await d.tasks.completeTask(p, taskId, form, req.ip);
      if (await d.portal.hasCase(task.caseId))
        res.redirect(303, `/cases/${encodeURIComponent(task.caseId)}?done=${encodeURIComponent(taskId)}`);
      else res.redirect(303, p.role === 'enterprise' ? '/portal' : '/inbox');
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500 || e.field === '_csrf') return next(err);
      res.status(e.status).render('pages/work/task', {
        task,
        ...formOf(task.form),
        typed,
        error: e.message,
        field: e.field,
        colleagues: [],
      });
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
  return r;
}

const registered = (form: string) => taskForms().find((f) => f.form === form);
const taskFormTakesFiles = (form: string) => !!registered(form)?.attachments;
const taskFormPartial = (form: string) => registered(form)?.partial ?? 'taskFields';
