/**
 * The real stack for an integration test file: its own database and task queue on the shared
 * servers, a real worker, a Temporal client, and (optionally) the web app on a free port.
 */
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import crypto from 'node:crypto';
import type { Express } from 'express';
import type { Server } from 'node:http';
import { createLogger } from '../../lib/log';
import { createMailer, Mailer } from '../../lib/mailer';
import { connectDatabase, Models } from '../../models';
import { closeApp, createApp } from '../../web/app';
import { createWorker } from '../../worker/createWorker';
import { offlineSweepScheduleId } from '../../worker/offlineSweepSchedule';
import type { Connection as MongoConnection } from 'mongoose';

export interface Stack {
  models: Models;
  db: MongoConnection;
  client: Client;
  mailer: Mailer;
  taskQueue: string;
  mailboxDir: string;
  baseUrl: string;
  /** The web app, when started (e.g. to read its routes). */
  app?: Express;
  stop(): Promise<void>;
}

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through \`npm test\` (globalSetup starts the services)`);
  return v;
}

/** `demo`: the app runs with WARNFLOW_DEMO=1 (the demo-case pages and API exist). Proxy headers are trusted from loopback, as a local TLS proxy would send them. */
export async function startStack(opts: { web?: boolean; demo?: boolean } = {}): Promise<Stack> {
  const id = crypto.randomBytes(4).toString('hex');
  const taskQueue = `test-${id}`;
  const { conn, models } = await connectDatabase(env('MONGODB_URI'), { dbName: `test_${id}` });
  const mailer = createMailer(env('SMTP_URL'));
  const mailFrom = 'warnflow-test <test@warnflow.local>';
  const { worker, connection: workerConnection } = await createWorker({
    temporalAddress: env('TEMPORAL_ADDRESS'),
    namespace: 'default',
    taskQueue,
    models,
    mailer,
    mailFrom,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: env('TEMPORAL_ADDRESS') });
  const client = new Client({ connection });

  let server: Server | undefined;
  let app: ReturnType<typeof createApp> | undefined;
  let baseUrl = '';
  if (opts.web) {
    app = createApp({
      config: {
        taskQueue,
        publicUrl: 'http://127.0.0.1',
        mailboxDir: process.env.WARNFLOW_MAILBOX_DIR,
        temporalAddress: env('TEMPORAL_ADDRESS'),
        demo: !!opts.demo,
        trustedProxies: ['loopback'],
      },
      temporal: client,
      db: conn,
      models,
      mailer,
      log: createLogger({ service: 'web-test' }, 'warn'),
    });
    server = await new Promise<Server>((resolve) => {
      const s = app!.listen(0, '127.0.0.1', () => resolve(s));
    });
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  return {
    models,
    db: conn,
    client,
    mailer,
    taskQueue,
    mailboxDir: env('WARNFLOW_MAILBOX_DIR'),
    baseUrl,
    app,
    async stop() {
      if (server) await new Promise((r) => server.close(r));
      // The offline-sweep schedule of this queue, when the file ensured one (or an offline-rules change did).
      await client.schedule
        .getHandle(offlineSweepScheduleId(taskQueue))
        .delete()
        .catch(() => undefined);
      if (app) await closeApp(app);
      stopWorker(worker);
      await running;
      await workerConnection.close();
      await connection.close();
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
      mailer.close();
    },
  };
}

function stopWorker(worker: Worker) {
  if (worker.getState() === 'RUNNING') worker.shutdown();
}
