/**
 * notifications: in-app notifications (站内通知) beside the mail, one per recipient and step, written
 * by the idempotent activity notifyInApp (keyed like sendMail: case id + step + recipient) and read on
 * /notifications and GET /api/v1/notifications. A recipient is a user, an agency (every regulator of
 * it sees it) or an enterprise (every user of it sees it), as one string `<kind>:<id>` so that a
 * principal's notifications are one `$in` over at most three values.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export const NOTIFICATION_RECIPIENT_KINDS = ['user', 'agency', 'enterprise'] as const;
export type NotificationRecipientKind = (typeof NOTIFICATION_RECIPIENT_KINDS)[number];

/** `user:<username>`, `agency:<agencyId>` or `enterprise:<enterpriseId>`. */
export const recipientKey = (kind: NotificationRecipientKind, id: string) => `${kind}:${id}`;

export interface NotificationDoc {
  _id: string; // idempotency key: <caseId>/<step>/<recipient>
  recipient: string;
  caseId?: string;
  /** A stable word, the timeline kind that caused it: notified, notice_issued, notice_repeated, emergency_response. */
  kind: string;
  title: string;
  /** Read by anyone the recipient stands for (one flag for an agency's or enterprise's notification). */
  read: boolean;
  readAt?: Date;
  readBy?: string;
  createdAt: Date;
}

export const notificationSchema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    recipient: { type: String, required: true },
    caseId: String,
    kind: { type: String, required: true },
    title: { type: String, required: true },
    read: { type: Boolean, required: true, default: false },
    readAt: Date,
    readBy: String,
    createdAt: { type: Date, required: true },
  },
  { collection: 'notifications', versionKey: false },
);
// The list (page and GET /api/v1/notifications): { recipient: { $in: mine } } newest first.
notificationSchema.index({ recipient: 1, createdAt: -1 });
// The nav's unread count: { recipient: { $in: mine }, read: false }.
notificationSchema.index({ recipient: 1, read: 1 });

export type NotificationModel = Model<NotificationDoc>;
export const notificationModel: (conn: Connection) => NotificationModel = modelOn('Notification', notificationSchema);
