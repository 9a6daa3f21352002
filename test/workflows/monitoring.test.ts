/** Monitoring alarm, device offline and suspension request on Temporal's time-skipping server, with recording fakes for the activities. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OpenCaseInput, UpdateCaseInput } from '../../activities/caseRecords';
import type { CreateTaskInput, EnterpriseContext } from '../../activities/monitoring';
import type { SendMailInput } from '../../activities/notifications';
import type { IssueDocumentInput } from '../../activities/documents';
import { DOCUMENT_KIND_INFO } from '../../domain/documents';
import { DEFAULT_OFFLINE_POLICY, Period } from '../../domain/offline';
import { DEFAULT_ENFORCEMENT_POLICY } from '../../domain/enforcement';
import {
  alarmBreachSignal,
  alarmNormalSignal,
  fileAlarmDisposalUpdate,
  monitoringAlarm,
  monitoringAlarmStateQuery,
} from '../../workflows/monitoringAlarm';
import { dataResumedSignal, deviceOffline } from '../../workflows/deviceOffline';
import { decideSuspensionUpdate, suspensionRequest } from '../../workflows/suspensionRequest';
import { alarmInput, breach, dustEnterpriseContext, workflowWorker } from '../helpers/alarmWorkflowWorld';
import { createTimeSkippingEnv } from '../helpers/timeSkipping';
import { until } from '../helpers/until';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTimeSkippingEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const H = 3600_000;
const D = 24 * H;

const ctx: EnterpriseContext = {
  ...dustEnterpriseContext,
  agencies: {
    ...dustEnterpriseContext.agencies,
    municipal_bureau: { id: 'city-emergency', name: '市应急局', emails: ['city@gov.example'] },
  },
};

function fakes(opts: { alarmsToday?: number; zoneOnly?: boolean } = {}) {
  const rec = {
    mails: [] as { input: SendMailInput; at: number }[],
    updates: [] as { input: UpdateCaseInput; at: number }[],
    opened: [] as OpenCaseInput[],
    tasks: [] as { input: CreateTaskInput; at: number }[],
    completed: [] as string[],
    suspensions: [] as Period[],
    decided: [] as { requestId: string; approved: boolean }[],
    documents: [] as IssueDocumentInput[],
    permissions: [] as { requestId: string; number: string }[],
    suspendedSources: [] as { sourceKind: string; sourceId: string; until: string }[],
    /** The order in which the activities ran (mail by template, task by kind). */
    order: [] as string[],
  };
  const now = async () => await env.currentTimeMs();
  const activities = {
    async enterpriseContext() {
      // zoneOnly: no district agency to propose a penalty to (the proposal has a file of its own: breaches.test.ts).
      return opts.zoneOnly ? { ...ctx, agencies: { zone_safety_dept: ctx.agencies.zone_safety_dept } } : ctx;
    },
    async openCase(i: OpenCaseInput) {
      rec.opened.push(i);
      rec.order.push('openCase');
    },
    async updateCase(i: UpdateCaseInput) {
      rec.updates.push({ input: i, at: await now() });
    },
    async sendMail(i: SendMailInput) {
      rec.mails.push({ input: i, at: await now() });
      rec.order.push(`mail:${i.template}`);
      return { deliveryId: i.key, status: 'sent' as const, messageId: 'x' };
    },
    async createTask(i: CreateTaskInput) {
      rec.tasks.push({ input: i, at: await now() });
      rec.order.push(`task:${i.kind}`);
    },
    async completeTask(i: { taskId: string }) {
      rec.completed.push(i.taskId);
    },
    async countAlarmOpened() {
      return opts.alarmsToday ?? 1;
    },
    async suspensionPeriods() {
      return rec.suspensions;
    },
    async closeOfflinePeriod() {},
    // The Interview cases an offline case opens (workflows/interview.ts) read these when they start.
    async currentEnforcementPolicy() {
      return DEFAULT_ENFORCEMENT_POLICY;
    },
    async followUpContext(i: { enterpriseId: string; agencyId: string }) {
      const a = Object.values(ctx.agencies).find((x) => x?.id === i.agencyId);
      return {
        enterpriseId: ctx.enterpriseId,
        enterpriseName: ctx.enterpriseName,
        regionPath: ctx.regionPath,
        industry: ctx.industry,
        enterpriseEmails: ctx.emails,
        agencyId: i.agencyId,
        agencyName: a?.name ?? i.agencyId,
        agencyEmails: a?.emails ?? [],
      };
    },
    async recordSuspension() {},
    async decideSuspensionRecord(i: { requestId: string; approved: boolean }) {
      rec.decided.push(i);
    },
    async issueDocument(i: IssueDocumentInput) {
      rec.documents.push(i);
      const number = `${i.agencyId}${DOCUMENT_KIND_INFO[i.kind].abbr}〔2026〕1号`;
      const title = DOCUMENT_KIND_INFO[i.kind].zh;
      return {
        documentId: `${i.caseId}/${i.step}`,
        kind: i.kind,
        number,
        seq: 1,
        year: 2026,
        title,
        path: '/tmp/x.pdf',
        filename: `${title}-${number}.pdf`,
      };
    },
    async recordSuspensionPermission(i: { requestId: string; number: string }) {
      rec.permissions.push(i);
    },
    async suspendOfflineSource(i: { sourceKind: string; sourceId: string; until: string }) {
      rec.suspendedSources.push(i);
    },
  };
  return { rec, activities };
}

/** The timeline kinds of the cases under test (the Interview cases an offline case opens have their own). */
const kinds = (rec: ReturnType<typeof fakes>['rec']) => {
  const own = rec.opened.filter((o) => o.type !== 'interview' && o.type !== 'penalty');
  const ids = new Set(own.map((o) => o.caseId));
  return [
    ...own.map((o) => o.entry.kind),
    ...rec.updates
      .filter((u) => ids.has(u.input.caseId))
      .map((u) => u.input.entry?.kind)
      .filter(Boolean),
  ];
};
/**
 * The Interview cases an offline case opened live on after it; ended here so that no task of theirs is
 * waiting: while a test awaits a result, the time-skipping server jumps to the next timer of any
 * workflow — an open interview's ten-year run timeout — so they end before the offline case's result.
 */
async function endInterviews(rec: ReturnType<typeof fakes>['rec']) {
  for (const o of rec.opened.filter((x) => x.type === 'interview')) {
    const h = env.client.workflow.getHandle(o.caseId);
    if ((await h.describe()).status.name === 'RUNNING') await h.terminate('test over');
  }
}
/** The scheduling tasks of the Interview cases opened at an offline step. */
const interviewTasks = (rec: ReturnType<typeof fakes>['rec'], step?: string) =>
  rec.tasks.filter((t) => t.input.kind === 'interview_schedule' && (!step || t.input.taskId.includes(step)));

const worker = (taskQueue: string, activities: object) => workflowWorker(env, taskQueue, activities);

describe('monitoring alarm case', () => {
  it('notifies the enterprise at once, tells the zone safety department when no disposal is filed within 2 hours, and closes once the value is normal and the disposal filed', async () => {
    const { rec, activities } = fakes({ zoneOnly: true });
    const w = await worker('alarm-1', activities);
    await w.runUntil(async () => {
      const start = await env.currentTimeMs();
      const h = await env.client.workflow.signalWithStart(monitoringAlarm, {
        taskQueue: 'alarm-1',
        workflowId: 'alarm/DEV-1/dp',
        args: [alarmInput],
        signal: alarmBreachSignal,
        signalArgs: [breach],
      });
      // A storm of further breaches on the same indicator feeds the same case.
      for (let i = 0; i < 5; i++) {
        await env.client.workflow.signalWithStart(monitoringAlarm, {
          taskQueue: 'alarm-1',
          workflowId: 'alarm/DEV-1/dp',
          args: [alarmInput],
          signal: alarmBreachSignal,
          signalArgs: [breach],
        });
      }
      await env.sleep(3 * H);
      const overdue = rec.mails.find((m) => m.input.template === 'alarm-overdue')!;
      expect(overdue.input.to).toEqual(['zone@gov.example']);
      expect(overdue.at - start).toBeGreaterThanOrEqual(2 * H);
      expect(overdue.at - start).toBeLessThan(2 * H + 60_000);
      await h.signal(alarmNormalSignal, { ts: '2026-01-01T03:00:00Z', value: 500 });
      await h.executeUpdate(fileAlarmDisposalUpdate, {
        args: [
          {
            cause: '滤袋破损',
            measures: '更换滤袋',
            responsible: '张三',
            filedBy: 'ent1-user',
            filedAt: '2026-01-01T03:10:00Z',
          },
        ],
      });
      const state = await h.result();
      expect(state.status).toBe('closed');
      expect(state.breaches).toBe(6);
    });
    expect(rec.opened).toHaveLength(1);
    expect(rec.opened[0]).toMatchObject({
      type: 'monitoring_alarm',
      enterpriseId: 'ent-1',
      regionPath: ctx.regionPath,
      industry: 'dust_explosion',
      trackingAgencyId: 'zone-1-safety',
    });
    expect(rec.opened[0].deadlines![0].kind).toBe('disposal');
    expect(rec.mails[0].input).toMatchObject({ template: 'alarm-opened', to: ['safety@ent1.example'] });
    // The enterprise's mail goes out beside the case's opening, not after the disposal task (reading → mail latency).
    expect(rec.order.indexOf('mail:alarm-opened')).toBeLessThan(rec.order.indexOf('task:alarm_disposal'));
    expect(rec.tasks.map((t) => t.input.kind)).toEqual(['alarm_disposal']);
    expect(rec.tasks[0].input.assigneeEnterpriseId).toBe('ent-1');
    expect(kinds(rec)).toEqual(['opened', 'notified', 'overdue_escalated', 'value_normal', 'disposal_filed', 'closed']);
    expect(rec.completed).toEqual([rec.tasks[0].input.taskId]);
  });

  it('a disposal filed in time does not escalate, and the case stays open until the value is back to normal', async () => {
    const { rec, activities } = fakes();
    const w = await worker('alarm-2', activities);
    await w.runUntil(async () => {
      const h = await env.client.workflow.signalWithStart(monitoringAlarm, {
        taskQueue: 'alarm-2',
        workflowId: 'alarm/DEV-2/dp',
        args: [{ ...alarmInput, deviceCode: 'DEV-2' }],
        signal: alarmBreachSignal,
        signalArgs: [breach],
      });
      await h.executeUpdate(fileAlarmDisposalUpdate, {
        args: [{ cause: 'c', measures: 'm', responsible: 'r', filedBy: 'u', filedAt: 'x' }],
      });
      await expect(
        h.executeUpdate(fileAlarmDisposalUpdate, {
          args: [{ cause: 'c', measures: 'm', responsible: 'r', filedBy: 'u', filedAt: 'x' }],
        }),
      ).rejects.toThrow();
      await env.sleep(5 * H);
      expect((await h.query(monitoringAlarmStateQuery)).status).toBe('open');
      await h.signal(alarmNormalSignal, { ts: 't', value: 1 });
      await h.result();
    });
    expect(rec.mails.map((m) => m.input.template)).toEqual(['alarm-opened']);
    expect(kinds(rec)).toEqual(['opened', 'notified', 'disposal_filed', 'value_normal', 'closed']);
  });
});

it('the sixth alarm case of a device in a day is flagged as a burst of alarms (data quality)', async () => {
  const { rec, activities } = fakes({ alarmsToday: 6 });
  const w = await worker('alarm-3', activities);
  await w.runUntil(async () => {
    const h = await env.client.workflow.signalWithStart(monitoringAlarm, {
      taskQueue: 'alarm-3',
      workflowId: 'alarm/DEV-3/dp',
      args: [{ ...alarmInput, deviceCode: 'DEV-3' }],
      signal: alarmBreachSignal,
      signalArgs: [breach],
    });
    await h.signal(alarmNormalSignal, { ts: 't', value: 1 });
    await h.executeUpdate(fileAlarmDisposalUpdate, {
      args: [{ cause: 'c', measures: 'm', responsible: 'r', filedBy: 'u', filedAt: 'x' }],
    });
    await h.result();
  });
  expect(kinds(rec)).toContain('burst_of_alarms');
  expect(rec.updates.find((u) => u.input.entry?.kind === 'burst_of_alarms')!.input.entry!.detail).toContain(
    '6 alarm cases',
  );
});

describe('device offline case', () => {
  it('offline more than 2 days → an interview case for the district industry regulator; more than 5 days → interview of the enterprise and its region; data resuming closes it', async () => {
    const { rec, activities } = fakes();
    const w = await worker('offline-1', activities);
    await w.runUntil(async () => {
      const start = await env.currentTimeMs();
      const h = await env.client.workflow.start(deviceOffline, {
        taskQueue: 'offline-1',
        workflowId: 'offline/DEV-9',
        args: [
          {
            sourceKind: 'sensor',
            sourceId: 'DEV-9',
            enterpriseId: 'ent-1',
            silentSince: new Date(start).toISOString(),
            policy: DEFAULT_OFFLINE_POLICY,
          },
        ],
      });
      await env.sleep(6 * D);
      await until(async () => interviewTasks(rec).length === 3, 'the three interview scheduling tasks');
      await endInterviews(rec);
      await h.signal(dataResumedSignal, { at: new Date(start + 6 * D).toISOString() });
      const state = await h.result();
      expect(state.steps).toEqual(['opened', 'notified', 'district_interview', 'region_interview', 'closed']);
      const district = interviewTasks(rec, 'district_interview');
      expect(district.map((t) => [t.input.caseType, t.input.assigneeAgencyId])).toEqual([
        ['interview', 'district-a-dust'],
      ]);
      expect(rec.opened.find((o) => o.type === 'interview' && o.caseId.includes('district_interview'))).toMatchObject({
        parentCaseId: expect.stringMatching(/^offline\/DEV-9\//),
        trackingAgencyId: 'district-a-dust',
      });
      expect(district[0].at - start).toBeGreaterThanOrEqual(2 * D);
      expect(district[0].at - start).toBeLessThan(2 * D + 60_000);
      const region = interviewTasks(rec, 'region_interview').sort((a, b) => a.at - b.at);
      expect(region.map((t) => t.input.assigneeAgencyId).sort()).toEqual(['city-emergency', 'district-a-emergency']);
      expect(region[0].at - start).toBeGreaterThanOrEqual(5 * D);
      expect(region[0].at - start).toBeLessThan(5 * D + 60_000);
    });
    expect(kinds(rec)).toEqual([
      'opened',
      'notified',
      'interview_district',
      'public_notice',
      'interview_region',
      'closed',
    ]);
    // 002 第二十五条: offline more than 5 days without a written permission is a serious breach, publicly notified.
    expect(rec.documents).toEqual([
      expect.objectContaining({
        step: 'public_notice',
        kind: 'public_notice',
        agencyId: 'district-a-emergency',
        enterpriseId: 'ent-1',
        toRole: 'public',
      }),
    ]);
    // The notice's template adds 的情节严重行为 itself: the breach is the one conduct's words, not the article's list
    // (which ended in 情节严重行为 too and read '…等情节严重行为的情节严重行为').
    expect(rec.documents[0].facts.breachZh).toBe('无故离线');
    expect(rec.documents[0].facts.facts).toMatch(/^设备 DEV-9自.*起无故离线超过5天，未经区应急局书面允许停止数据传输$/);
    expect(rec.mails.find((m) => m.input.key.endsWith('/public_notice'))!.input).toMatchObject({
      template: 'official-document',
      data: { title: '公开通报', number: 'district-a-emergency通〔2026〕1号' },
    });
  });

  it('data resuming after a day closes the case before any interview', async () => {
    const { rec, activities } = fakes();
    const w = await worker('offline-2', activities);
    await w.runUntil(async () => {
      const start = await env.currentTimeMs();
      const h = await env.client.workflow.start(deviceOffline, {
        taskQueue: 'offline-2',
        workflowId: 'offline/DEV-8',
        args: [
          {
            sourceKind: 'sensor',
            sourceId: 'DEV-8',
            enterpriseId: 'ent-1',
            silentSince: new Date(start).toISOString(),
            policy: DEFAULT_OFFLINE_POLICY,
          },
        ],
      });
      await env.sleep(D);
      await h.signal(dataResumedSignal, { at: new Date(start + D).toISOString() });
      expect((await h.result()).steps).toEqual(['opened', 'notified', 'closed']);
    });
    expect(rec.tasks).toEqual([]);
  });
});

describe('suspension request', () => {
  /** An offline case of a source, a suspension request covering it for 10 days, the decision. */
  async function offlineWithSuspension(
    queue: string,
    source: { kind: 'sensor' | 'video'; id: string },
    approved: boolean,
  ) {
    const { rec, activities } = fakes();
    const w = await worker(queue, activities);
    let offlineState: Awaited<ReturnType<typeof deviceOffline>> | undefined;
    let start = 0;
    await w.runUntil(async () => {
      start = await env.currentTimeMs();
      const off = await env.client.workflow.start(deviceOffline, {
        taskQueue: queue,
        workflowId: source.kind === 'sensor' ? `offline/${source.id}` : `offline/video/${source.id}`,
        args: [
          {
            sourceKind: source.kind,
            sourceId: source.id,
            enterpriseId: 'ent-1',
            silentSince: new Date(start).toISOString(),
            policy: DEFAULT_OFFLINE_POLICY,
          },
        ],
      });
      await until(async () => rec.opened.length > 0, 'the offline case');
      const req = await env.client.workflow.start(suspensionRequest, {
        taskQueue: queue,
        workflowId: `suspension/ent-1/${source.id}`,
        args: [
          {
            enterpriseId: 'ent-1',
            deviceCodes: source.kind === 'sensor' ? [source.id] : [],
            channelIds: source.kind === 'video' ? [source.id] : [],
            reason: 'overhaul',
            detail: '年度检修',
            from: new Date(start).toISOString(),
            to: new Date(start + 10 * D).toISOString(),
            requestedBy: 'ent1-user',
            requestedAt: new Date(start).toISOString(),
          },
        ],
      });
      const decided = await req.executeUpdate(decideSuspensionUpdate, {
        args: [{ approved, by: 'bureau-officer', note: approved ? '同意' : '理由不充分' }],
      });
      expect(decided.status).toBe(approved ? 'approved' : 'rejected');
      await req.result();
      if (approved) {
        offlineState = await off.result();
        return;
      }
      await env.sleep(3 * D);
      await until(async () => interviewTasks(rec).length > 0, 'the interview scheduling task');
      await endInterviews(rec);
      await off.signal(dataResumedSignal, { at: new Date(start + 3 * D).toISOString() });
      offlineState = await off.result();
    });
    return { rec, offlineState: offlineState!, start };
  }

  it('the district emergency bureau verifies the request; its approval issues a numbered 停用许可 to the enterprise and closes the offline case already open for the device', async () => {
    const { rec, offlineState, start } = await offlineWithSuspension('susp-1', { kind: 'sensor', id: 'DEV-7' }, true);
    const review = rec.tasks.find((t) => t.input.kind === 'suspension_review')!;
    expect(review.input.assigneeAgencyId).toBe('district-a-emergency');
    expect(rec.decided).toEqual([expect.objectContaining({ approved: true })]);
    expect(rec.documents).toEqual([
      expect.objectContaining({
        caseId: 'suspension/ent-1/DEV-7',
        step: 'suspension_permission',
        kind: 'suspension_permission',
        agencyId: 'district-a-emergency',
        enterpriseId: 'ent-1',
        toRole: 'enterprise',
        toId: 'ent-1',
      }),
    ]);
    expect(rec.documents[0].facts).toMatchObject({
      reasonZh: '检修',
      detail: '年度检修',
      sources: '设备 DEV-7',
      note: '同意',
    });
    expect(rec.permissions).toEqual([
      {
        requestId: 'suspension/ent-1/DEV-7',
        documentId: 'suspension/ent-1/DEV-7/suspension_permission',
        number: 'district-a-emergency停〔2026〕1号',
      },
    ]);
    const mail = rec.mails.find((m) => m.input.template === 'official-document')!;
    expect(mail.input).toMatchObject({
      to: ['safety@ent1.example'],
      data: { number: 'district-a-emergency停〔2026〕1号', title: '停用许可' },
    });
    // The open offline case closes at the approval, not when data resumes; no interview is asked for.
    expect(offlineState.steps).toEqual(['opened', 'notified', 'closed']);
    expect(rec.suspendedSources).toEqual([
      { sourceKind: 'sensor', sourceId: 'DEV-7', until: new Date(start + 10 * D).toISOString() },
    ]);
    expect(interviewTasks(rec)).toEqual([]);
    expect(kinds(rec)).toEqual(['opened', 'notified', 'closed']);
  });

  it('video channels can be suspended too: the approval closes the channel offline case', async () => {
    const { rec, offlineState } = await offlineWithSuspension('susp-3', { kind: 'video', id: 'CH-1' }, true);
    expect(rec.documents[0].facts).toMatchObject({ sources: '视频通道 CH-1' });
    expect(offlineState.steps).toEqual(['opened', 'notified', 'closed']);
    expect(rec.suspendedSources.map((x) => [x.sourceKind, x.sourceId])).toEqual([['video', 'CH-1']]);
  });

  it('a source silent under an approved suspension opens no offline case and mails nobody', async () => {
    const { rec, activities } = fakes();
    const w = await worker('susp-4', activities);
    await w.runUntil(async () => {
      const start = await env.currentTimeMs();
      rec.suspensions.push({ fromMs: start - D, toMs: start + 2 * D, requestId: 'suspension/ent-1/x' });
      const state = await env.client.workflow.execute(deviceOffline, {
        taskQueue: 'susp-4',
        workflowId: 'offline/DEV-5',
        args: [
          {
            sourceKind: 'sensor',
            sourceId: 'DEV-5',
            enterpriseId: 'ent-1',
            silentSince: new Date(start).toISOString(),
            policy: DEFAULT_OFFLINE_POLICY,
          },
        ],
      });
      expect(state.steps).toEqual(['suspended']);
      expect(rec.suspendedSources).toEqual([
        { sourceKind: 'sensor', sourceId: 'DEV-5', until: new Date(start + 2 * D).toISOString() },
      ]);
    });
    expect(rec.opened).toEqual([]);
    expect(rec.mails).toEqual([]);
  });

  it('a rejected suspension leaves the ladder running: the district interview is due after 2 days, and no permission is issued', async () => {
    const { rec } = await offlineWithSuspension('susp-2', { kind: 'sensor', id: 'DEV-6' }, false);
    expect(rec.decided).toEqual([expect.objectContaining({ approved: false })]);
    expect(rec.documents.filter((d) => d.kind === 'suspension_permission')).toEqual([]);
    const district = interviewTasks(rec).filter((t) => t.input.assigneeAgencyId === 'district-a-dust');
    expect(district).toHaveLength(1);
    const review = rec.tasks.find((t) => t.input.kind === 'suspension_review')!;
    expect(district[0].at - review.at).toBeGreaterThanOrEqual(2 * D - 60_000);
    expect(district[0].at - review.at).toBeLessThan(2 * D + 60_000);
    expect(kinds(rec)).not.toContain('escalation_suspended');
  });
});
