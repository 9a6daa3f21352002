/** The escalation and enforcement policies: `GET|PUT /api/v1/policies/escalation|enforcement` (after `bearerAuth`; PUT for administrators). */
import { Router } from 'express';
import { fromZod } from '../errors';
import { requireRole } from '../access/auth';
import { enforcementPolicyForm, escalationPolicyForm } from './policies';
import type { Services } from '../composition';

export function policiesApi(s: Services): Router {
  const r = Router();
  r.get('/policies/escalation', async (_req, res) => {
    res.json(await s.policies.currentEscalation());
  });
  r.put('/policies/escalation', requireRole('admin'), async (req, res) => {
    const parsed = escalationPolicyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.policies.setEscalation(req.principal!, parsed.data, req.ip));
  });
  r.get('/policies/enforcement', async (_req, res) => {
    res.json(await s.policies.currentEnforcement());
  });
  r.put('/policies/enforcement', requireRole('admin'), async (req, res) => {
    const parsed = enforcementPolicyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.policies.setEnforcement(req.principal!, parsed.data, req.ip));
  });
  return r;
}
