/**
 * A worker killed mid-activity (SIGKILL of a child process) on Temporal's time-skipping server: the
 * red warning's first notice mail has really gone out when the worker dies, before the activity
 * reports back. Temporal retries the activity on a new worker after its start-to-close timeout; the
 * ladder carries on with each notice mail once in the SMTP mailbox and one notice number throughout.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createActivities } from '../../activities';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation';
import { caseIds } from '../../domain/cases';
import { readMailbox } from '../../lib/mailbox';
import { createMailer } from '../../lib/mailer';
import { connectDatabase, Models } from '../../models';
import { raiseWarningSignal, riskWarning, riskWarningStateQuery } from '../../workflows/riskWarning';
import { env as envVar } from '../helpers/stack';
import { seedEnterprise, seedRegions } from '../helpers/monitoringWorld';
import { createTimeSkippingEnv } from '../helpers/timeSkipping';
import { forkWarningWorker } from '../helpers/warningWorkerProcess';

const M = 60_000;
let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
let child: ChildProcess | undefined;
const tag = `k${crypto.randomBytes(2).toString('hex')}`;
const dbName = `test_warnkill_${tag}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  ({ conn, models } = await connectDatabase(envVar('MONGODB_URI'), { dbName }));
  await seedRegions(models, tag);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await env?.teardown();
  await conn?.close();
});

it('a worker killed (SIGKILL) right after the first notice mail went out: a new worker resumes the red ladder, each notice mail once, one notice number', async () => {
  const e = await seedEnterprise(models, tag, 11);
  const taskQueue = `warnkill-${tag}`;
  let gate: (key: string) => void = () => undefined;
  const gated = new Promise<string>((r) => (gate = r));
  child = await forkWarningWorker(
    {
      TEMPORAL_ADDRESS: env.address,
      TASK_QUEUE: taskQueue,
      MONGODB_URI: envVar('MONGODB_URI'),
      DB_NAME: dbName,
      SMTP_URL: envVar('SMTP_URL'),
      GATE_TEMPLATE: 'warning-notice',
    },
    (m) => m.gate && gate(m.gate),
  );
  const h = await env.client.workflow.signalWithStart(riskWarning, {
    taskQueue,
    workflowId: caseIds.riskWarning(e.enterpriseId),
    args: [{ enterpriseId: e.enterpriseId, policy: DEFAULT_ESCALATION_POLICY }],
    signal: raiseWarningSignal,
    signalArgs: [{ level: 'red', reason: '风险指数跃升', by: 'risk-model' }],
  });

  // Let the clock run to the first notice; the child sends it and hangs inside the activity.
  const sleeping = env.sleep(35 * M);
  const key = await gated;
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  expect(await models.Delivery.findById(key).lean()).toMatchObject({ status: 'sent', attempts: 1 });

  // A new worker (same queue) picks up the retried activity and the rest of the ladder. The server holds the
  // clock while the lost attempt is outstanding, so its start-to-close timeout (30 s) passes in real time.
  const activities = createActivities({
    models,
    mailer: createMailer(envVar('SMTP_URL')),
    mailFrom: 'warnflow-test <test@warnflow.local>',
  });
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve(path.join(__dirname, '..', '..', 'workflows')),
    activities,
    maxCachedWorkflows: 0,
  });
  await w.runUntil(async () => {
    await sleeping;
    await env.sleep(70 * M);
    expect((await h.query(riskWarningStateQuery)).noticesIssued).toBe(1);
    await h.terminate('test over');
  });

  const rec = (await models.CaseRecord.findOne({ enterpriseId: e.enterpriseId, type: 'risk_warning' }).lean())!;
  const t0 = rec.openedAt.getTime();
  const notices = rec.timeline
    .filter((x) => x.kind.startsWith('notice_'))
    .map((x) => ({ kind: x.kind, min: (Date.parse(x.at) - t0) / M, number: x.detail }));
  expect(notices.map((x) => x.kind)).toEqual(['notice_issued', 'notice_repeated', 'notice_repeated']);
  // The first entry is written once the retried activity completes (start-to-close timeout of 30 s, then a retry).
  expect(notices[0].min).toBeGreaterThanOrEqual(30);
  expect(notices[0].min).toBeLessThan(32);
  expect(notices.slice(1).map((x) => Math.round(x.min))).toEqual([60, 90]);
  expect(new Set(notices.map((x) => x.number)).size).toBe(1);
  const mails = readMailbox(envVar('WARNFLOW_MAILBOX_DIR')).filter(
    (m) => m.to.includes(`industry-${tag}@gov.example`) && /警示通报/.test(m.subject) && m.text.includes(rec._id),
  );
  expect(mails).toHaveLength(3);
  expect(new Set(mails.map((m) => /警示通报 (\S+)/.exec(m.subject)![1]))).toEqual(new Set([notices[0].number]));
  expect(await models.Delivery.countDocuments({ caseId: rec._id, template: 'warning-notice', status: 'sent' })).toBe(3);
}, 180_000);
