/** Cases (after `bearerAuth`): list, one case with deadlines and timeline, level change, feedback, policy migration. Case ids contain slashes. */
import { Router } from 'express';
import { fromZod } from '../errors';
import { caseQuery, levelChangeForm, policyMigrationForm, warningFeedbackWithAttachmentsForm } from './cases';
import type { Services } from '../composition';

export function casesApi(s: Services): Router {
  const r = Router();
  r.get('/cases', async (req, res) => {
    const parsed = caseQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.cases.list(req.principal!, parsed.data));
  });
  r.post(/^\/cases\/(.+)\/level$/, async (req, res) => {
    const parsed = levelChangeForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.cases.changeLevel(req.principal!, decodeURIComponent(String(req.params[0])), parsed.data, req.ip));
  });
  r.post(/^\/cases\/(.+)\/feedback$/, async (req, res) => {
    const parsed = warningFeedbackWithAttachmentsForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.cases.feedback(req.principal!, decodeURIComponent(String(req.params[0])), parsed.data, req.ip));
  });
  r.post(/^\/cases\/(.+)\/policy-version$/, async (req, res) => {
    const parsed = policyMigrationForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.cases.migratePolicy(req.principal!, decodeURIComponent(String(req.params[0])), parsed.data, req.ip));
  });
  r.get(/^\/cases\/(.+)$/, async (req, res) => {
    res.json(await s.cases.get(req.principal!, decodeURIComponent(String(req.params[0]))));
  });
  return r;
}
