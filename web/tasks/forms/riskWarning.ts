/** Risk warning (风险预警) tasks: the enterprise's feedback, the tracking department's acknowledgement, a recorded warning notice. */
import { z } from 'zod';
import { trackingAcknowledgedSignal, warningFeedbackUpdate } from '../../../workflows/riskWarning';
import { warningFeedbackForm } from '../../cases/cases';
import { text } from '../../schemas';
import { defineTaskForm } from './types';

export const riskWarningForms = [
  defineTaskForm({
    form: 'warningFeedback',
    schema: warningFeedbackForm,
    closedBy: 'workflow',
    attachments: true,
    complete: async ({ workflow, values, attachments, principal, task }) =>
      void (await workflow.executeUpdate(warningFeedbackUpdate, {
        args: [{ ...values, ...(attachments ? { attachments } : {}), by: principal.username, caseId: task.caseId }],
      })),
  }),
  defineTaskForm({
    form: 'warningTracking',
    schema: z.object({ note: z.string().trim().max(2000).optional() }),
    closedBy: 'workflow',
    complete: ({ workflow, values, principal, task }) =>
      workflow.signal(trackingAcknowledgedSignal, { by: principal.username, note: values.note, caseId: task.caseId }),
  }),
  /** Recorded on the task itself (report follow-ups). */
  defineTaskForm({ form: 'warningNoticeRecord', schema: z.object({ note: text(2000) }), closedBy: 'task' }),
];
