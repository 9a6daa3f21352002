/**
 * Device faults 设备故障 in the readings interface: an indicator of kind `fault` reports a status, not a value
 * (`status: 'fault' | 'ok'`, domain/indicators signal `fault`). The status is stored as a sample like a value (1 fault,
 * 0 ok: the same de-duplication by device + indicator + ts) and kept in the latest value's state (`inAlarm` while
 * faulty, so views highlight it); a change of status signals the indicator's one fault case
 * (`fault/<device>/<indicator>`, workflows/deviceFault.ts): signal-with-start on a fault, `faultCleared` on ok.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { AlarmPolicy, IndicatorState } from '../../domain/alarms';
import { caseIds } from '../../domain/cases';
import type { DeviceDoc, IndicatorDoc } from '../../models/masterData';
import { caseSearchAttributes } from '../../config/searchAttributes';
import { deviceFault, deviceFaultSignal, faultClearedSignal } from '../../workflows/deviceFault';

export const FAULT_STATUSES = ['fault', 'ok'] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** Whether a device's indicator reports a fault status rather than a value. */
export const reportsFault = (ind: Pick<IndicatorDoc, 'kind'>): boolean => ind.kind === 'fault';

/**
 * The sample an item stores for its indicator: a value indicator's `value`, a fault indicator's `status` as 1 / 0;
 * or the field and problem of an item that sends the other one.
 */
export function sampleOf(
  it: Record<string, unknown>,
  device: DeviceDoc,
  ind: IndicatorDoc,
): { value: number } | { field: string; error: string } {
  if (!reportsFault(ind)) {
    if (it.status !== undefined && it.value === undefined)
      return {
        field: 'status',
        error: `indicator ${ind.code} of ${device._id} reports a value: send value, not a status`,
      };
    if (typeof it.value !== 'number' || !Number.isFinite(it.value))
      return { field: 'value', error: `must be a finite number (got ${JSON.stringify(it.value)})` };
    return { value: it.value };
  }
  if (it.status === undefined)
    return {
      field: 'status',
      error: `indicator ${ind.code} of ${device._id} reports a fault status: send status "fault" or "ok", not a value`,
    };
  if (!(FAULT_STATUSES as readonly unknown[]).includes(it.status))
    return { field: 'status', error: `must be "fault" or "ok" (got ${JSON.stringify(it.status)})` };
  return { value: it.status === 'fault' ? 1 : 0 };
}

/** The state after a status sample (1 fault, 0 ok), and whether the status changed: a fault opens, an ok clears. */
export function judgeFaultStatus(
  state: IndicatorState,
  sample: number,
): { state: IndicatorState; change?: FaultStatus } {
  const fault = sample === 1;
  const next: IndicatorState = { ...state, inAlarm: fault, breachRun: 0, normalRun: 0, lastValue: sample };
  if (fault && !state.inAlarm) return { state: next, change: 'fault' };
  if (!fault && state.inAlarm) return { state: next, change: 'ok' };
  return { state: next };
}

export interface FaultChange {
  device: DeviceDoc;
  ind: IndicatorDoc;
  tsMs: number;
  change: FaultStatus;
}

/** Tells each changed fault indicator's case: a fault opens (or joins) it, an ok tells it the device works again. */
export async function signalFaultCases(
  deps: { temporal: Client; taskQueue: string; publicUrl: string },
  changes: FaultChange[],
  enterpriseId: string,
  policy: AlarmPolicy,
): Promise<void> {
  for (const c of changes) {
    const workflowId = caseIds.deviceFault(c.device._id, c.ind.code);
    const ts = new Date(c.tsMs).toISOString();
    if (c.change === 'fault') {
      await deps.temporal.workflow.signalWithStart(deviceFault, {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [
          {
            deviceCode: c.device._id,
            indicator: c.ind.code,
            indicatorName: c.ind.name,
            enterpriseId,
            policy,
            publicUrl: deps.publicUrl,
          },
        ],
        signal: deviceFaultSignal,
        signalArgs: [{ ts }],
        typedSearchAttributes: caseSearchAttributes('device_fault', enterpriseId),
      });
      continue;
    }
    try {
      await deps.temporal.workflow.getHandle(workflowId).signal(faultClearedSignal, { ts });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
}
