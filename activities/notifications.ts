/**
 * Notifications: mail through nodemailer and an agency's chat-robot webhook, both recorded in the
 * deliveries collection (the outbox), and in-app notifications (站内通知, the notifications collection).
 * Idempotent by key: record the delivery first, send, mark it sent; a retry of a sent delivery
 * sends nothing. A crash between sending and marking can resend once — the Message-ID is derived
 * from the key so a mail client can fold the copies. An in-app notification is one upsert by key.
 */
import crypto from 'node:crypto';
import type { Mailer } from '../lib/mailer';
import { renderMail } from '../lib/mailTemplates';
import type { DeliveryModel } from '../models/Delivery';
import type { Model } from 'mongoose';
import type { AgencyDoc } from '../models/masterData';
import { NotificationModel, NotificationRecipientKind, recipientKey } from '../models/Notification';

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

export interface NotifyInAppInput {
  /** Idempotency key: case id + step (+ role); the recipient is appended. */
  key: string;
  caseId?: string;
  recipient: { kind: NotificationRecipientKind; id: string };
  /** The timeline kind that caused it (notified, notice_issued, notice_repeated, emergency_response). */
  kind: string;
  title: string;
}

export interface PostWebhookInput {
  /** Idempotency key: case id + step + agency. */
  key: string;
  caseId?: string;
  /** The agency whose webhookUrl is read at send time: the URL (a robot's secret key) stays out of workflow history. */
  agencyId: string;
  /** The text the robot posts in its chat. */
  content: string;
}

export interface PostWebhookResult {
  deliveryId: string;
  status: 'sent' | 'already_sent' | 'no_webhook';
}

/** How long a robot may take to answer before the attempt fails (and Temporal retries it). */
export const WEBHOOK_TIMEOUT_MS = 5000;

/** The webhook URL as shown in the outbox: no query, where WeCom and DingTalk robots carry their key. */
export const redactUrl = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};

export function createNotificationActivities(deps: { mailer: Mailer; Delivery: DeliveryModel; mailFrom: string; Notification?: NotificationModel; Agency?: Model<AgencyDoc>; fetch?: typeof fetch }) {
  const { mailer, Delivery, mailFrom } = deps;
  const doFetch = deps.fetch ?? fetch;
  return {
    /** An in-app notification (站内通知) for a user, an agency or an enterprise; a retry writes nothing new. */
    async notifyInApp(input: NotifyInAppInput): Promise<{ notificationId: string }> {
      if (!deps.Notification) throw new Error('notifyInApp needs the Notification model');
      const recipient = recipientKey(input.recipient.kind, input.recipient.id);
      const id = `${input.key}/${recipient}`;
      await deps.Notification.updateOne({ _id: id }, { $setOnInsert: { recipient, caseId: input.caseId, kind: input.kind, title: input.title, read: false, createdAt: new Date() } }, { upsert: true });
      return { notificationId: id };
    },

    /**
     * POSTs `{msgtype: "text", text: {content}}` (what WeCom 企业微信 and DingTalk 钉钉 robots accept) to
     * the agency's webhookUrl, with a timeout. Recorded in deliveries (channel webhook) like a mail:
     * pending first, sent after a 2xx answer without a robot error code; a retry of a sent one posts nothing.
     */
    async postWebhook(input: PostWebhookInput): Promise<PostWebhookResult> {
      if (!deps.Agency) throw new Error('postWebhook needs the Agency model');
      const agency = await deps.Agency.findById(input.agencyId, { webhookUrl: 1 }).lean();
      if (!agency?.webhookUrl) return { deliveryId: input.key, status: 'no_webhook' };
      const url = agency.webhookUrl;
      await Delivery.updateOne(
        { _id: input.key },
        { $setOnInsert: { caseId: input.caseId, channel: 'webhook', to: [redactUrl(url)], subject: input.content.split('\n')[0].slice(0, 200), template: 'webhook-text', status: 'pending', attempts: 0, createdAt: new Date() } },
        { upsert: true },
      );
      const existing = await Delivery.findById(input.key).lean();
      if (existing?.status === 'sent') return { deliveryId: input.key, status: 'already_sent' };
      await Delivery.updateOne({ _id: input.key }, { $inc: { attempts: 1 } });
      try {
        const res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ msgtype: 'text', text: { content: input.content } }), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
        const body = await res.text();
        if (!res.ok) throw new Error(`webhook answered ${res.status}: ${body.slice(0, 200)}`);
        // Both robots answer 200 with {errcode, errmsg}; a non-zero errcode is a refusal (bad key, rate limit).
        let errcode: unknown;
        try {
          errcode = (JSON.parse(body) as { errcode?: unknown }).errcode;
        } catch {
          errcode = undefined;
        }
        if (typeof errcode === 'number' && errcode !== 0) throw new Error(`webhook refused: ${body.slice(0, 200)}`);
      } catch (err) {
        await Delivery.updateOne({ _id: input.key }, { $set: { status: 'failed', lastError: (err as Error).message } });
        throw err;
      }
      await Delivery.updateOne({ _id: input.key }, { $set: { status: 'sent', sentAt: new Date() }, $unset: { lastError: 1 } });
      return { deliveryId: input.key, status: 'sent' };
    },

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
