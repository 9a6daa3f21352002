/**
 * OnSiteSupervision (现场核查督办): a child of a risk warning not downgraded by its on-site deadline,
 * workflow id `<warning case id>/onsite/<n>` (also its case record id). The tracking agency assigns
 * inspectors with a due date → records the on-site visit (findings, hazards) → a rectification order
 * (责令整改) with its deadline when hazards were found → a re-inspection reminder at the deadline →
 * passed / failed. Each step is a task in the agency's inbox (the rectification one in the enterprise's
 * portal); completing a task sends the update of the same name. The enterprise receives the on-site
 * supervision notice (现场核查督办通知) at the start and the rectification order (责令限期整改指令书)
 * when hazards are found, each a numbered PDF; a failed re-inspection can open a Penalty (行政处罚).
 */
import {
  ParentClosePolicy,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCHES } from './patches';
import { caseStep } from './activityOptions';
import { LEVEL_ZH, type Level } from '../domain/cases';
import { chineseDateTime } from '../domain/time';
import { durationZh, parseDuration } from '../domain/durations';
import { failureMessage } from './bookkeeping';
import { penalty } from './penalty';
import { recordFiledStep } from './filedStep';

export interface OnSiteSupervisionInput {
  parentCaseId: string;
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  level: Level;
  agencyId?: string;
  agencyName?: string;
  agencyEmails: string[];
  onSiteAfter: string;
  citation: string;
  /** When the warning's level clock started (printed on the on-site supervision notice). */
  since?: string;
}

export interface AssignInspectors {
  inspectors: string[];
  due: string;
  by: string;
}
export interface OnSiteRecord {
  findings: string;
  hazards: string[];
  /** Rectification deadline (责令整改期限), required when hazards were found. */
  rectifyBy?: string;
  by: string;
}
export interface Rectified {
  measures: string;
  by: string;
}
export interface Reinspection {
  passed: boolean;
  note?: string;
  /** Failed: open a penalty (行政处罚) for the hazards not rectified. */
  openPenalty?: boolean;
  by: string;
}

export interface OnSiteSupervisionState {
  caseId: string;
  status: 'open' | 'closed';
  step: 'assign' | 'record' | 'rectification' | 'reinspection' | 'passed' | 'failed';
  inspectors?: string[];
  due?: string;
  rectifyBy?: string;
  outcome?: 'passed' | 'failed';
  penaltyCaseId?: string;
}

export const assignInspectorsUpdate = defineUpdate<OnSiteSupervisionState, [AssignInspectors]>('assignInspectors');
export const recordOnSiteUpdate = defineUpdate<OnSiteSupervisionState, [OnSiteRecord]>('recordOnSite');
export const rectifiedUpdate = defineUpdate<OnSiteSupervisionState, [Rectified]>('rectified');
export const reinspectUpdate = defineUpdate<OnSiteSupervisionState, [Reinspection]>('reinspect');
export const onSiteStateQuery = defineQuery<OnSiteSupervisionState>('onSiteState');

const act = proxyActivities<Activities>(caseStep('30 seconds'));

/**
 * A mail of the case: one refused for good (a non-retryable failure) is recorded on the timeline and the case goes
 * on, instead of the case failing (before, such a mail was retried forever: no earlier history took this path).
 */
async function mailOrRecord(m: Parameters<Activities['sendMail']>[0]): Promise<void> {
  await act.sendMail({ ...m, failWhenRefused: true }).catch((err: unknown) =>
    act.updateCase({
      caseId: m.caseId!,
      entry: {
        key: `delivery_failed/${m.key}`,
        at: new Date().toISOString(),
        kind: 'delivery_failed',
        actor: 'system',
        recipients: m.to,
        detail: `email: ${failureMessage(err)}`,
      },
    }),
  );
}

const isInstant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export async function onSiteSupervision(input: OnSiteSupervisionInput): Promise<OnSiteSupervisionState> {
  const caseId = workflowInfo().workflowId;
  const state: OnSiteSupervisionState = { caseId, status: 'open', step: 'assign' };
  let assign: AssignInspectors | undefined;
  let record: OnSiteRecord | undefined;
  let rectified: Rectified | undefined;
  let reinspection: Reinspection | undefined;
  const refuseUnless = (step: OnSiteSupervisionState['step'], field: string) => {
    if (state.step !== step) throw new Error(`${field}: this step is not open (the case is at ${state.step})`);
  };

  setHandler(onSiteStateQuery, () => state);
  setHandler(assignInspectorsUpdate, (a) => ((assign = a), (state.step = 'record'), state), {
    validator: (a: AssignInspectors) => {
      refuseUnless('assign', 'inspectors');
      if (
        !Array.isArray(a?.inspectors) ||
        !a.inspectors.length ||
        a.inspectors.some((x: unknown) => typeof x !== 'string' || !x.trim())
      )
        throw new Error('inspectors: must name at least one inspector');
      if (!isInstant(a.due)) throw new Error('due: must be an ISO-8601 instant');
    },
  });
  setHandler(
    recordOnSiteUpdate,
    (r) => ((record = r), (state.step = r.hazards.length ? 'rectification' : 'passed'), state),
    {
      validator: (r: OnSiteRecord) => {
        refuseUnless('record', 'findings');
        if (typeof r?.findings !== 'string' || !r.findings.trim()) throw new Error('findings: must not be empty');
        if (!Array.isArray(r.hazards)) throw new Error('hazards: must be a list (empty when none)');
        if (r.hazards.length && !isInstant(r.rectifyBy))
          throw new Error('rectifyBy: a rectification deadline is required when hazards were found');
      },
    },
  );
  setHandler(rectifiedUpdate, (r) => ((rectified = r), state), {
    validator: (r: Rectified) => {
      refuseUnless('rectification', 'measures');
      if (rectified) throw new Error('measures: the rectification is already reported');
      if (typeof r?.measures !== 'string' || !r.measures.trim()) throw new Error('measures: must not be empty');
    },
  });
  setHandler(reinspectUpdate, (r) => ((reinspection = r), state), {
    validator: (r: Reinspection) => {
      if ((state.step !== 'rectification' && state.step !== 'reinspection') || reinspection)
        throw new Error(`passed: this step is not open (the case is at ${state.step})`);
      if (typeof r?.passed !== 'boolean') throw new Error('passed: must be true or false');
      if (r.passed && r.openPenalty)
        throw new Error('openPenalty: a penalty is opened only when the re-inspection fails');
    },
  });

  const now = () => new Date().toISOString();
  const agency = input.agencyId ? [input.agencyId, ...input.agencyEmails] : [];
  await act.openCase({
    caseId,
    type: 'onsite_supervision',
    title: `现场核查督办：${input.enterpriseName}`,
    enterpriseId: input.enterpriseId,
    regionPath: input.regionPath,
    industry: input.industry,
    trackingAgencyId: input.agencyId,
    parentCaseId: input.parentCaseId,
    level: input.level,
    openedAt: now(),
    entry: {
      key: 'opened',
      at: now(),
      kind: 'opened',
      actor: 'system',
      recipients: agency,
      detail: `${input.level} warning ${input.parentCaseId} not downgraded within ${input.onSiteAfter} (${input.citation})`,
    },
  });
  // Task forms (web/services/tasks.ts validates each): onsiteAssign, onsiteRecord, rectificationReply, reinspection.
  const FORMS: Record<string, string> = {
    onsite_assign: 'onsiteAssign',
    onsite_record: 'onsiteRecord',
    rectification: 'rectificationReply',
    reinspection: 'reinspection',
  };
  const task = (step: string, kind: string, title: string, due?: string, enterprise = false) =>
    act.createTask({
      taskId: `${caseId}/${step}`,
      caseId,
      caseType: 'onsite_supervision',
      kind,
      title: `${title}：${input.enterpriseName}`,
      enterpriseId: input.enterpriseId,
      ...(enterprise ? { assigneeEnterpriseId: input.enterpriseId } : { assigneeAgencyId: input.agencyId }),
      due,
      form: FORMS[kind] ?? kind,
    });
  // The agency's on-site mail (warning-onsite): once when notified, once more at the rectification deadline.
  const mailAgency = async (step: 'notified' | 'reinspection_due', due: string | undefined) => {
    if (!input.agencyEmails.length) return;
    await mailOrRecord({
      key: `${caseId}/${step}`,
      caseId,
      to: input.agencyEmails,
      template: 'warning-onsite',
      data: {
        caseId,
        enterpriseName: input.enterpriseName,
        partyName: input.agencyName,
        levelZh: input.level,
        levelEn: input.level,
        onSiteAfter: input.onSiteAfter,
        citation: input.citation,
        due,
      },
    });
  };
  await mailAgency('notified', '');
  // Histories recorded before official documents existed replay without them.
  const withDocuments = patched(PATCHES.onSiteSupervision.officialDocuments);
  const issue = async (step: 'onsite_notice' | 'rectification_order', facts: Record<string, string>) => {
    const d = await act.issueDocument({
      caseId,
      step,
      kind: step,
      agencyId: input.agencyId ?? 'platform',
      enterpriseId: input.enterpriseId,
      level: input.level,
      toRole: 'enterprise',
      toId: input.enterpriseId,
      issuedAt: now(),
      facts,
    });
    const ctx = await act.followUpContext({ enterpriseId: input.enterpriseId, agencyId: input.agencyId ?? 'platform' });
    if (ctx.enterpriseEmails.length) {
      await mailOrRecord({
        key: `${caseId}/${step}`,
        caseId,
        to: ctx.enterpriseEmails,
        template: 'official-document',
        data: {
          caseId,
          enterpriseName: input.enterpriseName,
          agencyName: input.agencyName ?? ctx.agencyName,
          title: d.title,
          number: d.number,
        },
        attachments: [{ filename: d.filename, path: d.path }],
      });
    }
    await act.updateCase({
      caseId,
      entry: {
        key: `document/${step}`,
        at: now(),
        kind: 'document_issued',
        actor: input.agencyId ?? 'system',
        recipients: [input.enterpriseId, ...ctx.enterpriseEmails],
        detail: `${d.title} ${d.number}`,
      },
    });
  };
  // The child starts at the on-site deadline, so the level's clock started onSiteAfter before it.
  const since = input.since ?? new Date(Date.now() - parseDuration(input.onSiteAfter)).toISOString();
  if (withDocuments)
    await issue('onsite_notice', {
      levelZh: LEVEL_ZH[input.level],
      since: chineseDateTime(since),
      onSiteAfterZh: durationZh(input.onSiteAfter),
    });
  await task('assign', 'onsite_assign', '指派现场核查人员');

  await condition(() => !!assign);
  state.inspectors = assign!.inspectors;
  state.due = assign!.due;
  await recordFiledStep(act, caseId, {
    step: 'assign',
    by: assign!.by,
    result: { inspectors: assign!.inspectors, due: assign!.due },
    deadlines: [{ kind: 'onsite_record', due: assign!.due }],
    kind: 'inspectors_assigned',
    recipients: assign!.inspectors,
    detail: `due ${assign!.due}`,
  });
  await task('record', 'onsite_record', '现场核查记录', assign!.due);

  await condition(() => !!record);
  const r = record!;
  await recordFiledStep(act, caseId, {
    step: 'record',
    by: r.by,
    result: { findings: r.findings, hazards: r.hazards, rectifyBy: r.rectifyBy },
    deadlines: [],
    kind: 'onsite_recorded',
    detail: `${r.findings}; hazards: ${r.hazards.join('; ') || 'none'}`,
  });
  if (r.hazards.length) {
    state.rectifyBy = r.rectifyBy;
    await act.updateCase({
      caseId,
      deadlines: [{ kind: 'rectification', due: r.rectifyBy! }],
      entry: {
        key: 'rectification_ordered',
        at: now(),
        kind: 'rectification_ordered',
        actor: r.by,
        recipients: [input.enterpriseId],
        detail: `责令整改 by ${r.rectifyBy}: ${r.hazards.join('; ')}`,
      },
    });
    if (withDocuments)
      await issue('rectification_order', {
        inspectedAt: chineseDateTime(now()),
        hazards: r.hazards.map((h, i) => `${i + 1}. ${h}`).join('；'),
        findings: r.findings,
        rectifyBy: chineseDateTime(r.rectifyBy!),
      });
    await task('rectification', 'rectification', '责令整改', r.rectifyBy, true);
    const deadlineMs = Date.parse(r.rectifyBy!);
    let rectifiedWritten = false;
    while (!reinspection) {
      const woke = await condition(
        () => !!reinspection || (!!rectified && !rectifiedWritten),
        Math.max(deadlineMs - Date.now(), 1),
      );
      if (rectified && !rectifiedWritten) {
        rectifiedWritten = true;
        await recordFiledStep(act, caseId, {
          step: 'rectification',
          by: rectified.by,
          result: { measures: rectified.measures },
          kind: 'rectified',
          detail: rectified.measures,
        });
      }
      if (!woke) break;
    }
    if (!reinspection) {
      // The rectification deadline: re-inspection reminder to the agency (整改复查).
      state.step = 'reinspection';
      await mailAgency('reinspection_due', r.rectifyBy);
      await act.updateCase({
        caseId,
        deadlines: [],
        entry: {
          key: 'reinspection_due',
          at: now(),
          kind: 'reinspection_due',
          actor: 'system',
          recipients: agency,
          detail: `rectification deadline ${r.rectifyBy}`,
        },
      });
      await task('reinspection', 'reinspection', '整改复查');
      await condition(() => !!reinspection);
    }
    await act.completeTask({
      taskId: `${caseId}/reinspection`,
      by: reinspection!.by,
      result: { passed: reinspection!.passed, note: reinspection!.note },
      status: 'done',
    });
  }
  state.outcome = !r.hazards.length || reinspection!.passed ? 'passed' : 'failed';
  state.step = state.outcome;
  state.status = 'closed';
  const by = reinspection?.by ?? r.by;
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: { key: state.outcome, at: now(), kind: state.outcome, actor: by, detail: reinspection?.note },
  });
  if (state.outcome === 'failed' && reinspection?.openPenalty && input.agencyId) {
    // 002 第二十五条: hazards not rectified → a penalty case of its own, outliving this one.
    const penaltyCaseId = `${caseId}/penalty`;
    await startChild(penalty, {
      workflowId: penaltyCaseId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          enterpriseId: input.enterpriseId,
          agencyId: input.agencyId,
          violation: `现场核查发现的事故隐患逾期未整改：${r.hazards.join('；')}`,
          parentCaseId: caseId,
          level: input.level,
        },
      ],
    });
    state.penaltyCaseId = penaltyCaseId;
    await act.updateCase({
      caseId,
      entry: {
        key: 'penalty_opened',
        at: now(),
        kind: 'penalty_opened',
        actor: by,
        recipients: [input.agencyId],
        detail: penaltyCaseId,
      },
    });
  }
  return state;
}
