/**
 * deliveries: every notification warnflow sends (the outbox). Keyed by case id + step so a retried
 * activity finds its earlier attempt instead of sending twice.
 */
import { Schema, Connection, Model } from 'mongoose';
import { modelOn } from './bind';

export const DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
/** email: a mail through nodemailer; webhook: a POST to an agency's chat robot (企业微信/钉钉); feed: the municipal real-time feed. */
export const DELIVERY_CHANNELS = ['email', 'webhook', 'feed'] as const;

export interface DeliveryDoc {
  _id: string; // idempotency key: <caseId>/<step>/<recipient>
  caseId?: string;
  channel: (typeof DELIVERY_CHANNELS)[number];
  /** Mail addresses; for a webhook the URL without its query (a robot's key stays out of the outbox). */
  to: string[];
  subject: string;
  template: string;
  /** File names of the attachments (the files themselves stay where the report or document was written). */
  attachments?: string[];
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  messageId?: string;
  lastError?: string;
  /** Failed for good (SMTP 5xx, a robot's 4xx or revoked key): not retried; shown to the administrator in the outbox. */
  permanent?: boolean;
  /** Mail recipients the SMTP server refused while it accepted the others. */
  rejected?: string[];
  createdAt: Date;
  sentAt?: Date;
}

export const deliverySchema = new Schema<DeliveryDoc>(
  {
    _id: { type: String, required: true },
    caseId: String,
    channel: { type: String, enum: DELIVERY_CHANNELS, required: true },
    to: { type: [String], required: true },
    subject: { type: String, required: true },
    template: { type: String, required: true },
    attachments: [String],
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    messageId: String,
    lastError: String,
    permanent: Boolean,
    rejected: { type: [String], default: undefined },
    createdAt: { type: Date, required: true },
    sentAt: Date,
  },
  { collection: 'deliveries', versionKey: false },
);
// Outbox page: newest first.
deliverySchema.index({ createdAt: -1 });
// A case's deliveries on its page.
deliverySchema.index({ caseId: 1, createdAt: -1 });
// Failed deliveries (/metrics).
deliverySchema.index({ status: 1, createdAt: -1 });

export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel: (conn: Connection) => DeliveryModel = modelOn('Delivery', deliverySchema);
