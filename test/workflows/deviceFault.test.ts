/**
 * Device faults 设备故障 on the time-skipping server: a fault status opens one case of its own kind (repeated reports
 * coalesce), the enterprise verifies and repairs it (001 二（三）), the device's ok status with the repair filed closes
 * it, and a fault not repaired within the policy's time is proposed for a penalty (002 第二十五条
 * "未对安全设备进行经常性维护、保养和定期检修") to the district industry regulator.
 * A file of its own: the proposed penalty outlives its fault case.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { OpenCaseInput, UpdateCaseInput } from '../../activities/caseRecords';
import type { CreateTaskInput } from '../../activities/monitoring';
import type { SendMailInput } from '../../activities/notifications';
import { DEFAULT_ALARM_POLICY } from '../../domain/alarms';
import { DEFAULT_ENFORCEMENT_POLICY } from '../../domain/enforcement';
import {
  deviceFault,
  deviceFaultSignal,
  deviceFaultStateQuery,
  faultClearedSignal,
  fileFaultRepairUpdate,
} from '../../workflows/deviceFault';
import { filePenaltyUpdate } from '../../workflows/penalty';
import { dustEnterpriseContext, workflowWorker } from '../helpers/alarmWorkflowWorld';
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

function fakes(suspensions: { fromMs: number; toMs: number; requestId?: string }[] = []) {
  const rec = {
    mails: [] as SendMailInput[],
    updates: [] as UpdateCaseInput[],
    opened: [] as OpenCaseInput[],
    tasks: [] as { input: CreateTaskInput; at: number }[],
    completed: [] as { taskId: string }[],
  };
  const activities = {
    enterpriseContext: async () => ctx,
    openCase: async (i: OpenCaseInput) => void rec.opened.push(i),
    updateCase: async (i: UpdateCaseInput) => void rec.updates.push(i),
    sendMail: async (i: SendMailInput) => (
      rec.mails.push(i),
      { deliveryId: i.key, status: 'sent' as const, messageId: 'x' }
    ),
    createTask: async (i: CreateTaskInput) => void rec.tasks.push({ input: i, at: await env.currentTimeMs() }),
    completeTask: async (i: { taskId: string }) => void rec.completed.push(i),
    suspensionPeriods: async () => suspensions,
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

const faultInput = (deviceCode: string) => ({
  deviceCode,
  indicator: 'lock_air_fault',
  indicatorName: '锁气卸灰故障信号',
  enterpriseId: 'ent-1',
  policy: DEFAULT_ALARM_POLICY,
});
const repair = {
  equipmentFailed: true,
  cause: '卸灰阀电机烧毁',
  repair: '更换电机并试车',
  responsible: '张工',
  by: 'ent-user',
};

it('a fault opens one device_fault case (a repeated fault coalesces); the repair filed and the ok status close it', async () => {
  const { rec, activities } = fakes();
  const w = await workflowWorker(env, 'fault-1', activities);
  await w.runUntil(async () => {
    const open = () =>
      env.client.workflow.signalWithStart(deviceFault, {
        taskQueue: 'fault-1',
        workflowId: 'fault/DEV-F1/lock_air_fault',
        args: [faultInput('DEV-F1')],
        signal: deviceFaultSignal,
        signalArgs: [{ ts: '2026-01-01T00:00:00Z' }],
      });
    const h = await open();
    await until(async () => rec.tasks.length > 0, 'the repair task');
    await open();
    const state = await h.query(deviceFaultStateQuery);
    expect(state).toMatchObject({ status: 'open', faults: 2, cleared: false });
    expect(rec.opened).toHaveLength(1);
    const caseId = rec.opened[0].caseId;
    expect(caseId).toMatch(/^fault\/DEV-F1\/lock_air_fault\/\d{8}T\d{6}Z$/);
    expect(rec.opened[0]).toMatchObject({
      type: 'device_fault',
      title: '设备故障：示例粉尘企业 DEV-F1 锁气卸灰故障信号',
      enterpriseId: 'ent-1',
      trackingAgencyId: 'zone-1-safety',
      entry: { kind: 'opened', detail: 'DEV-F1 锁气卸灰故障信号 reported a fault at 2026-01-01T00:00:00Z' },
    });
    expect(Date.parse(rec.opened[0].deadlines![0].due) - Date.parse(rec.opened[0].openedAt)).toBe(24 * H);
    expect(rec.opened[0].deadlines![0].kind).toBe('repair');
    expect(rec.tasks).toHaveLength(1);
    expect(rec.tasks[0].input).toMatchObject({
      taskId: `${caseId}/fault_repair`,
      caseId,
      caseType: 'device_fault',
      kind: 'fault_repair',
      assigneeEnterpriseId: 'ent-1',
      form: 'faultRepair',
    });
    expect(rec.mails.map((m) => [m.template, m.to])).toEqual([['fault-opened', ['safety@ent1.example']]]);

    await h.executeUpdate(fileFaultRepairUpdate, { args: [repair] });
    await expect(h.executeUpdate(fileFaultRepairUpdate, { args: [repair] })).rejects.toHaveProperty(
      'cause.message',
      'the repair is already filed',
    );
    await h.signal(faultClearedSignal, { ts: '2026-01-01T03:00:00Z' });
    expect(await h.result()).toMatchObject({ status: 'closed', cleared: true, penaltyProposed: false });
    expect(rec.completed).toEqual([expect.objectContaining({ taskId: `${caseId}/fault_repair` })]);
    const kinds = rec.updates.filter((u) => u.caseId === caseId).map((u) => u.entry?.kind);
    expect(kinds).toEqual(['notified', 'repair_filed', 'fault_cleared', 'closed']);
    expect(rec.opened.some((o) => o.type === 'penalty')).toBe(false);
  });
});

it('a fault not repaired within the policy time (P1D by default) is proposed for a penalty: 未对安全设备进行经常性维护、保养和定期检修', async () => {
  const { rec, activities } = fakes();
  const w = await workflowWorker(env, 'fault-2', activities);
  await w.runUntil(async () => {
    const start = await env.currentTimeMs();
    const h = await env.client.workflow.signalWithStart(deviceFault, {
      taskQueue: 'fault-2',
      workflowId: 'fault/DEV-F2/lock_air_fault',
      args: [faultInput('DEV-F2')],
      signal: deviceFaultSignal,
      signalArgs: [{ ts: '2026-01-01T00:00:00Z' }],
    });
    await until(async () => rec.tasks.length > 0, 'the repair task');
    // A repair report alone does not repair the device: the fault still stands at the deadline.
    await h.executeUpdate(fileFaultRepairUpdate, { args: [repair] });
    await env.sleep(25 * H);
    await until(async () => rec.tasks.some((t) => t.input.kind === 'penalty_filing'), 'the penalty filing task');
    const caseId = rec.opened[0].caseId;
    const filing = rec.tasks.find((t) => t.input.kind === 'penalty_filing')!;
    expect(filing.input).toMatchObject({
      caseId: `${caseId}/penalty`,
      assigneeAgencyId: 'district-a-dust',
      form: 'penaltyFiling',
    });
    expect(filing.at - start).toBeGreaterThanOrEqual(24 * H);
    expect(filing.at - start).toBeLessThan(24 * H + 60_000);
    const proposed = rec.opened.find((o) => o.type === 'penalty')!;
    expect(proposed).toMatchObject({ caseId: `${caseId}/penalty`, parentCaseId: caseId });
    expect(proposed.entry.detail).toBe(
      '未对安全设备进行经常性维护、保养和定期检修：设备故障 DEV-F2 锁气卸灰故障信号 自 2026-01-01T00:00:00Z 起未在 P1D 内修复',
    );
    const overdue = rec.updates.find((u) => u.caseId === caseId && u.entry?.kind === 'repair_overdue')!;
    expect(overdue.entry!.recipients).toEqual(['zone-1-safety', 'zone@gov.example']);
    expect(rec.mails.find((m) => m.template === 'fault-overdue')!.to).toEqual(['zone@gov.example']);
    expect(
      rec.updates.find((u) => u.caseId === caseId && u.entry?.kind === 'penalty_proposed')!.entry!.recipients,
    ).toEqual(['district-a-dust']);
    const p = env.client.workflow.getHandle(`${caseId}/penalty`);
    await p.executeUpdate(filePenaltyUpdate, { args: [{ summary: '故障已当日修复', decline: true, by: 'officer' }] });
    await p.result();
    await h.signal(faultClearedSignal, { ts: '2026-01-02T03:00:00Z' });
    expect(await h.result()).toMatchObject({ status: 'closed', penaltyProposed: true });
  });
});

it('a fault past its repair time on a device whose suspension the district emergency bureau approved (damage declared, 002 第二十五条) proposes no penalty and mails nobody', async () => {
  const start = await env.currentTimeMs();
  const { rec, activities } = fakes([
    { fromMs: start - H, toMs: start + 48 * H, requestId: 'suspension/ent-1/damaged' },
  ]);
  const w = await workflowWorker(env, 'fault-3', activities);
  await w.runUntil(async () => {
    const h = await env.client.workflow.signalWithStart(deviceFault, {
      taskQueue: 'fault-3',
      workflowId: 'fault/DEV-F3/lock_air_fault',
      args: [faultInput('DEV-F3')],
      signal: deviceFaultSignal,
      signalArgs: [{ ts: '2026-01-01T00:00:00Z' }],
    });
    await until(async () => rec.tasks.length > 0, 'the repair task');
    await env.sleep(25 * H);
    const caseId = rec.opened[0].caseId;
    const covered = await until(
      async () => rec.updates.find((u) => u.caseId === caseId && u.entry?.kind === 'repair_overdue_suspended'),
      'the overdue entry under the suspension',
    );
    expect(covered.entry!.detail).toBe(
      `not repaired within P1D; covered by the approved suspension suspension/ent-1/damaged until ${new Date(start + 48 * H).toISOString()}`,
    );
    expect(rec.opened.some((o) => o.type === 'penalty')).toBe(false);
    expect(rec.mails.map((m) => m.template)).toEqual(['fault-opened']);
    await h.executeUpdate(fileFaultRepairUpdate, { args: [repair] });
    await h.signal(faultClearedSignal, { ts: '2026-01-02T03:00:00Z' });
    expect(await h.result()).toMatchObject({ status: 'closed', penaltyProposed: false });
  });
});
