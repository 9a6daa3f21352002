import { Router } from 'express';
import { fromZod } from '../errors';
import { demoCaseForm, DemoCaseService } from '../services/demoCases';

/** Demo case pages: list + form, start, one case. */
export function demoRoutes(demo: DemoCaseService): Router {
  const r = Router();
  r.get('/demo', async (_req, res) => {
    res.render('pages/demo/index', { cases: await demo.list() });
  });
  r.post('/demo', async (req, res) => {
    const parsed = demoCaseForm.safeParse(req.body);
    if (!parsed.success) {
      const err = fromZod(parsed.error);
      res.status(400).render('pages/demo/index', { cases: await demo.list(), error: err.message, field: err.field, form: req.body });
      return;
    }
    const { caseId } = await demo.open(parsed.data);
    res.redirect(303, `/demo/${encodeURIComponent(caseId)}`);
  });
  r.get('/demo/:caseId', async (req, res) => {
    res.render('pages/demo/case', { record: await demo.get(req.params.caseId) });
  });
  return r;
}
