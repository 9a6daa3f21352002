/**
 * The steps of a risk warning, each what seed 002 (第十九至二十三条) asks at that moment: open and push to the
 * ladder's parties with a tracking task, issue or repeat the warning notice or start on-site supervision
 * when a deadline falls due, take acknowledgements, feedback (an accident found opens an emergency
 * response), policy migrations and level changes, and close. workflows/riskWarning.ts runs them in order.
 */
import { ParentClosePolicy, condition, deprecatePatch, patched, startChild } from '@temporalio/workflow';
import { LEVEL_ZH, compactInstant } from '../domain/cases';
import { PlannedDeadline, RecipientRole, isUpgrade, newRecipients } from '../domain/escalation';
import { emergencyResponse } from './emergencyResponse';
import { onSiteSupervision } from './onSiteSupervision';
import { PATCHES } from './patches';
import { migratePlan, passDeadline, replan } from './riskWarningClock';
import { alsoTell, deliveriesSettled, feedCity, mail, record } from './riskWarningDeliveries';
import type { WarningInbox } from './riskWarningInbox';
import type { RaiseWarning, RiskWarningInput, RiskWarningState } from './riskWarningMessages';
import { RunPatches, WarningRun, now, party, tracker } from './riskWarningRun';

const warningTitle = (run: WarningRun) => `${LEVEL_ZH[run.level]}风险预警：${run.ctx.enterpriseName}`;
/** The facts every mail of the warning carries. */
const mailBase = (run: WarningRun) => ({
  ...run.policy.levels[run.level],
  caseId: run.caseId,
  enterpriseName: run.ctx.enterpriseName,
  levelZh: LEVEL_ZH[run.level],
  levelEn: run.level,
});

/** Opens the case: its record (id = workflow id + opening instant), the level's clock, the enterprise's level. */
export async function openWarning(
  input: RiskWarningInput,
  state: RiskWarningState,
  opening: RaiseWarning,
  patches: RunPatches,
  caseIdBase: string,
): Promise<WarningRun> {
  const policy = input.policy;
  const openedAt = now();
  // A warning reopened at once may open within the second its predecessor did: its id keeps the milliseconds.
  const caseId = `${caseIdBase}/${input.reopening ? openedAt.replace(/[-:]/g, '') : compactInstant(openedAt)}`;
  const level = opening.level;
  state.level = level;

  // Every party any level of the policy names (a later level change needs them too), the bureau and the enterprise.
  const named = Object.values(policy.levels).flatMap((r): RecipientRole[] => [
    ...r.pushTo,
    r.trackedBy,
    ...(r.noticeTo ? [r.noticeTo] : []),
  ]);
  const roles = [...new Set<RecipientRole>([...named, 'district_emergency_bureau', 'enterprise'])];
  const ctx = await patches.book.resolveParties({ enterpriseId: input.enterpriseId, roles });
  const run: WarningRun = {
    ...patches,
    input,
    state,
    caseId,
    openedAt,
    ctx,
    policy,
    level,
    epoch: 0,
    clock: { deadlines: [], next: 0, planTag: '', onSiteThisLevel: false },
    notice: {},
    delivery: { inFlight: 0, feedSequence: 0, fedToCity: false },
    feedbackCount: 0,
    ackCount: 0,
  };
  replan(run, openedAt);

  const openingEntry = {
    key: 'opened',
    at: openedAt,
    kind: 'opened',
    actor: opening.by,
    detail: `${level}: ${opening.reason} (policy v${policy.version})`,
  };
  const t = tracker(run);
  await run.book.openCase({
    caseId,
    type: 'risk_warning',
    title: warningTitle(run),
    enterpriseId: ctx.enterpriseId,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    trackingAgencyId: t?.kind === 'agency' ? t.id : undefined,
    level,
    policyVersion: policy.version,
    openedAt,
    deadlines: state.deadlines,
    entry: openingEntry,
  });
  state.status = 'open';
  // Named once the record exists: whoever was told the id can read the case at once.
  state.caseId = caseId;
  await run.book.setEnterpriseLevel({ enterpriseId: input.enterpriseId, level });
  feedCity(run, openingEntry);
  return run;
}

/** One party of a push: its mail, in-app notification and robot post. */
async function tell(run: WarningRun, role: RecipientRole, reason: string, told: string[], inApp = true): Promise<void> {
  const p = party(run, role);
  if (!p) return;
  const { caseId, epoch } = run;
  told.push(p.id, ...p.emails);
  if (p.emails.length) {
    await mail(run, {
      key: `${caseId}/notified/${epoch}/${role}`,
      caseId,
      to: p.emails,
      template: 'warning-notified',
      data: { ...mailBase(run), partyName: p.name, trackerName: tracker(run)?.name ?? '', reason },
    });
  }
  await alsoTell(
    run,
    p,
    `${caseId}/notified/${epoch}/${role}`,
    'notified',
    warningTitle(run),
    `原因 reason: ${reason}；跟踪部门 tracked by: ${tracker(run)?.name ?? '-'}`,
    inApp,
  );
}

/** Push the warning at once to the given roles (an upgrade passes only the new ones), plus the tracking task. */
export async function push(run: WarningRun, toRoles: RecipientRole[], reason: string, actor: string): Promise<void> {
  const { caseId, ctx, epoch } = run;
  const told: string[] = [];
  if (run.neverStall) {
    // All parties at once; `told` keeps the ladder's order for the timeline.
    const each = toRoles.map(() => [] as string[]);
    // The headquarters is a mail address of the enterprise: its users see one in-app notification, the enterprise's.
    await Promise.all(
      toRoles.map((role, i) =>
        tell(run, role, reason, each[i], !(role === 'enterprise_hq' && toRoles.includes('enterprise'))),
      ),
    );
    told.push(...each.flat());
  } else {
    for (const role of toRoles) await tell(run, role, reason, told);
  }
  const t = tracker(run);
  if (t) {
    await run.book.createTask({
      taskId: `${caseId}/tracking/${epoch}`,
      caseId,
      caseType: 'risk_warning',
      kind: t.kind === 'agency' ? 'warning_tracking' : 'warning_feedback',
      title: `${LEVEL_ZH[run.level]}风险预警${t.kind === 'agency' ? '跟踪' : '核查反馈'}：${ctx.enterpriseName}`,
      enterpriseId: ctx.enterpriseId,
      ...(t.kind === 'agency' ? { assigneeAgencyId: t.id } : { assigneeEnterpriseId: t.id }),
      due: run.clock.deadlines[0]?.due,
      form: t.kind === 'agency' ? 'warningTracking' : 'warningFeedback',
    });
    if (t.kind !== 'agency') run.enterpriseTrackingTask = `${caseId}/tracking/${epoch}`;
  }
  if (t?.kind === 'agency') {
    // The enterprise verifies and feeds back whatever the level (002 第十九条).
    await run.book.createTask({
      taskId: `${caseId}/feedback`,
      caseId,
      caseType: 'risk_warning',
      kind: 'warning_feedback',
      title: `风险预警核查反馈：${ctx.enterpriseName}`,
      enterpriseId: ctx.enterpriseId,
      assigneeEnterpriseId: ctx.enterpriseId,
      form: 'warningFeedback',
    });
  }
  await record(run, {
    caseId,
    entry: {
      key: `notified/${epoch}`,
      at: now(),
      kind: 'notified',
      actor,
      recipients: told,
      detail: `${run.level}: ${toRoles.join(', ')}`,
    },
  });
}

/** What a case the warning starts (on-site supervision, emergency response) is told of the warning it comes from. */
function childCaseOf(run: WarningRun) {
  const { caseId, ctx, level } = run;
  return {
    parentCaseId: caseId,
    enterpriseId: ctx.enterpriseId,
    enterpriseName: ctx.enterpriseName,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    level,
  };
}

/** A deadline of the ladder fell due: on-site supervision starts, or the warning notice is issued (or pushed again). */
export async function deadlineDue(run: WarningRun, d: PlannedDeadline): Promise<void> {
  passDeadline(run);
  const { caseId, ctx, state, epoch, level } = run;
  const { planTag } = run.clock;
  const to = party(run, d.to);
  const issuer = tracker(run);
  const step = planTag ? `${epoch}/${planTag}/${d.step}` : `${epoch}/${d.step}`;
  if (d.kind === 'onsite_started') {
    const childId = planTag ? `${caseId}/onsite/${epoch}/${planTag}` : `${caseId}/onsite/${epoch}`;
    await startChild(onSiteSupervision, {
      workflowId: childId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          ...childCaseOf(run),
          agencyId: to?.kind === 'agency' ? to.id : undefined,
          agencyName: to?.name,
          agencyEmails: to?.emails ?? [],
          onSiteAfter: run.policy.levels[level].onSiteAfter!,
          citation: run.policy.levels[level].citation,
        },
      ],
    });
    state.onSiteCaseIds.push(childId);
    run.clock.onSiteThisLevel = true;
    await record(run, {
      caseId,
      deadlines: state.deadlines,
      entry: {
        key: `onsite_started/${step}`,
        at: now(),
        kind: 'onsite_started',
        actor: 'system',
        recipients: to ? [to.id, ...to.emails] : [],
        detail: childId,
      },
    });
    return;
  }
  if (d.kind === 'notice_issued' || !run.notice.number) {
    const n = await run.book.issueNotice({
      caseId,
      step: `notice/${step}`,
      agencyId: issuer?.kind === 'agency' ? issuer.id : 'platform',
      enterpriseId: ctx.enterpriseId,
      level,
      toRole: d.to,
      toId: to?.id,
      issuedAt: now(),
    });
    run.notice = {
      number: n.number,
      file: n.path && n.filename ? { filename: n.filename, path: n.path } : undefined,
      url: `${run.input.publicUrl ?? ''}/documents/${encodeURIComponent(n.noticeId)}`,
    };
    state.noticesIssued++;
  }
  const { number, file, url } = run.notice;
  if (to?.emails.length) {
    await mail(run, {
      key: `${caseId}/notice/${step}`,
      caseId,
      to: to.emails,
      template: 'warning-notice',
      data: {
        ...mailBase(run),
        partyName: to.name,
        number,
        documentUrl: url,
        since: state.since,
        repeated: d.kind === 'notice_repeated',
      },
      attachments: file ? [file] : undefined,
    });
  }
  if (to)
    await alsoTell(
      run,
      to,
      `${caseId}/notice/${step}`,
      d.kind,
      `警示通报 ${number}：${ctx.enterpriseName}（${LEVEL_ZH[level]}风险预警）`,
      `${LEVEL_ZH[level]}风险预警自 ${state.since} 起未降级${d.kind === 'notice_repeated' ? '（再次推送）' : ''}`,
    );
  await record(run, {
    caseId,
    deadlines: state.deadlines,
    entry: {
      key: `${d.kind}/${step}`,
      at: now(),
      kind: d.kind,
      actor: 'system',
      recipients: to ? [to.id, ...to.emails] : [],
      detail: number,
    },
  });
}

/** The tracking agency acknowledged its tracking task (跟踪确认). */
export async function takeAcknowledgements(run: WarningRun, inbox: WarningInbox): Promise<void> {
  while (inbox.acks.length) {
    const a = inbox.acks.shift()!;
    run.ackCount++;
    await record(run, {
      caseId: run.caseId,
      entry: {
        key: `tracking_acknowledged/${run.ackCount}`,
        at: now(),
        kind: 'tracking_acknowledged',
        actor: a.by,
        detail: a.note,
      },
    });
  }
}

/** The enterprise's feedback (核查反馈) completes its tasks; an accident found turns the case into an emergency response. */
export async function takeFeedback(run: WarningRun, inbox: WarningInbox): Promise<void> {
  const { caseId, state } = run;
  while (inbox.feedbacks.length) {
    const f = inbox.feedbacks.shift()!;
    state.feedback = f;
    run.feedbackCount++;
    const files = f.attachments?.length ? f.attachments : undefined;
    await record(run, {
      caseId,
      entry: {
        key: `feedback/${run.feedbackCount}`,
        at: now(),
        kind: 'feedback',
        actor: f.by,
        detail: `核查 verification: ${f.verification}; 原因 cause: ${f.cause}; 措施 measures: ${f.measures}; 责任人 responsible: ${f.responsiblePerson}; 事故 accident: ${f.accidentFound ? 'yes' : 'no'}${files ? `; 附件 attachments: ${files.length}` : ''}`,
        ...(files ? { attachments: files } : {}),
      },
    });
    await run.book.completeTask({ taskId: `${caseId}/feedback`, by: f.by, result: { ...f } });
    if (run.enterpriseTrackingTask && patched(PATCHES.riskWarning.feedbackClosesEnterpriseTracking)) {
      await run.book.completeTask({ taskId: run.enterpriseTrackingTask, by: f.by, result: { ...f } });
      run.enterpriseTrackingTask = undefined;
    }
    if (f.accidentFound && !state.emergency) {
      // 002 第十九条: an accident found while verifying turns the case into an emergency response.
      state.emergency = true;
      const bureau = party(run, 'district_emergency_bureau');
      const ctx = run.ctx;
      // The timeline says the emergency response began: as a child case, or as the bureau told by mail.
      const recordEmergency = (detail: string) =>
        record(run, {
          caseId,
          entry: {
            key: 'emergency_response',
            at: now(),
            kind: 'emergency_response',
            actor: f.by,
            recipients: bureau ? [bureau.id, ...bureau.emails] : [],
            detail,
          },
        });
      if (run.emergencyCase) {
        const childId = `${caseId}/emergency`;
        await startChild(emergencyResponse, {
          workflowId: childId,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [
            {
              ...childCaseOf(run),
              accident: {
                verification: f.verification,
                cause: f.cause,
                measures: f.measures,
                responsiblePerson: f.responsiblePerson,
                by: f.by,
              },
              bureau: bureau ? { id: bureau.id, name: bureau.name, emails: bureau.emails } : undefined,
            },
          ],
        });
        state.emergencyCaseId = childId;
        await recordEmergency(childId);
        continue;
      }
      if (bureau?.emails.length) {
        await mail(run, {
          key: `${caseId}/emergency_response`,
          caseId,
          to: bureau.emails,
          template: 'warning-emergency',
          data: { ...mailBase(run), partyName: bureau.name, ...f },
        });
      }
      if (bureau)
        await alsoTell(
          run,
          bureau,
          `${caseId}/emergency_response`,
          'emergency_response',
          `应急响应：${ctx.enterpriseName}发现事故`,
          `核查 verification: ${f.verification}；原因 cause: ${f.cause}；措施 measures: ${f.measures}`,
        );
      await recordEmergency('accident found: emergency plan activated (002 第十九条)');
    }
  }
}

/** An administrator moved the warning to another policy version: the level's clocks are re-planned under it. */
export async function takeMigrations(run: WarningRun, inbox: WarningInbox): Promise<void> {
  while (inbox.migrations.length) {
    const m = inbox.migrations.shift()!;
    // The migratePolicy update came with this step, so no history without the marker can reach it: the patch
    // is retired (deprecatePatch still writes the marker, so a later change to how a migration re-plans can go
    // behind a new id without breaking histories migrated under this code). See workflows/PATCHES.md.
    deprecatePatch(PATCHES.riskWarning.policyMigration);
    const from = run.policy.version;
    run.policy = m.policy;
    run.state.policyVersion = run.policy.version;
    run.clock.planTag = `m${run.policy.version}`;
    migratePlan(run, now());
    await record(run, {
      caseId: run.caseId,
      policyVersion: run.policy.version,
      deadlines: run.state.deadlines,
      entry: {
        key: `policy_migrated/${run.epoch}/${run.clock.planTag}`,
        at: now(),
        kind: 'policy_migrated',
        actor: m.by,
        detail: `policy v${from} → v${run.policy.version}: ${m.reason}`,
      },
    });
  }
}

/**
 * Level changes in the order received: a new level restarts the clock (and an upgrade pushes to the parties
 * the new level adds); a clear ends the warning. Returns true when cleared; a raise queued behind the clear
 * is the next warning, not a change of this one.
 */
export async function takeLevelChanges(run: WarningRun, inbox: WarningInbox): Promise<boolean> {
  const { caseId, state } = run;
  while (inbox.changes.length) {
    const c = inbox.changes.shift()!;
    if (c.level === 'clear') {
      await record(run, {
        caseId,
        entry: { key: 'cleared', at: now(), kind: 'cleared', actor: c.by, detail: c.reason },
      });
      inbox.reopenWith.push(...inbox.changes.flatMap((x) => (x.raise ? [x.raise] : [])));
      return true;
    }
    if (c.level === run.level) continue;
    const from = run.level;
    run.level = c.level;
    state.level = run.level;
    run.epoch++;
    run.notice = {};
    run.clock.onSiteThisLevel = false;
    replan(run, now());
    await record(run, {
      caseId,
      level: run.level,
      deadlines: state.deadlines,
      entry: {
        key: `level_changed/${run.epoch}`,
        at: now(),
        kind: 'level_changed',
        actor: c.by,
        detail: `${from} → ${run.level}: ${c.reason}`,
      },
    });
    await run.book.setEnterpriseLevel({ enterpriseId: run.input.enterpriseId, level: run.level });
    if (isUpgrade(from, run.level)) await push(run, newRecipients(run.policy, from, run.level), c.reason, c.by);
  }
  return false;
}

/** Closes the case and lets the deliveries still in flight go out (a minute at most). */
export async function closeWarning(run: WarningRun): Promise<void> {
  const { caseId, state } = run;
  state.status = 'closed';
  state.deadlines = [];
  await run.book.setEnterpriseLevel({ enterpriseId: run.input.enterpriseId });
  await record(run, {
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system' },
  });
  // Activities scheduled by a run that has ended are never started: the last deliveries go out first.
  if (run.neverStall && !deliveriesSettled(run)) await condition(() => deliveriesSettled(run), '1 minute');
}
