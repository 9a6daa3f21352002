/**
 * In-app notifications (站内通知): what the RiskWarning workflow told a user, their agency or their
 * enterprise (models/Notification.ts, written by the notifyInApp activity). A regulator sees its own
 * and its agency's, an enterprise user its own and its enterprise's, an administrator its own.
 * Marking one read marks it for everyone it stands for, and is audited.
 */
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import type { Models } from '../../models';
import { NotificationDoc, recipientKey } from '../../models/Notification';
import { HttpError } from '../errors';
import type { AuditService } from '../access/audit';

export const notificationQuery = z.object({
  unread: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
});
export type NotificationQuery = z.infer<typeof notificationQuery>;

export interface NotificationView {
  id: string;
  caseId?: string;
  kind: string;
  title: string;
  read: boolean;
  createdAt: string;
  readAt?: string;
  readBy?: string;
}

/** The recipient keys a principal stands for. */
export function recipientsOf(p: Principal): string[] {
  const mine = [recipientKey('user', p.username)];
  if (p.role === 'regulator' && p.agencyId) mine.push(recipientKey('agency', p.agencyId));
  if (p.role === 'enterprise' && p.enterpriseId) mine.push(recipientKey('enterprise', p.enterpriseId));
  return mine;
}

const view = (n: NotificationDoc): NotificationView => ({
  id: n._id,
  caseId: n.caseId,
  kind: n.kind,
  title: n.title,
  read: n.read,
  createdAt: n.createdAt.toISOString(),
  readAt: n.readAt?.toISOString(),
  readBy: n.readBy,
});

export function createNotificationService(deps: { models: Pick<Models, 'Notification'>; audit: AuditService }) {
  const { models, audit } = deps;
  return {
    async list(p: Principal, q: NotificationQuery = { limit: 50 }): Promise<NotificationView[]> {
      const filter: Record<string, unknown> = { recipient: { $in: recipientsOf(p) } };
      if (q.unread === 'true') filter.read = false;
      else if (q.unread === 'false') filter.read = true;
      const docs = await models.Notification.find(filter)
        .sort({ createdAt: -1 })
        .limit(q.limit)
        .lean<NotificationDoc[]>();
      return docs.map(view);
    },

    /** The nav's badge. */
    async unreadCount(p: Principal): Promise<number> {
      return models.Notification.countDocuments({ recipient: { $in: recipientsOf(p) }, read: false });
    },

    /** Marks one of mine read (again: no change, no second audit entry); 404 for anyone else's. */
    async markRead(p: Principal, id: string, ip?: string): Promise<NotificationView> {
      const n = await models.Notification.findOne({
        _id: id,
        recipient: { $in: recipientsOf(p) },
      }).lean<NotificationDoc>();
      if (!n) throw new HttpError(404, `no notification ${id} for you`, 'id');
      if (n.read) return view(n);
      const readAt = new Date();
      const res = await models.Notification.updateOne(
        { _id: id, read: false },
        { $set: { read: true, readAt, readBy: p.username } },
      );
      if (res.modifiedCount) await audit.record(p.username, 'notification.read', id, undefined, ip);
      return view((await models.Notification.findById(id).lean<NotificationDoc>())!);
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
