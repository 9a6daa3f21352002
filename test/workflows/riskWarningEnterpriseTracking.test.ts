/**
 * A blue warning is tracked by the enterprise itself (002 第二十三条): its tracking task is its feedback
 * task. Feedback sent straight to the workflow (as `POST /api/v1/cases/{id}/feedback` does) completes
 * that task; an agency's tracking task stays open for the agency. On Temporal's time-skipping server
 * with a worker running the real activities on the shared MongoDB from globalSetup.
 */
import type { WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { createActivities } from '../../activities';
import { DEFAULT_ESCALATION_POLICY } from '../../domain/escalation';
import { caseIds, Level } from '../../domain/cases';
import { Models } from '../../models';
import {
  changeLevelUpdate,
  raiseWarningSignal,
  riskWarning,
  riskWarningStateQuery,
  warningFeedbackUpdate,
  type WarningFeedback,
} from '../../workflows/riskWarning';
import { seedEnterprise } from '../helpers/monitoringWorld';
import { openWarningWorld, runWarningWorker, warningActivities } from '../helpers/warningWorkflowWorld';

const M = 60_000;

let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
let activities: ReturnType<typeof createActivities>;
const prefix = `etrack-${crypto.randomBytes(3).toString('hex')}`;
const tag = `t${crypto.randomBytes(2).toString('hex')}`;
let taskQueue = prefix;
const started: WorkflowHandleWithSignaledRunId<typeof riskWarning>[] = [];

beforeAll(async () => {
  ({ env, conn, models } = await openWarningWorld(prefix, tag));
  activities = warningActivities(models);
});
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
});

let n = 10; // two-digit numbers: seedEnterprise pads the USCC with zeros
/** A worker with the real activities on a task queue of its own; warnings still running at the end are terminated. */
async function withWorker(fn: (enterpriseId: string) => Promise<void>) {
  n++;
  const { enterpriseId } = await seedEnterprise(models, tag, n);
  taskQueue = `${prefix}-${n}`;
  await runWarningWorker(env, taskQueue, activities, started, () => fn(enterpriseId));
}

async function raise(enterpriseId: string, level: Level) {
  const h = await env.client.workflow.signalWithStart(riskWarning, {
    taskQueue,
    workflowId: caseIds.riskWarning(enterpriseId),
    args: [{ enterpriseId, policy: DEFAULT_ESCALATION_POLICY }],
    signal: raiseWarningSignal,
    signalArgs: [{ level, reason: '风险指数上升', by: 'risk-model' }],
  });
  started.push(h);
  return h;
}
const feedback = (enterpriseId: string): WarningFeedback => ({
  verification: '已现场核查',
  cause: '滤袋破损',
  measures: '已更换滤袋',
  responsiblePerson: '张三',
  accidentFound: false,
  by: `user-${enterpriseId}`,
});
/** The warning's tasks by id, with their status and who completed them. */
async function tasksOf(enterpriseId: string) {
  const rec = (await models.CaseRecord.findOne({ enterpriseId, type: 'risk_warning' }).sort({ openedAt: -1 }).lean())!;
  const tasks = await models.Task.find({ caseId: rec._id }).lean();
  return { caseId: rec._id, rec, byId: Object.fromEntries(tasks.map((t) => [t._id.slice(rec._id.length + 1), t])) };
}

test('blue: the enterprise tracks its own warning; a feedback completes its tracking task, recorded as the feedback', async () => {
  await withWorker(async (id) => {
    const h = await raise(id, 'blue');
    await env.sleep(M);
    const before = await tasksOf(id);
    expect(Object.keys(before.byId)).toEqual(['tracking/0']);
    expect(before.byId['tracking/0']).toMatchObject({
      status: 'open',
      form: 'warningFeedback',
      assigneeEnterpriseId: id,
    });

    await h.executeUpdate(warningFeedbackUpdate, { args: [feedback(id)] });
    await env.sleep(M);
    const after = await tasksOf(id);
    expect(after.byId['tracking/0']).toMatchObject({
      status: 'done',
      completedBy: `user-${id}`,
      result: expect.objectContaining({ verification: '已现场核查', measures: '已更换滤袋' }),
    });
    expect(after.rec.timeline.map((e) => e.kind)).toEqual(['opened', 'notified', 'feedback']);
    expect((await h.query(riskWarningStateQuery)).status).toBe('open');
  });
});

test('blue then upgraded to yellow: the feedback answers the enterprise tasks (blue tracking, feedback); the park (yellow tracker) keeps its tracking task', async () => {
  await withWorker(async (id) => {
    const h = await raise(id, 'blue');
    await env.sleep(M);
    await h.executeUpdate(changeLevelUpdate, {
      args: [{ level: 'yellow', reason: '压差持续异常', by: 'regulator-1' }],
    });
    await env.sleep(M);
    const upgraded = await tasksOf(id);
    expect(Object.keys(upgraded.byId).sort()).toEqual(['feedback', 'tracking/0', 'tracking/1']);
    expect(upgraded.byId['tracking/1']).toMatchObject({
      status: 'open',
      form: 'warningTracking',
      assigneeAgencyId: `${tag}-zone-safety`,
    });

    await h.executeUpdate(warningFeedbackUpdate, { args: [feedback(id)] });
    await env.sleep(M);
    const after = await tasksOf(id);
    expect(after.byId['feedback'].status).toBe('done');
    expect(after.byId['tracking/0']).toMatchObject({ status: 'done', completedBy: `user-${id}` });
    expect(after.byId['tracking/1'].status).toBe('open');
  });
});

test('red: the tracking task of the district regulator stays open after the enterprise feedback', async () => {
  await withWorker(async (id) => {
    const h = await raise(id, 'red');
    await env.sleep(M);
    await h.executeUpdate(warningFeedbackUpdate, { args: [feedback(id)] });
    await env.sleep(M);
    const after = await tasksOf(id);
    expect(after.byId['feedback'].status).toBe('done');
    expect(after.byId['tracking/0']).toMatchObject({ status: 'open', form: 'warningTracking' });
  });
});
