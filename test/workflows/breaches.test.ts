/**
 * Breaches of seed 002 第二十五条 on the time-skipping server: an alarm not disposed in time is proposed for
 * filing (立案查处) to the district industry regulator as a penalty case it files or declines with a reason.
 * A file of its own: the proposed penalty outlives its alarm, and a left-over case on a shared server
 * holds the time-skipping of the next test.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OpenCaseInput, UpdateCaseInput } from '../../activities/caseRecords';
import { CASE_TYPE_ATTRIBUTE, ENTERPRISE_ID_ATTRIBUTE } from '../../config/searchAttributes';
import type { CreateTaskInput } from '../../activities/monitoring';
import type { SendMailInput } from '../../activities/notifications';
import { DEFAULT_ENFORCEMENT_POLICY } from '../../domain/enforcement';
import {
  alarmBreachSignal,
  alarmNormalSignal,
  fileAlarmDisposalUpdate,
  monitoringAlarm,
} from '../../workflows/monitoringAlarm';
import { filePenaltyUpdate } from '../../workflows/penalty';
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
const ctx = dustEnterpriseContext;

function fakes() {
  const rec = {
    mails: [] as SendMailInput[],
    updates: [] as { input: UpdateCaseInput }[],
    opened: [] as OpenCaseInput[],
    tasks: [] as { input: CreateTaskInput; at: number }[],
  };
  const now = async () => await env.currentTimeMs();
  const activities = {
    enterpriseContext: async () => ctx,
    openCase: async (i: OpenCaseInput) => void rec.opened.push(i),
    updateCase: async (i: UpdateCaseInput) => void rec.updates.push({ input: i }),
    sendMail: async (i: SendMailInput) => (
      rec.mails.push(i),
      { deliveryId: i.key, status: 'sent' as const, messageId: 'x' }
    ),
    createTask: async (i: CreateTaskInput) => void rec.tasks.push({ input: i, at: await now() }),
    completeTask: async () => undefined,
    countAlarmOpened: async () => 1,
    currentEnforcementPolicy: async () => DEFAULT_ENFORCEMENT_POLICY,
    followUpContext: async (i: { enterpriseId: string; agencyId: string }) => ({
      enterpriseId: ctx.enterpriseId,
      enterpriseName: ctx.enterpriseName,
      regionPath: ctx.regionPath,
      industry: ctx.industry,
      enterpriseEmails: ctx.emails,
      agencyId: i.agencyId,
      agencyName: i.agencyId,
      agencyEmails: [],
    }),
  };
  return { rec, activities };
}

const worker = (taskQueue: string, activities: object) => workflowWorker(env, taskQueue, activities);

it('an alarm not disposed in time is proposed for filing (002 第二十五条 "未采取措施消除事故隐患") to the district industry regulator, who may decline it with a reason', async () => {
  const { rec, activities } = fakes();
  const w = await worker('alarm-4', activities);
  await w.runUntil(async () => {
    const start = await env.currentTimeMs();
    const h = await env.client.workflow.signalWithStart(monitoringAlarm, {
      taskQueue: 'alarm-4',
      workflowId: 'alarm/DEV-4/dp',
      args: [{ ...alarmInput, deviceCode: 'DEV-4' }],
      signal: alarmBreachSignal,
      signalArgs: [breach],
    });
    await env.sleep(3 * H);
    await until(
      async () => rec.tasks.some((t) => t.input.kind === 'penalty_filing'),
      'the filing task of the proposed penalty',
    );
    const caseId = rec.opened[0].caseId;
    const filing = rec.tasks.find((t) => t.input.kind === 'penalty_filing')!;
    expect(filing.input).toMatchObject({
      taskId: `${caseId}/penalty/filing`,
      caseId: `${caseId}/penalty`,
      caseType: 'penalty',
      assigneeAgencyId: 'district-a-dust',
      form: 'penaltyFiling',
    });
    expect(filing.at - start).toBeGreaterThanOrEqual(2 * H);
    expect(filing.at - start).toBeLessThan(2 * H + 60_000);
    const proposed = rec.opened.find((o) => o.type === 'penalty')!;
    expect(proposed).toMatchObject({
      caseId: `${caseId}/penalty`,
      parentCaseId: caseId,
      trackingAgencyId: 'district-a-dust',
      entry: { kind: 'penalty_proposed' },
    });
    expect(proposed.entry.detail).toBe(
      `生产经营单位未采取措施消除事故隐患：监测报警 DEV-4 压差 1200Pa（阈值 1000Pa） 自 2026-01-01T00:00:00Z 起未在 PT2H 内处置反馈`,
    );
    expect(
      rec.updates.find((u) => u.input.caseId === caseId && u.input.entry?.kind === 'penalty_proposed')!.input.entry!
        .recipients,
    ).toEqual(['district-a-dust']);
    const p = env.client.workflow.getHandle(`${caseId}/penalty`);
    // Found in Temporal's visibility by its type and enterprise (typed search attributes).
    const attributes = (await p.describe()).typedSearchAttributes;
    expect([attributes.get(CASE_TYPE_ATTRIBUTE), attributes.get(ENTERPRISE_ID_ATTRIBUTE)]).toEqual([
      'penalty',
      'ent-1',
    ]);
    await expect(
      p.executeUpdate(filePenaltyUpdate, { args: [{ summary: '', decline: true, by: 'officer' }] }),
    ).rejects.toThrow();
    await p.executeUpdate(filePenaltyUpdate, {
      args: [{ summary: '企业已于当日处置，报警系设备误报', decline: true, by: 'officer' }],
    });
    expect(await p.result()).toMatchObject({ status: 'closed', outcome: 'declined' });
    expect(
      rec.updates.find((u) => u.input.caseId === `${caseId}/penalty` && u.input.status === 'closed')!.input.entry,
    ).toMatchObject({ kind: 'penalty_declined', actor: 'officer', detail: '企业已于当日处置，报警系设备误报' });
    await h.signal(alarmNormalSignal, { ts: 't', value: 1 });
    await h.executeUpdate(fileAlarmDisposalUpdate, {
      args: [{ cause: 'c', measures: 'm', responsible: 'r', filedBy: 'u', filedAt: 'x' }],
    });
    await h.result();
  });
});
