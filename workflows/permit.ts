/**
 * Permit (特殊作业票): one special-work application of an enterprise (seed 002 附件2 二(四), GB 30871-2022),
 * workflow id `permit/<permitId>` (also its case record id). The enterprise fills the e-permit → the named
 * people sign in the order its type and level require (an out-of-order or wrong-user sign-off is refused by
 * the update's validator) → the permit is issued with a number and PDF (the document engine) → work starts
 * (refused on a stale or unqualified gas analysis) → the guardian checks in at the rules' interval, gas is
 * re-analysed at its interval, work may be suspended and resumed (an interruption beyond the limit needs a
 * new analysis), the validity may be extended with the approver's approval → the work is finished and
 * accepted (完工验收) → closed. A missed check-in or re-analysis suspends the work and opens a conduct alarm
 * (PermitConductAlarm, a child case of its own); the end of validity without the work finished expires the
 * permit, tells the enterprise and opens a conduct alarm. The rules come from domain/permits (the policy
 * version in force at application, kept for the whole case).
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DELIVERY, caseStep } from './activityOptions';
import { failureMessage } from './bookkeeping';
import { chineseDateTime } from '../domain/time';
import { durationZh } from '../domain/durations';
import {
  CONDUCT_ALARM_ZH,
  PERMIT_LEVEL_ZH,
  SUSPENSION_REASONS,
  UPGRADE_REASON_ZH,
  WORK_TYPE_ZH,
  analysisProblem,
  applicationProblems,
  checkInDue,
  citationOf,
  extensionProblem,
  gasAnalysisProblems,
  interruptionExceeded,
  latestAnalysis,
  managedLevel,
  nextSigner,
  reanalysisDue,
  ruleOf,
  signOffProblem,
  type ConductAlarmKind,
  type GasAnalysis,
  type PermitApplication,
  type PermitLevel,
  type PermitPolicy,
  type PermitStatus,
  type SignOffRole,
  type SuspensionReason,
} from '../domain/permits';

export interface PermitInput {
  permitId: string;
  application: PermitApplication;
  /**
   * The rules to apply: the version in force when the enterprise applied (the web reads it, activity
   * currentPermitPolicy). Given in the input so the update handlers are registered before the first await.
   */
  policy: PermitPolicy;
}

export interface SignOff {
  role: SignOffRole;
  by: string;
  /** false: the signer refuses the permit (the application ends refused). */
  approve: boolean;
  note?: string;
}
export interface RecordGasAnalysis {
  analysis: GasAnalysis;
  by: string;
}
export interface Actor {
  by: string;
}
export interface SuspendWork {
  reason: SuspensionReason;
  by: string;
  note?: string;
}
export interface ExtensionRequest {
  until: string;
  reason: string;
  by: string;
}
export interface ExtensionDecision {
  approve: boolean;
  by: string;
  note?: string;
}
export interface Acceptance {
  by: string;
  note?: string;
}
export interface CancelPermit {
  by: string;
  reason: string;
}

export interface PermitState {
  permitId: string;
  caseId: string;
  status: PermitStatus;
  type: PermitApplication['type'];
  level: PermitLevel;
  managedLevel: PermitLevel;
  policyVersion: number;
  validFrom: string;
  validTo: string;
  signed: { role: SignOffRole; by: string; at: string; note?: string }[];
  nextSigner?: SignOffRole;
  number?: string;
  documentId?: string;
  gasAnalyses: GasAnalysis[];
  startedAt?: string;
  lastCheckInAt?: string;
  suspendedAt?: string;
  suspensionReason?: SuspensionReason;
  /** Set when resuming needs a new analysis (taken after this instant). */
  analysisNeededSince?: string;
  extension?: { until: string; reason: string; by: string; status: 'pending' | 'approved' | 'refused' };
  conductAlarms: string[];
}

export const signOffPermitUpdate = defineUpdate<PermitState, [SignOff]>('signOffPermit');
export const recordGasAnalysisUpdate = defineUpdate<PermitState, [RecordGasAnalysis]>('recordGasAnalysis');
export const startWorkUpdate = defineUpdate<PermitState, [Actor]>('startWork');
export const guardianCheckInUpdate = defineUpdate<PermitState, [Actor]>('guardianCheckIn');
export const suspendWorkUpdate = defineUpdate<PermitState, [SuspendWork]>('suspendWork');
export const resumeWorkUpdate = defineUpdate<PermitState, [Actor]>('resumeWork');
export const requestExtensionUpdate = defineUpdate<PermitState, [ExtensionRequest]>('requestExtension');
export const decideExtensionUpdate = defineUpdate<PermitState, [ExtensionDecision]>('decideExtension');
export const finishWorkUpdate = defineUpdate<PermitState, [Actor]>('finishWork');
export const acceptPermitUpdate = defineUpdate<PermitState, [Acceptance]>('acceptPermit');
export const cancelPermitUpdate = defineUpdate<PermitState, [CancelPermit]>('cancelPermit');
export const permitStateQuery = defineQuery<PermitState>('permitState');

const act = proxyActivities<Activities>(caseStep('30 seconds'));
const deliver = proxyActivities<Activities>(DELIVERY);

const TERMINAL: readonly PermitStatus[] = ['closed', 'expired', 'refused', 'cancelled'];
const isInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** The task forms of a permit (web/permits registers a form for each). */
export const PERMIT_TASK_FORMS = {
  signOff: 'permitSignOff',
  extension: 'permitExtensionDecision',
  acceptance: 'permitAcceptance',
  conductExplanation: 'permitConductExplanation',
} as const;

type PermitEvent =
  | { kind: 'signed'; s: SignOff; at: string }
  | { kind: 'gas_analysis'; a: RecordGasAnalysis; at: string }
  | { kind: 'started' | 'checked_in' | 'resumed' | 'finished'; by: string; at: string }
  | { kind: 'suspended'; s: SuspendWork; at: string }
  | { kind: 'extension_requested'; r: ExtensionRequest; at: string }
  | { kind: 'extension_decided'; d: ExtensionDecision; at: string }
  | { kind: 'accepted'; a: Acceptance; at: string }
  | { kind: 'cancelled'; c: CancelPermit; at: string };

export async function permit(input: PermitInput): Promise<PermitState> {
  const caseId = workflowInfo().workflowId;
  const app = input.application;
  const policy = input.policy;
  const level = managedLevel(app.type, app.level, app.upgradeReasons ?? []);
  const rule = ruleOf(policy, app.type, level);
  const problems = applicationProblems(app, rule);
  if (!rule || problems.length)
    throw ApplicationFailure.nonRetryable(
      `${problems[0]?.field ?? 'level'}: ${problems[0]?.message ?? 'no rule'}`,
      'InvalidPermitApplication',
    );

  const state: PermitState = {
    permitId: input.permitId,
    caseId,
    status: 'signing',
    type: app.type,
    level: app.level,
    managedLevel: level,
    policyVersion: policy.version,
    validFrom: app.validFrom,
    validTo: app.validTo,
    signed: [],
    nextSigner: nextSigner(rule, []),
    gasAnalyses: [...app.gasAnalyses],
    conductAlarms: [],
  };
  const pending: PermitEvent[] = [];
  const now = () => new Date().toISOString();
  const signerOf = (role: SignOffRole) => app.signers.find((s) => s.role === role)!;
  const approver = signerOf(rule.approver.value);
  const refuse = (msg: string): never => {
    throw new Error(msg);
  };
  const statusIs = (field: string, ...ok: PermitStatus[]) =>
    ok.includes(state.status) || refuse(`${field}: not possible while the permit is ${state.status}`);

  setHandler(permitStateQuery, () => state);
  setHandler(
    signOffPermitUpdate,
    async (s) => {
      state.signed.push({ role: s.role, by: s.by, at: now(), note: s.note });
      state.nextSigner = s.approve
        ? nextSigner(
            rule,
            state.signed.map((x) => x.role),
          )
        : undefined;
      if (!s.approve) state.status = 'refused';
      pending.push({ kind: 'signed', s, at: now() });
      // The last signer's answer is the issued permit (its number), once the main loop has issued it.
      if (s.approve && !state.nextSigner) await condition(() => state.status !== 'signing');
      return state;
    },
    {
      validator: (s: SignOff) => {
        statusIs('role', 'signing');
        const p = signOffProblem(
          rule,
          app,
          state.signed.map((x) => x.role),
          s,
        );
        if (p) refuse(p);
        if (typeof s.approve !== 'boolean') refuse('approve: must be true or false');
        if (!s.approve && !nonEmpty(s.note)) refuse('note: say why the permit is refused');
      },
    },
  );
  setHandler(
    recordGasAnalysisUpdate,
    (a) => {
      state.gasAnalyses.push(a.analysis);
      pending.push({ kind: 'gas_analysis', a, at: now() });
      return state;
    },
    {
      validator: (a: RecordGasAnalysis) => {
        statusIs('analysis', 'signing', 'issued', 'in_progress', 'suspended');
        const p = gasAnalysisProblems(a?.analysis, 'analysis');
        if (p.length) refuse(`${p[0].field}: ${p[0].message}`);
        if (Date.parse(a.analysis.at) > Date.now() + 60_000)
          refuse('analysis.at: a sample cannot be taken in the future');
      },
    },
  );
  setHandler(
    startWorkUpdate,
    (a) => {
      state.status = 'in_progress';
      state.startedAt = state.lastCheckInAt = now();
      pending.push({ kind: 'started', by: a.by, at: now() });
      return state;
    },
    {
      validator: (_a: Actor) => {
        statusIs('start', 'issued');
        if (Date.now() < Date.parse(state.validFrom)) refuse(`start: the permit is valid from ${state.validFrom}`);
        const p = analysisProblem(rule, state.gasAnalyses, Date.now());
        if (p) refuse(p);
      },
    },
  );
  setHandler(
    guardianCheckInUpdate,
    (a) => {
      state.lastCheckInAt = now();
      pending.push({ kind: 'checked_in', by: a.by, at: now() });
      return state;
    },
    {
      validator: (a: Actor) => {
        statusIs('checkIn', 'in_progress');
        if (a?.by !== app.guardian.userId)
          refuse(`by: the guardian (监护人) ${app.guardian.userId} checks in, not ${String(a?.by)}`);
      },
    },
  );
  setHandler(
    suspendWorkUpdate,
    (s) => {
      state.status = 'suspended';
      state.suspendedAt = now();
      state.suspensionReason = s.reason;
      pending.push({ kind: 'suspended', s, at: now() });
      return state;
    },
    {
      validator: (s: SuspendWork) => {
        statusIs('reason', 'in_progress');
        if (!(SUSPENSION_REASONS as readonly string[]).includes(s?.reason))
          refuse(`reason: must be one of ${SUSPENSION_REASONS.join(', ')}`);
      },
    },
  );
  setHandler(
    resumeWorkUpdate,
    (a) => {
      state.status = 'in_progress';
      state.lastCheckInAt = now();
      state.suspendedAt = state.suspensionReason = state.analysisNeededSince = undefined;
      pending.push({ kind: 'resumed', by: a.by, at: now() });
      return state;
    },
    {
      validator: (_a: Actor) => {
        statusIs('resume', 'suspended');
        const since = Date.parse(state.suspendedAt!);
        const needs =
          interruptionExceeded(rule, since, Date.now()) ||
          state.suspensionReason === 'gas_alarm' ||
          state.suspensionReason === 'analysis_overdue';
        if (needs) {
          const p = analysisProblem(rule, state.gasAnalyses, Date.now(), since);
          if (p) refuse(p);
        }
      },
    },
  );
  setHandler(
    requestExtensionUpdate,
    (r) => {
      state.extension = { until: r.until, reason: r.reason, by: r.by, status: 'pending' };
      pending.push({ kind: 'extension_requested', r, at: now() });
      return state;
    },
    {
      validator: (r: ExtensionRequest) => {
        statusIs('until', 'issued', 'in_progress', 'suspended');
        if (state.extension?.status === 'pending') refuse('until: an extension request awaits its decision');
        if (!isInstant(r?.until)) refuse('until: must be an ISO-8601 instant');
        if (!nonEmpty(r.reason)) refuse('reason: say why the work needs longer');
        const p = extensionProblem(rule, Date.parse(state.validFrom), Date.parse(state.validTo), Date.parse(r.until));
        if (p) refuse(p);
      },
    },
  );
  setHandler(
    decideExtensionUpdate,
    (d) => {
      state.extension!.status = d.approve ? 'approved' : 'refused';
      if (d.approve) state.validTo = state.extension!.until;
      pending.push({ kind: 'extension_decided', d, at: now() });
      return state;
    },
    {
      validator: (d: ExtensionDecision) => {
        if (state.extension?.status !== 'pending') refuse('approve: no extension request awaits a decision');
        statusIs('approve', 'issued', 'in_progress', 'suspended');
        if (d?.by !== approver.userId)
          refuse(`by: the approver (${rule.approver.value}) ${approver.userId} decides, not ${String(d?.by)}`);
        if (typeof d.approve !== 'boolean') refuse('approve: must be true or false');
      },
    },
  );
  setHandler(
    finishWorkUpdate,
    (a) => {
      state.status = 'awaiting_acceptance';
      pending.push({ kind: 'finished', by: a.by, at: now() });
      return state;
    },
    { validator: (_a: Actor) => void statusIs('finish', 'in_progress', 'suspended') },
  );
  setHandler(
    acceptPermitUpdate,
    (a) => {
      state.status = 'closed';
      pending.push({ kind: 'accepted', a, at: now() });
      return state;
    },
    {
      validator: (a: Acceptance) => {
        statusIs('accept', 'awaiting_acceptance');
        if (!app.signers.some((s) => s.userId === a?.by))
          refuse(`by: acceptance (完工验收) is signed by one of the permit's signers, not ${String(a?.by)}`);
      },
    },
  );
  setHandler(
    cancelPermitUpdate,
    (c) => {
      state.status = 'cancelled';
      pending.push({ kind: 'cancelled', c, at: now() });
      return state;
    },
    {
      validator: (c: CancelPermit) => {
        statusIs('reason', 'signing', 'issued');
        if (!nonEmpty(c?.reason)) refuse('reason: say why the application is withdrawn');
      },
    },
  );

  // ---- the case record, the projection, the first signer's task ----
  const ent = await act.permitEnterprise({ enterpriseId: app.enterpriseId });
  const typeZh = WORK_TYPE_ZH[app.type];
  const levelZh = PERMIT_LEVEL_ZH[level];
  let seq = 0;
  const entry = (kind: string, actor: string, detail?: string, recipients?: string[]) => ({
    key: `${kind}/${++seq}`,
    at: now(),
    kind,
    actor,
    detail,
    recipients,
  });
  const deadlines = () =>
    TERMINAL.includes(state.status) || state.status === 'awaiting_acceptance'
      ? []
      : [{ kind: 'validity_end', due: state.validTo }];
  await act.openCase({
    caseId,
    type: 'work_permit',
    title: `${typeZh}${levelZh ? `（${levelZh}）` : ''}：${app.place}`,
    enterpriseId: app.enterpriseId,
    regionPath: ent.regionPath,
    industry: ent.industry,
    policyVersion: policy.version,
    openedAt: now(),
    deadlines: deadlines(),
    entry: {
      key: 'opened',
      at: now(),
      kind: 'permit_applied',
      actor: app.appliedBy,
      detail: `${typeZh} ${levelZh}${level !== app.level ? `（由${PERMIT_LEVEL_ZH[app.level]}升级：${app.upgradeReasons.map((r) => UPGRADE_REASON_ZH[r]).join('、')}）` : ''} ${app.validFrom} – ${app.validTo}`,
    },
  });
  await act.recordPermit({
    permitId: input.permitId,
    open: {
      caseId,
      enterpriseId: app.enterpriseId,
      enterpriseName: ent.name,
      regionPath: ent.regionPath,
      industry: ent.industry,
      type: app.type,
      level: app.level,
      managedLevel: level,
      application: app,
      policyVersion: policy.version,
      appliedAt: now(),
    },
  });

  const openTasks = new Set<string>();
  const task = async (
    step: string,
    kind: string,
    title: string,
    form: string,
    assigneeUserId?: string,
    due?: string,
  ) => {
    const taskId = `${caseId}/${step}`;
    openTasks.add(taskId);
    await act.createPermitTask({
      taskId,
      caseId,
      caseType: 'work_permit',
      kind,
      title: `${title}：${ent.name} ${typeZh} ${app.place}`,
      enterpriseId: app.enterpriseId,
      assigneeUserId,
      due,
      form,
    });
  };
  const done = async (
    step: string,
    by: string,
    result?: Record<string, unknown>,
    status: 'done' | 'cancelled' = 'done',
  ) => {
    const taskId = `${caseId}/${step}`;
    if (!openTasks.delete(taskId)) return;
    await act.completeTask({ taskId, by, result, status });
  };
  const signTask = (role: SignOffRole) =>
    task(
      `sign/${role}`,
      'permit_sign_off',
      '作业票签批',
      PERMIT_TASK_FORMS.signOff,
      signerOf(role).userId,
      state.validTo,
    );
  const mailOrRecord = async (m: Parameters<Activities['sendMail']>[0]) => {
    await deliver.sendMail({ ...m, failWhenRefused: true }).catch((err: unknown) =>
      act.updateCase({
        caseId,
        entry: { ...entry('delivery_failed', 'system', `email: ${failureMessage(err)}`), recipients: m.to },
      }),
    );
  };
  const mailFacts = () => ({
    caseId,
    enterpriseName: ent.name,
    typeZh,
    typeEn: app.type.replace('_', ' '),
    levelZh,
    number: state.number ?? '',
    place: app.place,
    content: app.content,
    validFrom: chineseDateTime(state.validFrom),
    validTo: chineseDateTime(state.validTo),
  });

  let alarms = 0;
  const conductAlarm = async (kind: ConductAlarmKind, detail: string) => {
    const alarmId = `${caseId}/conduct/${++alarms}`;
    await startChild(permitConductAlarm, {
      workflowId: alarmId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          parentCaseId: caseId,
          permitId: input.permitId,
          number: state.number,
          enterpriseId: app.enterpriseId,
          enterpriseName: ent.name,
          regionPath: ent.regionPath,
          industry: ent.industry,
          place: app.place,
          typeZh,
          kind,
          detail,
        },
      ],
    });
    state.conductAlarms.push(alarmId);
    await act.updateCase({
      caseId,
      entry: entry('conduct_alarm', 'system', `${CONDUCT_ALARM_ZH[kind]}：${detail} → ${alarmId}`, [app.enterpriseId]),
    });
  };
  const suspendFor = async (reason: SuspensionReason, detail: string) => {
    state.status = 'suspended';
    state.suspendedAt = now();
    state.suspensionReason = reason;
    await act.recordPermit({ permitId: input.permitId, status: 'suspended' });
    await act.updateCase({ caseId, entry: entry('work_suspended', 'system', `${reason}: ${detail}`) });
  };

  const issue = async () => {
    const fmt = (a: GasAnalysis) =>
      `${chineseDateTime(a.at)} ${a.place} ${a.analyst}：${a.readings.map((r) => `${r.substance} ${r.value}${r.unit}`).join('，')}（${a.qualified ? '合格' : '不合格'}）`;
    const d = await act.issueDocument({
      caseId,
      step: 'permit',
      kind: 'work_permit',
      agencyId: app.enterpriseId,
      enterpriseId: app.enterpriseId,
      toRole: 'enterprise',
      toId: app.enterpriseId,
      issuedAt: now(),
      facts: {
        typeZh,
        levelZh,
        upgradeZh: level !== app.level ? app.upgradeReasons.map((r) => UPGRADE_REASON_ZH[r]).join('、') : '',
        place: app.place,
        content: app.content,
        validFrom: chineseDateTime(state.validFrom),
        validTo: chineseDateTime(state.validTo),
        validityZh: rule.validity ? durationZh(rule.validity.value) : '按申请时段',
        validityCitation: citationOf(rule.validity?.source ?? 'set_by_enterprise'),
        hazards: app.hazards.join('；'),
        measures: app.measures
          .map((m) => `${m.item}（${m.applies ? `涉及，确认人${m.confirmedBy}` : '不涉及'}）`)
          .join('；'),
        analyses: state.gasAnalyses.map(fmt).join('；') || '无',
        analysisRule: rule.analysisMaxAge
          ? `动火或进入前${durationZh(rule.analysisMaxAge.value)}内取样分析（${citationOf(rule.analysisMaxAge.source)}）${rule.interruptionLimit ? `；中断超过${durationZh(rule.interruptionLimit.value)}须重新分析` : ''}。`
          : '',
        workers: app.workers.map((w) => `${w.name}（${w.certificateNo}）`).join('、'),
        guardian: app.guardian.name,
        signOffs: state.signed.map((s) => `${s.role} ${signerOf(s.role).name} ${chineseDateTime(s.at)}`).join('；'),
      },
    });
    state.number = d.number;
    state.documentId = d.documentId;
    state.status = 'issued';
    await act.recordPermit({
      permitId: input.permitId,
      status: 'issued',
      number: d.number,
      documentId: d.documentId,
      issuedAt: now(),
    });
    await act.updateCase({
      caseId,
      deadlines: deadlines(),
      entry: entry('permit_issued', approver.userId, `${d.title} ${d.number}`, [app.enterpriseId]),
    });
    // Special-level hot work and confined-space entry are pushed to the zone safety department (功能区安全管理部门).
    if ((app.type === 'hot_work' && level === 'special') || app.type === 'confined_space') {
      const ctx = await act.resolveParties({ enterpriseId: app.enterpriseId, roles: ['zone_safety_dept'] });
      for (const p of ctx.parties) {
        await act.notifyInApp({
          key: `${caseId}/issued`,
          caseId,
          recipient: { kind: 'agency', id: p.id },
          kind: 'permit_issued',
          title: `特殊作业票已签发：${ent.name} ${typeZh}${levelZh ? `（${levelZh}）` : ''} ${app.place}`,
        });
        if (p.emails.length)
          await mailOrRecord({
            key: `${caseId}/issued/${p.id}`,
            caseId,
            to: p.emails,
            template: 'permit-issued',
            data: { ...mailFacts(), partyName: p.name },
          });
        await act.updateCase({
          caseId,
          entry: entry('notified', 'system', `${p.name}（${p.role}）`, [p.id, ...p.emails]),
        });
      }
    }
  };

  const drain = async () => {
    while (pending.length) {
      const e = pending.shift()!;
      switch (e.kind) {
        case 'signed': {
          await act.recordPermit({
            permitId: input.permitId,
            signOff: { role: e.s.role, by: e.s.by, at: e.at, note: e.s.note },
            ...(e.s.approve ? {} : { status: 'refused', closedAt: e.at }),
          });
          await done(`sign/${e.s.role}`, e.s.by, { approve: e.s.approve, note: e.s.note });
          await act.updateCase({
            caseId,
            entry: entry(
              e.s.approve ? 'signed_off' : 'permit_refused',
              e.s.by,
              `${e.s.role}${e.s.note ? `：${e.s.note}` : ''}`,
            ),
          });
          if (!e.s.approve) break;
          // The signer after this one in the rule's order (later sign-offs may already be pending behind it).
          const next = rule.signOff.value[rule.signOff.value.indexOf(e.s.role) + 1];
          if (next) await signTask(next);
          else await issue();
          break;
        }
        case 'gas_analysis':
          await act.recordPermit({ permitId: input.permitId, gasAnalyses: state.gasAnalyses });
          await act.updateCase({
            caseId,
            entry: entry(
              'gas_analysis',
              e.a.by,
              `${e.a.analysis.at} ${e.a.analysis.place} ${e.a.analysis.analyst} ${e.a.analysis.qualified ? '合格' : '不合格'}`,
            ),
          });
          break;
        case 'started':
          await act.recordPermit({ permitId: input.permitId, status: 'in_progress', startedAt: e.at });
          await act.updateCase({ caseId, entry: entry('work_started', e.by) });
          break;
        case 'checked_in':
          await act.updateCase({ caseId, entry: entry('guardian_checked_in', e.by) });
          break;
        case 'suspended':
          await act.recordPermit({ permitId: input.permitId, status: 'suspended' });
          await act.updateCase({
            caseId,
            entry: entry('work_suspended', e.s.by, `${e.s.reason}${e.s.note ? `：${e.s.note}` : ''}`),
          });
          break;
        case 'resumed':
          await act.recordPermit({ permitId: input.permitId, status: 'in_progress' });
          await act.updateCase({ caseId, entry: entry('work_resumed', e.by) });
          break;
        case 'extension_requested':
          await act.updateCase({ caseId, entry: entry('extension_requested', e.r.by, `${e.r.until}：${e.r.reason}`) });
          await task(
            `extension/${++extensions}`,
            'permit_extension',
            '作业票延期审批',
            PERMIT_TASK_FORMS.extension,
            approver.userId,
            state.validTo,
          );
          break;
        case 'extension_decided':
          await done(`extension/${extensions}`, e.d.by, { approve: e.d.approve, note: e.d.note });
          if (e.d.approve) await act.recordPermit({ permitId: input.permitId, validTo: state.validTo });
          await act.updateCase({
            caseId,
            deadlines: deadlines(),
            entry: entry(
              e.d.approve ? 'extension_approved' : 'extension_refused',
              e.d.by,
              e.d.approve ? `valid to ${state.validTo}` : e.d.note,
            ),
          });
          break;
        case 'finished':
          await act.recordPermit({ permitId: input.permitId, status: 'awaiting_acceptance', finishedAt: e.at });
          await act.updateCase({ caseId, deadlines: [], entry: entry('work_finished', e.by) });
          await task(
            'acceptance',
            'permit_acceptance',
            '完工验收',
            PERMIT_TASK_FORMS.acceptance,
            signerOf('unit').userId,
          );
          break;
        case 'accepted':
          await done('acceptance', e.a.by, { note: e.a.note });
          await act.recordPermit({ permitId: input.permitId, status: 'closed', closedAt: e.at });
          await act.updateCase({
            caseId,
            status: 'closed',
            closedAt: e.at,
            deadlines: [],
            entry: entry('accepted', e.a.by, e.a.note),
          });
          break;
        case 'cancelled':
          await act.recordPermit({ permitId: input.permitId, status: 'cancelled', closedAt: e.at });
          await act.updateCase({
            caseId,
            status: 'closed',
            closedAt: e.at,
            deadlines: [],
            entry: entry('permit_cancelled', e.c.by, e.c.reason),
          });
          break;
      }
    }
  };
  let extensions = 0;

  // The first signer's task: sign-offs that arrived meanwhile are in `pending` and complete it in order.
  await signTask(rule.signOff.value[0]);

  // ---- the clocks: validity end; while working, the guardian's check-in and the next re-analysis ----
  type Clock = { kind: 'validity_end' | 'check_in' | 'reanalysis'; at: number };
  const clocks = (): Clock[] => {
    if (TERMINAL.includes(state.status) || state.status === 'awaiting_acceptance') return [];
    const out: Clock[] = [{ kind: 'validity_end', at: Date.parse(state.validTo) }];
    if (state.status === 'in_progress') {
      out.push({ kind: 'check_in', at: checkInDue(rule, Date.parse(state.lastCheckInAt!)) });
      const last = latestAnalysis(state.gasAnalyses, Date.now());
      // Due from the latest sample: the one the work started (or resumed) on, or a later record.
      const due = last && reanalysisDue(rule, Date.parse(last.at));
      if (due !== undefined) out.push({ kind: 'reanalysis', at: due });
    }
    return out;
  };

  while (!TERMINAL.includes(state.status) || pending.length) {
    const cs = clocks();
    const next = cs.length ? Math.min(...cs.map((c) => c.at)) : undefined;
    const woke =
      next === undefined
        ? (await condition(() => pending.length > 0), true)
        : await condition(() => pending.length > 0, Math.max(next - Date.now(), 1));
    if (pending.length) {
      await drain();
      continue;
    }
    if (woke) continue;
    for (const c of clocks().filter((x) => x.at <= Date.now())) {
      if (c.kind === 'validity_end') {
        const wasIssued = state.status !== 'signing';
        state.status = 'expired';
        for (const t of [...openTasks])
          await done(t.slice(caseId.length + 1), 'system', { reason: 'expired' }, 'cancelled');
        await act.recordPermit({ permitId: input.permitId, status: 'expired', closedAt: now() });
        if (wasIssued) {
          const ctx = await act.resolveParties({ enterpriseId: app.enterpriseId, roles: ['enterprise'] });
          const emails = ctx.parties.flatMap((p) => p.emails);
          if (emails.length)
            await mailOrRecord({
              key: `${caseId}/expired`,
              caseId,
              to: emails,
              template: 'permit-expired',
              data: { ...mailFacts(), reissueCitation: citationOf('general.reissue') },
            });
          await act.updateCase({
            caseId,
            entry: entry('permit_expired', 'system', `valid to ${state.validTo}, not accepted`, [
              app.enterpriseId,
              ...emails,
            ]),
          });
          await conductAlarm('expired_without_acceptance', `有效期至${chineseDateTime(state.validTo)}，作业未完成验收`);
        } else {
          await act.updateCase({
            caseId,
            entry: entry('application_expired', 'system', `not signed off before ${state.validTo}`),
          });
        }
        await act.updateCase({ caseId, status: 'closed', closedAt: now(), deadlines: [] });
        break;
      }
      if (state.status !== 'in_progress') continue;
      if (c.kind === 'check_in') {
        await act.updateCase({
          caseId,
          entry: entry(
            'check_in_missed',
            'system',
            `${app.guardian.name}: last ${state.lastCheckInAt}, every ${durationZh(rule.guardianCheckInEvery.value)}`,
          ),
        });
        await conductAlarm(
          'missed_check_in',
          `监护人${app.guardian.name}自${chineseDateTime(state.lastCheckInAt!)}起${durationZh(rule.guardianCheckInEvery.value)}内未签到`,
        );
        await suspendFor('guardian_absent', 'guardian check-in missed');
      } else {
        await act.updateCase({
          caseId,
          entry: entry(
            'reanalysis_missed',
            'system',
            `every ${durationZh(rule.reanalysisEvery!.value)} (${citationOf(rule.reanalysisEvery!.source)})`,
          ),
        });
        await conductAlarm(
          'missed_reanalysis',
          `未按${durationZh(rule.reanalysisEvery!.value)}间隔复测气体（${citationOf(rule.reanalysisEvery!.source)}）`,
        );
        await suspendFor('analysis_overdue', 're-analysis overdue');
      }
    }
  }
  return state;
}

// ---- the conduct alarm (作业违规报警): a case of its own for the enterprise to explain ----

export interface PermitConductAlarmInput {
  parentCaseId: string;
  permitId: string;
  number?: string;
  enterpriseId: string;
  enterpriseName: string;
  regionPath: string[];
  industry: string;
  place: string;
  typeZh: string;
  kind: ConductAlarmKind;
  detail: string;
}
export interface ConductExplanation {
  cause: string;
  measures: string;
  by: string;
}
export const explainConductAlarmUpdate = defineUpdate<{ status: 'open' | 'closed' }, [ConductExplanation]>(
  'explainConductAlarm',
);

const CONDUCT_ALARM_EN: Record<ConductAlarmKind, string> = {
  missed_check_in: 'the guardian missed a check-in',
  missed_reanalysis: 'a gas re-analysis was not recorded in time',
  expired_without_acceptance: 'the permit expired without acceptance',
};

export async function permitConductAlarm(input: PermitConductAlarmInput): Promise<{ status: 'open' | 'closed' }> {
  const caseId = workflowInfo().workflowId;
  const state = { status: 'open' as 'open' | 'closed' };
  let explanation: ConductExplanation | undefined;
  setHandler(explainConductAlarmUpdate, (x) => ((explanation = x), state), {
    validator: (x: ConductExplanation) => {
      if (explanation) throw new Error('cause: the alarm is already explained');
      if (!nonEmpty(x?.cause)) throw new Error('cause: must not be empty');
      if (!nonEmpty(x?.measures)) throw new Error('measures: must not be empty');
    },
  });
  const now = () => new Date().toISOString();
  await act.openCase({
    caseId,
    type: 'permit_conduct_alarm',
    title: `作业违规报警：${input.enterpriseName} ${CONDUCT_ALARM_ZH[input.kind]}`,
    enterpriseId: input.enterpriseId,
    regionPath: input.regionPath,
    industry: input.industry,
    parentCaseId: input.parentCaseId,
    openedAt: now(),
    entry: {
      key: 'opened',
      at: now(),
      kind: 'opened',
      actor: 'system',
      recipients: [input.enterpriseId],
      detail: `${input.kind}: ${input.detail}`,
    },
  });
  const ctx = await act.resolveParties({ enterpriseId: input.enterpriseId, roles: ['enterprise'] });
  const emails = ctx.parties.flatMap((p) => p.emails);
  await act.notifyInApp({
    key: `${caseId}/opened`,
    caseId,
    recipient: { kind: 'enterprise', id: input.enterpriseId },
    kind: 'conduct_alarm',
    title: `作业违规报警：${CONDUCT_ALARM_ZH[input.kind]}（${input.typeZh} ${input.place}）`,
  });
  if (emails.length) {
    await deliver
      .sendMail({
        key: `${caseId}/opened`,
        caseId,
        to: emails,
        template: 'permit-conduct-alarm',
        data: {
          caseId,
          enterpriseName: input.enterpriseName,
          number: input.number ?? input.permitId,
          typeZh: input.typeZh,
          place: input.place,
          alarmZh: CONDUCT_ALARM_ZH[input.kind],
          alarmEn: CONDUCT_ALARM_EN[input.kind],
          detail: input.detail,
        },
        failWhenRefused: true,
      })
      .catch((err: unknown) =>
        act.updateCase({
          caseId,
          entry: {
            key: 'delivery_failed/opened',
            at: now(),
            kind: 'delivery_failed',
            actor: 'system',
            recipients: emails,
            detail: `email: ${failureMessage(err)}`,
          },
        }),
      );
    await act.updateCase({
      caseId,
      entry: {
        key: 'notified',
        at: now(),
        kind: 'notified',
        actor: 'system',
        recipients: [input.enterpriseId, ...emails],
      },
    });
  }
  await act.createPermitTask({
    taskId: `${caseId}/explanation`,
    caseId,
    caseType: 'permit_conduct_alarm',
    kind: 'permit_conduct_explanation',
    title: `作业违规报警说明：${CONDUCT_ALARM_ZH[input.kind]}`,
    enterpriseId: input.enterpriseId,
    form: PERMIT_TASK_FORMS.conductExplanation,
  });
  await condition(() => !!explanation);
  await act.completeTask({
    taskId: `${caseId}/explanation`,
    by: explanation!.by,
    result: { cause: explanation!.cause, measures: explanation!.measures },
  });
  state.status = 'closed';
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    entry: {
      key: 'explained',
      at: now(),
      kind: 'explained',
      actor: explanation!.by,
      detail: `${explanation!.cause}；${explanation!.measures}`,
    },
  });
  return state;
}
