/**
 * The embedded SMTP catcher: accepts every message on loopback and stores it in a mailbox folder
 * (the raw .eml beside a parsed .json summary) that the web app's mailbox page and tests read.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MailboxMessage } from '../lib/mailbox';
import { RunningService } from './process';

export interface SmtpCatcherOptions {
  port?: number;
  mailboxDir: string;
}

export async function startSmtpCatcher(opts: SmtpCatcherOptions): Promise<RunningService & { port: number }> {
  fs.mkdirSync(opts.mailboxDir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'warnflow SMTP catcher',
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      // The handler catches every error into the callback: nothing is left to a floating promise.
      stream.on(
        'end',
        () =>
          void (async () => {
            try {
              const raw = Buffer.concat(chunks);
              const parsed = await simpleParser(raw);
              const receivedAt = new Date();
              const id = `${receivedAt.getTime()}-${crypto.randomBytes(4).toString('hex')}`;
              const addresses = (v: unknown): string[] => {
                const list = Array.isArray(v) ? v : v ? [v] : [];
                return list
                  .flatMap((a: { value?: { address?: string }[] }) => (a.value ?? []).map((x) => x.address ?? ''))
                  .filter(Boolean);
              };
              const summary: MailboxMessage = {
                id,
                receivedAt: receivedAt.toISOString(),
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                from: addresses(parsed.from)[0] ?? '',
                to: addresses(parsed.to),
                subject: parsed.subject ?? '',
                messageId: parsed.messageId ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                attachments: parsed.attachments.map((a) => ({
                  filename: a.filename ?? '',
                  contentType: a.contentType,
                  size: a.size,
                })),
              };
              // Raw first, summary last: a reader that sees the .json sees a complete message.
              fs.writeFileSync(path.join(opts.mailboxDir, `${id}.eml`), raw);
              fs.writeFileSync(path.join(opts.mailboxDir, `${id}.json.tmp`), JSON.stringify(summary));
              fs.renameSync(path.join(opts.mailboxDir, `${id}.json.tmp`), path.join(opts.mailboxDir, `${id}.json`));
              callback();
            } catch (err) {
              callback(err as Error);
            }
          })(),
      );
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    name: 'smtp',
    port,
    address: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
