/** JSON API, versioned. Same schemas as the pages; refusals are {error, field?}. */
import { Router } from 'express';
import { fromZod } from '../../errors';
import { demoCaseForm, DemoCaseService } from '../../services/demoCases';

export function apiV1(deps: { demo: DemoCaseService }): Router {
  const r = Router();
  r.post('/demo-cases', async (req, res) => {
    const parsed = demoCaseForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await deps.demo.open(parsed.data));
  });
  r.get('/demo-cases/:caseId', async (req, res) => {
    res.json(await deps.demo.get(req.params.caseId));
  });
  return r;
}
