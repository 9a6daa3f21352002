/**
 * Notifications: mail through nodemailer and an agency's chat-robot webhook, both recorded in the
 * deliveries collection (the outbox), and in-app notifications (站内通知, the notifications collection).
 * Idempotent by key: record the delivery first, send, mark it sent; a retry of a sent delivery
 * sends nothing. A crash between sending and marking can resend once — the Message-ID is derived
 * from the key so a mail client can fold the copies. An in-app notification is one upsert by key.
 * A delivery that can never succeed (SMTP 5xx: the address is refused; a robot's 4xx or a refusal code
 * such as a revoked key) is marked failed for good (`permanent`) and thrown as a non-retryable
 * ApplicationFailure: the case records it and goes on instead of retrying it forever.
 */
import { ApplicationFailure } from '@temporalio/common';
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
  /**
   * A mail refused for good (SMTP 5xx) throws a non-retryable ApplicationFailure (the case records it on its timeline
   * and goes on: risk warnings, on-site supervision, emergency response). Without it, the refusal is recorded in the
   * outbox and answered as `refused`: a case that awaits its mail and does not handle a failure is not failed by it.
   */
  failWhenRefused?: boolean;
}

export interface SendMailResult {
  deliveryId: string;
  status: 'sent' | 'already_sent' | 'refused';
  messageId: string;
  /** Why the mail server refused it (status `refused`). */
  error?: string;
  /** Recipients the SMTP server refused while accepting the others (recorded on the delivery). */
  rejected?: string[];
}

/** The ApplicationFailure type of a delivery refused for good (not retried). */
export const DELIVERY_REFUSED = 'DeliveryRefused';

/** SMTP: a 5xx reply is permanent (RFC 5321 §4.2.1); 4xx, timeouts and lost connections are worth a retry. */
export function isPermanentMailError(err: unknown): boolean {
  const code = (err as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Robot refusal codes worth a retry (rate limits, busy); any other non-zero errcode (bad or revoked key, bad body) is final. */
const TRANSIENT_ROBOT_CODES = new Set([-1, 45009, 45033, 130101, 130102]);

/** A robot's HTTP status that will not change on retry: 4xx except timeout and rate limit. */
const isPermanentHttpStatus = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

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

/**
 * The real-time feed to the municipal monitoring and early-warning system (实时传输至市级监测预警系统, 002
 * 第二十三条): a red warning and each change of it, pushed system to system. One event per timeline entry.
 */
export interface MunicipalFeedInput {
  /** Idempotency key (case id + feed sequence): also the `X-Warnflow-Delivery` header, so the receiver can fold a retry. */
  key: string;
  caseId: string;
  /** The timeline kind the event reports (opened, notified, notice_issued, level_changed, cleared, closed, …). */
  event: string;
  /** Order of the events of one case (they go out beside the clock and may arrive out of order). */
  sequence: number;
  /** The case as it stands after the change. */
  payload: Record<string, unknown>;
}

export interface MunicipalFeedResult {
  deliveryId: string;
  status: 'sent' | 'already_sent' | 'not_configured';
}

/** Where the municipal system listens and the key both sides share to sign a push (config MUNICIPAL_FEED_URL / _SECRET). */
export interface MunicipalFeedConfig {
  url: string;
  secret: string;
}

/** The signature header of a feed push: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` under the shared secret. */
export function feedSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
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

export function createNotificationActivities(deps: {
  mailer: Mailer;
  Delivery: DeliveryModel;
  mailFrom: string;
  Notification?: NotificationModel;
  Agency?: Model<AgencyDoc>;
  fetch?: typeof fetch;
  municipalFeed?: MunicipalFeedConfig;
  webhookTimeoutMs?: number;
}) {
  const { mailer, Delivery, mailFrom } = deps;
  const doFetch = deps.fetch ?? fetch;
  const timeoutMs = deps.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS;

  /**
   * A delivery's row in deliveries (by its key) is written pending once; each attempt is counted. False when an
   * earlier attempt already sent it: a retry of a sent delivery sends nothing.
   */
  async function attemptDelivery(
    key: string,
    row: {
      caseId?: string;
      channel: 'email' | 'webhook' | 'feed';
      to: string[];
      subject: string;
      template: string;
      attachments?: string[];
      messageId?: string;
    },
  ): Promise<boolean> {
    // One command: written pending on the first attempt, counted on each. A sent row does not match the filter,
    // so the upsert tries to insert its key again and is refused as a duplicate: nothing to send.
    try {
      await Delivery.updateOne(
        { _id: key, status: { $ne: 'sent' } },
        { $setOnInsert: { ...row, status: 'pending', createdAt: new Date() }, $inc: { attempts: 1 } },
        { upsert: true },
      );
      return true;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 11000) throw err;
      // Sent already, or a concurrent first attempt inserted it: read which.
      const existing = await Delivery.findById(key).lean();
      if (existing?.status === 'sent') return false;
      await Delivery.updateOne({ _id: key }, { $inc: { attempts: 1 } });
      return true;
    }
  }

  /** A failed post (webhook, feed): recorded, then final when refused for good, else thrown for Temporal to retry. */
  async function postFailed(key: string, err: unknown, permanent: boolean): Promise<never> {
    await deliveryFailed(key, err, permanent);
    if (permanent) throw ApplicationFailure.nonRetryable((err as Error).message, DELIVERY_REFUSED);
    throw err;
  }

  /** A sent delivery: with what else the channel reports (a mail's rejected addresses), clear of `unset`. */
  async function deliverySent(
    key: string,
    also: { rejected?: string[] },
    unset: { lastError: 1; permanent?: 1 },
  ): Promise<void> {
    await Delivery.updateOne({ _id: key }, { $set: { status: 'sent', sentAt: new Date(), ...also }, $unset: unset });
  }

  /** A failed attempt, marked permanent when the other side refused it for good (no retry will help). */
  async function deliveryFailed(key: string, err: unknown, permanent: boolean): Promise<void> {
    await Delivery.updateOne(
      { _id: key },
      { $set: { status: 'failed', lastError: (err as Error).message, ...(permanent ? { permanent: true } : {}) } },
    );
  }
  return {
    /** An in-app notification (站内通知) for a user, an agency or an enterprise; a retry writes nothing new. */
    async notifyInApp(input: NotifyInAppInput): Promise<{ notificationId: string }> {
      if (!deps.Notification) throw new Error('notifyInApp needs the Notification model');
      const recipient = recipientKey(input.recipient.kind, input.recipient.id);
      const id = `${input.key}/${recipient}`;
      await deps.Notification.updateOne(
        { _id: id },
        {
          $setOnInsert: {
            recipient,
            caseId: input.caseId,
            kind: input.kind,
            title: input.title,
            read: false,
            createdAt: new Date(),
          },
        },
        { upsert: true },
      );
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
      const fresh = await attemptDelivery(input.key, {
        caseId: input.caseId,
        channel: 'webhook',
        to: [redactUrl(url)],
        subject: input.content.split('\n')[0].slice(0, 200),
        template: 'webhook-text',
      });
      if (!fresh) return { deliveryId: input.key, status: 'already_sent' };
      let permanent = false;
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ msgtype: 'text', text: { content: input.content } }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await res.text();
        if (!res.ok) {
          permanent = isPermanentHttpStatus(res.status);
          throw new Error(`webhook answered ${res.status}: ${body.slice(0, 200)}`);
        }
        // Both robots answer 200 with {errcode, errmsg}; a non-zero errcode is a refusal (bad key, rate limit).
        let errcode: unknown;
        try {
          errcode = (JSON.parse(body) as { errcode?: unknown }).errcode;
        } catch {
          errcode = undefined;
        }
        if (typeof errcode === 'number' && errcode !== 0) {
          permanent = !TRANSIENT_ROBOT_CODES.has(errcode);
          throw new Error(`webhook refused (errcode ${errcode}): ${body.slice(0, 200)}`);
        }
      } catch (err) {
        return postFailed(input.key, err, permanent);
      }
      await deliverySent(input.key, {}, { lastError: 1 });
      return { deliveryId: input.key, status: 'sent' };
    },

    /**
     * POSTs one feed event as JSON to the municipal system, signed (`X-Warnflow-Signature`, see feedSignature, with
     * `X-Warnflow-Timestamp`), recorded in deliveries (channel feed) like a mail: pending first, sent after a 2xx;
     * a retry of a sent one posts nothing. 4xx (bad signature, refused) is final; 5xx and network errors are retried.
     */
    async pushMunicipalFeed(input: MunicipalFeedInput): Promise<MunicipalFeedResult> {
      const feed = deps.municipalFeed;
      if (!feed) return { deliveryId: input.key, status: 'not_configured' };
      const fresh = await attemptDelivery(input.key, {
        caseId: input.caseId,
        channel: 'feed',
        to: [redactUrl(feed.url)],
        subject: `${input.event} #${input.sequence}: ${input.caseId}`.slice(0, 200),
        template: 'municipal-feed',
      });
      if (!fresh) return { deliveryId: input.key, status: 'already_sent' };
      const body = JSON.stringify({
        id: input.key,
        caseId: input.caseId,
        event: input.event,
        sequence: input.sequence,
        case: input.payload,
      });
      const timestamp = String(Math.floor(Date.now() / 1000));
      let permanent = false;
      try {
        const res = await doFetch(feed.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-warnflow-delivery': input.key,
            'x-warnflow-timestamp': timestamp,
            'x-warnflow-signature': feedSignature(feed.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (!res.ok) {
          permanent = isPermanentHttpStatus(res.status);
          throw new Error(`municipal feed answered ${res.status}: ${text.slice(0, 200)}`);
        }
      } catch (err) {
        return postFailed(input.key, err, permanent);
      }
      await deliverySent(input.key, {}, { lastError: 1, permanent: 1 });
      return { deliveryId: input.key, status: 'sent' };
    },

    async sendMail(input: SendMailInput): Promise<SendMailResult> {
      if (input.to.length === 0) throw new Error(`delivery ${input.key} has no recipient`);
      const rendered = renderMail(input.template, input.data);
      const messageId = `<${crypto.createHash('sha256').update(input.key).digest('hex').slice(0, 32)}@warnflow>`;
      const fresh = await attemptDelivery(input.key, {
        caseId: input.caseId,
        channel: 'email',
        to: input.to,
        subject: rendered.subject,
        template: input.template,
        attachments: (input.attachments ?? []).map((a) => a.filename),
        messageId,
      });
      if (!fresh) return { deliveryId: input.key, status: 'already_sent', messageId };
      let rejected: string[] = [];
      try {
        const info = (await mailer.sendMail({
          from: mailFrom,
          to: input.to,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          messageId,
          attachments: input.attachments?.map((a) => ({
            filename: a.filename,
            path: a.path,
            contentType: a.contentType ?? 'application/pdf',
          })),
        })) as { rejected?: unknown[] };
        rejected = (info?.rejected ?? []).map((r) =>
          typeof r === 'string' ? r : String((r as { address?: string }).address ?? r),
        );
      } catch (err) {
        const permanent = isPermanentMailError(err);
        await deliveryFailed(input.key, err, permanent);
        if (permanent && input.failWhenRefused)
          throw ApplicationFailure.nonRetryable((err as Error).message, DELIVERY_REFUSED);
        if (permanent) return { deliveryId: input.key, status: 'refused', messageId, error: (err as Error).message };
        throw err;
      }
      await deliverySent(input.key, rejected.length ? { rejected } : {}, { lastError: 1 });
      return { deliveryId: input.key, status: 'sent', messageId, ...(rejected.length ? { rejected } : {}) };
    },
  };
}
export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
