/** `POST /api/v1/warnings` (after `bearerAuth`): raise a risk warning, or change the open one's level. */
import { Router } from 'express';
import { fromZod } from '../errors';
import { requireRole } from '../access/auth';
import { raiseWarningForm } from './warnings';
import type { Services } from '../composition';

export function warningsApi(s: Services): Router {
  const r = Router();
  r.post('/warnings', requireRole('regulator', 'admin'), async (req, res) => {
    const parsed = raiseWarningForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await s.warnings.raise(req.principal!, parsed.data, req.ip));
  });
  return r;
}
