/**
 * Penalty (行政处罚): opened when a re-inspection fails (现场核查复查不合格), by a regulator, or proposed
 * by the platform on a breach of seed 002 第二十五条 (`proposal`: an alarm not disposed in time, a device
 * fault not repaired, a serious breach), whose filing task files it or declines it (不予立案) with a reason. Workflow id = case record id, given by the opener (e.g. `<on-site case>/penalty`).
 * Filing (立案) → investigation and evidence (调查取证) → advance notice (行政处罚告知书, issued and
 * mailed with its PDF) → the statement / hearing window (陈述申辩、听证, a timer; the enterprise
 * answers in its portal) → hearing when asked → decision (行政处罚决定书, or none: 不予处罚) →
 * service (送达) → execution (执行) → closed. Each step is a task; the clocks are the enforcement
 * policy's (domain/enforcement), kept at the version it opened under. An accepted answer moves
 * `state.step` at once, so the next step's answer is accepted even before its task is written.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseStep } from './activityOptions';
import type { Level } from '../domain/cases';
import { chineseDate } from '../domain/time';
import { EnforcementPolicy, PenaltyProposal, after } from '../domain/enforcement';
import { recordFiledStep } from './filedStep';
import { enforcementSetting, enforcementTask } from './enforcementCase';

export interface PenaltyInput {
  enterpriseId: string;
  /** The agency that investigates and decides (执法部门). */
  agencyId: string;
  /** The suspected violation, as found (e.g. the failed re-inspection's hazards). */
  violation: string;
  parentCaseId?: string;
  level?: Level;
  policy?: EnforcementPolicy;
  /** Proposed by the platform on a breach of 002 第二十五条: the filing task may decline it, with a reason. */
  proposal?: PenaltyProposal;
}

export interface PenaltyFiling {
  /** The filing summary, or the reason for declining a proposal. */
  summary: string;
  /** A proposed penalty not filed (不予立案): the case closes with the reason. */
  decline?: boolean;
  by: string;
}
export interface PenaltyInvestigation {
  evidence: string[];
  proposedPenalty: string;
  by: string;
}
export interface PenaltyStatement {
  statement?: string;
  hearingRequested: boolean;
  by: string;
}
export interface PenaltyHearing {
  record: string;
  by: string;
}
export interface PenaltyDecision {
  /** false: 不予行政处罚 — the case closes without a decision document. */
  penalize: boolean;
  decision: string;
  fineYuan?: number;
  /** The review of the enterprise's statement, printed in the decision. */
  statementReview?: string;
  by: string;
}
export interface PenaltyService {
  servedAt: string;
  method: string;
  by: string;
}
export interface PenaltyExecution {
  executed: boolean;
  note?: string;
  by: string;
}

export const PENALTY_STEPS = [
  'filing',
  'investigation',
  'statement',
  'hearing',
  'decision',
  'service',
  'execution',
  'closed',
] as const;
export type PenaltyStep = (typeof PENALTY_STEPS)[number];
export interface PenaltyState {
  caseId: string;
  status: 'open' | 'closed';
  step: PenaltyStep;
  policyVersion?: number;
  advanceNoticeNumber?: string;
  decisionNumber?: string;
  statementBy?: string;
  outcome?: 'executed' | 'not_executed' | 'not_penalized' | 'declined';
}

export const filePenaltyUpdate = defineUpdate<PenaltyState, [PenaltyFiling]>('filePenalty');
export const recordInvestigationUpdate = defineUpdate<PenaltyState, [PenaltyInvestigation]>('recordInvestigation');
export const submitStatementUpdate = defineUpdate<PenaltyState, [PenaltyStatement]>('submitStatement');
export const recordHearingUpdate = defineUpdate<PenaltyState, [PenaltyHearing]>('recordHearing');
export const decidePenaltyUpdate = defineUpdate<PenaltyState, [PenaltyDecision]>('decidePenalty');
export const recordServiceUpdate = defineUpdate<PenaltyState, [PenaltyService]>('recordService');
export const recordExecutionUpdate = defineUpdate<PenaltyState, [PenaltyExecution]>('recordExecution');
export const penaltyStateQuery = defineQuery<PenaltyState>('penaltyState');

const act = proxyActivities<Activities>(caseStep('1 minute'));

const filled = (v: unknown) => typeof v === 'string' && !!v.trim();
const isInstant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export async function penalty(input: PenaltyInput): Promise<PenaltyState> {
  const caseId = workflowInfo().workflowId;
  const state: PenaltyState = { caseId, status: 'open', step: 'filing' };
  let filing: PenaltyFiling | undefined;
  let investigation: PenaltyInvestigation | undefined;
  let statement: PenaltyStatement | undefined;
  let hearing: PenaltyHearing | undefined;
  let decision: PenaltyDecision | undefined;
  let service: PenaltyService | undefined;
  let execution: PenaltyExecution | undefined;
  const at = (step: PenaltyStep, field: string) => {
    if (state.step !== step) throw new Error(`${field}: this step is not open (the penalty is at ${state.step})`);
  };

  setHandler(penaltyStateQuery, () => state);
  setHandler(filePenaltyUpdate, (f) => ((filing = f), (state.step = f.decline ? 'closed' : 'investigation'), state), {
    validator: (f: PenaltyFiling) => {
      at('filing', 'summary');
      if (!filled(f?.summary))
        throw new Error(f?.decline ? 'summary: give the reason for not filing' : 'summary: must not be empty');
      if (f.decline && !input.proposal) throw new Error('decline: only a proposed penalty may be declined');
    },
  });
  setHandler(recordInvestigationUpdate, (i) => ((investigation = i), (state.step = 'statement'), state), {
    validator: (i: PenaltyInvestigation) => {
      at('investigation', 'evidence');
      if (!Array.isArray(i?.evidence) || !i.evidence.length || !i.evidence.every(filled))
        throw new Error('evidence: must list at least one piece of evidence');
      if (!filled(i.proposedPenalty)) throw new Error('proposedPenalty: must not be empty');
    },
  });
  setHandler(
    submitStatementUpdate,
    (s) => ((statement = s), (state.step = s.hearingRequested ? 'hearing' : 'decision'), state),
    {
      validator: (s: PenaltyStatement) => {
        at('statement', 'statement');
        if (statement) throw new Error('statement: the statement is already submitted');
        if (typeof s?.hearingRequested !== 'boolean') throw new Error('hearingRequested: must be true or false');
        if (!s.hearingRequested && !filled(s.statement))
          throw new Error('statement: write the statement or ask for a hearing');
      },
    },
  );
  setHandler(recordHearingUpdate, (h) => ((hearing = h), (state.step = 'decision'), state), {
    validator: (h: PenaltyHearing) => {
      at('hearing', 'record');
      if (!filled(h?.record)) throw new Error('record: must not be empty');
    },
  });
  setHandler(decidePenaltyUpdate, (d) => ((decision = d), (state.step = d.penalize ? 'service' : 'closed'), state), {
    validator: (d: PenaltyDecision) => {
      at('decision', 'decision');
      if (typeof d?.penalize !== 'boolean') throw new Error('penalize: must be true or false');
      if (!filled(d.decision)) throw new Error('decision: must not be empty');
      if (
        d.fineYuan !== undefined &&
        !(typeof d.fineYuan === 'number' && Number.isFinite(d.fineYuan) && d.fineYuan >= 0)
      )
        throw new Error('fineYuan: must be a sum of yuan, zero or more');
    },
  });
  setHandler(recordServiceUpdate, (s) => ((service = s), (state.step = 'execution'), state), {
    validator: (s: PenaltyService) => {
      at('service', 'servedAt');
      if (!isInstant(s?.servedAt)) throw new Error('servedAt: must be an ISO-8601 instant');
      if (!filled(s.method)) throw new Error('method: must not be empty');
    },
  });
  setHandler(recordExecutionUpdate, (e) => ((execution = e), (state.step = 'closed'), state), {
    validator: (e: PenaltyExecution) => {
      at('execution', 'executed');
      if (typeof e?.executed !== 'boolean') throw new Error('executed: must be true or false');
    },
  });

  const now = () => new Date().toISOString();
  const { policy, ctx } = await enforcementSetting(act, input);
  const clock = policy.penalty;
  state.policyVersion = policy.version;
  const penaltyTask = enforcementTask(act, caseId, 'penalty', ctx);
  // A penalty task's kind is its step's: penalty_<step>.
  const task = (step: string, form: string, words: string, due?: string, enterprise = false) =>
    penaltyTask(step, `penalty_${step}`, form, words, due, enterprise);
  /** One agency step: its task with a deadline, then the answer, then the task done and the deadline gone. */
  async function step<T extends { by: string }>(
    name: PenaltyStep,
    form: string,
    words: string,
    within: string,
    got: () => T | undefined,
    result: (v: T) => Record<string, unknown>,
  ): Promise<T> {
    const due = after(now(), within);
    await act.updateCase({ caseId, deadlines: [{ kind: `penalty_${name}`, due }] });
    await task(name, form, words, due);
    await condition(() => !!got());
    const v = got()!;
    await act.completeTask({ taskId: `${caseId}/${name}`, by: v.by, result: result(v) });
    return v;
  }
  const issue = async (kind: 'penalty_advance_notice' | 'penalty_decision', facts: Record<string, string>) => {
    const d = await act.issueDocument({
      caseId,
      step: kind,
      kind,
      agencyId: ctx.agencyId,
      enterpriseId: ctx.enterpriseId,
      level: input.level,
      toRole: 'enterprise',
      toId: ctx.enterpriseId,
      issuedAt: now(),
      facts,
    });
    if (ctx.enterpriseEmails.length) {
      await act.sendMail({
        key: `${caseId}/${kind}`,
        caseId,
        to: ctx.enterpriseEmails,
        template: 'official-document',
        data: {
          caseId,
          enterpriseName: ctx.enterpriseName,
          agencyName: ctx.agencyName,
          title: d.title,
          number: d.number,
          statementBy: kind === 'penalty_advance_notice' && state.statementBy ? chineseDate(state.statementBy) : '',
        },
        attachments: [{ filename: d.filename, path: d.path }],
      });
    }
    await act.updateCase({
      caseId,
      entry: {
        key: `document/${kind}`,
        at: now(),
        kind: 'document_issued',
        actor: ctx.agencyId,
        recipients: [ctx.enterpriseId, ...ctx.enterpriseEmails],
        detail: `${d.title} ${d.number}`,
      },
    });
    return d;
  };

  const openedAt = now();
  await act.openCase({
    caseId,
    type: 'penalty',
    title: `行政处罚：${ctx.enterpriseName}`,
    enterpriseId: ctx.enterpriseId,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    trackingAgencyId: ctx.agencyId,
    parentCaseId: input.parentCaseId,
    level: input.level,
    policyVersion: policy.version,
    openedAt,
    entry: {
      key: 'opened',
      at: openedAt,
      kind: input.proposal ? 'penalty_proposed' : 'opened',
      actor: 'system',
      recipients: [ctx.agencyId],
      detail: input.proposal ? `${input.violation}：${input.proposal.facts}` : input.violation,
    },
  });

  const f = await step(
    'filing',
    'penaltyFiling',
    input.proposal ? '行政处罚立案建议（立案或不予立案）' : '行政处罚立案',
    clock.filingWithin,
    () => filing,
    (v) => ({ summary: v.summary, ...(v.decline ? { decline: true } : {}) }),
  );
  if (f.decline) {
    // Only a proposal can be declined (the validator), so histories without one never come here.
    state.step = 'closed';
    state.status = 'closed';
    state.outcome = 'declined';
    await act.updateCase({
      caseId,
      status: 'closed',
      closedAt: now(),
      deadlines: [],
      entry: { key: 'closed', at: now(), kind: 'penalty_declined', actor: f.by, detail: f.summary },
    });
    return state;
  }
  await act.updateCase({
    caseId,
    entry: { key: 'penalty_filed', at: now(), kind: 'penalty_filed', actor: f.by, detail: f.summary },
  });
  const inv = await step(
    'investigation',
    'penaltyInvestigation',
    '调查取证',
    clock.investigationWithin,
    () => investigation,
    (v) => ({ evidence: v.evidence, proposedPenalty: v.proposedPenalty }),
  );
  await act.updateCase({
    caseId,
    entry: {
      key: 'investigated',
      at: now(),
      kind: 'investigated',
      actor: inv.by,
      detail: `证据 evidence: ${inv.evidence.join('; ')}; 拟处罚 proposed: ${inv.proposedPenalty}`,
    },
  });

  // Advance notice, then the statement / hearing window (the enterprise may answer at any time in it).
  state.statementBy = after(now(), clock.statementWindow);
  const advance = await issue('penalty_advance_notice', {
    violation: input.violation,
    evidence: inv.evidence.join('；'),
    proposedPenalty: inv.proposedPenalty,
    statementBy: chineseDate(state.statementBy),
  });
  state.advanceNoticeNumber = advance.number;
  await act.updateCase({ caseId, deadlines: [{ kind: 'penalty_statement', due: state.statementBy }] });
  await task('statement', 'penaltyStatement', '陈述申辩或听证申请', state.statementBy, true);
  const answered = await condition(() => !!statement, Math.max(Date.parse(state.statementBy) - Date.now(), 1));
  if (answered) {
    const st = statement!;
    await recordFiledStep(act, caseId, {
      step: 'statement',
      by: st.by,
      result: { statement: st.statement, hearingRequested: st.hearingRequested },
      kind: 'statement_received',
      detail: `${st.hearingRequested ? '要求听证 hearing requested; ' : ''}${st.statement ?? ''}`,
    });
    if (st.hearingRequested) {
      const h = await step(
        'hearing',
        'penaltyHearing',
        '听证',
        clock.hearingWithin,
        () => hearing,
        (v) => ({ record: v.record }),
      );
      await act.updateCase({
        caseId,
        entry: { key: 'hearing_held', at: now(), kind: 'hearing_held', actor: h.by, detail: h.record },
      });
    }
  } else {
    state.step = 'decision';
    await act.completeTask({ taskId: `${caseId}/statement`, by: 'system', status: 'cancelled' });
    await act.updateCase({
      caseId,
      entry: {
        key: 'statement_window_closed',
        at: now(),
        kind: 'statement_window_closed',
        actor: 'system',
        detail: `no statement or hearing request by ${state.statementBy}`,
      },
    });
  }

  const d = await step(
    'decision',
    'penaltyDecision',
    '行政处罚决定',
    clock.decisionWithin,
    () => decision,
    (v) => ({ penalize: v.penalize, decision: v.decision, fineYuan: v.fineYuan }),
  );
  if (!d.penalize) {
    state.outcome = 'not_penalized';
  } else {
    const doc = await issue('penalty_decision', {
      violation: input.violation,
      evidence: inv.evidence.join('；'),
      statement: statement?.statement ?? (statement?.hearingRequested ? '要求听证' : ''),
      statementReview: d.statementReview ?? (hearing ? `听证意见已复核：${hearing.record}` : '陈述申辩意见已复核。'),
      decision: d.decision,
      fine: d.fineYuan ? String(d.fineYuan) : '',
    });
    state.decisionNumber = doc.number;
    await act.updateCase({
      caseId,
      entry: {
        key: 'penalty_decided',
        at: now(),
        kind: 'penalty_decided',
        actor: d.by,
        detail: `${d.decision}${d.fineYuan ? `; 罚款 ${d.fineYuan} 元` : ''}`,
      },
    });
    const sv = await step(
      'service',
      'penaltyService',
      '决定书送达',
      clock.serviceWithin,
      () => service,
      (v) => ({ servedAt: v.servedAt, method: v.method }),
    );
    await act.updateCase({
      caseId,
      entry: {
        key: 'decision_served',
        at: now(),
        kind: 'decision_served',
        actor: sv.by,
        detail: `${sv.method} ${sv.servedAt}`,
      },
    });
    const ex = await step(
      'execution',
      'penaltyExecution',
      '处罚执行',
      clock.executionWithin,
      () => execution,
      (v) => ({ executed: v.executed, note: v.note }),
    );
    state.outcome = ex.executed ? 'executed' : 'not_executed';
  }
  state.step = 'closed';
  state.status = 'closed';
  const by = execution?.by ?? d.by;
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: {
      key: 'closed',
      at: now(),
      kind:
        state.outcome === 'not_penalized'
          ? 'not_penalized'
          : state.outcome === 'executed'
            ? 'penalty_executed'
            : 'penalty_not_executed',
      actor: by,
      detail: execution?.note ?? (state.outcome === 'not_penalized' ? d.decision : undefined),
    },
  });
  return state;
}
