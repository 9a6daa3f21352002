/** In-app notifications (站内通知) page, mark read, and the nav's unread count for signed-in page requests. */
import { NextFunction, Request, Response, Router } from 'express';
import { HttpError } from '../errors';
import { requireLogin } from '../middleware/session';
import type { NotificationService } from './service';

/** Sets res.locals.unreadNotifications for pages (after the session middleware); the API is left alone. */
export function unreadNotificationsBadge(notifications: NotificationService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (
      !req.principal ||
      req.path.startsWith('/api/') ||
      req.path.startsWith('/static/') ||
      !['GET', 'HEAD'].includes(req.method)
    )
      return next();
    try {
      res.locals.unreadNotifications = await notifications.unreadCount(req.principal);
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function notificationRoutes(notifications: NotificationService): Router {
  const r = Router();
  r.get('/notifications', requireLogin, async (req, res) => {
    const rows = await notifications.list(req.principal!, {
      limit: 100,
      unread: req.query.unread === 'true' ? 'true' : undefined,
    });
    res.render('pages/work/notifications', { rows, unreadOnly: req.query.unread === 'true' });
  });
  // Notification ids contain slashes (case id + step): posted as a field, not in the path.
  r.post('/notifications/read', requireLogin, async (req, res) => {
    const id = (req.body as Record<string, unknown> | undefined)?.id;
    if (typeof id !== 'string' || !id) throw new HttpError(400, 'id: must name a notification', 'id');
    await notifications.markRead(req.principal!, id, req.ip);
    res.redirect(303, '/notifications');
  });
  return r;
}
