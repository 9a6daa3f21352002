/**
 * The stack a benchmark measures, started in a scratch folder of its own: Temporal dev server (in
 * memory), mongo-java-server (H2 file backend, as in the main run), the SMTP catcher, optionally a
 * worker (in this process, or `'process'`: worker/index.js in a child process, as `npm start` runs it
 * beside the web app), and the web app on a free port. `stop()` takes it all down and removes the folder.
 * (bench/warnings.ts starts its own: it runs the SMTP catcher in a separate process to measure it.)
 */
import { Client, Connection } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startMongo } from '../embedded/mongo';
import { startSmtpCatcher } from '../embedded/smtp';
import { startTemporalDevServer } from '../embedded/temporal';
import { createLogger } from '../lib/log';
import { createMailer } from '../lib/mailer';
import { connectDatabase } from '../models';
import { closeApp, createApp } from '../web/app';
import { createWorker } from '../worker/createWorker';

/** worker/index.js in a child process on the bench's services; resolves once it says it started. */
async function startWorkerProcess(env: Record<string, string>, logFile: string): Promise<ChildProcess> {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'worker', 'index.js')], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', out],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (b: Buffer) => {
      fs.appendFileSync(logFile, b);
      seen += b.toString();
      if (seen.includes('worker started')) resolve();
    });
    child.once('exit', (c) => reject(new Error(`worker exited with ${c} (log: ${logFile})`)));
  });
  return child;
}

export async function startBenchStack(opts: {
  name: string;
  taskQueue: string;
  worker: boolean | 'process';
  mongoRestart?: boolean;
}) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `warnflow-bench-${opts.name}-`));
  const logDir = path.join(scratch, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const mailboxDir = path.join(scratch, 'mailbox');
  const temporalServer = await startTemporalDevServer({ headless: true, logDir });
  const mongo = await startMongo({
    logDir,
    dataDir: path.join(scratch, 'mongo'),
    forceEmbedded: true,
    restart: opts.mongoRestart,
    say: (l) => console.log(`[stack] ${l}`),
  });
  const smtp = await startSmtpCatcher({ mailboxDir });
  const { conn, models } = await connectDatabase(`${mongo.address}/bench`);
  const mailer = createMailer(smtp.address);
  const workerEnv = {
    TEMPORAL_ADDRESS: temporalServer.address,
    MONGODB_URI: `${mongo.address}/bench`,
    SMTP_URL: smtp.address,
    WARNFLOW_TASK_QUEUE: opts.taskQueue,
    WARNFLOW_DATA_DIR: path.join(scratch, 'data'),
    // A second worker process would find the first one's metrics port taken.
    WARNFLOW_WORKER_METRICS_PORT: '0',
  };
  const workerProcesses: ChildProcess[] = [];
  const addWorkerProcess = async (): Promise<number> => {
    const child = await startWorkerProcess(workerEnv, path.join(logDir, `worker-${workerProcesses.length}.log`));
    workerProcesses.push(child);
    return child.pid!;
  };
  if (opts.worker === 'process') await addWorkerProcess();
  const w =
    opts.worker === true
      ? await createWorker({
          temporalAddress: temporalServer.address,
          namespace: 'default',
          taskQueue: opts.taskQueue,
          models,
          mailer,
          mailFrom: 'bench <b@warnflow.local>',
        })
      : undefined;
  const running = w?.worker.run();
  const tconn = await Connection.connect({ address: temporalServer.address });
  const app = createApp({
    config: {
      taskQueue: opts.taskQueue,
      publicUrl: 'http://127.0.0.1',
      mailboxDir,
      temporalAddress: temporalServer.address,
    },
    temporal: new Client({ connection: tconn }),
    db: conn,
    models,
    mailer,
    log: createLogger({ service: 'bench' }, 'error'),
  });
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    scratch,
    mailboxDir,
    mongo,
    temporalAddress: temporalServer.address,
    mailer,
    /** The worker's pid when it runs in a child process. */
    workerPid: workerProcesses[0]?.pid,
    /** One more worker process on the same task queue (its pid). */
    addWorkerProcess,
    conn,
    models,
    /** A client of the bench's Temporal server (to start a workflow directly). */
    temporal: new Client({ connection: tconn }),
    base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async stop(): Promise<void> {
      await new Promise((r) => server.close(r));
      await closeApp(app);
      w?.worker.shutdown();
      for (const child of workerProcesses) {
        if (child.exitCode !== null) continue;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await running?.catch(() => undefined);
      await w?.connection.close();
      await tconn.close();
      await conn.close();
      mailer.close();
      await smtp.stop();
      await mongo.stop();
      await temporalServer.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
