/**
 * What the risk-warning workflow tests on the time-skipping server share (riskWarning, riskWarningSeed002,
 * riskWarningExtras, riskWarningEnterpriseTracking): a worker of the real workflows that runs one test, and the end of
 * the warnings that test started.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import path from 'node:path';
import { riskWarning, riskWarningStateQuery } from '../../workflows/riskWarning';

/**
 * Terminates each warning a test started (emptying `started`), its on-site cases first: nothing is left ticking for
 * the next test's sleeps, whose worker is gone with this one.
 */
export async function endWarnings(env: TestWorkflowEnvironment, started: WorkflowHandle<typeof riskWarning>[]) {
  for (const h of started.splice(0)) {
    const s = await h.query(riskWarningStateQuery).catch(() => undefined);
    for (const id of s?.onSiteCaseIds ?? [])
      await env.client.workflow
        .getHandle(id)
        .terminate('test over')
        .catch(() => undefined);
    await h.terminate('test over').catch(() => undefined);
  }
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
