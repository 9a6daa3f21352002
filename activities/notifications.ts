/**
 * Notifications: mail through nodemailer, recorded in the deliveries collection (the outbox).
 * Idempotent by key: record the delivery first, send, mark it sent; a retry of a sent delivery
 * sends nothing. A crash between sending and marking can resend once — the Message-ID is derived
 * from the key so a mail client can fold the copies.
 */
import crypto from 'node:crypto';
import type { Mailer } from '../lib/mailer';
import { renderMail } from '../lib/mailTemplates';
import type { DeliveryModel } from '../models/Delivery';

export interface SendMailInput {
  /** Idempotency key: case id + step (+ recipient). */
  key: string;
  caseId?: string;
  to: string[];
  template: string;
  data: Record<string, unknown>;
  /**
   * Files attached to the mail (a report or an official document PDF), read from disk when sent.
   * Paths, not contents: activity inputs stay small in workflow history.
   */
  attachments?: { filename: string; path: string; contentType?: string }[];
}

export interface SendMailResult {
  deliveryId: string;
  status: 'sent' | 'already_sent';
  messageId: string;
}

export function createNotificationActivities(deps: { mailer: Mailer; Delivery: DeliveryModel; mailFrom: string }) {
  const { mailer, Delivery, mailFrom } = deps;
  return {
    async sendMail(input: SendMailInput): Promise<SendMailResult> {
      if (input.to.length === 0) throw new Error(`delivery ${input.key} has no recipient`);
      const rendered = renderMail(input.template, input.data);
      const messageId = `<${crypto.createHash('sha256').update(input.key).digest('hex').slice(0, 32)}@warnflow>`;
      await Delivery.updateOne(
        { _id: input.key },
        {
          $setOnInsert: {
            caseId: input.caseId,
            channel: 'email',
            to: input.to,
            subject: rendered.subject,
            template: input.template,
            attachments: (input.attachments ?? []).map((a) => a.filename),
            status: 'pending',
            attempts: 0,
            messageId,
            createdAt: new Date(),
          },
        },
        { upsert: true },
      );
      const existing = await Delivery.findById(input.key).lean();
      if (existing?.status === 'sent') return { deliveryId: input.key, status: 'already_sent', messageId };
      await Delivery.updateOne({ _id: input.key }, { $inc: { attempts: 1 } });
      try {
        await mailer.sendMail({ from: mailFrom, to: input.to, subject: rendered.subject, html: rendered.html, text: rendered.text, messageId, attachments: input.attachments?.map((a) => ({ filename: a.filename, path: a.path, contentType: a.contentType ?? 'application/pdf' })) });
      } catch (err) {
        await Delivery.updateOne({ _id: input.key }, { $set: { status: 'failed', lastError: (err as Error).message } });
        throw err;
      }
      await Delivery.updateOne({ _id: input.key }, { $set: { status: 'sent', sentAt: new Date() }, $unset: { lastError: 1 } });
      return { deliveryId: input.key, status: 'sent', messageId };
    },
  };
}
export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
