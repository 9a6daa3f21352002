/**
 * Tasks: the inbox list and completing a task. Completing validates the task's form (one schema per
 * form), checks the caller is the assignee (agency, enterprise or user) or an administrator, claims
 * the task atomically (open → done, so a second completion is a 409 and changes nothing), then sends
 * the update or signal of its workflow; a refusal by the workflow reopens the task.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Principal } from '../../domain/access';
import { TASK_STATUSES, TaskDoc } from '../../models/Task';
import type { Models } from '../../models';
import { HttpError } from '../errors';
import { parse } from '../forms';
import type { AuditService } from '../access/audit';
import { checkFeedbackAttachments, updateRefusal } from '../cases/cases';
import type { UploadService } from '../portal/uploads';
import { taskForm, type TaskFormServices } from './forms';

export const taskQuery = z.object({
  assignee: z.string().trim().min(1).optional(),
  status: z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` }).optional(),
});

export function createTaskService(
  deps: { temporal: Client; models: Models; audit: AuditService; uploads: UploadService } & TaskFormServices,
) {
  const { temporal, models, audit } = deps;

  function isAssignee(p: Principal, t: TaskDoc): boolean {
    if (p.role === 'admin') return true;
    if (t.assigneeUserId && t.assigneeUserId === p.username) return true;
    if (p.role === 'regulator') return !!p.agencyId && p.agencyId === t.assigneeAgencyId;
    return p.role === 'enterprise' && !!p.enterpriseId && p.enterpriseId === t.assigneeEnterpriseId;
  }

  /** The case workflow of a task (a risk warning's and a device fault's tasks carry `<workflowId>/<instant>`). */
  const workflowOf = (t: TaskDoc) =>
    temporal.workflow.getHandle(
      t.caseType === 'risk_warning' || t.caseType === 'device_fault'
        ? t.caseId.slice(0, t.caseId.lastIndexOf('/'))
        : t.caseId,
    );

  return {
    async list(p: Principal, q: z.infer<typeof taskQuery>): Promise<TaskDoc[]> {
      const own = [
        p.username && { assigneeUserId: p.username },
        p.agencyId && { assigneeAgencyId: p.agencyId },
        p.enterpriseId && { assigneeEnterpriseId: p.enterpriseId },
      ].filter(Boolean) as unknown as Record<string, string>[];
      const filter: Record<string, unknown> = {};
      if (q.assignee && q.assignee !== 'me') {
        const byAssignee = [
          { assigneeUserId: q.assignee },
          { assigneeAgencyId: q.assignee },
          { assigneeEnterpriseId: q.assignee },
        ];
        if (p.role !== 'admin' && !own.some((o) => Object.values(o)[0] === q.assignee))
          throw new HttpError(403, 'you may list only your own tasks', 'assignee');
        filter.$or = byAssignee;
      } else if (p.role !== 'admin' || q.assignee === 'me') filter.$or = own.length ? own : [{ _id: '\u0000none' }];
      if (q.status) filter.status = q.status;
      return models.Task.find(filter).sort({ due: 1, createdAt: 1 }).limit(500).lean<TaskDoc[]>();
    },

    async completeTask(p: Principal, taskId: string, form: Record<string, unknown>, ip?: string): Promise<TaskDoc> {
      const t = await models.Task.findById(taskId).lean<TaskDoc>();
      if (!t) throw new HttpError(404, `no task ${taskId}`, 'taskId');
      if (!isAssignee(p, t))
        throw new HttpError(403, 'only the assignee or an administrator may complete this task', 'taskId');
      if (t.status !== 'open') throw new HttpError(409, `task ${taskId} is already ${t.status}`, 'taskId');
      form = form ?? {};
      const def = taskForm(t.form);
      const values = parse(def.schema, form) as Record<string, unknown>;
      const completion = { task: t, principal: p, values, ip, workflow: workflowOf(t), services: deps };
      // Monitoring tasks go through their own service (it messages the workflow, which closes the task, and audits).
      if (def.closedBy === 'service') {
        await def.complete!(completion);
        return (await models.Task.findById(taskId).lean<TaskDoc>())!;
      }
      // A feedback's attachments: the enterprise's own uploads, checked as the API's feedback checks them.
      const attachments = def.attachments
        ? await checkFeedbackAttachments(deps.uploads, p, t.enterpriseId, form.attachments)
        : undefined;
      if (attachments) values.attachments = attachments;
      // Claim: only one completion wins; the loser gets a 409 and nothing changes.
      const claimed = await models.Task.findOneAndUpdate(
        { _id: taskId, status: 'open' },
        { $set: { status: 'done', completedBy: p.username, completedAt: new Date(), result: values } },
        { returnDocument: 'after' },
      ).lean<TaskDoc>();
      if (!claimed) throw new HttpError(409, `task ${taskId} is already done`, 'taskId');
      try {
        if (def.closedBy === 'workflow') await def.complete!({ ...completion, attachments });
      } catch (err) {
        await models.Task.updateOne(
          { _id: taskId, completedBy: p.username },
          { $set: { status: 'open' }, $unset: { completedBy: 1, completedAt: 1, result: 1 } },
        );
        if (err instanceof HttpError) throw err;
        return updateRefusal(err, 'form');
      }
      await audit.record(p.username, 'task.completed', taskId, { caseId: t.caseId, kind: t.kind, form: values }, ip);
      return claimed;
    },
  };
}
export type TaskService = ReturnType<typeof createTaskService>;
