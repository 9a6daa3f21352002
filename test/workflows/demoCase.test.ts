/** On Temporal's time-skipping server: a timer of days completes in seconds of wall time. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { OpenCaseInput, UpdateCaseInput } from '../../activities/caseRecords';
import type { SendMailInput } from '../../activities/notifications';
import { demoCase } from '../../workflows/demoCase';
import { createTimeSkippingEnv, workflowsBundle } from '../helpers/timeSkipping';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

function fakeActivities() {
  const mails: { input: SendMailInput; at: number }[] = [];
  const updates: UpdateCaseInput[] = [];
  const opened: OpenCaseInput[] = [];
  return {
    mails,
    updates,
    opened,
    activities: {
      async openCase(i: OpenCaseInput) {
        opened.push(i);
      },
      async updateCase(i: UpdateCaseInput) {
        updates.push(i);
      },
      async sendMail(i: SendMailInput) {
        mails.push({ input: i, at: await env.currentTimeMs() });
        return { deliveryId: i.key, status: 'sent' as const, messageId: 'x' };
      },
    },
  };
}

it('a demo case with a 3-day follow-up sends the follow-up mail 3 days after the first and closes', async () => {
  const fake = fakeActivities();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'demo-ts',
    workflowBundle: await workflowsBundle(),
    activities: fake.activities,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(demoCase, {
      taskQueue: 'demo-ts',
      workflowId: 'demo/three-days',
      args: [{ recipient: 'safety@example.com', message: '演示', followUpAfter: 'P3D', caseUrl: 'http://x' }],
    }),
  );
  expect(result.status).toBe('closed');
  expect(result.steps).toEqual(['opened', 'notified', 'follow_up', 'closed']);
  expect(fake.mails.map((m) => m.input.template)).toEqual(['demo-case-opened', 'demo-case-follow-up']);
  const elapsed = fake.mails[1].at - fake.mails[0].at;
  expect(elapsed).toBeGreaterThanOrEqual(3 * 86_400_000);
  expect(elapsed).toBeLessThan(3 * 86_400_000 + 60_000);
  expect(fake.updates.at(-1)).toMatchObject({ status: 'closed' });
});

it('a demo case without follow-up closes right after notifying', async () => {
  const fake = fakeActivities();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'demo-ts-2',
    workflowBundle: await workflowsBundle(),
    activities: fake.activities,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(demoCase, {
      taskQueue: 'demo-ts-2',
      workflowId: 'demo/no-follow-up',
      args: [{ recipient: 'a@b.cn', message: 'm', caseUrl: 'http://x' }],
    }),
  );
  expect(result.steps).toEqual(['opened', 'notified', 'closed']);
  expect(fake.mails).toHaveLength(1);
});
