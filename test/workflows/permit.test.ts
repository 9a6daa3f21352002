/**
 * Special-work permits (特殊作业票, GB 30871-2022) on the time-skipping server with the real activities:
 * sign-offs in order → issued with a number and PDF → work under the clocks (gas analysis, guardian
 * check-ins, interruptions, re-analysis, extension) → acceptance, or expiry and conduct alarms.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import crypto from 'node:crypto';
import type { Connection } from 'mongoose';
import { createActivities } from '../../activities';
import { createMailer } from '../../lib/mailer';
import { readMailbox } from '../../lib/mailbox';
import { connectDatabase, Models } from '../../models';
import { DEFAULT_PERMIT_POLICY, type PermitApplication, type SignOffRole } from '../../domain/permits';
import { beijingYear } from '../../domain/time';
import {
  acceptPermitUpdate,
  cancelPermitUpdate,
  decideExtensionUpdate,
  explainConductAlarmUpdate,
  finishWorkUpdate,
  guardianCheckInUpdate,
  permit,
  permitConductAlarm,
  permitStateQuery,
  recordGasAnalysisUpdate,
  requestExtensionUpdate,
  resumeWorkUpdate,
  signOffPermitUpdate,
  startWorkUpdate,
  suspendWorkUpdate,
} from '../../workflows/permit';
import { permitApplication } from '../helpers/permitWorld';
import { createTimeSkippingEnv, workflowsBundle } from '../helpers/timeSkipping';
import { until } from '../helpers/until';

/** A service address globalSetup put in the environment (not test/helpers/stack.ts: this file needs no web app). */
function envVar(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (globalSetup starts the services)`);
  return v;
}

const MIN = 60_000;
const H = 60 * MIN;
let env: TestWorkflowEnvironment;
let conn: Connection;
let models: Models;
/** The workflows bundled once for the file: each test's worker bundling them again took 5-20 s under load. */
let workflowBundle: WorkflowBundleWithSourceMap;
const tq = `permit-${crypto.randomBytes(3).toString('hex')}`;
const zoneMail = `zone-${tq}@gov.example`;
const entMail = (n: number) => `ent${n}-${tq}@ent.example`;
const ENTERPRISES = 12;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  workflowBundle = await workflowsBundle();
  ({ conn, models } = await connectDatabase(envVar('MONGODB_URI'), { dbName: `test_${tq.replace('-', '_')}` }));
  await models.Agency.create({
    _id: 'z-safety',
    name: '功能区安全管理部门',
    role: 'zone_safety_dept',
    regionId: 'z',
    industries: [],
    emails: [zoneMail],
  });
  for (let n = 1; n <= ENTERPRISES; n++) {
    await models.Enterprise.create({
      _id: `ent-${n}`,
      name: `化工企业${n}`,
      uscc: `9112011600000001${String(n).padStart(2, '0')}`,
      regionId: 'z',
      regionPath: ['c', 'd', 'z'],
      industry: 'hazardous_chemicals',
      size: 'medium',
      inherentRisk: 'orange',
      contacts: [{ name: '张', email: entMail(n) }],
      createdAt: new Date(),
    });
  }
});
afterAll(async () => {
  await env?.teardown();
  await conn?.close();
});

type Handle = WorkflowHandle<typeof permit>;

/** Runs `fn` with a worker on its own task queue; returns the permit's case record, projection and tasks. */
async function run(
  n: number,
  over: Partial<PermitApplication>,
  fn: (h: Handle, startMs: number, app: PermitApplication) => Promise<void>,
) {
  const queue = `${tq}-${n}`;
  const w = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: queue,
    workflowBundle,
    activities: createActivities({
      models,
      mailer: createMailer(envVar('SMTP_URL')),
      mailFrom: 'warnflow-test <test@warnflow.local>',
    }),
  });
  const permitId = `p-${n}`;
  await w.runUntil(async () => {
    const startMs = await env.currentTimeMs();
    const app = permitApplication(
      { enterpriseId: `ent-${n}`, gasAnalyses: [analysis(startMs - 5 * MIN)], ...over },
      startMs,
    );
    const h = await env.client.workflow.start(permit, {
      taskQueue: queue,
      workflowId: `permit/${permitId}`,
      args: [{ permitId, application: app, policy: DEFAULT_PERMIT_POLICY }],
    });
    await fn(h, startMs, app);
  });
  const caseId = `permit/${permitId}`;
  return {
    rec: (await models.CaseRecord.findById(caseId).lean())!,
    doc: (await models.Permit.findById(permitId).lean())!,
    tasks: await models.Task.find({ caseId }).sort({ createdAt: 1 }).lean(),
  };
}

function analysis(atMs: number, qualified = true) {
  return {
    at: new Date(atMs).toISOString(),
    place: '动火点 T-101 旁 1m',
    analyst: '化验员孙',
    readings: [
      { substance: '可燃气体', value: 0.1, unit: '%LEL' },
      { substance: '氧气', value: 20.8, unit: '%' },
    ],
    qualified,
  };
}

async function signAll(h: Handle, roles: SignOffRole[]) {
  for (const role of roles)
    await h.executeUpdate(signOffPermitUpdate, { args: [{ role, by: `u-${role}`, approve: true }] });
}

const kinds = (rec: { timeline: { kind: string }[] }) => rec.timeline.map((t) => t.kind);
const refused = (message: string | RegExp) => ({
  cause: { message: typeof message === 'string' ? message : expect.stringMatching(message) },
});

describe('permit happy paths', () => {
  it('level-2 hot work: work leader, unit and shift leader sign in order → issued with a number and PDF → started, guardian checks in, finished, accepted → closed', async () => {
    const { rec, doc, tasks } = await run(1, { level: 'level2' }, async (h, start) => {
      await signAll(h, ['work_leader', 'unit', 'shift_leader']);
      const s = await h.query(permitStateQuery);
      expect(s.status).toBe('issued');
      expect(s.number).toBe(`ent-1作业票〔${beijingYear(new Date(start).toISOString())}〕1号`);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await env.sleep(50 * MIN);
      await h.executeUpdate(guardianCheckInUpdate, { args: [{ by: 'u-guard' }] });
      await env.sleep(30 * MIN);
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await until(() => models.Task.findOne({ _id: 'permit/p-1/acceptance' }).lean(), 'the acceptance task');
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit', note: '现场已清理' }] });
      expect((await h.result()).status).toBe('closed');
    });
    expect(kinds(rec)).toEqual([
      'permit_applied',
      'signed_off',
      'signed_off',
      'signed_off',
      'permit_issued',
      'work_started',
      'guardian_checked_in',
      'work_finished',
      'accepted',
    ]);
    expect(rec).toMatchObject({
      type: 'work_permit',
      status: 'closed',
      enterpriseId: 'ent-1',
      regionPath: ['c', 'd', 'z'],
    });
    expect(doc).toMatchObject({
      status: 'closed',
      type: 'hot_work',
      level: 'level2',
      managedLevel: 'level2',
      number: expect.stringMatching(/^ent-1作业票〔\d{4}〕1号$/),
    });
    expect(doc.signOffs.map((s) => [s.role, s.by])).toEqual([
      ['work_leader', 'u-work_leader'],
      ['unit', 'u-unit'],
      ['shift_leader', 'u-shift_leader'],
    ]);
    expect(tasks.map((t) => [t.kind, t.form, t.assigneeUserId, t.status])).toEqual([
      ['permit_sign_off', 'permitSignOff', 'u-work_leader', 'done'],
      ['permit_sign_off', 'permitSignOff', 'u-unit', 'done'],
      ['permit_sign_off', 'permitSignOff', 'u-shift_leader', 'done'],
      ['permit_acceptance', 'permitAcceptance', 'u-unit', 'done'],
    ]);
    const pdf = (await models.OfficialDocument.findById('permit/p-1/permit').lean())!;
    expect(pdf).toMatchObject({ kind: 'work_permit', number: doc.number, toId: 'ent-1' });
    expect(pdf.facts.validityCitation).toBe('GB 30871-2022 第5章 动火作业（安全作业票有效期）');
    expect(pdf.file).toBeTruthy();
    // Level-2 hot work is not pushed to the zone safety department.
    expect(
      readMailbox(envVar('WARNFLOW_MAILBOX_DIR')).filter(
        (m) => m.to.includes(zoneMail) && m.subject.includes(doc.number!),
      ),
    ).toHaveLength(0);
  });

  it('level-1 hot work is signed by the safety department too; at night it is managed as special: the executive signs and the zone safety department is told', async () => {
    const { rec, doc } = await run(2, { level: 'level1', upgradeReasons: ['night'] }, async (h) => {
      await expect(
        h.executeUpdate(signOffPermitUpdate, { args: [{ role: 'work_leader', by: 'u-work_leader', approve: true }] }),
      ).resolves.toMatchObject({ nextSigner: 'unit' });
      await signAll(h, ['unit', 'safety_dept', 'executive', 'shift_leader']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-executive' }] });
      await h.result();
    });
    expect(doc).toMatchObject({ level: 'level1', managedLevel: 'special', status: 'closed' });
    expect(rec.timeline[0].detail).toContain('由一级升级：夜间');
    expect(kinds(rec)).toEqual([
      'permit_applied',
      'signed_off',
      'signed_off',
      'signed_off',
      'signed_off',
      'signed_off',
      'permit_issued',
      'notified',
      'work_started',
      'work_finished',
      'accepted',
    ]);
    expect(rec.timeline[7]).toMatchObject({
      detail: '功能区安全管理部门（zone_safety_dept）',
      recipients: ['z-safety', zoneMail],
    });
    const toZone = readMailbox(envVar('WARNFLOW_MAILBOX_DIR')).filter(
      (m) => m.to.includes(zoneMail) && m.subject.includes(doc.number!),
    );
    expect(toZone).toHaveLength(1);
    expect(toZone[0].subject).toBe(
      `【warnflow】特殊作业票已签发 ${doc.number} / Special-work permit issued ${doc.number}: 化工企业2`,
    );
    expect(await models.Notification.countDocuments({ caseId: rec._id })).toBe(1);
  });

  it('level-1 hot work without upgrade: work leader, unit, safety department, shift leader', async () => {
    const { doc } = await run(3, { level: 'level1' }, async (h) => {
      await signAll(h, ['work_leader', 'unit', 'safety_dept', 'shift_leader']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-safety_dept' }] });
      await h.result();
    });
    expect(doc.signOffs.map((s) => s.role)).toEqual(['work_leader', 'unit', 'safety_dept', 'shift_leader']);
    expect(doc.managedLevel).toBe('level1');
  });

  it('confined space: two signers; the gas re-analysed within 2 h keeps the work going; the zone safety department is told at issue', async () => {
    const { rec, doc } = await run(
      4,
      { type: 'confined_space', level: 'single', place: '反应釜 R-201 内部' },
      async (h, start) => {
        await signAll(h, ['work_leader', 'unit']);
        await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
        for (let i = 0; i < 2; i++) {
          await env.sleep(50 * MIN);
          await h.executeUpdate(guardianCheckInUpdate, { args: [{ by: 'u-guard' }] });
        }
        const t = await env.currentTimeMs();
        await h.executeUpdate(recordGasAnalysisUpdate, { args: [{ analysis: analysis(t), by: 'u-work_leader' }] });
        await env.sleep(50 * MIN);
        await h.executeUpdate(guardianCheckInUpdate, { args: [{ by: 'u-guard' }] });
        const s = await h.query(permitStateQuery);
        expect([s.status, s.conductAlarms]).toEqual(['in_progress', []]);
        expect(t - start).toBeLessThan(2 * H);
        await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
        await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
        await h.result();
      },
    );
    expect(doc).toMatchObject({ type: 'confined_space', status: 'closed' });
    expect(doc.application.gasAnalyses).toHaveLength(2);
    expect(kinds(rec).filter((k) => k === 'notified')).toHaveLength(1);
  });
});

describe('permit refusals and clocks', () => {
  it('a sign-off out of order, or by another user than the permit names, is refused', async () => {
    await run(5, {}, async (h) => {
      await expect(
        h.executeUpdate(signOffPermitUpdate, { args: [{ role: 'safety_dept', by: 'u-safety_dept', approve: true }] }),
      ).rejects.toMatchObject(
        refused(
          'role: the next sign-off is work_leader (作业负责人), not safety_dept (GB 30871-2022 附录A 表A.1 动火安全作业票)',
        ),
      );
      await expect(
        h.executeUpdate(signOffPermitUpdate, { args: [{ role: 'work_leader', by: 'u-unit', approve: true }] }),
      ).rejects.toMatchObject(refused('by: work_leader is signed by u-work_leader, not u-unit'));
      await expect(h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] })).rejects.toMatchObject(
        refused('start: not possible while the permit is signing'),
      );
      await h.executeUpdate(signOffPermitUpdate, {
        args: [{ role: 'work_leader', by: 'u-work_leader', approve: true }],
      });
      await h.executeUpdate(signOffPermitUpdate, {
        args: [{ role: 'unit', by: 'u-unit', approve: false, note: '盲板未加' }],
      });
      expect((await h.result()).status).toBe('refused');
    });
    expect((await models.Permit.findById('p-5').lean())!.status).toBe('refused');
  });

  it('work does not start on a gas analysis older than 30 min; a fresh one lets it start', async () => {
    const { rec } = await run(6, { gasAnalyses: [] }, async (h, start) => {
      await h.executeUpdate(recordGasAnalysisUpdate, {
        args: [{ analysis: analysis(start - 31 * MIN), by: 'u-work_leader' }],
      });
      await signAll(h, ['work_leader', 'unit', 'safety_dept', 'shift_leader']);
      await expect(h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] })).rejects.toMatchObject(
        refused(
          /^gasAnalysis: the latest analysis \(.+\) is older than 30分钟 \(GB 30871-2022 第5章 动火作业（动火分析）\)$/,
        ),
      );
      const now = await env.currentTimeMs();
      await h.executeUpdate(recordGasAnalysisUpdate, {
        args: [{ analysis: analysis(now - MIN), by: 'u-work_leader' }],
      });
      await expect(h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] })).resolves.toMatchObject({
        status: 'in_progress',
      });
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
      await h.result();
    });
    expect(kinds(rec)).toContain('work_started');
  });

  it('an interruption longer than 30 min (level-1 hot work) needs a new gas analysis before the work resumes', async () => {
    await run(7, {}, async (h) => {
      await signAll(h, ['work_leader', 'unit', 'safety_dept', 'shift_leader']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(suspendWorkUpdate, { args: [{ reason: 'weather', by: 'u-work_leader', note: '五级风' }] });
      await env.sleep(31 * MIN);
      await expect(h.executeUpdate(resumeWorkUpdate, { args: [{ by: 'u-work_leader' }] })).rejects.toMatchObject(
        refused(
          'gasAnalysis: the interruption exceeded 30分钟; a new gas analysis is required (GB 30871-2022 第5章 动火作业（动火分析）)',
        ),
      );
      const now = await env.currentTimeMs();
      await h.executeUpdate(recordGasAnalysisUpdate, { args: [{ analysis: analysis(now), by: 'u-work_leader' }] });
      await expect(h.executeUpdate(resumeWorkUpdate, { args: [{ by: 'u-work_leader' }] })).resolves.toMatchObject({
        status: 'in_progress',
      });
      await expect(
        h.executeUpdate(cancelPermitUpdate, { args: [{ by: 'u-work_leader', reason: '改期' }] }),
      ).rejects.toMatchObject(refused('reason: not possible while the permit is in_progress'));
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
      await h.result();
    });
  });

  it('a short interruption (level-2 hot work, 45 min ≤ 60 min) resumes on the analysis at hand', async () => {
    await run(8, { level: 'level2' }, async (h) => {
      await signAll(h, ['work_leader', 'unit', 'shift_leader']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(suspendWorkUpdate, { args: [{ reason: 'other', by: 'u-work_leader' }] });
      await env.sleep(45 * MIN);
      await expect(h.executeUpdate(resumeWorkUpdate, { args: [{ by: 'u-work_leader' }] })).resolves.toMatchObject({
        status: 'in_progress',
      });
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
      await h.result();
    });
  });

  it('a missed guardian check-in (1 h) suspends the work and opens a conduct alarm for the enterprise to explain', async () => {
    const { rec } = await run(9, {}, async (h) => {
      await signAll(h, ['work_leader', 'unit', 'safety_dept', 'shift_leader']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await expect(h.executeUpdate(guardianCheckInUpdate, { args: [{ by: 'u-work_leader' }] })).rejects.toMatchObject(
        refused('by: the guardian (监护人) u-guard checks in, not u-work_leader'),
      );
      await env.sleep(61 * MIN);
      const s = await h.query(permitStateQuery);
      expect([s.status, s.suspensionReason, s.conductAlarms]).toEqual([
        'suspended',
        'guardian_absent',
        ['permit/p-9/conduct/1'],
      ]);
      const alarm = env.client.workflow.getHandle<typeof permitConductAlarm>('permit/p-9/conduct/1');
      const task = await until(
        () => models.Task.findById('permit/p-9/conduct/1/explanation').lean(),
        'the explanation task',
      );
      expect(task).toMatchObject({
        kind: 'permit_conduct_explanation',
        form: 'permitConductExplanation',
        assigneeEnterpriseId: 'ent-9',
        caseType: 'permit_conduct_alarm',
      });
      await alarm.executeUpdate(explainConductAlarmUpdate, {
        args: [{ cause: '监护人临时离开', measures: '增设备用监护人', by: 'ent-user-9' }],
      });
      expect(await alarm.result()).toEqual({ status: 'closed' });
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
      await h.result();
    });
    expect(kinds(rec)).toEqual([
      'permit_applied',
      'signed_off',
      'signed_off',
      'signed_off',
      'signed_off',
      'permit_issued',
      'work_started',
      'check_in_missed',
      'conduct_alarm',
      'work_suspended',
      'work_finished',
      'accepted',
    ]);
    const alarmRec = (await models.CaseRecord.findById('permit/p-9/conduct/1').lean())!;
    expect(alarmRec).toMatchObject({
      type: 'permit_conduct_alarm',
      parentCaseId: 'permit/p-9',
      status: 'closed',
      enterpriseId: 'ent-9',
    });
    expect(
      readMailbox(envVar('WARNFLOW_MAILBOX_DIR'))
        .filter((m) => m.to.includes(entMail(9)))
        .map((m) => m.subject),
    ).toEqual(['【warnflow】作业违规报警：监护人未按时签到 / Permit conduct alarm: 化工企业9']);
  });

  it('confined space: no gas re-analysis within 2 h suspends the entry and opens a conduct alarm; it resumes only on a fresh analysis', async () => {
    const { rec } = await run(12, { type: 'confined_space', level: 'single' }, async (h, start) => {
      await signAll(h, ['work_leader', 'unit']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      for (let i = 0; i < 2; i++) {
        await env.sleep(50 * MIN);
        await h.executeUpdate(guardianCheckInUpdate, { args: [{ by: 'u-guard' }] });
      }
      // The analysis was sampled 5 min before the start: the next one was due at 1 h 55 min.
      await env.sleep(20 * MIN);
      const s = await h.query(permitStateQuery);
      expect([s.status, s.suspensionReason, s.conductAlarms]).toEqual([
        'suspended',
        'analysis_overdue',
        ['permit/p-12/conduct/1'],
      ]);
      await expect(h.executeUpdate(resumeWorkUpdate, { args: [{ by: 'u-work_leader' }] })).rejects.toMatchObject(
        refused(/^gasAnalysis: /),
      );
      const now = await env.currentTimeMs();
      expect(now - start).toBeGreaterThan(115 * MIN);
      await h.executeUpdate(recordGasAnalysisUpdate, { args: [{ analysis: analysis(now), by: 'u-work_leader' }] });
      await expect(h.executeUpdate(resumeWorkUpdate, { args: [{ by: 'u-work_leader' }] })).resolves.toMatchObject({
        status: 'in_progress',
      });
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
      await h.result();
    });
    expect(kinds(rec).slice(-7)).toEqual([
      'reanalysis_missed',
      'conduct_alarm',
      'work_suspended',
      'gas_analysis',
      'work_resumed',
      'work_finished',
      'accepted',
    ]);
    expect(rec.timeline.find((e) => e.kind === 'reanalysis_missed')!.detail).toBe(
      'every 2小时 (GB 30871-2022 第6章 受限空间作业（气体检测）；附录A 表A.2)',
    );
  });

  it('an issued permit not accepted by the end of its validity expires: the enterprise is told and a conduct alarm opens', async () => {
    const { rec, doc, tasks } = await run(10, {}, async (h, start) => {
      await signAll(h, ['work_leader', 'unit', 'safety_dept', 'shift_leader']);
      await h.executeUpdate(requestExtensionUpdate, {
        args: [{ until: new Date(start + 8 * H).toISOString(), reason: '阀门锈蚀', by: 'u-work_leader' }],
      });
      await env.sleep(6 * H + MIN);
      const s = await h.result();
      expect([s.status, s.conductAlarms]).toEqual(['expired', ['permit/p-10/conduct/1']]);
    });
    expect(doc.status).toBe('expired');
    expect(kinds(rec)).toEqual([
      'permit_applied',
      'signed_off',
      'signed_off',
      'signed_off',
      'signed_off',
      'permit_issued',
      'extension_requested',
      'permit_expired',
      'conduct_alarm',
    ]);
    expect(rec.status).toBe('closed');
    expect(tasks.find((t) => t.kind === 'permit_extension')).toMatchObject({
      status: 'cancelled',
      assigneeUserId: 'u-safety_dept',
    });
    const mails = readMailbox(envVar('WARNFLOW_MAILBOX_DIR'))
      .filter((m) => m.to.includes(entMail(10)))
      .map((m) => m.subject);
    expect(mails.sort()).toEqual(
      [
        `【warnflow】作业违规报警：作业票到期未验收 / Permit conduct alarm: 化工企业10`,
        `【warnflow】特殊作业票到期未验收 ${doc.number} / Permit expired without acceptance ${doc.number}: 化工企业10`,
      ].sort(),
    );
  });
});

describe('extensions', () => {
  it('an extension within 8 h is approved by the approver (safety department) and moves the end of validity; beyond 8 h it is refused; a refused request keeps the end', async () => {
    const { rec, doc } = await run(11, {}, async (h, start) => {
      await signAll(h, ['work_leader', 'unit', 'safety_dept', 'shift_leader']);
      await h.executeUpdate(startWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      expect((await h.query(permitStateQuery)).validTo).toBe(new Date(start + 6 * H).toISOString());
      await expect(
        h.executeUpdate(requestExtensionUpdate, {
          args: [{ until: new Date(start + 9 * H).toISOString(), reason: '未完工', by: 'u-work_leader' }],
        }),
      ).rejects.toMatchObject(
        refused(
          'until: the permit may be valid at most 8小时 in all (GB 30871-2022 第5章 动火作业（安全作业票有效期）); beyond that a new permit is needed (GB 30871-2022 第4章 基本要求)',
        ),
      );
      await h.executeUpdate(requestExtensionUpdate, {
        args: [{ until: new Date(start + 7 * H).toISOString(), reason: '未完工', by: 'u-work_leader' }],
      });
      await expect(
        h.executeUpdate(decideExtensionUpdate, { args: [{ approve: true, by: 'u-unit' }] }),
      ).rejects.toMatchObject(refused('by: the approver (safety_dept) u-safety_dept decides, not u-unit'));
      await h.executeUpdate(decideExtensionUpdate, { args: [{ approve: true, by: 'u-safety_dept' }] });
      expect((await h.query(permitStateQuery)).validTo).toBe(new Date(start + 7 * H).toISOString());
      await h.executeUpdate(requestExtensionUpdate, {
        args: [{ until: new Date(start + 8 * H).toISOString(), reason: '仍未完工', by: 'u-work_leader' }],
      });
      await h.executeUpdate(decideExtensionUpdate, {
        args: [{ approve: false, by: 'u-safety_dept', note: '重新办票' }],
      });
      expect((await h.query(permitStateQuery)).validTo).toBe(new Date(start + 7 * H).toISOString());
      await h.executeUpdate(finishWorkUpdate, { args: [{ by: 'u-work_leader' }] });
      await h.executeUpdate(acceptPermitUpdate, { args: [{ by: 'u-unit' }] });
      await h.result();
    });
    expect(kinds(rec).filter((k) => k.startsWith('extension'))).toEqual([
      'extension_requested',
      'extension_approved',
      'extension_requested',
      'extension_refused',
    ]);
    expect(doc.validTo.getTime() - doc.validFrom.getTime()).toBe(7 * H);
  });
});
