/**
 * Report runs (周报/月报, issue 7). `reportRun` (id `report/<kind>/<periodStart>/v<n>`, the report
 * document already created by the web service for an on-demand run) computes the figures, records the
 * follow-ups the rules ask for and archives the report. `scheduledReport` is what the Temporal
 * Schedules start (Monday 11:00 / the 1st 11:00 Asia/Shanghai): it takes the period before the fire
 * time, creates version 1 of that period's report once and runs it as a child.
 */
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  defineQuery,
  executeChild,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PATCHES } from './patches';
import { caseSearchAttributes } from '../config/searchAttributes';
import { caseStep } from './activityOptions';
import { periodForRun, type ReportKind } from '../domain/reports/periods';
import { interview } from './interview';

export interface ReportRunInput {
  kind: ReportKind;
  periodStart: string;
}

export interface ReportProgress {
  step: 'starting' | 'rules' | 'figures' | 'follow_ups' | 'pdf' | 'mail' | 'archived';
  enterprises?: number;
  followUps?: number;
  /** Agencies mailed so far, of `agencies`. */
  mailed?: number;
  agencies?: number;
}

/** Summary mails sent at once. */
const MAIL_BATCH = 10;
/** Follow-ups (interview cases, warning notices) opened at once. */
const FOLLOW_UP_BATCH = 20;

export const reportProgressQuery = defineQuery<ReportProgress>('reportProgress');

const a = proxyActivities<Activities>(caseStep('10 minutes'));

export async function reportRun(input: ReportRunInput): Promise<ReportProgress> {
  const reportId = workflowInfo().workflowId;
  const progress: ReportProgress = { step: 'starting' };
  setHandler(reportProgressQuery, () => progress);
  progress.step = 'rules';
  const rules = await a.currentReportRules();
  if (!patched(PATCHES.reportRun.figuresStored)) {
    // Runs started before the figures were kept out of history.
    progress.step = 'figures';
    const figures = await a.computeFigures(input);
    progress.enterprises = figures.enterprises.length;
    progress.step = 'follow_ups';
    const followUps = await a.recordFollowUps({ reportId, rules, figures });
    progress.followUps = followUps.length;
    progress.step = 'pdf';
    await a.archiveReport({ reportId, figures });
    await a.renderReportFile({ reportId });
    progress.step = 'archived';
    return progress;
  }
  progress.step = 'figures';
  const stored = await a.computeAndStoreFigures({ reportId, kind: input.kind, periodStart: input.periodStart, rules });
  progress.enterprises = stored.enterprises;
  progress.step = 'follow_ups';
  if (patched(PATCHES.reportRun.followUpCases)) progress.followUps = await openFollowUps(reportId, input, rules);
  else progress.followUps = (await a.recordReportFollowUps({ reportId, rules })).followUps;
  progress.step = 'pdf';
  const pdfPath = await a.renderReportFile({ reportId });
  await a.archiveReport({ reportId, pdfPath });
  progress.step = 'mail';
  const mailings = await a.reportMailings({ reportId });
  progress.agencies = mailings.length;
  progress.mailed = 0;
  for (let i = 0; i < mailings.length; i += MAIL_BATCH) {
    await Promise.all(
      mailings.slice(i, i + MAIL_BATCH).map(async (m) => {
        await a.sendMail({
          key: `${reportId}/mail/${m.agencyId}`,
          caseId: reportId,
          to: m.to,
          template: 'report-summary',
          data: m.data,
          attachments: [{ filename: m.filename, path: pdfPath, contentType: 'application/pdf' }],
        });
        progress.mailed!++;
      }),
    );
  }
  progress.step = 'archived';
  return progress;
}

/**
 * The rules' follow-ups as cases of their own (002 第二十九至三十一条): each interview an Interview case
 * with the follow-up's id (`report/<kind>/<periodStart>/<enterpriseId>/<rule>`: a re-run of the period
 * opens none twice), each warning notice (警示通报) a numbered document to the enterprise, mailed with
 * its PDF and kept on the period (`report/<kind>/<periodStart>`), never issued twice.
 */
async function openFollowUps(
  reportId: string,
  input: ReportRunInput,
  rules: Awaited<ReturnType<typeof a.currentReportRules>>,
): Promise<number> {
  const list = await a.recordReportFollowUpCases({ reportId, rules });
  const periodZh = `${input.kind === 'weekly' ? '上周' : '上月'}（${input.periodStart} 起）`;
  const open = async (f: (typeof list)[number]) => {
    if (!f.agencyId) return;
    if (f.action === 'warning_notice') {
      const d = await a.issueDocument({
        caseId: `report/${input.kind}/${input.periodStart}`,
        step: `warning_notice/${f.enterpriseId}`,
        kind: 'warning_notice',
        agencyId: f.agencyId,
        enterpriseId: f.enterpriseId,
        toRole: 'enterprise',
        toId: f.enterpriseId,
        issuedAt: new Date().toISOString(),
        facts: { reportReason: f.reason, periodZh, reportId },
      });
      const ctx = await a.followUpContext({ enterpriseId: f.enterpriseId, agencyId: f.agencyId });
      if (ctx.enterpriseEmails.length) {
        await a.sendMail({
          key: `report/${input.kind}/${input.periodStart}/warning_notice/${f.enterpriseId}`,
          caseId: reportId,
          to: ctx.enterpriseEmails,
          template: 'official-document',
          data: {
            caseId: reportId,
            enterpriseName: ctx.enterpriseName,
            agencyName: ctx.agencyName,
            title: d.title,
            number: d.number,
          },
          attachments: [{ filename: d.filename, path: d.path }],
        });
      }
      return;
    }
    // One outage, one interview: the interview its offline case (or an earlier report) opened goes on; the report links to it.
    if (f.interviewCaseId) return;
    try {
      await startChild(interview, {
        workflowId: `report/${f.id}`,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        // A re-run finds the period's interview already opened (running or finished) and opens none.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [
          {
            enterpriseId: f.enterpriseId,
            agencyId: f.agencyId,
            reason: `${periodZh}${f.reason}`,
            includeRegion: f.action === 'region_interview',
            parentCaseId: undefined,
          },
        ],
        typedSearchAttributes: caseSearchAttributes('interview', f.enterpriseId),
      });
    } catch (err) {
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
  };
  // FOLLOW_UPS_BATCHED: one after the other, 500 follow-ups took 61 s of a 10,000-enterprise weekly report
  // (bench/reports.ts); a batch at a time overlaps their round trips. Runs recorded before replay one by one.
  if (patched(PATCHES.reportRun.followUpsBatched)) {
    for (let i = 0; i < list.length; i += FOLLOW_UP_BATCH)
      await Promise.all(list.slice(i, i + FOLLOW_UP_BATCH).map(open));
  } else {
    for (const f of list) await open(f);
  }
  return list.length;
}

export async function scheduledReport(input: { kind: ReportKind }): Promise<{ reportId: string; created: boolean }> {
  // Workflow time is the schedule's fire time (deterministic).
  const period = periodForRun(input.kind, Date.now());
  const rules = await a.currentReportRules();
  const begun = await a.beginScheduledReport({
    kind: input.kind,
    periodStart: period.start,
    rulesVersion: rules.version,
  });
  if (begun.created)
    await executeChild(reportRun, {
      workflowId: begun.reportId,
      args: [{ kind: input.kind, periodStart: period.start }],
    });
  return begun;
}

/**
 * The deadline check (started by the 10:45 Asia/Shanghai schedules, 002 第二十八条 "上午11点前"): when the
 * period of today's run has no finished report yet, every administrator is mailed — once per period.
 */
export async function reportDeadlineCheck(input: {
  kind: ReportKind;
}): Promise<{ periodStart: string; alerted: boolean }> {
  // Workflow time is the schedule's fire time.
  const s = await a.reportDeadlineStatus({ kind: input.kind, at: new Date().toISOString() });
  if (s.done || !s.adminEmails.length) return { periodStart: s.periodStart, alerted: false };
  await a.sendMail({
    key: `report-deadline/${input.kind}/${s.periodStart}`,
    to: s.adminEmails,
    template: 'report-late',
    data: {
      kindZh: input.kind === 'weekly' ? '周分析' : '月报告',
      kindEn: input.kind,
      periodStart: s.periodStart,
      status: s.status ?? '',
    },
  });
  return { periodStart: s.periodStart, alerted: true };
}
