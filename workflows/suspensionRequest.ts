/**
 * SuspensionRequest (停用申报, seed 002 第二十五条): an enterprise asks to suspend devices for a period
 * (shutdown, overhaul, damage); the zone safety department reviews it in its inbox
 * (`suspension_review` task) and approves or rejects it. An approval is written to
 * suspension_requests and signalled to the devices' open offline cases, which stop escalating.
 * Workflow id `suspension/<enterpriseId>/<uuid>` = the request id.
 */
import { condition, defineQuery, defineUpdate, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { SuspensionRequestInput } from '../activities/monitoring';
import { caseIds } from '../domain/cases';
import { suspensionApprovedSignal } from './deviceOffline';

export type SuspensionRequestWfInput = SuspensionRequestInput;

export interface SuspensionDecision {
  approved: boolean;
  by: string;
  note?: string;
}

export interface SuspensionRequestState {
  requestId: string;
  status: 'pending' | 'approved' | 'rejected';
  reviewAgencyId?: string;
  decision?: SuspensionDecision & { at: string };
}

export const decideSuspensionUpdate = defineUpdate<SuspensionRequestState, [SuspensionDecision]>('decideSuspension');
export const suspensionRequestStateQuery = defineQuery<SuspensionRequestState>('suspensionRequestState');

const act = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function suspensionRequest(input: SuspensionRequestWfInput): Promise<SuspensionRequestState> {
  const requestId = workflowInfo().workflowId;
  const state: SuspensionRequestState = { requestId, status: 'pending' };
  setHandler(suspensionRequestStateQuery, () => state);
  setHandler(
    decideSuspensionUpdate,
    (d) => {
      state.decision = { ...d, at: new Date().toISOString() };
      state.status = d.approved ? 'approved' : 'rejected';
      return state;
    },
    {
      validator: (d) => {
        if (state.decision) throw new Error(`the request is already ${state.status}`);
        if (typeof d?.approved !== 'boolean') throw new Error('approved: must be true or false');
      },
    },
  );

  const ctx = await act.enterpriseContext({ enterpriseId: input.enterpriseId });
  state.reviewAgencyId = ctx.agencies.zone_safety_dept?.id;
  await act.recordSuspension({ requestId, ...input, reviewAgencyId: state.reviewAgencyId });
  await act.createTask({
    taskId: `${requestId}/suspension_review`,
    caseId: requestId,
    caseType: 'device_offline',
    kind: 'suspension_review',
    title: `停用申报审核：${ctx.enterpriseName} ${input.deviceCodes.join(', ')}`,
    enterpriseId: input.enterpriseId,
    assigneeAgencyId: state.reviewAgencyId,
    form: 'suspensionReview',
  });

  await condition(() => !!state.decision);
  const d = state.decision!;
  await act.decideSuspensionRecord({ requestId, approved: d.approved, by: d.by, note: d.note, at: d.at });
  await act.completeTask({ taskId: `${requestId}/suspension_review`, by: d.by, result: { approved: d.approved, note: d.note } });
  if (d.approved) {
    for (const code of input.deviceCodes) {
      try {
        await getExternalWorkflowHandle(caseIds.deviceOffline('sensor', code)).signal(suspensionApprovedSignal, { requestId, from: input.from, to: input.to });
      } catch {
        // No open offline case for this device: the approval is in suspension_requests for the next one.
      }
    }
  }
  return state;
}
