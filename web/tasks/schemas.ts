/** What the tasks API takes and answers. */
import { z } from 'zod';
import { CASE_TYPES } from '../../domain/cases';
import { TASK_STATUSES } from '../../models/Task';
import { timestamp } from '../schemas';
import { taskForms } from './forms';

/** A task (models/Task.ts) as the API shows it. */
export const taskView = z.looseObject({
  _id: z.string().meta({ description: '<caseId>/<step>; contains slashes' }),
  caseId: z.string(),
  caseType: z.enum(CASE_TYPES),
  kind: z.string(),
  title: z.string(),
  enterpriseId: z.string().optional(),
  assigneeAgencyId: z.string().optional(),
  assigneeEnterpriseId: z.string().optional(),
  assigneeUserId: z.string().optional(),
  due: timestamp.optional(),
  status: z.enum(TASK_STATUSES),
  form: z.string().meta({ description: 'the form that completes it (one of the forms of POST /tasks/{id}/complete)' }),
  completedBy: z.string().optional(),
  completedAt: timestamp.optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  createdAt: timestamp,
});

/** A completion: the task's form, validated by the schema of the task's kind (web/tasks/forms). */
export function taskCompletionRequest() {
  const forms = taskForms().map((f) => f.schema.meta({ title: f.form }));
  return z.object({
    form: z
      .union(forms as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])
      .meta({ description: 'the fields of the task’s form (`form` of the task names which)' }),
  });
}
