import { Router } from 'express';
import type { HealthService } from './service';

/** GET /health: 200 when every dependency answers, 503 with the failing one named otherwise. */
export function healthRoutes(health: HealthService): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    const report = await health.check();
    res.status(report.ok ? 200 : 503).json(report);
  });
  return r;
}
