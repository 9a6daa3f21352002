/** Monitoring tasks closed by their own service: alarm disposal (报警处置), suspension review (停用申报审核), device settings review. */
import { HttpError } from '../../errors';
import { alarmDisposalForm, suspensionDecisionForm } from '../../cases/alarms';
import { REVIEW_FORM } from '../../monitoring/deviceSettings';
import { defineTaskForm } from './types';

export const monitoringForms = [
  defineTaskForm({
    form: 'alarmDisposal',
    schema: alarmDisposalForm,
    closedBy: 'service',
    complete: async ({ task, principal, values, ip, services }) => {
      const m = /^alarm\/([^/]+)\/([^/]+)/.exec(task.caseId); // alarm/<device>/<indicator>[/<episode>]
      if (!m) throw new HttpError(409, `task ${task._id} has no alarm case`, 'taskId');
      await services.alarms.fileDisposal(principal, m[1], m[2], values, ip);
    },
  }),
  defineTaskForm({
    form: 'suspensionReview',
    schema: suspensionDecisionForm,
    closedBy: 'service',
    complete: async ({ task, principal, values, ip, services }) =>
      void (await services.alarms.decideSuspension(
        principal,
        task.caseId,
        { approved: values.approved, note: values.note || undefined },
        ip,
      )),
  }),
  /** An enterprise's change of thresholds or intervals (monitoring/deviceSettings.ts); the same decision as a suspension's. */
  defineTaskForm({
    form: REVIEW_FORM,
    schema: suspensionDecisionForm,
    closedBy: 'service',
    complete: ({ task, principal, values, ip, services }) =>
      services.deviceSettings.decide(
        principal,
        task,
        { approved: values.approved, note: values.note || undefined },
        ip,
      ),
  }),
];
