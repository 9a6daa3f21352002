/**
 * What the risk-warning workflow tests on the time-skipping server share (riskWarning, riskWarningSeed002,
 * riskWarningExtras, riskWarningEnterpriseTracking): a worker of the real workflows that runs one test, and the end of
 * the warnings that test started.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { caseIds, Level } from '../../domain/cases';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy } from '../../domain/escalation';
import { connectDatabase, Models } from '../../models';
import { createActivities } from '../../activities';
import { createMailer } from '../../lib/mailer';
import { seedRegions } from './monitoringWorld';
import { env as envVar } from './stack';
import path from 'node:path';
import { createTimeSkippingEnv } from './timeSkipping';
import { raiseWarningSignal, riskWarning, riskWarningStateQuery } from '../../workflows/riskWarning';

/**
 * Terminates each warning a test started (emptying `started`), its on-site cases first: nothing is left ticking for
 * the next test's sleeps, whose worker is gone with this one.
 */
export async function endWarnings(env: TestWorkflowEnvironment, started: WorkflowHandle<typeof riskWarning>[]) {
  for (const h of started.splice(0)) {
    const s = await h.query(riskWarningStateQuery).catch(() => undefined);
    for (const id of s?.onSiteCaseIds ?? []) await terminateWhenIdle(env.client.workflow.getHandle(id));
    await terminateWhenIdle(h);
  }
}

/**
 * Terminates once no workflow or activity task of the workflow is running: the time-skipping server keeps
 * time locked for a task whose workflow was terminated while a worker held it, so the next test's
 * env.sleep() then waited in real time (jest's timeout, about one run in three once the workflows were
 * bundled once per file and the next test started at once).
 */
async function terminateWhenIdle(h: WorkflowHandle) {
  const { PENDING_ACTIVITY_STATE_STARTED } = temporal.api.enums.v1.PendingActivityState;
  const { PENDING_WORKFLOW_TASK_STATE_STARTED } = temporal.api.enums.v1.PendingWorkflowTaskState;
  for (let tries = 0; tries < 100; tries++) {
    const d = await h.describe().catch(() => undefined);
    if (!d || d.status.name !== 'RUNNING') return;
    const busy =
      d.raw.pendingWorkflowTask?.state === PENDING_WORKFLOW_TASK_STATE_STARTED ||
      d.raw.pendingActivities?.some((a) => a.state === PENDING_ACTIVITY_STATE_STARTED);
    if (!busy) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await h.terminate('test over').catch(() => undefined);
}

/** Runs `fn` with a worker of the real workflows on `taskQueue` (a Worker runs once), then ends what it started. */
export async function runWarningWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  activities: object,
  started: WorkflowHandle<typeof riskWarning>[],
  fn: () => Promise<void>,
) {
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve(path.join(__dirname, '..', '..', 'workflows')),
    activities,
  });
  await w.runUntil(async () => {
    try {
      await fn();
    } finally {
      await endWarnings(env, started);
    }
  });
}

/** Raises a warning of `level` on the enterprise (signal-with-start, as the risk model does), kept in `started`. */
export async function raiseWarning(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  started: WorkflowHandle<typeof riskWarning>[],
  enterpriseId: string,
  level: Level,
  policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY,
) {
  const h = await env.client.workflow.signalWithStart(riskWarning, {
    taskQueue,
    workflowId: caseIds.riskWarning(enterpriseId),
    args: [{ enterpriseId, policy }],
    signal: raiseWarningSignal,
    signalArgs: [{ level, reason: '风险指数跃升', by: 'risk-model' }],
  });
  started.push(h);
  return h;
}

/** The enterprise's newest warning record and its timeline, each entry with its minute after opening. */
export async function warningTimeline(models: Models, enterpriseId: string) {
  const rec = (await models.CaseRecord.findOne({ enterpriseId, type: 'risk_warning' }).sort({ openedAt: -1 }).lean())!;
  const t0 = rec.openedAt.getTime();
  return { rec, entries: rec.timeline.map((e) => ({ ...e, min: Math.round((Date.parse(e.at) - t0) / 60_000) })) };
}

/** The file's time-skipping server and its own database (named after `prefix`), with the regions and agencies of `tag`. */
export async function openWarningWorld(prefix: string, tag: string) {
  const env = await createTimeSkippingEnv();
  const { conn, models } = await connectDatabase(envVar('MONGODB_URI'), { dbName: `test_${prefix.replace('-', '_')}` });
  await seedRegions(models, tag);
  return { env, conn, models };
}

/** The real activities, mailing through the SMTP server of globalSetup. */
export const warningActivities = (models: Models) =>
  createActivities({
    models,
    mailer: createMailer(envVar('SMTP_URL')),
    mailFrom: 'warnflow-test <test@warnflow.local>',
  });
