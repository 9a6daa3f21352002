/** In-app notifications (after `bearerAuth`): the caller's, newest first, and marking one read. Ids contain slashes. */
import { z } from 'zod';
import { timestamp } from '../schemas';
import { operations } from '../api/v1/operations';
import type { Services } from '../composition';
import { notificationQuery } from './service';

export const notificationView = z.object({
  id: z.string(),
  caseId: z.string().optional(),
  kind: z.string(),
  title: z.string(),
  read: z.boolean(),
  createdAt: timestamp,
  readAt: timestamp.optional(),
  readBy: z.string().optional(),
});

export function notificationsApi(s: Services) {
  const api = operations('notifications');
  api.get(
    '/notifications',
    {
      summary: 'In-app notifications (站内通知) for you: yours, and your agency’s or enterprise’s; newest first',
      query: notificationQuery,
      responses: { 200: { description: 'the notifications', schema: z.array(notificationView) } },
    },
    (req, _res, input) => s.notifications.list(req.principal!, input.query()),
  );
  api.post(
    '/notifications/{id}/read',
    {
      summary:
        'Mark one of your notifications read; for an agency’s or enterprise’s notification, read for all its users',
      route: /^\/notifications\/(.+)\/read$/,
      params: { id: 'the notification id (contains slashes)' },
      body: z.object({}).meta({ description: 'no fields' }),
      responses: { 200: { description: 'the notification, read', schema: notificationView } },
    },
    (req) => s.notifications.markRead(req.principal!, decodeURIComponent(String(req.params[0])), req.ip),
  );
  return api.router;
}
