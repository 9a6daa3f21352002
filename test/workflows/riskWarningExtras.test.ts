/**
 * Risk-warning extras on Temporal's time-skipping server, with a worker running the real activities
 * on the shared MongoDB and SMTP servers: in-app notifications beside the mail, the agency's chat-robot
 * webhook (a real loopback HTTP server started here plays the robot), and an administrator's policy
 * migration of a running warning.
 */
import type { WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { createActivities } from '../../activities';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy } from '../../domain/escalation';
import { Level } from '../../domain/cases';
import { readMailbox } from '../../lib/mailbox';
import { Models } from '../../models';
import { migratePolicyUpdate, riskWarning, riskWarningStateQuery } from '../../workflows/riskWarning';
import { env as envVar } from '../helpers/stack';
import { seedEnterprise } from '../helpers/monitoringWorld';
import {
  openWarningWorld,
  raiseWarning,
  runWarningWorker,
  warningActivities,
  warningTimeline,
} from '../helpers/warningWorkflowWorld';

const M = 60_000;

let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
let activities: ReturnType<typeof createActivities>;
const prefix = `warnx-${crypto.randomBytes(3).toString('hex')}`;
const tag = `x${crypto.randomBytes(2).toString('hex')}`;
const mailboxDir = () => envVar('WARNFLOW_MAILBOX_DIR');

/** The chat robot: a loopback HTTP server that records each text and answers like WeCom does. */
const robot = { texts: [] as string[], server: undefined as http.Server | undefined, url: '' };

beforeAll(async () => {
  ({ env, conn, models } = await openWarningWorld(prefix, tag));
  robot.server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const msg = JSON.parse(body) as { msgtype: string; text: { content: string } };
      if (msg.msgtype === 'text') robot.texts.push(msg.text.content);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  await new Promise<void>((r) => robot.server!.listen(0, '127.0.0.1', r));
  robot.url = `http://127.0.0.1:${(robot.server.address() as AddressInfo).port}/cgi-bin/webhook/send?key=secret-${tag}`;
  await models.Agency.updateOne({ _id: `${tag}-district-dust` }, { $set: { webhookUrl: robot.url } });
  activities = warningActivities(models);
});
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
  await new Promise((r) => robot.server?.close(r));
});

let n = 10;
let q = 0;
async function enterprise() {
  n++;
  const e = await seedEnterprise(models, tag, n);
  await models.Enterprise.updateOne({ _id: e.enterpriseId }, { $set: { hqEmail: `hq-${e.enterpriseId}@ent.example` } });
  return { id: e.enterpriseId, email: e.email };
}

/** Runs `fn` with a worker on a task queue of its own, and terminates what it started. */
async function withWorker(acts: object, fn: (queue: string) => Promise<void>) {
  const taskQueue = `${prefix}-${q++}`;
  await runWarningWorker(env, taskQueue, acts, started, () => fn(taskQueue));
}

const started: WorkflowHandleWithSignaledRunId<typeof riskWarning>[] = [];
const raise = (
  queue: string,
  enterpriseId: string,
  level: Level,
  policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY,
) => raiseWarning(env, queue, started, enterpriseId, level, policy);

const record = (enterpriseId: string) => warningTimeline(models, enterpriseId);

describe('in-app notifications and the agency webhook beside the mail', () => {
  it('a red warning notifies each party in the app, and the regulator robot gets the warning text once although the post was retried', async () => {
    const e = await enterprise();
    let failedOnce = false;
    // The first post reaches the robot, then the attempt is lost (as if the worker died before reporting it): Temporal retries it.
    const flaky = {
      ...activities,
      async postWebhook(input: Parameters<typeof activities.postWebhook>[0]) {
        const r = await activities.postWebhook(input);
        if (!failedOnce) {
          failedOnce = true;
          throw new Error('worker lost after posting');
        }
        return r;
      },
    };
    await withWorker(flaky, async (queue) => {
      const h = await raise(queue, e.id, 'red');
      await env.sleep(35 * M);
      expect((await h.query(riskWarningStateQuery)).noticesIssued).toBe(1);
    });
    const { rec } = await record(e.id);
    expect(failedOnce).toBe(true);
    // Robot: the warning pushed at 0 and the warning notice at 30 min, each once.
    const mine = robot.texts.filter((t) => t.includes(rec._id));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatch(/^红色风险预警：测试企业/);
    expect(mine[1]).toMatch(/^警示通报 \S+〔\d{4}〕\d+号/);
    expect(mine.join()).not.toContain('secret-');
    const hooks = await models.Delivery.find({ caseId: rec._id, channel: 'webhook' }).lean();
    expect(hooks.map((d) => [d.status, d.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(hooks[0].to).toEqual([robot.url.replace(/\?.*$/, '')]);
    // In the app: each party pushed at once, the regulator's notice, one each.
    const notes = await models.Notification.find({ caseId: rec._id }).lean();
    expect(notes.map((x) => `${x.kind} ${x.recipient}`).sort()).toEqual(
      [
        `notice_issued agency:${tag}-district-dust`,
        `notified agency:${tag}-district-dust`,
        `notified agency:${tag}-district-emergency`,
        `notified agency:${tag}-zone-safety`,
        `notified enterprise:${e.id}`,
      ].sort(),
    );
    expect(notes.every((x) => !x.read)).toBe(true);
    // Mail still goes as before.
    expect(
      readMailbox(mailboxDir()).filter(
        (m) => m.to.includes(`industry-${tag}@gov.example`) && /警示通报/.test(m.subject) && m.text.includes(rec._id),
      ),
    ).toHaveLength(1);
  });
});

describe('policy migration (an administrator moves a running warning to another version)', () => {
  const v2 = (): EscalationPolicy => {
    const p: EscalationPolicy = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY));
    p.version = 2;
    p.levels.red = { ...p.levels.red, repeatEvery: 'PT10M', onSiteAfter: 'PT1H' };
    p.levels.yellow = { ...p.levels.yellow, firstNoticeAfter: 'PT30M' };
    return p;
  };

  it('red migrated at 45 min to a ladder repeating every 10 min with on-site at 1 h: clocks from the level start, no catch-up burst, same notice number', async () => {
    const e = await enterprise();
    await withWorker(activities, async (queue) => {
      const h = await raise(queue, e.id, 'red');
      await env.sleep(45 * M);
      await expect(
        h.executeUpdate(migratePolicyUpdate, {
          args: [{ policy: DEFAULT_ESCALATION_POLICY, reason: 'x', by: 'admin' }],
        }),
      ).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/^version: the warning already runs under policy version 1/) },
      });
      await h.executeUpdate(migratePolicyUpdate, { args: [{ policy: v2(), reason: '区域时限调整', by: 'admin' }] });
      await env.sleep(25 * M);
      const after = await h.query(riskWarningStateQuery);
      expect(after.policyVersion).toBe(2);
      expect(after.onSiteCaseIds).toHaveLength(1);
    });
    const { rec, entries } = await record(e.id);
    expect(rec.policyVersion).toBe(2);
    expect(entries.filter((x) => x.kind !== 'opened').map((x) => [x.kind, x.min])).toEqual([
      ['notified', 0],
      ['notice_issued', 30],
      ['policy_migrated', 45],
      ['notice_repeated', 50],
      // Notices go on until downgraded (002 第二十三条), past the on-site deadline.
      ['notice_repeated', 60],
      ['onsite_started', 60],
      ['notice_repeated', 70],
    ]);
    const migrated = entries.find((x) => x.kind === 'policy_migrated')!;
    expect(migrated).toMatchObject({ actor: 'admin', detail: 'policy v1 → v2: 区域时限调整' });
    const numbers = entries.filter((x) => x.kind.startsWith('notice_')).map((x) => x.detail);
    expect(new Set(numbers).size).toBe(1);
  });

  it('yellow migrated at 40 min to a 30 min first notice: the notice now overdue is issued at once, then hourly from the level start', async () => {
    const e = await enterprise();
    await withWorker(activities, async (queue) => {
      const h = await raise(queue, e.id, 'yellow');
      await env.sleep(40 * M);
      await h.executeUpdate(migratePolicyUpdate, { args: [{ policy: v2(), reason: '演练', by: 'admin' }] });
      await env.sleep(55 * M);
    });
    const { entries } = await record(e.id);
    expect(entries.filter((x) => x.kind !== 'opened').map((x) => [x.kind, x.min])).toEqual([
      ['notified', 0],
      ['policy_migrated', 40],
      ['notice_issued', 40],
      ['notice_repeated', 90],
    ]);
    expect(entries.find((x) => x.kind === 'notice_issued')!.recipients).toContain(e.email);
  });
});
