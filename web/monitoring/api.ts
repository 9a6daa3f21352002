/**
 * The monitoring-data interface: enterprises push readings and video status with their
 * data-interface key (not a user token). Mounted before `bearerAuth`. 200 when every item was
 * accepted (or was a duplicate), 207 when some were refused; the body answers item by item.
 */
import { Router } from 'express';
import type { Services } from '../composition';

export function readingsApi(s: Services): Router {
  const r = Router();
  r.post('/readings', async (req, res) => {
    const out = await s.readings.ingestReadings(req.headers.authorization, req.body);
    res.status(out.refused ? 207 : 200).json(out);
  });
  r.post('/video-status', async (req, res) => {
    const out = await s.readings.ingestVideoStatus(req.headers.authorization, req.body);
    res.status(out.refused ? 207 : 200).json(out);
  });
  return r;
}
