/**
 * Interview (约谈) and Penalty (行政处罚) on the time-skipping server with the real activities on the
 * shared MongoDB and SMTP catcher: documents issued as numbered PDFs and mailed to the enterprise,
 * the clocks of the enforcement policy, each step a task, wrong-step answers refused.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { createActivities } from '../../activities';
import { DEFAULT_ENFORCEMENT_POLICY } from '../../domain/enforcement';
import { createMailer } from '../../lib/mailer';
import { readMailbox } from '../../lib/mailbox';
import { connectDatabase, Models } from '../../models';
import {
  interview,
  recordInterviewMinutesUpdate,
  reportCommitmentsUpdate,
  scheduleInterviewUpdate,
  verifyCommitmentsUpdate,
} from '../../workflows/interview';
import {
  decidePenaltyUpdate,
  filePenaltyUpdate,
  penalty,
  recordExecutionUpdate,
  recordHearingUpdate,
  recordInvestigationUpdate,
  recordServiceUpdate,
  submitStatementUpdate,
} from '../../workflows/penalty';
import { env as envVar } from '../helpers/stack';
import { createTimeSkippingEnv, workflowsBundle } from '../helpers/timeSkipping';
import { until } from '../helpers/until';

const H = 3600_000;
const D = 24 * H;
let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
const tag = crypto.randomBytes(3).toString('hex');
const tq = `enforcement-${tag}`;
const entMail = `safety-${tag}@ent.example`;
const govMail = `dust-${tag}@gov.example`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  ({ conn, models } = await connectDatabase(envVar('MONGODB_URI'), { dbName: `test_enf_${tag}` }));
  await models.Agency.create({
    _id: 'd-dust',
    name: '滨海新区工贸行业监管科',
    role: 'district_industry_regulator',
    regionId: 'd',
    industries: [],
    emails: [govMail],
  });
  for (const n of [1, 2, 3, 4]) {
    await models.Enterprise.create({
      _id: `ent-${n}`,
      name: `天津示范${n}号粉尘企业有限公司`,
      uscc: `91120116MA05TES${n}${tag.slice(0, 2)}X`.slice(0, 18),
      regionId: 'd',
      regionPath: ['c', 'd'],
      industry: 'dust_explosion',
      size: 'small',
      inherentRisk: 'yellow',
      contacts: [{ name: '张安全', email: entMail }],
      createdAt: new Date(),
    });
  }
});
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
});

let runs = 0;
async function run<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `${tq}-${++runs}`;
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowsBundle(),
    activities: createActivities({
      models,
      mailer: createMailer(envVar('SMTP_URL')),
      mailFrom: 'warnflow-test <test@warnflow.local>',
    }),
  });
  return w.runUntil(() => fn(taskQueue));
}
const record = async (id: string) => (await models.CaseRecord.findById(id).lean())!;
const kinds = async (id: string) => (await record(id)).timeline.map((t) => t.kind);
const mails = (subject: RegExp, caseId: string) =>
  readMailbox(envVar('WARNFLOW_MAILBOX_DIR')).filter((m) => subject.test(m.subject) && m.text.includes(caseId));
const task = (id: string) => models.Task.findById(id).lean();
/** The task once the workflow has written it, and its due date in hours from `start`. */
const taskDue = async (id: string, start: number) => {
  const t = await until(() => task(id), `task ${id}`);
  return { ...t, dueInHours: t.due ? Math.round((t.due.getTime() - start) / H) : undefined };
};

describe('interview (约谈)', () => {
  it('scheduled → notice with its PDF to the enterprise → minutes at the interview time → reminded a day before the commitments fall due, overdue at the deadline → not fulfilled', async () => {
    const id = `offline/DEV-1/20261101T000000Z/district_interview/d-dust-${tag}`;
    await run(async (taskQueue) => {
      const h = await env.client.workflow.start(interview, {
        taskQueue,
        workflowId: id,
        args: [
          {
            enterpriseId: 'ent-1',
            agencyId: 'd-dust',
            reason: '设备 DEV-1 离线超过2天',
            parentCaseId: 'offline/DEV-1/20261101T000000Z',
          },
        ],
      });
      const start = await env.currentTimeMs();
      await expect(
        h.executeUpdate(recordInterviewMinutesUpdate, {
          args: [{ minutes: 'x', commitments: 'y', commitmentsDue: new Date(start).toISOString(), by: 'reg' }],
        }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^minutes: this step is not open/) } });
      await expect(
        h.executeUpdate(scheduleInterviewUpdate, {
          args: [{ scheduledAt: 'tomorrow', place: '区应急局', attendees: ['李局长'], by: 'reg' }],
        }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^scheduledAt:/) } });
      expect(await taskDue(`${id}/schedule`, start)).toMatchObject({
        status: 'open',
        assigneeAgencyId: 'd-dust',
        form: 'interviewSchedule',
        dueInHours: 72,
      });
      await h.executeUpdate(scheduleInterviewUpdate, {
        args: [
          {
            scheduledAt: new Date(start + 2 * D).toISOString(),
            place: '区应急局三楼会议室',
            attendees: ['李局长', '企业主要负责人'],
            by: 'reg',
          },
        ],
      });
      await env.sleep(2 * D + H);
      expect(await taskDue(`${id}/minutes`, start)).toMatchObject({
        status: 'open',
        form: 'interviewRecord',
        dueInHours: 72,
      });
      await h.executeUpdate(recordInterviewMinutesUpdate, {
        args: [
          {
            minutes: '企业说明离线原因为网络故障',
            commitments: '三日内更换4G模块',
            commitmentsDue: new Date(start + 9 * D).toISOString(),
            by: 'reg',
          },
        ],
      });
      expect(await taskDue(`${id}/commitments`, start)).toMatchObject({
        status: 'open',
        assigneeEnterpriseId: 'ent-1',
        form: 'interviewCommitments',
        dueInHours: 9 * 24,
      });
      await env.sleep(5 * D);
      expect(await kinds(id)).not.toContain('commitments_reminded');
      await env.sleep(D + H);
      expect(await kinds(id)).toContain('commitments_reminded');
      expect(await kinds(id)).not.toContain('commitments_overdue');
      await env.sleep(D);
      await h.executeUpdate(verifyCommitmentsUpdate, { args: [{ fulfilled: false, note: '未更换', by: 'reg' }] });
      expect((await h.result()).outcome).toBe('not_fulfilled');
    });
    const rec = await record(id);
    expect(rec.timeline.map((t) => t.kind)).toEqual([
      'opened',
      'interview_scheduled',
      'document_issued',
      'minutes_recorded',
      'commitments_reminded',
      'commitments_overdue',
      'commitments_not_fulfilled',
    ]);
    expect(rec).toMatchObject({
      type: 'interview',
      status: 'closed',
      parentCaseId: 'offline/DEV-1/20261101T000000Z',
      trackingAgencyId: 'd-dust',
      policyVersion: 1,
    });
    const reminded = rec.timeline.find((t) => t.kind === 'commitments_reminded')!;
    const overdue = rec.timeline.find((t) => t.kind === 'commitments_overdue')!;
    expect(Math.round((Date.parse(overdue.at) - Date.parse(reminded.at)) / H)).toBe(24);
    const doc = (await models.OfficialDocument.findOne({ caseId: id }).lean())!;
    expect(doc).toMatchObject({ kind: 'interview_notice', title: '约谈通知书', toId: 'ent-1' });
    expect(doc.number).toMatch(/^d-dust约〔\d{4}〕\d+号$/);
    expect(fs.existsSync(path.join(envVar('WARNFLOW_DATA_DIR'), 'documents', doc.file!))).toBe(true);
    const [notice] = mails(/约谈通知书/, id);
    expect(notice.to).toEqual([entMail]);
    expect(notice.attachments).toEqual([
      expect.objectContaining({ filename: `约谈通知书-${doc.number}.pdf`, contentType: 'application/pdf' }),
    ]);
    expect(mails(/承诺即将到期/, id)).toHaveLength(1);
    expect((await task(`${id}/commitments`))!.status).toBe('cancelled');
  });

  it('commitments reported before the reminder: no reminder, verified fulfilled', async () => {
    const id = `interview/ent-2/${tag}`;
    await run(async (taskQueue) => {
      const h = await env.client.workflow.start(interview, {
        taskQueue,
        workflowId: id,
        args: [
          {
            enterpriseId: 'ent-2',
            agencyId: 'd-dust',
            reason: '月报：离线超过5天',
            includeRegion: true,
            policy: DEFAULT_ENFORCEMENT_POLICY,
          },
        ],
      });
      const start = await env.currentTimeMs();
      await h.executeUpdate(scheduleInterviewUpdate, {
        args: [
          { scheduledAt: new Date(start + D).toISOString(), place: '区政府', attendees: ['属地负责人'], by: 'reg' },
        ],
      });
      // Held early: the minutes may be recorded before the scheduled time.
      await h.executeUpdate(recordInterviewMinutesUpdate, {
        args: [
          {
            minutes: '已约谈',
            commitments: '恢复联网',
            commitmentsDue: new Date(start + 10 * D).toISOString(),
            by: 'reg',
          },
        ],
      });
      await h.executeUpdate(reportCommitmentsUpdate, { args: [{ measures: '已恢复联网', by: 'ent-user' }] });
      await expect(
        h.executeUpdate(reportCommitmentsUpdate, { args: [{ measures: 'again', by: 'ent-user' }] }),
      ).rejects.toBeTruthy();
      await h.executeUpdate(verifyCommitmentsUpdate, { args: [{ fulfilled: true, by: 'reg' }] });
      expect((await h.result()).outcome).toBe('fulfilled');
    });
    expect(await kinds(id)).toEqual([
      'opened',
      'interview_scheduled',
      'document_issued',
      'minutes_recorded',
      'commitments_reported',
      'commitments_fulfilled',
    ]);
    expect(mails(/承诺即将到期/, id)).toHaveLength(0);
    expect(await task(`${id}/minutes`)).toBeNull();
  });
});

describe('penalty (行政处罚)', () => {
  it('filed → investigated → advance notice with its PDF → hearing asked → hearing → decision with its PDF → served → executed', async () => {
    const id = `risk-warning/ent-3/20261101T000000Z/onsite/0/penalty-${tag}`;
    await run(async (taskQueue) => {
      const h = await env.client.workflow.start(penalty, {
        taskQueue,
        workflowId: id,
        args: [
          { enterpriseId: 'ent-3', agencyId: 'd-dust', violation: '事故隐患逾期未整改：泄爆口堵塞', level: 'red' },
        ],
      });
      const start = await env.currentTimeMs();
      expect(await taskDue(`${id}/filing`, start)).toMatchObject({ form: 'penaltyFiling', dueInHours: 7 * 24 });
      await expect(
        h.executeUpdate(submitStatementUpdate, { args: [{ statement: 'x', hearingRequested: false, by: 'ent' }] }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^statement: this step is not open/) } });
      await h.executeUpdate(filePenaltyUpdate, { args: [{ summary: '复查不合格，予以立案', by: 'reg' }] });
      await expect(
        h.executeUpdate(recordInvestigationUpdate, { args: [{ evidence: [], proposedPenalty: '罚款', by: 'reg' }] }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^evidence:/) } });
      await h.executeUpdate(recordInvestigationUpdate, {
        args: [{ evidence: ['现场检查笔录', '复查照片'], proposedPenalty: '罚款人民币二万元', by: 'reg' }],
      });
      expect(await taskDue(`${id}/statement`, start)).toMatchObject({
        status: 'open',
        assigneeEnterpriseId: 'ent-3',
        form: 'penaltyStatement',
        dueInHours: 5 * 24,
      });
      await env.sleep(D);
      await h.executeUpdate(submitStatementUpdate, {
        args: [{ statement: '已整改完毕', hearingRequested: true, by: 'ent-user' }],
      });
      await h.executeUpdate(recordHearingUpdate, { args: [{ record: '听证会认定事实清楚', by: 'reg' }] });
      await h.executeUpdate(decidePenaltyUpdate, {
        args: [{ penalize: true, decision: '罚款人民币二万元', fineYuan: 20000, by: 'reg' }],
      });
      await h.executeUpdate(recordServiceUpdate, {
        args: [{ servedAt: new Date(start + 2 * D).toISOString(), method: '直接送达', by: 'reg' }],
      });
      await h.executeUpdate(recordExecutionUpdate, { args: [{ executed: true, note: '罚款已缴纳', by: 'reg' }] });
      expect((await h.result()).outcome).toBe('executed');
    });
    expect(await kinds(id)).toEqual([
      'opened',
      'penalty_filed',
      'investigated',
      'document_issued',
      'statement_received',
      'hearing_held',
      'document_issued',
      'penalty_decided',
      'decision_served',
      'penalty_executed',
    ]);
    const docs = await models.OfficialDocument.find({ caseId: id }).sort({ issuedAt: 1 }).lean();
    expect(docs.map((d) => d.kind)).toEqual(['penalty_advance_notice', 'penalty_decision']);
    expect(docs[0].number).toMatch(/^d-dust罚告〔\d{4}〕\d+号$/);
    expect(docs[1].number).toMatch(/^d-dust罚决〔\d{4}〕\d+号$/);
    expect(docs[1].facts).toMatchObject({ statement: '已整改完毕', fine: '20000' });
    expect(mails(/行政处罚告知书/, id)[0].attachments).toHaveLength(1);
    expect(mails(/行政处罚决定书/, id)[0].attachments).toHaveLength(1);
    const tasks = await models.Task.find({ caseId: id }).sort({ createdAt: 1 }).lean();
    expect(tasks.map((t) => [t.form, t.status])).toEqual([
      ['penaltyFiling', 'done'],
      ['penaltyInvestigation', 'done'],
      ['penaltyStatement', 'done'],
      ['penaltyHearing', 'done'],
      ['penaltyDecision', 'done'],
      ['penaltyService', 'done'],
      ['penaltyExecution', 'done'],
    ]);
  });

  it('no statement within the five-day window: it closes at the window end; 不予处罚 closes without a decision document', async () => {
    const id = `penalty/ent-4/${tag}`;
    await run(async (taskQueue) => {
      const h = await env.client.workflow.start(penalty, {
        taskQueue,
        workflowId: id,
        args: [{ enterpriseId: 'ent-4', agencyId: 'd-dust', violation: '未对安全设备进行经常性维护' }],
      });
      await h.executeUpdate(filePenaltyUpdate, { args: [{ summary: '立案', by: 'reg' }] });
      await h.executeUpdate(recordInvestigationUpdate, {
        args: [{ evidence: ['设备维护记录缺失'], proposedPenalty: '罚款人民币一万元', by: 'reg' }],
      });
      await env.sleep(5 * D + H);
      await h.executeUpdate(decidePenaltyUpdate, {
        args: [{ penalize: false, decision: '违法行为轻微并及时改正，不予行政处罚', by: 'reg' }],
      });
      expect((await h.result()).outcome).toBe('not_penalized');
    });
    const rec = await record(id);
    expect(rec.timeline.map((t) => t.kind)).toEqual([
      'opened',
      'penalty_filed',
      'investigated',
      'document_issued',
      'statement_window_closed',
      'not_penalized',
    ]);
    const issued = rec.timeline.find((t) => t.kind === 'document_issued')!;
    const closed = rec.timeline.find((t) => t.kind === 'statement_window_closed')!;
    expect(Math.round((Date.parse(closed.at) - Date.parse(issued.at)) / H)).toBe(5 * 24);
    expect(await models.OfficialDocument.countDocuments({ caseId: id })).toBe(1);
    expect((await task(`${id}/statement`))!.status).toBe('cancelled');
  });
});
