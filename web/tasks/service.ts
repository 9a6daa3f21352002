/**
 * Tasks: the inbox list and completing a task. Completing validates the task's form (one schema per
 * form), checks the caller is the assignee (agency, enterprise or user) or an administrator, claims
 * the task atomically (open → done, so a second completion is a 409 and changes nothing), then sends
 * the update or signal of its workflow; a refusal by the workflow reopens the task.
 * Also the pages' TaskCompleter (web/services/portal.ts).
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import { TASK_STATUSES, TaskDoc } from '../../models/Task';
import type { Models } from '../../models';
import { trackingAcknowledgedSignal, warningFeedbackUpdate } from '../../workflows/riskWarning';
import { assignInspectorsUpdate, recordOnSiteUpdate, rectifiedUpdate, reinspectUpdate } from '../../workflows/onSiteSupervision';
import { closeEmergencyUpdate, emergencyReportUpdate } from '../../workflows/emergencyResponse';
import { recordInterviewMinutesUpdate, reportCommitmentsUpdate, scheduleInterviewUpdate, verifyCommitmentsUpdate } from '../../workflows/interview';
import { decidePenaltyUpdate, filePenaltyUpdate, recordExecutionUpdate, recordHearingUpdate, recordInvestigationUpdate, recordServiceUpdate, submitStatementUpdate } from '../../workflows/penalty';
import { fromZod, HttpError } from '../errors';
import type { AuditService } from '../access/audit';
import { alarmDisposalForm } from '../cases/alarms';
import { checkFeedbackAttachments, updateRefusal, warningFeedbackForm } from '../cases/cases';
import type { UploadService } from '../portal/uploads';
import { REVIEW_FORM, type DeviceSettingsService } from '../monitoring/deviceSettings';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const instant = z.string().trim().refine((v) => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 instant');
const bool = z.boolean({ message: 'must be true or false' });
const iso = (v: string) => new Date(v).toISOString();

/** One schema per task form. */
export const taskForms = {
  warningFeedback: warningFeedbackForm,
  warningTracking: z.object({ note: z.string().trim().max(2000).optional() }),
  onsiteAssign: z.object({ inspectors: z.array(text(100)).min(1, 'must name at least one inspector'), due: instant }),
  onsiteRecord: z
    .object({ findings: text(5000), hazards: z.array(text(500)).default([]), rectifyBy: instant.optional() })
    .refine((v) => !v.hazards.length || !!v.rectifyBy, { message: 'a rectification deadline is required when hazards were found', path: ['rectifyBy'] }),
  rectificationReply: z.object({ measures: text(5000) }),
  reinspection: z
    .object({ passed: z.boolean({ message: 'must be true or false' }), note: z.string().trim().max(2000).optional(), openPenalty: z.boolean().default(false) })
    .refine((v) => !(v.passed && v.openPenalty), { message: 'a penalty is opened only when the re-inspection fails', path: ['openPenalty'] }),
  // Emergency response (应急处置, 002 第十九条): workflows/emergencyResponse.ts.
  emergencyReport: z.object({ actions: text(5000), casualties: z.string().trim().max(2000, 'must be at most 2000 characters').optional(), underControl: bool }),
  emergencyClose: z.object({ conclusion: text(5000) }),
  // Interview (约谈): workflows/interview.ts.
  interviewSchedule: z.object({ scheduledAt: instant, place: text(200), attendees: z.array(text(100)).min(1, 'must name at least one attendee') }),
  interviewRecord: z.object({ minutes: text(5000), commitments: text(5000), commitmentsDue: instant }),
  interviewCommitments: z.object({ measures: text(5000) }),
  interviewVerification: z.object({ fulfilled: bool, note: z.string().trim().max(2000).optional() }),
  // Penalty (行政处罚): workflows/penalty.ts.
  penaltyFiling: z.object({ summary: text(5000), decline: z.boolean({ message: 'must be true or false' }).default(false) }),
  penaltyInvestigation: z.object({ evidence: z.array(text(500)).min(1, 'must list at least one piece of evidence'), proposedPenalty: text(2000) }),
  penaltyStatement: z
    .object({ statement: z.string().trim().max(5000, 'must be at most 5000 characters').optional(), hearingRequested: bool })
    .refine((v) => v.hearingRequested || !!v.statement, { message: 'write the statement or ask for a hearing', path: ['statement'] }),
  penaltyHearing: z.object({ record: text(5000) }),
  penaltyDecision: z.object({ penalize: bool, decision: text(5000), fineYuan: z.coerce.number({ message: 'must be a sum of yuan' }).min(0, 'must be zero or more').max(100_000_000, 'is too large').optional(), statementReview: z.string().trim().max(2000).optional() }),
  penaltyService: z.object({ servedAt: instant, method: text(200) }),
  penaltyExecution: z.object({ executed: bool, note: z.string().trim().max(2000).optional() }),
  // Recorded on the task itself (tasks opened before the Interview workflow existed, and report follow-ups).
  interviewMinutes: z.object({ minutes: text(5000) }),
  warningNoticeRecord: z.object({ note: text(2000) }),
} as const;

/** Forms whose outcome is the task's own record: completing them messages no workflow. */
const RECORDED_ON_TASK = new Set<string>(['interviewMinutes', 'warningNoticeRecord']);

export const taskQuery = z.object({
  assignee: z.string().trim().min(1).optional(),
  status: z.enum(TASK_STATUSES, { message: `must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
});

interface AlarmsLike {
  fileDisposal(p: Principal, deviceCode: string, indicator: string, form: z.infer<typeof alarmDisposalForm>, ip?: string): Promise<unknown>;
  decideSuspension(p: Principal, requestId: string, decision: { approved: boolean; note?: string }, ip?: string): Promise<unknown>;
}

export function createTaskService(deps: { temporal: Client; models: Models; audit: AuditService; alarms?: AlarmsLike; uploads?: UploadService; deviceSettings?: DeviceSettingsService }) {
  const { temporal, models, audit } = deps;

  function isAssignee(p: Principal, t: TaskDoc): boolean {
    if (p.role === 'admin') return true;
    if (t.assigneeUserId && t.assigneeUserId === p.username) return true;
    if (p.role === 'regulator') return !!p.agencyId && p.agencyId === t.assigneeAgencyId;
    return p.role === 'enterprise' && !!p.enterpriseId && p.enterpriseId === t.assigneeEnterpriseId;
  }

  function parse<S extends z.ZodTypeAny>(schema: S, form: unknown): z.infer<S> {
    const r = schema.safeParse(form ?? {});
    if (!r.success) throw fromZod(r.error);
    return r.data;
  }

  /** The workflow message a completed form sends (a feedback with its checked attachments). */
  async function deliver(t: TaskDoc, p: Principal, form: Record<string, unknown>, attachments?: string[]): Promise<void> {
    if (RECORDED_ON_TASK.has(t.form)) return;
    const by = p.username;
    const wfOfCase = (id: string) => (t.caseType === 'risk_warning' ? id.slice(0, id.lastIndexOf('/')) : id);
    const h = temporal.workflow.getHandle(wfOfCase(t.caseId));
    switch (t.form) {
      case 'warningFeedback':
        await h.executeUpdate(warningFeedbackUpdate, { args: [{ ...parse(taskForms.warningFeedback, form), ...(attachments ? { attachments } : {}), by, caseId: t.caseId }] });
        return;
      case 'warningTracking':
        await h.signal(trackingAcknowledgedSignal, { by, note: parse(taskForms.warningTracking, form).note, caseId: t.caseId });
        return;
      case 'onsiteAssign': {
        const f = parse(taskForms.onsiteAssign, form);
        await h.executeUpdate(assignInspectorsUpdate, { args: [{ inspectors: f.inspectors, due: new Date(f.due).toISOString(), by }] });
        return;
      }
      case 'onsiteRecord': {
        const f = parse(taskForms.onsiteRecord, form);
        await h.executeUpdate(recordOnSiteUpdate, { args: [{ findings: f.findings, hazards: f.hazards, rectifyBy: f.rectifyBy ? new Date(f.rectifyBy).toISOString() : undefined, by }] });
        return;
      }
      case 'emergencyReport': {
        const f = parse(taskForms.emergencyReport, form);
        await h.executeUpdate(emergencyReportUpdate, { args: [{ actions: f.actions, casualties: f.casualties || undefined, underControl: f.underControl, by }] });
        return;
      }
      case 'emergencyClose':
        await h.executeUpdate(closeEmergencyUpdate, { args: [{ ...parse(taskForms.emergencyClose, form), by }] });
        return;
      case 'rectificationReply':
        await h.executeUpdate(rectifiedUpdate, { args: [{ ...parse(taskForms.rectificationReply, form), by }] });
        return;
      case 'reinspection':
        await h.executeUpdate(reinspectUpdate, { args: [{ ...parse(taskForms.reinspection, form), by }] });
        return;
      case 'interviewSchedule': {
        const f = parse(taskForms.interviewSchedule, form);
        await h.executeUpdate(scheduleInterviewUpdate, { args: [{ ...f, scheduledAt: iso(f.scheduledAt), by }] });
        return;
      }
      case 'interviewRecord': {
        const f = parse(taskForms.interviewRecord, form);
        await h.executeUpdate(recordInterviewMinutesUpdate, { args: [{ ...f, commitmentsDue: iso(f.commitmentsDue), by }] });
        return;
      }
      case 'interviewCommitments':
        await h.executeUpdate(reportCommitmentsUpdate, { args: [{ ...parse(taskForms.interviewCommitments, form), by }] });
        return;
      case 'interviewVerification':
        await h.executeUpdate(verifyCommitmentsUpdate, { args: [{ ...parse(taskForms.interviewVerification, form), by }] });
        return;
      case 'penaltyFiling':
        await h.executeUpdate(filePenaltyUpdate, { args: [{ ...parse(taskForms.penaltyFiling, form), by }] });
        return;
      case 'penaltyInvestigation':
        await h.executeUpdate(recordInvestigationUpdate, { args: [{ ...parse(taskForms.penaltyInvestigation, form), by }] });
        return;
      case 'penaltyStatement':
        await h.executeUpdate(submitStatementUpdate, { args: [{ ...parse(taskForms.penaltyStatement, form), by }] });
        return;
      case 'penaltyHearing':
        await h.executeUpdate(recordHearingUpdate, { args: [{ ...parse(taskForms.penaltyHearing, form), by }] });
        return;
      case 'penaltyDecision':
        await h.executeUpdate(decidePenaltyUpdate, { args: [{ ...parse(taskForms.penaltyDecision, form), by }] });
        return;
      case 'penaltyService': {
        const f = parse(taskForms.penaltyService, form);
        await h.executeUpdate(recordServiceUpdate, { args: [{ ...f, servedAt: iso(f.servedAt), by }] });
        return;
      }
      case 'penaltyExecution':
        await h.executeUpdate(recordExecutionUpdate, { args: [{ ...parse(taskForms.penaltyExecution, form), by }] });
        return;
      default:
        throw new HttpError(400, `a ${t.form} task is not completed here`, 'form');
    }
  }

  return {
    async list(p: Principal, q: z.infer<typeof taskQuery>): Promise<TaskDoc[]> {
      const own = [p.username && { assigneeUserId: p.username }, p.agencyId && { assigneeAgencyId: p.agencyId }, p.enterpriseId && { assigneeEnterpriseId: p.enterpriseId }].filter(Boolean) as unknown as Record<string, string>[];
      const filter: Record<string, unknown> = {};
      if (q.assignee && q.assignee !== 'me') {
        const byAssignee = [{ assigneeUserId: q.assignee }, { assigneeAgencyId: q.assignee }, { assigneeEnterpriseId: q.assignee }];
        if (p.role !== 'admin' && !own.some((o) => Object.values(o)[0] === q.assignee)) throw new HttpError(403, 'you may list only your own tasks', 'assignee');
        filter.$or = byAssignee;
      } else if (p.role !== 'admin' || q.assignee === 'me') filter.$or = own.length ? own : [{ _id: '\u0000none' }];
      if (q.status) filter.status = q.status;
      return models.Task.find(filter).sort({ due: 1, createdAt: 1 }).limit(500).lean<TaskDoc[]>();
    },

    async completeTask(p: Principal, taskId: string, form: Record<string, unknown>, ip?: string): Promise<TaskDoc> {
      const t = await models.Task.findById(taskId).lean<TaskDoc>();
      if (!t) throw new HttpError(404, `no task ${taskId}`, 'taskId');
      if (!isAssignee(p, t)) throw new HttpError(403, 'only the assignee or an administrator may complete this task', 'taskId');
      if (t.status !== 'open') throw new HttpError(409, `task ${taskId} is already ${t.status}`, 'taskId');
      form = form ?? {};
      // Tasks of the monitoring cases go through their own service (it messages the workflow, which closes the task).
      if (t.form === 'alarmDisposal' && deps.alarms) {
        const m = /^alarm\/([^/]+)\/([^/]+)/.exec(t.caseId);
        if (!m) throw new HttpError(409, `task ${taskId} has no alarm case`, 'taskId');
        await deps.alarms.fileDisposal(p, m[1], m[2], parse(alarmDisposalForm, form), ip);
        return (await models.Task.findById(taskId).lean<TaskDoc>())!;
      }
      if (t.form === 'suspensionReview' && deps.alarms) {
        const f = parse(z.object({ approved: z.boolean({ message: 'must be true or false' }), note: z.string().trim().max(1000).optional() }), form);
        await deps.alarms.decideSuspension(p, t.caseId, { approved: f.approved, note: f.note || undefined }, ip);
        return (await models.Task.findById(taskId).lean<TaskDoc>())!;
      }
      if (t.form === REVIEW_FORM && deps.deviceSettings) {
        const f = parse(z.object({ approved: z.boolean({ message: 'must be true or false' }), note: z.string().trim().max(1000).optional() }), form);
        await deps.deviceSettings.decide(p, t, { approved: f.approved, note: f.note || undefined }, ip);
        return (await models.Task.findById(taskId).lean<TaskDoc>())!;
      }
      if (!(t.form in taskForms)) throw new HttpError(400, `a ${t.form} task is not completed here`, 'form');
      const schema = taskForms[t.form as keyof typeof taskForms] as z.ZodTypeAny;
      const valid = parse(schema, form) as Record<string, unknown>;
      // A feedback's attachments: the enterprise's own uploads, checked as the API's feedback checks them.
      const attachments = t.form === 'warningFeedback' ? await checkFeedbackAttachments(deps.uploads, p, t.enterpriseId, form.attachments) : undefined;
      if (attachments) valid.attachments = attachments;
      // Claim: only one completion wins; the loser gets a 409 and nothing changes.
      const claimed = await models.Task.findOneAndUpdate({ _id: taskId, status: 'open' }, { $set: { status: 'done', completedBy: p.username, completedAt: new Date(), result: valid } }, { returnDocument: 'after' }).lean<TaskDoc>();
      if (!claimed) throw new HttpError(409, `task ${taskId} is already done`, 'taskId');
      try {
        await deliver(t, p, form, attachments);
      } catch (err) {
        await models.Task.updateOne({ _id: taskId, completedBy: p.username }, { $set: { status: 'open' }, $unset: { completedBy: 1, completedAt: 1, result: 1 } });
        if (err instanceof HttpError) throw err;
        return updateRefusal(err, 'form');
      }
      await audit.record(p.username, 'task.completed', taskId, { caseId: t.caseId, kind: t.kind, form: valid }, ip);
      return claimed;
    },
  };
}
export type TaskService = ReturnType<typeof createTaskService>;
