/**
 * RiskWarning (风险预警): one open warning per enterprise, workflow id `risk-warning/<enterpriseId>`,
 * started by signal-with-start (raiseWarningSignal) so a second raise changes the open one's level.
 * The clock follows domain/escalation plan(): pushed at once to the ladder's parties, warning notices
 * (警示通报) to the party the ladder names if not downgraded, repeated at the interval, and on-site
 * supervision (现场核查督办, a child workflow) at the on-site deadline. A running warning keeps the
 * policy version it started with unless an administrator migrates it (migratePolicyUpdate). Level changes
 * and enterprise feedback are updates; clear (消警) closes. Each party is told by mail, by an in-app
 * notification (站内通知) and, for an agency with one, by its chat-robot webhook.
 * The case record id is the workflow id plus the opening instant, so a later warning gets a fresh record.
 */
import { ParentClosePolicy, condition, continueAsNew, defineQuery, defineSignal, defineUpdate, patched, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DELIVERY, caseStep } from './activityOptions';
import { failureMessage, localBookkeeping } from './bookkeeping';
import type { UpdateCaseInput } from '../activities/caseRecords';
import type { Party } from '../activities/directory';
import { LEVELS, LEVEL_ZH, Level, isLevel } from '../domain/cases';
import { EscalationPolicy, PlannedDeadline, RecipientRole, isUpgrade, newRecipients, plan, upcoming } from '../domain/escalation';
import { emergencyResponse } from './emergencyResponse';
import { onSiteSupervision } from './onSiteSupervision';

export interface RiskWarningInput {
  enterpriseId: string;
  policy: EscalationPolicy;
  publicUrl?: string;
  /** The raise this run opens with, when a warning raised after the previous one was cleared continued as new. */
  reopening?: RaiseWarning;
  /** Raises received after that one while the previous warning finished: level changes of this run. */
  raisedSince?: RaiseWarning[];
}

export interface RaiseWarning {
  level: Level;
  reason: string;
  by: string;
  /** The escalation policy in force when raised: a warning raised after the open one was cleared runs under it. */
  policy?: EscalationPolicy;
}

/**
 * Messages sent from a case record name it: the workflow id outlives a case (a cleared warning's id is
 * reused by the enterprise's next warning), so a message for a closed case must not reach its successor.
 */
export interface CaseAddressed {
  caseId?: string;
}

export interface LevelChange extends CaseAddressed {
  level: Level | 'clear';
  reason: string;
  by: string;
}


export interface WarningFeedback extends CaseAddressed {
  verification: string;
  cause: string;
  measures: string;
  responsiblePerson: string;
  accidentFound: boolean;
  /** Upload ids (photos, PDFs) the enterprise attached; checked to be its own by the web service. Optional: histories before attachments replay. */
  attachments?: string[];
  by: string;
}

/** An administrator moves a running warning to another escalation-policy version (loaded by the web service). */
export interface PolicyMigration extends CaseAddressed {
  policy: EscalationPolicy;
  reason: string;
  by: string;
}

export interface RiskWarningState {
  caseId?: string;
  enterpriseId: string;
  status: 'opening' | 'open' | 'closed';
  level?: Level;
  policyVersion: number;
  /** When the current level's clock started. */
  since?: string;
  /** Deadlines still ahead. */
  deadlines: { kind: string; due: string }[];
  noticesIssued: number;
  onSiteCaseIds: string[];
  feedback?: WarningFeedback;
  emergency: boolean;
  /** The emergency-response case an accident found opened (002 第十九条). */
  emergencyCaseId?: string;
}

/** Raise a warning (also the signal of signal-with-start): opens it, or changes the open one's level. */
export const raiseWarningSignal = defineSignal<[RaiseWarning]>('raiseWarning');
/** A regulator or the risk model changes the level, or clears (消警). */
export const changeLevelUpdate = defineUpdate<RiskWarningState, [LevelChange]>('changeLevel');
/** The enterprise's feedback (核查反馈). */
export const warningFeedbackUpdate = defineUpdate<RiskWarningState, [WarningFeedback]>('warningFeedback');
/** An administrator migrates the warning to another policy version: the clocks are re-planned from the current level's start. */
export const migratePolicyUpdate = defineUpdate<RiskWarningState, [PolicyMigration]>('migratePolicy');
/** The tracking agency acknowledges its tracking task (跟踪确认), with a note. */
export const trackingAcknowledgedSignal = defineSignal<[{ by: string; note?: string } & CaseAddressed]>('trackingAcknowledged');
export const riskWarningStateQuery = defineQuery<RiskWarningState>('riskWarningState');

const act = proxyActivities<Activities>(caseStep('30 seconds'));

/** Mail and robot posts under DELIVERIES_NEVER_STALL: bounded retries, then recorded as failed on the timeline. */
const deliveries = proxyActivities<Activities>(DELIVERY);


const compact = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const FEEDBACK_FIELDS = ['verification', 'cause', 'measures', 'responsiblePerson'] as const;
export const MAX_FEEDBACK_ATTACHMENTS = 10;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/*
 * Patches. Each guards a step added after warnings were already running, so a history recorded before
 * it replays without meeting commands it never had (a nondeterminism error otherwise):
 * - IN_APP: an in-app notification beside each mail; WEBHOOK: a chat-robot post beside each mail to an agency.
 * - POLICY_MIGRATION: see the migration step in the main loop.
 * - FEEDBACK_CLOSES_TRACKING: feedback also completes the open tracking task when the level's tracker is
 *   the enterprise itself (blue): that task is its feedback task, and it stayed open after an API feedback.
 * - LOCAL_BOOKKEEPING: decided once at the start of a run: bookkeeping on local activities (`workflows/bookkeeping.ts`; mail and webhook posts stay activities).
 * - RAISE_AFTER_CLEAR: a raise that arrives once the warning is cleared opens the next warning (continue-as-new,
 *   same workflow id, new case id) instead of being dropped while the cleared one finishes.
 * - NOTICES_UNTIL_DOWNGRADED (decided once per run): notices repeat until the warning is downgraded, past the
 *   on-site deadline, and a first notice due at or after it is issued (002 第二十一至二十三条 "在预警降级前").
 * - DELIVERIES_NEVER_STALL (decided once per run): the mail, in-app notifications and robot posts of one step go
 *   out in parallel, beside the clock instead of in its way; a delivery refused for good (or failed after its
 *   bounded retries) is recorded on the timeline (`delivery_failed`) and the case goes on.
 * - MUNICIPAL_FEED (decided once per run): once red, the case and each change of it are pushed to the municipal
 *   system's real-time feed (002 第二十三条 "实时传输至市级监测预警系统"), beside the clock like a mail.
 * - EMERGENCY_RESPONSE_CASE (decided once per run): an accident found opens an emergency-response case of its own
 *   (workflows/emergencyResponse.ts, a child), which tells the district emergency bureau, instead of a mail only.
 */
const IN_APP = 'in-app-notifications';
const WEBHOOK = 'agency-webhook';
const POLICY_MIGRATION = 'policy-migration';
const FEEDBACK_CLOSES_TRACKING = 'feedback-closes-enterprise-tracking';
const RAISE_AFTER_CLEAR = 'raise-after-clear';
const LOCAL_BOOKKEEPING = 'local-bookkeeping';
const NOTICES_UNTIL_DOWNGRADED = 'notices-until-downgraded';
const DELIVERIES_NEVER_STALL = 'deliveries-never-stall';
const MUNICIPAL_FEED = 'municipal-feed';
const EMERGENCY_RESPONSE_CASE = 'emergency-response-case';

export async function riskWarning(input: RiskWarningInput): Promise<RiskWarningState> {
  const book = patched(LOCAL_BOOKKEEPING) ? localBookkeeping : act;
  const untilDowngraded = patched(NOTICES_UNTIL_DOWNGRADED);
  const neverStall = patched(DELIVERIES_NEVER_STALL);
  const cityFeed = patched(MUNICIPAL_FEED);
  const emergencyCase = patched(EMERGENCY_RESPONSE_CASE);
  let policy = input.policy;
  const state: RiskWarningState = { enterpriseId: input.enterpriseId, status: 'opening', policyVersion: policy.version, deadlines: [], noticesIssued: 0, onSiteCaseIds: [], emergency: false };
  /** `raise` marks a raise signal (not a regulator's level update): after a clear it opens the next warning. */
  const changes: (LevelChange & { at: string; raise?: RaiseWarning })[] = [];
  const feedbacks: WarningFeedback[] = [];
  const acks: { by: string; note?: string }[] = [];
  const migrations: PolicyMigration[] = [];
  let opening: RaiseWarning | undefined = input.reopening;
  const raised = (r: RaiseWarning) => changes.push({ level: r.level, reason: r.reason, by: r.by, raise: r, at: new Date().toISOString() });
  for (const r of input.raisedSince ?? []) raised(r);
  /** Raises received after the clear: the warning that follows this one. */
  const reopenWith: RaiseWarning[] = [];

  /** A message that names no case, or this one (not an earlier case of this workflow id). */
  const isForThisCase = (m: CaseAddressed | undefined) => m?.caseId === undefined || m.caseId === state.caseId;
  const forThisCase = (field: string, m: CaseAddressed | undefined) => {
    if (!isForThisCase(m)) throw new Error(`${field}: case ${m?.caseId} is closed${state.caseId ? `; the enterprise's open warning is ${state.caseId}` : ''}`);
  };
  setHandler(riskWarningStateQuery, () => state);
  setHandler(trackingAcknowledgedSignal, (a) => {
    if (state.status === 'open' && isForThisCase(a)) acks.push(a);
  });
  setHandler(raiseWarningSignal, (r) => {
    if (!isLevel(r?.level)) return;
    if (!opening) opening = r;
    else if (state.status !== 'closed') raised(r);
    else reopenWith.push(r);
  });
  setHandler(
    changeLevelUpdate,
    (c) => {
      changes.push({ ...c, at: new Date().toISOString() });
      return state;
    },
    {
      validator: (c) => {
        if (!(isLevel(c?.level) || c?.level === 'clear')) throw new Error('level: must be red, orange, yellow, blue or clear');
        forThisCase('level', c);
        if (state.status === 'closed') throw new Error('level: the warning is closed');
      },
    },
  );
  setHandler(
    warningFeedbackUpdate,
    (f) => {
      feedbacks.push(f);
      return state;
    },
    {
      validator: (f) => {
        forThisCase('verification', f);
        if (state.status === 'closed') throw new Error('verification: the warning is closed');
        for (const k of FEEDBACK_FIELDS) if (typeof f?.[k] !== 'string' || !f[k].trim()) throw new Error(`${k}: must not be empty`);
        if (typeof f.accidentFound !== 'boolean') throw new Error('accidentFound: must be true or false');
        if (f.attachments !== undefined) {
          if (!Array.isArray(f.attachments) || f.attachments.length > MAX_FEEDBACK_ATTACHMENTS || !f.attachments.every((a: unknown) => typeof a === 'string' && UPLOAD_ID.test(a))) {
            throw new Error(`attachments: must be a list of at most ${MAX_FEEDBACK_ATTACHMENTS} upload ids`);
          }
        }
      },
    },
  );
  setHandler(
    migratePolicyUpdate,
    (m) => {
      migrations.push(m);
      return state;
    },
    {
      validator: (m) => {
        forThisCase('version', m);
        if (state.status !== 'open') throw new Error(`version: the warning is ${state.status === 'closed' ? 'closed' : 'not open yet'}`);
        if (!Number.isInteger(m?.policy?.version) || !m.policy.levels || !LEVELS.every((l) => m.policy.levels[l])) throw new Error('version: not a complete escalation policy');
        const pendingVersion = migrations.length ? migrations[migrations.length - 1].policy.version : policy.version;
        if (m.policy.version === pendingVersion) throw new Error(`version: the warning already runs under policy version ${pendingVersion}`);
        if (typeof m.reason !== 'string' || !m.reason.trim()) throw new Error('reason: must not be empty');
      },
    },
  );

  await condition(() => !!opening);
  const now = () => new Date().toISOString();
  const openedAt = now();
  // A warning reopened at once may open within the second its predecessor did: its id keeps the milliseconds.
  const caseId = `${workflowInfo().workflowId}/${input.reopening ? openedAt.replace(/[-:]/g, '') : compact(openedAt)}`;
  let level = opening!.level;
  state.level = level;

  const roles = [...new Set((Object.values(policy.levels) as EscalationPolicy['levels'][Level][]).flatMap((r) => [...r.pushTo, r.trackedBy, ...(r.noticeTo ? [r.noticeTo] : [])]).concat(['district_emergency_bureau', 'enterprise']))] as RecipientRole[];
  const ctx = await book.resolveParties({ enterpriseId: input.enterpriseId, roles });
  const party = (role: RecipientRole): Party | undefined => ctx.parties.find((p) => p.role === role);
  const tracker = () => party(policy.levels[level].trackedBy);
  const mailBase = () => ({ ...policy.levels[level], caseId, enterpriseName: ctx.enterpriseName, levelZh: LEVEL_ZH[level], levelEn: level });

  let epoch = 0;
  /** Tells a migrated plan's steps from the plan before it in idempotency keys ('' until a migration). */
  let planTag = '';
  /** On-site supervision already started at the current level (a migration does not start a second one). */
  let onSiteThisLevel = false;
  let deadlines: PlannedDeadline[] = [];
  let next = 0;
  const planFrom = (since: string) => plan(policy, level, since, untilDowngraded ? { untilDowngraded: true } : {});
  /** The deadlines a case shows: all still ahead, or (repeating until downgraded) the next notice and the on-site step. */
  const showDeadlines = () => {
    const ahead = deadlines.slice(next);
    state.deadlines = (untilDowngraded ? upcoming(ahead) : ahead).map((d) => ({ kind: d.kind, due: d.due }));
  };
  /** A warning not downgraded through its whole plan (1,000 notices) plans the notices after the last one. */
  const extendPlan = () => {
    const last = [...deadlines].reverse().find((d) => d.kind !== 'onsite_started');
    if (!untilDowngraded || !last || !policy.levels[level].repeatEvery) return;
    deadlines = [...deadlines, ...plan(policy, level, state.since!, { untilDowngraded: true, fromNotice: last.step + 1 })];
  };
  const replan = (since: string) => {
    state.since = since;
    deadlines = planFrom(since);
    next = 0;
    showDeadlines();
  };
  replan(openedAt);

  /**
   * A migration re-plans the current level's clocks under the new policy from the level's `since`.
   * Steps that fell due under the new ladder before now are not replayed one by one: the warning
   * notice is issued at once if none was yet at this level (else later ones repeat it), and on-site
   * supervision starts at once if due and not started; steps still ahead keep their times.
   */
  function migrate(at: string) {
    const t = Date.parse(at);
    let planned = planFrom(state.since!);
    if (noticeNumber) planned = planned.map((d) => (d.kind === 'notice_issued' ? { ...d, kind: 'notice_repeated' as const } : d));
    if (onSiteThisLevel) planned = planned.filter((d) => d.kind !== 'onsite_started');
    const overdue = planned.filter((d) => Date.parse(d.due) <= t);
    const ahead = planned.filter((d) => Date.parse(d.due) > t);
    const now: PlannedDeadline[] = [];
    const firstNotice = overdue.find((d) => d.kind === 'notice_issued');
    if (firstNotice) now.push({ ...firstNotice, due: at });
    const onSite = overdue.find((d) => d.kind === 'onsite_started');
    if (onSite) now.push({ ...onSite, due: at });
    deadlines = [...now, ...ahead];
    next = 0;
    showDeadlines();
  }

  let noticeNumber: string | undefined;
  /** The notice's PDF when it was drawn at issue, attached to each push of it (a repeat pushes the same document again). */
  let noticeFile: { filename: string; path: string } | undefined;
  /** Where the notice is read (drawn as a PDF by its first reader when it was not attached). */
  let noticeUrl: string | undefined;

  const openingEntry = { key: 'opened', at: openedAt, kind: 'opened', actor: opening!.by, detail: `${level}: ${opening!.reason} (policy v${policy.version})` };
  await book.openCase({
    caseId,
    type: 'risk_warning',
    title: `${LEVEL_ZH[level]}风险预警：${ctx.enterpriseName}`,
    enterpriseId: ctx.enterpriseId,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    trackingAgencyId: tracker()?.kind === 'agency' ? tracker()!.id : undefined,
    level,
    policyVersion: policy.version,
    openedAt,
    deadlines: state.deadlines,
    entry: openingEntry,
  });
  state.status = 'open';
  // Named once the record exists: whoever was told the id can read the case at once.
  state.caseId = caseId;
  await book.setEnterpriseLevel({ enterpriseId: input.enterpriseId, level });

  /**
   * Beside each mail: the in-app notification for the party (its agency's or enterprise's users see it)
   * and, for an agency with a chat robot, a text to its webhook. Keyed like the mail: case + step + party.
   */
  async function alsoTell(p: Party, key: string, kind: string, title: string, text: string, inApp = true) {
    if (inApp && patched(IN_APP)) await book.notifyInApp({ key, caseId, recipient: { kind: p.kind, id: p.id }, kind, title });
    if (p.kind === 'agency' && p.hasWebhook && patched(WEBHOOK)) {
      const post = { key: `${key}/webhook`, caseId, agencyId: p.id, content: `${title}\n${text}\n案件 case: ${caseId}${input.publicUrl ? `\n${input.publicUrl}/cases/${encodeURIComponent(caseId)}` : ''}` };
      if (neverStall) deliver('webhook', post.key, [p.id], () => deliveries.postWebhook(post));
      else await act.postWebhook(post).catch((err: unknown) => recordRefusal('webhook', post.key, [p.id], err));
    }
  }

  /** A mail of a step: beside the clock under DELIVERIES_NEVER_STALL, else awaited in turn as before. */
  async function mail(mailInput: Parameters<Activities['sendMail']>[0]) {
    // A refusal for good comes back as a failure: recorded on the timeline, the case goes on.
    const m = { ...mailInput, failWhenRefused: true };
    if (neverStall) deliver('email', m.key, m.to, () => deliveries.sendMail(m));
    else await act.sendMail(m).catch((err: unknown) => recordRefusal('email', m.key, m.to, err));
  }

  /**
   * A run from before DELIVERIES_NEVER_STALL awaits each delivery with unbounded retries; one refused for good
   * now fails at once (non-retryable) and is recorded instead of failing the warning (a path its history never took).
   */
  async function recordRefusal(channel: 'email' | 'webhook', key: string, to: string[], err: unknown) {
    await book.updateCase({ caseId, entry: { key: `delivery_failed/${key}`, at: now(), kind: 'delivery_failed', actor: 'system', recipients: to, detail: `${channel}: ${failureMessage(err)}` } });
  }

  /**
   * Starts a delivery beside the clock: a refusal for good, or a failure after its bounded retries, becomes a
   * `delivery_failed` timeline entry (and stays in the outbox); recipients a mail server refused among others too.
   */
  function deliver(channel: 'email' | 'webhook' | 'feed', key: string, to: string[], send: () => Promise<unknown>): void {
    const record = (recipients: string[], detail: string) => book.updateCase({ caseId, entry: { key: `delivery_failed/${key}`, at: now(), kind: 'delivery_failed', actor: 'system', recipients, detail: `${channel}: ${detail}` } });
    inFlight++;
    // Not awaited: the step goes on; the outcome lands on the timeline when it comes.
    void send()
      .then((r) => {
        const rejected = (r as { rejected?: string[] } | undefined)?.rejected;
        return rejected?.length ? record(rejected, `refused ${rejected.join(', ')}`) : undefined;
      })
      .catch((err: unknown) => record(to, failureMessage(err)))
      .catch(() => undefined)
      .finally(() => inFlight--);
  }
  /** Deliveries started and not settled: a closing case gives them a minute (its last feed event, its last mails). */
  let inFlight = 0;

  /** Events pushed to the municipal feed so far; the feed starts when the warning is (or becomes) red and then reports every change. */
  let feedSequence = 0;
  let fedToCity = false;
  function feedCity(entry: NonNullable<UpdateCaseInput['entry']>) {
    if (!cityFeed || entry.kind === 'delivery_failed') return;
    if (level === 'red') fedToCity = true;
    if (!fedToCity) return;
    const sequence = ++feedSequence;
    const key = `${caseId}/feed/${sequence}`;
    const payload = { caseId, enterpriseId: ctx.enterpriseId, enterpriseName: ctx.enterpriseName, regionPath: ctx.regionPath, industry: ctx.industry, level, status: state.status, openedAt, since: state.since, policyVersion: policy.version, citation: policy.levels[level].citation, noticeNumber, deadlines: state.deadlines, emergency: state.emergency, entry: { kind: entry.kind, at: entry.at, actor: entry.actor, detail: entry.detail } };
    deliver('feed', key, [party('municipal_bureau')?.id ?? 'municipal'], () => deliveries.pushMunicipalFeed({ key, caseId, event: entry.kind, sequence, payload }));
  }
  /** A timeline entry, then (a red warning) the same change to the municipal feed. */
  async function record(u: UpdateCaseInput) {
    await book.updateCase(u);
    if (u.entry) feedCity(u.entry);
  }
  feedCity(openingEntry);

  /** The tracking task assigned to the enterprise itself (blue: it tracks its own warning), until a feedback answers it. */
  let enterpriseTrackingTask: string | undefined;

  /** One party of a push: its mail, in-app notification and robot post. */
  async function tell(role: RecipientRole, reason: string, told: string[], inApp = true) {
    const p = party(role);
    if (!p) return;
    told.push(p.id, ...p.emails);
    if (p.emails.length) {
      await mail({ key: `${caseId}/notified/${epoch}/${role}`, caseId, to: p.emails, template: 'warning-notified', data: { ...mailBase(), partyName: p.name, trackerName: tracker()?.name ?? '', reason } });
    }
    await alsoTell(p, `${caseId}/notified/${epoch}/${role}`, 'notified', `${LEVEL_ZH[level]}风险预警：${ctx.enterpriseName}`, `原因 reason: ${reason}；跟踪部门 tracked by: ${tracker()?.name ?? '-'}`, inApp);
  }

  /** Push the warning at once to the given roles (an upgrade passes only the new ones), plus the tracking task. */
  async function push(toRoles: RecipientRole[], reason: string, actor: string) {
    const told: string[] = [];
    if (neverStall) {
      // All parties at once; `told` keeps the ladder's order for the timeline.
      const each = toRoles.map(() => [] as string[]);
      // The headquarters is a mail address of the enterprise: its users see one in-app notification, the enterprise's.
      await Promise.all(toRoles.map((role, i) => tell(role, reason, each[i], !(role === 'enterprise_hq' && toRoles.includes('enterprise')))));
      told.push(...each.flat());
    } else {
      for (const role of toRoles) await tell(role, reason, told);
    }
    const t = tracker();
    if (t) {
      await book.createTask({
        taskId: `${caseId}/tracking/${epoch}`,
        caseId,
        caseType: 'risk_warning',
        kind: t.kind === 'agency' ? 'warning_tracking' : 'warning_feedback',
        title: `${LEVEL_ZH[level]}风险预警${t.kind === 'agency' ? '跟踪' : '核查反馈'}：${ctx.enterpriseName}`,
        enterpriseId: ctx.enterpriseId,
        ...(t.kind === 'agency' ? { assigneeAgencyId: t.id } : { assigneeEnterpriseId: t.id }),
        due: deadlines[0]?.due,
        form: t.kind === 'agency' ? 'warningTracking' : 'warningFeedback',
      });
      if (t.kind !== 'agency') enterpriseTrackingTask = `${caseId}/tracking/${epoch}`;
    }
    if (t?.kind === 'agency') {
      // The enterprise verifies and feeds back whatever the level (002 第十九条).
      await book.createTask({ taskId: `${caseId}/feedback`, caseId, caseType: 'risk_warning', kind: 'warning_feedback', title: `风险预警核查反馈：${ctx.enterpriseName}`, enterpriseId: ctx.enterpriseId, assigneeEnterpriseId: ctx.enterpriseId, form: 'warningFeedback' });
    }
    await record({ caseId, entry: { key: `notified/${epoch}`, at: now(), kind: 'notified', actor, recipients: told, detail: `${level}: ${toRoles.join(', ')}` } });
  }
  await push(policy.levels[level].pushTo, opening!.reason, opening!.by);

  let feedbackCount = 0;
  let ackCount = 0;
  for (;;) {
    if (next >= deadlines.length) extendPlan();
    const d = deadlines[next];
    const work = () => changes.length > 0 || feedbacks.length > 0 || acks.length > 0 || migrations.length > 0;
    const woke = d ? await condition(work, Math.max(Date.parse(d.due) - Date.now(), 1)) : (await condition(work), true);
    if (!woke && d) {
      next++;
      showDeadlines();
      const to = party(d.to);
      const issuer = tracker();
      const step = planTag ? `${epoch}/${planTag}/${d.step}` : `${epoch}/${d.step}`;
      if (d.kind === 'onsite_started') {
        const childId = planTag ? `${caseId}/onsite/${epoch}/${planTag}` : `${caseId}/onsite/${epoch}`;
        await startChild(onSiteSupervision, {
          workflowId: childId,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ parentCaseId: caseId, enterpriseId: ctx.enterpriseId, enterpriseName: ctx.enterpriseName, regionPath: ctx.regionPath, industry: ctx.industry, level, agencyId: to?.kind === 'agency' ? to.id : undefined, agencyName: to?.name, agencyEmails: to?.emails ?? [], onSiteAfter: policy.levels[level].onSiteAfter!, citation: policy.levels[level].citation }],
        });
        state.onSiteCaseIds.push(childId);
        onSiteThisLevel = true;
        await record({ caseId, deadlines: state.deadlines, entry: { key: `onsite_started/${step}`, at: now(), kind: 'onsite_started', actor: 'system', recipients: to ? [to.id, ...to.emails] : [], detail: childId } });
        continue;
      }
      if (d.kind === 'notice_issued' || !noticeNumber) {
        const n = await book.issueNotice({ caseId, step: `notice/${step}`, agencyId: issuer?.kind === 'agency' ? issuer.id : 'platform', enterpriseId: ctx.enterpriseId, level, toRole: d.to, toId: to?.id, issuedAt: now() });
        noticeNumber = n.number;
        noticeFile = n.path && n.filename ? { filename: n.filename, path: n.path } : undefined;
        noticeUrl = `${input.publicUrl ?? ''}/documents/${encodeURIComponent(n.noticeId)}`;
        state.noticesIssued++;
      }
      if (to?.emails.length) {
        await mail({ key: `${caseId}/notice/${step}`, caseId, to: to.emails, template: 'warning-notice', data: { ...mailBase(), partyName: to.name, number: noticeNumber, documentUrl: noticeUrl, since: state.since, repeated: d.kind === 'notice_repeated' }, attachments: noticeFile ? [noticeFile] : undefined });
      }
      if (to) await alsoTell(to, `${caseId}/notice/${step}`, d.kind, `警示通报 ${noticeNumber}：${ctx.enterpriseName}（${LEVEL_ZH[level]}风险预警）`, `${LEVEL_ZH[level]}风险预警自 ${state.since} 起未降级${d.kind === 'notice_repeated' ? '（再次推送）' : ''}`);
      await record({ caseId, deadlines: state.deadlines, entry: { key: `${d.kind}/${step}`, at: now(), kind: d.kind, actor: 'system', recipients: to ? [to.id, ...to.emails] : [], detail: noticeNumber } });
      continue;
    }

    while (acks.length) {
      const a = acks.shift()!;
      ackCount++;
      await record({ caseId, entry: { key: `tracking_acknowledged/${ackCount}`, at: now(), kind: 'tracking_acknowledged', actor: a.by, detail: a.note } });
    }
    while (feedbacks.length) {
      const f = feedbacks.shift()!;
      state.feedback = f;
      feedbackCount++;
      const files = f.attachments?.length ? f.attachments : undefined;
      await record({ caseId, entry: { key: `feedback/${feedbackCount}`, at: now(), kind: 'feedback', actor: f.by, detail: `核查 verification: ${f.verification}; 原因 cause: ${f.cause}; 措施 measures: ${f.measures}; 责任人 responsible: ${f.responsiblePerson}; 事故 accident: ${f.accidentFound ? 'yes' : 'no'}${files ? `; 附件 attachments: ${files.length}` : ''}`, ...(files ? { attachments: files } : {}) } });
      await book.completeTask({ taskId: `${caseId}/feedback`, by: f.by, result: { ...f } });
      if (enterpriseTrackingTask && patched(FEEDBACK_CLOSES_TRACKING)) {
        await book.completeTask({ taskId: enterpriseTrackingTask, by: f.by, result: { ...f } });
        enterpriseTrackingTask = undefined;
      }
      if (f.accidentFound && !state.emergency) {
        // 002 第十九条: an accident found while verifying turns the case into an emergency response.
        state.emergency = true;
        const bureau = party('district_emergency_bureau');
        if (emergencyCase) {
          const childId = `${caseId}/emergency`;
          await startChild(emergencyResponse, {
            workflowId: childId,
            parentClosePolicy: ParentClosePolicy.ABANDON,
            args: [{ parentCaseId: caseId, enterpriseId: ctx.enterpriseId, enterpriseName: ctx.enterpriseName, regionPath: ctx.regionPath, industry: ctx.industry, level, accident: { verification: f.verification, cause: f.cause, measures: f.measures, responsiblePerson: f.responsiblePerson, by: f.by }, bureau: bureau ? { id: bureau.id, name: bureau.name, emails: bureau.emails } : undefined }],
          });
          state.emergencyCaseId = childId;
          await record({ caseId, entry: { key: 'emergency_response', at: now(), kind: 'emergency_response', actor: f.by, recipients: bureau ? [bureau.id, ...bureau.emails] : [], detail: childId } });
          continue;
        }
        if (bureau?.emails.length) {
          await mail({ key: `${caseId}/emergency_response`, caseId, to: bureau.emails, template: 'warning-emergency', data: { ...mailBase(), partyName: bureau.name, ...f } });
        }
        if (bureau) await alsoTell(bureau, `${caseId}/emergency_response`, 'emergency_response', `应急响应：${ctx.enterpriseName}发现事故`, `核查 verification: ${f.verification}；原因 cause: ${f.cause}；措施 measures: ${f.measures}`);
        await record({ caseId, entry: { key: 'emergency_response', at: now(), kind: 'emergency_response', actor: f.by, recipients: bureau ? [bureau.id, ...bureau.emails] : [], detail: 'accident found: emergency plan activated (002 第十九条)' } });
      }
    }

    while (migrations.length) {
      const m = migrations.shift()!;
      // POLICY_MIGRATION: the migratePolicy update did not exist before this code, so no earlier history
      // can reach this branch; the marker records the histories that did take it, so that a later change
      // to how a migration re-plans goes behind a new patch id (or retires this one with deprecatePatch)
      // without breaking the replay of warnings migrated under this version of the code.
      if (!patched(POLICY_MIGRATION)) continue;
      const from = policy.version;
      policy = m.policy;
      state.policyVersion = policy.version;
      planTag = `m${policy.version}`;
      migrate(now());
      await record({ caseId, policyVersion: policy.version, deadlines: state.deadlines, entry: { key: `policy_migrated/${epoch}/${planTag}`, at: now(), kind: 'policy_migrated', actor: m.by, detail: `policy v${from} → v${policy.version}: ${m.reason}` } });
    }

    let closed = false;
    while (changes.length) {
      const c = changes.shift()!;
      if (c.level === 'clear') {
        await record({ caseId, entry: { key: 'cleared', at: now(), kind: 'cleared', actor: c.by, detail: c.reason } });
        closed = true;
        break;
      }
      if (c.level === level) continue;
      const from = level;
      level = c.level;
      state.level = level;
      epoch++;
      noticeNumber = undefined;
      noticeFile = undefined;
      noticeUrl = undefined;
      onSiteThisLevel = false;
      replan(now());
      await record({ caseId, level, deadlines: state.deadlines, entry: { key: `level_changed/${epoch}`, at: now(), kind: 'level_changed', actor: c.by, detail: `${from} → ${level}: ${c.reason}` } });
      await book.setEnterpriseLevel({ enterpriseId: input.enterpriseId, level });
      if (isUpgrade(from, level)) await push(newRecipients(policy, from, level), c.reason, c.by);
    }
    if (closed) {
      // A raise queued behind the clear is a new warning, not a change of this one.
      reopenWith.push(...changes.flatMap((x) => (x.raise ? [x.raise] : [])));
      break;
    }
  }

  state.status = 'closed';
  state.deadlines = [];
  await book.setEnterpriseLevel({ enterpriseId: input.enterpriseId });
  await record({ caseId, status: 'closed', closedAt: now(), deadlines: [], entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system' } });
  // Activities scheduled by a run that has ended are never started: the last deliveries go out first (a minute at most).
  if (neverStall && inFlight > 0) await condition(() => inFlight === 0, '1 minute');
  if (reopenWith.length && patched(RAISE_AFTER_CLEAR)) {
    // Same workflow id (one open warning per enterprise), a new run and a new case id.
    const [first, ...rest] = reopenWith;
    await continueAsNew<typeof riskWarning>({ enterpriseId: input.enterpriseId, policy: first.policy ?? policy, publicUrl: input.publicUrl, reopening: first, raisedSince: rest });
  }
  return state;
}
