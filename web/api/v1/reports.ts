/** Reports (issue 7): `GET|PUT /api/v1/policies/report-rules` (after `bearerAuth`; PUT for administrators). */
import { Router } from 'express';
import { fromZod } from '../../errors';
import { requireRole } from '../../services/auth';
import { reportRulesForm } from '../../services/reportRules';
import type { Services } from '../../services';

export function reportsApi(s: Services): Router {
  const r = Router();
  r.get('/policies/report-rules', async (_req, res) => {
    res.json(await s.reportRules.current());
  });
  r.put('/policies/report-rules', requireRole('admin'), async (req, res) => {
    const parsed = reportRulesForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.reportRules.set(req.principal!, parsed.data, req.ip));
  });
  return r;
}
