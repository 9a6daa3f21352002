/**
 * Special-work permit (特殊作业票) tasks: workflows/permit.ts. Each is completed by the enterprise user the
 * e-permit names (the workflow refuses anyone else with the reason): a sign-off (签批, the role is the task's
 * step `…/sign/<role>`), an extension decision by the approver, the acceptance (完工验收), and the
 * explanation of a conduct alarm (作业违规报警).
 */
import { z } from 'zod';
import { isSignOffRole } from '../../../domain/permits';
import {
  acceptPermitUpdate,
  decideExtensionUpdate,
  explainConductAlarmUpdate,
  PERMIT_TASK_FORMS,
  signOffPermitUpdate,
} from '../../../workflows/permit';
import { HttpError } from '../../errors';
import { flag, text } from '../../schemas';
import { defineTaskForm } from './types';

const note = z.string().trim().max(2000, 'must be at most 2000 characters').optional();

export const permitForms = [
  defineTaskForm({
    form: PERMIT_TASK_FORMS.signOff,
    schema: z.object({ approve: flag, note }),
    closedBy: 'workflow',
    complete: async ({ task, workflow, values, principal }) => {
      const role = task._id.slice(task._id.lastIndexOf('/') + 1);
      if (!isSignOffRole(role)) throw new HttpError(400, `task ${task._id} names no sign-off role`, 'form');
      await workflow.executeUpdate(signOffPermitUpdate, {
        args: [{ role, approve: values.approve, note: values.note || undefined, by: principal.username }],
      });
    },
  }),
  defineTaskForm({
    form: PERMIT_TASK_FORMS.extension,
    schema: z.object({ approve: flag, note }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(decideExtensionUpdate, {
        args: [{ approve: values.approve, note: values.note || undefined, by: principal.username }],
      })),
  }),
  defineTaskForm({
    form: PERMIT_TASK_FORMS.acceptance,
    schema: z.object({ note }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(acceptPermitUpdate, {
        args: [{ note: values.note || undefined, by: principal.username }],
      })),
  }),
  defineTaskForm({
    form: PERMIT_TASK_FORMS.conductExplanation,
    schema: z.object({ cause: text(2000), measures: text(2000) }),
    closedBy: 'workflow',
    complete: async ({ workflow, values, principal }) =>
      void (await workflow.executeUpdate(explainConductAlarmUpdate, { args: [{ ...values, by: principal.username }] })),
  }),
];
