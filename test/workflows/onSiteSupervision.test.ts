/** On-site supervision (现场核查督办) on the time-skipping server with the real activities: assign → record → rectification order → re-inspection at the deadline → outcome. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../activities';
import { createMailer } from '../../lib/mailer';
import { readMailbox } from '../../lib/mailbox';
import { connectDatabase, Models } from '../../models';
import {
  OnSiteSupervisionInput,
  assignInspectorsUpdate,
  onSiteSupervision,
  recordOnSiteUpdate,
  reinspectUpdate,
  rectifiedUpdate,
} from '../../workflows/onSiteSupervision';
import { env as envVar } from '../helpers/stack';
import { createTimeSkippingEnv, workflowsBundle } from '../helpers/timeSkipping';
import { until } from '../helpers/until';

const H = 3600_000;
const D = 24 * H;
let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
const tq = `onsite-${crypto.randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  ({ conn, models } = await connectDatabase(envVar('MONGODB_URI'), { dbName: `test_${tq.replace('-', '_')}` }));
  await models.Agency.create({
    _id: 'd-dust',
    name: '区行业监管部门',
    role: 'district_industry_regulator',
    regionId: 'd',
    industries: [],
    emails: [`onsite-${tq}@gov.example`],
  });
  for (const n of [1, 2, 3, 4]) {
    await models.Enterprise.create({
      _id: `ent-${n}`,
      name: `企业${n}`,
      uscc: `9112011600000000${n}X`,
      regionId: 'z',
      regionPath: ['c', 'd', 'z'],
      industry: 'dust_explosion',
      size: 'small',
      inherentRisk: 'red',
      contacts: [{ name: '张', email: `ent${n}-${tq}@ent.example` }],
      createdAt: new Date(),
    });
  }
});
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
});

const input = (n: number): OnSiteSupervisionInput => ({
  parentCaseId: `risk-warning/ent-${n}/20260301T000000Z`,
  enterpriseId: `ent-${n}`,
  enterpriseName: `企业${n}`,
  regionPath: ['c', 'd', 'z'],
  industry: 'dust_explosion',
  level: 'red',
  agencyId: 'd-dust',
  agencyName: '区行业监管部门',
  agencyEmails: [`onsite-${tq}@gov.example`],
  onSiteAfter: 'PT2H',
  citation: '002 第二十三条（红色预警）',
});

async function run(
  n: number,
  fn: (id: string) => Promise<void>,
  wrap: (a: ReturnType<typeof createActivities>) => object = (a) => a,
) {
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: `${tq}-${n}`,
    workflowBundle: await workflowsBundle(),
    activities: wrap(
      createActivities({
        models,
        mailer: createMailer(envVar('SMTP_URL')),
        mailFrom: 'warnflow-test <test@warnflow.local>',
      }),
    ),
  });
  const id = `${input(n).parentCaseId}/onsite/0`;
  await w.runUntil(() => fn(id));
  return (await models.CaseRecord.findById(id).lean())!;
}

describe('on-site supervision', () => {
  it('hazards found → rectification order; not re-inspected by the deadline → reminder to the agency at the deadline; a failed re-inspection closes it failed', async () => {
    const rec = await run(1, async (id) => {
      const h = await env.client.workflow.start(onSiteSupervision, {
        taskQueue: `${tq}-1`,
        workflowId: id,
        args: [input(1)],
      });
      await expect(
        h.executeUpdate(recordOnSiteUpdate, { args: [{ findings: 'x', hazards: [], by: 'i' }] }),
      ).rejects.toMatchObject({ cause: { message: expect.stringContaining('not open') } });
      const start = await env.currentTimeMs();
      await h.executeUpdate(assignInspectorsUpdate, {
        args: [{ inspectors: ['王五', '赵六'], due: new Date(start + D).toISOString(), by: 'd-reg' }],
      });
      await expect(
        h.executeUpdate(recordOnSiteUpdate, {
          args: [{ findings: '除尘器泄爆口堵塞', hazards: ['泄爆口堵塞'], by: 'd-reg' }],
        }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^rectifyBy:/) } });
      await h.executeUpdate(recordOnSiteUpdate, {
        args: [
          {
            findings: '除尘器泄爆口堵塞',
            hazards: ['泄爆口堵塞'],
            rectifyBy: new Date(start + 3 * D).toISOString(),
            by: 'd-reg',
          },
        ],
      });
      await h.executeUpdate(rectifiedUpdate, { args: [{ measures: '已清理泄爆口', by: 'ent-user' }] });
      await env.sleep(3 * D + H);
      await h.executeUpdate(reinspectUpdate, { args: [{ passed: false, note: '仍有积尘', by: 'd-reg' }] });
      const s = await h.result();
      expect(s.outcome).toBe('failed');
    });
    expect(rec.timeline.map((t) => t.kind)).toEqual([
      'opened',
      'document_issued',
      'inspectors_assigned',
      'onsite_recorded',
      'rectification_ordered',
      'document_issued',
      'rectified',
      'reinspection_due',
      'failed',
    ]);
    const docs = await models.OfficialDocument.find({ caseId: rec._id }).sort({ issuedAt: 1 }).lean();
    expect(docs.map((d) => [d.kind, d.toId])).toEqual([
      ['onsite_notice', 'ent-1'],
      ['rectification_order', 'ent-1'],
    ]);
    expect(docs[1].facts.hazards).toContain('泄爆口堵塞');
    const toEnterprise = readMailbox(envVar('WARNFLOW_MAILBOX_DIR')).filter((m) =>
      m.to.includes(`ent1-${tq}@ent.example`),
    );
    expect(
      toEnterprise
        .map((m) => m.attachments.map((a) => a.filename))
        .flat()
        .sort(),
    ).toEqual(docs.map((d) => `${d.title}-${d.number}.pdf`).sort());
    const due = rec.timeline.find((t) => t.kind === 'reinspection_due')!;
    const ordered = rec.timeline.find((t) => t.kind === 'rectification_ordered')!;
    expect(Math.round((Date.parse(due.at) - Date.parse(ordered.at)) / H)).toBe(72);
    expect(rec.status).toBe('closed');
    const tasks = await models.Task.find({ caseId: rec._id }).sort({ createdAt: 1 }).lean();
    expect(tasks.map((t) => [t.kind, t.form, t.status])).toEqual([
      ['onsite_assign', 'onsiteAssign', 'done'],
      ['onsite_record', 'onsiteRecord', 'done'],
      ['rectification', 'rectificationReply', 'done'],
      ['reinspection', 'reinspection', 'done'],
    ]);
    expect(tasks[2].assigneeEnterpriseId).toBe('ent-1');
    expect(
      readMailbox(envVar('WARNFLOW_MAILBOX_DIR')).filter((m) => m.to.includes(`onsite-${tq}@gov.example`)),
    ).toHaveLength(2);
  });

  it('no hazards found: passed at once', async () => {
    const rec = await run(2, async (id) => {
      const h = await env.client.workflow.start(onSiteSupervision, {
        taskQueue: `${tq}-2`,
        workflowId: id,
        args: [input(2)],
      });
      await h.executeUpdate(assignInspectorsUpdate, {
        args: [{ inspectors: ['王五'], due: '2030-01-01T00:00:00Z', by: 'd-reg' }],
      });
      await h.executeUpdate(recordOnSiteUpdate, { args: [{ findings: '现场正常', hazards: [], by: 'd-reg' }] });
      expect((await h.result()).outcome).toBe('passed');
    });
    expect(rec.timeline.map((t) => t.kind)).toEqual([
      'opened',
      'document_issued',
      'inspectors_assigned',
      'onsite_recorded',
      'passed',
    ]);
  });

  it('a failed re-inspection with "open a penalty" starts a penalty case for the tracking agency, linked to this one', async () => {
    const rec = await run(3, async (id) => {
      const h = await env.client.workflow.start(onSiteSupervision, {
        taskQueue: `${tq}-3`,
        workflowId: id,
        args: [input(3)],
      });
      const start = await env.currentTimeMs();
      await h.executeUpdate(assignInspectorsUpdate, {
        args: [{ inspectors: ['王五'], due: new Date(start + D).toISOString(), by: 'd-reg' }],
      });
      await h.executeUpdate(recordOnSiteUpdate, {
        args: [{ findings: '积尘', hazards: ['积尘超标'], rectifyBy: new Date(start + D).toISOString(), by: 'd-reg' }],
      });
      await expect(
        h.executeUpdate(reinspectUpdate, { args: [{ passed: true, openPenalty: true, by: 'd-reg' }] }),
      ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^openPenalty:/) } });
      await h.executeUpdate(reinspectUpdate, {
        args: [{ passed: false, openPenalty: true, note: '未整改', by: 'd-reg' }],
      });
      expect((await h.result()).penaltyCaseId).toBe(`${id}/penalty`);
      await until(() => models.Task.findById(`${id}/penalty/filing`).lean(), 'the penalty filing task');
    });
    expect(rec.timeline.map((t) => t.kind).slice(-2)).toEqual(['failed', 'penalty_opened']);
    const p = (await models.CaseRecord.findById(`${rec._id}/penalty`).lean())!;
    expect(p).toMatchObject({
      type: 'penalty',
      status: 'open',
      parentCaseId: rec._id,
      trackingAgencyId: 'd-dust',
      enterpriseId: 'ent-3',
      level: 'red',
    });
    expect(p.timeline[0].detail).toContain('积尘超标');
  });

  it('a mail refused for good (the agency address, SMTP 550) is recorded on the timeline and the case goes on', async () => {
    const rec = await run(
      4,
      async (id) => {
        const h = await env.client.workflow.start(onSiteSupervision, {
          taskQueue: `${tq}-4`,
          workflowId: id,
          args: [input(4)],
        });
        await h.executeUpdate(assignInspectorsUpdate, {
          args: [{ inspectors: ['王五'], due: '2030-01-01T00:00:00Z', by: 'd-reg' }],
        });
        await h.executeUpdate(recordOnSiteUpdate, { args: [{ findings: '现场正常', hazards: [], by: 'd-reg' }] });
        expect((await h.result()).outcome).toBe('passed');
      },
      (a) => ({
        ...a,
        async sendMail(i: Parameters<typeof a.sendMail>[0]) {
          // What the mail activity throws on a 5xx reply (activities/notifications.ts).
          if (i.to.includes(`onsite-${tq}@gov.example`))
            throw ApplicationFailure.nonRetryable(
              "Can't send mail - all recipients were rejected: 550 5.1.1 no such user",
              'DeliveryRefused',
            );
          return a.sendMail(i);
        },
      }),
    );
    expect(rec.timeline.map((t) => t.kind)).toEqual([
      'opened',
      'delivery_failed',
      'document_issued',
      'inspectors_assigned',
      'onsite_recorded',
      'passed',
    ]);
    expect(rec.timeline[1]).toMatchObject({
      recipients: [`onsite-${tq}@gov.example`],
      detail: "email: Can't send mail - all recipients were rejected: 550 5.1.1 no such user",
    });
  });
});
