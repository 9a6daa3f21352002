/**
 * EnforcementInspection (现场执法检查): the on-site enforcement inspection of a year's key enforcement target
 * (年度执法检查重点对象, 002 第三十、三十一条), scheduled by a regulator or an administrator. A case of its own
 * (`key-target/<year>/<enterpriseId>`, once per enterprise and year, its task `…/inspection`): the district industry regulator's
 * task, the findings it records, and the timeline. Deterministic; the activities do the I/O.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseStep } from './activityOptions';
import { recordFiledStep } from './filedStep';

export interface EnforcementInspectionInput {
  year: number;
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  /** The district industry regulator (or, without one, the district emergency bureau) that inspects. */
  agencyId?: string;
  /** Why the enterprise is on the year's list: each month and reason, as the task's title names them. */
  reasons: string;
  scheduledBy: string;
  scheduledAt: string;
  note?: string;
}

export interface InspectionRecord {
  findings: string;
  violationsFound: boolean;
  by: string;
}

export interface EnforcementInspectionState {
  caseId: string;
  status: 'open' | 'closed';
  record?: InspectionRecord;
}

/** The inspecting agency records what it found; refused once recorded, or with empty findings. */
export const recordInspectionUpdate = defineUpdate<EnforcementInspectionState, [InspectionRecord]>('recordInspection');
export const enforcementInspectionStateQuery = defineQuery<EnforcementInspectionState>('enforcementInspectionState');

const act = proxyActivities<Activities>(caseStep('30 seconds'));

export async function enforcementInspection(input: EnforcementInspectionInput): Promise<EnforcementInspectionState> {
  const caseId = workflowInfo().workflowId;
  const state: EnforcementInspectionState = { caseId, status: 'open' };
  setHandler(enforcementInspectionStateQuery, () => state);
  setHandler(
    recordInspectionUpdate,
    (r) => {
      state.record = r;
      return state;
    },
    {
      validator: (r: InspectionRecord) => {
        if (state.record) throw new Error('the inspection is already recorded');
        if (!r?.findings?.trim()) throw new Error('findings: must not be empty');
        if (typeof r.violationsFound !== 'boolean') throw new Error('violationsFound: must be true or false');
      },
    },
  );

  await act.openCase({
    caseId,
    type: 'enforcement_inspection',
    title: `现场执法检查（${input.year}年度重点执法对象）：${input.enterpriseName}`,
    enterpriseId: input.enterpriseId,
    regionPath: input.regionPath,
    industry: input.industry,
    trackingAgencyId: input.agencyId,
    openedAt: input.scheduledAt,
    entry: {
      key: 'opened',
      at: input.scheduledAt,
      kind: 'opened',
      actor: input.scheduledBy,
      recipients: input.agencyId ? [input.agencyId] : [],
      detail: `${input.reasons}${input.note ? `; ${input.note}` : ''}`,
    },
  });
  await act.createTask({
    taskId: `${caseId}/inspection`,
    caseId,
    caseType: 'enforcement_inspection',
    kind: 'enforcement_inspection',
    title: `现场执法检查（${input.year}年度重点执法对象）：${input.enterpriseName}（${input.reasons}）`,
    enterpriseId: input.enterpriseId,
    assigneeAgencyId: input.agencyId,
    form: 'enforcementInspectionRecord',
  });

  await condition(() => !!state.record);
  const r = state.record!;
  await recordFiledStep(act, caseId, {
    step: 'inspection',
    by: r.by,
    result: { findings: r.findings, violationsFound: r.violationsFound },
    kind: 'inspected',
    detail: `${r.violationsFound ? '发现违法行为 violations found' : '未发现违法行为 no violation found'}; 检查情况 findings: ${r.findings}`,
  });
  state.status = 'closed';
  const closedAt = new Date().toISOString();
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt,
    entry: { key: 'closed', at: closedAt, kind: 'closed', actor: 'system' },
  });
  return state;
}
