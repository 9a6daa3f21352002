/**
 * Reports (issue 7), after `bearerAuth`: `GET|PUT /api/v1/policies/report-rules` (PUT for administrators);
 * `POST /api/v1/reports` (administrators) → 202 {reportId}; `GET /api/v1/reports`, `GET /api/v1/reports/{id}`.
 */
import { Router } from 'express';
import { fromZod } from '../errors';
import { requireRole } from '../access/auth';
import { reportRulesForm } from './rules';
import { reportRunForm } from './service';
import type { Services } from '../composition';

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
  r.post('/reports', requireRole('admin'), async (req, res) => {
    const parsed = reportRunForm.safeParse(req.body ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.status(202).json(await s.reports.run(req.principal!, parsed.data, req.ip));
  });
  r.get('/reports', requireRole('admin', 'regulator'), async (_req, res) => {
    res.json(await s.reports.list());
  });
  // Report ids contain slashes: report/<kind>/<periodStart>/v<n>.
  // Each reader its part: an enterprise its own line, a regulator its jurisdiction's (services/reports.ts).
  r.get(/^\/reports\/(report\/(?:weekly|monthly)\/\d{4}-\d{2}-\d{2}\/v\d+)$/, async (req, res) => {
    res.json(await s.reports.get(req.principal!, (req.params as Record<string, string>)[0]));
  });
  r.get(/^\/reports\/(report\/(?:weekly|monthly)\/\d{4}-\d{2}-\d{2}\/v\d+)\/pdf$/, async (req, res) => {
    const pdf = await s.reports.pdf(req.principal!, (req.params as Record<string, string>)[0]);
    res.type('application/pdf').download(pdf.path, pdf.name, { dotfiles: 'allow' }); // under .data/
  });
  return r;
}
