import { Router } from 'express';
import { CASE_TYPES, LEVELS } from '../../domain/cases';
import { DUST_TYPES, INDUSTRIES } from '../../domain/masterData';
import { requireLogin, requirePageRole } from '../middleware/session';
import type { DashboardService } from './dashboard';
import type { SpotCheckService } from './spotCheck';
import { exportLinks } from '../exports/writers';

const vocab = { caseTypes: CASE_TYPES, levels: LEVELS, industries: INDUSTRIES, dustTypes: DUST_TYPES };

/** Regulators' spot check, the one-screen view of an enterprise, the dashboard. */
export function monitoringRoutes(d: { spotCheck: SpotCheckService; dashboard: DashboardService }): Router {
  const r = Router();
  r.get('/spot-check', requirePageRole('regulator', 'admin'), async (req, res) => {
    const searched = Object.keys(req.query).length > 0;
    const result = searched ? await d.spotCheck.search(req.principal!, req.query, req.ip) : undefined;
    res.render('pages/work/spotCheck', {
      result,
      query: req.query,
      ...vocab,
      exportLinks: exportLinks('/exports/spot-check', req.query),
    });
  });
  r.get('/enterprises/:enterpriseId', requireLogin, async (req, res) => {
    res.render(
      'pages/work/enterprise',
      await d.spotCheck.oneScreen(req.principal!, req.params.enterpriseId as string, req.ip),
    );
  });

  r.get('/dashboard', requireLogin, async (req, res) => {
    res.render('pages/work/dashboard', await d.dashboard.overview(req.principal!));
  });
  return r;
}
