/** The health endpoint tells the truth about each dependency: stop one and it says so. */
import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startMongo } from '../../embedded/mongo';
import { startSmtpCatcher } from '../../embedded/smtp';
import { startTemporalDevServer } from '../../embedded/temporal';
import { createLogger } from '../../lib/log';
import { createMailer } from '../../lib/mailer';
import { connectDatabase } from '../../models';
import { closeApp, createApp } from '../../web/app';

jest.setTimeout(120000);

it('reports Temporal, MongoDB and SMTP up, then each one down once it is stopped', async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'warnflow-health-'));
  const logDir = path.join(scratch, 'logs');
  // Dedicated servers: this test stops them, the shared ones must stay up for the other files.
  const [temporal, mongo, smtp] = await Promise.all([
    startTemporalDevServer({ headless: true, logDir }),
    startMongo({ logDir, forceEmbedded: true }),
    startSmtpCatcher({ mailboxDir: path.join(scratch, 'mailbox') }),
  ]);
  const { conn, models } = await connectDatabase(`${mongo.address}/health`, { serverSelectionTimeoutMS: 1000 });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const mailer = createMailer(smtp.address);
  const app = createApp({
    config: { taskQueue: 'health', publicUrl: 'http://x', temporalAddress: temporal.address },
    temporal: client,
    db: conn,
    models,
    mailer,
    log: createLogger({}, 'error'),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/health`;
  const health = async () => {
    const res = await fetch(url);
    return { status: res.status, body: (await res.json()) as Record<string, { ok: boolean; error?: string }> };
  };

  try {
    let h = await health();
    expect(h.status).toBe(200);
    expect([h.body.temporal.ok, h.body.mongodb.ok, h.body.smtp.ok]).toEqual([true, true, true]);

    await smtp.stop();
    h = await health();
    expect(h.status).toBe(503);
    expect(h.body.smtp.ok).toBe(false);
    expect(h.body.smtp.error).toBeTruthy();
    expect([h.body.temporal.ok, h.body.mongodb.ok]).toEqual([true, true]);

    await mongo.stop();
    h = await health();
    expect(h.body.mongodb.ok).toBe(false);
    expect(h.body.temporal.ok).toBe(true);

    await temporal.stop();
    h = await health();
    expect(h.status).toBe(503);
    expect(h.body.temporal.ok).toBe(false);
  } finally {
    await new Promise((r) => server.close(r));
    await closeApp(app);
    await connection.close().catch(() => undefined);
    await conn.close().catch(() => undefined);
    mailer.close();
    await Promise.all([temporal.stop(), mongo.stop(), smtp.stop().catch(() => undefined)]);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
