import { Router } from 'express';
import { fromZod } from '../../errors';
import { demoCaseForm } from '../../services/demoCases';
import type { Services } from '../../services';

export function demoCasesApi(s: Services): Router {
  const r = Router();
  r.post('/demo-cases', async (req, res) => {
    const parsed = demoCaseForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await s.demo.open(parsed.data));
  });
  r.get('/demo-cases/:caseId', async (req, res) => {
    res.json(await s.demo.get(req.params.caseId));
  });
  return r;
}
