/**
 * Interview (约谈): opened by a device offline too long (002 第二十九至三十一条), by a report rule, or
 * by a regulator. Workflow id = case record id, given by the opener (e.g. `<offline case>/district_interview/<agency>`).
 * The interviewing agency schedules it (time, place, attendees) → the interview notice (约谈通知书) is
 * issued and mailed to the enterprise with its PDF → at the interview time the agency records the
 * minutes (约谈纪要) and the enterprise's commitments with their deadline → the enterprise reports
 * what it did; it is reminded before the deadline → the agency verifies: fulfilled or not → closed.
 * Clocks from the enforcement policy version it opened under (domain/enforcement).
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { caseStep } from './activityOptions';
import { chineseDateTime } from '../domain/time';
import { parseDuration } from '../domain/durations';
import { EnforcementPolicy, after } from '../domain/enforcement';
import { recordFiledStep } from './filedStep';
import { enforcementSetting, enforcementTask } from './enforcementCase';

export interface InterviewInput {
  enterpriseId: string;
  /** The agency that interviews (约谈单位). */
  agencyId: string;
  reason: string;
  /** 约谈企业及属地: the region's government is interviewed with the enterprise (002 第三十一条). */
  includeRegion?: boolean;
  parentCaseId?: string;
  /** Absent: the policy in force when it opens. */
  policy?: EnforcementPolicy;
}

export interface ScheduleInterview {
  scheduledAt: string;
  place: string;
  attendees: string[];
  by: string;
}
export interface InterviewMinutes {
  minutes: string;
  commitments: string;
  commitmentsDue: string;
  by: string;
}
export interface CommitmentsReport {
  measures: string;
  by: string;
}
export interface CommitmentsVerification {
  fulfilled: boolean;
  note?: string;
  by: string;
}

export type InterviewStep = 'schedule' | 'interview' | 'minutes' | 'commitments' | 'verification' | 'closed';
export interface InterviewState {
  caseId: string;
  status: 'open' | 'closed';
  step: InterviewStep;
  policyVersion?: number;
  scheduledAt?: string;
  noticeNumber?: string;
  commitmentsDue?: string;
  outcome?: 'fulfilled' | 'not_fulfilled';
}

export const scheduleInterviewUpdate = defineUpdate<InterviewState, [ScheduleInterview]>('scheduleInterview');
export const recordInterviewMinutesUpdate = defineUpdate<InterviewState, [InterviewMinutes]>('recordInterviewMinutes');
export const reportCommitmentsUpdate = defineUpdate<InterviewState, [CommitmentsReport]>('reportCommitments');
export const verifyCommitmentsUpdate = defineUpdate<InterviewState, [CommitmentsVerification]>('verifyCommitments');
export const interviewStateQuery = defineQuery<InterviewState>('interviewState');

const act = proxyActivities<Activities>(caseStep('1 minute'));

const isInstant = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const filled = (v: unknown) => typeof v === 'string' && !!v.trim();

export async function interview(input: InterviewInput): Promise<InterviewState> {
  const caseId = workflowInfo().workflowId;
  const state: InterviewState = { caseId, status: 'open', step: 'schedule' };
  let schedule: ScheduleInterview | undefined;
  let minutes: InterviewMinutes | undefined;
  let report: CommitmentsReport | undefined;
  let verification: CommitmentsVerification | undefined;
  const refuseUnless = (steps: InterviewStep[], field: string) => {
    if (!steps.includes(state.step))
      throw new Error(`${field}: this step is not open (the interview is at ${state.step})`);
  };
  setHandler(interviewStateQuery, () => state);
  setHandler(scheduleInterviewUpdate, (s) => ((schedule = s), (state.step = 'interview'), state), {
    validator: (s: ScheduleInterview) => {
      refuseUnless(['schedule'], 'scheduledAt');
      if (!isInstant(s?.scheduledAt)) throw new Error('scheduledAt: must be an ISO-8601 instant');
      if (!filled(s.place)) throw new Error('place: must not be empty');
      if (!Array.isArray(s.attendees) || !s.attendees.length || !s.attendees.every(filled))
        throw new Error('attendees: must name at least one attendee');
    },
  });
  setHandler(recordInterviewMinutesUpdate, (m) => ((minutes = m), (state.step = 'commitments'), state), {
    validator: (m: InterviewMinutes) => {
      refuseUnless(['interview', 'minutes'], 'minutes');
      if (!filled(m?.minutes)) throw new Error('minutes: must not be empty');
      if (!filled(m.commitments)) throw new Error('commitments: must not be empty');
      if (!isInstant(m.commitmentsDue)) throw new Error('commitmentsDue: must be an ISO-8601 instant');
    },
  });
  setHandler(reportCommitmentsUpdate, (r) => ((report = r), (state.step = 'verification'), state), {
    validator: (r: CommitmentsReport) => {
      if (report) throw new Error('measures: the commitments are already reported');
      refuseUnless(['commitments'], 'measures');
      if (!filled(r?.measures)) throw new Error('measures: must not be empty');
    },
  });
  setHandler(verifyCommitmentsUpdate, (v) => ((verification = v), (state.step = 'closed'), state), {
    validator: (v: CommitmentsVerification) => {
      refuseUnless(['verification'], 'fulfilled');
      if (typeof v?.fulfilled !== 'boolean') throw new Error('fulfilled: must be true or false');
    },
  });

  const now = () => new Date().toISOString();
  const { policy, ctx } = await enforcementSetting(act, input);
  const clock = policy.interview;
  state.policyVersion = policy.version;
  const title = `${input.includeRegion ? '约谈企业及属地' : '约谈'}：${ctx.enterpriseName}`;
  const task = enforcementTask(act, caseId, 'interview', ctx);
  const mailData = () => ({
    caseId,
    enterpriseName: ctx.enterpriseName,
    agencyName: ctx.agencyName,
    reason: input.reason,
    scheduledAt: state.scheduledAt && chineseDateTime(state.scheduledAt),
    place: schedule?.place,
    number: state.noticeNumber,
    commitmentsDue: state.commitmentsDue && chineseDateTime(state.commitmentsDue),
  });

  const openedAt = now();
  const scheduleDue = after(openedAt, clock.scheduleWithin);
  await act.openCase({
    caseId,
    type: 'interview',
    title,
    enterpriseId: ctx.enterpriseId,
    regionPath: ctx.regionPath,
    industry: ctx.industry,
    trackingAgencyId: ctx.agencyId,
    parentCaseId: input.parentCaseId,
    policyVersion: policy.version,
    openedAt,
    deadlines: [{ kind: 'interview_schedule', due: scheduleDue }],
    entry: {
      key: 'opened',
      at: openedAt,
      kind: 'opened',
      actor: 'system',
      recipients: [ctx.agencyId],
      detail: input.reason,
    },
  });
  await task('schedule', 'interview_schedule', 'interviewSchedule', '安排约谈', scheduleDue);

  // 1. Scheduled → the interview notice to the enterprise, with its PDF.
  await condition(() => !!schedule);
  const s = schedule!;
  state.scheduledAt = s.scheduledAt;
  await recordFiledStep(act, caseId, {
    step: 'schedule',
    by: s.by,
    result: { scheduledAt: s.scheduledAt, place: s.place, attendees: s.attendees },
    deadlines: [{ kind: 'interview', due: s.scheduledAt }],
    kind: 'interview_scheduled',
    recipients: [ctx.enterpriseId],
    detail: `${chineseDateTime(s.scheduledAt)} ${s.place}; ${s.attendees.join('、')}`,
  });
  const notice = await act.issueDocument({
    caseId,
    step: 'interview_notice',
    kind: 'interview_notice',
    agencyId: ctx.agencyId,
    enterpriseId: ctx.enterpriseId,
    toRole: 'enterprise',
    toId: ctx.enterpriseId,
    issuedAt: now(),
    facts: {
      reason: input.reason,
      scheduledAt: chineseDateTime(s.scheduledAt),
      place: s.place,
      attendees: s.attendees.join('、'),
      region: input.includeRegion ? '1' : '',
    },
  });
  state.noticeNumber = notice.number;
  if (ctx.enterpriseEmails.length) {
    await act.sendMail({
      key: `${caseId}/interview_notice`,
      caseId,
      to: ctx.enterpriseEmails,
      template: 'interview-notice',
      data: mailData(),
      attachments: [{ filename: notice.filename, path: notice.path }],
    });
  }
  await act.updateCase({
    caseId,
    entry: {
      key: 'document/interview_notice',
      at: now(),
      kind: 'document_issued',
      actor: ctx.agencyId,
      recipients: [ctx.enterpriseId, ...ctx.enterpriseEmails],
      detail: `${notice.title} ${notice.number}`,
    },
  });

  // 2. At the interview time: the minutes and the commitments (minutes may be recorded early if it was held early).
  await condition(() => !!minutes, Math.max(Date.parse(s.scheduledAt) - Date.now(), 1));
  if (!minutes) {
    state.step = 'minutes';
    const minutesDue = after(s.scheduledAt, clock.minutesWithin);
    await act.updateCase({ caseId, deadlines: [{ kind: 'interview_minutes', due: minutesDue }] });
    await task('minutes', 'interview_minutes', 'interviewRecord', '约谈纪要', minutesDue);
    await condition(() => !!minutes);
  }
  const m = minutes!;
  state.commitmentsDue = m.commitmentsDue;
  await recordFiledStep(act, caseId, {
    step: 'minutes',
    by: m.by,
    result: { minutes: m.minutes, commitments: m.commitments, commitmentsDue: m.commitmentsDue },
    deadlines: [{ kind: 'commitments', due: m.commitmentsDue }],
    kind: 'minutes_recorded',
    detail: `${m.minutes}; 承诺 commitments: ${m.commitments} (by ${m.commitmentsDue})`,
  });
  await task(
    'commitments',
    'interview_commitments',
    'interviewCommitments',
    '约谈整改承诺落实',
    m.commitmentsDue,
    true,
  );

  // 3. The commitments: a reminder before their deadline, overdue at it.
  const remindAt = Date.parse(m.commitmentsDue) - parseDuration(clock.remindBefore);
  if (!(await condition(() => !!report, Math.max(remindAt - Date.now(), 1)))) {
    const to = [...ctx.enterpriseEmails, ...ctx.agencyEmails];
    if (to.length)
      await act.sendMail({
        key: `${caseId}/commitments_reminder`,
        caseId,
        to,
        template: 'interview-reminder',
        data: mailData(),
      });
    await act.updateCase({
      caseId,
      entry: {
        key: 'commitments_reminded',
        at: now(),
        kind: 'commitments_reminded',
        actor: 'system',
        recipients: [ctx.enterpriseId, ctx.agencyId],
        detail: `due ${m.commitmentsDue}`,
      },
    });
    if (!(await condition(() => !!report, Math.max(Date.parse(m.commitmentsDue) - Date.now(), 1)))) {
      await act.updateCase({
        caseId,
        entry: {
          key: 'commitments_overdue',
          at: now(),
          kind: 'commitments_overdue',
          actor: 'system',
          recipients: [ctx.agencyId],
          detail: `due ${m.commitmentsDue}`,
        },
      });
    }
  }
  if (report) {
    await act.completeTask({ taskId: `${caseId}/commitments`, by: report.by, result: { measures: report.measures } });
    await act.updateCase({
      caseId,
      entry: {
        key: 'commitments_reported',
        at: now(),
        kind: 'commitments_reported',
        actor: report.by,
        detail: report.measures,
      },
    });
  } else {
    await act.completeTask({ taskId: `${caseId}/commitments`, by: 'system', status: 'cancelled' });
  }

  // 4. The agency verifies.
  state.step = 'verification';
  await act.updateCase({ caseId, deadlines: [] });
  await task('verification', 'interview_verification', 'interviewVerification', '约谈承诺落实核验');
  await condition(() => !!verification);
  const v = verification!;
  await act.completeTask({
    taskId: `${caseId}/verification`,
    by: v.by,
    result: { fulfilled: v.fulfilled, note: v.note },
  });
  state.outcome = v.fulfilled ? 'fulfilled' : 'not_fulfilled';
  state.status = 'closed';
  await act.updateCase({
    caseId,
    status: 'closed',
    closedAt: now(),
    deadlines: [],
    entry: {
      key: state.outcome,
      at: now(),
      kind: state.outcome === 'fulfilled' ? 'commitments_fulfilled' : 'commitments_not_fulfilled',
      actor: v.by,
      detail: v.note,
    },
  });
  return state;
}
