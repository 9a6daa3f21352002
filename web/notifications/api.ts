/** In-app notifications (after `bearerAuth`): `GET /api/v1/notifications?unread=&limit=`, `POST /api/v1/notifications/{id}/read`. Ids contain slashes. */
import { Router } from 'express';
import { fromZod } from '../errors';
import { notificationQuery } from './service';
import type { Services } from '../composition';

export function notificationsApi(s: Services): Router {
  const r = Router();
  r.get('/notifications', async (req, res) => {
    const parsed = notificationQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw fromZod(parsed.error);
    res.json(await s.notifications.list(req.principal!, parsed.data));
  });
  r.post(/^\/notifications\/(.+)\/read$/, async (req, res) => {
    res.json(await s.notifications.markRead(req.principal!, decodeURIComponent(String(req.params[0])), req.ip));
  });
  return r;
}
