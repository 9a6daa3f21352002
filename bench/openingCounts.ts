/**
 * What one case opening costs, in counts that do not depend on the machine's load (prints them; not a test):
 * for one red RiskWarning (signal-with-start) and one monitoring alarm (one reading beyond high-high POSTed
 * to /api/v1/readings): the workflow tasks, activities (by name) and local activities of its history, the
 * activity functions the worker ran, the MongoDB commands of the whole stack (web app + worker, by
 * collection and command) and the mails the SMTP catcher received, from the start until the workflow is idle.
 *
 *   node_modules/.bin/tsc -p tsconfig.json && node dist/bench/openingCounts.js
 *
 * `countOpenings()` is what `npm run bench` (bench/all.ts) calls.
 */
import './scratchData';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import fs from 'node:fs';
import mongoose from 'mongoose';
import path from 'node:path';
import { createActivities } from '../activities';
import { caseIds } from '../domain/cases';
import { DEFAULT_ESCALATION_POLICY } from '../domain/escalation';
import { installQuietRuntime } from '../worker/createWorker';
import { raiseWarningSignal, riskWarning } from '../workflows/riskWarning';
import { postAlarmReading, seedAlarmDevices } from './alarmLatency';
import { startBenchStack } from './stack';
import { seedWarningDistrict } from './warningWorld';

export interface OpeningCount {
  workflowTasks: number;
  activities: Record<string, number>;
  localActivities: number;
  /** Activity functions run by the worker (ordinary and local), by name. */
  ran: Record<string, number>;
  dbWrites: number;
  dbReads: number;
  /** `collection.command` → how many, both reads and writes. */
  db: Record<string, number>;
  mails: number;
  historyEvents: number;
}

const WRITE = /^(insert|update|replace|delete|findOneAndUpdate|findOneAndReplace|findOneAndDelete|bulkWrite|create)/;

/** Both openings on a fresh stack. */
export async function countOpenings(): Promise<{ riskWarning: OpeningCount; monitoringAlarm: OpeningCount }> {
  const taskQueue = 'bench-counts';
  const stack = await startBenchStack({ name: 'counts', taskQueue, worker: false });
  const ops = new Map<string, number>();
  const ran = new Map<string, number>();
  let counting = false;
  mongoose.set('debug', (collection: string, method: string) => {
    if (counting) ops.set(`${collection}.${method}`, (ops.get(`${collection}.${method}`) ?? 0) + 1);
  });
  installQuietRuntime();
  const activities = createActivities({
    models: stack.models,
    mailer: stack.mailer,
    mailFrom: 'bench <b@warnflow.local>',
  }) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const counted = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (...a: unknown[]) => {
        if (counting) ran.set(name, (ran.get(name) ?? 0) + 1);
        return fn(...a);
      },
    ]),
  );
  const wconn = await NativeConnection.connect({ address: stack.temporalAddress });
  const worker = await Worker.create({
    connection: wconn,
    namespace: 'default',
    taskQueue,
    workflowsPath: require.resolve(path.join(__dirname, '..', 'workflows')),
    activities: counted,
  });
  const running = worker.run();
  const tconn = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection: tconn });
  const mails = () =>
    (fs.existsSync(stack.mailboxDir) ? fs.readdirSync(stack.mailboxDir) : []).filter((n) => n.endsWith('.eml')).length;

  /** Waits until the workflow has no pending activity or workflow task and its history stopped growing. */
  async function idle(h: WorkflowHandle): Promise<void> {
    let last = -1;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const d = await h.describe();
      const raw = d.raw;
      const busy = (raw.pendingActivities?.length ?? 0) > 0 || !!raw.pendingWorkflowTask;
      if (!busy && d.historyLength === last) return;
      last = d.historyLength;
    }
  }
  async function measure(start: () => Promise<WorkflowHandle>): Promise<OpeningCount> {
    ops.clear();
    ran.clear();
    const mails0 = mails();
    counting = true;
    const h = await start();
    await idle(h);
    counting = false;
    const activityTypes: Record<string, number> = {};
    let workflowTasks = 0;
    let localActivities = 0;
    let events = 0;
    const history = await client.workflow.getHandle(h.workflowId).fetchHistory();
    for (const e of history.events ?? []) {
      events++;
      if (e.workflowTaskCompletedEventAttributes) workflowTasks++;
      if (e.markerRecordedEventAttributes) localActivities++;
      const a = e.activityTaskScheduledEventAttributes;
      if (a) activityTypes[a.activityType?.name ?? '?'] = (activityTypes[a.activityType?.name ?? '?'] ?? 0) + 1;
    }
    const db = Object.fromEntries([...ops.entries()].sort());
    const writes = [...ops.entries()].filter(([k]) => WRITE.test(k.split('.').pop()!));
    const total = [...ops.values()].reduce((s, x) => s + x, 0);
    const dbWrites = writes.reduce((s, [, x]) => s + x, 0);
    return {
      workflowTasks,
      activities: activityTypes,
      localActivities,
      ran: Object.fromEntries([...ran.entries()].sort()),
      dbWrites,
      dbReads: total - dbWrites,
      db,
      mails: mails() - mails0,
      historyEvents: events,
    };
  }

  try {
    await seedWarningDistrict(stack.models, 1);
    const { keys } = await seedAlarmDevices(stack.models, 'cnt', 1);
    const policy = structuredClone(DEFAULT_ESCALATION_POLICY);
    const warning = await measure(() =>
      client.workflow.signalWithStart(riskWarning, {
        taskQueue,
        workflowId: caseIds.riskWarning('b-ent-0'),
        args: [{ enterpriseId: 'b-ent-0', policy }],
        signal: raiseWarningSignal,
        signalArgs: [{ level: 'red', reason: 'bench', by: 'bench' }],
      }),
    );
    const alarm = await measure(async () => {
      const res = await postAlarmReading(stack.base, keys[0], 'cnt-dev-0', 1600);
      if (res.status !== 200) throw new Error(`reading: ${res.status} ${await res.text()}`);
      const h = client.workflow.getHandle(caseIds.monitoringAlarm('cnt-dev-0', 'p'));
      await h.describe();
      return h;
    });
    return { riskWarning: warning, monitoringAlarm: alarm };
  } finally {
    mongoose.set('debug', false);
    worker.shutdown();
    await running.catch(() => undefined);
    await wconn.close();
    await tconn.close();
    await stack.stop();
  }
}

/** One opening's counts as lines. */
export function countLines(name: string, c: OpeningCount): string[] {
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  const activityCount = Object.values(c.activities).reduce((s, x) => s + x, 0);
  return [
    `${name}: ${c.workflowTasks} workflow tasks, ${activityCount} activities (${list(c.activities)}), ${c.localActivities} local activities, ${c.historyEvents} history events; MongoDB ${c.dbWrites} writes + ${c.dbReads} reads; ${c.mails} mails`,
    `  functions run: ${list(c.ran)}`,
    `  MongoDB commands: ${list(c.db)}`,
  ];
}

async function main() {
  const { machineLines } = await import('./machine');
  for (const l of machineLines()) console.log(l);
  const r = await countOpenings();
  for (const l of [
    ...countLines('red RiskWarning', r.riskWarning),
    ...countLines('monitoring alarm', r.monitoringAlarm),
  ])
    console.log(l);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
