/**
 * Seed 002's ladder to the letter (第十九至二十三条) on Temporal's time-skipping server, with a worker
 * running the real activities on the shared MongoDB: notices repeat until the warning is downgraded,
 * the enterprise itself is told at every level, and deliveries never stall a case. Mail goes to a real
 * SMTP server started here (it refuses `refused-*` recipients for good, 550) and robots are real loopback
 * HTTP servers: one answers like a WeCom robot whose key was revoked, one never answers.
 */
import type { WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../../activities';
import { DEFAULT_ESCALATION_POLICY, EscalationPolicy } from '../../domain/escalation';
import { Level } from '../../domain/cases';
import { createMailer } from '../../lib/mailer';
import { Models } from '../../models';
import { feedSignature } from '../../activities/notifications';
import {
  changeLevelUpdate,
  riskWarning,
  riskWarningStateQuery,
  warningFeedbackUpdate,
} from '../../workflows/riskWarning';
import { closeEmergencyUpdate, emergencyReportUpdate, emergencyResponse } from '../../workflows/emergencyResponse';
import { seedEnterprise } from '../helpers/monitoringWorld';
import { openWarningWorld, raiseWarning, runWarningWorker, warningTimeline } from '../helpers/warningWorkflowWorld';
import { until } from '../helpers/until';

const M = 60_000;
const H = 60 * M;

let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
let activities: ReturnType<typeof createActivities>;
const prefix = `seed2-${crypto.randomBytes(3).toString('hex')}`;
const tag = `s${crypto.randomBytes(2).toString('hex')}`;

/** Mail received by the SMTP server of this file: envelope recipients and subject. */
const received: { to: string[]; subject: string }[] = [];
let smtp: SMTPServer;
/** Robots: `revoked` answers WeCom's "invalid webhook url"; `dead` reads the post and never answers. */
const robots = { revoked: { url: '', posts: 0 }, dead: { url: '', posts: 0 } };
const servers: http.Server[] = [];
/**
 * The municipal monitoring system: checks each push's HMAC-SHA256 signature, answers 503 to the first attempt of
 * each case's second event (so it is retried), and keeps what it accepted.
 */
const FEED_SECRET = 'municipal-shared-secret-0001';
const city = {
  url: '',
  events: [] as { caseId: string; event: string; sequence: number; case: Record<string, unknown> }[],
  attempts: new Map<string, number>(),
  badSignatures: 0,
};
let feedActivities: ReturnType<typeof createActivities>;
/** Activities that wait 300 ms (not 5 s) for a robot's answer: the dead robot's ten attempts take seconds. */
let impatient: ReturnType<typeof createActivities>;

async function robot(answer: ((res: http.ServerResponse) => void) | undefined, count: () => void): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count();
      answer?.(res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/webhook/send?key=k-${tag}`;
}

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
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused-'))
        return callback(Object.assign(new Error('5.1.1 mailbox unavailable: no such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((m) => received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: m.subject ?? '' }))
          .then(() => callback(), callback);
      });
    },
  });
  const port = await new Promise<number>((r) =>
    smtp.listen(0, '127.0.0.1', () => r((smtp.server.address() as AddressInfo).port)),
  );
  robots.revoked.url = await robot(
    (res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errcode: 93000, errmsg: 'invalid webhook url, hint: [1700000000_1_abc]' })),
    () => robots.revoked.posts++,
  );
  robots.dead.url = await robot(undefined, () => robots.dead.posts++);
  activities = createActivities({
    models,
    mailer: createMailer(`smtp://127.0.0.1:${port}`),
    mailFrom: 'warnflow-test <test@warnflow.local>',
  });
  const feed = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const ts = String(req.headers['x-warnflow-timestamp'] ?? '');
      if (req.headers['x-warnflow-signature'] !== feedSignature(FEED_SECRET, ts, body)) {
        city.badSignatures++;
        return res.writeHead(401).end('bad signature');
      }
      const id = String(req.headers['x-warnflow-delivery']);
      const attempt = (city.attempts.get(id) ?? 0) + 1;
      city.attempts.set(id, attempt);
      const msg = JSON.parse(body) as (typeof city.events)[number];
      if (msg.sequence === 2 && attempt === 1) return res.writeHead(503).end('busy');
      city.events.push(msg);
      res.writeHead(204).end();
    });
  });
  servers.push(feed);
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  city.url = `http://127.0.0.1:${(feed.address() as AddressInfo).port}/api/warnings/feed`;
  impatient = createActivities({
    models,
    mailer: createMailer(`smtp://127.0.0.1:${port}`),
    mailFrom: 'warnflow-test <test@warnflow.local>',
    webhookTimeoutMs: 300,
  });
  feedActivities = createActivities({
    models,
    mailer: createMailer(`smtp://127.0.0.1:${port}`),
    mailFrom: 'warnflow-test <test@warnflow.local>',
    municipalFeed: { url: city.url, secret: FEED_SECRET },
  });
});
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  if (smtp) await new Promise((r) => smtp.close(() => r(undefined)));
});

const mailTo = (addr: string, subject: RegExp) =>
  received.filter((m) => m.to.includes(addr) && subject.test(m.subject));
/** The warning pushed to `addr` for this enterprise (agencies are shared by the tests of this file). */
const pushedTo = (addr: string, e: { name: string }, levelZh: string) =>
  mailTo(addr, new RegExp(`${levelZh}风险预警 / .*: ${e.name}$`));

const started: WorkflowHandleWithSignaledRunId<typeof riskWarning>[] = [];
let q = 0;
/** Runs `fn` with a worker on a task queue of its own, and terminates what it started. */
async function withWorker(fn: (queue: string) => Promise<void>, acts: object = activities) {
  const taskQueue = `${prefix}-${q++}`;
  await runWarningWorker(env, taskQueue, acts, started, () => fn(taskQueue));
}

let n = 10; // two-digit numbers: seedEnterprise pads the USCC with zeros
async function enterprise(opts: { hq?: boolean } = {}) {
  n++;
  const e = await seedEnterprise(models, tag, n);
  if (opts.hq !== false)
    await models.Enterprise.updateOne(
      { _id: e.enterpriseId },
      { $set: { hqEmail: `hq-${e.enterpriseId}@ent.example` } },
    );
  return { id: e.enterpriseId, email: e.email, name: `测试企业${n}` };
}

const raise = (
  queue: string,
  enterpriseId: string,
  level: Level,
  policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY,
) => raiseWarning(env, queue, started, enterpriseId, level, policy);

const timeline = (enterpriseId: string) => warningTimeline(models, enterpriseId);

const industry = () => `industry-${tag}@gov.example`;
const zone = () => `zone-${tag}@gov.example`;
const emergency = () => `emergency-${tag}@gov.example`;

describe('notices repeat until the warning is downgraded (002 第二十一至二十三条 "在预警降级前")', () => {
  it('a red warning not downgraded keeps pushing its notice to the district industry regulator every 30 min after on-site supervision started at 2 h', async () => {
    const e = await enterprise();
    await withWorker(async (queue) => {
      const h = await raise(queue, e.id, 'red');
      await env.sleep(3 * H + 5 * M);
      expect((await h.query(riskWarningStateQuery)).onSiteCaseIds).toHaveLength(1);
    });
    const { rec, entries } = await timeline(e.id);
    expect(
      entries.filter((x) => x.kind.startsWith('notice_') || x.kind === 'onsite_started').map((x) => [x.kind, x.min]),
    ).toEqual([
      ['notice_issued', 30],
      ['notice_repeated', 60],
      ['notice_repeated', 90],
      ['notice_repeated', 120],
      ['onsite_started', 120],
      ['notice_repeated', 150],
      ['notice_repeated', 180],
    ]);
    expect(entries.filter((x) => x.kind.startsWith('notice_')).every((x) => x.recipients?.includes(industry()))).toBe(
      true,
    );
    expect(mailTo(industry(), new RegExp(`警示通报 .*: ${e.name}$`))).toHaveLength(6);
    expect(await models.OfficialDocument.countDocuments({ caseId: rec._id })).toBe(1);
  });

  it('a ladder whose first notice falls due after its on-site deadline still issues it: on-site supervision at 2 h, notice at 3 h, again at 4 h', async () => {
    const e = await enterprise();
    const late: EscalationPolicy = JSON.parse(JSON.stringify(DEFAULT_ESCALATION_POLICY));
    late.version = 5;
    late.levels.red = { ...late.levels.red, firstNoticeAfter: 'PT3H', repeatEvery: 'PT1H', onSiteAfter: 'PT2H' };
    await withWorker(async (queue) => {
      await raise(queue, e.id, 'red', late);
      await env.sleep(4 * H + 5 * M);
    });
    const { entries } = await timeline(e.id);
    expect(
      entries.filter((x) => x.kind.startsWith('notice_') || x.kind === 'onsite_started').map((x) => [x.kind, x.min]),
    ).toEqual([
      ['onsite_started', 120],
      ['notice_issued', 180],
      ['notice_repeated', 240],
    ]);
  });
});

describe('the enterprise itself is told at every level (002 第十九条)', () => {
  it('a red warning of an enterprise without a headquarters mail reaches its contacts and its users by mail at once, and its users in the app', async () => {
    const e = await enterprise({ hq: false });
    const userEmail = `user-${e.id}@ent.example`;
    await models.User.create({
      _id: `u-${e.id}`,
      displayName: '企业安全员',
      email: userEmail,
      role: 'enterprise',
      enterpriseId: e.id,
      passwordHash: 'x',
      active: true,
      createdAt: new Date(),
    });
    await models.User.create({
      _id: `gone-${e.id}`,
      displayName: '离职人员',
      email: `gone-${e.id}@ent.example`,
      role: 'enterprise',
      enterpriseId: e.id,
      passwordHash: 'x',
      active: false,
      createdAt: new Date(),
    });
    await withWorker(async (queue) => {
      await raise(queue, e.id, 'red');
      await env.sleep(5 * M);
    });
    const { rec, entries } = await timeline(e.id);
    const notified = entries.find((x) => x.kind === 'notified')!;
    expect(notified.min).toBe(0);
    expect(notified.recipients).toEqual(expect.arrayContaining([e.id, e.email, userEmail]));
    expect(notified.recipients).not.toContain(`gone-${e.id}@ent.example`);
    const pushed = pushedTo(e.email, e, '红色');
    expect(pushed).toHaveLength(1);
    expect(pushed[0].to.sort()).toEqual([e.email, userEmail].sort());
    expect(
      await models.Notification.countDocuments({ caseId: rec._id, recipient: `enterprise:${e.id}`, kind: 'notified' }),
    ).toBe(1);
  });

  it('a yellow warning is pushed to the enterprise and to its headquarters, each once', async () => {
    const e = await enterprise();
    await withWorker(async (queue) => {
      await raise(queue, e.id, 'yellow');
      await env.sleep(5 * M);
    });
    expect(pushedTo(e.email, e, '黄色')).toHaveLength(1);
    expect(pushedTo(`hq-${e.id}@ent.example`, e, '黄色')).toHaveLength(1);
    expect(pushedTo(zone(), e, '黄色')).toHaveLength(1);
  });
});

describe('deliveries never stall a case', () => {
  it('a mail refused for good (550) and a revoked robot key hold nothing: the notices fire at 30, 60 and 90 min, each refusal is on the timeline and in the outbox after one attempt', async () => {
    const e = await enterprise();
    // The district industry regulator of this enterprise: its mailbox refuses mail, its robot's key was revoked.
    await models.Agency.updateOne(
      { _id: `${tag}-district-dust` },
      { $set: { emails: [`refused-industry-${tag}@gov.example`], webhookUrl: robots.revoked.url } },
    );
    try {
      await withWorker(async (queue) => {
        await raise(queue, e.id, 'red');
        await env.sleep(95 * M);
      });
    } finally {
      await models.Agency.updateOne(
        { _id: `${tag}-district-dust` },
        { $set: { emails: [industry()] }, $unset: { webhookUrl: 1 } },
      );
    }
    const { rec, entries } = await timeline(e.id);
    expect(
      entries
        .filter((x) => ['notified', 'notice_issued', 'notice_repeated'].includes(x.kind))
        .map((x) => [x.kind, x.min]),
    ).toEqual([
      ['notified', 0],
      ['notice_issued', 30],
      ['notice_repeated', 60],
      ['notice_repeated', 90],
    ]);
    // Everyone else got the push at once.
    for (const addr of [emergency(), zone(), e.email, `hq-${e.id}@ent.example`, `city-${tag}@gov.example`])
      expect([addr, pushedTo(addr, e, '红色')]).toEqual([addr, [expect.anything()]]);
    const failed = entries.filter((x) => x.kind === 'delivery_failed');
    // The push at 0 and each notice: one refused mail and one refused robot post each.
    // They go out in parallel: within a step, in either order.
    expect(failed.map((x) => [x.min, x.detail!.split(':')[0]]).sort()).toEqual(
      [0, 30, 60, 90].flatMap((m) => [
        [m, 'email'],
        [m, 'webhook'],
      ]),
    );
    expect(
      failed
        .filter((x) => x.detail!.startsWith('email'))
        .every((x) => x.recipients?.includes(`refused-industry-${tag}@gov.example`) && x.detail!.includes('550')),
    ).toBe(true);
    expect(failed.filter((x) => x.detail!.startsWith('webhook')).every((x) => x.detail!.includes('93000'))).toBe(true);
    const outbox = await models.Delivery.find({ caseId: rec._id, status: 'failed' }).lean();
    expect(outbox).toHaveLength(8);
    expect(outbox.every((d) => d.permanent === true && d.attempts === 1)).toBe(true);
    expect(
      outbox.filter((d) => d.channel === 'webhook').every((d) => d.to[0] === robots.revoked.url.split('?')[0]),
    ).toBe(true);
  });

  it('the mail activity: a refusal for good throws a non-retryable DeliveryRefused when the case handles it; otherwise (an alarm, a report) it is answered refused: recorded in the outbox, not retried, not failing that case', async () => {
    const mail = (key: string, failWhenRefused?: boolean) =>
      activities.sendMail({
        key,
        caseId: `alarm/x-${tag}`,
        to: [`refused-ent-${tag}@ent.example`],
        template: 'demo-case-opened',
        data: { caseId: 'x', message: 'm', caseUrl: 'u' },
        failWhenRefused,
      });
    await expect(mail(`alarm/x-${tag}/thrown`, true)).rejects.toMatchObject({
      nonRetryable: true,
      type: 'DeliveryRefused',
      message: expect.stringContaining('550 5.1.1'),
    });
    expect(await mail(`alarm/x-${tag}/answered`)).toMatchObject({
      status: 'refused',
      error: expect.stringContaining('550 5.1.1'),
    });
    for (const id of ['thrown', 'answered'])
      expect(await models.Delivery.findById(`alarm/x-${tag}/${id}`).lean()).toMatchObject({
        status: 'failed',
        permanent: true,
        attempts: 1,
      });
  });

  it('a robot that never answers holds neither the other parties of the same step nor the next deadline: the notice fires at 30 min, the post is recorded failed after its 10 attempts', async () => {
    const e = await enterprise();
    await models.Agency.updateOne({ _id: `${tag}-district-emergency` }, { $set: { webhookUrl: robots.dead.url } });
    const before = robots.dead.posts;
    try {
      await withWorker(async (queue) => {
        await raise(queue, e.id, 'red');
        await env.sleep(35 * M);
      }, impatient);
    } finally {
      await models.Agency.updateOne({ _id: `${tag}-district-emergency` }, { $unset: { webhookUrl: 1 } });
    }
    const { rec, entries } = await timeline(e.id);
    expect(entries.filter((x) => ['notified', 'notice_issued'].includes(x.kind)).map((x) => [x.kind, x.min])).toEqual([
      ['notified', 0],
      ['notice_issued', 30],
    ]);
    // The bureau comes first in the red push; the parties after it were told although its robot hangs.
    for (const addr of [emergency(), industry(), zone(), e.email])
      expect([addr, pushedTo(addr, e, '红色')]).toEqual([addr, [expect.anything()]]);
    expect(mailTo(industry(), new RegExp(`警示通报 .*: ${e.name}$`))).toHaveLength(1);
    // Retried (a timeout may be passing), ten times, then recorded; the ladder never waited for it.
    expect(robots.dead.posts - before).toBe(10);
    const post = (await models.Delivery.findOne({ caseId: rec._id, channel: 'webhook' }).lean())!;
    expect(post).toMatchObject({ status: 'failed', attempts: 10 });
    expect(post.permanent).toBeUndefined();
    expect(
      entries.filter((x) => x.kind === 'delivery_failed').map((x) => [x.recipients, x.detail!.split(':')[0]]),
    ).toEqual([[[`${tag}-district-emergency`], 'webhook']]);
  }, 120_000);
});

describe('red: real-time feed to the municipal monitoring system (002 第二十三条 "实时传输至市级监测预警系统")', () => {
  it('a red warning and each change of it are pushed to the municipal system, signed with HMAC-SHA256, retried after a 503, recorded in the outbox; a yellow one is not', async () => {
    const red = await enterprise();
    const yellow = await enterprise();
    await withWorker(async (queue) => {
      const h = await raise(queue, red.id, 'red');
      await raise(queue, yellow.id, 'yellow');
      await env.sleep(35 * M);
      await h.executeUpdate(changeLevelUpdate, {
        args: [{ level: 'orange', reason: '已停产整改', by: 'regulator-1' }],
      });
      await h.executeUpdate(warningFeedbackUpdate, {
        args: [
          {
            verification: '已核查',
            cause: '除尘器压差异常',
            measures: '更换滤袋',
            responsiblePerson: '张三',
            accidentFound: false,
            by: `user-${red.id}`,
          },
        ],
      });
      await h.executeUpdate(changeLevelUpdate, { args: [{ level: 'clear', reason: '整改完成', by: 'regulator-1' }] });
      await h.result();
    }, feedActivities);
    const { rec } = await timeline(red.id);
    const events = city.events.filter((x) => x.caseId === rec._id).sort((a, b) => a.sequence - b.sequence);
    expect(events.map((x) => [x.sequence, x.event, x.case.level, x.case.status])).toEqual([
      [1, 'opened', 'red', 'open'],
      [2, 'notified', 'red', 'open'],
      [3, 'notice_issued', 'red', 'open'],
      [4, 'level_changed', 'orange', 'open'],
      [5, 'feedback', 'orange', 'open'],
      [6, 'cleared', 'orange', 'open'],
      [7, 'closed', 'orange', 'closed'],
    ]);
    expect(events[0].case).toMatchObject({
      caseId: rec._id,
      enterpriseId: red.id,
      enterpriseName: red.name,
      citation: '002 第二十三条（红色预警）',
    });
    expect(events[2].case.noticeNumber).toBe(rec.timeline.find((x) => x.kind === 'notice_issued')!.detail);
    expect(city.badSignatures).toBe(0);
    const outbox = await models.Delivery.find({ caseId: rec._id, channel: 'feed' }).sort({ _id: 1 }).lean();
    expect(outbox.map((d) => [d._id, d.status, d.attempts, d.to[0]])).toEqual(
      events.map((x) => [`${rec._id}/feed/${x.sequence}`, 'sent', x.sequence === 2 ? 2 : 1, city.url]),
    );
    const yellowCase = (await timeline(yellow.id)).rec._id;
    expect(city.events.filter((x) => x.caseId === yellowCase)).toEqual([]);
    expect(await models.Delivery.countDocuments({ caseId: yellowCase, channel: 'feed' })).toBe(0);
  }, 120_000);
});

describe('accident found (002 第十九条): an emergency-response case of its own', () => {
  it('opens the case beside the warning: the district emergency bureau is told at once, the enterprise reports until under control, the bureau ends the response', async () => {
    const e = await enterprise();
    let emergencyId = '';
    await withWorker(async (queue) => {
      const h = await raise(queue, e.id, 'yellow');
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
      // The update marks the emergency; the warning's main loop then opens the case: wait for it, not for time.
      const s = await until(async () => {
        const q = await h.query(riskWarningStateQuery);
        return q.emergencyCaseId ? q : undefined;
      }, 'the emergency-response case');
      expect(s.emergency).toBe(true);
      emergencyId = `${s.caseId}/emergency`;
      expect(s.emergencyCaseId).toBe(emergencyId);
      const em = env.client.workflow.getHandle<typeof emergencyResponse>(emergencyId);
      await expect(
        em.executeUpdate(closeEmergencyUpdate, { args: [{ conclusion: '结束', by: 'bureau-1' }] }),
      ).rejects.toMatchObject({ cause: { message: 'conclusion: the enterprise has not reported its response yet' } });
      await em.executeUpdate(emergencyReportUpdate, {
        args: [{ actions: '疏散人员，切断电源', casualties: '1人轻伤', underControl: false, by: `user-${e.id}` }],
      });
      await env.sleep(30 * M);
      await em.executeUpdate(emergencyReportUpdate, {
        args: [{ actions: '明火已扑灭', underControl: true, by: `user-${e.id}` }],
      });
      await em.executeUpdate(closeEmergencyUpdate, {
        args: [{ conclusion: '险情已排除，转入事故调查', by: 'bureau-1' }],
      });
      expect(await em.result()).toMatchObject({ status: 'closed', reports: 2, underControl: true });
    });
    const { rec: warning, entries } = await timeline(e.id);
    expect(entries.find((x) => x.kind === 'emergency_response')).toMatchObject({
      min: 5,
      detail: emergencyId,
      recipients: [`${tag}-district-emergency`, emergency()],
    });
    const rec = (await models.CaseRecord.findById(emergencyId).lean())!;
    expect(rec).toMatchObject({
      type: 'emergency_response',
      parentCaseId: warning._id,
      enterpriseId: e.id,
      trackingAgencyId: `${tag}-district-emergency`,
      level: 'yellow',
      status: 'closed',
    });
    const t0 = rec.openedAt.getTime();
    expect(rec.timeline.map((x) => [x.kind, Math.round((Date.parse(x.at) - t0) / M)])).toEqual([
      ['opened', 0],
      ['notified', 0],
      ['emergency_reported', 0],
      ['emergency_reported', 30],
      ['emergency_closed', 30],
    ]);
    expect(rec.timeline[1].recipients).toEqual([`${tag}-district-emergency`, emergency()]);
    expect(rec.timeline[2].detail).toBe(
      '措施 actions: 疏散人员，切断电源; 伤亡 casualties: 1人轻伤; 险情未控制 not under control',
    );
    expect(rec.timeline[4]).toMatchObject({ actor: 'bureau-1', detail: '险情已排除，转入事故调查' });
    const tasks = await models.Task.find({ caseId: emergencyId }).sort({ _id: 1 }).lean();
    expect(
      tasks.map((t) => [
        t._id.slice(emergencyId.length + 1),
        t.kind,
        t.form,
        t.assigneeEnterpriseId ?? t.assigneeAgencyId,
        t.status,
      ]),
    ).toEqual([
      ['close', 'emergency_close', 'emergencyClose', `${tag}-district-emergency`, 'done'],
      ['report/1', 'emergency_report', 'emergencyReport', e.id, 'done'],
      ['report/2', 'emergency_report', 'emergencyReport', e.id, 'done'],
    ]);
    expect(mailTo(emergency(), new RegExp(`^【warnflow】应急响应：${e.name} 核查发现事故`))).toHaveLength(1);
    expect(
      await models.Notification.countDocuments({
        caseId: emergencyId,
        recipient: `agency:${tag}-district-emergency`,
        kind: 'emergency_response',
      }),
    ).toBe(1);
  }, 120_000);
});
