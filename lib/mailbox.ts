/** Reads the embedded SMTP catcher's mailbox folder (see embedded/smtp.ts). */
import fs from 'node:fs';
import path from 'node:path';

export interface MailboxMessage {
  id: string;
  receivedAt: string;
  envelopeFrom: string;
  envelopeTo: string[];
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

/** Newest first. */
export function readMailbox(dir: string): MailboxMessage[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names
    .sort()
    .reverse()
    .map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as MailboxMessage);
}

/** Waits until a message matching `match` arrives; for tests and scripts. */
export async function waitForMail(
  dir: string,
  match: (m: MailboxMessage) => boolean,
  timeoutMs = 15000,
): Promise<MailboxMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readMailbox(dir).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching mail in ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
