/**
 * The key enforcement targets page (年度执法检查重点对象, 002 第三十、三十一条): the year's list within the
 * regulator's jurisdiction (an administrator's: all), and the button that schedules the on-site enforcement
 * inspection, through the same service as the API (web/reports/keyTargets.ts).
 */
import { Router } from 'express';
import { toHttpError } from '../errors';
import { requirePageRole } from '../middleware/session';
import { beijingYear } from '../../domain/time';
import { inspectionForm, keyTargetQuery, type KeyTargetService } from './keyTargets';

export function keyTargetRoutes(d: { keyTargets: KeyTargetService }): Router {
  const r = Router();
  const who = requirePageRole('regulator', 'admin');
  const yearOf = (v: unknown) => keyTargetQuery.parse({ year: v ?? beijingYear(new Date().toISOString()) }).year;
  const page = async (p: Parameters<KeyTargetService['list']>[0], year: number) => ({
    year,
    targets: (await d.keyTargets.list(p, year)).map((t) => ({ ...t, key: `${t.year}/${t.enterpriseId}` })),
  });
  r.get('/key-targets', who, async (req, res) => {
    res.render('pages/work/keyTargets', await page(req.principal!, yearOf(req.query.year)));
  });
  r.post('/key-targets/:year/:enterpriseId/inspection', who, async (req, res, next) => {
    const year = yearOf(req.params.year);
    try {
      const form = inspectionForm.parse({ note: (req.body as Record<string, unknown>).note || undefined });
      await d.keyTargets.scheduleInspection(req.principal!, year, req.params.enterpriseId as string, form, req.ip);
      res.redirect(303, `/key-targets?year=${year}`);
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500 || e.status === 403) return next(err);
      res.status(e.status).render('pages/work/keyTargets', { ...(await page(req.principal!, year)), error: e.message });
    }
  });
  return r;
}
