import { NextFunction, Request, Response, Router } from 'express';
import { fromZod, HttpError } from '../errors';
import { requireLogin } from '../middleware/session';
import { demoCaseForm, DemoCaseService } from './service';

/**
 * The demo is off unless the development flag WARNFLOW_DEMO=1 is set: a demo case mails any address
 * with any text from the official sender. Off, its paths answer 404 to everyone (they do not exist).
 */
export function demoGate(enabled: boolean) {
  return (req: Request, _res: Response, next: NextFunction) =>
    enabled ? next() : next(new HttpError(404, `nothing at ${req.method} ${req.originalUrl.split('?')[0]}`));
}

/** Demo case pages (development only, signed-in users): list + form, start, one case. */
export function demoRoutes(demo: DemoCaseService, opts: { enabled: boolean }): Router {
  const r = Router();
  const gate = demoGate(opts.enabled);
  r.get('/demo', gate, requireLogin, async (_req, res) => {
    res.render('pages/demo/index', { cases: await demo.list() });
  });
  r.post('/demo', gate, requireLogin, async (req, res) => {
    const parsed = demoCaseForm.safeParse(req.body);
    if (!parsed.success) {
      const err = fromZod(parsed.error);
      res.status(400).render('pages/demo/index', {
        cases: await demo.list(),
        error: err.message,
        field: err.field,
        form: req.body as unknown,
      });
      return;
    }
    const { caseId } = await demo.open(parsed.data, req.principal!, req.ip);
    res.redirect(303, `/demo/${encodeURIComponent(caseId)}`);
  });
  r.get('/demo/:caseId', gate, requireLogin, async (req, res) => {
    res.render('pages/demo/case', { record: await demo.get(req.params.caseId as string) });
  });
  return r;
}
