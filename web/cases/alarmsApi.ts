/** Alarm disposal and suspension requests (after `bearerAuth`). */
import { Router } from 'express';
import { fromZod } from '../errors';
import { requireRole } from '../access/auth';
import { alarmDisposalForm, alarmPolicyForm, offlinePolicyForm, suspensionDecisionForm, suspensionRequestForm } from './alarms';
import type { Services } from '../composition';

export function alarmsApi(s: Services): Router {
  const r = Router();
  r.post('/alarms/:deviceCode/:indicator/disposal', requireRole('enterprise'), async (req, res) => {
    const parsed = alarmDisposalForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.alarms.fileDisposal(req.principal!, String(req.params.deviceCode), String(req.params.indicator), parsed.data, req.ip));
  });
  r.get('/alarm-policy', async (_req, res) => {
    res.json(await s.alarms.currentPolicy());
  });
  r.put('/alarm-policy', requireRole('admin'), async (req, res) => {
    const parsed = alarmPolicyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.alarms.setPolicy(req.principal!, parsed.data, req.ip));
  });
  r.get('/offline-policy', async (_req, res) => {
    res.json(await s.alarms.currentOfflinePolicy());
  });
  r.put('/offline-policy', requireRole('admin'), async (req, res) => {
    const parsed = offlinePolicyForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.alarms.setOfflinePolicy(req.principal!, parsed.data, req.ip));
  });
  r.post('/suspensions', requireRole('enterprise'), async (req, res) => {
    const parsed = suspensionRequestForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(201).json(await s.alarms.fileSuspension(req.principal!, parsed.data, req.ip));
  });
  r.get(/^\/suspensions\/(suspension\/[^/]+\/[^/]+)$/, async (req, res) => {
    res.json(await s.alarms.getSuspension(req.principal!, String(req.params[0])));
  });
  r.post(/^\/suspensions\/(suspension\/[^/]+\/[^/]+)\/decision$/, requireRole('regulator', 'admin'), async (req, res) => {
    const parsed = suspensionDecisionForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.alarms.decideSuspension(req.principal!, String(req.params[0]), parsed.data, req.ip));
  });
  return r;
}
