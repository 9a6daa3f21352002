/**
 * SuspensionRequest (停用申报, seed 002 第二十五条): an enterprise asks to suspend devices or video
 * channels for a period (shutdown, overhaul, damage); the district emergency bureau (区应急局) verifies
 * it in its inbox (`suspension_review` task) and approves or rejects it. "未经区应急局书面允许，企业不得
 * 停止数据传输": an approval issues the written permission (停用许可, a numbered official document,
 * mailed to the enterprise), is written to suspension_requests and signalled to the sources' open
 * offline cases, which close. Workflow id `suspension/<enterpriseId>/<uuid>` = the request id.
 */
import {
  condition,
  defineQuery,
  defineUpdate,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCHES } from './patches';
import { caseStep } from './activityOptions';
import { caseIds } from '../domain/cases';
import { chineseDateTime } from '../domain/time';
import { SUSPENSION_REASON_ZH, type SuspensionRequestInput } from '../domain/offline';
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
  /** The number of the written permission (停用许可) an approval issued. */
  permissionNumber?: string;
}

export const decideSuspensionUpdate = defineUpdate<SuspensionRequestState, [SuspensionDecision]>('decideSuspension');
export const suspensionRequestStateQuery = defineQuery<SuspensionRequestState>('suspensionRequestState');

/**
 * Requests filed from here on: reviewed by the district emergency bureau (the zone safety department
 * before), an approval issues the 停用许可 document and reaches video channels' offline cases too.
 */
const BY_DISTRICT_BUREAU = PATCHES.suspensionRequest.byDistrictBureau;

const act = proxyActivities<Activities>(caseStep('30 seconds'));

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
      validator: (d: SuspensionDecision) => {
        if (state.decision) throw new Error(`the request is already ${state.status}`);
        if (typeof d?.approved !== 'boolean') throw new Error('approved: must be true or false');
      },
    },
  );

  const byBureau = patched(BY_DISTRICT_BUREAU);
  const channelIds = input.channelIds ?? [];
  const ctx = await act.enterpriseContext({ enterpriseId: input.enterpriseId });
  state.reviewAgencyId = byBureau ? ctx.agencies.district_emergency_bureau?.id : ctx.agencies.zone_safety_dept?.id;
  await act.recordSuspension({ requestId, ...input, reviewAgencyId: state.reviewAgencyId });
  const sources = [...input.deviceCodes.map((c) => `设备 ${c}`), ...channelIds.map((c) => `视频通道 ${c}`)].join('、');
  await act.createTask({
    taskId: `${requestId}/suspension_review`,
    caseId: requestId,
    caseType: 'device_offline',
    kind: 'suspension_review',
    title: byBureau
      ? `停用申报审核：${ctx.enterpriseName} ${sources}`
      : `停用申报审核：${ctx.enterpriseName} ${input.deviceCodes.join(', ')}`,
    enterpriseId: input.enterpriseId,
    assigneeAgencyId: state.reviewAgencyId,
    form: 'suspensionReview',
  });

  await condition(() => !!state.decision);
  const d = state.decision!;
  await act.decideSuspensionRecord({ requestId, approved: d.approved, by: d.by, note: d.note, at: d.at });
  await act.completeTask({
    taskId: `${requestId}/suspension_review`,
    by: d.by,
    result: { approved: d.approved, note: d.note },
  });
  if (!d.approved) return state;

  if (byBureau) {
    // The written permission (书面允许): numbered by the reviewing bureau, kept on the request, mailed to the enterprise.
    const doc = await act.issueDocument({
      caseId: requestId,
      step: 'suspension_permission',
      kind: 'suspension_permission',
      agencyId: state.reviewAgencyId ?? 'platform',
      enterpriseId: input.enterpriseId,
      toRole: 'enterprise',
      toId: input.enterpriseId,
      issuedAt: d.at,
      facts: {
        requestId,
        requestedAt: chineseDateTime(input.requestedAt ?? d.at),
        reasonZh: SUSPENSION_REASON_ZH[input.reason],
        detail: input.detail ?? '',
        sources,
        from: chineseDateTime(input.from),
        to: chineseDateTime(input.to),
        note: d.note ?? '',
      },
    });
    state.permissionNumber = doc.number;
    await act.recordSuspensionPermission({ requestId, documentId: doc.documentId, number: doc.number });
    if (ctx.emails.length) {
      await act.sendMail({
        key: `${requestId}/suspension_permission`,
        caseId: requestId,
        to: ctx.emails,
        template: 'official-document',
        data: {
          caseId: requestId,
          enterpriseName: ctx.enterpriseName,
          agencyName: ctx.agencies.district_emergency_bureau?.name ?? '区应急局',
          title: doc.title,
          number: doc.number,
        },
        attachments: [{ filename: doc.filename, path: doc.path }],
      });
    }
  }
  const covered = [
    ...input.deviceCodes.map((id) => caseIds.deviceOffline('sensor', id)),
    ...(byBureau ? channelIds.map((id) => caseIds.deviceOffline('video', id)) : []),
  ];
  for (const workflowId of covered) {
    try {
      await getExternalWorkflowHandle(workflowId).signal(suspensionApprovedSignal, {
        requestId,
        from: input.from,
        to: input.to,
      });
    } catch {
      // No open offline case for this source: the approval is in suspension_requests for the sweeper and the next case.
    }
  }
  return state;
}
