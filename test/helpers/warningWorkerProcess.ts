/**
 * A warnflow worker in a child process of its own, so a test can kill it hard (SIGKILL) in the middle
 * of an activity. Started by `forkWarningWorker` with the test server's address and the test's
 * database; runs the real activities. When `GATE_TEMPLATE` is set, the first mail of that template is
 * really sent (and its delivery marked), then the activity hangs before reporting back: the parent is
 * told `{ gate: key }` and kills the process there — the worst moment for a duplicate.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { createActivities } from '../../activities';
import { createMailer } from '../../lib/mailer';
import { connectDatabase } from '../../models';
import { installQuietRuntime } from '../../worker/createWorker';

export interface WorkerProcessEnv {
  TEMPORAL_ADDRESS: string;
  TASK_QUEUE: string;
  MONGODB_URI: string;
  DB_NAME: string;
  SMTP_URL: string;
  GATE_TEMPLATE?: string;
}

/** Forks the worker; resolves once it polls. Messages after that (e.g. `{ gate }`) go to `onMessage`. */
export async function forkWarningWorker(
  env: WorkerProcessEnv,
  onMessage: (m: { gate?: string }) => void,
): Promise<ChildProcess> {
  const child = fork(__filename, [], {
    env: { ...process.env, ...env },
    execArgv: ['-r', path.join(__dirname, 'swcRegister.js')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code} before it was ready`)));
    child.on('message', (m: { ready?: boolean; gate?: string }) => (m.ready ? resolve() : onMessage(m)));
  });
  child.removeAllListeners('exit');
  return child;
}

async function main() {
  const e = process.env as unknown as WorkerProcessEnv;
  installQuietRuntime();
  const { models } = await connectDatabase(e.MONGODB_URI, { dbName: e.DB_NAME });
  const real = createActivities({
    models,
    mailer: createMailer(e.SMTP_URL),
    mailFrom: 'warnflow-test <test@warnflow.local>',
  });
  let gated = false;
  const activities = {
    ...real,
    async sendMail(input: Parameters<typeof real.sendMail>[0]) {
      const r = await real.sendMail(input);
      if (e.GATE_TEMPLATE && input.template === e.GATE_TEMPLATE && !gated) {
        gated = true;
        process.send!({ gate: input.key });
        await new Promise(() => undefined); // hang here until killed
      }
      return r;
    },
  };
  const connection = await NativeConnection.connect({ address: e.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: e.TASK_QUEUE,
    workflowsPath: require.resolve(path.join(__dirname, '..', '..', 'workflows')),
    activities,
    maxCachedWorkflows: 0,
  });
  const running = worker.run();
  process.send!({ ready: true });
  await running;
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
