/**
 * The risk-warning ladder on Temporal's time-skipping server, with a worker running the real
 * activities on the shared MongoDB and SMTP servers from globalSetup: checked from the case timeline
 * and from mail received by the SMTP server.
 */
import type { WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import crypto from 'node:crypto';
import { workflowsBundle } from '../helpers/timeSkipping';
import type { Connection } from 'mongoose';
import { createActivities } from '../../activities';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy } from '../../domain/escalation';
import { caseIds, Level } from '../../domain/cases';
import { readMailbox } from '../../lib/mailbox';
import { Models } from '../../models';
import {
  changeLevelUpdate,
  raiseWarningSignal,
  riskWarning,
  riskWarningStateQuery,
  warningFeedbackUpdate,
} from '../../workflows/riskWarning';
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
const H = 60 * M;

let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
let activities: ReturnType<typeof createActivities>;
const prefix = `warn-${crypto.randomBytes(3).toString('hex')}`;
let taskQueue = prefix;
const tag = `w${crypto.randomBytes(2).toString('hex')}`;
const mailboxDir = () => envVar('WARNFLOW_MAILBOX_DIR');

beforeAll(async () => {
  ({ env, conn, models } = await openWarningWorld(prefix, tag));
  await models.Agency.create({
    _id: `${tag}-city-bureau`,
    name: '市应急管理局',
    role: 'municipal_bureau',
    regionId: `${tag}-city`,
    industries: [],
    emails: [`city-${tag}@gov.example`],
  });
  activities = warningActivities(models);
});

/** A worker with the real activities, on a task queue of its own (a Worker runs once). */
const worker = {
  async runUntil(fn: () => Promise<void>) {
    taskQueue = `${prefix}-${n}`;
    await runWarningWorker(env, taskQueue, activities, started, fn);
  },
};
const started: WorkflowHandleWithSignaledRunId<typeof riskWarning>[] = [];
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
});

let n = 10; // two-digit enterprise numbers: seedEnterprise pads the USCC with zeros, so 1 and 10 would collide
async function enterprise(): Promise<{ id: string; email: string; hq: string }> {
  n++;
  const e = await seedEnterprise(models, tag, n);
  const hq = `hq-${e.enterpriseId}@ent.example`;
  await models.Enterprise.updateOne({ _id: e.enterpriseId }, { $set: { hqEmail: hq } });
  return { id: e.enterpriseId, email: e.email, hq };
}

const zone = () => `zone-${tag}@gov.example`;
const industry = () => `industry-${tag}@gov.example`;
const emergency = () => `emergency-${tag}@gov.example`;
const city = () => `city-${tag}@gov.example`;

const raise = (enterpriseId: string, level: Level, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY) =>
  raiseWarning(env, taskQueue, started, enterpriseId, level, policy);

/** The case record and its timeline in minutes after opening. */
const timeline = (enterpriseId: string) => warningTimeline(models, enterpriseId);

const mailTo = (addr: string, subject: RegExp) =>
  readMailbox(mailboxDir()).filter((m) => m.to.includes(addr) && subject.test(m.subject));

describe('red warning (002 第二十三条)', () => {
  it('pushes everyone at once, sends warning notices to the district industry regulator at 30, 60, 90 and 120 min, and starts on-site supervision at 2 h', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      const h = await raise(e.id, 'red');
      await env.sleep(2 * H + 5 * M);
      const s = await h.query(riskWarningStateQuery);
      expect(s.onSiteCaseIds).toHaveLength(1);
    });
    const { rec, entries } = await timeline(e.id);
    expect(rec).toMatchObject({
      level: 'red',
      status: 'open',
      policyVersion: 1,
      trackingAgencyId: `${tag}-district-dust`,
    });
    expect(entries.filter((x) => x.kind !== 'opened').map((x) => [x.kind, x.min])).toEqual([
      ['notified', 0],
      ['notice_issued', 30],
      ['notice_repeated', 60],
      ['notice_repeated', 90],
      ['notice_repeated', 120],
      ['onsite_started', 120],
    ]);
    expect(entries[1].recipients).toEqual(
      expect.arrayContaining([emergency(), industry(), zone(), e.email, e.hq, city()]),
    );
    // Mail received: everyone pushed, four notices to the regulator with one number, on-site to the tracking agency.
    for (const addr of [emergency(), zone(), e.email, e.hq, city()])
      expect(mailTo(addr, /红色风险预警/)).toHaveLength(1);
    const notices = mailTo(industry(), /警示通报/);
    expect(notices).toHaveLength(4);
    const numbers = new Set(notices.map((m) => /警示通报 (\S+)/.exec(m.subject)![1]));
    expect(numbers.size).toBe(1);
    // Each push links the notice itself (a PDF drawn by its first reader: thousands falling due together are pushed without typesetting in the way).
    const doc = (await models.OfficialDocument.findOne({ caseId: rec._id }).lean())!;
    expect(
      notices.every((m) => m.text.includes(`/documents/${encodeURIComponent(doc._id)}`) && m.attachments.length === 0),
    ).toBe(true);
    expect(doc.file).toBeUndefined();
    expect(mailTo(industry(), /现场核查督办/)).toHaveLength(1);
    expect(await models.OfficialDocument.countDocuments({ caseId: rec._id })).toBe(1);
    expect((await models.Enterprise.findById(e.id).lean())!.currentLevel).toBe('red');
    const onsite = await models.CaseRecord.findOne({ parentCaseId: rec._id }).lean();
    expect(onsite).toMatchObject({ type: 'onsite_supervision', trackingAgencyId: `${tag}-district-dust` });
    expect(
      await models.Task.countDocuments({
        caseId: onsite!._id,
        kind: 'onsite_assign',
        assigneeAgencyId: `${tag}-district-dust`,
        status: 'open',
      }),
    ).toBe(1);
  });
});

describe('yellow and orange warnings (002 第二十一、二十二条)', () => {
  it('yellow: notice to the enterprise at 1 h, hourly pushes (also at 24 h), on-site supervision by the zone safety department at 24 h', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      await raise(e.id, 'yellow');
      await env.sleep(24 * H + 5 * M);
    });
    const { entries } = await timeline(e.id);
    const notices = entries.filter((x) => x.kind.startsWith('notice_'));
    expect(notices.map((x) => x.min)).toEqual(Array.from({ length: 24 }, (_, i) => (i + 1) * 60));
    expect(notices[0].recipients).toContain(e.email);
    expect(entries.find((x) => x.kind === 'onsite_started')!.min).toBe(24 * 60);
    expect(mailTo(e.email, /警示通报/)).toHaveLength(24);
    expect(mailTo(zone(), /现场核查督办/).length).toBeGreaterThanOrEqual(1);
    expect(mailTo(industry(), /黄色风险预警/)).toHaveLength(0);
  });

  it('orange: notice to the district industry regulator at 1 h, on-site supervision at 12 h', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      await raise(e.id, 'orange');
      await env.sleep(12 * H + 5 * M);
    });
    const { entries } = await timeline(e.id);
    const notices = entries.filter((x) => x.kind.startsWith('notice_'));
    expect(notices[0]).toMatchObject({ kind: 'notice_issued', min: 60 });
    expect(notices[0].recipients).toContain(industry());
    expect(notices).toHaveLength(12);
    expect(entries.find((x) => x.kind === 'onsite_started')!.min).toBe(12 * 60);
  });
});

describe('level changes mid-ladder', () => {
  it('a second raise upgrades yellow to red at 40 min: the new parties are told at once and the red clock starts from the upgrade', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      await raise(e.id, 'yellow');
      await env.sleep(40 * M);
      const h = await raise(e.id, 'red');
      await env.sleep(75 * M);
      expect((await h.query(riskWarningStateQuery)).level).toBe('red');
    });
    const { entries } = await timeline(e.id);
    expect(entries.filter((x) => x.kind !== 'opened').map((x) => [x.kind, x.min])).toEqual([
      ['notified', 0],
      ['level_changed', 40],
      ['notified', 40],
      ['notice_issued', 70],
      ['notice_repeated', 100],
    ]);
    expect(entries[3].recipients).toEqual(expect.arrayContaining([emergency(), industry(), city()]));
    expect(entries[3].recipients).not.toContain(zone());
    expect(mailTo(emergency(), /红色风险预警/).length).toBeGreaterThanOrEqual(1);
  });

  it('a downgrade from red to blue at 45 min re-plans: no more notices, no on-site supervision', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      const h = await raise(e.id, 'red');
      await env.sleep(45 * M);
      await h.executeUpdate(changeLevelUpdate, { args: [{ level: 'blue', reason: '隐患已消除', by: 'regulator-1' }] });
      await env.sleep(3 * H);
      expect((await h.query(riskWarningStateQuery)).deadlines).toEqual([]);
    });
    const { entries } = await timeline(e.id);
    expect(entries.filter((x) => x.kind !== 'opened').map((x) => [x.kind, x.min])).toEqual([
      ['notified', 0],
      ['notice_issued', 30],
      ['level_changed', 45],
    ]);
    expect(entries.find((x) => x.kind === 'level_changed')!.actor).toBe('regulator-1');
    expect((await models.Enterprise.findById(e.id).lean())!.currentLevel).toBe('blue');
  });

  it('a level that is neither a level nor clear is refused before it enters history', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      const h = await raise(e.id, 'orange');
      await expect(
        h.executeUpdate(changeLevelUpdate, { args: [{ level: 'purple' as Level, reason: 'x', by: 'u' }] }),
      ).rejects.toThrow();
      await h.executeUpdate(changeLevelUpdate, { args: [{ level: 'clear', reason: '消警', by: 'u' }] });
      await h.result();
    });
    expect((await timeline(e.id)).entries.map((x) => x.kind)).toEqual(['opened', 'notified', 'cleared', 'closed']);
  });
});

describe('feedback, clear and the accident branch', () => {
  it('the enterprise feeds back, then the regulator clears: the warning closes and the enterprise has no current level', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      const h = await raise(e.id, 'orange');
      await env.sleep(10 * M);
      await expect(
        h.executeUpdate(warningFeedbackUpdate, {
          args: [
            { verification: '', cause: 'c', measures: 'm', responsiblePerson: 'p', accidentFound: false, by: 'u' },
          ],
        }),
      ).rejects.toThrow();
      await h.executeUpdate(warningFeedbackUpdate, {
        args: [
          {
            verification: '已核查',
            cause: '除尘器压差异常',
            measures: '更换滤袋',
            responsiblePerson: '张三',
            accidentFound: false,
            by: `user-${e.id}`,
          },
        ],
      });
      await h.executeUpdate(changeLevelUpdate, { args: [{ level: 'clear', reason: '整改完成', by: 'regulator-1' }] });
      const s = await h.result();
      expect(s.status).toBe('closed');
    });
    const { rec, entries } = await timeline(e.id);
    expect(entries.map((x) => x.kind)).toEqual(['opened', 'notified', 'feedback', 'cleared', 'closed']);
    expect(rec.status).toBe('closed');
    expect((await models.Enterprise.findById(e.id).lean())!.currentLevel).toBeUndefined();
    expect(await models.Task.countDocuments({ caseId: rec._id, kind: 'warning_feedback', status: 'done' })).toBe(1);
  });

  it('an accident found while verifying tells the district emergency bureau at once (emergency response)', async () => {
    const e = await enterprise();
    await worker.runUntil(async () => {
      const h = await raise(e.id, 'yellow');
      await env.sleep(5 * M);
      await h.executeUpdate(warningFeedbackUpdate, {
        args: [
          {
            verification: '发现事故',
            cause: '粉尘爆燃',
            measures: '启动应急预案',
            responsiblePerson: '李四',
            accidentFound: true,
            by: `user-${e.id}`,
          },
        ],
      });
      await env.sleep(M);
      expect((await h.query(riskWarningStateQuery)).emergency).toBe(true);
    });
    const { entries } = await timeline(e.id);
    const em = entries.find((x) => x.kind === 'emergency_response')!;
    expect(em.min).toBe(5);
    expect(em.recipients).toContain(emergency());
    expect(
      mailTo(emergency(), /应急响应/).filter((m) => m.text.includes(e.id) || m.subject.includes('测试企业')),
    ).not.toHaveLength(0);
  });
});

describe('policy versions', () => {
  it('a warning runs under the policy it was opened with; a scaled policy (seconds) gives its own clock and is recorded', async () => {
    const e = await enterprise();
    const scaled: EscalationPolicy = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY));
    scaled.version = 7;
    scaled.levels.red = { ...scaled.levels.red, firstNoticeAfter: 'PT10S', repeatEvery: 'PT10S', onSiteAfter: 'PT40S' };
    await worker.runUntil(async () => {
      await raise(e.id, 'red', scaled);
      await env.sleep(45_000);
    });
    const { rec } = await timeline(e.id);
    expect(rec.policyVersion).toBe(7);
    const t0 = rec.openedAt.getTime();
    const steps = rec.timeline
      .filter((x) => x.kind !== 'opened' && x.kind !== 'notified')
      .map((x) => ({ kind: x.kind, s: (Date.parse(x.at) - t0) / 1000 }));
    expect(steps.map((x) => x.kind)).toEqual([
      'notice_issued',
      'notice_repeated',
      'notice_repeated',
      'notice_repeated',
      'onsite_started',
    ]);
    // Each entry is written once its activities finished: at its due second, or up to two seconds later on a loaded machine.
    const due = [10, 20, 30, 40, 40];
    steps.forEach((x, i) => expect([x.kind, x.s >= due[i] - 0.5 && x.s < due[i] + 2]).toEqual([x.kind, true]));
  });
});

describe('a worker stopped mid-ladder', () => {
  it('a new worker replays the red warning and carries on: notices at 30, 60, 90 min, each sent once, one notice number', async () => {
    const e = await enterprise();
    const queue = `${prefix}-restart`;
    // No sticky cache: the server would otherwise hold the next workflow task for the stopped worker's sticky queue.
    const make = async () =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue: queue,
        workflowBundle: await workflowsBundle(),
        activities,
        maxCachedWorkflows: 0,
      });
    const h = await env.client.workflow.signalWithStart(riskWarning, {
      taskQueue: queue,
      workflowId: caseIds.riskWarning(e.id),
      args: [{ enterpriseId: e.id, policy: DEFAULT_ESCALATION_POLICY }],
      signal: raiseWarningSignal,
      signalArgs: [{ level: 'red', reason: '风险指数跃升', by: 'risk-model' }],
    });
    await (await make()).runUntil(env.sleep(45 * M));
    // The first worker is gone; its cache with it. The second one starts from the history.
    await (
      await make()
    ).runUntil(async () => {
      await env.sleep(60 * M);
      expect((await h.query(riskWarningStateQuery)).noticesIssued).toBe(1);
      await h.terminate('test over');
    });
    const { rec, entries } = await timeline(e.id);
    expect(entries.filter((x) => x.kind.startsWith('notice_')).map((x) => [x.kind, x.min])).toEqual([
      ['notice_issued', 30],
      ['notice_repeated', 60],
      ['notice_repeated', 90],
    ]);
    expect(await models.Delivery.countDocuments({ caseId: rec._id, template: 'warning-notice' })).toBe(3);
    expect(mailTo(industry(), /警示通报/).filter((m) => m.text.includes(rec._id))).toHaveLength(3);
    expect(await models.OfficialDocument.countDocuments({ caseId: rec._id })).toBe(1);
  });
});
