import { Router } from 'express';
import type { HealthService } from './health/service';

export function homeRoutes(deps: { health: HealthService; temporalUiUrl?: string }): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.render('pages/home', { health: await deps.health.check(), temporalUiUrl: deps.temporalUiUrl });
  });
  return r;
}
