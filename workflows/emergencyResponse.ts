/**
 * EmergencyResponse (应急处置): 002 第十九条 — an enterprise that finds an accident while verifying a risk warning
 * starts its emergency plan at once. A child of the warning, workflow id `<warning case id>/emergency` (also its
 * case record id). At its opening the district emergency bureau is told (mail, in-app, its robot); the enterprise
 * reports its response (应急处置情况报告: actions, casualties, under control or not; again while not under control),
 * and the bureau ends the response (应急处置结束) with its conclusion once the enterprise has reported. Each step is a
 * task (the enterprise's in its portal, the bureau's in its inbox) and a timeline entry.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { boundedCaseStep } from './activityOptions';
import type { Level } from '../domain/cases';
import { failureMessage } from './bookkeeping';

export interface EmergencyResponseInput {
  parentCaseId: string;
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  level: Level;
  /** The feedback that found the accident. */
  accident: { verification: string; cause: string; measures: string; responsiblePerson: string; by: string };
  /** The district emergency bureau of the enterprise (区应急局), when there is one. */
  bureau?: { id: string; name: string; emails: string[] };
}

export interface EmergencyReport {
  /** What the enterprise has done (处置措施). */
  actions: string;
  /** Casualties and losses, when any (人员伤亡及损失). */
  casualties?: string;
  /** Under control (险情已控制): the bureau may end the response. */
  underControl: boolean;
  by: string;
}

export interface EmergencyClose {
  /** How the response ended (处置结论). */
  conclusion: string;
  by: string;
}

export interface EmergencyResponseState {
  caseId: string;
  status: 'open' | 'closed';
  reports: number;
  underControl: boolean;
}

export const emergencyReportUpdate = defineUpdate<EmergencyResponseState, [EmergencyReport]>('emergencyReport');
export const closeEmergencyUpdate = defineUpdate<EmergencyResponseState, [EmergencyClose]>('closeEmergency');
export const emergencyStateQuery = defineQuery<EmergencyResponseState>('emergencyState');

const act = proxyActivities<Activities>(boundedCaseStep('30 seconds'));

const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

export async function emergencyResponse(input: EmergencyResponseInput): Promise<EmergencyResponseState> {
  const caseId = workflowInfo().workflowId;
  const state: EmergencyResponseState = { caseId, status: 'open', reports: 0, underControl: false };
  const reports: EmergencyReport[] = [];
  let close: EmergencyClose | undefined;
  const now = () => new Date().toISOString();

  setHandler(emergencyStateQuery, () => state);
  setHandler(emergencyReportUpdate, (r) => (reports.push(r), state), {
    validator: (r: EmergencyReport) => {
      if (state.status === 'closed' || close) throw new Error('actions: the emergency response is closed');
      if (!nonEmpty(r?.actions)) throw new Error('actions: must not be empty');
      if (typeof r.underControl !== 'boolean') throw new Error('underControl: must be true or false');
    },
  });
  setHandler(closeEmergencyUpdate, (c) => ((close = c), state), {
    validator: (c: EmergencyClose) => {
      if (state.status === 'closed' || close) throw new Error('conclusion: the emergency response is already closed');
      if (state.reports + reports.length === 0)
        throw new Error('conclusion: the enterprise has not reported its response yet');
      if (!nonEmpty(c?.conclusion)) throw new Error('conclusion: must not be empty');
    },
  });

  const bureau = input.bureau;
  const a = input.accident;
  await act.openCase({
    caseId,
    type: 'emergency_response',
    title: `应急处置：${input.enterpriseName}`,
    enterpriseId: input.enterpriseId,
    regionPath: input.regionPath,
    industry: input.industry,
    trackingAgencyId: bureau?.id,
    parentCaseId: input.parentCaseId,
    level: input.level,
    openedAt: now(),
    deadlines: [],
    entry: {
      key: 'opened',
      at: now(),
      kind: 'opened',
      actor: a.by,
      detail: `事故 accident found, emergency plan activated (002 第十九条): 核查 ${a.verification}; 原因 ${a.cause}; 措施 ${a.measures}; 责任人 ${a.responsiblePerson}`,
    },
  });

  // The bureau is told at once; a refused mail is recorded, never holds the response.
  if (bureau?.emails.length) {
    const key = `${caseId}/notified`;
    await act
      .sendMail({
        key,
        caseId,
        failWhenRefused: true,
        to: bureau.emails,
        template: 'warning-emergency',
        data: {
          caseId,
          enterpriseName: input.enterpriseName,
          partyName: bureau.name,
          levelZh: input.level,
          levelEn: input.level,
          ...a,
        },
      })
      .catch((err: unknown) =>
        act.updateCase({
          caseId,
          entry: {
            key: `delivery_failed/${key}`,
            at: now(),
            kind: 'delivery_failed',
            actor: 'system',
            recipients: bureau.emails,
            detail: `email: ${failureMessage(err)}`,
          },
        }),
      );
  }
  if (bureau)
    await act.notifyInApp({
      key: `${caseId}/notified`,
      caseId,
      recipient: { kind: 'agency', id: bureau.id },
      kind: 'emergency_response',
      title: `应急处置：${input.enterpriseName}发现事故`,
    });
  await act.updateCase({
    caseId,
    entry: {
      key: 'notified',
      at: now(),
      kind: 'notified',
      actor: 'system',
      recipients: bureau ? [bureau.id, ...bureau.emails] : [],
      detail: bureau ? `区应急局 ${bureau.name}` : 'no district emergency bureau on record',
    },
  });

  const reportTask = (n: number) => `${caseId}/report/${n}`;
  await act.createTask({
    taskId: reportTask(1),
    caseId,
    caseType: 'emergency_response',
    kind: 'emergency_report',
    title: `应急处置情况报告：${input.enterpriseName}`,
    enterpriseId: input.enterpriseId,
    assigneeEnterpriseId: input.enterpriseId,
    form: 'emergencyReport',
  });
  if (bureau)
    await act.createTask({
      taskId: `${caseId}/close`,
      caseId,
      caseType: 'emergency_response',
      kind: 'emergency_close',
      title: `应急处置结束确认：${input.enterpriseName}`,
      enterpriseId: input.enterpriseId,
      assigneeAgencyId: bureau.id,
      form: 'emergencyClose',
    });

  for (;;) {
    await condition(() => reports.length > 0 || !!close);
    while (reports.length) {
      const r = reports.shift()!;
      state.reports++;
      state.underControl = r.underControl;
      await act.completeTask({ taskId: reportTask(state.reports), by: r.by, result: { ...r } });
      await act.updateCase({
        caseId,
        entry: {
          key: `emergency_reported/${state.reports}`,
          at: now(),
          kind: 'emergency_reported',
          actor: r.by,
          detail: `措施 actions: ${r.actions}${r.casualties ? `; 伤亡 casualties: ${r.casualties}` : ''}; ${r.underControl ? '险情已控制 under control' : '险情未控制 not under control'}`,
        },
      });
      // Not under control: the enterprise reports again.
      if (!r.underControl && !close)
        await act.createTask({
          taskId: reportTask(state.reports + 1),
          caseId,
          caseType: 'emergency_response',
          kind: 'emergency_report',
          title: `应急处置情况续报：${input.enterpriseName}`,
          enterpriseId: input.enterpriseId,
          assigneeEnterpriseId: input.enterpriseId,
          form: 'emergencyReport',
        });
    }
    if (close) break;
  }
  // A follow-up report task still open is answered by the close.
  if (!state.underControl)
    await act.completeTask({
      taskId: reportTask(state.reports + 1),
      by: close.by,
      result: { closedBy: close.by },
      status: 'cancelled',
    });
  await act.completeTask({ taskId: `${caseId}/close`, by: close.by, result: { conclusion: close.conclusion } });
  state.status = 'closed';
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    entry: { key: 'emergency_closed', at: now(), kind: 'emergency_closed', actor: close.by, detail: close.conclusion },
  });
  return state;
}
