/**
 * DeviceOffline (离线): one case per silent sensor device or video channel, workflow id
 * `offline/<deviceCode>` (`offline/video/<channelId>`). Opened by the offline sweeper when no data
 * came past the expected interval (default 3 missed intervals); the ladder (domain/offline.ts,
 * seed 002 第二十九至三十一条): more than 2 days → an Interview (约谈, workflows/interview.ts) by the
 * district industry regulator; more than 5 days → interview of the enterprise and its region (district
 * emergency bureau, municipal bureau). Each interview is a case of its own, id `<case>/<step>/<agency>`. Data resuming (signal from ingestion) closes it. An approved suspension (停用许可)
 * covering the source now closes it (and one covering the moment the case starts opens none).
 *
 * OfflineSweep: one short run per `sweepEvery` of the offline rules, started by the schedule
 * `offline-sweep/<taskQueue>` (worker/offlineSweepSchedule.ts): it asks an activity for newly silent
 * sources and starts their cases, and adds offline seconds to the daily statistics. (OfflineSweeper, the
 * long-running loop `offline-sweeper/<taskQueue>` it replaces, is retired.)
 */
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCHES } from './patches';
import { caseSearchAttributes } from '../config/searchAttributes';
import { caseStep } from './activityOptions';
import { caseIds, compactInstant } from '../domain/cases';
import { durationZh, parseDuration } from '../domain/durations';
import { chineseDateTime } from '../domain/time';
import { SERIOUS_BREACH_ZH } from '../domain/enforcement';
import { OfflinePolicy, OfflineStep, Period, covered, coveringPeriod, offlineLadder } from '../domain/offline';
import { interview } from './interview';

export interface DeviceOfflineInput {
  sourceKind: 'sensor' | 'video';
  sourceId: string;
  enterpriseId: string;
  silentSince: string;
  policy: OfflinePolicy;
}

export interface DeviceOfflineState {
  caseId?: string;
  status: 'open' | 'closed';
  steps: string[];
  resumedAt?: string;
  suspensions: Period[];
}

export const dataResumedSignal = defineSignal<[{ at: string }]>('dataResumed');
export const suspensionApprovedSignal =
  defineSignal<[{ requestId: string; from: string; to: string }]>('suspensionApproved');
export const deviceOfflineStateQuery = defineQuery<DeviceOfflineState>('deviceOfflineState');

const act = proxyActivities<Activities>(caseStep('1 minute'));

/**
 * An approved suspension (停用许可, 002 第二十五条) covering the source now closes its offline case (or
 * opens none when it already covers the moment the case starts); before, it only skipped the steps that
 * fell due under it and the case stayed open until data resumed.
 */
const SUSPENSION_CLOSES = PATCHES.deviceOffline.suspensionCloses;
/** Offline past the region step without a suspension: a public notice (公开通报) is issued; cases before only interviewed. */
const PUBLIC_NOTICE = PATCHES.deviceOffline.publicNotice;

const STEP_WORDS: Record<
  OfflineStep,
  {
    kind: string;
    title: string;
    roles: ('district_industry_regulator' | 'district_emergency_bureau' | 'municipal_bureau')[];
  }
> = {
  district_interview: {
    kind: 'interview_district',
    title: '离线超过2天：约谈企业',
    roles: ['district_industry_regulator'],
  },
  region_interview: {
    kind: 'interview_region',
    title: '离线超过5天：约谈企业及属地',
    roles: ['district_emergency_bureau', 'municipal_bureau'],
  },
};

export async function deviceOffline(input: DeviceOfflineInput): Promise<DeviceOfflineState> {
  const state: DeviceOfflineState = { status: 'open', steps: [], suspensions: [] };
  setHandler(deviceOfflineStateQuery, () => state);
  setHandler(dataResumedSignal, ({ at }) => {
    state.resumedAt ??= at;
  });
  setHandler(suspensionApprovedSignal, (s) => {
    state.suspensions.push({ fromMs: Date.parse(s.from), toMs: Date.parse(s.to), requestId: s.requestId });
  });

  const closesBySuspension = patched(SUSPENSION_CLOSES);
  const now = () => new Date().toISOString();
  const silentSinceMs = Date.parse(input.silentSince);
  const caseId = `${workflowInfo().workflowId}/${compactInstant(input.silentSince)}`;
  state.caseId = caseId;
  const ctx = await act.enterpriseContext({ enterpriseId: input.enterpriseId });
  state.suspensions.push(...(await act.suspensionPeriods({ sourceId: input.sourceId, sourceKind: input.sourceKind })));
  /** The approved suspension that covers the source now, when it closes the case. */
  const suspendedNow = () =>
    closesBySuspension && !state.resumedAt ? coveringPeriod(Date.now(), state.suspensions) : undefined;
  const suspendSource = (p: Period) =>
    act.suspendOfflineSource({
      sourceKind: input.sourceKind,
      sourceId: input.sourceId,
      until: new Date(p.toMs).toISOString(),
    });
  const atStart = suspendedNow();
  if (atStart) {
    // Silent under a written permission: not offline, no case, nobody mailed.
    await suspendSource(atStart);
    state.status = 'closed';
    state.steps.push('suspended');
    return state;
  }
  const ladder = offlineLadder(silentSinceMs, input.policy);
  const what = input.sourceKind === 'sensor' ? `设备 ${input.sourceId}` : `视频通道 ${input.sourceId}`;

  await act.openCase({
    caseId,
    type: 'device_offline',
    title: `离线：${ctx.enterpriseName} ${what}`,
    enterpriseId: ctx.enterpriseId,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    trackingAgencyId: ctx.agencies.district_industry_regulator?.id ?? ctx.agencies.zone_safety_dept?.id,
    policyVersion: input.policy.version,
    openedAt: now(),
    deadlines: ladder.map((l) => ({ kind: l.step, due: new Date(l.dueMs).toISOString() })),
    entry: {
      key: 'opened',
      at: now(),
      kind: 'opened',
      actor: 'system',
      detail: `${what} silent since ${input.silentSince}`,
    },
  });
  state.steps.push('opened');
  const mailData = { caseId, enterpriseName: ctx.enterpriseName, what, silentSince: input.silentSince };
  if (ctx.emails.length)
    await act.sendMail({
      key: `${caseId}/notified`,
      caseId,
      to: ctx.emails,
      template: 'offline-opened',
      data: mailData,
    });
  await act.updateCase({
    caseId,
    entry: {
      key: 'notified',
      at: now(),
      kind: 'notified',
      actor: 'system',
      recipients: [ctx.enterpriseId, ...ctx.emails],
    },
  });
  state.steps.push('notified');

  const ends = () => !!state.resumedAt || !!suspendedNow();
  for (const [i, step] of ladder.entries()) {
    const waitMs = step.dueMs - Date.now();
    if (waitMs > 0 && (await condition(ends, waitMs))) break;
    if (ends()) break;
    const words = STEP_WORDS[step.step];
    const remaining = ladder.slice(i + 1).map((l) => ({ kind: l.step, due: new Date(l.dueMs).toISOString() }));
    if (covered(Date.now(), state.suspensions)) {
      await act.updateCase({
        caseId,
        deadlines: remaining,
        entry: {
          key: `${step.step}/suspended`,
          at: now(),
          kind: 'escalation_suspended',
          actor: 'system',
          detail: `${words.title}: covered by an approved suspension`,
        },
      });
      state.steps.push(`${step.step}:suspended`);
      continue;
    }
    const agencies = words.roles.map((r) => ctx.agencies[r]).filter((a): a is NonNullable<typeof a> => !!a);
    // Cases offline before the Interview workflow existed keep their record-only interview task on replay.
    if (patched(PATCHES.deviceOffline.interviewWorkflow)) {
      for (const a of agencies) {
        await startChild(interview, {
          workflowId: `${caseId}/${step.step}/${a.id}`,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [
            {
              enterpriseId: ctx.enterpriseId,
              agencyId: a.id,
              reason: `${what}${words.title.split('：')[0]}`,
              includeRegion: step.step === 'region_interview',
              parentCaseId: caseId,
            },
          ],
          typedSearchAttributes: caseSearchAttributes('interview', ctx.enterpriseId),
        });
      }
    } else
      for (const a of agencies) {
        await act.createTask({
          taskId: `${caseId}/${step.step}/${a.id}`,
          caseId,
          caseType: 'device_offline',
          kind: 'interview',
          title: `${words.title}：${ctx.enterpriseName} ${what}`,
          enterpriseId: ctx.enterpriseId,
          assigneeAgencyId: a.id,
          form: 'interviewMinutes',
        });
      }
    const emails = agencies.flatMap((a) => a.emails);
    if (emails.length)
      await act.sendMail({
        key: `${caseId}/${step.step}`,
        caseId,
        to: emails,
        template: 'offline-interview',
        data: { ...mailData, stepTitle: words.title },
      });
    // 002 第二十五条: offline this long without an approved suspension is a serious breach (无故…离线等情节严重) —
    // investigated (the region interview) and publicly notified (公开通报) by the district emergency bureau.
    const bureau = ctx.agencies.district_emergency_bureau;
    if (step.step === 'region_interview' && bureau && patched(PUBLIC_NOTICE)) {
      const doc = await act.issueDocument({
        caseId,
        step: 'public_notice',
        kind: 'public_notice',
        agencyId: bureau.id,
        enterpriseId: ctx.enterpriseId,
        toRole: 'public',
        toName: '社会公众',
        issuedAt: now(),
        facts: {
          caseId,
          breachZh: SERIOUS_BREACH_ZH.offline_without_reason,
          facts: `${what}自${chineseDateTime(input.silentSince)}起无故离线超过${durationZh(input.policy.regionInterviewAfter)}，未经区应急局书面允许停止数据传输`,
        },
      });
      const to = [...ctx.emails, ...agencies.flatMap((a) => a.emails)];
      if (to.length)
        await act.sendMail({
          key: `${caseId}/public_notice`,
          caseId,
          to,
          template: 'official-document',
          data: {
            caseId,
            enterpriseName: ctx.enterpriseName,
            agencyName: bureau.name,
            title: doc.title,
            number: doc.number,
          },
          attachments: [{ filename: doc.filename, path: doc.path }],
        });
      await act.updateCase({
        caseId,
        entry: {
          key: 'public_notice',
          at: now(),
          kind: 'public_notice',
          actor: bureau.id,
          recipients: [ctx.enterpriseId, ...to],
          detail: `${doc.title} ${doc.number}`,
        },
      });
    }
    await act.updateCase({
      caseId,
      deadlines: remaining,
      entry: {
        key: step.step,
        at: now(),
        kind: words.kind,
        actor: 'system',
        recipients: agencies.map((a) => a.id),
        detail: words.title,
      },
    });
    state.steps.push(step.step);
  }

  await condition(ends);
  const suspension = suspendedNow();
  if (suspension) {
    // The source stays offline for the statistics (suspended seconds) and is swept again when the suspension ends.
    await suspendSource(suspension);
    state.status = 'closed';
    const detail = `covered by approved suspension ${suspension.requestId ?? ''} until ${new Date(suspension.toMs).toISOString()}`;
    await act.updateCase({
      caseId,
      status: 'closed',
      closedAt: now(),
      deadlines: [],
      entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system', detail },
    });
    state.steps.push('closed');
    return state;
  }
  await act.closeOfflinePeriod({ sourceKind: input.sourceKind, sourceId: input.sourceId, resumedAt: state.resumedAt! });
  state.status = 'closed';
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: { key: 'closed', at: now(), kind: 'closed', actor: 'system', detail: `data resumed at ${state.resumedAt}` },
  });
  state.steps.push('closed');
  return state;
}

export interface OfflineSweeperInput {
  policy: OfflinePolicy;
  /** Sweeps before continue-as-new (keeps the history short). */
  sweepsPerRun?: number;
}

/**
 * Each run of the sweeper reads the offline policy in force (an administrator's version, offline_policies)
 * for its sweep interval and the cases it opens; runs before kept the policy they were started with.
 */
const OFFLINE_POLICY_DATA = PATCHES.offlineSweeper.offlinePolicyData;

/**
 * Retired (issue 16): the loop the web process started on the first reading. The offline-sweep schedule
 * (worker/offlineSweepSchedule.ts) runs offlineSweep instead, and ending a loop still running is part of
 * ensuring the schedule; the loop stays in the bundle for its histories (replay).
 */
export async function offlineSweeper(input: OfflineSweeperInput): Promise<void> {
  const policy = patched(OFFLINE_POLICY_DATA) ? await act.currentOfflinePolicy() : input.policy;
  const every = parseDuration(policy.sweepEvery);
  const sweeps = input.sweepsPerRun ?? 60;
  for (let i = 0; i < sweeps; i++) {
    await sweepOnce(policy);
    await sleep(every);
  }
  await continueAsNew<typeof offlineSweeper>({ ...input, policy });
}

/**
 * One sweep, started by the offline-sweep schedule every `sweepEvery` of the offline rules in force:
 * the newly silent sources get their cases, and the offline seconds are added to the daily statistics.
 */
export async function offlineSweep(): Promise<void> {
  await sweepOnce(await act.currentOfflinePolicy());
}

/** Asks for the newly silent sources, starts their cases (an open one goes on), accounts offline time. */
async function sweepOnce(policy: OfflinePolicy): Promise<void> {
  const nowIso = new Date().toISOString();
  const silent = await act.sweepSilentSources({ now: nowIso });
  for (const s of silent) {
    try {
      await startChild(deviceOffline, {
        workflowId: caseIds.deviceOffline(s.sourceKind, s.sourceId),
        args: [{ ...s, policy }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        typedSearchAttributes: caseSearchAttributes('device_offline', s.enterpriseId),
      });
    } catch (err) {
      // Already running: the open case goes on.
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
  }
  await act.accountOffline({ now: nowIso });
}
