/**
 * DeviceFault (设备故障): a device's fault status — not a value beyond a threshold — opens a case of its own kind, one
 * per fault indicator at a time (workflow id `fault/<deviceCode>/<indicator>`, signal-with-start from ingestion, so a
 * repeated fault report coalesces). The enterprise is told and gets a `fault_repair` task: it verifies whether the
 * equipment failed (001 二（三）) and files what it repaired. The device reporting `ok` again is the repair; a fault
 * still standing at the policy's `faultRepairWithin` is overdue: the zone safety department is told and a penalty
 * case is proposed to the district industry regulator for "未对安全设备进行经常性维护、保养和定期检修" (002 第二十五条).
 * A device under a suspension the district emergency bureau approved (the damage declared, 002 第二十五条) is not in
 * breach: past the repair time it is only noted. The case closes when the device reports ok and the repair report is
 * filed. Every step is a timeline entry.
 */
import {
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { type AlarmPolicy, faultRepairWithinOf } from '../domain/alarms';
import { compactInstant } from '../domain/cases';
import { parseDuration } from '../domain/durations';
import { caseStep } from './activityOptions';
import { localBookkeeping as book } from './bookkeeping';
import { openEnterpriseTask, recordDeviceCaseOpening, recordNotified } from './deviceCase';
import { recordFiledStep, refuseRefiling, requireTexts } from './filedStep';
import { proposeBreachPenalty, tellZoneOverdue } from './overdueBreach';
import { PATCHES } from './patches';

export interface DeviceFaultInput {
  deviceCode: string;
  indicator: string;
  indicatorName: string;
  enterpriseId: string;
  /** The alarm policy in force when the fault was reported (its `faultRepairWithin`). */
  policy: AlarmPolicy;
  publicUrl?: string;
}

/** What the enterprise files on its repair task: whether the equipment failed, the cause, the repair, who. */
export interface FaultRepair {
  /** false: the verification found the equipment sound (a false fault signal). */
  equipmentFailed: boolean;
  cause: string;
  repair: string;
  responsible: string;
  by: string;
}

export interface DeviceFaultState {
  caseId?: string;
  status: 'opening' | 'open' | 'closed';
  /** When the fault was first reported (the device's own instant). */
  faultAt?: string;
  /** Fault reports this case received (repeats coalesce into it). */
  faults: number;
  /** The device reports ok again. */
  cleared: boolean;
  clearedAt?: string;
  repair?: FaultRepair;
  repairDue?: string;
  penaltyProposed: boolean;
}

/** The device reports a fault (also the signal of signal-with-start). */
export const deviceFaultSignal = defineSignal<[{ ts: string }]>('deviceFault');
/** The device reports ok again. */
export const faultClearedSignal = defineSignal<[{ ts: string }]>('faultCleared');
/** The enterprise files its verification and repair; refused when one is filed already or a field is empty. */
export const fileFaultRepairUpdate = defineUpdate<DeviceFaultState, [FaultRepair]>('fileFaultRepair');
export const deviceFaultStateQuery = defineQuery<DeviceFaultState>('deviceFaultState');

const act = proxyActivities<Activities>(caseStep('30 seconds'));

export async function deviceFault(input: DeviceFaultInput): Promise<DeviceFaultState> {
  const state: DeviceFaultState = { status: 'opening', faults: 0, cleared: false, penaltyProposed: false };
  let pendingClear = false;
  let pendingFault = false;

  setHandler(deviceFaultStateQuery, () => state);
  setHandler(deviceFaultSignal, (f) => {
    state.faults++;
    state.faultAt ??= f.ts;
    // A fault reported again after an ok: the device is faulty again, the case waits for the next ok.
    if (state.cleared) pendingFault = true;
    state.cleared = false;
    pendingClear = false;
  });
  setHandler(faultClearedSignal, (c) => {
    if (!state.faultAt || state.cleared) return;
    state.cleared = true;
    state.clearedAt = c.ts;
    pendingClear = true;
  });
  setHandler(
    fileFaultRepairUpdate,
    (r) => {
      state.repair = r;
      return state;
    },
    {
      validator: (r: FaultRepair) => {
        refuseRefiling({ closed: state.status === 'closed', filed: !!state.repair }, 'repair');
        if (typeof r?.equipmentFailed !== 'boolean') throw new Error('equipmentFailed: must be true or false');
        requireTexts(r, ['cause', 'repair', 'responsible']);
      },
    },
  );

  // Signal-with-start delivers the fault before the first line runs; wait for it anyway.
  await condition(() => !!state.faultAt);
  const faultAt = state.faultAt!;
  const now = () => new Date().toISOString();
  const openedAt = now();
  const caseId = `${workflowInfo().workflowId}/${compactInstant(openedAt)}`;
  state.caseId = caseId;
  const repairWithin = faultRepairWithinOf(input.policy);
  state.repairDue = new Date(Date.now() + parseDuration(repairWithin)).toISOString();

  const ctx = await book.enterpriseContext({ enterpriseId: input.enterpriseId });
  const zone = ctx.agencies.zone_safety_dept;
  const what = `${input.deviceCode} ${input.indicatorName}`;
  const mailData = {
    caseId,
    enterpriseName: ctx.enterpriseName,
    deviceCode: input.deviceCode,
    indicatorName: input.indicatorName,
    ts: faultAt,
    repairWithin,
    repairDue: state.repairDue,
    caseUrl: `${input.publicUrl ?? ''}/cases/${encodeURIComponent(caseId)}`,
  };
  // The enterprise's mail beside the case's recording, as an alarm's (reading → mail is the latency that matters).
  await recordDeviceCaseOpening(book, act, {
    caseId,
    type: 'device_fault',
    title: `设备故障：${ctx.enterpriseName} ${what}`,
    ctx,
    policyVersion: input.policy.version,
    openedAt,
    deadline: { kind: 'repair', due: state.repairDue },
    detail: `${what} reported a fault at ${faultAt}`,
    mail: ctx.emails.length ? { template: 'fault-opened', data: mailData } : undefined,
  });
  state.status = 'open';
  await openEnterpriseTask(book, {
    caseId,
    step: 'fault_repair',
    caseType: 'device_fault',
    title: `设备故障核实与维修：${what}`,
    ctx,
    due: state.repairDue,
    form: 'faultRepair',
  });
  await recordNotified(book, caseId, ctx, now());

  const dueAt = Date.parse(state.repairDue);
  let repairWritten = false;
  let clearEntries = 0;
  let faultEntries = 0;
  let overdue = false;
  for (;;) {
    const work = () => pendingClear || pendingFault || (!!state.repair && !repairWritten);
    const waitMs = !overdue && !state.cleared ? Math.max(dueAt - Date.now(), 1) : undefined;
    const woke = waitMs === undefined ? (await condition(work), true) : await condition(work, waitMs);
    if (!woke) {
      overdue = true;
      await proposePenalty();
      continue;
    }
    if (state.repair && !repairWritten) {
      const r = state.repair;
      await recordFiledStep(act, caseId, {
        step: 'fault_repair',
        by: r.by,
        result: { ...r },
        kind: 'repair_filed',
        detail: `${r.equipmentFailed ? '确属设备故障 equipment failed' : '设备未发生故障 no equipment failure'}; 原因 cause: ${r.cause}; 维修 repair: ${r.repair}; 责任人 responsible: ${r.responsible}`,
      });
      repairWritten = true;
    }
    if (pendingFault) {
      pendingFault = false;
      faultEntries++;
      await act.updateCase({
        caseId,
        entry: { key: `fault_again/${faultEntries}`, at: now(), kind: 'fault_again', actor: 'system' },
      });
    }
    if (pendingClear) {
      pendingClear = false;
      clearEntries++;
      await act.updateCase({
        caseId,
        deadlines: [],
        entry: {
          key: clearEntries === 1 ? 'fault_cleared' : `fault_cleared/${clearEntries}`,
          at: now(),
          kind: 'fault_cleared',
          actor: 'system',
          detail: `${what} reported ok at ${state.clearedAt}`,
        },
      });
    }
    if (state.cleared && repairWritten && !pendingClear && !pendingFault) break;
  }

  state.status = 'closed';
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system' },
  });
  return state;

  /** Past the repair time: the zone is told, and the district industry regulator gets a penalty proposal (002 第二十五条). */
  async function proposePenalty(): Promise<void> {
    // Damage declared (停用申报) and approved by the district emergency bureau is the lawful way: no breach.
    if (patched(PATCHES.deviceFault.suspensionCoversRepair)) {
      const at = Date.now();
      const cover = (await act.suspensionPeriods({ sourceId: input.deviceCode, sourceKind: 'sensor' })).find(
        (s) => s.fromMs <= at && at < s.toMs,
      );
      if (cover) {
        await act.updateCase({
          caseId,
          entry: {
            key: 'repair_overdue',
            at: now(),
            kind: 'repair_overdue_suspended',
            actor: 'system',
            detail: `not repaired within ${repairWithin}; covered by the approved suspension ${cover.requestId ?? ''} until ${new Date(cover.toMs).toISOString()}`,
          },
        });
        return;
      }
    }
    await tellZoneOverdue(act, {
      caseId,
      zone,
      kind: 'repair_overdue',
      template: 'fault-overdue',
      data: mailData,
      detail: `not repaired within ${repairWithin}`,
      at: now,
    });
    const regulator = ctx.agencies.district_industry_regulator ?? ctx.agencies.district_emergency_bureau;
    if (!regulator) return;
    await proposeBreachPenalty(act, {
      caseId,
      enterpriseId: ctx.enterpriseId,
      regulatorId: regulator.id,
      rule: 'equipment_not_maintained',
      facts: `设备故障 ${what} 自 ${faultAt} 起未在 ${repairWithin} 内修复`,
      at: now,
    });
    state.penaltyProposed = true;
  }
}
